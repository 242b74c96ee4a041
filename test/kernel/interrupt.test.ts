/**
 * Interrupting a cell stops it, and a cell that fills the memory gets an error instead of killing
 * the kernel silently: tslab only stopped waiting for an interrupted async cell (its loop ran on
 * and printed into the next cell), and a full heap ended the process with neither error nor idle.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { driveKernelSession, noPythonModule, type CellReport, type KernelMessage } from "./drive";

type ErrorMessage = Extract<KernelMessage, { type: "error" }>;

function errorsOf(report: CellReport): ErrorMessage[] {
  return report.messages.filter((message): message is ErrorMessage => message.type === "error");
}

/** An async loop that counts and prints a line every 50 ms for 5 s. */
const asyncLoop = [
  "const counter = globalThis as unknown as { ticks: number; intervals: number };",
  "counter.ticks = 0;",
  "counter.intervals = 0;",
  "setInterval(() => counter.intervals++, 50);",
  "for (let i = 0; i < 100; i++) {",
  "  await new Promise((resolve) => setTimeout(resolve, 50));",
  "  counter.ticks++;",
  '  console.log("tick " + i);',
  "}",
].join("\n");
const readCounter = (label: string) =>
  "await new Promise((resolve) => setTimeout(resolve, 600));\n" +
  "const seen = globalThis as unknown as { ticks: number; intervals: number };\n" +
  `console.log("${label}", seen.ticks, seen.intervals);`;

describe("interrupting a cell", { skip: noPythonModule("jupyter_client") }, () => {
  const session = driveKernelSession(
    [{ source: asyncLoop, interruptAfter: 1 }, readCounter("next"), readCounter("later")],
    60,
  );
  const [loop, next, later] = session.cells;

  it("ends an awaiting cell with a one-line KeyboardInterrupt, then idle", () => {
    assert.ok(loop?.idle, "the interrupted cell's idle status arrived");
    assert.equal(loop.status, "error");
    const errors = errorsOf(loop);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].ename, "KeyboardInterrupt");
    assert.equal(errors[0].traceback.length, 1);
    const ticks = loop.stdout.trim().split("\n");
    assert.ok(ticks.length >= 2 && ticks.length < 100, `it ran for a while: ${ticks.length} lines`);
    assert.deepEqual(
      ticks,
      ticks.map((_, i) => `tick ${i}`),
    );
  });

  it("prints nothing of the interrupted cell in later cells, and its loop and timers stop", () => {
    assert.ok(next?.idle && later?.idle, "the later cells ran");
    const printed = loop.stdout.trim().split("\n").length;
    const nextLine = /^next (\d+) (\d+)\n$/.exec(next.stdout);
    const laterLine = /^later (\d+) (\d+)\n$/.exec(later.stdout);
    assert.ok(nextLine, `the next cell shows only its own line: ${JSON.stringify(next.stdout)}`);
    assert.ok(laterLine, `so does the one after: ${JSON.stringify(later.stdout)}`);
    // At most the iteration that was running when the interrupt came counts on, unprinted.
    assert.ok(
      Number(nextLine[1]) - printed <= 1,
      `the loop stopped: ${nextLine[1]} ticks, ${printed} printed`,
    );
    assert.equal(laterLine[1], nextLine[1], "no tick in the 0.6 s between the later cells");
    assert.equal(laterLine[2], nextLine[2], "its setInterval stopped too");
  });
});

describe("a cell that fills the memory", { skip: noPythonModule("jupyter_client") }, () => {
  const session = driveKernelSession(
    [
      "const hoard: number[][] = [];\nfor (;;) hoard.push(new Array(1e6).fill(1));",
      'console.log("still here");',
    ],
    120,
  );
  const [hoard, after] = session.cells;

  it("is stopped with a one-line error naming the memory, then idle", () => {
    assert.ok(hoard?.idle, "its idle status arrived");
    assert.equal(hoard.status, "error");
    const errors = errorsOf(hoard);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].ename, "OutOfMemory");
    assert.match(errors[0].evalue, /memory reached 85% of its \d+ MB heap limit/);
  });

  it("leaves the kernel alive for the next cell", () => {
    assert.equal(after?.stdout, "still here\n");
    assert.ok(session.alive);
  });
});

describe("kernel_info", { skip: noPythonModule("jupyter_client") }, () => {
  it("names the TypeScript that compiles the cells (tslab's own) and tslab's version", () => {
    const { kernelInfo } = driveKernelSession([]);
    const versionOf = (name: string) =>
      (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string })
        .version;
    assert.equal(kernelInfo.status, "ok");
    assert.equal(kernelInfo.language_info.version, versionOf("@tslab/typescript-for-tslab"));
    assert.equal(kernelInfo.implementation_version, versionOf("tslab"));
  });
});
