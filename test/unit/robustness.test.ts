/**
 * Classes of failure, one describe each: large valid inputs, NaN/Infinity out of
 * public functions, degree 0, errors that name the real cause, silent wrong results, bounded
 * work, bounded output. Each case failed (crash, NaN, wrong number, wrong reason) before the fix.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MAX_BISECTION_ROUNDS,
  articleStepInClosedForm,
  descendFunction,
  largestConvergingLearningRate,
} from "../../src/problems/bowl/closed-form";
import { positionsMarkdown, positionsText } from "../../src/problems/bowl/positions";
import { MAX_ITERATIONS, MAX_POINTS } from "../../src/descent/validate";
import {
  articleFunctionSubject,
  checkAgainstAutodiff,
  checkAgainstFiniteDifferences,
  gradientCheckTable,
  lossSubject,
  randomPoints,
  sumOfSquaresSubject,
} from "../../src/checks/gradient-check";
import { articleSurfaceGrid, descendArticleFunction } from "../../src/problems/bowl/bowl";
import { autodiffGradient, eigenModesTable } from "../../src/lessons/fit-report";
import { basisForData, unitScalingOf } from "../../src/problems/cubic-fit/bases";
import { contourWithPathFigure, surfaceWithPathFigure } from "../../src/figures/surface";
import { curvesFigure } from "../../src/figures/curves";
import { descendForLearningRates } from "../../src/problems/bowl/learning-rates";
import {
  evaluatePolynomial,
  formatPolynomial,
  linspace,
  sineData,
} from "../../src/problems/cubic-fit/polynomial";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { gradientDescent } from "../../src/descent/loop";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import {
  lossSlices,
  sumOfAbsoluteErrors,
  sumOfSquares,
  sumOfSquaresGradient,
} from "../../src/problems/cubic-fit/losses";
import { lossSlicesFigure } from "../../src/figures/loss-slices";
import { predictQuadraticDescent, stabilityOf, sumOfSquaresHessian } from "../../src/analysis/hessian";
import { thinPath } from "../../src/descent/thinning";

/** Every number in a figure's JSON is finite: no NaN, no Infinity, no null where a number was. */
function assertFiniteJson(value: unknown, where = "figure"): void {
  if (value === null) assert.fail(`${where} is null`);
  if (typeof value === "number") assert.ok(Number.isFinite(value), `${where} = ${value}`);
  else if (Array.isArray(value)) value.forEach((entry, i) => assertFiniteJson(entry, `${where}[${i}]`));
  else if (typeof value === "object" && value !== undefined)
    for (const [key, entry] of Object.entries(value as object)) assertFiniteJson(entry, `${where}.${key}`);
}

describe("1. large valid inputs work at every cap", () => {
  it("a descent of MAX_ITERATIONS steps prints its table", () => {
    const run = descendArticleFunction({ learningRate: 0.1, iterations: MAX_ITERATIONS, x: 2, y: 2 });
    assert.equal(run.points.length, MAX_ITERATIONS + 1);
    // x is stuck 2 ulp above −1 (0.1·(x + 1) is below half an ulp there): ½(x + 1)² ≈ 9.861e-32, not 0.
    const [xEnd, yEnd] = run.points[MAX_ITERATIONS];
    const height = 0.5 * (xEnd + 1) ** 2 + 0.25 * yEnd ** 2;
    assert.ok(height > 0 && height < 1e-30, `height ${height}`);
    assert.match(positionsText(run), /\n *1000000 +-1 +\S+ +-2.5 +9.861e-32\n/);
    assert.match(positionsMarkdown(run), /\| 1000000 \|/);
  });

  it("the scaled and Legendre bases and the least-squares fit take 130 000, a million and MAX_POINTS points", () => {
    const many = sineData(130_000);
    assert.ok(leastSquaresPolynomial({ data: many, degree: 3 }).loss > 0);
    const million = sineData(1_000_000);
    assert.deepEqual(unitScalingOf(million.x), { center: 0, halfWidth: Math.PI });
    for (const basis of ["scaled", "legendre"] as const) {
      assert.equal(basisForData(basis, 3, million.x).scaling.halfWidth, Math.PI);
      const fit = fitPolynomial({ data: million, basis, iterations: 3, learningRate: 1e-7 });
      assert.ok(Number.isFinite(fit.loss));
    }
    const most = sineData(MAX_POINTS);
    // the per-point loss of the best cubic on [−π, π] hardly depends on the point count
    const perPoint = leastSquaresPolynomial({ data: most }).loss / MAX_POINTS;
    const reference = leastSquaresPolynomial({ data: sineData(2000) }).loss / 2000;
    assert.ok(Math.abs(perPoint - reference) < 1e-2 * reference, `${perPoint} vs ${reference}`);
    assert.throws(() => sineData(MAX_POINTS + 1), /points must be a whole number from 2 to 10000000/);
  });
});

describe("3. no NaN or Infinity out of any public function, table or figure", () => {
  const data = sineData();
  const hessian = sumOfSquaresHessian(data, 3);
  const optimum = leastSquaresPolynomial({ data }).coefficients;
  const start = [1, -1, 0.5, 2];

  it("a diverging closed-form prediction says so in words and its table shows no ±Infinity", () => {
    for (const [learningRate, iterations] of [
      [3, 2000],
      [1.01 * stabilityOf(hessian).largestStableLearningRate, 1_000_000],
    ]) {
      const prediction = predictQuadraticDescent(hessian, optimum, start, learningRate, iterations);
      assert.equal(prediction.diverges, true);
      assert.match(prediction.summary, /^diverges: .* about 10\^\d+ times its start/);
      assert.throws(() => prediction.point, /no point to predict: the descent diverges/);
      const table = eigenModesTable(prediction, iterations);
      assert.doesNotMatch(table, /Infinity|NaN/);
      assert.match(table, /grows ~10\^\d+× \(diverges\)/);
    }
    const stable = predictQuadraticDescent(hessian, optimum, start, 1e-6, 2000);
    assert.equal(stable.diverges, false);
    assert.ok(stable.point.every(Number.isFinite));
  });

  it("degree 12's default-rate prediction (1e-6 above its bound) says it diverges", () => {
    const h12 = sumOfSquaresHessian(data, 12, "legendre");
    const o12 = leastSquaresPolynomial({ data, degree: 12, basis: "legendre" }).basisCoefficients;
    const prediction = predictQuadraticDescent(h12, o12, new Array(13).fill(0), 10, 2000);
    assert.equal(prediction.diverges, true);
    assert.doesNotMatch(eigenModesTable(prediction, 2000), /Infinity|NaN/);
  });

  it("the article's closed form: a diverging step is named, the minimum stays the minimum", () => {
    assert.throws(
      () => articleStepInClosedForm(3, 1e6, { x: 2, y: 2 }),
      /learningRate 3 the descent diverges/,
    );
    assert.deepEqual(articleStepInClosedForm(3, 1e6, { x: -1, y: 0 }), { x: -1, y: 0 });
    assert.deepEqual(articleStepInClosedForm(0.1, 1e6, { x: 2, y: 2 }), { x: -1, y: 0 });
  });

  it("stability of a degree-20 monomial Hessian and of a matrix with huge entries: errors, not NaN", () => {
    assert.throws(() => stabilityOf(sumOfSquaresHessian(data, 20)), /rounding of an ill-conditioned matrix/);
    assert.throws(() => stabilityOf([[1e-320]]), RangeError);
  });

  it("gradient checks refuse a point where a gradient is not finite, instead of a NaN FAIL row", () => {
    assert.throws(
      () => checkAgainstFiniteDifferences(articleFunctionSubject, [[1e300, 1]]),
      /gradient at points\[0\] = \(1e\+300, 1\) is not finite/,
    );
    const table = gradientCheckTable([
      checkAgainstFiniteDifferences(articleFunctionSubject, randomPoints(5, 2, 1)),
    ]);
    assert.doesNotMatch(table, /NaN|Infinity/);
  });

  it("loss slices, the least-squares loss and the figures stay finite or refuse", () => {
    assert.throws(
      () => lossSlices(data, optimum, { span: 1e300 }),
      /the loss overflows at a = .*choose a smaller span/,
    );
    assert.throws(
      () => leastSquaresPolynomial({ data: { x: data.x, y: data.y.map(() => 1e200) } }),
      /data.y reaches 1e\+200/,
    );
    assert.throws(
      () =>
        curvesFigure({
          x: data.x,
          target: { name: "sin", y: data.y },
          curves: [{ name: "huge", coefficients: [0, 0, 0, 1e307] }],
        }),
      /curves\[0\] \(huge\) is not a finite number at x = .*too large to draw/,
    );
    assert.throws(
      () =>
        lossSlicesFigure([{ coordinate: "a", index: 0, center: 0, values: [0, 1], losses: [1, Infinity] }]),
      /slices\[0\]\.losses\[1\] must be a finite number, got Infinity/,
    );
    assert.throws(
      () => surfaceWithPathFigure({ func: (x, y) => Math.log(x * y) }),
      /the function is not a finite number at \(x, y\) = \(0, -2.5\): f = -Infinity; choose a grid where it is defined/,
    );
    const figure = surfaceWithPathFigure({
      trajectories: [descendArticleFunction({ learningRate: 2.5, iterations: 50, x: 2, y: 2 })],
    });
    assertFiniteJson(JSON.parse(JSON.stringify(figure)));
  });
});

describe("4. degree 0 works everywhere, the TensorFlow.js check included", () => {
  it("autodiff agrees with the hand gradient of a constant fit", () => {
    const data = sineData();
    const [hand] = sumOfSquaresGradient([0.3], data);
    const [auto] = autodiffGradient(sumOfSquaresSubject(data, 0), [0.3]);
    assert.ok(Math.abs(hand - auto) <= 1e-4 * Math.abs(hand), `${hand} vs ${auto}`);
    for (const subject of [
      sumOfSquaresSubject(data, 0),
      lossSubject(sumOfAbsoluteErrors, data, 0, "legendre"),
    ]) {
      assert.equal(checkAgainstAutodiff(subject, randomPoints(3, 1, 4)).passed, true);
    }
    const fit = fitPolynomial({ data, degree: 0, learningRate: 1e-4 });
    assert.ok(
      Math.abs(fit.coefficients[0]) < 1e-6,
      `the mean of sin on [−π, π] is 0, got ${fit.coefficients[0]}`,
    );
    assert.equal(leastSquaresPolynomial({ data, degree: 0 }).coefficients.length, 1);
  });
});

describe("5. errors name the real cause", () => {
  it("an ill-conditioned Hessian or Gram matrix is called that, not too few distinct x", () => {
    const data = sineData();
    assert.throws(() => stabilityOf(sumOfSquaresHessian(data, 20)), /positive semidefinite.*rounding/);
    const far = { x: linspace(2000, 2020, 200), y: linspace(0, 1, 200) };
    assert.throws(
      () => leastSquaresPolynomial({ data: far, degree: 3, basis: "monomial" }),
      /too ill-conditioned for double precision .* enough distinct x\): use basis "legendre"/,
    );
    assert.equal(leastSquaresPolynomial({ data: far, degree: 3 }).basisCoefficients.length, 4);
    const repeated = { x: Float64Array.from([1, 1, 2, 2]), y: Float64Array.from([0, 1, 2, 3]) };
    assert.throws(
      () => leastSquaresPolynomial({ data: repeated, degree: 2, basis: "monomial" }),
      /2 distinct x, fewer than the 3 coefficients/,
    );
  });

  it("data too large is blamed on the data, not on the start point", () => {
    const data = sineData();
    assert.throws(
      () => fitPolynomial({ data: { x: data.x, y: data.y.map(() => 1e200) } }),
      /data\.y reaches 1e\+200/,
    );
    assert.throws(
      () => fitPolynomial({ data: { x: data.x.map((x) => x * 1e30), y: data.y }, degree: 6 }),
      /data\.x reaches .*basis "scaled" or "legendre"/,
    );
  });

  it("a missing options object, an evaluate or gradient returning nothing, a bad digit count: named", () => {
    const none = undefined as never;
    assert.throws(
      () => descendArticleFunction(none),
      /options must be an object \{ learningRate, iterations, x, y \}, got undefined/,
    );
    assert.throws(
      () => largestConvergingLearningRate(none),
      /options must be an object \{ x, y, .*got undefined/,
    );
    assert.throws(
      () => descendFunction(none),
      /options must be an object \{ func, gradient, .*got undefined/,
    );
    assert.throws(() => leastSquaresPolynomial(null as never), /options must be an object, got null/);
    assert.throws(() => fitPolynomial(null as never), /options must be an object, got null/);
    assert.throws(
      () =>
        gradientDescent({
          start: [1],
          evaluate: (() => undefined) as never,
          learningRate: 0.1,
          iterations: 1,
        }),
      /evaluate must return \{ value: number, gradient: number\[\] \}, got undefined/,
    );
    assert.throws(
      () =>
        descendFunction({
          func: () => 1,
          gradient: (() => undefined) as never,
          learningRate: 0.1,
          iterations: 1,
          x: 0,
          y: 0,
        }),
      /gradient must return \[∂f\/∂x, ∂f\/∂y\], got undefined/,
    );
    assert.throws(() => formatPolynomial([1, 2], 0), /digits must be a whole number from 1 to 17, got 0/);
  });
});

describe("6. no silent wrong results", () => {
  it("monomial coefficients that do not reproduce the reported loss are refused with the reason", () => {
    assert.throws(
      () => leastSquaresPolynomial({ data: sineData(2000, 1000, 1001), degree: 12 }),
      /no accurate monomial form .* coefficients reach .* give loss .* instead of/,
    );
    const ok = leastSquaresPolynomial({ data: sineData(2000, 1000, 1001), degree: 3 });
    assert.ok(
      // within the promise of requireReproducingCoefficients: 2 × the loss, or √u of y per point
      Math.abs(sumOfSquares(ok.coefficients, sineData(2000, 1000, 1001)) - ok.loss) <=
        ok.loss + 2000 * 2 ** -53,
    );
  });

  it("a gradient of the wrong length is named with its length, never truncated", () => {
    const subject = { ...articleFunctionSubject, handGradient: () => [1, 2, 3] };
    assert.throws(
      () => checkAgainstFiniteDifferences(subject, [[0, 0]]),
      /hand gradient .* must have 2 entries, got an array of length 3/,
    );
    const short = { ...articleFunctionSubject, handGradient: () => [1] };
    assert.throws(
      () => checkAgainstFiniteDifferences(short, [[0, 0]]),
      /must have 2 entries, got an array of length 1/,
    );
    assert.throws(
      () =>
        gradientDescent({
          start: [1, 2],
          evaluate: () => ({ value: 0, gradient: [1] }),
          learningRate: 0.1,
          iterations: 1,
        }),
      /gradient of length 1 for a point of length 2/,
    );
  });

  it("sum-of-squares helpers and evaluatePolynomial check their data, degree and x", () => {
    const data = sineData(10);
    assert.throws(() => sumOfSquares([1], { x: data.x, y: data.y.slice(1) }), /same length/);
    assert.throws(
      () => sumOfSquaresGradient([1], { x: [NaN], y: [1] } as never),
      /data\.x\[0\] must be a finite number, got NaN/,
    );
    assert.throws(() => sumOfSquaresSubject(data, -1), /degree must be a whole number from 0 to 20, got -1/);
    assert.throws(
      () => sumOfSquaresSubject(data, 1.5),
      /degree must be a whole number from 0 to 20, got 1.5/,
    );
    assert.throws(() => evaluatePolynomial([1, 2], [0, NaN]), /x\[1\] must be a finite number, got NaN/);
    assert.throws(() => evaluatePolynomial([1, 2], undefined as never), /x must be an array of numbers/);
  });

  it("bisection from the minimum says every rate converges there", () => {
    assert.throws(() => largestConvergingLearningRate({ x: -1, y: 0 }), /every learning rate converges/);
    const bound = largestConvergingLearningRate({ x: 2, y: 2, iterations: 1000 });
    assert.ok(bound > 1.9 && bound < 2, String(bound));
  });
});

describe("7. bounded work: every count has a cap, stated in its error", () => {
  it("rounds, grids, sweeps, check points, fits", () => {
    assert.throws(
      () => largestConvergingLearningRate({ x: 2, y: 2, rounds: 1e6 }),
      new RegExp(`rounds must be a whole number from 1 to ${MAX_BISECTION_ROUNDS}, got 1000000`),
    );
    assert.throws(() => articleSurfaceGrid({ step: 1e-6 }), /5000001 points, past the cap of 1001/);
    assert.throws(
      () =>
        descendForLearningRates(
          Array.from({ length: 50 }, (_, i) => Number((0.05 * (i + 1)).toPrecision(12))),
          { iterations: MAX_ITERATIONS, x: 2, y: 2 },
        ),
      /50 learning rates × 1000000 iterations = 50000000 steps, past the sweep's cap of 10000000/,
    );
    assert.throws(() => randomPoints(1e6, 4, 0), /count must be a whole number from 1 to 10000/);
    assert.throws(
      () => fitPolynomial({ data: sineData(1_000_000), iterations: 1_000_000 }),
      /past the cap of 5e\+10 .* method "sufficient-statistics"/,
    );
    // the article's data at degree 20 may still run MAX_ITERATIONS (not run here: it is a minute)
    assert.doesNotThrow(() => fitPolynomial({ degree: 20, basis: "legendre", iterations: 0 }));
  });
});

describe("bounded output: tables and figures at the iteration cap", () => {
  const long = descendArticleFunction({ learningRate: 0.1, iterations: MAX_ITERATIONS, x: 2, y: 2 });
  const zigzag = descendArticleFunction({ learningRate: 1.999, iterations: MAX_ITERATIONS, x: 2, y: 2 });

  it("tables show the first and last rows and how many are left out", () => {
    const table = positionsMarkdown(long);
    const lines = table.split("\n").filter((line) => line.startsWith("|"));
    assert.equal(lines.length, 2 + 40 + 1);
    assert.match(table, /\| ⋮ \| \(999961 steps not shown\) \|/);
    assert.match(lines[2], /^\| 0 \| 2 \| 2 \|/);
    assert.match(lines[lines.length - 1], /^\| 1000000 \|/);
    assert.ok(table.length < 5000, `${table.length} characters`);
    const short = descendArticleFunction({ learningRate: 0.1, iterations: 10, x: 2, y: 2 });
    assert.equal(
      positionsMarkdown(short)
        .split("\n")
        .filter((l) => l.startsWith("|")).length,
      2 + 11,
    );
    assert.ok(positionsText(long).split("\n").length <= 43);
  });

  it("a thinned path keeps start, end and every turn of a zig-zag", () => {
    const kept = thinPath(zigzag.points);
    assert.ok(kept.length <= 2000 && kept.length > 100, `${kept.length}`);
    assert.equal(kept[0], 0);
    assert.equal(kept[kept.length - 1], MAX_ITERATIONS);
    // η = 1.999 flips x + 1 in sign every step: the kept points still alternate sides while visible
    const sides = kept.slice(0, 50).map((k) => Math.sign(zigzag.points[k][0] + 1));
    for (let i = 1; i < sides.length; i++) assert.notEqual(sides[i], sides[i - 1], `kept ${kept[i]}`);
    // a path that fits is untouched
    assert.deepEqual(thinPath(zigzag.points.slice(0, 11)), [...Array(11).keys()]);
  });

  it("figures of runs at the cap stay small: one path ≤ 400 kB", () => {
    for (const figure of [
      surfaceWithPathFigure({ trajectories: [long, zigzag] }),
      contourWithPathFigure({ trajectories: [zigzag] }),
    ]) {
      const size = JSON.stringify(figure).length;
      assert.ok(size < 400_000, `${size} bytes`);
      assertFiniteJson(JSON.parse(JSON.stringify(figure)));
    }
  });
});
