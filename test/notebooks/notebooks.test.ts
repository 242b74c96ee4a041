import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { KERNEL_NAME } from "../../src/tools/jupyter";
import { executeNotebook, findProblems, listNotebooks, readNotebook } from "../../src/tools/notebooks";

const notebooks = listNotebooks();

describe("committed notebooks", () => {
  it("exist", () => assert.ok(notebooks.length > 0));
  for (const file of notebooks) {
    const name = path.basename(file);
    it(`${name} is committed without outputs and names the tslab kernel`, () => {
      const notebook = readNotebook(file);
      assert.equal(notebook.metadata.kernelspec?.name, KERNEL_NAME);
      notebook.cells.forEach((cell, index) => {
        if (cell.cell_type !== "code") return;
        assert.deepEqual(cell.outputs, [], `${name}, cell ${index + 1} has outputs`);
        assert.equal(cell.execution_count, null, `${name}, cell ${index + 1} has an execution count`);
      });
    });
  }
});

describe("every notebook executes clean through the project's tslab kernel", () => {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), "executed-notebooks-"));
  for (const file of notebooks) {
    const name = path.basename(file);
    it(`${name}: no error output, nothing on stderr`, async () => {
      const executed = readNotebook(await executeNotebook(file, outputDir));
      assert.deepEqual(findProblems(executed, name), []);
    });
  }
});
