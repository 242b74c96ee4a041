/**
 * The newer surfaces (step rules, the TensorFlow.js optimizers, rate theory, figures) meet the
 * kit's standard: a mistake is refused in one line naming it, and no accepted value gives NaN or
 * Infinity. Each case here was a silent wrong result, a NaN or a misleading error before.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gradientDescent, plainStep, type StepRule } from "../../src/descent/loop";
import { adamStep, makeStepRule, newtonStep } from "../../src/descent/step-rules";
import { KitRangeError, KitTypeError } from "../../src/descent/validate";
import { evaluateArticleFunction } from "../../src/problems/bowl/bowl";
import { meanSquaredError } from "../../src/problems/cubic-fit/losses";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import {
  compareRates,
  predictedIterations,
  predictedIterationsByModes,
  rateTheory,
} from "../../src/analysis/rates";
import { tensorflowDescent } from "../../src/checks/tensorflow-optimizers";
import { articleTensorObjective, sumOfSquaresTensorObjective } from "../../src/checks/tensor-objectives";
import { writeFigureHtml } from "../../src/display/html";

const start = [2, 2];
const bowl = { start, evaluate: evaluateArticleFunction, iterations: 5 };

function refuses(
  run: () => unknown,
  message: RegExp,
  kind: new (...args: never[]) => Error = KitRangeError,
): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.match((error as Error).message, message);
    assert.ok(!(error as Error).message.includes("\n"), "one line");
    return true;
  });
}

describe("step rules and the loop refuse what they cannot run", () => {
  it("a rule whose update returns nothing, or a step of the wrong length, is named", () => {
    const broken = (step: unknown): StepRule<null> => ({
      name: "broken",
      learningRate: 0.1,
      init: () => null,
      update: () => step as { step: number[]; state: null },
    });
    refuses(
      () => gradientDescent({ ...bowl, rule: broken(undefined) }),
      /"broken" must return \{ step/,
      KitTypeError,
    );
    refuses(
      () => gradientDescent({ ...bowl, rule: broken({ step: [1], state: null }) }),
      /"broken" returned a step of length 1 for a point of length 2/,
    );
  });

  it("an unknown option is refused, not ignored", () => {
    refuses(
      () => gradientDescent({ ...bowl, learningRate: 0.1, tolerence: 1e-6 } as never),
      /no option "tolerence"/,
    );
    refuses(() => adamStep(0.1, { beta_2: 0.9 } as never), /no option "beta_2"/);
    refuses(
      () => makeStepRule({ method: "adam", learningRate: 0.1, beta_2: 0.9 } as never),
      /no option "beta_2"/,
    );
  });

  it("learningRate together with a rule is refused (it would be dropped)", () => {
    refuses(
      () => gradientDescent({ ...bowl, learningRate: 0.5, rule: plainStep(0.1) }),
      /either learningRate .* or rule/,
    );
  });

  it("Newton's rule at a singular or non-finite Hessian says so instead of 'diverged'", () => {
    refuses(
      () =>
        gradientDescent({
          ...bowl,
          rule: newtonStep(() => [
            [1, 1],
            [1, 1],
          ]),
        }),
      /Hessian at \(2, 2\) is singular/,
    );
    refuses(
      () =>
        gradientDescent({
          ...bowl,
          rule: newtonStep(() => [
            [NaN, 0],
            [0, 1],
          ]),
        }),
      /Hessian at \(2, 2\) is not finite/,
    );
  });
});

describe("tensorflowDescent refuses what the kit's own rules refuse", () => {
  const base = { method: "momentum" as const, learningRate: 0.1, start, iterations: 2 };
  it("momentum 1.5, β₂ = 1, a misplaced option, an unknown option", () => {
    refuses(
      () => tensorflowDescent({ ...base, momentum: 1.5, objective: articleTensorObjective }),
      /momentum must be a number from 0 up to/,
    );
    refuses(
      () =>
        tensorflowDescent({ ...base, method: "adam" as const, beta2: 1, objective: articleTensorObjective }),
      /beta2 must be a number from 0 up to/,
    );
    refuses(
      () => tensorflowDescent({ ...base, beta1: 0.5, objective: articleTensorObjective }),
      /beta1 applies to adam, not to method "momentum"/,
    );
    refuses(
      () => tensorflowDescent({ ...base, beta_2: 0.5, objective: articleTensorObjective } as never),
      /no option "beta_2"/,
    );
  });
  it("a start of the wrong length for the objective", () => {
    refuses(
      () => tensorflowDescent({ ...base, start: [1, 2, 3], objective: articleTensorObjective }),
      /start must have 2 entries, got 3/,
    );
    const data = { x: Float64Array.from([0, 1, 2]), y: Float64Array.from([0, 1, 4]) };
    refuses(
      () => tensorflowDescent({ ...base, start: [1, 2], objective: sumOfSquaresTensorObjective(data, 3) }),
      /start must have 4 entries, got 2/,
    );
  });
  it("degree 0 runs (the objective slices; unstacking one element failed)", () => {
    const data = { x: Float64Array.from([0, 1, 2]), y: Float64Array.from([1, 2, 3]) };
    const run = tensorflowDescent({
      method: "plain",
      learningRate: 0.1,
      start: [0],
      iterations: 1,
      objective: sumOfSquaresTensorObjective(data, 0),
    });
    // Σ(c − y)², gradient 2Σ(c − y) = −12 at c = 0: one step of 0.1 lands on 1.2 (float32).
    assert.ok(Math.abs(run.points[1][0] - 1.2) < 1e-6, String(run.points[1][0]));
    assert.equal(run.values[0], 14);
  });
});

describe("rate theory: finite answers or a clear refusal at the extremes", () => {
  it("eigenvalues near the top of the doubles: finite learning rates (2/(μ + L) does not overflow)", () => {
    const theory = rateTheory([1e308, 1.5e308]);
    // 2/(μ + L) = 2/2.5e308 = 8e-309 (a subnormal double), not 2/Infinity = 0.
    assert.ok(theory.plain.learningRate > 0 && Number.isFinite(theory.plain.learningRate));
    assert.ok(Math.abs(theory.plain.learningRate / 8e-309 - 1) < 1e-3);
    assert.ok(theory.momentum.learningRate > 0);
    assert.equal(theory.plain.rate, 0.2); // (κ − 1)/(κ + 1) with κ = 1.5
  });
  it("a condition number that overflows is refused, naming it", () => {
    refuses(() => rateTheory([1e-320, 1]), /condition number .* overflows/);
  });
  it("a rate within rounding of 1 still gives a large finite count, not 'never'", () => {
    // κ = 1e17: (κ − 1)/(κ + 1) rounds to 1, but the gap 2/(κ + 1) does not.
    const theory = rateTheory([1e-17, 1]);
    assert.equal(theory.plain.rate, 1);
    const count = predictedIterations(theory.plain.rate, 1e-6, theory.plain.gap);
    const expected = Math.log(1e-6) / Math.log1p(-2 / (1e17 + 1)); // ≈ 6.9e17
    assert.ok(Number.isFinite(count) && Math.abs(count / expected - 1) < 1e-9, String(count));
    assert.equal(predictedIterations(1, 1e-6), Infinity); // without the gap: no convergence
  });
  it("the mode prediction past its step limit extrapolates by the rate", () => {
    // Plain descent: the closed form (1 − ηλ)^k, exact at any count. η = 1 clears λ = 1 in one step;
    // λ = 1e-8 shrinks by 1 − 1e-8 per step (in float64, 1 − 1e-8 itself would be rounded).
    const slowest = Math.ceil(Math.log(1e-6) / Math.log1p(-1e-8));
    assert.ok(slowest > 1.38e9 && slowest < 1.39e9);
    assert.equal(predictedIterationsByModes([1e-8, 1], 1, 0, 1e-6), slowest);
    // Momentum with κ = 1e12 needs ~1.55e7 steps (the recurrence, run here by hand); with a limit
    // of 1e6 steps the prediction extrapolates by the rate: finite, between ρ's count and the truth.
    const theory = rateTheory([1e-12, 1]);
    const { learningRate: eta, momentum: beta } = theory.momentum;
    let truth: number;
    const modes = [1e-12, 1].map((lambda) => ({ lambda, previous: 1, current: 1 - eta * lambda }));
    for (let k = 1; ; k++) {
      if (modes.every((m) => Math.abs(m.current) <= 1e-6)) {
        truth = k;
        break;
      }
      for (const m of modes) {
        [m.previous, m.current] = [m.current, (1 + beta - eta * m.lambda) * m.current - beta * m.previous];
      }
    }
    const extrapolated = predictedIterationsByModes([1e-12, 1], eta, beta, 1e-6, 1_000_000);
    const byRate = Math.log(1e-6) / Math.log(theory.momentum.rate);
    assert.ok(extrapolated > byRate && extrapolated <= truth, `${byRate} < ${extrapolated} <= ${truth}`);
    assert.ok(extrapolated > 0.85 * truth, `${extrapolated} vs ${truth}`);
  });
  it("compareRates' predictions are finite where the runs are cut short", () => {
    const evaluate = (p: readonly number[]) => ({
      value: 0.5 * (1e-9 * p[0] ** 2 + p[1] ** 2),
      gradient: [1e-9 * p[0], p[1]],
    });
    const [plain, heavy] = compareRates({
      eigenvalues: [1e-9, 1],
      optimum: [0, 0],
      start: [1, 1],
      evaluate,
      maxIterations: 50,
    });
    assert.equal(plain.measured, undefined);
    assert.ok(Number.isFinite(plain.predicted) && plain.predicted > 1e9);
    assert.ok(Number.isFinite(heavy.predictedByModes) && heavy.predictedByModes > 1e4);
  });
});

describe("no NaN or Infinity out of losses and figures", () => {
  it("the mean squared error of no points is refused", () => {
    refuses(() => meanSquaredError.value(new Float64Array(0)), /mean squared error of no points/);
  });
  it("a raw figure holding NaN or Infinity is refused, naming the entry", () => {
    refuses(
      () => writeFigureHtml("/tmp/never-written.html", { data: [{ x: [1, NaN], y: [1, 2] }] } as never),
      /figures\.data\[0\]\.x\[1\] is NaN/,
    );
    refuses(
      () => writeFigureHtml("/tmp/never-written.html", [{ data: [{ z: [[1, Infinity]] }] }] as never),
      /figures\[0\]\.data\[0\]\.z\[0\]\[1\] is Infinity/,
    );
  });
});

describe("the least-squares refusal far from the origin points to a remedy that works", () => {
  it("fitting in t = (x − c)/h, as the message says, succeeds", () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => 1000 + i / 199);
    const y = x.map(Math.sin);
    let message = "";
    try {
      leastSquaresPolynomial({ data: { x, y }, degree: 12 });
    } catch (error) {
      message = (error as Error).message;
    }
    const remedy = /fit in t = \(x − ([\d.]+)\) \/ ([\d.]+) instead of x/.exec(message);
    assert.ok(remedy, message);
    const [center, halfWidth] = [Number(remedy[1]), Number(remedy[2])];
    const fit = leastSquaresPolynomial({
      data: { x: x.map((v) => (v - center) / halfWidth), y },
      degree: 12,
    });
    assert.ok(fit.loss < 1e-20, String(fit.loss)); // sin on a unit interval: degree 12 is exact to rounding
  });
});
