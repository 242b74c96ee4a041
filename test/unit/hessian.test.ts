import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  contractionFactors,
  predictQuadraticDescent,
  stabilityOf,
  sumOfSquaresHessian,
  symmetricEigen,
  symmetricEigenvalues,
} from "../../src/analysis/hessian";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import { sineData } from "../../src/problems/cubic-fit/polynomial";
import { sumOfSquaresGradient } from "../../src/problems/cubic-fit/losses";
import { assertClose } from "../support/close";

const multiply = (matrix: number[][], vector: number[]): number[] =>
  matrix.map((row) => row.reduce((sum, entry, j) => sum + entry * vector[j], 0));

/** λ_max by power iteration, independent of ml-matrix. */
function powerIterationLargest(matrix: number[][]): number {
  let v = matrix.map(() => 1);
  let lambda = 0;
  for (let step = 0; step < 5000; step++) {
    const w = multiply(matrix, v);
    const norm = Math.hypot(...w);
    lambda = w.reduce((sum, wi, i) => sum + wi * v[i], 0) / v.reduce((sum, vi) => sum + vi * vi, 0);
    v = w.map((wi) => wi / norm);
  }
  return lambda;
}

describe("eigenvalues of small symmetric matrices", () => {
  it("match the 2 × 2 closed form (a + c)/2 ± √(((a − c)/2)² + b²)", () => {
    const [a, b, c] = [3, 1.5, -2];
    const middle = (a + c) / 2;
    const radius = Math.hypot((a - c) / 2, b);
    const values = symmetricEigenvalues([
      [a, b],
      [b, c],
    ]);
    assertClose(values[0], middle - radius, 1e-14, "λ_min");
    assertClose(values[1], middle + radius, 1e-14, "λ_max");
  });

  it("match λ_k = 2 − 2cos(kπ/(n + 1)) for the n × n second-difference matrix", () => {
    const n = 6;
    const matrix = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)),
    );
    symmetricEigenvalues(matrix).forEach((value, k) =>
      assertClose(value, 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)), 1e-14, `λ_${k + 1}`),
    );
  });

  it("come with orthonormal eigenvectors: H v = λ v for the article's Hessian", () => {
    const hessian = sumOfSquaresHessian();
    const { values, vectors } = symmetricEigen(hessian);
    const scale = values[values.length - 1];
    vectors.forEach((v, i) => {
      multiply(hessian, v).forEach((hv, j) =>
        assertClose(hv / scale, (values[i] * v[j]) / scale, 1e-12, `(Hv)_${j}`),
      );
      vectors.forEach((w, j) =>
        assertClose(
          v.reduce((sum, vk, k) => sum + vk * w[k], 0),
          i === j ? 1 : 0,
          1e-12,
          `v${i}·v${j}`,
        ),
      );
    });
    const trace = hessian.reduce((sum, row, i) => sum + row[i], 0);
    assertClose(
      values.reduce((sum, value) => sum + value, 0),
      trace,
      1e-12,
      "Σλ = trace",
    );
  });

  it("reject non-square, non-symmetric and non-finite matrices", () => {
    assert.throws(() => symmetricEigenvalues([[1, 2]]), /matrix\[0\] must have 1 entries, got 2/);
    assert.throws(
      () =>
        symmetricEigenvalues([
          [1, 2],
          [3, 4],
        ]),
      /matrix must be symmetric, but matrix\[1\]\[0\] = 3 and matrix\[0\]\[1\] = 2/,
    );
    assert.throws(() => symmetricEigenvalues([[Number.NaN]]), /matrix\[0\]\[0\] must be a finite number/);
    assert.throws(() => symmetricEigenvalues([] as number[][]), /must be a non-empty array of rows/);
  });
});

describe("the Hessian of the sum of squares and the stable learning rates", () => {
  const data = sineData();

  it("is 2XᵀX: H[j][k] = 2 Σ x^(j+k), and equals the change of the hand gradient", () => {
    const hessian = sumOfSquaresHessian(data);
    for (let j = 0; j < 4; j++) {
      for (let k = 0; k < 4; k++) {
        const direct = 2 * data.x.reduce((sum, x) => sum + x ** (j + k), 0);
        // Rounding is relative to the terms' size, not to their sum: the odd powers cancel to ~0
        // (Node.js 24's ** rounds them differently from Node.js 20's).
        const scale = 2 * data.x.reduce((sum, x) => sum + Math.abs(x) ** (j + k), 0);
        assert.ok(
          Math.abs(hessian[j][k] - direct) <= 1e-12 * scale,
          `H[${j}][${k}]: ${hessian[j][k]} vs ${direct}`,
        );
      }
    }
    // The gradient is linear in the coefficients, so a difference of gradients is exact.
    const base = [0.3, -0.2, 0.1, 0.05];
    for (let k = 0; k < 4; k++) {
      const moved = [...base];
      moved[k] += 1;
      const column = sumOfSquaresGradient(moved, data).map((g, j) => g - sumOfSquaresGradient(base, data)[j]);
      column.forEach((value, j) => assertClose(value, hessian[j][k], 1e-9, `∂grad_${j}/∂c_${k}`));
    }
  });

  it("gives 2/λ_max and λ_max/λ_min as the eigenvalues say (λ_max checked by power iteration)", () => {
    const hessian = sumOfSquaresHessian(data);
    const stability = stabilityOf(hessian);
    assertClose(stability.largest, powerIterationLargest(hessian), 1e-10, "λ_max");
    assertClose(stability.largestStableLearningRate, 2 / stability.largest, 1e-15, "2/λ_max");
    assertClose(stability.conditionNumber, stability.largest / stability.smallest, 1e-15, "κ");
    assertClose(
      stability.bestLearningRate,
      2 / (stability.largest + stability.smallest),
      1e-15,
      "2/(λ_min + λ_max)",
    );
    // The article's 1e-6 is safe: about 0.28 of the limit.
    assert.ok(1e-6 < stability.largestStableLearningRate && stability.largestStableLearningRate < 4e-6);
  });

  it("draws the line between convergence and divergence at 2/λ_max", () => {
    const limit = stabilityOf(sumOfSquaresHessian(data)).largestStableLearningRate;
    // 1000 iterations keep the loss well above its rounding noise, which can rise by chance.
    const below = fitPolynomial({ learningRate: 0.99 * limit, iterations: 1000 });
    assert.equal(below.trajectory.stop.kind, "iterations");
    // Below the limit the loss of a quadratic never rises.
    below.trajectory.values.slice(1).forEach((value, k) => assert.ok(value <= below.trajectory.values[k]));
    const above = fitPolynomial({ learningRate: 1.01 * limit, iterations: 1000 });
    assert.equal(above.trajectory.stop.kind, "diverged");
  });

  it("predicts the descent in closed form: e_k = Σ (1 − ηλ_i)^k ⟨e₀, v_i⟩ v_i", () => {
    const hessian = sumOfSquaresHessian(data);
    const optimum = leastSquaresPolynomial().coefficients;
    const fit = fitPolynomial();
    for (const k of [1, 10, 500, 2000]) {
      const predicted = predictQuadraticDescent(hessian, optimum, fit.start, 1e-6, k).point;
      predicted.forEach((c, j) =>
        assertClose(c, fit.trajectory.points[k][j], 1e-9, `iteration ${k}, coefficient ${j}`),
      );
    }
    const { modes } = predictQuadraticDescent(hessian, optimum, fit.start, 1e-6, 2000);
    assert.deepEqual(
      modes.map((mode) => mode.factor),
      contractionFactors(
        modes.map((mode) => mode.eigenvalue),
        1e-6,
      ),
    );
  });

  it("on [−4π, 4π]: x³ reaches (4π)³ ≈ 1984, 2/λ_max drops over 1000-fold and κ passes 10⁶; scaling fixes κ", () => {
    const wide = sineData(2000, -4 * Math.PI, 4 * Math.PI);
    assertClose(wide.x[1999] ** 3, 1984.4017, 1e-7, "(4π)³");
    const narrowStability = stabilityOf(sumOfSquaresHessian(data));
    const wideStability = stabilityOf(sumOfSquaresHessian(wide));
    assert.ok(wideStability.largestStableLearningRate < narrowStability.largestStableLearningRate / 1000);
    assert.ok(wideStability.largestStableLearningRate < 1e-9);
    assert.ok(wideStability.conditionNumber > 1e6 && narrowStability.conditionNumber < 400);
    // The scaled and Legendre bases do not care how wide the interval is.
    const scaled = stabilityOf(sumOfSquaresHessian(wide, 3, "scaled")).conditionNumber;
    const legendre = stabilityOf(sumOfSquaresHessian(wide, 3, "legendre")).conditionNumber;
    assertClose(
      scaled,
      stabilityOf(sumOfSquaresHessian(data, 3, "scaled")).conditionNumber,
      1e-9,
      "scaled κ",
    );
    assert.ok(scaled < 100 && legendre < 10, `scaled ${scaled}, Legendre ${legendre}`);
  });

  it("rejects a Hessian that is not positive definite and bad learning rates", () => {
    assert.throws(
      () =>
        stabilityOf([
          [1, 0],
          [0, -1],
        ]),
      /positive definite, but its smallest eigenvalue is -1/,
    );
    assert.throws(() => contractionFactors([1], 0), /learningRate must be a finite positive number, got 0/);
    assert.throws(() => predictQuadraticDescent([[1]], [0], [1, 2], 0.1, 3), /start must have 1 entries/);
    assert.throws(
      () => predictQuadraticDescent([[1]], [0], [1], 0.1, -1),
      /iterations must be a whole number/,
    );
  });
});
