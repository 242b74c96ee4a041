import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coefficientsTable, runsTable } from "../../src/lessons/fit-report";
import { curvesFigure } from "../../src/figures/curves";
import { designMatrix, makeBasis } from "../../src/problems/cubic-fit/bases";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import {
  huberLoss,
  lossWithGradient,
  sumOfAbsoluteErrors,
  sumOfSquaresEvaluator,
  sumOfSquaresLoss,
} from "../../src/problems/cubic-fit/losses";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import { randomPoints } from "../../src/checks/gradient-check";
import { sineData } from "../../src/problems/cubic-fit/polynomial";
import { stabilityOf, sumOfSquaresHessian } from "../../src/analysis/hessian";
import {
  sufficientStatistics,
  sumOfSquaresFromStatistics,
} from "../../src/problems/cubic-fit/sufficient-statistics";

const data = sineData();

describe("the divergence verdict at every scale: no false alarm at a stable learning rate, none missed above it", () => {
  for (const degree of [11, 13, 15]) {
    it(`a Legendre fit of degree ${degree} at its best learning rate reaches the optimum and is not called diverged`, () => {
      const { bestLearningRate } = stabilityOf(sumOfSquaresHessian(data, degree, "legendre"));
      const fit = fitPolynomial({
        data,
        degree,
        basis: "legendre",
        learningRate: bestLearningRate,
        iterations: 3000,
      });
      assert.notEqual(fit.trajectory.stop.kind, "diverged", JSON.stringify(fit.trajectory.stop));
      const optimum = leastSquaresPolynomial({ data, degree });
      // the loss is ~1e-11 … 1e-16: converged means within rounding of the optimum's loss
      assert.ok(fit.loss - optimum.loss <= 1e-6 * optimum.loss + 1e-24, `${fit.loss} vs ${optimum.loss}`);
    });
  }

  it("every basis and degree up to 20 at 0.9 × 2/λ_max runs to its end without a false divergence", () => {
    for (const degree of [3, 9, 17, 20]) {
      const { largestStableLearningRate } = stabilityOf(sumOfSquaresHessian(data, degree, "legendre"));
      const fit = fitPolynomial({
        data,
        degree,
        basis: "legendre",
        learningRate: 0.9 * largestStableLearningRate,
        iterations: 2000,
      });
      assert.equal(fit.trajectory.stop.kind, "iterations", `degree ${degree}`);
    }
  });

  for (const loss of [sumOfAbsoluteErrors, huberLoss(1)]) {
    it(`${loss.name} at learning rate 3 is diverged (objective grew by orders of magnitude)`, () => {
      for (const risingStepsToDiverge of [undefined, 50]) {
        const fit = fitPolynomial({ data, learningRate: 3, loss, risingStepsToDiverge });
        assert.equal(fit.trajectory.stop.kind, "diverged");
      }
      // and where it climbs more slowly
      for (const learningRate of [0.1, 0.5]) {
        const fit = fitPolynomial({ data, learningRate, loss, risingStepsToDiverge: 50 });
        assert.equal(fit.trajectory.stop.kind, "diverged", `η = ${learningRate}`);
      }
    });
  }

  it("the sum of squares just above 2/λ_max diverges", () => {
    const { largestStableLearningRate } = stabilityOf(sumOfSquaresHessian(data, 3));
    const fit = fitPolynomial({ data, learningRate: 1.01 * largestStableLearningRate, iterations: 2000 });
    assert.equal(fit.trajectory.stop.kind, "diverged");
  });

  it("a diverged run is reported as such and never tabulated or drawn as a fit", () => {
    const blown = fitPolynomial({ data, learningRate: 3, loss: sumOfAbsoluteErrors });
    const good = fitPolynomial({ data });
    const row = (name: string, fit: typeof good) => ({
      name,
      coefficients: fit.coefficients,
      loss: fit.loss,
      stop: fit.trajectory.stop,
    });
    const table = coefficientsTable([row("absolute errors", blown), row("squares", good)]);
    const [, , blownRow, goodRow] = table.split("\n");
    assert.match(blownRow, /diverged at iteration/);
    assert.equal(blownRow.match(/—/g)?.length, 5, blownRow);
    assert.doesNotMatch(goodRow, /—/);
    assert.match(runsTable([{ label: "η = 3", trajectory: blown.trajectory }]), /diverged.*\|/);
    assert.throws(
      () =>
        curvesFigure({
          x: data.x,
          target: { name: "sin", y: data.y },
          curves: [
            { name: "absolute errors", coefficients: blown.coefficients, stop: blown.trajectory.stop },
          ],
        }),
      /curves\[0\] \(absolute errors\) diverged at iteration \d+.*: a diverged run has no fitted curve/,
    );
  });
});

describe("each evaluation reports its own rounding noise", () => {
  // Two evaluations of the same loss by different arithmetic (per point, design matrix,
  // sufficient statistics) may differ only by rounding: by no more than their noises together.
  it("the article's loop, the design-matrix form and the sufficient statistics agree within their noise", () => {
    for (const degree of [0, 1, 3, 6]) {
      const loop = sumOfSquaresEvaluator(data, degree);
      const design = designMatrix(makeBasis("monomial", degree), data.x);
      const statistics = sufficientStatistics(data, degree);
      const optimum = leastSquaresPolynomial({ data, degree, basis: "monomial" }).coefficients;
      const points = [optimum, ...randomPoints(5, degree + 1, degree, 1), optimum.map((c) => c * (1 + 1e-9))];
      for (const point of points) {
        const a = loop(point);
        const b = lossWithGradient(sumOfSquaresLoss, design, data.y, point);
        const c = sumOfSquaresFromStatistics(statistics, point);
        for (const e of [a, b, c])
          assert.ok(e.noise !== undefined && e.noise >= 0 && Number.isFinite(e.noise));
        assert.ok(
          Math.abs(a.value - b.value) <= a.noise! + b.noise!,
          `degree ${degree}: ${a.value} vs ${b.value}`,
        );
        assert.ok(
          Math.abs(a.value - c.value) <= a.noise! + c.noise!,
          `degree ${degree}: ${a.value} vs ${c.value}`,
        );
        // and it is a rounding bound, not a blanket: far below the loss itself
        assert.ok(a.noise! < 1e-9 * a.value + 1e-20, `noise ${a.noise} for loss ${a.value}`);
      }
    }
  });
});
