/**
 * The project's kernel speaks the Jupyter protocol as front ends and nbclient expect: Jupyter's own
 * kernel test suite (jupyter_kernel_test) passes, and a failed cell sends an error message
 * (ename, evalue, traceback) and an execute_reply carrying them, never stderr text.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { KERNEL_NAME, jupyterEnv } from "../../src/tools/jupyter";
import { PYTHON, driveKernel, noPythonModule, type CellReport, type KernelMessage } from "./drive";

type ErrorMessage = Extract<KernelMessage, { type: "error" }>;

function errorOf(report: CellReport | undefined, what: string): ErrorMessage {
  assert.ok(report?.idle, `${what}: its idle status arrived`);
  assert.equal(report.status, "error", `${what}: execute_reply status`);
  assert.equal(report.stderr, "", `${what}: nothing on stderr`);
  const errors = report.messages.filter((message): message is ErrorMessage => message.type === "error");
  assert.equal(errors.length, 1, `${what}: one error message`);
  return errors[0];
}

describe(
  "Jupyter's kernel test suite (jupyter_kernel_test)",
  { skip: noPythonModule("jupyter_kernel_test") },
  () => {
    it("passes against the project's kernel", () => {
      const result = spawnSync(PYTHON, ["-m", "unittest", "-v", "test_tslab_kernel"], {
        cwd: __dirname,
        env: { ...jupyterEnv(), KERNEL_NAME },
        encoding: "utf8",
        timeout: 5 * 60_000,
      });
      const log = `${result.stdout}${result.stderr}`;
      assert.equal(result.status, 0, log);
      assert.match(log, /^OK \(skipped=4\)$/m, log);
    });
  },
);

describe("failed cells", { skip: noPythonModule("jupyter_client") }, () => {
  const oneLineError = [
    "class ParameterError extends RangeError {",
    '  [Symbol.for("nodejs.util.inspect.custom")]() { return `${this.name}: ${this.message}`; }',
    "}",
    'throw new ParameterError("learningRate must be a positive number, got -1");',
  ].join("\n");
  const reports = driveKernel([
    "const greeting: string = 1;",
    "function deep() { const missing: any = undefined; return missing.value; }\ndeep();",
    oneLineError,
    'console.log("after the errors");',
    [
      'throw new Error("first of a run-all");',
      'console.log("queued behind it");',
      'console.log("also queued");',
    ],
    'console.log("sent after the run-all");',
  ]);

  it("reports a type error as a TSError naming the line, column and message", () => {
    const error = errorOf(reports[0], "the type error");
    assert.equal(error.ename, "TSError");
    assert.match(error.evalue, /^1:7 - Type 'number' is not assignable to type 'string'\.$/);
    assert.deepEqual(error.traceback, [error.evalue]);
  });

  it("reports a bug with its name, message and stack, without tslab's or Node's own frames", () => {
    const error = errorOf(reports[1], "the bug");
    assert.equal(error.ename, "TypeError");
    assert.match(error.evalue, /Cannot read properties of undefined \(reading 'value'\)/);
    const text = error.traceback.join("\n");
    assert.match(text, /TypeError: Cannot read properties of undefined/);
    assert.match(text, /at deep \(/, "the user's function is in the stack");
    assert.doesNotMatch(text, /node_modules[\\/]tslab|node:internal|node:vm/);
  });

  it("shows an error class with a nodejs.util.inspect.custom hook as its one line", () => {
    const error = errorOf(reports[2], "the validation error");
    assert.equal(error.ename, "RangeError");
    assert.equal(error.evalue, "learningRate must be a positive number, got -1");
    assert.deepEqual(error.traceback, ["RangeError: learningRate must be a positive number, got -1"]);
  });

  it("runs the next cell sent after an error's reply", () => {
    assert.equal(reports[3]?.status, "ok");
    assert.equal(reports[3].stdout, "after the errors\n");
  });

  it("aborts the cells queued behind a failed one (Run all), then accepts cells again", () => {
    errorOf(reports[4], "the failing cell of the run-all");
    assert.deepEqual(
      reports.slice(5, 7).map((report) => [report.status, report.stdout, report.idle]),
      [
        ["aborted", "", true],
        ["aborted", "", true],
      ],
    );
    assert.equal(reports[7]?.status, "ok");
    assert.equal(reports[7].stdout, "sent after the run-all\n");
  });
});
