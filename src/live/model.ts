/**
 * The live explorer's model: what the page recomputes on every slider input. Problems and step
 * rules are plain data (JSON), so the same settings give the same descent in the kernel and in
 * the page; the page runs this very file, bundled by esbuild (src/live/bundle.ts).
 *
 * It imports numerics file by file (never the index, which loads TensorFlow.js) to keep the
 * page's bundle a few KB.
 */
import {
  describeStop,
  gradientDescent,
  plainStep,
  type Evaluate,
  type StepRule,
  type Trajectory,
} from "../descent/loop";
import { KitRangeError } from "../descent/validate";
import { evaluateArticleFunction } from "../problems/bowl/bowl";
import { momentumStep, nesterovStep } from "../descent/step-rules";
import {
  sumOfSquaresFromStatistics,
  type SufficientStatistics,
} from "../problems/cubic-fit/sufficient-statistics";

/** What is descended, as data. */
export type LiveProblem =
  | {
      /** The first article's f(x, y) = ½x² + x + ¼y² − 2. */
      kind: "article-function";
    }
  | {
      /** A polynomial's sum of squares, from its sufficient statistics (Σxᵐ, Σxᵏy, Σy²). */
      kind: "sum-of-squares";
      statistics: JsonStatistics;
    };

/** SufficientStatistics with plain arrays: typed arrays do not survive JSON. */
export interface JsonStatistics {
  degree: number;
  powerSums: number[];
  momentSums: number[];
  sumOfSquaredTargets: number;
  centre?: { optimum: number[]; sumOfSquaresAtOptimum: number; gradientResidual: number[] };
}

/** What the student sets: a step rule by name with its parameters, the iterations and the start. */
export interface LiveSettings {
  /** A key of LIVE_STEP_RULES. */
  rule: string;
  /** The rule's parameters: learningRate always, momentum for momentum, … */
  parameters: Record<string, number>;
  iterations: number;
  start: number[];
  /** Gradient norm that counts as converged (none by default: all iterations run). */
  tolerance?: number;
}

/**
 * Step rules the page knows, by name: each turns its parameters into a StepRule of
 * src/descent. A new rule is one line here and a slider in its explorer's controls.
 */
export const LIVE_STEP_RULES: Record<string, (parameters: Record<string, number>) => StepRule<unknown>> = {
  plain: (parameters) => plainStep(parameters.learningRate),
  momentum: (parameters) => momentumStep(parameters.learningRate, parameters.momentum),
  nesterov: (parameters) => nesterovStep(parameters.learningRate, parameters.momentum),
};

/**
 * Each rule's parameters beyond the learning rate: a slider each, with the value an explorer opens
 * on unless its options give one (momentum's β, …).
 */
const MOMENTUM_CONTROL = {
  setting: "momentum",
  label: "momentum β",
  min: 0,
  max: 0.99,
  scale: "linear",
  value: 0.9,
} as const;

export const LIVE_RULE_PARAMETERS: Record<string, (LiveControl & { value: number })[]> = {
  plain: [],
  momentum: [MOMENTUM_CONTROL],
  nesterov: [MOMENTUM_CONTROL],
};

/** Every field of the statistics travels (the page's loss is the kernel's only with all of them). */
export function statisticsToJson(statistics: SufficientStatistics): JsonStatistics {
  return {
    ...statistics,
    powerSums: Array.from(statistics.powerSums),
    momentSums: Array.from(statistics.momentSums),
  };
}

/** The objective of a problem given as data. */
export function liveEvaluate(problem: LiveProblem): Evaluate {
  if (problem?.kind === "article-function") return evaluateArticleFunction;
  if (problem?.kind === "sum-of-squares") {
    const json = problem.statistics;
    const statistics: SufficientStatistics = {
      ...json,
      powerSums: Float64Array.from(json.powerSums),
      momentSums: Float64Array.from(json.momentSums),
    };
    return (coefficients) => sumOfSquaresFromStatistics(statistics, coefficients);
  }
  throw new KitRangeError(
    `problem.kind must be "article-function" or "sum-of-squares", got ${JSON.stringify((problem as { kind?: unknown })?.kind)}`,
  );
}

export function liveStepRule(settings: LiveSettings): StepRule<unknown> {
  const make = Object.prototype.hasOwnProperty.call(LIVE_STEP_RULES, settings.rule)
    ? LIVE_STEP_RULES[settings.rule]
    : undefined;
  if (!make) {
    throw new KitRangeError(
      `rule must be one of ${Object.keys(LIVE_STEP_RULES).join(", ")}, got ${JSON.stringify(settings.rule)}`,
    );
  }
  return make(settings.parameters);
}

/** The descent for these settings: gradientDescent itself, in the kernel and in the page. */
export function liveDescent(
  problem: LiveProblem,
  settings: LiveSettings,
  evaluate = liveEvaluate(problem),
): Trajectory {
  return gradientDescent({
    start: settings.start,
    evaluate,
    rule: liveStepRule(settings),
    iterations: settings.iterations,
    tolerance: settings.tolerance,
  });
}

/** A parameter's value for labels: 3 significant digits, exponent form when very small or large. */
export function formatSetting(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) {
    return value
      .toExponential(2)
      .replace(/\.?0+e/, "e")
      .replace("e+", "e");
  }
  return String(Number(value.toPrecision(3)));
}

/** "η = 0.412, 100 iterations from (2, 2): converged at iteration 37". */
export function liveSubtitle(settings: LiveSettings, trajectory: Trajectory, showStart: boolean): string {
  const parameters = Object.entries(settings.parameters).map(
    ([name, value]) => `${PARAMETER_SYMBOLS[name] ?? name} = ${formatSetting(value)}`,
  );
  const from = showStart ? ` from (${settings.start.map(formatSetting).join(", ")})` : "";
  return `${parameters.join(", ")}, ${settings.iterations} iterations${from}: ${describeStop(trajectory.stop)}`;
}

export const PARAMETER_SYMBOLS: Record<string, string> = { learningRate: "η", momentum: "β" };

/** Paths longer than this are drawn as a line without a marker per step (markers would hide the line, and cost). */
export const MARKERS_UP_TO = 200;
export const DIVERGED_COLOR = "#d50000";

/** New data for some traces of a figure (plotly.js trace objects, data keys only). */
export interface LiveDraw {
  traces: Record<string, unknown>[];
  /** The indices of those traces in the figure. */
  indices: number[];
}

/**
 * The path view's traces after the contour map: the line through every point, a marker per step
 * (short runs only), the start and the end. A diverged run keeps its finite points and its end is
 * marked in red, with why it stopped in its hover text.
 */
export function pathDraw(trajectory: Trajectory, color: string): LiveDraw {
  const points = trajectory.points;
  const last = points.length - 1;
  const xs = new Array<number>(points.length);
  const ys = new Array<number>(points.length);
  const steps = new Array<number>(points.length);
  for (let k = 0; k <= last; k++) {
    xs[k] = points[k][0];
    ys[k] = points[k][1];
    steps[k] = k;
  }
  const markers = points.length <= MARKERS_UP_TO;
  const end = trajectory.stop.kind === "diverged" ? DIVERGED_COLOR : color;
  return {
    traces: [
      { x: xs, y: ys, customdata: steps },
      { x: markers ? xs : [], y: markers ? ys : [], customdata: markers ? steps : [] },
      { x: [xs[0]], y: [ys[0]] },
      {
        x: [xs[last]],
        y: [ys[last]],
        marker: { color: [end] },
        text: [`end after ${last} steps: ${describeStop(trajectory.stop)}`],
      },
    ],
    indices: [1, 2, 3, 4],
  };
}

/** The loss view's trace: the objective at every iteration. */
export function lossDraw(trajectory: Trajectory): LiveDraw {
  const steps = trajectory.values.map((_, k) => k);
  return { traces: [{ x: steps, y: trajectory.values.slice() }], indices: [0] };
}

/** One slider: which setting it moves, its range and scale. */
export interface LiveControl {
  /** "iterations", or a parameter of the rule: "learningRate", "momentum", … */
  setting: string;
  label: string;
  min: number;
  max: number;
  /** "log" for rates spanning decades; the slider itself is continuous. */
  scale: "log" | "linear";
  /** Whole numbers only (iterations). */
  integer?: boolean;
  /** A value worth seeing against, e.g. 2/λmax: marked on the slider, and the value is read as a multiple of it. */
  reference?: { value: number; label: string };
}

/** Everything the page needs to run an explorer (JSON). */
export interface LiveExplorerSpec {
  /** "path": the path over the contour map (traces 1–3); "loss": the objective per iteration (trace 0). */
  view: "path" | "loss";
  problem: LiveProblem;
  settings: LiveSettings;
  controls: LiveControl[];
  /** A click on the map moves the start there (path view). */
  clickSetsStart: boolean;
  color: string;
}

/** The traces' new data and the line that names the settings and the stop, for a run. */
export function liveUpdate(
  spec: LiveExplorerSpec,
  settings: LiveSettings,
  trajectory: Trajectory,
): LiveDraw & { subtitle: string; diverged: boolean } {
  const draw = spec.view === "path" ? pathDraw(trajectory, spec.color) : lossDraw(trajectory);
  return {
    ...draw,
    subtitle: liveSubtitle(settings, trajectory, spec.clickSetsStart),
    diverged: trajectory.stop.kind === "diverged",
  };
}

/** Slider position t in [0, 1] to a setting's value, and back. */
export function controlValue(control: LiveControl, t: number): number {
  const position = Math.min(1, Math.max(0, t));
  const value =
    control.scale === "log"
      ? control.min * Math.pow(control.max / control.min, position)
      : control.min + position * (control.max - control.min);
  return control.integer ? Math.round(value) : value;
}

export function controlPosition(control: LiveControl, value: number): number {
  const t =
    control.scale === "log"
      ? Math.log(value / control.min) / Math.log(control.max / control.min)
      : (value - control.min) / (control.max - control.min);
  return Math.min(1, Math.max(0, t));
}

/** The value a control reads in the settings. */
export function settingValue(settings: LiveSettings, setting: string): number {
  return setting === "iterations" ? settings.iterations : settings.parameters[setting];
}

/** New settings with one value changed. */
export function withSetting(settings: LiveSettings, setting: string, value: number): LiveSettings {
  return setting === "iterations"
    ? { ...settings, iterations: value }
    : { ...settings, parameters: { ...settings.parameters, [setting]: value } };
}
