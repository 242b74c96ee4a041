/**
 * The project's kernel delivers every message a cell emits, in order, followed by the cell's idle
 * status: bursts of prints (tslab lost all but ~500 of them and the idle status with zeromq 6),
 * and a figure followed by prints, 50 times in one session. Driven through the Jupyter protocol
 * by jupyter_client, one cell at a time as the front ends do.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { driveKernel, noPythonModule, type CellReport } from "./drive";

const skip = noPythonModule("jupyter_client");

function lines(count: number, label = ""): string {
  return Array.from({ length: count }, (_, i) => `${label}${i}\n`).join("");
}

function assertWhole(report: CellReport | undefined, what: string): asserts report is CellReport {
  assert.ok(report, `${what}: the cell ran`);
  assert.ok(report.idle, `${what}: its idle status arrived`);
  assert.equal(report.status, "ok", `${what}: execute_reply status`);
  assert.equal(report.stderr, "", `${what}: nothing on stderr`);
  assert.deepEqual(report.messages[0], { type: "status", state: "busy" }, `${what}: busy comes first`);
  assert.deepEqual(report.messages.at(-1), { type: "status", state: "idle" }, `${what}: idle comes last`);
}

describe("the kernel under bursts of output", { skip }, () => {
  it("delivers 1000 and 5000 printed lines whole, in order, then idle", () => {
    const counts = [1000, 5000, 1000];
    const reports = driveKernel(counts.map((n) => `for (let i = 0; i < ${n}; i++) console.log(i);`));
    counts.forEach((count, i) => {
      assertWhole(reports[i], `${count} lines (cell ${i + 1})`);
      assert.equal(reports[i].stdout, lines(count), `${count} lines (cell ${i + 1}): every line, in order`);
    });
  });

  it("delivers a figure followed by prints, 50 times in one session, each whole and in order", () => {
    const setUp = `import { convexityFigure, setUpFigures, show } from "../src";\nsetUpFigures();`;
    const cell = (run: number): string =>
      `show(convexityFigure());\nfor (let i = 0; i < 30; i++) console.log(\`run ${run} line \${i}\`);`;
    const runs = Array.from({ length: 50 }, (_, run) => cell(run));
    const [first, ...reports] = driveKernel([setUp, ...runs]);
    assertWhole(first, "the set-up cell");
    assert.equal(reports.length, 50, "all 50 cells ran");
    reports.forEach((report, run) => {
      assertWhole(report, `run ${run}`);
      const kinds = report.messages.map((message) => message.type);
      assert.deepEqual(
        kinds.filter((kind) => kind !== "stream"),
        ["status", "display_data", "status"],
        `run ${run}: one figure`,
      );
      assert.ok(
        kinds.indexOf("display_data") < kinds.indexOf("stream"),
        `run ${run}: the figure, then the prints`,
      );
      assert.equal(report.stdout, lines(30, `run ${run} line `), `run ${run}: every line, in order`);
    });
  });
});
