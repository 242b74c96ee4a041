/** The runnable page's cells (src/runnable/cell-code.ts): tslab's semantics, in Node. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cellFunction, compileCell } from "../../src/runnable/cell-code";

/** A notebook session: runs cells one after another on one scope, collecting console.log lines. */
function session(modules: Record<string, unknown> = {}) {
  const scope: Record<string, unknown> = {};
  const lines: string[] = [];
  const log = (...values: unknown[]) => lines.push(values.map(String).join(" "));
  const console = { log, info: log, debug: log, warn: log, error: log };
  const importModule = (name: string) => {
    if (!(name in modules)) throw new Error(`no module ${name}`);
    return modules[name];
  };
  return {
    scope,
    lines,
    run: (source: string) =>
      cellFunction(compileCell(source, Object.keys(scope)))(scope, console, importModule),
  };
}

describe("cells compiled for the page", () => {
  it("share top-level names, and a rerun may declare a const again", async () => {
    const notebook = session();
    await notebook.run("const rate: number = 0.1;\nlet steps = 3;");
    await notebook.run("console.log(rate * steps);");
    await notebook.run("const rate = 0.5;");
    await notebook.run("steps += 1; console.log(rate, steps);");
    assert.deepEqual(notebook.lines, [String(0.1 * 3), "0.5 4"]);
  });

  it("binds destructured names, hoists functions and declares classes", async () => {
    const notebook = session();
    await notebook.run(
      "console.log(double(2));\nconst [a, { b, c: [d] }] = [1, { b: 2, c: [3] }];\n" +
        "function double(n: number): number { return 2 * n; }\nclass Point { constructor(readonly x: number) {} }",
    );
    await notebook.run("console.log(a + b + d, new Point(7).x, double(a));");
    assert.deepEqual(notebook.lines, ["4", "6 7 2"]);
  });

  it("imports namespaces, names and defaults from the page's modules, and keeps imports used only later", async () => {
    const kit = { answer: 42, twice: (n: number) => 2 * n, default: "kit" };
    const notebook = session({ "../src": kit, tslab: { display: "d" } });
    await notebook.run(
      'import * as tslab from "tslab";\nimport label, { answer, twice as double } from "../src";\nimport type { X } from "../src";',
    );
    await notebook.run("console.log(tslab.display, label, answer, double(answer));");
    assert.deepEqual(notebook.lines, ["d kit 42 84"]);
    await assert.rejects(notebook.run('import * as fs from "node:fs";'), /no module node:fs/);
  });

  it("awaits at the top level and returns a last bare expression as the cell's result", async () => {
    const notebook = session();
    assert.equal(await notebook.run("const v = await Promise.resolve(20);\nv + 1"), 21);
    assert.equal(await notebook.run("const w = 1;"), undefined);
  });

  it("writes names back to the scope even when the cell throws", async () => {
    const notebook = session();
    await assert.rejects(notebook.run('const before = 1;\nthrow new RangeError("stop");'), /stop/);
    assert.equal(notebook.scope.before, 1);
  });

  it("reports code that does not parse as a SyntaxError", () => {
    assert.throws(() => compileCell("const = 3;", []), SyntaxError);
    assert.throws(() => compileCell("export const a = 1;", []), /cannot export/);
  });

  it("keeps cells' loops on local variables", () => {
    const { body, declared } = compileCell(
      "const data = [1, 2];\nfor (let i = 0; i < 2; i++) data[i] *= 2;",
      ["kit"],
    );
    assert.deepEqual(declared, ["data"]);
    assert.match(body, /^let __gdResult, kit = __gdScope\["kit"\], data = __gdScope\["data"\];/);
  });
});
