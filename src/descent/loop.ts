import {
  MAX_ITERATIONS,
  describeValue,
  requireFiniteVector,
  requireFunction,
  requireInteger,
  requireIterations,
  requireNonNegative,
  requireKnownOptions,
  requirePositive,
} from "./validate";
import { KitRangeError, KitTypeError } from "./validate";

/** The objective and its gradient at one point, computed together (they share work). */
export interface Evaluation {
  value: number;
  gradient: number[];
  /**
   * How far rounding alone may move `value` (absolute), when the objective can tell: a sum of
   * many terms knows its own noise. Rises below it are not counted as the objective rising.
   * Without it the descent assumes ROUNDING_RISE × |value|.
   */
  noise?: number;
}

export type Evaluate = (point: readonly number[]) => Evaluation;

/**
 * A step rule in the shape of optax's gradient transformations: `init` makes the rule's state
 * from the start point, `update` turns the gradient at the current point into the step to add.
 * Plain descent's step is −η∇f and its state is nothing; momentum keeps a velocity, Adam two
 * moment estimates, Newton's method none but it reads the point to evaluate the Hessian there.
 */
export interface StepRule<State = unknown> {
  /** For tables and legends: "plain", "momentum (β = 0.9)", … */
  readonly name: string;
  /** η, the scale of the steps; figures and tables label a run with it. */
  readonly learningRate: number;
  /**
   * True for rules whose objective rises for a while on runs that converge (momentum overshoots
   * and swings back; Adam bounces around the optimum): rises in a row then say nothing about
   * divergence, so the descent judges such a rule by non-finite values and growth alone.
   */
  readonly objectiveMayRise?: boolean;
  init(start: readonly number[]): State;
  update(
    gradient: readonly number[],
    state: State,
    point: readonly number[],
  ): { step: number[]; state: State };
}

/** Plain gradient descent's rule: step = −η ∇f(x), no state. */
export function plainStep(learningRate: number): StepRule<null> {
  const eta = requirePositive("learningRate", learningRate);
  return {
    name: "plain",
    learningRate: eta,
    init: () => null,
    update: (gradient, state) => ({ step: gradient.map((g) => -eta * g), state }),
  };
}

/** What the observer sees: the point after `iteration` updates. */
export interface DescentState {
  iteration: number;
  point: readonly number[];
  value: number;
  gradientNorm: number;
}

export interface DescentOptions {
  start: readonly number[];
  evaluate: Evaluate;
  /** η in x ← x − η ∇f(x): a finite positive number. Needed unless `rule` is given. */
  learningRate?: number;
  /** How a gradient becomes a step (default: plain descent with `learningRate`). */
  rule?: StepRule<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each rule has its own state
  /** Number of updates, 0 to MAX_ITERATIONS. */
  iterations: number;
  /** Stop as converged once the gradient norm is ≤ tolerance. */
  tolerance?: number;
  /** Divergence rule: the objective rose on this many consecutive updates (default 3). */
  risingStepsToDiverge?: number;
  /** Called for the point after `iteration` updates when (iteration + 1) is a multiple of
   * `observeEvery`, as the article prints t = 99, 199, …; and for the last point. */
  observe?: (state: DescentState) => void;
  observeEvery?: number;
}

export type DivergenceCause = "non-finite" | "objective-rising" | "objective-grew";

export type StopReason =
  | { kind: "iterations"; iteration: number }
  | { kind: "converged"; iteration: number }
  | {
      kind: "diverged";
      iteration: number;
      cause: DivergenceCause;
      /** For "objective-grew" under a rule whose objective may rise: its growth factor. */
      factor?: number;
    };

export interface Trajectory {
  learningRate: number;
  /** The step rule's name ("plain" for plain descent). */
  rule: string;
  /** points[k] is the point after k updates; all finite. */
  points: number[][];
  values: number[];
  gradientNorms: number[];
  stop: StopReason;
}

export const DEFAULT_RISING_STEPS_TO_DIVERGE = 3;

/**
 * Rounding noise assumed for an objective that does not report its own (`Evaluation.noise`):
 * a converged run's objective wobbles in its last few digits, which is not the steady growth of
 * a diverging run.
 */
export const ROUNDING_RISE = 1e-12;

/**
 * The objective grew by this factor over its scale (the larger of its start's height above the
 * best value seen and |best value|): divergence even when the rises are not consecutive, as with
 * non-smooth losses or momentum, whose objective can fall on some steps while it blows up.
 */
export const GROWTH_TO_DIVERGE = 1e3;

/**
 * The growth factor for rules whose objective may rise while they converge. Momentum's stiff mode,
 * started at rest and critically damped, grows like (1 + (1 + ρ)k)ρ^k before it shrinks: its loss
 * peaks near κ/e² times its start (κ the condition number; 1.7·10⁵ on the cubic over [−4π, 4π]),
 * so only growth well beyond that counts. A run far above where it started (Adam with a huge η
 * jumps 10¹¹-fold in one step) is caught at once; a diverging run grows geometrically and gets
 * there in a few hundred steps.
 */
export const GROWTH_TO_DIVERGE_MAY_RISE = 1e8;

/** The divergence rule in words, for notebooks and --help (stays true if the constants change). */
export function divergenceRuleText(risingSteps = DEFAULT_RISING_STEPS_TO_DIVERGE): string {
  return (
    `a run is stopped as diverged when a coordinate, the objective or the gradient stops being a finite number, ` +
    `when the objective rises on ${risingSteps} consecutive steps by more than its own rounding noise, ` +
    `or when it climbs to ${GROWTH_TO_DIVERGE} times its starting scale above the lowest value reached ` +
    `(for momentum and Adam, whose objective may rise for a while and still converge: only a non-finite number, ` +
    `or growth to ${GROWTH_TO_DIVERGE_MAY_RISE} times that scale)`
  );
}

function risesAboveNoise(before: Evaluation, after: Evaluation): boolean {
  const noise = Math.max(before.noise ?? 0, after.noise ?? 0, ROUNDING_RISE * Math.abs(before.value));
  return after.value - before.value > noise;
}

/** √(Σ vᵢ²), scaled by the largest |vᵢ| so that a diverging run's huge gradient does not overflow. */
export function euclideanNorm(vector: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]));
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] / largest) ** 2;
  return largest * Math.sqrt(sum);
}

function allFinite(values: readonly number[]): boolean {
  // v − v is 0 for every finite number, NaN for NaN and ±Infinity: a cheaper Number.isFinite.
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== "number" || value - value !== 0) return false;
  }
  return true;
}

function isFiniteEvaluation(evaluation: Evaluation, dimension: number): boolean {
  return (
    Number.isFinite(evaluation.value) &&
    evaluation.gradient.length === dimension &&
    allFinite(evaluation.gradient)
  );
}

/**
 * Gradient descent x_{k+1} = x_k + step, with step = −η ∇f(x_k) for plain descent (or what
 * `rule` makes of the gradient), keeping the whole trajectory.
 *
 * It stops when the iterations are done, when the gradient norm falls to `tolerance`
 * (converged), or when the run diverges (see `divergenceRuleText`). A descent step with a
 * suitable η never raises a smooth objective by more than rounding, so repeated rises mean η is
 * too large for this function.
 */
export function gradientDescent(options: DescentOptions): Trajectory {
  const { evaluate, start, rule, iterations, tolerance, risingStepsToDiverge, growthToDiverge, observe } =
    checkOptions(options);

  let point = [...start];
  let current = evaluate(point);
  if (!isFiniteEvaluation(current, point.length)) throw new KitRangeError(describeBadStart(start, current));
  let state = rule.init(point);
  const trajectory: Trajectory = {
    learningRate: rule.learningRate,
    rule: rule.name,
    points: [point],
    values: [current.value],
    gradientNorms: [euclideanNorm(current.gradient)],
    stop: { kind: "iterations", iteration: iterations },
  };
  const startValue = current.value;
  let best = current.value;
  let risingSteps = 0;
  for (let iteration = 1; iteration <= iterations; iteration++) {
    if (tolerance !== undefined && trajectory.gradientNorms[iteration - 1] <= tolerance) {
      trajectory.stop = { kind: "converged", iteration: iteration - 1 };
      break;
    }
    observe(iteration - 1, point, current, trajectory, false);
    const update = rule.update(current.gradient, state, point);
    const next = point.map((p, i) => p + update.step[i]);
    const evaluation = allFinite(next) ? evaluate(next) : undefined;
    if (evaluation === undefined || !isFiniteEvaluation(evaluation, next.length)) {
      trajectory.stop = { kind: "diverged", iteration, cause: "non-finite" };
      break;
    }
    risingSteps = risesAboveNoise(current, evaluation) ? risingSteps + 1 : 0;
    point = next;
    current = evaluation;
    state = update.state;
    best = Math.min(best, current.value);
    trajectory.points.push(point);
    trajectory.values.push(current.value);
    trajectory.gradientNorms.push(euclideanNorm(current.gradient));
    if (risingSteps >= risingStepsToDiverge) {
      trajectory.stop = { kind: "diverged", iteration, cause: "objective-rising" };
      break;
    }
    const scale = Math.max(startValue - best, Math.abs(best), current.noise ?? 0);
    if (current.value - best > growthToDiverge * scale) {
      trajectory.stop = { kind: "diverged", iteration, cause: "objective-grew" };
      if (growthToDiverge !== GROWTH_TO_DIVERGE) trajectory.stop.factor = growthToDiverge;
      break;
    }
  }
  const last = trajectory.points.length - 1;
  if (
    trajectory.stop.kind === "iterations" &&
    tolerance !== undefined &&
    trajectory.gradientNorms[last] <= tolerance
  ) {
    trajectory.stop = { kind: "converged", iteration: last };
  }
  observe(last, point, current, trajectory, true);
  return trajectory;
}

// ——— Below: the checks and bookkeeping that keep the loop above short. ———

function checkOptions(options: DescentOptions) {
  if (options === null || typeof options !== "object") {
    throw new KitTypeError(`the options of gradientDescent must be an object, got ${describeValue(options)}`);
  }
  requireKnownOptions("the options of gradientDescent", options, DESCENT_OPTIONS);
  const start = requireFiniteVector("start", options.start);
  requireFunction("evaluate", options.evaluate);
  if (options.rule !== undefined && options.learningRate !== undefined) {
    throw new KitRangeError(
      "give either learningRate (plain descent) or rule (whose learning rate it carries), not both",
    );
  }
  const checkedRule: StepRule<unknown> =
    options.rule === undefined
      ? plainStep(requireLearningRate(options.learningRate))
      : requireRule(options.rule);
  const rule: StepRule<unknown> = { ...checkedRule, update: checkedUpdate(checkedRule) };
  const iterations = requireIterations("iterations", options.iterations);
  const tolerance =
    options.tolerance === undefined ? undefined : requireNonNegative("tolerance", options.tolerance);
  const risingStepsToDiverge =
    options.risingStepsToDiverge === undefined && rule.objectiveMayRise === true
      ? Number.POSITIVE_INFINITY // see StepRule.objectiveMayRise
      : requireInteger(
          "risingStepsToDiverge",
          options.risingStepsToDiverge ?? DEFAULT_RISING_STEPS_TO_DIVERGE,
          1,
          MAX_ITERATIONS,
        );
  const observeEvery = requireInteger("observeEvery", options.observeEvery ?? 1, 1, MAX_ITERATIONS);
  if (options.observe !== undefined) requireFunction("observe", options.observe);
  const userEvaluate = options.evaluate;
  const evaluate = (point: readonly number[]): Evaluation => {
    const evaluation = userEvaluate(point);
    if (evaluation === null || typeof evaluation !== "object" || !Array.isArray(evaluation.gradient)) {
      throw new KitTypeError(
        `evaluate must return { value: number, gradient: number[] }, got ${describeValue(evaluation)}`,
      );
    }
    if (evaluation.gradient.length !== point.length) {
      throw new KitRangeError(
        `evaluate returned a gradient of length ${evaluation.gradient.length} for a point of length ${point.length}`,
      );
    }
    return evaluation;
  };
  let lastObserved = -1;
  const observe = (
    iteration: number,
    point: readonly number[],
    current: Evaluation,
    trajectory: Trajectory,
    last: boolean,
  ): void => {
    if (options.observe && iteration !== lastObserved && (last || (iteration + 1) % observeEvery === 0)) {
      lastObserved = iteration;
      options.observe({
        iteration,
        point,
        value: current.value,
        gradientNorm: trajectory.gradientNorms[iteration],
      });
    }
  };
  const growthToDiverge = rule.objectiveMayRise === true ? GROWTH_TO_DIVERGE_MAY_RISE : GROWTH_TO_DIVERGE;
  return { evaluate, start, rule, iterations, tolerance, risingStepsToDiverge, growthToDiverge, observe };
}

const DESCENT_OPTIONS: readonly (keyof DescentOptions)[] = [
  "start",
  "evaluate",
  "learningRate",
  "rule",
  "iterations",
  "tolerance",
  "risingStepsToDiverge",
  "observe",
  "observeEvery",
];

/** The rule's update, with its result checked as evaluate's is: a step of the point's length. */
function checkedUpdate(rule: StepRule<unknown>): StepRule<unknown>["update"] {
  return (gradient, state, point) => {
    const result = rule.update(gradient, state, point);
    const step = (result as { step?: unknown } | undefined)?.step;
    if (!Array.isArray(step)) {
      throw new KitTypeError(
        `the step rule "${rule.name}" must return { step: number[], state } from update, got ${describeValue(result)}`,
      );
    }
    if (step.length !== point.length) {
      throw new KitRangeError(
        `the step rule "${rule.name}" returned a step of length ${step.length} for a point of length ${point.length}`,
      );
    }
    return result;
  };
}

function requireLearningRate(learningRate: unknown): number {
  if (learningRate === undefined)
    throw new KitTypeError("learningRate must be given (or a step rule as rule)");
  return requirePositive("learningRate", learningRate);
}

function requireRule(rule: unknown): StepRule<unknown> {
  const candidate = rule as Partial<StepRule<unknown>> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    typeof candidate.init !== "function" ||
    typeof candidate.update !== "function" ||
    typeof candidate.name !== "string"
  ) {
    throw new KitTypeError(
      `rule must be a step rule { name, learningRate, init, update }, got ${describeValue(rule)}`,
    );
  }
  requirePositive("rule.learningRate", candidate.learningRate);
  return candidate as StepRule<unknown>;
}

function describeBadStart(start: readonly number[], evaluation: Evaluation): string {
  const what = Number.isFinite(evaluation.value) ? "gradient" : "objective";
  return `the ${what} is not a finite number at the start (${start.join(", ")}): ${what} = ${
    Number.isFinite(evaluation.value) ? `[${evaluation.gradient.join(", ")}]` : evaluation.value
  }`;
}

/** One sentence for a notebook or the command line: why the run stopped. */
export function describeStop(stop: StopReason): string {
  switch (stop.kind) {
    case "iterations":
      return `ran all ${stop.iteration} iterations`;
    case "converged":
      return `converged at iteration ${stop.iteration}`;
    case "diverged":
      return stop.cause === "non-finite"
        ? `diverged at iteration ${stop.iteration}: the next point was not a finite number`
        : stop.cause === "objective-rising"
          ? `diverged at iteration ${stop.iteration}: the objective rose on consecutive steps`
          : `diverged at iteration ${stop.iteration}: the objective grew ${stop.factor ?? GROWTH_TO_DIVERGE} times past its starting scale`;
  }
}
