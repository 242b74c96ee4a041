import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  autodiffGradient,
  coefficientsTable,
  eigenModesTable,
  gradientComparisonTable,
  progressHeader,
  progressRow,
  runsTable,
  stabilityTable,
  trajectorySnapshots,
} from "../../src/lessons/fit-report";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { formatNumber, markdownTable } from "../../src/text/tables";
import { linspace } from "../../src/problems/cubic-fit/polynomial";
import { predictQuadraticDescent, stabilityOf } from "../../src/analysis/hessian";
import { sumOfSquaresSubject } from "../../src/checks/gradient-check";
import { type Trajectory } from "../../src/descent/loop";

const cells = (table: string, row: number): string[] => {
  const line = table.split("\n")[row];
  return line
    .split("|")
    .slice(1, -1)
    .map((cell) => cell.trim());
};

describe("formatNumber", () => {
  it("rounds to significant digits, with exponents only for very large or small numbers", () => {
    assert.equal(formatNumber(0.85674084307378), "0.856741");
    assert.equal(formatNumber(8.817165410007036, 4), "8.817");
    assert.equal(formatNumber(3.5579468983466274e-6, 4), "3.558e-6");
    assert.equal(formatNumber(562121.936369932), "562122");
    assert.equal(formatNumber(2257135601.0585184, 3), "2.26e9");
    assert.equal(formatNumber(-1.0225885091433581e-16, 3), "-1.02e-16");
    assert.equal(formatNumber(0), "0");
    assert.equal(formatNumber(Number.NaN), "NaN");
  });
  it("names a bad digit count", () => {
    assert.throws(() => formatNumber(1, 0), /digits/);
  });
});

describe("markdownTable", () => {
  it("writes a header, a separator and the rows, escaping pipes", () => {
    assert.equal(markdownTable(["x", "y"], [["1", "a|b"]]), "| x | y |\n|---|---|\n| 1 | a\\|b |");
  });
  it("rejects a row of the wrong length, naming it", () => {
    assert.throws(() => markdownTable(["x", "y"], [["1"]]), /rows\[0\] must have 2 cells/);
  });
});

describe("coefficientsTable", () => {
  it("names the coefficients a, b, c, d and adds the loss column when a row has one", () => {
    const table = coefficientsTable([
      { name: "optimum", coefficients: [0, 0.5, 0, -0.25], loss: 8.5 },
      { name: "start", coefficients: [1, 2] },
    ]);
    assert.deepEqual(cells(table, 0), ["", "a", "b", "c", "d", "loss"]);
    assert.deepEqual(cells(table, 2), ["optimum", "0", "0.5", "0", "-0.25", "8.5"]);
    assert.deepEqual(cells(table, 3), ["start", "1", "2", "", "", ""]);
  });
});

const run = (learningRate: number, values: number[], stop: Trajectory["stop"]): Trajectory => ({
  learningRate,
  rule: "plain",
  points: values.map((v) => [v]),
  values,
  gradientNorms: values.map(() => 1),
  stop,
});

describe("runsTable", () => {
  it("gives the rate as a multiple of 2/λ_max and the gap to the optimum, and no loss for a diverged run", () => {
    const table = runsTable(
      [
        { label: "slow", trajectory: run(1e-6, [20, 12, 10], { kind: "iterations", iteration: 2 }) },
        {
          label: "too fast",
          trajectory: run(4e-6, [20, 40, 80, 160], {
            kind: "diverged",
            iteration: 3,
            cause: "objective-rising",
          }),
        },
      ],
      { largestStableLearningRate: 2e-6, optimumLoss: 8 },
    );
    assert.deepEqual(cells(table, 2), ["slow", "1e-6", "0.5", "2", "10", "2", "ran all 2 iterations"]);
    const diverged = cells(table, 3);
    assert.deepEqual(diverged.slice(0, 6), ["too fast", "4e-6", "2", "3", "—", "—"]);
    assert.match(diverged[6], /^diverged at iteration 3/);
  });
});

describe("stabilityTable and eigenModesTable", () => {
  it("report λ_min, λ_max, 2/λ_max and κ of a diagonal Hessian", () => {
    const stability = stabilityOf([
      [2, 0],
      [0, 8],
    ]);
    assert.deepEqual(cells(stabilityTable([{ name: "H", stability }]), 2), ["H", "2", "8", "0.25", "4"]);
  });
  it("report 1 − ηλ and the error left after k steps", () => {
    // H = diag(2, 8), optimum 0, start (1, 1), η = 0.1: factors 0.8 and 0.2, after 2 steps 0.64 and 0.04.
    const hessian = [
      [2, 0],
      [0, 8],
    ];
    const table = eigenModesTable(predictQuadraticDescent(hessian, [0, 0], [1, 1], 0.1, 2), 2);
    assert.deepEqual(cells(table, 2), ["2", "0.8", "1", "0.64", "0.64"]);
    assert.deepEqual(cells(table, 3), ["8", "0.2", "1", "0.04", "0.04"]);
  });
});

describe("gradientComparisonTable and autodiffGradient", () => {
  it("puts the hand gradient next to the reference with the relative error", () => {
    const table = gradientComparisonTable(["a", "b"], [2, 100], [2, 101]);
    assert.deepEqual(cells(table, 2), ["grad_a", "2", "2", "0"]);
    assert.deepEqual(cells(table, 3), ["grad_b", "100", "101", "0.0099"]);
  });
  it("autodiffGradient equals the closed form Σ 2(ŷ − y)x^k on a small data set", () => {
    // Three points, ŷ = a + bx at (a, b) = (1, 2): residuals ŷ − y.
    const x = Float64Array.from([-1, 0, 2]);
    const y = Float64Array.from([0, 1, 3]);
    const residuals = [1 - 2 - 0, 1 - 1, 1 + 4 - 3];
    const expected = [0, 1].map((k) => residuals.reduce((sum, r, i) => sum + 2 * r * x[i] ** k, 0));
    const gradient = autodiffGradient(sumOfSquaresSubject({ x, y }, 1), [1, 2]);
    gradient.forEach((g, k) => assert.ok(Math.abs(g - expected[k]) < 1e-5, `${g} vs ${expected[k]}`));
  });
});

describe("progress lines", () => {
  it("align the iteration, the coefficients and the loss under the header", () => {
    const header = progressHeader(2);
    const row = progressRow({ iteration: 99, coefficients: [0.5, -1.25], loss: 163.5876 });
    assert.deepEqual(header.trim().split(/\s+/), ["iteration", "a", "b", "loss"]);
    assert.deepEqual(row.trim().split(/\s+/), ["99", "0.5", "-1.25", "163.5876"]);
    assert.equal(row.length, header.length);
  });
});

describe("trajectorySnapshots", () => {
  it("returns the polynomials after the requested steps the run reached, in monomial coefficients", () => {
    const data = { x: linspace(-2, 2, 50), y: linspace(-2, 2, 50).map((v) => 3 * v) };
    const fit = fitPolynomial({
      data,
      degree: 1,
      learningRate: 1e-3,
      iterations: 10,
      basis: "scaled",
      start: [0, 0],
    });
    const snapshots = trajectorySnapshots(fit, [0, 5, 10, 20]);
    assert.deepEqual(
      snapshots.map((s) => s.name),
      ["start", "after 5 steps", "after 10 steps"],
    );
    // The scaled basis uses t = x/2, so the monomial slope is half the basis coefficient.
    assert.deepEqual(snapshots[2].coefficients, [
      fit.trajectory.points[10][0],
      fit.trajectory.points[10][1] / 2,
    ]);
  });
});
