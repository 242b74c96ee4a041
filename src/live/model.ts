/**
 * The live explorer's model: what the page recomputes on every slider input. Problems and step
 * rules are plain data (JSON), so the same settings give the same descent in the kernel and in
 * the page; the page runs this very file, bundled by esbuild (src/tools/page-bundles.ts).
 *
 * It imports numerics file by file (never the index, which loads TensorFlow.js) to keep the
 * page's bundle a few KB.
 */
import {
  describeStop,
  gradientDescent,
  type Evaluate,
  type StepRule,
  type Trajectory,
} from "../descent/loop";
import {
  describeValue,
  KitRangeError,
  KitTypeError,
  requireFinite,
  requireFiniteVector,
  requireInteger,
  requireNonNegative,
  requireObject,
  requirePositive,
} from "../descent/validate";
import { evaluateArticleFunction } from "../problems/bowl/bowl";
import { requireDegree } from "../problems/cubic-fit/polynomial";
import { makeStepRule, requireStepMethod } from "../descent/step-rules";
import {
  sumOfSquaresFromStatistics,
  type SufficientStatistics,
} from "../problems/cubic-fit/sufficient-statistics";

/**
 * The most iterations an explorer runs on a slider input (and its iterations slider's largest
 * end): 20 000 steps redraw within a frame or two (npm run bench), and the notebooks' own caps
 * (10 000 in 01, 20 000 in 02) stay within it.
 */
export const LIVE_MAX_ITERATIONS = 20_000;

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
  /** A rule of the kit's registry, STEP_RULES: plain, momentum, nesterov, … */
  rule: string;
  /** The rule's parameters: learningRate always, momentum for momentum, … */
  parameters: Record<string, number>;
  iterations: number;
  start: number[];
  /** Gradient norm that counts as converged (none by default: all iterations run). */
  tolerance?: number;
}

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

/** A problem as the page reads it (JSON): every statistic a finite number, the lengths the degree's. */
export function checkLiveProblem(value: unknown, name = "problem"): LiveProblem {
  const problem = requireObject(name, value as LiveProblem, "kind, …");
  if (problem.kind === "article-function") return { kind: problem.kind };
  if (problem.kind !== "sum-of-squares") {
    throw new KitRangeError(
      `${name}.kind must be "article-function" or "sum-of-squares", got ${describeValue((problem as { kind?: unknown }).kind)}`,
    );
  }
  const where = `${name}.statistics`;
  const json = requireObject(where, problem.statistics, "degree, powerSums, momentSums, sumOfSquaredTargets");
  const degree = requireDegree(json.degree);
  const statistics: JsonStatistics = {
    degree,
    powerSums: [...requireFiniteVector(`${where}.powerSums`, json.powerSums, 2 * degree + 1)],
    momentSums: [...requireFiniteVector(`${where}.momentSums`, json.momentSums, degree + 1)],
    sumOfSquaredTargets: requireNonNegative(`${where}.sumOfSquaredTargets`, json.sumOfSquaredTargets),
  };
  if (json.centre !== undefined) {
    const centre = requireObject(
      `${where}.centre`,
      json.centre,
      "optimum, sumOfSquaresAtOptimum, gradientResidual",
    );
    statistics.centre = {
      optimum: [...requireFiniteVector(`${where}.centre.optimum`, centre.optimum, degree + 1)],
      sumOfSquaresAtOptimum: requireNonNegative(
        `${where}.centre.sumOfSquaresAtOptimum`,
        centre.sumOfSquaresAtOptimum,
      ),
      gradientResidual: [
        ...requireFiniteVector(`${where}.centre.gradientResidual`, centre.gradientResidual, degree + 1),
      ],
    };
  }
  return { kind: "sum-of-squares", statistics };
}

/** The number of coordinates a problem's descent moves. */
export function problemDimension(problem: LiveProblem): number {
  return problem.kind === "article-function" ? 2 : problem.statistics.degree + 1;
}

/** The objective of a problem given as data. */
export function liveEvaluate(given: LiveProblem): Evaluate {
  const problem = checkLiveProblem(given);
  if (problem.kind === "article-function") return evaluateArticleFunction;
  const json = problem.statistics;
  const statistics: SufficientStatistics = {
    ...json,
    powerSums: Float64Array.from(json.powerSums),
    momentSums: Float64Array.from(json.momentSums),
  };
  return (coefficients) => sumOfSquaresFromStatistics(statistics, coefficients);
}

/** The settings' rule, from the kit's one registry of step rules (src/descent/step-rules.ts). */
export function liveStepRule(settings: LiveSettings): StepRule<unknown> {
  return makeStepRule({ ...settings.parameters, method: requireStepMethod("rule", settings.rule) });
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

/**
 * The path view's traces, in the figure's order: the contour map, then the four that move (drawn
 * by the builder in this order, redrawn by the page at these indices).
 */
export const PATH_TRACE = { map: 0, line: 1, steps: 2, start: 3, end: 4 } as const;
export const MOVING_PATH_TRACES: readonly number[] = [
  PATH_TRACE.line,
  PATH_TRACE.steps,
  PATH_TRACE.start,
  PATH_TRACE.end,
];
/** The loss view's one trace: the loss per iteration. */
export const LOSS_TRACE = 0;

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
    indices: [...MOVING_PATH_TRACES],
  };
}

/** The loss view's trace: the objective at every iteration. */
export function lossDraw(trajectory: Trajectory): LiveDraw {
  const steps = trajectory.values.map((_, k) => k);
  return { traces: [{ x: steps, y: trajectory.values.slice() }], indices: [LOSS_TRACE] };
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
  /** "path": the path over the contour map (PATH_TRACE); "loss": the objective per iteration (LOSS_TRACE). */
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

/** The settings an explorer's controls move: its rule's parameters and the iterations. */
function settingNames(spec: Pick<LiveExplorerSpec, "settings">): string[] {
  const parameters = LIVE_RULE_PARAMETERS[spec.settings.rule] ?? [];
  return ["learningRate", ...parameters.map((control) => control.setting), "iterations"];
}

/** New settings with one value changed; a setting the explorer does not have is refused, not shown. */
export function withSetting(
  spec: LiveExplorerSpec,
  settings: LiveSettings,
  setting: string,
  value: number,
): LiveSettings {
  const known = spec.controls.map((control) => control.setting);
  if (!known.includes(setting)) {
    throw new KitRangeError(
      `setting must be one of this explorer's (${known.join(", ")}), got ${describeValue(setting)}`,
    );
  }
  return setting === "iterations"
    ? { ...settings, iterations: requireInteger("iterations", value, 0, LIVE_MAX_ITERATIONS) }
    : { ...settings, parameters: { ...settings.parameters, [setting]: requireFinite(setting, value) } };
}

function requireString(name: string, value: unknown): string {
  if (typeof value !== "string")
    throw new KitTypeError(`${name} must be a string, got ${describeValue(value)}`);
  return value;
}

function checkControl(value: unknown, name: string, settings: string[]): LiveControl {
  const control = requireObject(name, value as LiveControl, "setting, label, min, max, scale");
  if (!settings.includes(control.setting)) {
    throw new KitRangeError(
      `${name}.setting must be one of this explorer's settings (${settings.join(", ")}), got ${describeValue(control.setting)}`,
    );
  }
  if (control.scale !== "log" && control.scale !== "linear") {
    throw new KitRangeError(`${name}.scale must be "log" or "linear", got ${describeValue(control.scale)}`);
  }
  const min =
    control.scale === "log"
      ? requirePositive(`${name}.min`, control.min)
      : requireFinite(`${name}.min`, control.min);
  const max = requireFinite(`${name}.max`, control.max);
  if (!(max > min))
    throw new KitRangeError(`${name}.max must be greater than ${name}.min (${min}), got ${max}`);
  if (control.setting === "iterations") requireInteger(`${name}.max`, max, 1, LIVE_MAX_ITERATIONS);
  const checked: LiveControl = {
    setting: control.setting,
    label: requireString(`${name}.label`, control.label),
    min,
    max,
    scale: control.scale,
  };
  if (control.integer !== undefined) {
    if (typeof control.integer !== "boolean") {
      throw new KitTypeError(`${name}.integer must be true or false, got ${describeValue(control.integer)}`);
    }
    checked.integer = control.integer;
  }
  if (control.reference !== undefined) {
    const reference = requireObject(`${name}.reference`, control.reference, "value, label");
    checked.reference = {
      value: requirePositive(`${name}.reference.value`, reference.value),
      label: requireString(`${name}.reference.label`, reference.label),
    };
  }
  return checked;
}

/**
 * An explorer's settings as the page reads them (JSON from the figure's output, which a saved
 * notebook or a hand-edited page may change): every field checked, every number finite, the rule
 * known and its parameters its own, the problem's statistics complete. Throws the kit's one-line
 * errors, which the page shows in the figure's status line.
 */
export function checkLiveSpec(value: unknown): LiveExplorerSpec {
  const spec = requireObject("spec", value as LiveExplorerSpec, "view, problem, settings, controls");
  if (spec.view !== "path" && spec.view !== "loss") {
    throw new KitRangeError(`spec.view must be "path" or "loss", got ${describeValue(spec.view)}`);
  }
  const problem = checkLiveProblem(spec.problem, "spec.problem");
  const given = requireObject("spec.settings", spec.settings, "rule, parameters, iterations, start");
  const rule = requireStepMethod("spec.settings.rule", given.rule);
  const names = settingNames({ settings: given });
  const parameters = requireObject("spec.settings.parameters", given.parameters, "learningRate, …");
  const checkedParameters: Record<string, number> = {};
  for (const [key, entry] of Object.entries(parameters)) {
    if (!names.includes(key) || key === "iterations") {
      throw new KitRangeError(
        `spec.settings.parameters.${key} is not a parameter of the ${rule} rule (${names.slice(0, -1).join(", ")})`,
      );
    }
    checkedParameters[key] = requireFinite(`spec.settings.parameters.${key}`, entry);
  }
  const settings: LiveSettings = {
    rule,
    parameters: checkedParameters,
    iterations: requireInteger("spec.settings.iterations", given.iterations, 0, LIVE_MAX_ITERATIONS),
    start: [...requireFiniteVector("spec.settings.start", given.start, problemDimension(problem))],
  };
  if (given.tolerance !== undefined)
    settings.tolerance = requirePositive("spec.settings.tolerance", given.tolerance);
  // The rule checks its own parameters (a learning rate > 0, momentum's β in [0, 1), …) and names them.
  liveStepRule(settings);
  if (!Array.isArray(spec.controls)) {
    throw new KitTypeError(`spec.controls must be an array, got ${describeValue(spec.controls)}`);
  }
  const controls = spec.controls.map((control, index) =>
    checkControl(control, `spec.controls[${index}]`, names),
  );
  if (typeof spec.clickSetsStart !== "boolean") {
    throw new KitTypeError(
      `spec.clickSetsStart must be true or false, got ${describeValue(spec.clickSetsStart)}`,
    );
  }
  return {
    view: spec.view,
    problem,
    settings,
    controls,
    clickSetsStart: spec.clickSetsStart,
    color: requireString("spec.color", spec.color),
  };
}
