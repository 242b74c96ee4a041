import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ARTICLE_MINIMUM,
  articleFunction,
  articleSurfaceGrid,
  descendArticleFunction,
  gridAxis,
} from "../../src/problems/bowl/bowl";
import {
  euclideanNorm,
  describeStop,
  gradientDescent,
  plainStep,
  type StepRule,
} from "../../src/descent/loop";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";

describe("gradient descent on the first article's f(x, y) = ½x² + x + ¼y² − 2", () => {
  it("at η = 1 puts x at exactly −1 in one step and halves y", () => {
    const run = descendArticleFunction({ learningRate: 1, iterations: 1, x: 2, y: 2 });
    assert.deepEqual(run.points, [
      [2, 2],
      [-1, 1],
    ]);
    assert.equal(run.values[1], articleFunction(-1, 1));
  });

  it("at η = 2 keeps |x + 1| constant and sends y to 0 in one step", () => {
    const run = descendArticleFunction({ learningRate: 2, iterations: 10, x: 2, y: 2 });
    assert.equal(run.points[1][1], 0);
    for (const [x] of run.points) assert.equal(Math.abs(x + 1), 3);
    assert.equal(run.stop.kind, "iterations");
  });

  it("contracts x + 1 by 1 − η and y by 1 − η/2 each step (closed form)", () => {
    const eta = 0.1;
    const run = descendArticleFunction({ learningRate: eta, iterations: 10, x: 2, y: 2 });
    run.points.forEach(([x, y], k) => {
      assert.ok(Math.abs(x + 1 - 3 * (1 - eta) ** k) < 1e-12, `x after ${k} steps`);
      assert.ok(Math.abs(y - 2 * (1 - eta / 2) ** k) < 1e-12, `y after ${k} steps`);
    });
  });

  it("at η = 2.5 stops as diverged and names the iteration, within its 10 iterations", () => {
    const run = descendArticleFunction({ learningRate: 2.5, iterations: 10, x: 2, y: 2 });
    // f − f* = ½(x+1)² + ¼y²: (x+1)² grows ×2.25 per step, so f rises from the first step on
    // and the third consecutive rise is at iteration 3.
    assert.deepEqual(run.stop, { kind: "diverged", iteration: 3, cause: "objective-rising" });
    assert.equal(run.points.length, 4);
    assert.match(describeStop(run.stop), /diverged at iteration 3/);
  });

  it("stops as diverged on a non-finite value and keeps only finite points", () => {
    // The objective falls at every step, so only the non-finite value at x = 6 can stop it.
    const run = gradientDescent({
      start: [1],
      evaluate: ([x]) => ({ value: x > 5 ? NaN : -x, gradient: [-1] }),
      learningRate: 1,
      iterations: 50,
    });
    assert.deepEqual(run.stop, { kind: "diverged", iteration: 5, cause: "non-finite" });
    assert.deepEqual(run.points, [[1], [2], [3], [4], [5]]);
  });

  it("stops a blow-up whose objective does not rise on consecutive steps (growth by orders of magnitude)", () => {
    // |x| alternates between growing ×10 and shrinking ×0.5: never three rises in a row, but
    // |x| climbs 5× every two steps; from f(1) = 1 the objective passes 1000 × 1 at |x| > 1001.
    const factors = [10, 0.5];
    let calls = 0;
    const run = gradientDescent({
      start: [1],
      evaluate: ([x]) => ({ value: Math.abs(x), gradient: [x * (1 - factors[calls++ % 2])] }),
      learningRate: 1,
      iterations: 100,
    });
    assert.equal(run.stop.kind, "diverged");
    assert.ok(run.stop.kind === "diverged" && run.stop.cause === "objective-grew");
    const last = run.values[run.values.length - 1];
    assert.ok(last > 1000 && run.values.slice(0, -1).every((v) => v <= 1001), `${run.values}`);
    assert.match(describeStop(run.stop), /grew 1000 times/);
  });

  it("runs any step rule: plainStep(η) gives the same iterates as learningRate: η", () => {
    const evaluate = ([x, y]: readonly number[]) => ({
      value: articleFunction(x, y),
      gradient: [x + 1, y / 2],
    });
    const byRate = gradientDescent({ start: [2, 2], evaluate, learningRate: 0.3, iterations: 7 });
    const byRule = gradientDescent({ start: [2, 2], evaluate, rule: plainStep(0.3), iterations: 7 });
    assert.deepEqual(byRule.points, byRate.points);
    assert.equal(byRule.rule, "plain");
    assert.equal(byRule.learningRate, 0.3);
  });

  it("passes the rule's state from step to step", () => {
    // A rule that steps −1, −2, −3, … (its state counts the steps): x = 10, 9, 7, 4.
    const counting: StepRule<number> = {
      name: "counting",
      learningRate: 1,
      init: () => 0,
      update: (_gradient, count) => ({ step: [-(count + 1)], state: count + 1 }),
    };
    const run = gradientDescent({
      start: [10],
      evaluate: ([x]) => ({ value: -x, gradient: [-1] }),
      rule: counting,
      iterations: 3,
    });
    assert.deepEqual(run.points, [[10], [9], [7], [4]]);
  });

  it("names a malformed evaluate or options instead of failing deep inside", () => {
    assert.throws(
      () =>
        gradientDescent({
          start: [1, 2],
          evaluate: () => ({ value: 1, gradient: [1] }),
          learningRate: 1,
          iterations: 1,
        }),
      /gradient of length 1 for a point of length 2/,
    );
    assert.throws(
      () =>
        gradientDescent({ start: [1], evaluate: (() => undefined) as never, learningRate: 1, iterations: 1 }),
      /evaluate must return \{ value: number, gradient: number\[\] \}, got undefined/,
    );
    assert.throws(
      () => gradientDescent(undefined as never),
      /options of gradientDescent must be an object, got undefined/,
    );
    assert.throws(
      () => gradientDescent({ start: [1], evaluate: () => ({ value: 1, gradient: [1] }), iterations: 1 }),
      /learningRate must be given/,
    );
  });

  it("with a tolerance stops as converged at the first iteration whose gradient norm is below it", () => {
    const tolerance = 1e-6;
    const run = descendArticleFunction({ learningRate: 0.5, iterations: 1000, x: 2, y: 2, tolerance });
    assert.equal(run.stop.kind, "converged");
    const k = run.stop.iteration;
    assert.ok(run.gradientNorms[k] <= tolerance);
    assert.ok(run.gradientNorms[k - 1] > tolerance);
    // ‖∇f‖ = √((x+1)² + y²/4) with x+1 = 3·0.5^k, y = 2·0.75^k: the first k below 1e-6 is 48.
    const norm = (i: number): number => Math.hypot(3 * 0.5 ** i, 0.75 ** i);
    const expected = Array.from({ length: 100 }, (_, i) => i).find((i) => norm(i) <= tolerance);
    assert.equal(k, expected);
    assert.ok(Math.abs(run.points[k][0] - ARTICLE_MINIMUM.x) < 1e-5);
  });

  it("calls the observer at t = every − 1, 2·every − 1, … and at the end", () => {
    const seen: number[] = [];
    gradientDescent({
      start: [2, 2],
      evaluate: ([x, y]) => ({ value: articleFunction(x, y), gradient: [x + 1, y / 2] }),
      learningRate: 0.1,
      iterations: 25,
      observeEvery: 10,
      observe: (state) => seen.push(state.iteration),
    });
    assert.deepEqual(seen, [9, 19, 25]);
  });
});

describe("the article's grid", () => {
  it("has 51 × 51 points over [−2.5, 2.5] with step 0.1 and holds f", () => {
    const grid = articleSurfaceGrid();
    assert.equal(grid.xs.length, 51);
    assert.equal(grid.z.length, 51);
    assert.equal(grid.xs[0], -2.5);
    assert.ok(Math.abs(grid.xs[50] - 2.5) < 1e-12);
    assert.ok(Math.abs(grid.xs[25]) < 1e-12);
    assert.equal(grid.z[3][7], articleFunction(grid.xs[7], grid.ys[3]));
  });

  it("honours another range and step", () => {
    assert.deepEqual(gridAxis({ from: 0, to: 1, step: 0.25 }), [0, 0.25, 0.5, 0.75, 1]);
  });
});

describe("the divergence rule ignores rounding noise", () => {
  it("does not call a converged run diverged when its objective wobbles in the last digits", () => {
    // At the minimum the objective alternates between 1 and 1 + 1e-15 (rounding noise): never divergence.
    let calls = 0;
    const run = gradientDescent({
      start: [0],
      evaluate: () => ({ value: 1 + (calls++ % 2) * 1e-15, gradient: [0] }),
      learningRate: 1,
      iterations: 20,
      risingStepsToDiverge: 1,
    });
    assert.deepEqual(run.stop, { kind: "iterations", iteration: 20 });
  });
  it("does not count rises within the noise the objective reports for itself", () => {
    // A tiny loss (1e-12) whose last digits wobble by 1e-18 each step, and which says so.
    let calls = 0;
    const run = gradientDescent({
      start: [0],
      evaluate: () => ({ value: 1e-12 + (calls++ % 2) * 1e-18, gradient: [0], noise: 2e-18 }),
      learningRate: 1,
      iterations: 20,
      risingStepsToDiverge: 1,
    });
    assert.deepEqual(run.stop, { kind: "iterations", iteration: 20 });
  });
  it("still counts rises larger than the rounding slack", () => {
    const run = gradientDescent({
      start: [0],
      evaluate: ([x]) => ({ value: 1 + 1e-9 * x * x, gradient: [-1] }),
      learningRate: 1,
      iterations: 20,
    });
    assert.deepEqual(run.stop, { kind: "diverged", iteration: 3, cause: "objective-rising" });
  });
  it("lets the article's descent run 10000 iterations to the optimum without a false divergence", () => {
    const fit = fitPolynomial({ iterations: 10000 });
    assert.equal(fit.trajectory.stop.kind, "iterations");
  });
});

describe("the gradient norm", () => {
  it("is √(Σ gᵢ²), without overflow for a diverging run's huge gradients", () => {
    assert.equal(euclideanNorm([3, 4]), 5);
    assert.equal(euclideanNorm([0, 0, 0]), 0);
    assert.ok(Math.abs(euclideanNorm([3e200, -4e200]) / 5e200 - 1) < 1e-15);
    assert.ok(Math.abs(euclideanNorm([1e-200, 1e-200]) / (Math.SQRT2 * 1e-200) - 1) < 1e-15);
    assert.ok(Number.isNaN(euclideanNorm([NaN, 1])));
    assert.equal(euclideanNorm([-Infinity, 1]), Infinity);
  });
});
