/** The sufficient-statistics form of the sum of squares: the same loss, gradient and iterates from a few sums. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import { meanSquaredError, sumOfSquaresWithGradient } from "../../src/problems/cubic-fit/losses";
import { sineData } from "../../src/problems/cubic-fit/polynomial";
import {
  sufficientStatistics,
  sumOfSquaresFromStatistics,
} from "../../src/problems/cubic-fit/sufficient-statistics";

const tiny = { x: new Float64Array([-1, 0, 2]), y: new Float64Array([1, 3, -2]) };

describe("sufficient statistics of a polynomial fit", () => {
  it("sums the powers of x and the moments x^k·y of a tiny dataset exactly", () => {
    const statistics = sufficientStatistics(tiny, 1);
    // S_m = Σ x^m: 3, (−1 + 0 + 2) = 1, (1 + 0 + 4) = 5; T_k = Σ x^k y: 1 + 3 − 2 = 2, −1 + 0 − 4 = −5.
    assert.deepEqual([...statistics.powerSums], [3, 1, 5]);
    assert.deepEqual([...statistics.momentSums], [2, -5]);
    assert.equal(statistics.sumOfSquaredTargets, 14);
  });

  it("gives the loss and gradient of the per-point loop", () => {
    const statistics = sufficientStatistics(tiny, 2);
    for (const theta of [
      [0, 0, 0],
      [1, -2, 0.5],
      [3, 0.25, -1],
    ]) {
      const direct = sumOfSquaresWithGradient(theta, tiny);
      const fromStatistics = sumOfSquaresFromStatistics(statistics, theta);
      assert.ok(Math.abs(direct.value - fromStatistics.value) < 1e-12, `loss at ${theta}`);
      direct.gradient.forEach((g, k) => assert.ok(Math.abs(g - fromStatistics.gradient[k]) < 1e-12));
    }
    assert.throws(() => sumOfSquaresFromStatistics(statistics, [1, 2]), /coefficients/);
    assert.throws(() => sumOfSquaresFromStatistics(statistics, [1, NaN, 2]), /coefficients\[1\]/);
    assert.throws(
      () => sufficientStatistics({ x: new Float64Array([0, Infinity]), y: new Float64Array(2) }, 1),
      /data\.x\[1\]/,
    );
    assert.throws(() => sufficientStatistics({ x: [0, 1], y: [1] } as never, 1), /same length/);
  });

  it("ends the article's 2000 iterations at the same coefficients within 1e-9", () => {
    const perPoint = fitPolynomial();
    const fast = fitPolynomial({ method: "sufficient-statistics" });
    perPoint.coefficients.forEach((c, k) => {
      const difference = Math.abs(c - fast.coefficients[k]) / Math.max(Math.abs(c), 1e-300);
      assert.ok(difference <= 1e-9, `coefficient ${k}: ${c} vs ${fast.coefficients[k]}`);
    });
    assert.ok(Math.abs(perPoint.loss - fast.loss) <= 1e-9 * perPoint.loss);
    assert.equal(fast.trajectory.stop.kind, "iterations");
  });

  it("runs 10 000 iterations to the optimum without a false divergence from rounding", () => {
    assert.equal(
      fitPolynomial({ method: "sufficient-statistics", iterations: 10_000 }).trajectory.stop.kind,
      "iterations",
    );
  });

  it("keeps the loss near the optimum accurate to 1e-13 relative (θᵀGθ − 2θᵀT + Σy² loses ~1e-12)", () => {
    const data = sineData();
    const statistics = sufficientStatistics(data, 3);
    const optimum = leastSquaresPolynomial().coefficients;
    // At the optimum and a hair away from it, where the uncentred form cancels most.
    for (const theta of [optimum, optimum.map((c, k) => c * (1 + 1e-7 * (k + 1)))]) {
      const direct = sumOfSquaresWithGradient(theta, data).value;
      const fromStatistics = sumOfSquaresFromStatistics(statistics, theta).value;
      assert.ok(
        Math.abs(fromStatistics - direct) <= 1e-13 * direct,
        `${fromStatistics} vs the per-point ${direct}`,
      );
    }
  });

  it("falls back to the uncentred loss when the data cannot determine every coefficient", () => {
    // Two distinct x for a quadratic: G is singular, there is no unique optimum to centre on.
    const statistics = sufficientStatistics(
      { x: new Float64Array([0, 1, 1]), y: new Float64Array([1, 2, 4]) },
      2,
    );
    assert.equal(statistics.centre, undefined);
    // θ = (1, 1, 1): predictions 1, 3, 3 → residuals 0, 1, −1 → loss 2; gradient 2Σ r·x^k = (0, 0, 0).
    const evaluation = sumOfSquaresFromStatistics(statistics, [1, 1, 1]);
    assert.equal(evaluation.value, 2);
    assert.deepEqual(evaluation.gradient, [0, 0, 0]);
  });

  it("rejects other losses and unknown methods, naming the option", () => {
    assert.throws(
      () => fitPolynomial({ method: "sufficient-statistics", loss: meanSquaredError }),
      /method "sufficient-statistics" needs the sum-of-squares loss.*mean squared error/,
    );
    assert.throws(() => fitPolynomial({ method: "fast" as never }), /method must be .* got "fast"/);
  });
});
