import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ARTICLE_MINIMUM,
  euclideanNorm,
  articleFunction,
  articleSurfaceGrid,
  descendArticleFunction,
  describeStop,
  fitPolynomial,
  gradientDescent,
  gridAxis,
} from "../src";

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
    const run = gradientDescent({
      start: [1],
      evaluate: ([x]) => ({ value: x ** 4, gradient: [4 * x ** 3] }),
      learningRate: 10,
      iterations: 50,
      risingStepsToDiverge: 1000,
    });
    assert.equal(run.stop.kind, "diverged");
    assert.ok(run.stop.kind === "diverged" && run.stop.cause === "non-finite");
    for (const point of run.points) assert.ok(point.every(Number.isFinite));
    assert.ok(run.values.every(Number.isFinite));
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
