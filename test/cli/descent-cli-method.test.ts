/** `npm run descent -- --method …`: the step rules on the first article's function, from the command line. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runTool } from "../support/tools";

const descent = (...args: string[]) => runTool("src/tools/descent.ts", args);

function positions(stdout: string): number[][] {
  return stdout
    .split("\n")
    .filter((line) => /^\s*\d+\s/.test(line))
    .map((line) => line.trim().split(/\s+/).slice(1, 3).map(Number));
}

describe("npm run descent -- --method", () => {
  it("newton reaches (−1, 0) in one step; a fraction of the step halves the distance", () => {
    const full = descent("--method", "newton", "-i", "2");
    assert.equal(full.status, 0, full.stderr);
    assert.match(full.stdout, /^method: Newton$/m);
    assert.deepEqual(positions(full.stdout), [
      [2, 2],
      [-1, 0],
      [-1, 0],
    ]);
    assert.deepEqual(positions(descent("-m", "newton", "-l", "0.5", "-i", "1").stdout)[1], [0.5, 1]);
  });

  it("momentum's first two steps are the formula's: v = βv + g, x ← x − ηv", () => {
    const run = descent("-m", "momentum", "-l", "0.1", "--momentum", "0.5", "-i", "2");
    assert.equal(run.status, 0, run.stderr);
    const [, first, second] = positions(run.stdout);
    assert.deepEqual(first, [1.7, 1.9]);
    // g₁ = (2.7, 0.95), v₂ = (0.5·3 + 2.7, 0.5·1 + 0.95)
    assert.ok(
      Math.abs(second[0] - (1.7 - 0.1 * 4.2)) < 1e-7 && Math.abs(second[1] - (1.9 - 0.1 * 1.45)) < 1e-7,
    );
  });

  it("rmsprop's first step is TensorFlow.js's: s = (1 − ρ)g², x ← x − ηg/√(s + 1e-7)", () => {
    const run = descent("-m", "rmsprop", "-l", "0.1", "--decay", "0.5", "-i", "1");
    assert.equal(run.status, 0, run.stderr);
    const [, first] = positions(run.stdout);
    const expected = [2 - (0.1 * 3) / Math.sqrt(0.5 * 9 + 1e-7), 2 - (0.1 * 1) / Math.sqrt(0.5 * 1 + 1e-7)];
    assert.ok(
      first.every((v, i) => Math.abs(v - expected[i]) < 1e-6),
      `${first} vs ${expected}`,
    );
  });

  it("reports a diverging momentum run", () => {
    assert.match(descent("-m", "momentum", "-l", "5", "-i", "100").stdout, /diverged at iteration \d+/);
  });

  for (const [args, message] of [
    [
      ["-m", "lbfgs"],
      /--method must be one of plain, momentum, nesterov, adam, adagrad, rmsprop, newton, got "lbfgs"/,
    ],
    [
      ["-m", "momentum", "--momentum", "1"],
      /--momentum must be a number from 0 up to \(not including\) 1, got 1/,
    ],
    [["--momentum", "0.5"], /--momentum applies to momentum and nesterov, not to method "plain"/],
    [["-m", "adam", "--epsilon=0"], /--epsilon must be a finite positive number, got 0/],
    [["-m", "adam", "--beta1", "x"], /--beta1 must be a number, got "x"/],
    [["-m", "adam", "--decay", "0.5"], /--decay applies to rmsprop, not to method "adam"/],
    [
      ["-m", "adagrad", "--initial-accumulator=-1"],
      /--initial-accumulator must be a finite number ≥ 0, got -1/,
    ],
  ] as const) {
    it(`rejects ${args.join(" ")} with one line and exit code 2`, () => {
      const run = descent(...args);
      assert.equal(run.status, 2);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split("\n").length, 1);
    });
  }
});
