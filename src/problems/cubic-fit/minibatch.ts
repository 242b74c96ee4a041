/**
 * Minibatch stochastic gradient descent on the article's cubic fit. Each step uses the gradient of
 * a few points only, drawn without replacement from a seeded shuffle of the data (one pass over all
 * points is an epoch, then a new shuffle). The minibatch's gradient is scaled by n/|batch|, so it
 * is an unbiased estimate of the full sum's gradient and the learning rate means what it means for
 * full-batch descent; a batch of all n points is full-batch descent.
 *
 * The descent loop is the kit's gradientDescent: the evaluate function hands it the next batch's
 * gradient at each call, and the full-batch loss (from the sufficient statistics, O(degree²), so
 * recording it costs nothing) as the value, which the trajectory records and the figures plot.
 * The loss of a noisy step can rise, so rises in a row are no sign of divergence here: an SGD run
 * is judged diverged only on a non-finite value or growth by 10³ over its scale.
 */
import {
  gradientDescent,
  plainStep,
  type Evaluation,
  type StepRule,
  type Trajectory,
} from "../../descent/loop";
import {
  checkData,
  randomCoefficients,
  requireDegree,
  sineData,
  DEFAULT_SEED,
  type PolyData,
} from "./polynomial";
import { seededUniform } from "../../descent/random";
import { sufficientStatistics, sumOfSquaresFromStatistics } from "./sufficient-statistics";
import {
  KitTypeError,
  MAX_ITERATIONS,
  describeValue,
  requireFiniteVector,
  requireInteger,
  requirePositive,
} from "../../descent/validate";

export interface MinibatchOptions {
  data?: PolyData;
  degree?: number;
  /** Points per step, 1 to the number of points (all: full-batch descent). */
  batchSize: number;
  /** Passes over the data. */
  epochs: number;
  /** Seeds the shuffles (and the random start unless `start` is given). */
  seed?: number;
  start?: readonly number[];
  /** η of plain SGD; or give `rule` (e.g. decayingStep, momentumStep). */
  learningRate?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule has its own state
  rule?: StepRule<any>;
}

export interface MinibatchRun {
  trajectory: Trajectory;
  /** gradientEvaluations[k]: per-point gradients computed to reach trajectory.points[k]. */
  gradientEvaluations: number[];
  batchSize: number;
  stepsPerEpoch: number;
}

/** Fisher–Yates shuffle of 0 … n − 1 with a seeded generator. */
export function shuffledIndices(count: number, uniform: () => number): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export function minibatchDescent(options: MinibatchOptions): MinibatchRun {
  if (options === null || typeof options !== "object") {
    throw new KitTypeError(`the options must be an object, got ${describeValue(options)}`);
  }
  const data = options.data === undefined ? sineData() : checkData(options.data);
  const degree = requireDegree(options.degree ?? 3);
  const count = data.x.length;
  const batchSize = requireInteger("batchSize", options.batchSize, 1, count);
  const stepsPerEpoch = Math.ceil(count / batchSize);
  const epochs = requireInteger("epochs", options.epochs, 1, Math.floor(MAX_ITERATIONS / stepsPerEpoch));
  const seed = requireInteger("seed", options.seed ?? DEFAULT_SEED, 0, 2 ** 32 - 1);
  const start =
    options.start === undefined
      ? randomCoefficients(degree, seed)
      : requireFiniteVector("start", options.start, degree + 1);
  const rule = options.rule ?? plainStep(options.learningRate as number);

  const statistics = sufficientStatistics(data, degree);
  const uniform = seededUniform(seed);
  let order = shuffledIndices(count, uniform);
  let position = 0;
  const batchSizes: number[] = [];
  // One call, one batch: the gradient of the next points of the shuffle, scaled by n/|batch|.
  const evaluate = (coefficients: readonly number[]): Evaluation => {
    if (position >= count) {
      order = shuffledIndices(count, uniform);
      position = 0;
    }
    const end = Math.min(count, position + batchSize);
    const gradient = new Array<number>(degree + 1).fill(0);
    for (let b = position; b < end; b++) {
      const x = data.x[order[b]];
      let prediction = 0;
      for (let k = degree; k >= 0; k--) prediction = prediction * x + coefficients[k];
      const gradPrediction = 2 * (prediction - data.y[order[b]]);
      let power = 1;
      for (let k = 0; k <= degree; k++) {
        gradient[k] += gradPrediction * power;
        power *= x;
      }
    }
    const scale = count / (end - position);
    batchSizes.push(end - position);
    position = end;
    return {
      value: sumOfSquaresFromStatistics(statistics, coefficients).value,
      gradient: gradient.map((g) => g * scale),
    };
  };
  const trajectory = gradientDescent({
    start,
    evaluate,
    rule,
    iterations: epochs * stepsPerEpoch,
    risingStepsToDiverge: MAX_ITERATIONS,
  });
  const gradientEvaluations = [0];
  for (let k = 1; k < trajectory.points.length; k++)
    gradientEvaluations.push(gradientEvaluations[k - 1] + batchSizes[k - 1]);
  return { trajectory, gradientEvaluations, batchSize, stepsPerEpoch };
}

export interface SinglePointStability {
  /**
   * The learning rate below which every single-point step is stable: a step on point i alone
   * (its gradient 2 rᵢ φ(xᵢ) scaled by n) multiplies that point's own residual rᵢ by
   * 1 − 2nη‖φ(xᵢ)‖², which stays above −1 for η < 1/(n · maxᵢ ‖φ(xᵢ)‖²). Below it any minibatch's
   * step is stable on its own points too (the batch's curvature is at most the largest point's).
   */
  limit: number;
  /** The lowest factor 1 − 2nη‖φ(xᵢ)‖² at the learning rate asked about, and at which x. */
  worstFactor: number;
  worstX: number;
  /** The share of the points whose factor is below −1, and the smallest |x| among them. */
  unstableShare: number;
  smallestUnstableX: number | undefined;
}

/** Where single-point steps (batch size 1) overshoot: φ(x) = (1, x, …, x^degree). */
export function singlePointStability(
  data: PolyData,
  degree: number,
  learningRate: number,
): SinglePointStability {
  const checked = checkData(data);
  requireDegree(degree);
  const eta = requirePositive("learningRate", learningRate);
  const count = checked.x.length;
  let largest = 0;
  let worstX = checked.x[0];
  let unstable = 0;
  let smallestUnstableX: number | undefined;
  for (const x of checked.x) {
    let norm = 0;
    for (let k = 0, power = 1; k <= degree; k++, power *= x) norm += power * power;
    if (norm > largest) [largest, worstX] = [norm, x];
    if (1 - 2 * count * eta * norm < -1) {
      unstable++;
      smallestUnstableX = Math.min(smallestUnstableX ?? Infinity, Math.abs(x));
    }
  }
  return {
    limit: 1 / (count * largest),
    worstFactor: 1 - 2 * count * eta * largest,
    worstX,
    unstableShare: unstable / count,
    smallestUnstableX,
  };
}
