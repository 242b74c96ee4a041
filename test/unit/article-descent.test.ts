/** The first article's experiments in numbers, and the figures built from them (src/problems/bowl/closed-form.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { convexityFigure, heightAboveMinimumFigure } from "../../src/figures/bowl-figures";
import {
  CONVEX_EXAMPLE,
  NON_CONVEX_EXAMPLE,
  articleStepInClosedForm,
  descendFunction,
  largestConvergingLearningRate,
} from "../../src/problems/bowl/closed-form";
import { positionRows, positionsMarkdown, positionsText } from "../../src/problems/bowl/positions";
import { descendArticleFunction } from "../../src/problems/bowl/bowl";
import { assertClose } from "../support/close";

const start = { x: 2, y: 2 };

describe("the first article's experiments", () => {
  it("lists every position with its height above the minimum ½(x + 1)² + ¼y²", () => {
    const trajectory = descendArticleFunction({ learningRate: 0.3, iterations: 5, ...start });
    const rows = positionRows(trajectory);
    assert.equal(rows.length, 6);
    rows.forEach((row, k) => {
      assert.deepEqual([row.x, row.y], trajectory.points[k]);
      assert.ok(Math.abs(row.aboveMinimum - (0.5 * (row.x + 1) ** 2 + 0.25 * row.y ** 2)) < 1e-12);
    });
    assert.match(positionsMarkdown(trajectory), /^\| step \| x \| y \|/);
    assert.match(positionsMarkdown(trajectory), /η = 0\.3: ran all 5 iterations\.$/);
    assert.match(positionsText(trajectory), /^\s+5\s+-0\.49579\s+0\.88741062\s/m);
  });

  it("predicts every step in closed form: (1 − η)^k on x + 1 and (1 − η/2)^k on y", () => {
    for (const learningRate of [0.1, 0.7, 1, 1.5, 2, 3.5]) {
      const trajectory = descendArticleFunction({ learningRate, iterations: 12, ...start });
      trajectory.points.forEach(([x, y], k) => {
        const predicted = articleStepInClosedForm(learningRate, k, start);
        assertClose(predicted.x, x, 1e-12, `η ${learningRate}, x_${k}`);
        assertClose(predicted.y, y, 1e-12, `η ${learningRate}, y_${k}`);
      });
    }
    assert.throws(() => articleStepInClosedForm(-1, 1, start), /learningRate.*-1/);
    assert.throws(() => articleStepInClosedForm(1, 1.5, start), /step.*1\.5/);
  });

  it("finds the largest converging learning rate just below 2, closer as iterations grow", () => {
    const converges = (learningRate: number, iterations: number): boolean =>
      descendArticleFunction({ learningRate, iterations, tolerance: 1e-6, ...start }).stop.kind ===
      "converged";
    const found = [100, 10_000].map((iterations) => largestConvergingLearningRate({ ...start, iterations }));
    assert.ok(found[0] < found[1] && found[1] < 2 && found[1] > 1.99, String(found));
    assert.ok(converges(found[0], 100) && !converges(found[0] + 1e-9, 100));
    assert.throws(() => largestConvergingLearningRate({ ...start, iterations: 2 }), /raise iterations/);
  });

  it("descends a function of the student's choice and rejects a missing gradient", () => {
    const run = descendFunction({
      func: (x, y) => (x - 3) ** 2 + y ** 2,
      gradient: (x, y) => [2 * (x - 3), 2 * y],
      learningRate: 0.5,
      iterations: 1,
      x: 0,
      y: 1,
    });
    assert.deepEqual(run.points[1], [3, 0], "η = 1/2 solves a quadratic of curvature 2 in one step");
    assert.throws(
      () =>
        descendFunction({ func: (x) => x, gradient: 3 as never, learningRate: 1, iterations: 1, x: 0, y: 0 }),
      /gradient/,
    );
  });
});

describe("the introduction's convex and non-convex examples", () => {
  it("places the non-convex minima where h' = 0 and h'' > 0, the global one lower", () => {
    const [global, local] = NON_CONVEX_EXAMPLE.minima;
    for (const minimum of [global, local]) {
      assert.ok(Math.abs(NON_CONVEX_EXAMPLE.derivative(minimum.x)) < 1e-12);
      assert.ok(12 * minimum.x ** 2 - 6 > 0);
    }
    assert.ok(NON_CONVEX_EXAMPLE.f(global.x) < NON_CONVEX_EXAMPLE.f(local.x));
  });

  it("draws a chord above the convex graph and one below the non-convex graph", () => {
    const figure = convexityFigure();
    const chords = figure.data.filter((trace) => String(trace.name).endsWith("a chord")) as {
      x: number[];
      y: number[];
    }[];
    assert.equal(chords.length, 2);
    const midpointGap = (chord: { x: number[]; y: number[] }, f: (x: number) => number): number =>
      (chord.y[0] + chord.y[1]) / 2 - f((chord.x[0] + chord.x[1]) / 2);
    assert.ok(midpointGap(chords[0], CONVEX_EXAMPLE.f) > 0, "convex: chord above");
    assert.ok(midpointGap(chords[1], NON_CONVEX_EXAMPLE.f) < 0, "non-convex: chord below");
  });

  it("plots f − f_min per iteration, on a log axis unless a run lands exactly on the minimum", () => {
    const runs = [0.1, 2].map((learningRate) =>
      descendArticleFunction({ learningRate, iterations: 4, ...start }),
    );
    const figure = heightAboveMinimumFigure(runs);
    assert.equal((figure.layout.yaxis as { type?: string }).type, "log");
    assert.deepEqual((figure.data[1] as { y: number[] }).y, [5.5, 4.5, 4.5, 4.5, 4.5]);
    const onTheMinimum = descendArticleFunction({ learningRate: 1, iterations: 2, x: 5, y: 0 });
    const linear = heightAboveMinimumFigure([onTheMinimum]);
    assert.notEqual((linear.layout.yaxis as { type?: string }).type, "log");
    assert.deepEqual((linear.data[0] as { y: number[] }).y, [18, 0, 0]);
  });
});
