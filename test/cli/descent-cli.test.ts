/** The first article's program, run as a student would: `npm run descent -- …` (here through tsx). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { TABLE_HEAD_ROWS, TABLE_TAIL_ROWS } from "../../src/tools/descent";
import { PROJECT_ROOT } from "../../src/tools/jupyter";
import { assertClose } from "../support/close";
import { runTool } from "../support/tools";

const descent = (...args: string[]) => runTool("src/tools/descent.ts", args);

/** The table's rows as numbers: step, x, y, f. */
function rows(stdout: string): number[][] {
  return stdout
    .split("\n")
    .filter((line) => /^\s*\d+\s/.test(line))
    .map((line) => line.trim().split(/\s+/).slice(0, 4).map(Number));
}

describe("npm run descent", () => {
  for (const rate of [0.1, 1, 2]) {
    it(`prints the positions for η = ${rate} that the closed form gives`, () => {
      const run = descent("--learning-rate", String(rate), "--iterations", "10", "--x", "2", "--y", "2");
      assert.equal(run.status, 0, run.stderr);
      const table = rows(run.stdout);
      assert.equal(table.length, 11);
      table.forEach(([step, x, y, f]) => {
        // x_k + 1 = (1 − η)^k (x₀ + 1), y_k = (1 − η/2)^k y₀; the table prints 8 significant digits.
        const expectedX = -1 + (1 - rate) ** step * 3;
        const expectedY = (1 - rate / 2) ** step * 2;
        const expectedF = 0.5 * expectedX ** 2 + expectedX + 0.25 * expectedY ** 2 - 2;
        assertClose(x, expectedX, 1e-7, `x at ${step}`);
        assertClose(y, expectedY, 1e-7, `y at ${step}`);
        assertClose(f, expectedF, 1e-7, `f at ${step}`);
      });
      assert.match(run.stdout, /ran all 10 iterations/);
    });
  }

  it("uses the notebook's defaults and reports divergence with its iteration", () => {
    assert.equal(rows(descent().stdout).length, 11);
    const run = descent("-l", "2.5");
    assert.equal(run.status, 0);
    assert.match(run.stdout, /diverged at iteration 3/);
    assert.equal(rows(run.stdout).length, 4, "the path up to the divergence");
  });

  it("writes the figure to an offline HTML file with --out", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "descent-cli-"));
    try {
      const file = path.join(dir, "eta-1.html");
      const run = descent("-l", "1", "-o", file);
      assert.equal(run.status, 0, run.stderr);
      const html = readFileSync(file, "utf8");
      assert.match(html, /class="gd-figure"/);
      assert.match(html, /data-gd-plotly-bundle/);
      const figure = JSON.parse(/data-gd-figure="[^"]+">(.*?)<\/script>/s.exec(html)?.[1] ?? "null") as {
        data: { type: string; x?: number[] }[];
      };
      assert.ok(figure.data.some((trace) => trace.type === "surface"));
      const path3d = figure.data.find((trace) => trace.type === "scatter3d" && (trace.x?.length ?? 0) === 11);
      assert.ok(path3d, "the 11 positions as a 3-D path");
      assert.deepEqual(path3d.x?.slice(0, 3), [2, -1, -1]);
      assert.doesNotMatch(html, /<script[^>]+src="(https?|file):/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints its usage with --help", () => {
    const run = descent("--help");
    assert.equal(run.status, 0);
    assert.match(run.stdout, /--learning-rate/);
  });

  it("prints a bounded table at the iteration cap: the first and last steps, how many are left out", () => {
    const run = descent("--iterations", "1000000");
    assert.equal(run.status, 0, run.stderr);
    const table = rows(run.stdout);
    assert.equal(table.length, TABLE_HEAD_ROWS + TABLE_TAIL_ROWS);
    assert.deepEqual(
      table.map(([step]) => step),
      [
        ...Array.from({ length: TABLE_HEAD_ROWS }, (_, step) => step),
        ...Array.from({ length: TABLE_TAIL_ROWS }, (_, k) => 1_000_000 - TABLE_TAIL_ROWS + 1 + k),
      ],
    );
    assert.match(
      run.stdout,
      new RegExp(`⋮  \\(${1_000_001 - TABLE_HEAD_ROWS - TABLE_TAIL_ROWS} more steps; --all prints them\\)`),
    );
    assert.match(run.stdout, /ran all 1000000 iterations/);
    // At the minimum: x = −1 exactly, y underflows towards 0, f = −2.5.
    const [, x, y, f] = table[table.length - 1];
    assert.equal(x, -1);
    assert.ok(Math.abs(y) < 1e-300);
    assert.equal(f, -2.5);
    assert.ok(run.stdout.split("\n").length < 40);
  });

  it("prints every step with --all", () => {
    const run = descent("-i", "100", "--all");
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      rows(run.stdout).map(([step]) => step),
      Array.from({ length: 101 }, (_, step) => step),
    );
  });

  it("stops writing quietly when its reader goes away (| head), and still writes --out", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "descent-pipe-"));
    try {
      const file = path.join(dir, "figure.html");
      const command = `"${process.execPath}" --import tsx src/tools/descent.ts -i 20000 --all --out "${file}" | head -n 2`;
      const run = spawnSync("bash", ["-o", "pipefail", "-c", command], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
      });
      assert.equal(run.stderr, "", "no EPIPE stack trace");
      assert.equal(run.status, 0);
      assert.equal(run.stdout.split("\n").length, 3);
      assert.match(readFileSync(file, "utf8"), /class="gd-figure"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
