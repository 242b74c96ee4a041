import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Tensor1D } from "@tensorflow/tfjs";
import {
  checkAgainstAutodiff,
  checkAgainstFiniteDifferences,
  lossSubject,
  randomPoints,
  type GradientCheckSubject,
} from "../../src/checks/gradient-check";
import { coefficientNames, sineData } from "../../src/problems/cubic-fit/polynomial";
import { designMatrix, makeBasis } from "../../src/problems/cubic-fit/bases";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import {
  huberLoss,
  lossSlices,
  lossWithGradient,
  meanSquaredError,
  residuals,
  sumOfAbsoluteErrors,
  sumOfSquaresLoss,
  sumOfSquaresWithGradient,
  type Loss,
} from "../../src/problems/cubic-fit/losses";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import { loadTensorFlow } from "../../src/checks/tensorflow";
import { assertClose } from "../support/close";

const r = Float64Array.from([-2, -0.5, 0, 0.5, 3]);

describe("losses of the residuals, by hand", () => {
  it("sum of squares: 4 + 0.25 + 0 + 0.25 + 9 = 13.5, ∂L/∂r = 2r", () => {
    assert.equal(sumOfSquaresLoss.value(r), 13.5);
    assert.deepEqual(Array.from(sumOfSquaresLoss.derivatives(r)), [-4, -1, 0, 1, 6]);
  });

  it("mean squared error: 13.5 / 5 = 2.7, ∂L/∂r = 2r/5", () => {
    assertClose(meanSquaredError.value(r), 2.7, 1e-15, "MSE");
    assert.deepEqual(Array.from(meanSquaredError.derivatives(r)), [-0.8, -0.2, 0, 0.2, 1.2]);
  });

  it("sum of absolute errors: 6, ∂L/∂r = sign(r), 0 at r = 0", () => {
    assert.equal(sumOfAbsoluteErrors.value(r), 6);
    assert.deepEqual(Array.from(sumOfAbsoluteErrors.derivatives(r)), [-1, -1, 0, 1, 1]);
  });

  it("Huber (δ = 1): 1.5 + 0.125 + 0 + 0.125 + 2.5 = 4.25, ∂L/∂r = clamp(r, −1, 1)", () => {
    const huber = huberLoss(1);
    assert.equal(huber.value(r), 4.25);
    assert.deepEqual(Array.from(huber.derivatives(r)), [-1, -0.5, 0, 0.5, 1]);
    // continuous at |r| = δ: both pieces give δ²/2
    assert.equal(huberLoss(0.5).value(Float64Array.from([0.5])), 0.125);
  });

  it("rejects a bad δ and a bad loss, naming the value", () => {
    assert.throws(() => huberLoss(0), /delta must be a finite positive number, got 0/);
    assert.throws(() => huberLoss(Number.NaN), /delta must be a finite number, got NaN/);
    const design = designMatrix(makeBasis("monomial", 1), [0, 1]);
    assert.throws(() => lossWithGradient({} as Loss, design, [0, 1], [0, 0]), /loss must be a Loss/);
    assert.throws(() => residuals(design, [0, 0], [1]), /y must have 2 entries/);
    assert.throws(() => coefficientNames(0), /count must be a whole number from 1/);
  });
});

describe("the chain rule through the polynomial", () => {
  const data = sineData();

  it("with the sum of squares repeats the article's own gradient", () => {
    const design = designMatrix(makeBasis("monomial", 3), data.x);
    for (const point of randomPoints(20, 4, 31)) {
      const article = sumOfSquaresWithGradient(point, data);
      const general = lossWithGradient(sumOfSquaresLoss, design, data.y, point);
      assertClose(general.value, article.value, 1e-12, "loss");
      general.gradient.forEach((g, k) => assertClose(g, article.gradient[k], 1e-12, `grad[${k}]`));
    }
  });

  it("makes the mean only rescale the learning rate: MSE at n·η walks the article's path", () => {
    const article = fitPolynomial();
    const mean = fitPolynomial({ loss: meanSquaredError, learningRate: 2000 * 1e-6 });
    mean.trajectory.points.forEach((point, k) =>
      point.forEach((c, j) => assertClose(c, article.trajectory.points[k][j], 1e-9, `iteration ${k}, c${j}`)),
    );
  });

  const losses: [Loss, number][] = [
    [sumOfSquaresLoss, 1],
    [meanSquaredError, 1],
    [sumOfAbsoluteErrors, 1],
    [huberLoss(0.1), 1],
    [huberLoss(1), 1],
  ];
  for (const [loss] of losses) {
    it(`${loss.name}: hand gradient equals TensorFlow.js autodiff (tf.losses) at 200 random points`, () => {
      const report = checkAgainstAutodiff(lossSubject(loss, data), randomPoints(200, 4, 41));
      assert.ok(report.passed, JSON.stringify(report));
    });
  }

  it("the Legendre basis's gradient equals autodiff too", () => {
    const report = checkAgainstAutodiff(
      lossSubject(huberLoss(0.1), data, 5, "legendre"),
      randomPoints(50, 6, 43),
    );
    assert.ok(report.passed, JSON.stringify(report));
  });

  /** Central differences with a step small enough that no residual crosses a kink within it. */
  function smallStepDifferences(subject: GradientCheckSubject, point: number[], step: number): number[] {
    return point.map((_, k) => {
      const plus = [...point];
      const minus = [...point];
      plus[k] += step;
      minus[k] -= step;
      return (subject.objective(plus) - subject.objective(minus)) / (2 * step);
    });
  }

  it("the smooth losses pass the kit's central-difference check", () => {
    for (const loss of [sumOfSquaresLoss, meanSquaredError]) {
      const report = checkAgainstFiniteDifferences(lossSubject(loss, data), randomPoints(50, 4, 47));
      assert.ok(report.passed, JSON.stringify(report));
    }
  });

  it("the kinked losses equal small-step central differences where no residual is at a kink", () => {
    const step = 1e-5;
    for (const [loss, kinks] of [
      [sumOfAbsoluteErrors, [0]],
      [huberLoss(0.1), [-0.1, 0.1]],
    ] as const) {
      const subject = lossSubject(loss, data);
      const design = designMatrix(makeBasis("monomial", 3), data.x);
      let checked = 0;
      for (const point of randomPoints(40, 4, 53)) {
        // A step moves residual i by step·|x_i|^k ≤ 31·step: stay farther than that from every kink,
        // where both losses are piecewise linear or quadratic and central differences are exact.
        const nearKink = residuals(design, point, data.y).some((ri) =>
          kinks.some((kink) => Math.abs(ri - kink) < 40 * step),
        );
        if (nearKink) continue;
        checked++;
        const hand = subject.handGradient(point);
        // What float64 rounding of the loss allows: a few ulps of L, divided by the step.
        const allowed = (1e-14 * subject.objective(point)) / step;
        smallStepDifferences(subject, point, step).forEach((g, k) =>
          assert.ok(Math.abs(g - hand[k]) <= allowed, `${loss.name} ${k}: ${g} vs ${hand[k]} (±${allowed})`),
        );
      }
      assert.ok(checked >= 10, `only ${checked} points were away from the kinks`);
    }
  });

  it("takes sign(0) = 0 at an exact zero residual, where TensorFlow.js's abs takes a one-sided slope", () => {
    // x = 0 and x = 1 with y = 0 and 5: at c = 0 the residuals are exactly 0 and −5.
    const tiny = { x: Float64Array.from([0, 1]), y: Float64Array.from([0, 5]) };
    const subject = lossSubject(sumOfAbsoluteErrors, tiny, 1);
    // hand: ∂/∂a = sign(0)·1 + sign(−5)·1 = −1, ∂/∂b = sign(0)·0 + sign(−5)·1 = −1
    assert.deepEqual(subject.handGradient([0, 0]), [-1, -1]);
    // tf.losses.absoluteDifference takes |y − ŷ|, and tf.abs's gradient at 0 is −1 (step(u, −1)),
    // so at the zero residual tf's ∂/∂ŷ is +1: ∂/∂a = 1 − 1 = 0.
    const { tf } = loadTensorFlow();
    const gradient = tf.grad((c) => subject.tensorObjective(tf, c as Tensor1D));
    assert.deepEqual(Array.from(gradient(tf.tensor1d([0, 0])).dataSync()), [0, -1]);
  });
});

describe("the loss along each coefficient around the fit", () => {
  it("is the parabola L* + (H_kk/2)s² for the sum of squares, H_kk = 2Σx^(2k)", () => {
    const data = sineData();
    const optimum = leastSquaresPolynomial();
    const slices = lossSlices(data, optimum.coefficients, { span: 0.5, points: 11 });
    assert.deepEqual(
      slices.map((slice) => slice.coordinate),
      ["a", "b", "c", "d"],
    );
    slices.forEach((slice, k) => {
      const curvature = 2 * data.x.reduce((sum, x) => sum + x ** (2 * k), 0);
      assert.equal(slice.values.length, 11);
      assert.equal(slice.values[5], optimum.coefficients[k]);
      slice.values.forEach((value, j) => {
        const s = value - optimum.coefficients[k];
        assertClose(slice.losses[j], optimum.loss + (curvature / 2) * s * s, 1e-9, `slice ${k}, s = ${s}`);
      });
    });
  });

  it("rejects a bad span or number of points", () => {
    const data = sineData(20);
    assert.throws(
      () => lossSlices(data, [0, 1], { span: -1 }),
      /span\[0\] must be a finite positive number, got -1/,
    );
    assert.throws(() => lossSlices(data, [0, 1], { span: [1] }), /span must have 2 entries, got 1/);
    assert.throws(() => lossSlices(data, [0, 1], { points: 2 }), /points must be a whole number from 3/);
  });
});
