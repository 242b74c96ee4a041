/**
 * Live explorers: figures whose sliders (and, on a map, a click) recompute the descent in the page,
 * with the kit's own code (model.ts and page.ts, bundled for the browser at set-up by src/tools/page-bundles.ts).
 * The builders compute the first view here, with the same function the page calls afterwards.
 */
import type { Layout, Plot } from "nodeplotlib";
import {
  KitRangeError,
  KitTypeError,
  requireFinite,
  requireInteger,
  requirePositive,
  requireFiniteVector,
  extent,
} from "../descent/validate";
import { thinPath } from "../descent/thinning";
import { symmetricEigenvalues, sumOfSquaresHessian } from "../analysis/hessian";
import { sufficientStatistics } from "../problems/cubic-fit/sufficient-statistics";
import { checkData, requireDegree, type PolyData } from "../problems/cubic-fit/polynomial";
import { ARTICLE_MINIMUM, articleFunction, type GridOptions } from "../problems/bowl/bowl";
import { pathColor, requireOptions, requireTitle, type Figure } from "../figures/figure";
import {
  formatSetting,
  LIVE_MAX_ITERATIONS,
  LIVE_RULE_PARAMETERS,
  liveDescent,
  liveUpdate,
  LOSS_TRACE,
  MOVING_PATH_TRACES,
  PATH_TRACE,
  statisticsToJson,
  type LiveControl,
  type LiveDraw,
  type LiveExplorerSpec,
  type LiveProblem,
  type LiveSettings,
} from "./model";
import type { Trajectory } from "../descent/loop";
import { checkSurfaceOptions, contourLayout, contourTrace, markTraces } from "../figures/surface";
import { makeStepRule, requireStepMethod } from "../descent/step-rules";

export * from "./model";

/** A figure with a live explorer: show() and writeFigureHtml() send its code with it. */
export interface LiveFigure extends Figure {
  live: LiveExplorerSpec;
}

/** The iterations slider's end unless the options ask for another: 10 000 steps redraw in well under 50 ms (npm run bench). */
export const LIVE_DEFAULT_MAX_ITERATIONS = 10_000;

export interface LiveRange {
  min: number;
  max: number;
}

function requireRange(name: string, value: unknown): LiveRange {
  const range = requireOptions(name, value as Partial<LiveRange> | undefined);
  const min = requirePositive(`${name}.min`, range.min);
  const max = requirePositive(`${name}.max`, range.max);
  if (!(max > min))
    throw new KitRangeError(`${name}.max must be greater than ${name}.min (${min}), got ${max}`);
  return { min, max };
}

/**
 * The first view's learning rate and iterations, and the sliders' ends. Without explicit ends, the
 * default ones widen to take in the given values: whatever the parameters cell holds, the explorer
 * opens on it.
 */
function sliderSettings(
  given: { learningRate?: unknown; iterations?: unknown; learningRates?: unknown; maxIterations?: unknown },
  defaults: LiveRange,
): { learningRate: number; iterations: number; learningRates: LiveRange; maxIterations: number } {
  const learningRate = requirePositive("learningRate", given.learningRate);
  const iterations = requireInteger("iterations", given.iterations, 0, LIVE_MAX_ITERATIONS);
  let learningRates: LiveRange;
  if (given.learningRates === undefined) {
    learningRates = { min: Math.min(defaults.min, learningRate), max: Math.max(defaults.max, learningRate) };
  } else {
    learningRates = requireRange("learningRates", given.learningRates);
    if (learningRate < learningRates.min || learningRate > learningRates.max) {
      throw new KitRangeError(
        `learningRate must lie in learningRates [${learningRates.min}, ${learningRates.max}], got ${learningRate}`,
      );
    }
  }
  const maxIterations =
    given.maxIterations === undefined
      ? Math.max(LIVE_DEFAULT_MAX_ITERATIONS, iterations)
      : requireInteger("maxIterations", given.maxIterations, Math.max(2, iterations), LIVE_MAX_ITERATIONS);
  return { learningRate, iterations, learningRates, maxIterations };
}

function iterationsControl(maxIterations: number): LiveControl {
  return {
    setting: "iterations",
    label: "iterations",
    min: 1,
    max: maxIterations,
    scale: "log",
    integer: true,
  };
}

/** A step rule by name, its parameters' values within their sliders' ranges, and those sliders. */
function ruleSettings(
  rule: unknown,
  given: unknown,
): { rule: string; parameters: Record<string, number>; controls: LiveControl[] } {
  const name = requireStepMethod("rule", rule ?? "plain");
  const values = requireOptions("ruleParameters", given as Record<string, number> | undefined);
  const known = LIVE_RULE_PARAMETERS[name] ?? [];
  for (const key of Object.keys(values)) {
    if (!known.some((control) => control.setting === key)) {
      throw new KitRangeError(
        `ruleParameters.${key} is not a parameter of the ${name} rule (${known.map((c) => c.setting).join(", ") || "it has none"})`,
      );
    }
  }
  const parameters: Record<string, number> = {};
  const controls = known.map(({ value, ...control }) => {
    const chosen = requireFinite(`ruleParameters.${control.setting}`, values[control.setting] ?? value);
    parameters[control.setting] = chosen;
    // As for the learning rate, the slider widens to take in the value given.
    return { ...control, min: Math.min(control.min, chosen), max: Math.max(control.max, chosen) };
  });
  // The rule itself checks its parameters (momentum's β must be in [0, 1), …) and names them.
  makeStepRule({ ...parameters, method: name, learningRate: 1 });
  return { rule: name, parameters, controls };
}

/**
 * The first view as the figure carries it: the page redraws it with its own numbers at once, so
 * a long path or loss curve travels thinned (thinPath: every turn visible at the figure's scale,
 * at most MAX_PATH_POINTS points), and the page's size stays bounded whatever the iterations.
 */
function firstView(spec: LiveExplorerSpec, settings: LiveSettings, trajectory: Trajectory): LiveDraw {
  const draw = liveUpdate(spec, settings, trajectory);
  const kept =
    spec.view === "path"
      ? thinPath(trajectory.points)
      : thinPath(trajectory.values.map((value, k) => [k, Math.log10(Math.max(value, Number.MIN_VALUE))]));
  if (kept.length === trajectory.points.length) return draw;
  const pick = (values: unknown) => (Array.isArray(values) ? kept.map((k) => values[k] as unknown) : values);
  // The line (path view) or the curve (loss view): the traces that hold a value per point.
  const full = spec.view === "path" ? PATH_TRACE.line : LOSS_TRACE;
  return {
    indices: draw.indices,
    traces: draw.traces.map((trace, i) =>
      draw.indices[i] === full
        ? {
            ...trace,
            x: pick(trace.x),
            y: pick(trace.y),
            ...(trace.customdata ? { customdata: pick(trace.customdata) } : {}),
          }
        : trace,
    ),
  };
}

export interface LivePathExplorerOptions {
  /** The first view's settings: the notebook's parameters (default η = 0.1, 10 iterations, from (2, 2)). */
  learningRate?: number;
  iterations?: number;
  x?: number;
  y?: number;
  /**
   * The learning-rate slider's ends, log scale (default 0.01 … 3: slow, direct, oscillating,
   * diverging; 0.01 … 4 with momentum, whose limit is 2(1 + β); widened to take in learningRate).
   */
  learningRates?: Partial<LiveRange>;
  /**
   * The iterations slider's end, 1 … maxIterations on a log scale (default 10 000, or iterations if
   * more); iterations and maxIterations are at most LIVE_MAX_ITERATIONS (what the page recomputes
   * on each slider input).
   */
  maxIterations?: number;
  /** The step rule, a name in the kit's registry STEP_RULES ("plain" by default). */
  rule?: string;
  /** Values of the rule's other parameters (LIVE_RULE_PARAMETERS), e.g. { momentum: 0.9 }. */
  ruleParameters?: Record<string, number>;
  /** The map: the article's 51 × 51 grid over [−2.5, 2.5] by default. Clicks set the start within it. */
  grid?: GridOptions;
  colorscale?: string;
  title?: string;
}

/**
 * The first article's descent on the contour map, recomputed in the page: a continuous
 * learning-rate slider (log scale), an iterations slider, and a click on the map sets the start.
 */
export function livePathExplorerFigure(options: LivePathExplorerOptions = {}): LiveFigure {
  const checked = requireOptions("options", options);
  const { learningRate, iterations, learningRates, maxIterations } = sliderSettings(
    { ...checked, learningRate: checked.learningRate ?? 0.1, iterations: checked.iterations ?? 10 },
    // Past each rule's stability limit on f (λmax = 1): 2 for plain descent, 2(1 + β) < 4 with momentum.
    { min: 0.01, max: (checked.rule ?? "plain") === "plain" ? 3 : 4 },
  );
  const { rule, parameters, controls } = ruleSettings(checked.rule, checked.ruleParameters);
  const settings: LiveSettings = {
    rule,
    parameters: { learningRate, ...parameters },
    iterations,
    start: [requireFinite("x", checked.x ?? 2), requireFinite("y", checked.y ?? 2)],
  };
  const surface = checkSurfaceOptions(
    { grid: checked.grid, colorscale: checked.colorscale, title: requireTitle("title", checked.title) },
    (label) => `Gradient descent on ${label}`,
  );
  const problem: LiveProblem = { kind: "article-function" };
  const color = pathColor(0);
  const spec: LiveExplorerSpec = {
    view: "path",
    problem,
    settings,
    controls: [
      { setting: "learningRate", label: "learning rate η", scale: "log", ...learningRates },
      ...controls,
      iterationsControl(maxIterations),
    ],
    clickSetsStart: true,
    color,
  };
  const draw = firstView(spec, settings, liveDescent(problem, settings));
  const hover = "step %{customdata}<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>";
  // In MOVING_PATH_TRACES' order: the line, the steps, the start, the end.
  const styles: Record<string, unknown>[] = [
    { mode: "lines", name: "path", line: { color, width: 2.5 }, hovertemplate: hover },
    { mode: "markers", name: "steps", marker: { color, size: 5 }, hovertemplate: hover },
    {
      mode: "markers",
      name: "start",
      marker: { color, size: 12, symbol: "diamond", line: { color: "black", width: 1 } },
      hovertemplate: "start<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>",
    },
    {
      mode: "markers",
      name: "end",
      marker: { size: 12, symbol: "x", line: { color: "black", width: 1 } },
      hovertemplate: "%{text}<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>",
    },
  ];
  const traces: Plot[] = [];
  traces[PATH_TRACE.map] = contourTrace(surface.grid, surface.colorscale);
  draw.indices.forEach((index, i) => {
    const style = styles[MOVING_PATH_TRACES.indexOf(index)];
    const marker = { ...(style.marker as object), ...(draw.traces[i].marker as object) };
    traces[index] = { type: "scatter", ...style, ...draw.traces[i], marker } as Plot;
  });
  // The minimum, marked after the path's traces 1–4 (which the page moves): it stays on the map.
  const minimum = markTraces(
    [{ x: ARTICLE_MINIMUM.x, y: ARTICLE_MINIMUM.y, name: "minimum (−1, 0)" }],
    articleFunction,
    "contour",
  );
  return {
    data: [...traces, ...minimum],
    layout: {
      ...contourLayout(surface.title, surface.grid),
      showlegend: false,
      height: 600,
      // A click sets the start: dragging would zoom away from the map it is set on.
      dragmode: false,
      hovermode: "closest",
      // Fixed margins, the colorbar's within the right one: the page lays the moving path exactly
      // over the map from the layout alone (src/live/page.ts, plotArea).
      margin: { t: 60, b: 50, l: 50, r: 90, autoexpand: false },
    } as Partial<Layout>,
    live: spec,
  };
}

export interface LiveLossExplorerOptions {
  /** The points fitted (x and y). */
  data: PolyData;
  /** The polynomial's degree (default 3, the article's cubic). */
  degree?: number;
  /** The coefficients the descent starts from (a, b, c, …). */
  start: readonly number[];
  learningRate: number;
  iterations: number;
  /**
   * The learning-rate slider's ends, log scale; by default 1 % to 150 % of 2/λmax, so it crosses
   * the stability bound (marked on the slider), widened to take in learningRate.
   */
  learningRates?: Partial<LiveRange>;
  maxIterations?: number;
  /** The step rule, a name in the kit's registry STEP_RULES ("plain" by default): momentum shows its √κ gain. */
  rule?: string;
  /** Values of the rule's other parameters (LIVE_RULE_PARAMETERS), e.g. { momentum: 0.8 }. */
  ruleParameters?: Record<string, number>;
  title?: string;
}

/**
 * The second article's loss against iteration, recomputed in the page as the learning rate moves
 * across 2/λmax (λmax, the Hessian's largest eigenvalue, computed here). The page steps with the
 * fit's sufficient statistics, as fitPolynomial({ method: "sufficient-statistics" }) does.
 */
export function liveLossExplorerFigure(options: LiveLossExplorerOptions): LiveFigure {
  const checked = requireOptions("options", options);
  if (checked.data === undefined) throw new KitTypeError("data must be given: { x, y } arrays of numbers");
  const data = checkData(checked.data);
  const degree = requireDegree(checked.degree ?? 3);
  const start = [...requireFiniteVector("start", checked.start, degree + 1)];
  // Only λmax matters here: a high degree's Hessian may round to a singular one (its smallest
  // eigenvalue to zero or below), which stabilityOf rejects, while its largest stays exact enough.
  const eigenvalues = symmetricEigenvalues(sumOfSquaresHessian(data, degree));
  const bound = 2 / eigenvalues[eigenvalues.length - 1];
  const { rule, parameters, controls } = ruleSettings(checked.rule, checked.ruleParameters);
  // Past the rule's stability limit: 2/λmax for plain descent, up to 2(1 + β)/λmax with momentum (β ≤ 0.99).
  const limit = rule === "plain" ? bound : 2 * bound;
  const { learningRate, iterations, learningRates, maxIterations } = sliderSettings(checked, {
    min: 0.01 * bound,
    max: 1.5 * limit,
  });
  const settings: LiveSettings = {
    rule,
    parameters: { learningRate, ...parameters },
    iterations,
    start,
  };
  const problem: LiveProblem = {
    kind: "sum-of-squares",
    statistics: statisticsToJson(sufficientStatistics(data, degree)),
  };
  const title =
    requireTitle("title", checked.title) ??
    `The loss of the degree-${degree} fit per iteration (2/λmax = ${formatSetting(bound)})`;
  const spec: LiveExplorerSpec = {
    view: "loss",
    problem,
    settings,
    controls: [
      {
        setting: "learningRate",
        label: "learning rate η",
        scale: "log",
        ...learningRates,
        reference: { value: bound, label: "2/λmax" },
      },
      ...controls,
      iterationsControl(maxIterations),
    ],
    clickSetsStart: false,
    color: pathColor(0),
  };
  const first = liveDescent(problem, settings);
  const draw = firstView(spec, settings, first);
  // Fixed axes, so that runs compare as the slider moves (and the page redraws only the curve):
  // from just below the best loss possible, the least-squares optimum's, to ten times the start's;
  // a diverging run leaves through the top.
  const optimum = problem.statistics.centre?.sumOfSquaresAtOptimum ?? 0;
  const lowest = optimum > 0 ? optimum : Math.max(extent(first.values).min, first.values[0] * 1e-12);
  const yRange = [Math.log10(lowest) - 0.3, Math.log10(first.values[0]) + 1];
  const trace = {
    type: "scatter",
    mode: "lines",
    ...draw.traces[draw.indices.indexOf(LOSS_TRACE)],
    name: "loss",
    line: { color: spec.color, width: 2 },
    hovertemplate: "iteration %{x}<br>loss %{y:.6g}<extra></extra>",
  } as Plot;
  const traces: Plot[] = [];
  traces[LOSS_TRACE] = trace;
  return {
    data: traces,
    layout: {
      title: { text: title },
      xaxis: { title: { text: "iteration" }, range: [0, settings.iterations] },
      yaxis: { title: { text: "loss Σ (ŷ − y)²" }, type: "log", exponentformat: "power", range: yRange },
      showlegend: false,
      height: 480,
      margin: { t: 60, b: 50, l: 70, r: 20 },
    } as Partial<Layout>,
    live: spec,
  };
}
