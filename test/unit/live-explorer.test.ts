/**
 * The live explorer in the kernel: its descents are the kit's (the same iterates as
 * descendArticleFunction and fitPolynomial, also after the settings' trip through JSON), its
 * builders check their input, and its page code is a small esbuild bundle of src/.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  checkLiveSpec,
  withSetting,
  LIVE_MAX_ITERATIONS,
  LOSS_TRACE,
  PATH_TRACE,
  controlPosition,
  controlValue,
  liveDescent,
  pathDraw,
  type LiveExplorerSpec,
  type LiveSettings,
} from "../../src/live/model";
import { MAX_PATH_POINTS } from "../../src/descent/thinning";
import { descendArticleFunction, evaluateArticleFunction } from "../../src/problems/bowl/bowl";
import { figureHtml } from "../../src/display/html";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { gradientDescent } from "../../src/descent/loop";
import { liveLossExplorerFigure, livePathExplorerFigure } from "../../src/live/figures";
import { momentumStep, nesterovStep } from "../../src/descent/step-rules";
import { pageScript } from "../../src/display/page-scripts";
import { randomCoefficients, sineData } from "../../src/problems/cubic-fit/polynomial";
import { stabilityOf, sumOfSquaresHessian } from "../../src/analysis/hessian";
import { surfaceWithPathFigure } from "../../src/figures/surface";

const data = sineData();
const start = randomCoefficients(3, 0);
const bound = stabilityOf(sumOfSquaresHessian(data, 3)).largestStableLearningRate;

/** The spec as the page reads it: through JSON. */
function throughJson(spec: LiveExplorerSpec): LiveExplorerSpec {
  return JSON.parse(JSON.stringify(spec)) as LiveExplorerSpec;
}

function settings(learningRate: number, iterations: number, startPoint: number[]): LiveSettings {
  return { rule: "plain", parameters: { learningRate }, iterations, start: startPoint };
}

describe("live explorer: the kernel's numbers", () => {
  it("descends the article's function exactly as descendArticleFunction, after JSON", () => {
    const spec = throughJson(livePathExplorerFigure().live);
    for (const [learningRate, iterations, x, y] of [
      [0.1, 10, 2, 2],
      [1, 5, -2.3, 1.7],
      [1.9, 10_000, 0.25, -2],
      [2, 40, 2, 2],
      [2.5, 100, 2, 2],
      [0.013, 10_000, -2.5, 2.5],
    ]) {
      const page = liveDescent(spec.problem, settings(learningRate, iterations, [x, y]));
      const kernel = descendArticleFunction({ learningRate, iterations, x, y });
      assert.deepEqual(page, kernel, `η = ${learningRate}, ${iterations} iterations from (${x}, ${y})`);
    }
  });

  it("runs momentum and Nesterov exactly as gradientDescent with their step rules, after JSON", () => {
    for (const [rule, make] of [
      ["momentum", momentumStep],
      ["nesterov", nesterovStep],
    ] as const) {
      const figure = livePathExplorerFigure({ rule, ruleParameters: { momentum: 0.5 }, learningRate: 1 });
      const spec = throughJson(figure.live);
      assert.deepEqual(
        spec.controls.map((control) => control.setting),
        ["learningRate", "momentum", "iterations"],
      );
      for (const [learningRate, momentum, iterations] of [
        [0.3, 0.9, 40],
        [1, 0, 100],
        [3.5, 0.8, 10_000],
        [3.9, 0.5, 500],
      ]) {
        const page = liveDescent(spec.problem, {
          rule,
          parameters: { learningRate, momentum },
          iterations,
          start: [2, 2],
        });
        const kernel = gradientDescent({
          start: [2, 2],
          evaluate: evaluateArticleFunction,
          rule: make(learningRate, momentum),
          iterations,
        });
        assert.deepEqual(page, kernel, `${rule}, η = ${learningRate}, β = ${momentum}`);
      }
    }
  });

  it("fits the cubic exactly as fitPolynomial with sufficient statistics, after JSON", () => {
    const figure = liveLossExplorerFigure({ data, start, learningRate: 1e-6, iterations: 2000 });
    const spec = throughJson(figure.live);
    for (const factor of [0.05, 0.5, 0.99, 1.01, 1.4]) {
      const learningRate = factor * bound;
      const page = liveDescent(spec.problem, settings(learningRate, 3000, start));
      const kernel = fitPolynomial({
        data,
        start,
        learningRate,
        iterations: 3000,
        method: "sufficient-statistics",
      });
      assert.deepEqual(page, kernel.trajectory, `η = ${factor} × 2/λmax`);
      assert.equal(page.stop.kind === "diverged", factor > 1, `η = ${factor} × 2/λmax: ${page.stop.kind}`);
    }
  });

  it("draws the figure's first path from the same descent", () => {
    const figure = livePathExplorerFigure({ learningRate: 0.5, iterations: 30, x: -2, y: 1 });
    const trajectory = descendArticleFunction({ learningRate: 0.5, iterations: 30, x: -2, y: 1 });
    const path = figure.data[1] as unknown as { x: number[]; y: number[] };
    assert.deepEqual(
      path.x,
      trajectory.points.map((point) => point[0]),
    );
    assert.deepEqual(
      path.y,
      trajectory.points.map((point) => point[1]),
    );
    const loss = liveLossExplorerFigure({ data, start, learningRate: 1e-6, iterations: 2000 });
    const fit = fitPolynomial({
      data,
      start,
      learningRate: 1e-6,
      iterations: 2000,
      method: "sufficient-statistics",
    });
    // 2001 values travel thinned (the page redraws its own at once): each kept one is the fit's.
    const curve = loss.data[LOSS_TRACE] as unknown as { x: number[]; y: number[] };
    assert.ok(curve.x.length <= MAX_PATH_POINTS && curve.x.length > 100, `${curve.x.length} points`);
    assert.deepEqual([curve.x[0], curve.x[curve.x.length - 1]], [0, 2000]);
    assert.deepEqual(
      curve.y,
      curve.x.map((k) => fit.trajectory.values[k]),
    );
  });

  it("carries a bounded first view into the page at the largest iterations, every point kept the kernel's", () => {
    const figure = livePathExplorerFigure({
      learningRate: 0.001,
      iterations: LIVE_MAX_ITERATIONS,
      x: 2,
      y: 2,
    });
    const trajectory = descendArticleFunction({
      learningRate: 0.001,
      iterations: LIVE_MAX_ITERATIONS,
      x: 2,
      y: 2,
    });
    const line = figure.data[PATH_TRACE.line] as unknown as {
      x: number[];
      y: number[];
      customdata: number[];
    };
    assert.ok(line.x.length <= MAX_PATH_POINTS, `${line.x.length} points`);
    assert.deepEqual(
      line.x,
      line.customdata.map((k) => trajectory.points[k][0]),
    );
    assert.deepEqual(
      line.y,
      line.customdata.map((k) => trajectory.points[k][1]),
    );
    assert.deepEqual(
      [line.customdata[0], line.customdata[line.customdata.length - 1]],
      [0, LIVE_MAX_ITERATIONS],
    );
    assert.equal(figure.live.settings.iterations, LIVE_MAX_ITERATIONS, "the page recomputes all of them");
    const bytes = Buffer.byteLength(figureHtml(figure));
    assert.ok(bytes < 200_000, `${bytes} bytes in the page`);
  });

  it("marks a diverged run's end in red and keeps only finite points", () => {
    const trajectory = descendArticleFunction({ learningRate: 2.9, iterations: 10_000, x: 2, y: 2 });
    assert.equal(trajectory.stop.kind, "diverged");
    const draw = pathDraw(trajectory, "#123456");
    const end = draw.traces[3] as { marker: { color: string[] }; text: string[] };
    assert.deepEqual(end.marker.color, ["#d50000"]);
    assert.match(end.text[0], /diverged at iteration \d+/);
    assert.ok((draw.traces[0].x as number[]).every(Number.isFinite));
  });

  it("builds the loss explorer for every degree the kit fits, 0 to 20, with 2/λmax marked", () => {
    for (const degree of [0, 1, 5, 12, 20]) {
      const degreeStart = randomCoefficients(degree, 0);
      const { live } = liveLossExplorerFigure({
        data,
        degree,
        start: degreeStart,
        learningRate: 1e-9,
        iterations: 50,
      });
      const reference = live.controls[0].reference?.value ?? NaN;
      assert.ok(reference > 0 && Number.isFinite(reference), `degree ${degree}: 2/λmax = ${reference}`);
      const page = liveDescent(throughJson(live).problem, live.settings);
      const kernel = fitPolynomial({
        data,
        degree,
        start: degreeStart,
        learningRate: 1e-9,
        iterations: 50,
        method: "sufficient-statistics",
      });
      assert.deepEqual(page, kernel.trajectory, `degree ${degree}`);
    }
  });

  it("puts 2/λmax inside the loss explorer's learning-rate slider, marked", () => {
    const { live } = liveLossExplorerFigure({ data, start, learningRate: 1e-6, iterations: 2000 });
    const [rate, iterations] = live.controls;
    assert.ok(rate.min < bound && bound < rate.max, `${rate.min} < ${bound} < ${rate.max}`);
    assert.equal(rate.reference?.value, bound);
    assert.equal(rate.scale, "log");
    assert.deepEqual([iterations.min, iterations.max, iterations.integer], [1, 10_000, true]);
  });

  it("opens on whatever the parameters cell holds: the sliders' default ends widen to take it in", () => {
    const path = livePathExplorerFigure({ learningRate: 5, iterations: 20_000 }).live;
    assert.deepEqual([path.controls[0].min, path.controls[0].max], [0.01, 5]);
    assert.equal(path.controls[1].max, 20_000);
    assert.equal(path.settings.parameters.learningRate, 5);
    const slow = liveLossExplorerFigure({ data, start, learningRate: 1e-9, iterations: 0 }).live;
    assert.deepEqual([slow.controls[0].min, slow.controls[0].max], [1e-9, 1.5 * bound]);
    assert.equal(slow.settings.iterations, 0);
    const heavy = livePathExplorerFigure({ rule: "momentum", ruleParameters: { momentum: 0.995 } }).live;
    assert.deepEqual([heavy.controls[1].min, heavy.controls[1].max], [0, 0.995]);
    assert.equal(heavy.controls[0].max, 4, "momentum's limit 2(1 + β) lies inside the learning rates");
    const fast = liveLossExplorerFigure({ data, start, learningRate: 1e-3, iterations: 10 }).live;
    assert.equal(fast.controls[0].max, 1e-3);
  });

  it("maps slider positions to values and back, on log and linear scales", () => {
    const log = { setting: "learningRate", label: "", min: 0.01, max: 3, scale: "log" as const };
    const linear = { setting: "momentum", label: "", min: 0, max: 0.99, scale: "linear" as const };
    assert.equal(controlValue(log, 0), 0.01);
    assert.ok(Math.abs(controlValue(log, 1) - 3) < 1e-12);
    assert.ok(Math.abs(controlValue(log, 0.5) - Math.sqrt(0.03)) < 1e-12);
    assert.equal(controlValue(linear, 0.5), 0.495);
    for (let t = 0; t <= 1; t += 0.0625) {
      assert.ok(Math.abs(controlPosition(log, controlValue(log, t)) - t) < 1e-12);
      assert.ok(Math.abs(controlPosition(linear, controlValue(linear, t)) - t) < 1e-12);
    }
    const iterations = {
      setting: "iterations",
      label: "",
      min: 1,
      max: 10_000,
      scale: "log" as const,
      integer: true,
    };
    assert.equal(controlValue(iterations, 1), 10_000);
    assert.equal(controlValue(iterations, 0.5), 100);
    assert.equal(controlValue(iterations, -1), 1, "positions are clamped");
  });
});

describe("live explorer: bad input is named", () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      "momentum",
      () => livePathExplorerFigure({ rule: "momentum", ruleParameters: { momentum: 1 } }),
      /momentum must be a number from 0 up to \(not including\) 1, got 1/,
    ],
    [
      "rule of the figure",
      () => livePathExplorerFigure({ rule: "lbfgs" }),
      /rule must be one of plain, momentum, nesterov, adam, adagrad, rmsprop, newton, got "lbfgs"/,
    ],
    [
      "ruleParameters",
      () => livePathExplorerFigure({ ruleParameters: { momentum: 0.9 } }),
      /ruleParameters\.momentum is not a parameter of the plain rule \(it has none\)/,
    ],
    [
      "learningRate",
      () => livePathExplorerFigure({ learningRate: -1 }),
      /learningRate must be a finite positive number, got -1/,
    ],
    [
      "learningRate out of range",
      () => livePathExplorerFigure({ learningRate: 5, learningRates: { min: 0.01, max: 3 } }),
      /learningRate must lie in learningRates \[0\.01, 3\], got 5/,
    ],
    [
      "iterations",
      () => livePathExplorerFigure({ iterations: 2.5 }),
      /iterations must be a whole number from 0 to 20000, got 2\.5/,
    ],
    ["x", () => livePathExplorerFigure({ x: NaN }), /x must be a finite number, got NaN/],
    [
      "learningRates",
      () => livePathExplorerFigure({ learningRates: { min: 1, max: 0.5 } }),
      /learningRates\.max must be greater than learningRates\.min \(1\), got 0\.5/,
    ],
    [
      "maxIterations",
      () => livePathExplorerFigure({ maxIterations: 1 }),
      /maxIterations must be a whole number from 10 to 20000, got 1/,
    ],
    [
      "data",
      () => liveLossExplorerFigure({ start, learningRate: 1e-6, iterations: 10 } as never),
      /data must be given/,
    ],
    [
      "start",
      () => liveLossExplorerFigure({ data, start: [1, 2], learningRate: 1e-6, iterations: 10 }),
      /start must have 4 entries, got 2/,
    ],
    [
      "rule",
      () => liveDescent({ kind: "article-function" }, { ...settings(0.1, 1, [0, 0]), rule: "lbfgs" }),
      /rule must be one of plain, momentum, nesterov, adam, adagrad, rmsprop, newton, got "lbfgs"/,
    ],
    [
      "problem",
      () => liveDescent({ kind: "rosenbrock" } as never, settings(0.1, 1, [0, 0])),
      /problem\.kind must be "article-function" or "sum-of-squares", got "rosenbrock"/,
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => assert.throws(call, message));
  }
});

describe("live explorer: the settings the page reads are checked", () => {
  const path = () => throughJson(livePathExplorerFigure().live) as unknown as Record<string, never>;
  const loss = () =>
    throughJson(
      liveLossExplorerFigure({ data, start, learningRate: 1e-6, iterations: 100 }).live,
    ) as unknown as Record<string, never>;
  /** A copy of `spec` with the value at `keys` replaced. */
  function edited(spec: Record<string, never>, keys: (string | number)[], value: unknown): unknown {
    const copy = JSON.parse(JSON.stringify(spec)) as Record<string | number, unknown>;
    let target = copy;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
    target[keys[keys.length - 1]] = value;
    return copy;
  }
  const cases: [string, () => unknown, RegExp][] = [
    [
      "a NaN learning rate",
      () => edited(path(), ["settings", "parameters", "learningRate"], NaN),
      /^\w+Error: spec\.settings\.parameters\.learningRate must be a finite number, got NaN$/,
    ],
    [
      "1e999 (Infinity once parsed) as the start",
      () => edited(path(), ["settings", "start", 0], JSON.parse("1e999")),
      /^\w+Error: spec\.settings\.start\[0\] must be a finite number, got Infinity$/,
    ],
    [
      "null statistics (not read as 0)",
      () => edited(loss(), ["problem", "statistics", "powerSums", 2], null),
      /^\w+Error: spec\.problem\.statistics\.powerSums\[2\] must be a number, got null$/,
    ],
    [
      "null as the sum of squared targets",
      () => edited(loss(), ["problem", "statistics", "sumOfSquaredTargets"], null),
      /^\w+Error: spec\.problem\.statistics\.sumOfSquaredTargets must be a number, got null$/,
    ],
    [
      "an unknown rule",
      () => edited(path(), ["settings", "rule"], "lbfgs"),
      /^\w+Error: spec\.settings\.rule must be one of plain, momentum, nesterov, adam, adagrad, rmsprop, newton, got "lbfgs"$/,
    ],
    [
      // Refused before any solve: the page's code has no linear algebra (src/live/no-linear-algebra.ts).
      "Newton's rule, whose Hessian no explorer carries",
      () => edited(path(), ["settings", "rule"], "newton"),
      /^TypeError: method "newton" needs the Hessian \(hessian\)$/,
    ],
    [
      "a parameter the rule does not have",
      () => edited(path(), ["settings", "parameters", "momentum"], 0.9),
      /^\w+Error: spec\.settings\.parameters\.momentum is not a parameter of the plain rule \(learningRate\)$/,
    ],
    [
      "a control for a setting the explorer does not have",
      () => edited(path(), ["controls", 1, "setting"], "momentum"),
      /^\w+Error: spec\.controls\[1\]\.setting must be one of this explorer's settings \(learningRate, iterations\), got "momentum"$/,
    ],
    [
      "iterations past the page's cap",
      () => edited(path(), ["settings", "iterations"], 1e6),
      /^\w+Error: spec\.settings\.iterations must be a whole number from 0 to 20000, got 1000000$/,
    ],
    [
      "an iterations slider past the page's cap",
      () => edited(path(), ["controls", 1, "max"], 1e6),
      /^\w+Error: spec\.controls\[1\]\.max must be a whole number from 1 to 20000, got 1000000$/,
    ],
    [
      "a start of the wrong length",
      () => edited(loss(), ["settings", "start"], [1, 2]),
      /^\w+Error: spec\.settings\.start must have 4 entries, got 2$/,
    ],
    [
      "a learning rate the rule refuses",
      () => edited(path(), ["settings", "parameters", "learningRate"], -1),
      /learningRate must be a finite positive number, got -1/,
    ],
    [
      "no spec at all",
      () => null,
      /^\w+Error: spec must be an object \{ view, problem, settings, controls \}, got null$/,
    ],
  ];
  for (const [name, make, message] of cases) {
    it(name, () => assert.throws(() => checkLiveSpec(make()), message));
  }

  it("accepts what the builders write, unchanged", () => {
    assert.deepEqual(checkLiveSpec(path()), path());
    assert.deepEqual(checkLiveSpec(loss()), loss());
  });

  it("refuses a change to a setting the explorer does not have (not displayed)", () => {
    const spec = checkLiveSpec(path());
    assert.throws(
      () => withSetting(spec, spec.settings, "momentum", 0.9),
      /^RangeError: setting must be one of this explorer's \(learningRate, iterations\), got "momentum"$/,
    );
    assert.equal(withSetting(spec, spec.settings, "iterations", 30).iterations, 30);
  });
});

describe("live explorer: the page's code", () => {
  it("is one minified esbuild bundle of src/ built at set-up, under 100 KB, with no Node.js or TensorFlow.js in it", () => {
    const bundle = pageScript("live");
    // ml-matrix (Newton's linear solve, in the one registry of step rules) would add about 70 kB;
    // the registry's rules (Adagrad and RMSProp included) are about 25 kB.
    assert.ok(bundle.bytes < 32_000, `${bundle.bytes} bytes: no ml-matrix (src/live/no-linear-algebra.ts)`);
    assert.equal(Buffer.byteLength(bundle.code), bundle.bytes);
    assert.match(bundle.hash, /^[0-9a-f]{12}$/);
    assert.equal(createHash("sha256").update(bundle.code).digest("hex").slice(0, 12), bundle.hash);
    assert.doesNotMatch(bundle.code, /require\(|tensorflow|node:|<\/script/i);
    assert.match(bundle.code, /diverged at iteration/, "describeStop, from src/numerics/descent.ts");
    assert.equal(pageScript("live"), bundle, "read once per process");
  });

  it("travels with each live figure, its settings at full precision; other figures carry neither", () => {
    const figure = livePathExplorerFigure({ learningRate: 0.123456789012345 });
    const html = figureHtml(figure);
    const { hash } = pageScript("live");
    const json = new RegExp(
      `<script type="application/json" data-gd-live="gd-[0-9a-f]+" data-gd-live-code="${hash}">([^<]*)</script>`,
    ).exec(html);
    assert.ok(json, "the settings element, naming its code");
    const spec = JSON.parse(json[1]) as LiveExplorerSpec;
    assert.equal(spec.settings.parameters.learningRate, 0.123456789012345);
    assert.deepEqual(checkLiveSpec(spec), figure.live, "the page's check accepts what the kernel wrote");
    assert.equal(html.split(`data-gd-live-bundle="${hash}"`).length, 2);
    assert.ok(html.includes(`live.register("${hash}")`));
    const plain = figureHtml(surfaceWithPathFigure({ trajectories: [] }));
    assert.doesNotMatch(plain, /<script[^>]*data-gd-live/);
  });
});
