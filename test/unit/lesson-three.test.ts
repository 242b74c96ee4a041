/**
 * Notebook 03's analysis and sentences against numbers derived independently: closed forms
 * checked by brute force over β, η and the roots of each rule's characteristic polynomial, the
 * gaps by modes against a momentum loop written here, the per-point SGD limit point by point,
 * and the parameters cell's errors naming each parameter.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bestMomentumForStep,
  bestPlainStepForHorizon,
  momentumRate,
  nesterovRate,
  quadraticGaps,
  stabilityLimits,
  stiffModePeak,
  unitDiagonalConditionNumber,
} from "../../src/analysis/rates";
import { describeStop, gradientDescent } from "../../src/descent/loop";
import {
  adamStep,
  momentumStep as momentumOf,
  nesterovStep as nesterovOf,
} from "../../src/descent/step-rules";
import {
  LESSON_THREE_LIMITS,
  checkLessonThreeParameters,
  exerciseOneAnswer,
  lessonThreeProblems,
  stableRangesMarkdown,
  type LessonThreeParameters,
} from "../../src/lessons/lesson-three";
import { evaluateArticleFunction } from "../../src/problems/bowl/bowl";
import { singlePointStability } from "../../src/problems/cubic-fit/minibatch";
import { sineData } from "../../src/problems/cubic-fit/polynomial";
import { cubicHessian, jacobiEigenvalues } from "../support/independent";

/** The larger |root| of z² − b z + c, by the quadratic formula in complex arithmetic. */
function largestRootModulus(b: number, c: number): number {
  const d = b * b - 4 * c;
  if (d < 0) return Math.sqrt(c);
  return Math.max(Math.abs((b + Math.sqrt(d)) / 2), Math.abs((b - Math.sqrt(d)) / 2));
}

describe("exercise 1: the best momentum for a given step, in closed form", () => {
  it("is max over λ of (1 − √(ηλ))², with rate √β*, and no β on a fine grid does better", () => {
    for (const eta of [0.3, 1, 1.5, 2.5, 3.5]) {
      const best = bestMomentumForStep([1, 0.5], eta);
      const closed = Math.max((1 - Math.sqrt(eta)) ** 2, (1 - Math.sqrt(eta / 2)) ** 2);
      assert.ok(Math.abs(best.momentum - closed) < 1e-15, `η = ${eta}`);
      assert.ok(Math.abs(best.rate - Math.sqrt(closed)) < 1e-15);
      let gridBest = Infinity;
      for (let i = 0; i < 100_000; i++) {
        const beta = i / 100_000;
        gridBest = Math.min(
          gridBest,
          Math.max(largestRootModulus(1 + beta - eta, beta), largestRootModulus(1 + beta - eta / 2, beta)),
        );
      }
      assert.ok(gridBest >= best.rate - 1e-12, `η = ${eta}: the grid finds ${gridBest} < ${best.rate}`);
      assert.ok(gridBest - best.rate < 1e-4, `η = ${eta}: the grid comes within 1e-4`);
    }
    // η = 1.5: β* = 2.5 − √6, rate √1.5 − 1; λ = ½ turns complex first, at (1 − √0.75)².
    const best = bestMomentumForStep([1, 0.5], 1.5);
    assert.ok(Math.abs(best.momentum - (2.5 - Math.sqrt(6))) < 1e-15);
    assert.ok(Math.abs(best.rate - (Math.sqrt(1.5) - 1)) < 1e-15);
    assert.ok(best.complexFrom[1] < best.complexFrom[0]);
    const answer = exerciseOneAnswer([1, 0.5], 1.5, 0.05);
    assert.match(answer, /λ = 0\.5's roots turn complex first, at β = 0\.01795/);
    assert.match(answer, /= 0\.05051025722, with rate/);
    assert.doesNotMatch(answer, /nearest/);
    assert.match(answer, /= 0\.2247448714 per step/);
  });

  it("refuses a step at which no momentum converges", () => {
    assert.throws(() => bestMomentumForStep([1, 0.5], 4), /η·λmax must be below 4/);
  });
});

describe("each rule's stable range", () => {
  it("is where the largest root's modulus crosses 1", () => {
    for (const beta of [0, 0.3, 0.5, 0.9, 0.99]) {
      const limits = stabilityLimits(beta);
      assert.equal(limits.plain, 2);
      for (const [limit, rate] of [
        [limits.heavyBall, (h: number) => momentumRate([1], h, beta)],
        [limits.nesterov, (h: number) => nesterovRate([1], h, beta)],
      ] as const) {
        assert.ok(rate(limit * (1 - 1e-6)) < 1, `β = ${beta}: stable just inside ${limit}`);
        assert.ok(rate(limit * (1 + 1e-6)) > 1, `β = ${beta}: unstable just outside ${limit}`);
      }
      // Nesterov's rate from the formula of its two-step recurrence (torch form).
      for (const h of [0.1, 0.7, 1.2]) {
        assert.ok(
          Math.abs(nesterovRate([1], h, beta) - largestRootModulus((1 + beta) * (1 - h), beta * (1 - h))) <
            1e-15,
        );
      }
    }
    assert.equal(stabilityLimits(0.5).nesterov, 1.5);
  });

  it("explains Nesterov at η = 1.5: beyond its limit at β = 0.9, exactly on it at β = 0.5", () => {
    const run = (rule: "plain" | "momentum" | "nesterov", beta: number) =>
      gradientDescent({
        start: [2, 2],
        evaluate: evaluateArticleFunction,
        rule: rule === "plain" ? undefined : (rule === "momentum" ? momentumOf : nesterovOf)(1.5, beta),
        learningRate: rule === "plain" ? 1.5 : undefined,
        iterations: 200,
      });
    const at = (beta: number) =>
      stableRangesMarkdown(
        1.5,
        beta,
        { x: 2, y: 2 },
        {
          plain: run("plain", beta),
          momentum: run("momentum", beta),
          nesterov: run("nesterov", beta),
        },
      );
    const fast = at(0.9);
    assert.match(
      fast,
      /\| Nesterov \| 2\(1 \+ β\)\/\(1 \+ 2β\) \| 1\.357 \| beyond: the error along x grows \| diverged at iteration/,
    );
    assert.match(fast, /\| plain \| 2 \| 2 \| inside: it converges \| ran all 200 iterations \|/);
    assert.match(fast, /Here Nesterov's step is past its limit while plain descent's is not/);
    const edge = at(0.5);
    assert.match(
      edge,
      /\| Nesterov \| [^|]+ \| 1\.5 \| at the limit: the error along x keeps its size, flipping sign \| ran all 200 iterations \|/,
    );
  });
});

describe("the stable ranges judged from the start (the independent review's cases)", () => {
  const runFrom = (eta: number, beta: number, x: number, y: number) => {
    const run = (rule?: ReturnType<typeof momentumOf>) =>
      gradientDescent({
        start: [x, y],
        evaluate: evaluateArticleFunction,
        rule,
        learningRate: rule === undefined ? eta : undefined,
        iterations: 40,
      });
    return stableRangesMarkdown(
      eta,
      beta,
      { x, y },
      {
        plain: run(),
        momentum: run(momentumOf(eta, beta)),
        nesterov: run(nesterovOf(eta, beta)),
      },
    );
  };
  it("a direction with no error cannot grow: η = 3 from (−1, 2) converges", () => {
    assert.match(
      runFrom(3, 0.9, -1, 2),
      /\| plain \| 2 \| 2 \| beyond along x, but the start has no error there: it converges \| ran all 40 iterations \|/,
    );
  });
  it("a growing run the kit has not stopped yet is said to be not converging (Nesterov, η = 1.4, β = 0.9)", () => {
    assert.match(
      runFrom(1.4, 0.9, 2, 2),
      /\| Nesterov \| [^|]+ \| 1\.357 \| beyond: the error along x grows \| ran all 40 iterations, its error growing: not converging/,
    );
  });
});

describe("the cubic's conditioning and momentum's transient", () => {
  const data = sineData();
  const hessian = cubicHessian(data.x);
  const eigenvalues = jacobiEigenvalues(hessian);
  const kappa = eigenvalues[3] / eigenvalues[0];

  it("κ after scaling to unit diagonal is about 23, and no diagonal scaling found by a random search does better", () => {
    const scaled = unitDiagonalConditionNumber(hessian);
    const d = hessian.map((row, i) => 1 / Math.sqrt(row[i]));
    const conditionOf = (scale: number[]) => {
      const e = jacobiEigenvalues(hessian.map((row, i) => row.map((v, j) => v * scale[i] * scale[j])));
      return e[3] / e[0];
    };
    assert.ok(Math.abs(scaled - conditionOf(d)) < 1e-9 * scaled);
    assert.ok(scaled > 22.9 && scaled < 23, `κ after scaling ${scaled}`);
    let seed = 1;
    const uniform = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 3000; trial++) {
      const spread = trial < 1500 ? 0.05 : 1;
      const candidate = d.map((v) => v * Math.exp(spread * (2 * uniform() - 1)));
      assert.ok(conditionOf(candidate) >= scaled * (1 - 1e-9), `trial ${trial} beats the unit diagonal`);
    }
    assert.ok(Math.abs(kappa - 325.396) < 0.01);
  });

  it("the gaps by modes equal a momentum loop's loss above the optimum, and the stiff mode peaks near κ/e²", () => {
    const [problem] = lessonThreeProblems({ x: 2, y: 2, seed: 0 }).slice(1);
    const rootKappa = Math.sqrt(kappa);
    const eta = 4 / (Math.sqrt(eigenvalues[3]) + Math.sqrt(eigenvalues[0])) ** 2;
    const beta = ((rootKappa - 1) / (rootKappa + 1)) ** 2;
    // The loop, on the loss over the points: gap = Σ(p(x) − y)² − Σ(p*(x) − y)².
    const loss = (c: readonly number[]) => {
      let sum = 0;
      for (let i = 0; i < data.x.length; i++) {
        const x = data.x[i];
        sum += (c[0] + c[1] * x + c[2] * x * x + c[3] * x ** 3 - data.y[i]) ** 2;
      }
      return sum;
    };
    let c = [...problem.start];
    let v = [0, 0, 0, 0];
    const optimumLoss = loss(problem.optimum);
    const gaps = [loss(c) - optimumLoss];
    for (let k = 0; k < 40; k++) {
      const g = [0, 0, 0, 0];
      for (let i = 0; i < data.x.length; i++) {
        const x = data.x[i];
        const r = c[0] + c[1] * x + c[2] * x * x + c[3] * x ** 3 - data.y[i];
        [1, x, x * x, x ** 3].forEach((phi, j) => (g[j] += 2 * r * phi));
      }
      v = v.map((vi, j) => beta * vi + g[j]);
      c = c.map((ci, j) => ci - eta * v[j]);
      gaps.push(loss(c) - optimumLoss);
    }
    const predicted = quadraticGaps({
      eigen: problem.eigen,
      startError: problem.startError,
      learningRate: eta,
      momentum: beta,
      steps: 40,
    });
    gaps.forEach((gap, k) => assert.ok(Math.abs(gap - predicted[k]) < 1e-6 * gaps[0], `step ${k}`));
    const peak = gaps.indexOf(Math.max(...gaps));
    assert.equal(peak, 8);
    assert.ok(Math.abs(gaps[peak] / gaps[0] - 36.63) < 0.01);
    // The stiff mode alone: r_k = (1 + (1 + ρ)k)(−ρ)^k, its square's peak, against κ/e².
    const rho = (rootKappa - 1) / (rootKappa + 1);
    let best = 0;
    let bestK = 0;
    for (let k = 0; k < 200; k++) {
      const r = (1 + (1 + rho) * k) * rho ** k;
      if (r * r > best) [best, bestK] = [r * r, k];
    }
    const stiff = stiffModePeak(kappa);
    assert.equal(stiff.step, bestK);
    assert.ok(Math.abs(stiff.factor - best) < 1e-9 * best);
    assert.ok(Math.abs(stiff.factor / (kappa / Math.E ** 2) - 1) < 0.01, "near κ/e²");
    assert.ok(stiff.factor < kappa / 4 / 1.8, "far below κ/4");
  });

  it("the best plain step for a horizon beats every η of a fine grid, and 2/(μ + L) loses to 1e-6 at 500 steps", () => {
    const [problem] = lessonThreeProblems({ x: 2, y: 2, seed: 0 }).slice(1);
    const [mu, , , L] = eigenvalues;
    const gapAt = (eta: number, steps: number) =>
      quadraticGaps({ eigen: problem.eigen, startError: problem.startError, learningRate: eta, steps }).at(
        -1,
      )!;
    for (const steps of [100, 500, 2000]) {
      const best = bestPlainStepForHorizon({ eigen: problem.eigen, startError: problem.startError, steps });
      for (let i = 1; i < 2000; i++) {
        const eta = (i / 2000) * (2 / L);
        assert.ok(gapAt(eta, steps) >= best.gap * (1 - 1e-9), `${steps} steps: η = ${eta} beats the search`);
      }
      assert.ok(best.learningRate < 2 / (mu + L), `${steps} steps: smaller than 2/(μ + L) at seed 0`);
    }
    assert.ok(gapAt(1e-6, 500) < gapAt(2 / (mu + L), 500));
  });
});

describe("minibatch SGD: the per-point stability limit", () => {
  it("is 1/(n max‖φ‖²); at η = 1e-6 an eighth of the points overshoot, down to −3.28 at ±π", () => {
    const data = sineData();
    const n = data.x.length;
    const norms = Array.from(data.x, (x) => 1 + x ** 2 + x ** 4 + x ** 6);
    const stability = singlePointStability(data, 3, 1e-6);
    assert.ok(Math.abs(stability.limit - 1 / (n * Math.max(...norms))) < 1e-22);
    const factors = norms.map((q) => 1 - 2 * n * 1e-6 * q);
    assert.equal(stability.unstableShare, factors.filter((f) => f < -1).length / n);
    assert.equal(stability.unstableShare, 0.125);
    assert.ok(Math.abs(stability.worstFactor - Math.min(...factors)) < 1e-12);
    assert.ok(Math.abs(stability.worstFactor + 3.279) < 1e-3);
    // A step on one point alone, by hand: its residual is multiplied by the factor.
    const i = 0;
    const x = data.x[i];
    const c = [0.3, -0.2, 0.1, 0.05];
    const residual = (cc: number[]) => cc[0] + cc[1] * x + cc[2] * x * x + cc[3] * x ** 3 - data.y[i];
    const r = residual(c);
    const stepped = c.map((cj, j) => cj - 1e-6 * n * 2 * r * x ** j);
    assert.ok(Math.abs(residual(stepped) / r - factors[i]) < 1e-9);
    assert.equal(singlePointStability(data, 3, 0.9 * stability.limit).unstableShare, 0);
  });
});

describe("the parameters cell of notebook 03", () => {
  const defaults: LessonThreeParameters = {
    learningRate: 0.3,
    momentum: 0.9,
    adamLearningRate: 0.3,
    iterations: 40,
    x: 2,
    y: 2,
    accuracy: 1e-6,
    cubicIterations: 2000,
    seed: 0,
    batchSize: 1,
    epochs: 30,
    sgdLearningRate: 1e-6,
    decayEpochs: 1,
    frameworkIterations: 200,
  };
  it("accepts the defaults and the ends of every range", () => {
    checkLessonThreeParameters(defaults);
    const limits = LESSON_THREE_LIMITS;
    checkLessonThreeParameters({
      ...defaults,
      learningRate: limits.learningRate,
      momentum: limits.momentum,
      adamLearningRate: limits.adamLearningRate,
      iterations: limits.iterations,
      x: -limits.coordinate,
      y: limits.coordinate,
      accuracy: limits.smallestAccuracy,
      cubicIterations: limits.cubicIterations,
      seed: limits.seed,
      batchSize: limits.points,
      epochs: limits.epochs,
      sgdLearningRate: limits.sgdLearningRate,
      decayEpochs: limits.decayEpochs,
      frameworkIterations: limits.frameworkIterations,
    });
    checkLessonThreeParameters({
      ...defaults,
      momentum: 0,
      iterations: 0,
      frameworkIterations: 0,
      cubicIterations: 1,
    });
  });

  it("names the parameter the student changed, with its value and the range", () => {
    const cases: [Partial<LessonThreeParameters>, RegExp][] = [
      [{ learningRate: 0 }, /^learningRate must be a finite positive number, got 0$/],
      [{ learningRate: 1001 }, /^learningRate must be a positive number up to 1000, got 1001$/],
      [{ adamLearningRate: 0 }, /^adamLearningRate must be a finite positive number, got 0$/],
      [{ adamLearningRate: 1e6 }, /^adamLearningRate must be a positive number up to 10, got 1000000$/],
      [{ sgdLearningRate: 0 }, /^sgdLearningRate must be a finite positive number, got 0$/],
      [{ decayEpochs: 0 }, /^decayEpochs must be a finite positive number, got 0$/],
      [{ momentum: 0.995 }, /^momentum must be a number from 0 to 0\.99, got 0\.995$/],
      [{ iterations: 1e6 }, /^iterations must be a whole number from 0 to 10000, got 1000000$/],
      [
        { frameworkIterations: 20000 },
        /^frameworkIterations must be a whole number from 0 to 1000, got 20000$/,
      ],
      [{ epochs: 1e6 }, /^epochs must be a whole number from 1 to 100, got 1000000$/],
      [{ cubicIterations: 0 }, /^cubicIterations must be a whole number from 1 to 20000, got 0$/],
      [{ batchSize: 2001 }, /^batchSize must be a whole number from 1 to 2000, got 2001$/],
      [{ seed: 1.5 }, /^seed must be a whole number from 0 to 1000000000, got 1\.5$/],
      [{ accuracy: 1 }, /^accuracy must be a number from 1e-15 up to \(not including\) 1, got 1$/],
      [{ x: 1e6 }, /^x must be between −1000 and 1000, got 1000000$/],
    ];
    for (const [change, message] of cases) {
      assert.throws(
        () => checkLessonThreeParameters({ ...defaults, ...change }),
        (error: Error) => message.test(error.message),
        JSON.stringify(change),
      );
    }
  });
});

describe("a blown-up run under a rule whose objective may rise", () => {
  it("is stopped as diverged, not reported as finished (Adam at η = 1e6 on the bowl)", () => {
    const run = gradientDescent({
      start: [2, 2],
      evaluate: evaluateArticleFunction,
      rule: adamStep(1e6),
      iterations: 50,
    });
    assert.equal(run.stop.kind, "diverged");
    assert.match(describeStop(run.stop), /diverged at iteration 1: the objective grew/);
    // One step: each coordinate moved by about η (the first step is η·g/(|g| + ε)), f from 3 to about 7.5e11.
    assert.equal(run.points.length, 2);
    assert.ok(run.values[1] > 7e11 && run.values[1] < 8e11, `f = ${run.values[1]}`);
  });
});
