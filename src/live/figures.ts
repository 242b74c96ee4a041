/**
 * Live explorers: figures whose sliders (and, on a map, a click) recompute the descent in the page,
 * with the kit's own code (live-model.ts, bundled for the browser by src/live/bundle.ts).
 * The builders compute the first view here, with the same function the page calls afterwards.
 */
import type { Layout, Plot } from "nodeplotlib";
import {
  MAX_ITERATIONS,
  KitRangeError,
  KitTypeError,
  requireFinite,
  requireInteger,
  requirePositive,
  describeValue,
  requireFiniteVector,
} from "../descent/validate";
import { symmetricEigenvalues, sumOfSquaresHessian } from "../analysis/hessian";
import { sufficientStatistics } from "../problems/cubic-fit/sufficient-statistics";
import { checkData, requireDegree, type PolyData } from "../problems/cubic-fit/polynomial";
import { ARTICLE_MINIMUM, articleFunction, type GridOptions } from "../problems/bowl/bowl";
import { pathColor, requireOptions, requireTitle, type Figure } from "../figures/figure";
import {
  formatSetting,
  LIVE_RULE_PARAMETERS,
  LIVE_STEP_RULES,
  liveDescent,
  liveUpdate,
  statisticsToJson,
  type LiveControl,
  type LiveExplorerSpec,
  type LiveProblem,
  type LiveSettings,
} from "./model";
import { checkSurfaceOptions, contourLayout, contourTrace, markTraces } from "../figures/surface";

export * from "./model";

/** A figure with a live explorer: show() and writeFigureHtml() send its code with it. */
export interface LiveFigure extends Figure {
  live: LiveExplorerSpec;
}

/** The largest iterations slider: 10 000 steps redraw in well under 50 ms (npm run bench). */
export const LIVE_MAX_ITERATIONS = 10_000;

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
  const iterations = requireInteger("iterations", given.iterations, 0, MAX_ITERATIONS);
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
      ? Math.max(LIVE_MAX_ITERATIONS, iterations)
      : requireInteger("maxIterations", given.maxIterations, Math.max(2, iterations), MAX_ITERATIONS);
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
  const name = rule ?? "plain";
  if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(LIVE_STEP_RULES, name)) {
    throw new KitRangeError(
      `rule must be one of ${Object.keys(LIVE_STEP_RULES).join(", ")}, got ${describeValue(name)}`,
    );
  }
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
  LIVE_STEP_RULES[name]({ learningRate: 1, ...parameters });
  return { rule: name, parameters, controls };
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
  /** The iterations slider's end, 1 … maxIterations on a log scale (default 10 000, or iterations if more). */
  maxIterations?: number;
  /** The step rule, a key of LIVE_STEP_RULES ("plain" by default). */
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
  const draw = liveUpdate(spec, settings, liveDescent(problem, settings));
  const hover = "step %{customdata}<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>";
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
  const paths = styles.map((style, i) => {
    const data = draw.traces[i];
    const marker = { ...(style.marker as object), ...(data.marker as object) };
    return { type: "scatter", ...style, ...data, marker } as Plot;
  });
  // The minimum, marked after the path's traces 1–4 (which the page moves): it stays on the map.
  const minimum = markTraces(
    [{ x: ARTICLE_MINIMUM.x, y: ARTICLE_MINIMUM.y, name: "minimum (−1, 0)" }],
    articleFunction,
    "contour",
  );
  return {
    data: [contourTrace(surface.grid, surface.colorscale), ...paths, ...minimum],
    layout: {
      ...contourLayout(surface.title, surface.grid),
      showlegend: false,
      height: 600,
      // A click sets the start: dragging would zoom away from the map it is set on.
      dragmode: false,
      hovermode: "closest",
      margin: { t: 60, b: 50, l: 50, r: 20 },
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
  const { learningRate, iterations, learningRates, maxIterations } = sliderSettings(checked, {
    min: 0.01 * bound,
    max: 1.5 * bound,
  });
  const settings: LiveSettings = {
    rule: "plain",
    parameters: { learningRate },
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
      iterationsControl(maxIterations),
    ],
    clickSetsStart: false,
    color: pathColor(0),
  };
  const first = liveDescent(problem, settings);
  const draw = liveUpdate(spec, settings, first);
  // Fixed axes, so that runs compare as the slider moves (and the page redraws only the curve):
  // from just below the best loss possible, the least-squares optimum's, to ten times the start's;
  // a diverging run leaves through the top.
  const optimum = problem.statistics.centre?.sumOfSquaresAtOptimum ?? 0;
  const lowest = optimum > 0 ? optimum : Math.max(Math.min(...first.values), first.values[0] * 1e-12);
  const yRange = [Math.log10(lowest) - 0.3, Math.log10(first.values[0]) + 1];
  const trace = {
    type: "scatter",
    mode: "lines",
    ...draw.traces[0],
    name: "loss",
    line: { color: spec.color, width: 2 },
    hovertemplate: "iteration %{x}<br>loss %{y:.6g}<extra></extra>",
  } as Plot;
  return {
    data: [trace],
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

/** Whether a figure carries a live explorer. */
export function isLiveFigure(figure: unknown): figure is LiveFigure {
  return typeof figure === "object" && figure !== null && typeof (figure as LiveFigure).live === "object";
}
