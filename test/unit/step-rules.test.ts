/**
 * Step rules against numbers derived independently: first steps computed by hand from the
 * formulas, Newton's one step to the closed-form minimum, TensorFlow.js's own optimizers step by
 * step (float32), and the rates of the theory against measured runs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ARTICLE_MINIMUM, evaluateArticleFunction } from "../../src/problems/bowl/bowl";
import {
  GROWTH_TO_DIVERGE_MAY_RISE,
  describeStop,
  gradientDescent,
  plainStep,
  type StepRule,
} from "../../src/descent/loop";
import { adamStep, makeStepRule, momentumStep, nesterovStep, newtonStep } from "../../src/descent/step-rules";
import { decayingStep } from "../../src/descent/schedules";
import { largestPointDifference, tensorflowDescent } from "../../src/checks/tensorflow-optimizers";
import { articleTensorObjective, sumOfSquaresTensorObjective } from "../../src/checks/tensor-objectives";
import {
  compareRates,
  momentumRate,
  plainRate,
  predictedIterations,
  predictedIterationsByModes,
  rateTheory,
} from "../../src/analysis/rates";
import { convergenceFigure, rulePathsFigure } from "../../src/figures/step-rules";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { minibatchDescent, shuffledIndices } from "../../src/problems/cubic-fit/minibatch";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import { randomCoefficients, sineData } from "../../src/problems/cubic-fit/polynomial";
import {
  sufficientStatistics,
  sumOfSquaresFromStatistics,
} from "../../src/problems/cubic-fit/sufficient-statistics";
import { sumOfSquaresEvaluator } from "../../src/problems/cubic-fit/losses";
import { sumOfSquaresHessian, symmetricEigenvalues } from "../../src/analysis/hessian";
import { assertClose } from "../support/close";

const ARTICLE_HESSIAN = [
  [1, 0],
  [0, 0.5],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own state
function runArticle(rule: StepRule<any>, iterations: number, start = [2, 2]) {
  return gradientDescent({ start, evaluate: evaluateArticleFunction, rule, iterations });
}

describe("step rules: first steps on f(x, y) = ½x² + x + ¼y² − 2 from (2, 2), by hand", () => {
  // ∇f = (x + 1, y/2): at (2, 2) it is (3, 1).
  it("momentum: v = βv + g, x ← x − ηv", () => {
    const run = runArticle(momentumStep(0.1, 0.9), 2);
    // v₁ = (3, 1), x₁ = (2 − 0.3, 2 − 0.1); g₁ = (2.7, 0.95), v₂ = (0.9·3 + 2.7, 0.9·1 + 0.95).
    assertClose(run.points[1], [1.7, 1.9], 1e-15, "x₁");
    assertClose(run.points[2], [1.7 - 0.1 * (0.9 * 3 + 2.7), 1.9 - 0.1 * (0.9 * 1 + 0.95)], 1e-15, "x₂");
  });

  it("Nesterov: v = βv + g, x ← x − η(g + βv)", () => {
    const run = runArticle(nesterovStep(0.1, 0.9), 2);
    const x1 = [2 - 0.1 * (3 + 0.9 * 3), 2 - 0.1 * (1 + 0.9 * 1)];
    assertClose(run.points[1], x1, 1e-15, "x₁");
    const g1 = [x1[0] + 1, x1[1] / 2];
    const v2 = [0.9 * 3 + g1[0], 0.9 * 1 + g1[1]];
    assertClose(
      run.points[2],
      [x1[0] - 0.1 * (g1[0] + 0.9 * v2[0]), x1[1] - 0.1 * (g1[1] + 0.9 * v2[1])],
      1e-15,
      "x₂",
    );
  });

  it("Adam: the first step moves every coordinate by η (m̂ = g, ŝ = g²), the second as the formulas say", () => {
    const run = runArticle(adamStep(0.1), 2);
    assertClose(run.points[1], [2 - (0.1 * 3) / (3 + 1e-8), 2 - (0.1 * 1) / (1 + 1e-8)], 1e-15, "x₁");
    const g0 = [3, 1];
    const g1 = [run.points[1][0] + 1, run.points[1][1] / 2];
    const expected = run.points[1].map((x, i) => {
      const m = 0.9 * (0.1 * g0[i]) + 0.1 * g1[i];
      const s = 0.999 * (0.001 * g0[i] ** 2) + 0.001 * g1[i] ** 2;
      return x - (0.1 * (m / (1 - 0.9 ** 2))) / (Math.sqrt(s / (1 - 0.999 ** 2)) + 1e-8);
    });
    assertClose(run.points[2], expected, 1e-15, "x₂");
  });

  it("momentum with β = 0 is plain descent, step for step", () => {
    assert.deepEqual(runArticle(momentumStep(0.3, 0), 20).points, runArticle(plainStep(0.3), 20).points);
  });

  it("the decaying rule takes η/(1 + t/τ) at step t", () => {
    const run = runArticle(decayingStep(0.5, 2), 2);
    assertClose(run.points[1], [2 - 0.5 * 3, 2 - 0.5 * 1], 1e-15, "x₁");
    const rate = 0.5 / (1 + 1 / 2);
    assertClose(run.points[2], [0.5 - rate * 1.5, 1.5 - rate * 0.75], 1e-15, "x₂");
  });
});

describe("Newton's method on the exact Hessian", () => {
  it("reaches the first article's minimum (−1, 0) in one step from anywhere", () => {
    for (const start of [
      [2, 2],
      [-7.5, 3.25],
      [100, -40],
    ]) {
      const run = runArticle(
        newtonStep(() => ARTICLE_HESSIAN),
        3,
        start,
      );
      assert.deepEqual(run.points[1], [ARTICLE_MINIMUM.x, ARTICLE_MINIMUM.y]);
      assert.equal(run.stop.kind, "iterations");
    }
  });

  for (const [label, from, to] of [
    ["[−π, π]", -Math.PI, Math.PI],
    ["[−4π, 4π]", -4 * Math.PI, 4 * Math.PI],
  ] as const) {
    it(`reaches the least-squares cubic on ${label} in one step (float64 rounding of κ·ε)`, () => {
      const data = sineData(2000, from, to);
      const hessian = sumOfSquaresHessian(data, 3);
      const optimum = leastSquaresPolynomial({ data, degree: 3 }).coefficients;
      const run = gradientDescent({
        start: randomCoefficients(3, 4),
        evaluate: sumOfSquaresEvaluator(data, 3),
        rule: newtonStep(() => hessian),
        iterations: 1,
      });
      assertClose(run.points[1], optimum, 1e-8, "after one Newton step");
    });
  }

  it("goes the wrong way where the curvature is negative: h(x) = x⁴ − 3x² + x from x = 0.3 climbs to a maximum", () => {
    const evaluate = ([x]: readonly number[]) => ({
      value: x ** 4 - 3 * x ** 2 + x,
      gradient: [4 * x ** 3 - 6 * x + 1],
    });
    const run = gradientDescent({
      start: [0.3],
      evaluate,
      rule: newtonStep(([x]) => [[12 * x * x - 6]]),
      iterations: 20,
    });
    // h'(0.3) < 0, so descent moves right; h''(0.3) < 0, so Newton's step −h'/h'' moves left.
    assert.ok(run.points[1][0] < 0.3);
    assert.ok(run.values[1] > run.values[0], "h rose on the first Newton step");
    assert.equal(run.stop.kind, "diverged");
    assert.match(describeStop(run.stop), /rose on consecutive steps/);
  });
});

describe("step rules against TensorFlow.js's optimizers, step by step (float32 against float64)", () => {
  it("tf.train.momentum and its Nesterov form on the first article's function", () => {
    for (const [rule, optimizer] of [
      [momentumStep(0.1, 0.9), "momentum"],
      [nesterovStep(0.1, 0.9), "nesterov"],
    ] as const) {
      const kit = runArticle(rule, 50);
      const tf = tensorflowDescent({
        method: optimizer,
        learningRate: 0.1,
        momentum: 0.9,
        start: [2, 2],
        iterations: 50,
        objective: articleTensorObjective,
      });
      assert.equal(tf.points.length, 51);
      assert.ok(
        largestPointDifference(kit.points, tf.points) < 1e-5,
        `${optimizer}: ${largestPointDifference(kit.points, tf.points)}`,
      );
    }
  });

  // tf.train.adam computes the bias correction 1 − β₂ᵗ in float32: 1 − 0.998001 cancels six of
  // float32's seven digits, so its steps carry relative errors near 1e-5 and the paths agree to 1e-4.
  it("tf.train.adam on the first article's function and on the cubic", () => {
    const kit = runArticle(adamStep(0.1), 50);
    const tf = tensorflowDescent({
      method: "adam",
      learningRate: 0.1,
      start: [2, 2],
      iterations: 50,
      objective: articleTensorObjective,
    });
    assert.ok(largestPointDifference(kit.points, tf.points) < 1e-4);

    const data = sineData();
    const start = randomCoefficients(3, 0);
    const kitCubic = gradientDescent({
      start,
      evaluate: sumOfSquaresEvaluator(data, 3),
      rule: adamStep(0.01),
      iterations: 30,
    });
    const tfCubic = tensorflowDescent({
      method: "adam",
      learningRate: 0.01,
      start,
      iterations: 30,
      objective: sumOfSquaresTensorObjective(data),
    });
    assert.ok(largestPointDifference(kitCubic.points, tfCubic.points) < 1e-4);
  });

  it("tf.train.momentum on the cubic", () => {
    const data = sineData();
    const start = randomCoefficients(3, 0);
    const kit = gradientDescent({
      start,
      evaluate: sumOfSquaresEvaluator(data, 3),
      rule: momentumStep(1e-6, 0.9),
      iterations: 30,
    });
    const tf = tensorflowDescent({
      method: "momentum",
      learningRate: 1e-6,
      momentum: 0.9,
      start,
      iterations: 30,
      objective: sumOfSquaresTensorObjective(data),
    });
    assert.ok(
      largestPointDifference(kit.points, tf.points) < 1e-5,
      String(largestPointDifference(kit.points, tf.points)),
    );
  });
});

describe("rates from the Hessian's extreme eigenvalues", () => {
  it("plain descent's best rate is (κ − 1)/(κ + 1), momentum's (√κ − 1)/(√κ + 1), and each is the rate of its settings", () => {
    const eigenvalues = [1, 4, 100];
    const theory = rateTheory(eigenvalues);
    assert.equal(theory.conditionNumber, 100);
    assert.ok(Math.abs(theory.plain.rate - 99 / 101) < 1e-15);
    assert.ok(Math.abs(theory.momentum.rate - 9 / 11) < 1e-15);
    assert.ok(Math.abs(plainRate(eigenvalues, theory.plain.learningRate) - theory.plain.rate) < 1e-12);
    assert.ok(
      Math.abs(
        momentumRate(eigenvalues, theory.momentum.learningRate, theory.momentum.momentum) -
          theory.momentum.rate,
      ) < 1e-6,
    );
    // No other step size beats the best one.
    for (const eta of [0.005, 0.01, 0.019, 0.0199, 0.02, 0.05])
      assert.ok(plainRate(eigenvalues, eta) >= theory.plain.rate - 1e-15);
  });

  it("predicts iterations as ⌈ln ε / ln ρ⌉", () => {
    assert.equal(predictedIterations(0.5, 1e-3), 10); // 2⁻¹⁰ < 10⁻³ < 2⁻⁹
    assert.equal(predictedIterations(1, 1e-3), Infinity);
    assert.equal(predictedIterationsByModes([1, 0.5], 4 / 3, 0, 1e-6), predictedIterations(1 / 3, 1e-6));
  });

  it("measures what it predicts on the first article's function and on the cubic", () => {
    const article = compareRates({
      eigenvalues: [1, 0.5],
      optimum: [-1, 0],
      start: [2, 2],
      evaluate: evaluateArticleFunction,
    });
    assert.equal(article[0].measured, 13);
    assert.equal(article[0].predicted, 13);
    const data = sineData();
    const statistics = sufficientStatistics(data, 3);
    const eigenvalues = symmetricEigenvalues(sumOfSquaresHessian(data, 3));
    const cubic = compareRates({
      eigenvalues,
      optimum: statistics.centre!.optimum,
      start: randomCoefficients(3, 0),
      evaluate: (c) => sumOfSquaresFromStatistics(statistics, c),
    });
    for (const row of [...article, ...cubic]) {
      assert.ok(row.measured !== undefined, `${row.rule} reached the accuracy`);
      // The exact mode recurrence bounds the measured count (every mode shrinks at least that fast).
      assert.ok(
        row.measured <= row.predictedByModes,
        `${row.rule}: ${row.measured} ≤ ${row.predictedByModes}`,
      );
      assert.ok(
        row.measured >= 0.75 * row.predictedByModes,
        `${row.rule}: ${row.measured} near ${row.predictedByModes}`,
      );
    }
    assert.ok(cubic[1].measured! < cubic[0].measured! / 10, "momentum more than ten times faster on κ ≈ 325");
  });

  it("momentum's objective may rise for a while on a run that converges: judged by growth, not by rises", () => {
    const data = sineData(2000, -4 * Math.PI, 4 * Math.PI);
    const statistics = sufficientStatistics(data, 3);
    const theory = rateTheory(symmetricEigenvalues(sumOfSquaresHessian(data, 3)));
    const run = gradientDescent({
      start: randomCoefficients(3, 0),
      evaluate: (c) => sumOfSquaresFromStatistics(statistics, c),
      rule: momentumStep(theory.momentum.learningRate, theory.momentum.momentum),
      iterations: 2000,
    });
    assert.equal(run.stop.kind, "iterations");
    assert.ok(Math.max(...run.values) > 1e4 * run.values[0], "the transient climbs far above the start");
    // A momentum run that really diverges is still stopped, by growth.
    const diverging = runArticle(momentumStep(4, 0.5), 1000);
    assert.equal(diverging.stop.kind, "diverged");
    assert.ok(diverging.stop.kind === "diverged" && diverging.stop.factor === GROWTH_TO_DIVERGE_MAY_RISE);
  });
});

describe("makeStepRule and the rules' checks", () => {
  it("builds each rule by name", () => {
    assert.equal(makeStepRule({ method: "plain", learningRate: 0.1 }).name, "plain");
    assert.equal(
      makeStepRule({ method: "momentum", learningRate: 0.1, momentum: 0.5 }).name,
      "momentum (β = 0.5)",
    );
    assert.equal(makeStepRule({ method: "nesterov", learningRate: 0.1 }).name, "Nesterov (β = 0.9)");
    assert.match(makeStepRule({ method: "adam", learningRate: 0.1 }).name, /^Adam/);
    assert.equal(makeStepRule({ method: "newton", hessian: () => ARTICLE_HESSIAN }).name, "Newton");
  });

  it("names the parameter and the value", () => {
    assert.throws(
      () => momentumStep(0.1, 1),
      /momentum must be a number from 0 up to \(not including\) 1, got 1/,
    );
    assert.throws(() => momentumStep(-1), /learningRate must be a finite positive number, got -1/);
    assert.throws(() => adamStep(0.1, { beta2: -0.5 }), /beta2 .* got -0.5/);
    assert.throws(() => adamStep(0.1, { epsilon: 0 }), /epsilon must be a finite positive number, got 0/);
    assert.throws(() => makeStepRule({ method: "newton" }), /needs the Hessian/);
    assert.throws(
      () => makeStepRule({ method: "plain", learningRate: 0.1, momentum: 0.9 }),
      /momentum applies to momentum and nesterov/,
    );
    assert.throws(
      () => makeStepRule({ method: "lbfgs" as "plain", learningRate: 0.1 }),
      /method must be one of plain, momentum, nesterov, adam, adagrad, rmsprop, newton, got "lbfgs"/,
    );
    assert.throws(
      () =>
        runArticle(
          newtonStep(() => [[1]]),
          1,
        ),
      /the Hessian must be a 2 × 2 array of rows/,
    );
  });
});

describe("minibatch SGD on the cubic", () => {
  it("with a batch of all points is full-batch descent (same iterates up to the order of the sums)", () => {
    const sgd = minibatchDescent({ batchSize: 2000, epochs: 30, learningRate: 1e-6 });
    const full = fitPolynomial({ learningRate: 1e-6, iterations: 30 });
    assertClose(sgd.trajectory.points[30], full.trajectory.points[30], 1e-9, "after 30 steps");
    assert.deepEqual(sgd.gradientEvaluations.slice(0, 3), [0, 2000, 4000]);
  });

  it("draws every point once per epoch, from a seeded shuffle: one seed, one run", () => {
    const a = minibatchDescent({ batchSize: 300, epochs: 2, learningRate: 1e-6, seed: 5 });
    const b = minibatchDescent({ batchSize: 300, epochs: 2, learningRate: 1e-6, seed: 5 });
    assert.deepEqual(a.trajectory.points, b.trajectory.points);
    assert.equal(a.stepsPerEpoch, 7); // six batches of 300 and one of 200
    assert.equal(a.gradientEvaluations[7], 2000);
    assert.equal(a.gradientEvaluations[14], 4000);
    const order = shuffledIndices(10, () => 0.5);
    assert.deepEqual(
      [...order].sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });

  it("is judged by growth, not by noisy rises, and reports a learning rate that is too large", () => {
    const noisy = minibatchDescent({ batchSize: 5, epochs: 5, learningRate: 1e-6 });
    assert.equal(noisy.trajectory.stop.kind, "iterations");
    const tooLarge = minibatchDescent({ batchSize: 20, epochs: 5, learningRate: 1e-5 });
    assert.equal(tooLarge.trajectory.stop.kind, "diverged");
  });

  it("names bad settings", () => {
    assert.throws(
      () => minibatchDescent({ batchSize: 0, epochs: 1, learningRate: 1e-6 }),
      /batchSize must be a whole number from 1 to 2000, got 0/,
    );
    assert.throws(
      () => minibatchDescent({ batchSize: 1, epochs: 1000, learningRate: 1e-6 }),
      /epochs must be a whole number from 1 to 500, got 1000/,
    );
    assert.throws(
      () => minibatchDescent({ batchSize: 10, epochs: 1, learningRate: -1 }),
      /learningRate must be a finite positive number, got -1/,
    );
  });
});

describe("notebook 03's figures", () => {
  it("the convergence figure leaves out values a log axis cannot show, and says so", () => {
    const figure = convergenceFigure([
      { name: "Newton", values: [4, 1e-3, 0, -1e-15] },
      { name: "plain", values: [4, 2, 1], x: [0, 2000, 4000] },
    ]);
    const [newton, plain] = figure.data as { x: number[]; y: number[]; name: string }[];
    assert.deepEqual(newton.y, [4, 1e-3]);
    assert.match(newton.name, /reaches 0/);
    assert.deepEqual(plain.x, [0, 2000, 4000]);
  });

  it("rule paths are named by rule", () => {
    const figure = rulePathsFigure([runArticle(momentumStep(0.5, 0.5), 5)]);
    assert.match(
      (figure.data[1] as { name: string }).name,
      /^momentum \(β = 0\.5\), η = 0\.50: ran all 5 iterations$/,
    );
  });
});

describe("tensorflowDescent", () => {
  it("records the loss of every point, and stops where float32 overflows, keeping only finite points", () => {
    const run = tensorflowDescent({
      method: "plain",
      learningRate: 3,
      start: [2, 2],
      iterations: 200,
      objective: articleTensorObjective,
    });
    // x + 1 is multiplied by −2 per step: float32 overflows after about 128 doublings of its square.
    assert.equal(run.stop.kind, "diverged");
    assert.equal(run.values.length, run.points.length);
    assert.ok(run.points.flat().every(Number.isFinite) && run.values.every(Number.isFinite));
    run.points.forEach(([x, y], k) =>
      assertClose(0.5 * x * x + x + 0.25 * y * y - 2, run.values[k], 1e-5, `loss at ${k}`),
    );
    assert.throws(
      () =>
        tensorflowDescent({
          method: "plain",
          learningRate: 1,
          start: [1e30, 0],
          iterations: 1,
          objective: articleTensorObjective,
        }),
      /the loss is not a finite float32 number at the start \(1e\+30, 0\): Infinity/,
    );
    assert.throws(
      () =>
        tensorflowDescent({
          method: "lbfgs" as "plain",
          learningRate: 1,
          start: [0, 0],
          iterations: 1,
          objective: articleTensorObjective,
        }),
      /method must be one of plain, momentum, nesterov, adam, adagrad, rmsprop, newton, got "lbfgs"/,
    );
    assert.throws(
      () =>
        tensorflowDescent({
          method: "newton",
          learningRate: 1,
          start: [0, 0],
          iterations: 1,
          objective: articleTensorObjective,
        }),
      /method must be one of plain, momentum, nesterov, adam, adagrad, rmsprop \(TensorFlow.js has no newton\), got "newton"/,
    );
  });
});
