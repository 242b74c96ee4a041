/**
 * Notebook 04's rules against numbers derived independently: closed-form steps of exact line search,
 * backtracking and the schedules; Armijo's condition recomputed here at every step of many generated
 * runs; the preconditioned condition number against an eigenvalue computation of P·H (not of
 * P^{1/2}HP^{1/2}, which src uses); Newton's digits doubling on a function with a closed-form
 * minimum; Adagrad and RMSProp against tf.train.adagrad and tf.train.rmsprop step by step.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import {
  ARTICLE_HESSIAN,
  BOYD_FUNCTION,
  NON_CONVEX_FUNCTION,
  SADDLE_FUNCTION,
  adagradStep,
  adamStep,
  articleTensorObjective,
  backtracking,
  backtrackingTrialCap,
  checkLessonFourParameters,
  constantSchedule,
  cosineDecay,
  cubicProblem,
  decayingStep,
  digitsTable,
  doublingSteps,
  energyErrors,
  evaluateArticleFunction,
  exactLineSearchStep,
  exponentialRamp,
  gradientDescent,
  inverseTimeDecay,
  iterationsToEnergyAccuracy,
  jacobiPreconditioner,
  basisPreconditioner,
  largestPointDifference,
  learningRateRangeTest,
  legendreChange,
  lineSearchDescent,
  linearWarmup,
  momentumStep,
  newtonStep,
  plainStep,
  preconditionedStep,
  preconditionedTheory,
  rmspropStep,
  scheduled,
  shiftedNewtonStep,
  sineData,
  stepDecay,
  sumOfSquaresHessian,
  sumOfSquaresTensorObjective,
  symmetricInverse,
  tensorflowDescent,
  type Evaluate,
  type StepRule,
} from "../../src/index";
import { assertClose } from "../support/close";

const bowl = (point: readonly number[]) => evaluateArticleFunction(point);
const bowlValue = (point: readonly number[]) => evaluateArticleFunction(point).value;

/** κ of P·H from ml-matrix's general (non-symmetric) eigenvalue solver: an independent route. */
function conditionOfProduct(p: number[][], h: number[][]): number {
  const values = new EigenvalueDecomposition(new Matrix(p).mmul(new Matrix(h))).realEigenvalues;
  return Math.max(...values) / Math.min(...values);
}

describe("schedules composed with a rule", () => {
  it("scale plain descent's step by s(t): closed form on the bowl", () => {
    const schedule = cosineDecay(10);
    const run = gradientDescent({
      start: [2, 2],
      evaluate: bowl,
      rule: scheduled(plainStep(0.5), schedule),
      iterations: 10,
    });
    let [x, y] = [2, 2];
    for (let t = 0; t < 10; t++) {
      const eta = 0.5 * 0.5 * (1 + Math.cos((Math.PI * t) / 10));
      [x, y] = [x - eta * (x + 1), y - eta * (y / 2)];
      assertClose(run.points[t + 1], [x, y], 1e-15, `x${t + 1}`);
    }
  });

  it("give each schedule's factor by its formula", () => {
    assert.equal(cosineDecay(100).factor(0), 1);
    assert.ok(Math.abs(cosineDecay(100).factor(50) - 0.5) < 1e-15);
    assert.equal(cosineDecay(100, 0.1).factor(100), 0.1);
    assert.equal(cosineDecay(100, 0.1).factor(500), 0.1);
    assert.equal(stepDecay(10, 0.1).factor(9), 1);
    assert.ok(Math.abs(stepDecay(10, 0.1).factor(25) - 0.01) < 1e-17);
    assert.equal(linearWarmup(4).factor(0), 0.25);
    assert.equal(linearWarmup(4).factor(3), 1);
    assert.equal(linearWarmup(4, stepDecay(2, 0.5)).factor(6), 0.5);
    assert.equal(inverseTimeDecay(5).factor(10), 1 / 3);
    assert.equal(exponentialRamp(1000, 4).factor(0), 1);
    assert.ok(Math.abs(exponentialRamp(1000, 4).factor(3) - 1000) < 1e-12);
    assert.equal(constantSchedule().factor(123), 1);
  });

  it("leave momentum's and Adam's own updates untouched: the same iterates as η_t = η·s(t) written out", () => {
    const schedule = stepDecay(3, 0.5);
    const run = gradientDescent({
      start: [2, 2],
      evaluate: bowl,
      rule: scheduled(momentumStep(0.3, 0.9), schedule),
      iterations: 12,
    });
    let v = [0, 0];
    let p = [2, 2];
    for (let t = 0; t < 12; t++) {
      const g = [p[0] + 1, p[1] / 2];
      v = v.map((vi, i) => 0.9 * vi + g[i]);
      p = p.map((pi, i) => pi - 0.3 * 0.5 ** Math.floor(t / 3) * v[i]);
      assertClose(run.points[t + 1], p, 1e-14, `x${t + 1}`);
    }
    const adam = gradientDescent({ start: [2, 2], evaluate: bowl, rule: adamStep(0.1), iterations: 30 });
    const scheduledAdam = gradientDescent({
      start: [2, 2],
      evaluate: bowl,
      rule: scheduled(adamStep(0.1), constantSchedule()),
      iterations: 30,
    });
    assert.deepEqual(scheduledAdam.points, adam.points);
  });

  it("make decayingStep an instance: η/(1 + t/τ) composed with plain descent, named as before", () => {
    const rule = decayingStep(0.5, 2);
    assert.equal(rule.name, "plain, η/(1 + t/2)");
    const composed = scheduled(plainStep(0.5), inverseTimeDecay(2));
    const a = gradientDescent({ start: [2, 2], evaluate: bowl, rule, iterations: 5 });
    const b = gradientDescent({ start: [2, 2], evaluate: bowl, rule: composed, iterations: 5 });
    assert.deepEqual(a.points, b.points);
  });

  it("refuse bad settings with one sentence naming the setting", () => {
    assert.throws(() => cosineDecay(0), /^RangeError: steps must be/);
    assert.throws(() => stepDecay(10, 1.5), /factor must be below 1/);
    assert.throws(() => linearWarmup(-1), /warmupSteps/);
    assert.throws(() => exponentialRamp(-2, 10), /ratio/);
  });
});

describe("exact line search on a quadratic", () => {
  it("takes t = gᵀg / gᵀHg: the first step on the bowl by hand", () => {
    const run = gradientDescent({
      start: [2, 2],
      evaluate: bowl,
      rule: exactLineSearchStep(ARTICLE_HESSIAN),
      iterations: 1,
    });
    // g = (3, 1), gᵀg = 10, gᵀHg = 9 + 0.5 = 9.5.
    const t = 10 / 9.5;
    assertClose(run.points[1], [2 - 3 * t, 2 - t], 1e-15, "x₁");
  });

  it("zigzags at right angles and shrinks the energy-norm error by at most (κ − 1)/(κ + 1) per step", () => {
    const data = sineData();
    const cubic = cubicProblem(0, data);
    for (const problem of [
      {
        start: [2, 2],
        evaluate: bowl,
        hessian: ARTICLE_HESSIAN.map((r) => [...r]),
        optimum: [-1, 0],
        kappa: 2,
      },
      {
        start: cubic.start,
        evaluate: cubic.evaluate,
        hessian: cubic.hessian,
        optimum: cubic.optimum,
        kappa: 0,
      },
    ]) {
      const values = new EigenvalueDecomposition(new Matrix(problem.hessian), { assumeSymmetric: true })
        .realEigenvalues;
      const kappa = Math.max(...values) / Math.min(...values);
      const run = gradientDescent({
        start: problem.start,
        evaluate: problem.evaluate,
        rule: exactLineSearchStep(problem.hessian),
        iterations: 200,
      });
      const errors = energyErrors(run.points, problem.optimum, problem.hessian);
      for (let k = 1; k < errors.length && errors[k] > 1e-7; k++) {
        assert.ok(errors[k] <= ((kappa - 1) / (kappa + 1)) * errors[k - 1] * (1 + 1e-9), `step ${k}`);
        const a = run.points[k].map((v, i) => v - run.points[k - 1][i]);
        const g = problem.evaluate(run.points[k]).gradient;
        const cosine = a.reduce((s, ai, i) => s + ai * g[i], 0) / (Math.hypot(...a) * Math.hypot(...g));
        assert.ok(
          Math.abs(cosine) < 1e-6,
          `step ${k}: the new gradient is orthogonal to the step (cos ${cosine})`,
        );
      }
    }
  });
});

describe("backtracking (Armijo) line search", () => {
  it("on ½λx² with λ = 3 from t₀ = 1, β = ½: rejects t = 1, accepts t = ½ (Armijo holds iff t ≤ 2(1 − c)/λ)", () => {
    const evaluate: Evaluate = ([x]) => ({ value: 1.5 * x * x, gradient: [3 * x] });
    const run = lineSearchDescent({
      start: [1],
      evaluate,
      objective: ([x]) => 1.5 * x * x,
      rule: plainStep(1),
      iterations: 3,
    });
    assert.deepEqual(run.trialsPerStep, [2, 2, 2]);
    assert.equal(run.functionEvaluations, 7);
    assertClose(run.trajectory.points[3], [-0.125], 1e-15, "x₃ = (1 − ½·3)³");
  });

  it("takes one trial per step on the bowl from t₀ = 1 (t* = gᵀg/gᵀHg ≥ 1 there)", () => {
    const run = lineSearchDescent({
      start: [2, 2],
      evaluate: bowl,
      objective: bowlValue,
      rule: plainStep(1),
      iterations: 20,
    });
    assert.ok(run.trialsPerStep.every((n) => n === 1));
    assert.equal(run.functionEvaluations, 21);
  });

  // Armijo recomputed here, from the points and a fresh gradient: f(x_{k+1}) ≤ f(x_k) + c ∇f(x_k)ᵀ(x_{k+1} − x_k).
  function assertArmijoAtEveryStep(
    points: readonly (readonly number[])[],
    evaluate: Evaluate,
    c: number,
    what: string,
  ): void {
    for (let k = 1; k < points.length; k++) {
      const before = evaluate(points[k - 1]);
      const after = evaluate(points[k]).value;
      const slope = before.gradient.reduce((s, g, i) => s + g * (points[k][i] - points[k - 1][i]), 0);
      assert.ok(
        after <= before.value + c * slope + 1e-13 * Math.max(Math.abs(after), Math.abs(before.value)),
        `${what}, step ${k}: ${after} > ${before.value} + ${c}·${slope}`,
      );
    }
  }

  it("satisfies the sufficient-decrease condition at every accepted step (generated settings, four functions, three directions)", () => {
    const cubic = cubicProblem(3);
    const subjects: {
      name: string;
      evaluate: Evaluate;
      value: (p: readonly number[]) => number;
      start: (u: number[]) => number[];
      rule: () => StepRule<unknown>;
    }[] = [
      {
        name: "bowl, −g",
        evaluate: bowl,
        value: bowlValue,
        start: ([a, b]) => [a * 50, b * 50],
        rule: () => plainStep(1),
      },
      {
        name: "cubic, −g",
        evaluate: cubic.evaluate,
        value: cubic.objective,
        start: (u) => u.map((v) => v * 2),
        rule: () => plainStep(1),
      },
      {
        name: "Boyd, Newton",
        evaluate: BOYD_FUNCTION.evaluate,
        value: BOYD_FUNCTION.value,
        start: ([a, b]) => [a, b / 3],
        rule: () => newtonStep(BOYD_FUNCTION.hessian),
      },
      {
        name: "g, shifted Newton",
        evaluate: NON_CONVEX_FUNCTION.evaluate,
        value: NON_CONVEX_FUNCTION.value,
        start: ([a, b]) => [a * 2, b * 2],
        rule: () => shiftedNewtonStep(NON_CONVEX_FUNCTION.hessian),
      },
      {
        name: "g, plain Newton (uphill directions replaced by −g)",
        evaluate: NON_CONVEX_FUNCTION.evaluate,
        value: NON_CONVEX_FUNCTION.value,
        start: ([a, b]) => [a * 0.7, b],
        rule: () => newtonStep(NON_CONVEX_FUNCTION.hessian),
      },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...subjects),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.boolean(),
        (subject, u, c, shrink, initialStep, warmStart) => {
          const start = subject.start(u).slice(0, subject.name.startsWith("cubic") ? 4 : 2);
          const run = lineSearchDescent({
            start,
            evaluate: subject.evaluate,
            objective: subject.value,
            rule: subject.rule(),
            iterations: 40,
            backtracking: { sufficientDecrease: c, shrink, initialStep, warmStart },
          });
          assertArmijoAtEveryStep(run.trajectory.points, subject.evaluate, c, subject.name);
          assert.equal(run.functionEvaluations, 1 + run.trialsPerStep.reduce((s, n) => s + n, 0));
          assert.ok(run.trajectory.values.every((v, k) => k === 0 || v <= run.trajectory.values[k - 1]));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("tries enough to shrink t₀ by 10²⁴: from t₀ = 10⁶ with β = 0.9 it still finds the bowl's scale", () => {
    assert.equal(backtrackingTrialCap(0.5), 80);
    assert.equal(backtrackingTrialCap(0.9), 525);
    const run = lineSearchDescent({
      start: [2, 2],
      evaluate: bowl,
      objective: bowlValue,
      rule: plainStep(1),
      iterations: 5,
      backtracking: { initialStep: 1e6, shrink: 0.9 },
    });
    // t ≤ 2(1 − c)t* with t* ∈ [1, 2]: the first 0.9ᵏ·10⁶ below 2(1 − c)t* is accepted, never a zero step.
    assert.ok(
      run.trajectory.points.every(
        (p, k) => k === 0 || p.some((v, i) => v !== run.trajectory.points[k - 1][i]),
      ),
    );
    assert.ok(
      run.trialsPerStep.every((n) => n > 100 && n < 200),
      `${run.trialsPerStep}`,
    );
  });

  it("refuses a bad c or β with one sentence naming it", () => {
    assert.throws(
      () => backtracking(plainStep(1), bowlValue, { sufficientDecrease: 1 }),
      /sufficientDecrease must be between 0 and 1/,
    );
    assert.throws(
      () => backtracking(plainStep(1), bowlValue, { shrink: 0 }),
      /shrink must be a finite positive number, got 0/,
    );
  });
});

describe("the learning-rate range test", () => {
  it("ramps η geometrically and records the closed-form losses of ½λx²", () => {
    const lambda = 4;
    const evaluate: Evaluate = ([x]) => ({ value: 0.5 * lambda * x * x, gradient: [lambda * x] });
    const test = learningRateRangeTest({ evaluate, start: [1], from: 1e-3, to: 1, steps: 40 });
    let x = 1;
    test.learningRates.forEach((eta, k) => {
      assert.ok(Math.abs(eta - 1e-3 * 1000 ** (k / 39)) < 1e-15 * 1000);
      x *= 1 - eta * lambda;
      assert.ok(
        Math.abs(test.values[k + 1] - 0.5 * lambda * x * x) <= 1e-12 * Math.max(1, test.values[k + 1]),
        `step ${k}`,
      );
    });
    // |1 − 4η| < 1 until η = 0.5 = 2/λ: the lowest loss comes before, the blow-up after it.
    assert.ok(test.lowest.learningRate < 0.5);
    assert.ok(test.blowUp !== undefined && test.blowUp > 0.5);
    assert.equal(test.suggestion, test.lowest.learningRate / 10);
  });

  it("on the cubic, suggests a stable η and blows up above 2/λmax", () => {
    const cubic = cubicProblem(0);
    const largest = Math.max(
      ...new EigenvalueDecomposition(new Matrix(cubic.hessian), { assumeSymmetric: true }).realEigenvalues,
    );
    const test = learningRateRangeTest({
      evaluate: cubic.evaluate,
      start: cubic.start,
      from: 1e-9,
      to: 1e-4,
      steps: 100,
    });
    assert.ok(test.suggestion < 2 / largest);
    assert.ok(test.blowUp !== undefined && test.blowUp > 2 / largest);
  });
});

describe("preconditioning", () => {
  const data = sineData();
  const h = sumOfSquaresHessian(data, 3);
  const identity = h.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));

  it("κ of the cubic: 325 plain, 23 with Jacobi, the Legendre basis's, 1 with H⁻¹ — against eigenvalues of P·H", () => {
    const cases = [
      { p: identity, near: 325.4 },
      { p: jacobiPreconditioner(h), near: 22.96 },
      { p: basisPreconditioner(legendreChange(data)), near: 6.979 },
      { p: symmetricInverse(h), near: 1 },
    ];
    for (const { p, near } of cases) {
      const ours = preconditionedTheory(h, p).conditionNumber;
      const independent = conditionOfProduct(p, h);
      assert.ok(Math.abs(ours - independent) <= 1e-6 * independent, `${ours} vs ${independent}`);
      assert.ok(Math.abs(ours - near) <= 1e-3 * near, `${ours} vs about ${near}`);
    }
    const legendre = new EigenvalueDecomposition(new Matrix(sumOfSquaresHessian(data, 3, "legendre")), {
      assumeSymmetric: true,
    }).realEigenvalues;
    assert.ok(
      Math.abs(
        preconditionedTheory(h, basisPreconditioner(legendreChange(data))).conditionNumber -
          Math.max(...legendre) / Math.min(...legendre),
      ) < 1e-9,
    );
  });

  it("the step −ηPg by hand, and the prediction ⌈ln ε / ln ρ⌉ never below the measured steps", () => {
    const p = jacobiPreconditioner(h);
    const cubic = cubicProblem(0, data);
    const run = gradientDescent({
      start: cubic.start,
      evaluate: cubic.evaluate,
      rule: preconditionedStep(p, 0.7),
      iterations: 1,
    });
    const g = cubic.evaluate(cubic.start).gradient;
    assertClose(
      run.points[1],
      cubic.start.map((c, i) => c - (0.7 * g[i]) / h[i][i]),
      1e-13,
      "x₁",
    );
    for (const seed of [0, 1, 2, 3]) {
      const problem = cubicProblem(seed, data);
      for (const pre of [identity, jacobiPreconditioner(h), basisPreconditioner(legendreChange(data))]) {
        const theory = preconditionedTheory(h, pre);
        const predicted = Math.ceil(Math.log(1e-6) / Math.log(theory.rate));
        const trajectory = gradientDescent({
          start: problem.start,
          evaluate: problem.evaluate,
          rule: preconditionedStep(pre, theory.learningRate),
          iterations: predicted + 5,
        });
        const measured = iterationsToEnergyAccuracy(trajectory.points, problem.optimum, h, 1e-6);
        assert.ok(
          measured !== undefined && measured <= predicted,
          `seed ${seed}: measured ${measured}, predicted ${predicted}`,
        );
      }
    }
  });
});

describe("Newton's method, fast and fragile", () => {
  it("Boyd's function: the hand gradient and Hessian against central differences, ∇f = 0 at (−½ ln 2, 0)", () => {
    const point = [-0.3, 0.2];
    const delta = 1e-6;
    const f = BOYD_FUNCTION.value;
    const numeric = [0, 1].map((i) => {
      const plus = [...point];
      const minus = [...point];
      plus[i] += delta;
      minus[i] -= delta;
      return (f(plus) - f(minus)) / (2 * delta);
    });
    assertClose(BOYD_FUNCTION.evaluate(point).gradient, numeric, 1e-8, "∇f");
    const hessianNumeric = [0, 1].map((i) => {
      const plus = [...point];
      const minus = [...point];
      plus[i] += delta;
      minus[i] -= delta;
      return BOYD_FUNCTION.evaluate(plus).gradient.map(
        (g, j) => (g - BOYD_FUNCTION.evaluate(minus).gradient[j]) / (2 * delta),
      );
    });
    hessianNumeric.forEach((row, i) => assertClose(BOYD_FUNCTION.hessian(point)[i], row, 1e-7, `H[${i}]`));
    assert.ok(Math.hypot(...BOYD_FUNCTION.evaluate(BOYD_FUNCTION.minimum.point).gradient) < 1e-15);
    assert.equal(BOYD_FUNCTION.minimum.value, f(BOYD_FUNCTION.minimum.point));
  });

  it("doubles its correct digits per step near the minimum: digits_{k+1} ≥ 1.8 digits_k and e_{k+1}/e_k² bounded", () => {
    const run = gradientDescent({
      start: [-1, 1],
      evaluate: BOYD_FUNCTION.evaluate,
      rule: newtonStep(BOYD_FUNCTION.hessian),
      iterations: 8,
    });
    const [mx, my] = [-0.5 * Math.log(2), 0];
    const errors = run.points.map(([x, y]) => Math.hypot(x - mx, y - my));
    // The quadratic phase: from an error below 0.05 down to float64's floor.
    const phase = errors.map((_, k) => k).filter((k) => errors[k] < 0.05 && errors[k] > 1e-14);
    assert.ok(phase.length >= 3, `steps in the quadratic phase: ${phase}`);
    for (const k of phase.slice(1)) {
      assert.ok(
        -Math.log10(errors[k]) >= 1.8 * -Math.log10(errors[k - 1]),
        `step ${k}: ${errors[k - 1]} → ${errors[k]}`,
      );
      assert.ok(
        errors[k] / errors[k - 1] ** 2 < 2,
        `step ${k}: e_k/e_{k−1}² = ${errors[k] / errors[k - 1] ** 2}`,
      );
    }
    const table = digitsTable(run.points, [mx, my]);
    assert.deepEqual(doublingSteps(table), [4, 5, 6]);
  });

  it("goes to the saddle of g from (0.3, 1), while damped Newton with a shifted Hessian descends to a minimum", () => {
    // The stationary point of g between its minima: 4x³ − 6x + 1 = 0 on (0, 0.5), by bisection.
    let [low, high] = [0, 0.5];
    for (let i = 0; i < 200; i++) {
      const mid = (low + high) / 2;
      if (4 * mid ** 3 - 6 * mid + 1 > 0) low = mid;
      else high = mid;
    }
    const plain = gradientDescent({
      start: [0.3, 1],
      evaluate: NON_CONVEX_FUNCTION.evaluate,
      rule: newtonStep(NON_CONVEX_FUNCTION.hessian),
      iterations: 30,
      tolerance: 1e-12,
    });
    const end = plain.points[plain.points.length - 1];
    assertClose(end, [low, 0], 1e-12, "plain Newton's end");
    assert.ok(12 * low * low - 6 < 0, "a maximum along x: a saddle of g");
    const damped = lineSearchDescent({
      start: [0.3, 1],
      evaluate: NON_CONVEX_FUNCTION.evaluate,
      objective: NON_CONVEX_FUNCTION.value,
      rule: shiftedNewtonStep(NON_CONVEX_FUNCTION.hessian),
      iterations: 30,
      tolerance: 1e-12,
    });
    const [dx, dy] = damped.trajectory.points[damped.trajectory.points.length - 1];
    assert.ok(Math.abs(4 * dx ** 3 - 6 * dx + 1) < 1e-10 && Math.abs(dy) < 1e-10);
    assert.ok(12 * dx * dx - 6 > 0, "a minimum");
    assert.ok(damped.trajectory.values.every((v, k) => k === 0 || v < damped.trajectory.values[k - 1]));
  });

  it("x² − y²: Newton lands on the saddle in one step from anywhere; descent leaves after ⌈ln(1/y₀)/ln(1 + 2η)⌉ steps", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (x, y) => {
          const run = gradientDescent({
            start: [x, y],
            evaluate: SADDLE_FUNCTION.evaluate,
            rule: newtonStep(SADDLE_FUNCTION.hessian),
            iterations: 1,
          });
          assertClose(run.points[1], [0, 0], 1e-15, "Newton's step");
        },
      ),
    );
    const descent = gradientDescent({
      start: [1, 1e-3],
      evaluate: SADDLE_FUNCTION.evaluate,
      learningRate: 0.1,
      iterations: 100,
      risingStepsToDiverge: 1000,
    });
    assert.equal(
      descent.points.findIndex(([, y]) => Math.abs(y) >= 1),
      Math.ceil(Math.log(1e3) / Math.log(1.2)),
    );
  });
});

describe("Adagrad and RMSProp in TensorFlow.js's forms", () => {
  it("first two steps on the bowl by hand (G₀ = 0.1, ε = 1e-7 inside the root)", () => {
    const adagrad = gradientDescent({ start: [2, 2], evaluate: bowl, rule: adagradStep(0.5), iterations: 2 });
    let g = [3, 1];
    let G = g.map((gi) => 0.1 + gi * gi);
    let p = [2, 2].map((v, i) => v - (0.5 * g[i]) / Math.sqrt(G[i] + 1e-7));
    assertClose(adagrad.points[1], p, 1e-15, "Adagrad x₁");
    g = [p[0] + 1, p[1] / 2];
    G = G.map((Gi, i) => Gi + g[i] * g[i]);
    p = p.map((v, i) => v - (0.5 * g[i]) / Math.sqrt(G[i] + 1e-7));
    assertClose(adagrad.points[2], p, 1e-15, "Adagrad x₂");
    const rmsprop = gradientDescent({
      start: [2, 2],
      evaluate: bowl,
      rule: rmspropStep(0.5, { decay: 0.8 }),
      iterations: 1,
    });
    assertClose(
      rmsprop.points[1],
      [2, 2].map((v, i) => v - (0.5 * [3, 1][i]) / Math.sqrt(0.2 * [3, 1][i] ** 2 + 1e-7)),
      1e-15,
      "RMSProp x₁",
    );
  });

  it("take the same steps as tf.train.adagrad and tf.train.rmsprop, step by step, to float32 precision", () => {
    const data = sineData();
    const cubic = cubicProblem(0, data);
    const cases = [
      { start: [2, 2], evaluate: bowl, objective: articleTensorObjective, steps: 50, eta: 0.1 },
      { start: [-3, 0.5], evaluate: bowl, objective: articleTensorObjective, steps: 50, eta: 1 },
      {
        start: cubic.start,
        evaluate: cubic.evaluate,
        objective: sumOfSquaresTensorObjective(data, 3),
        steps: 10, // RMSProp carries float32 rounding into its normalised steps once a gradient nears 0
        eta: 0.1,
      },
    ];
    for (const c of cases) {
      for (const [optimizer, rule, settings] of [
        ["adagrad", adagradStep(c.eta), {}],
        ["adagrad", adagradStep(c.eta, { initialAccumulator: 0.5 }), { initialAccumulator: 0.5 }],
        ["rmsprop", rmspropStep(c.eta), {}],
        ["rmsprop", rmspropStep(c.eta, { decay: 0.5, epsilon: 1e-6 }), { decay: 0.5, epsilon: 1e-6 }],
      ] as const) {
        const ours = gradientDescent({ start: c.start, evaluate: c.evaluate, rule, iterations: c.steps });
        const theirs = tensorflowDescent({
          method: optimizer,
          learningRate: c.eta,
          ...settings,
          start: c.start,
          iterations: c.steps,
          objective: c.objective,
        });
        assert.equal(theirs.points.length, ours.points.length);
        const difference = largestPointDifference(ours.points, theirs.points);
        assert.ok(
          difference < 1e-5,
          `${optimizer} ${JSON.stringify(settings)} from ${c.start}: ${difference}`,
        );
      }
    }
  });
});

describe("notebook 04's parameters cell", () => {
  const defaults = {
    x: 2,
    y: 2,
    accuracy: 1e-6,
    maxIterations: 20000,
    initialStep: 1,
    shrink: 0.5,
    sufficientDecrease: 1e-4,
    seed: 0,
    rangeFrom: 1e-9,
    rangeTo: 1e-4,
    rangeSteps: 100,
    learningRate: 2e-6,
    batchSize: 20,
    epochs: 30,
    adaptiveLearningRate: 0.1,
    tensorflowSteps: 50,
  };
  it("accepts the defaults and refuses each bad value with one line naming the parameter", () => {
    checkLessonFourParameters(defaults);
    for (const [name, value] of [
      ["x", 1e4],
      ["accuracy", 0],
      ["maxIterations", 2.5],
      ["initialStep", -1],
      ["shrink", 1],
      ["sufficientDecrease", 0.7],
      ["seed", -1],
      ["rangeFrom", 0],
      ["rangeTo", 1e-10],
      ["rangeSteps", 5],
      ["learningRate", Number.NaN],
      ["batchSize", 0],
      ["epochs", 1000],
      ["adaptiveLearningRate", 0],
      ["tensorflowSteps", 1e4],
    ] as const) {
      assert.throws(
        () => checkLessonFourParameters({ ...defaults, [name]: value }),
        (error: Error) => error.message.startsWith(`${name} `) && !error.message.includes("\n"),
        `${name} = ${value}`,
      );
    }
    assert.throws(() => checkLessonFourParameters({ ...defaults, x: -1, y: 0 }), /is the minimum itself/);
  });
});
