/**
 * Choosing the step along the rule's direction at every step, from the objective itself, instead
 * of fixing η from the Hessian's eigenvalues:
 *   exact line search (a quadratic with Hessian H): t = gᵀg / gᵀHg, the minimum of f(x − t g);
 *   backtracking (Armijo): try t = t₀, t₀β, t₀β², … until f(x + t d) ≤ f(x) + c t ∇f(x)ᵀd,
 *   which needs only f and ∇f. `backtracking` wraps any step rule: the rule's step is the direction
 *   d, and the search chooses how much of it to take (plain descent, Newton, a preconditioned step).
 */
import { gradientDescent, type DescentOptions, type StepRule, type Trajectory } from "./loop";
import {
  KitRangeError,
  describeValue,
  requireFiniteVector,
  requireFunction,
  requireInteger,
  requirePositive,
} from "./validate";

type Matrix = readonly (readonly number[])[];

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function multiply(matrix: Matrix, vector: readonly number[]): number[] {
  return matrix.map((row) => dot(row, vector));
}

/**
 * Steepest descent with exact line search on a quadratic of constant Hessian H: along −g the
 * objective is f(x) − t gᵀg + ½t² gᵀHg, lowest at t = gᵀg / gᵀHg. Each new gradient is then
 * orthogonal to the last step, so the path zigzags at right angles.
 */
export function exactLineSearchStep(hessian: Matrix): StepRule<null> {
  const h = hessian.map((row, i) => requireFiniteVector(`hessian[${i}]`, row, hessian.length));
  return {
    name: "exact line search",
    learningRate: 1,
    init: () => null,
    update: (gradient, state) => {
      const gg = dot(gradient, gradient);
      if (gg === 0) return { step: gradient.map(() => 0), state };
      const curvature = dot(gradient, multiply(h, gradient));
      if (!(curvature > 0)) {
        throw new KitRangeError(
          `exact line search needs positive curvature along the gradient, got gᵀHg = ${curvature}`,
        );
      }
      const t = gg / curvature;
      return { step: gradient.map((g) => -t * g), state };
    },
  };
}

export interface BacktrackingOptions {
  /** t₀: the fraction of the rule's step tried first (default 1: the whole step). */
  initialStep?: number;
  /** β: each rejected trial multiplies t by it, 0 < β < 1 (default 0.5). */
  shrink?: number;
  /** c in Armijo's condition f(x + t d) ≤ f(x) + c t gᵀd, 0 < c < 1 (default 1e-4, Nocedal and Wright's). */
  sufficientDecrease?: number;
  /** Trials per step before giving up and staying put (default backtrackingTrialCap(shrink)). */
  maxTrials?: number;
  /**
   * Start each search at min(t₀, t_prev/β), one trial above the last accepted fraction, instead of
   * at t₀ (default false): on a badly conditioned problem this saves most of the trials.
   */
  warmStart?: boolean;
  /** Called for every trial point, accepted or not: for counting and for drawing. */
  onTrial?: (trial: LineSearchTrial) => void;
}

export interface LineSearchTrial {
  /** The step being searched: 1 for the first step. */
  step: number;
  /** t: the fraction of the direction tried. */
  fraction: number;
  point: number[];
  value: number;
  accepted: boolean;
}

export interface BacktrackingState<S> {
  inner: S;
  /** f at the current point (from the accepted trial, so it is not evaluated twice). */
  value: number;
  /** The fraction accepted last (t₀ before the first step). */
  fraction: number;
  step: number;
}

/**
 * The default number of trials per step: enough to shrink t₀ by a factor 10²⁴ (80 trials for β = ½,
 * 525 for β = 0.9), so that a t₀ far above the problem's scale still reaches it.
 */
export function backtrackingTrialCap(shrink: number): number {
  const beta = requireFraction("shrink", shrink);
  return Math.min(10_000, Math.ceil(Math.log(1e-24) / Math.log(beta)));
}

function requireFraction(name: string, value: unknown): number {
  const n = requirePositive(name, value);
  if (!(n < 1)) throw new KitRangeError(`${name} must be between 0 and 1 (not included), got ${n}`);
  return n;
}

/**
 * `rule` with its step length chosen by backtracking: the rule's step d is the direction (if it
 * does not point downhill, gᵀd ≥ 0, the search uses −g instead), and the first t = t₀, t₀β, … with
 * f(x + t d) ≤ f(x) + c t gᵀd is taken. Every accepted step satisfies that sufficient decrease; if
 * none of `maxTrials` does (rounding at the minimum), the step is zero.
 */
export function backtracking<S>(
  rule: StepRule<S>,
  objective: (point: readonly number[]) => number,
  options: BacktrackingOptions = {},
): StepRule<BacktrackingState<S>> {
  if (rule === null || typeof rule !== "object" || typeof rule.update !== "function") {
    throw new KitRangeError(`backtracking needs a step rule, got ${describeValue(rule)}`);
  }
  requireFunction("objective", objective);
  if (options === null || typeof options !== "object") {
    throw new KitRangeError(`the backtracking options must be an object, got ${describeValue(options)}`);
  }
  const initial = requirePositive("initialStep", options.initialStep ?? 1);
  const shrink = requireFraction("shrink", options.shrink ?? 0.5);
  const c = requireFraction("sufficientDecrease", options.sufficientDecrease ?? 1e-4);
  const maxTrials = requireInteger("maxTrials", options.maxTrials ?? backtrackingTrialCap(shrink), 1, 10_000);
  const warmStart = options.warmStart === true;
  const onTrial = options.onTrial;
  if (onTrial !== undefined) requireFunction("onTrial", onTrial);
  return {
    name: `${rule.name} + backtracking`,
    learningRate: rule.learningRate * initial,
    objectiveMayRise: false,
    init: (start) => ({ inner: rule.init(start), value: objective(start), fraction: initial, step: 0 }),
    update: (gradient, state, point) => {
      const step = state.step + 1;
      const proposal = rule.update(gradient, state.inner, point);
      let direction = proposal.step;
      let slope = dot(gradient, direction);
      if (!(slope < 0)) {
        direction = gradient.map((g) => -g);
        slope = -dot(gradient, gradient);
      }
      let fraction = warmStart ? Math.min(initial, state.fraction / shrink) : initial;
      for (let trial = 0; trial < maxTrials && slope < 0; trial++) {
        const candidate = point.map((p, i) => p + fraction * direction[i]);
        const value = objective(candidate);
        const accepted = value <= state.value + c * fraction * slope; // false for NaN
        onTrial?.({ step, fraction, point: candidate, value, accepted });
        if (accepted) {
          return {
            step: direction.map((d) => fraction * d),
            state: { inner: proposal.state, value, fraction, step },
          };
        }
        fraction *= shrink;
      }
      return {
        step: point.map(() => 0),
        state: { inner: proposal.state, value: state.value, fraction, step },
      };
    },
  };
}

export interface LineSearchRun {
  trajectory: Trajectory;
  /** trialsPerStep[k]: the trial points of step k + 1 (the last one accepted unless the search gave up). */
  trialsPerStep: number[];
  /** Evaluations of f alone: one at the start, one per trial. */
  functionEvaluations: number;
  /** Evaluations of f and ∇f together by the descent loop: one per point. */
  gradientEvaluations: number;
}

/** gradientDescent with `backtracking(rule, objective, options)`, counting the trials of every step. */
export function lineSearchDescent(
  options: Omit<DescentOptions, "rule" | "learningRate"> & {
    rule: StepRule<unknown>;
    objective: (point: readonly number[]) => number;
    backtracking?: BacktrackingOptions;
  },
): LineSearchRun {
  const trialsPerStep: number[] = [];
  const { rule, objective, backtracking: searchOptions = {}, ...descent } = options;
  const onTrial = searchOptions.onTrial;
  const trajectory = gradientDescent({
    ...descent,
    rule: backtracking(rule, objective, {
      ...searchOptions,
      onTrial: (trial) => {
        trialsPerStep[trial.step - 1] = (trialsPerStep[trial.step - 1] ?? 0) + 1;
        onTrial?.(trial);
      },
    }),
  });
  const trials = trialsPerStep.reduce((sum, n) => sum + n, 0);
  return {
    trajectory,
    trialsPerStep,
    functionEvaluations: 1 + trials,
    gradientEvaluations: trajectory.points.length,
  };
}

export interface SufficientDecreaseCheck {
  /** Steps checked. */
  steps: number;
  /** Steps k (1-based) where f(x_k) > f(x_{k−1}) + c ∇f(x_{k−1})ᵀ(x_k − x_{k−1}) beyond rounding. */
  violations: number[];
  /** Steps where the search gave up and stayed put (x_k = x_{k−1}). */
  zeroSteps: number;
}

/**
 * Armijo's condition checked on a finished trajectory, step by step, from the recorded points and
 * values and the gradient recomputed at each point (independent of the search's own bookkeeping).
 * Rounding of the two sums is allowed for: 1e-13 times the size of the values.
 */
export function checkSufficientDecrease(
  trajectory: Trajectory,
  evaluate: (point: readonly number[]) => { value: number; gradient: number[] },
  sufficientDecrease: number,
): SufficientDecreaseCheck {
  const c = requireFraction("sufficientDecrease", sufficientDecrease);
  const violations: number[] = [];
  let zeroSteps = 0;
  const { points, values } = trajectory;
  for (let k = 1; k < points.length; k++) {
    const step = points[k].map((p, i) => p - points[k - 1][i]);
    if (step.every((s) => s === 0)) zeroSteps++;
    const slope = dot(evaluate(points[k - 1]).gradient, step);
    const allowance = 1e-13 * Math.max(Math.abs(values[k]), Math.abs(values[k - 1]));
    if (!(values[k] <= values[k - 1] + c * slope + allowance)) violations.push(k);
  }
  return { steps: points.length - 1, violations, zeroSteps };
}
