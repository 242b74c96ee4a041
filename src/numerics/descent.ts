import {
  requireFiniteVector,
  requireFunction,
  requireInteger,
  requireIterations,
  requireNonNegative,
  requirePositive,
} from "./validate";

/** The objective and its gradient at one point, computed together (they share work). */
export interface Evaluation {
  value: number;
  gradient: number[];
}

export type Evaluate = (point: readonly number[]) => Evaluation;

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
  /** η in x ← x − η ∇f(x): a finite positive number. */
  learningRate: number;
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

export type StopReason =
  | { kind: "iterations"; iteration: number }
  | { kind: "converged"; iteration: number }
  | { kind: "diverged"; iteration: number; cause: "non-finite" | "objective-rising" };

export interface Trajectory {
  learningRate: number;
  /** points[k] is the point after k updates; all finite. */
  points: number[][];
  values: number[];
  gradientNorms: number[];
  stop: StopReason;
}

export const DEFAULT_RISING_STEPS_TO_DIVERGE = 3;

/**
 * Rises smaller than this fraction of the objective do not count towards divergence: a converged
 * run's objective wobbles in its last few digits from rounding (about 1e-14 relative for the
 * article's 2000-point sum of squares), which is not the steady growth of a diverging run.
 */
export const ROUNDING_RISE = 1e-12;

function rose(before: number, after: number): boolean {
  return after - before > ROUNDING_RISE * Math.abs(before);
}

/** √(Σ vᵢ²), scaled by the largest |vᵢ| so that a diverging run's huge gradient does not overflow. */
export function euclideanNorm(vector: readonly number[]): number {
  let largest = 0;
  for (const value of vector) largest = Math.max(largest, Math.abs(value));
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  let sum = 0;
  for (const value of vector) sum += (value / largest) ** 2;
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

function isFiniteEvaluation(evaluation: Evaluation): boolean {
  return Number.isFinite(evaluation.value) && allFinite(evaluation.gradient);
}

/**
 * Plain gradient descent x_{k+1} = x_k − η ∇f(x_k), keeping the whole trajectory.
 *
 * It stops when the iterations are done, when the gradient norm falls to `tolerance`
 * (converged), or when the run diverges: a non-finite coordinate, objective or gradient (the
 * path keeps its last finite point), or the objective rising on `risingStepsToDiverge`
 * consecutive updates. A descent step with a suitable η never raises a smooth objective, so
 * repeated rises mean η is too large for this function.
 */
export function gradientDescent(options: DescentOptions): Trajectory {
  const start = requireFiniteVector("start", options.start);
  requireFunction("evaluate", options.evaluate);
  const learningRate = requirePositive("learningRate", options.learningRate);
  const iterations = requireIterations("iterations", options.iterations);
  const tolerance =
    options.tolerance === undefined ? undefined : requireNonNegative("tolerance", options.tolerance);
  const risingStepsToDiverge = requireInteger(
    "risingStepsToDiverge",
    options.risingStepsToDiverge ?? DEFAULT_RISING_STEPS_TO_DIVERGE,
    1,
  );
  const observeEvery = requireInteger("observeEvery", options.observeEvery ?? 1, 1);
  if (options.observe !== undefined) requireFunction("observe", options.observe);

  let point = [...start];
  let current = options.evaluate(point);
  if (!isFiniteEvaluation(current)) {
    throw new RangeError(`start (${start.join(", ")}) gives a non-finite objective or gradient`);
  }
  const trajectory: Trajectory = {
    learningRate,
    points: [point],
    values: [current.value],
    gradientNorms: [euclideanNorm(current.gradient)],
    stop: { kind: "iterations", iteration: iterations },
  };
  let lastObserved = -1;
  const observe = (iteration: number, last: boolean): void => {
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

  let risingSteps = 0;
  for (let iteration = 1; iteration <= iterations; iteration++) {
    if (tolerance !== undefined && trajectory.gradientNorms[iteration - 1] <= tolerance) {
      trajectory.stop = { kind: "converged", iteration: iteration - 1 };
      break;
    }
    observe(iteration - 1, false);
    // Plain loops: this line runs once per step, and a cheap objective makes it the step's main cost.
    const next = new Array<number>(point.length);
    for (let i = 0; i < point.length; i++) next[i] = point[i] - learningRate * current.gradient[i];
    const evaluation = allFinite(next) ? options.evaluate(next) : undefined;
    if (evaluation === undefined || !isFiniteEvaluation(evaluation)) {
      trajectory.stop = { kind: "diverged", iteration, cause: "non-finite" };
      break;
    }
    risingSteps = rose(current.value, evaluation.value) ? risingSteps + 1 : 0;
    point = next;
    current = evaluation;
    trajectory.points.push(point);
    trajectory.values.push(current.value);
    trajectory.gradientNorms.push(euclideanNorm(current.gradient));
    if (risingSteps >= risingStepsToDiverge) {
      trajectory.stop = { kind: "diverged", iteration, cause: "objective-rising" };
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
  observe(last, true);
  return trajectory;
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
        : `diverged at iteration ${stop.iteration}: the objective rose on consecutive steps`;
  }
}
