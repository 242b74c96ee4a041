import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coefficientsFigure, lossFigure } from "../../src/figures/training";
import { contourWithPathFigure, surfaceWithPathFigure } from "../../src/figures/surface";
import { curvesFigure } from "../../src/figures/curves";
import { descendArticleFunction } from "../../src/problems/bowl/bowl";
import { descendForLearningRates } from "../../src/problems/bowl/learning-rates";
import { type Trajectory } from "../../src/descent/loop";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { type Figure } from "../../src/figures/figure";
import { assertClose } from "../support/close";

/** The article's f, written out again so the tests do not trust the module's own copy. */
const f = (x: number, y: number): number => 0.5 * x * x + x + 0.25 * y * y - 2;

type Trace = Record<string, unknown> & { x: number[]; y: number[]; z?: number[] | number[][] };

function traces(figure: Figure): Trace[] {
  return figure.data as unknown as Trace[];
}

describe("surfaceWithPathFigure", () => {
  const run = descendArticleFunction({ learningRate: 0.1, iterations: 10, x: 2, y: 2 });

  it("draws f on the article's 51 × 51 grid over [−2.5, 2.5] with the Hot colours", () => {
    const [surface] = traces(surfaceWithPathFigure());
    assert.equal(surface.type, "surface");
    assert.equal(surface.colorscale, "Hot");
    assert.equal(surface.x.length, 51);
    assert.equal(surface.y.length, 51);
    surface.x.forEach((x, i) => assertClose(x, -2.5 + 0.1 * i, 1e-12, `x[${i}]`, "absolute"));
    const z = surface.z as number[][];
    assert.equal(z.length, 51);
    z.forEach((row, r) => {
      assert.equal(row.length, 51);
      row.forEach((value, c) =>
        assertClose(value, f(-2.5 + 0.1 * c, -2.5 + 0.1 * r), 1e-12, `z[${r}][${c}]`, "absolute"),
      );
    });
    // The minimum (−1, 0) is a grid point: column 15, row 25.
    assertClose(z[25][15], -2.5, 1e-12, "f at the minimum", "absolute");
  });

  it("puts the path's points at the trajectory, at height f, from start to end", () => {
    const [, path, start, end] = traces(surfaceWithPathFigure({ trajectories: [run] }));
    assert.equal(path.type, "scatter3d");
    assert.equal(path.mode, "lines+markers");
    assert.equal(path.x.length, 11);
    path.x.forEach((x, k) => {
      // Closed form of the descent at η = 0.1 from (2, 2): x + 1 shrinks by 0.9, y by 0.95.
      assertClose(x, -1 + 3 * 0.9 ** k, 1e-12, `x after ${k} steps`, "absolute");
      assertClose(path.y[k], 2 * 0.95 ** k, 1e-12, `y after ${k} steps`, "absolute");
      assertClose((path.z as number[])[k], f(path.x[k], path.y[k]), 1e-12, `z after ${k} steps`, "absolute");
      assertClose(
        (path.z as number[])[k],
        run.values[k],
        1e-12,
        `z equals the trajectory's value after ${k} steps`,
        "absolute",
      );
    });
    assert.deepEqual([start.x, start.y, start.z], [[2], [2], [3]]);
    assert.deepEqual([end.x, end.y], [[run.points[10][0]], [run.points[10][1]]]);
    assert.equal(start.name, "start");
    assert.equal(end.name, "end");
  });

  it("labels the axes X, Y and Z", () => {
    const scene = surfaceWithPathFigure().layout.scene as Record<string, { title: { text: string } }>;
    assert.deepEqual(
      ["xaxis", "yaxis", "zaxis"].map((axis) => scene[axis].title.text),
      ["X", "Y", "Z"],
    );
  });

  it("takes another function, grid and colour scale", () => {
    const figure = surfaceWithPathFigure({
      func: (x, y) => x * y,
      grid: { from: -1, to: 1, step: 0.5 },
      colorscale: "Viridis",
      trajectories: [run],
    });
    const [surface, path] = traces(figure);
    assert.deepEqual(surface.x, [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual((surface.z as number[][])[0], [1, 0.5, -0, -0.5, -1]);
    assert.equal(surface.colorscale, "Viridis");
    path.x.forEach((x, k) => assert.equal((path.z as number[])[k], x * path.y[k]));
  });

  it("rejects bad options, naming them", () => {
    assert.throws(() => surfaceWithPathFigure({ colorscale: 3 as unknown as string }), /colorscale/);
    assert.throws(() => surfaceWithPathFigure({ grid: { step: -1 } }), /step must be .*-1/);
    assert.throws(
      () => surfaceWithPathFigure({ func: "x" as unknown as () => number }),
      /func must be a function/,
    );
    assert.throws(
      () => surfaceWithPathFigure({ trajectories: [{} as Trajectory] }),
      /trajectories\[0\] must be a trajectory/,
    );
    const threeD = { ...run, points: [[1, 2, 3]] };
    assert.throws(() => surfaceWithPathFigure({ trajectories: [threeD] }), /trajectories\[0\]\.points\[0\]/);
    assert.throws(() => surfaceWithPathFigure({ title: 5 as unknown as string }), /title must be a string/);
  });
});

describe("contourWithPathFigure", () => {
  it("draws the same grid from above, with the path in the plane", () => {
    const run = descendArticleFunction({ learningRate: 1.5, iterations: 5, x: 2, y: 2 });
    const figure = contourWithPathFigure({ trajectories: [run] });
    const [contour, path, start, end] = traces(figure);
    assert.equal(contour.type, "contour");
    assert.equal(contour.colorscale, "Hot");
    assertClose((contour.z as number[][])[45][5], f(-2, 2), 1e-12, "z[45][5]", "absolute");
    assert.equal(path.type, "scatter");
    assert.equal(path.z, undefined);
    // η = 1.5 overshoots: x + 1 flips sign and halves each step.
    path.x.forEach((x, k) => assertClose(x, -1 + 3 * (-0.5) ** k, 1e-12, `x after ${k} steps`, "absolute"));
    assert.deepEqual([start.x, start.y], [[2], [2]]);
    assert.deepEqual(end.x, [path.x[5]]);
    const layout = figure.layout as Record<string, { title: { text: string } }>;
    assert.deepEqual([layout.xaxis.title.text, layout.yaxis.title.text], ["X", "Y"]);
  });
});

describe("descendForLearningRates", () => {
  // 0.05, 0.10, …, 2.50: slow, direct (η = 1), oscillating (1 < η ≤ 2) and diverging (η > 2).
  const rates = Array.from({ length: 50 }, (_, i) => Number((0.05 * (i + 1)).toPrecision(12)));
  const runs = descendForLearningRates(rates, { iterations: 30, x: 2, y: 2 });

  it("descends once per rate from the same start", () => {
    assert.equal(runs.length, 50);
    runs.forEach((run, i) => {
      assert.equal(run.learningRate, rates[i]);
      assert.deepEqual(run.points[0], [2, 2]);
      // First step: (2, 2) − η (3, 1).
      assertClose(run.points[1][0], 2 - 3 * rates[i], 1e-12, `x1 at η = ${rates[i]}`, "absolute");
      assertClose(run.points[1][1], 2 - rates[i], 1e-12, `y1 at η = ${rates[i]}`, "absolute");
    });
    assert.equal(runs[49].stop.kind, "diverged");
    assert.ok(runs[49].points.flat().every(Number.isFinite));
  });

  it("rejects bad input, naming it", () => {
    assert.throws(() => descendForLearningRates([0.1, -1], { iterations: 3, x: 0, y: 0 }), /rates\[1\].*-1/);
    assert.throws(() => descendForLearningRates([0.1], { iterations: -1, x: 0, y: 0 }), /iterations/);
    assert.throws(() => descendForLearningRates([0.1], { iterations: 1, x: NaN, y: 0 }), /x must be/);
    assert.throws(
      () => descendForLearningRates([], { iterations: 1, x: 0, y: 0 }),
      /rates must not be empty/,
    );
  });
});

describe("curvesFigure", () => {
  const x = Array.from({ length: 2000 }, (_, i) => -Math.PI + (2 * Math.PI * i) / 1999);
  const target = { name: "sin(x)", y: x.map(Math.sin) };

  it("draws the target and each polynomial, evaluated at the same x", () => {
    const cubic = [0.1, 0.85, -0.02, -0.09];
    const figure = curvesFigure({ x, target, curves: [{ name: "fit", coefficients: cubic }] });
    const [sine, fit] = traces(figure);
    assert.equal(sine.name, "sin(x)");
    assert.equal(fit.name, "fit");
    assert.ok(sine.x.length <= 251 && sine.x.length >= 200, `${sine.x.length} points`);
    assert.equal(sine.x[sine.x.length - 1], Math.PI);
    sine.x.forEach((value, i) => {
      assert.equal(sine.y[i], Math.sin(value));
      assertClose(
        fit.y[i],
        cubic[0] + cubic[1] * value + cubic[2] * value ** 2 + cubic[3] * value ** 3,
        1e-12,
        `cubic at ${value}`,
        "absolute",
      );
    });
    assert.equal(figure.layout.showlegend ?? true, true);
  });

  it("keeps every point when asked", () => {
    const [sine, line] = traces(
      curvesFigure({ x, target, curves: [{ name: "line", coefficients: [1, 2] }], maxPoints: 2000 }),
    );
    assert.equal(sine.x.length, 2000);
    line.y.forEach((value, i) => assertClose(value, 1 + 2 * x[i], 1e-12, `line at x[${i}]`, "absolute"));
  });

  it("rejects bad input, naming it", () => {
    assert.throws(
      () => curvesFigure({ x, target: { name: "t", y: [1, 2] }, curves: [] }),
      /target\.y must have/,
    );
    assert.throws(() => curvesFigure({ x: [], target, curves: [] }), /x must not be empty/);
    assert.throws(
      () => curvesFigure({ x, target, curves: [{ name: "c", coefficients: [1, NaN] }] }),
      /curves\[0\]\.coefficients\[1\]/,
    );
    assert.throws(
      () => curvesFigure({ x, target, curves: "no" as unknown as [] }),
      /curves must be an array/,
    );
  });
});

describe("lossFigure and coefficientsFigure", () => {
  const fit = fitPolynomial({ iterations: 50 });

  it("draws loss against iteration on a logarithmic axis", () => {
    const figure = lossFigure([{ name: "sum of squares", values: fit.trajectory.values }]);
    const [loss] = traces(figure);
    assert.deepEqual(
      loss.x,
      fit.trajectory.values.map((_, k) => k),
    );
    assert.deepEqual(loss.y, fit.trajectory.values);
    assert.equal((figure.layout.yaxis as { type: string }).type, "log");
    const linear = lossFigure([{ name: "l", values: [3, 2, 0] }], { logY: false });
    assert.equal((linear.layout.yaxis as { type: string }).type, "linear");
  });

  it("thins long runs, keeping the first and last iteration", () => {
    const values = Float64Array.from({ length: 10_001 }, (_, k) => 1 / (k + 1));
    const [loss] = traces(lossFigure([{ name: "l", values }], { maxPoints: 100 }));
    assert.equal(loss.x[0], 0);
    assert.equal(loss.x[loss.x.length - 1], 10_000);
    assert.ok(loss.x.length <= 102);
    loss.x.forEach((k, i) => assert.equal(loss.y[i], 1 / (k + 1)));
  });

  it("rejects values a log axis cannot show, and other bad input", () => {
    assert.throws(
      () => lossFigure([{ name: "l", values: [1, 0.5, 0] }]),
      /series\[0\]\.values\[2\] is 0.*logY/,
    );
    assert.throws(() => lossFigure([]), /series must be a non-empty array/);
    assert.throws(() => lossFigure([{ name: "l", values: [1, NaN] }]), /series\[0\]\.values\[1\]/);
    assert.throws(
      () => lossFigure([{ name: "l", values: [1] }], { logY: "yes" as unknown as boolean }),
      /logY/,
    );
  });

  it("draws each coefficient against iteration", () => {
    const figure = coefficientsFigure(fit.trajectory);
    const data = traces(figure);
    assert.deepEqual(
      data.map((trace) => trace.name),
      ["a", "b", "c", "d"],
    );
    data.forEach((trace, i) => {
      assert.deepEqual(
        trace.y,
        fit.trajectory.points.map((point) => point[i]),
      );
    });
    const every = traces(coefficientsFigure(fit.trajectory, { every: 20, names: ["c0", "c1", "c2", "c3"] }));
    assert.deepEqual(every[0].x, [0, 20, 40, 50]);
    assert.equal(every[3].name, "c3");
    assert.throws(() => coefficientsFigure(fit.trajectory, { names: ["a"] }), /names must be 4 strings/);
    assert.throws(() => coefficientsFigure(fit.trajectory, { every: 0 }), /every must be/);
  });
});
