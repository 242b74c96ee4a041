import { basisForData, designMatrix, type Basis, type BasisName } from "./bases";
import { gradientDescent, type DescentState, type Evaluation, type Trajectory } from "./descent";
import { lossWithGradient, sumOfSquaresEvaluator, sumOfSquaresLoss, type Loss } from "./losses";
import {
  ARTICLE_DEGREE,
  ARTICLE_ITERATIONS,
  ARTICLE_LEARNING_RATE,
  DEFAULT_SEED,
  checkData,
  randomCoefficients,
  requireDegree,
  sineData,
  type PolyData,
} from "./polynomial";
import { sufficientStatistics, sumOfSquaresFromStatistics } from "./sufficient-statistics";
import { KitRangeError, describeValue, requireFiniteVector } from "./validate";

export interface FitProgress {
  iteration: number;
  loss: number;
  coefficients: readonly number[];
}

export interface FitOptions {
  data?: PolyData;
  degree?: number;
  learningRate?: number;
  iterations?: number;
  seed?: number;
  /** Overrides the seeded random start. */
  start?: readonly number[];
  tolerance?: number;
  /** Called every `observeEvery` iterations (t = 99, 199, … as the article prints) and at the end. */
  observe?: (progress: FitProgress) => void;
  observeEvery?: number;
  /** The loss to descend (default: the article's sum of squares). */
  loss?: Loss;
  /**
   * The basis the descent moves in (default "monomial", the article's a, b, c, d). With "scaled" or
   * "legendre", x is mapped onto [−1, 1]; the start, the trajectory and `observe` are in that basis's
   * coefficients, and `coefficients` in the result is converted back to a + bx + cx² + ….
   */
  basis?: BasisName;
  /** Passed to gradientDescent: the objective rising this many steps in a row means divergence. */
  risingStepsToDiverge?: number;
  /**
   * "per-point" (default) runs the article's loop over every point; "sufficient-statistics" sums
   * the data once and then steps in O(degree²) (src/numerics/sufficient-statistics.ts): the same
   * iterates up to rounding. Only for the sum of squares in the monomial basis.
   */
  method?: FitMethod;
}

export type FitMethod = "per-point" | "sufficient-statistics";

export interface FitResult {
  /** The fitted polynomial's monomial coefficients a, b, c, … in x. */
  coefficients: number[];
  loss: number;
  start: number[];
  trajectory: Trajectory;
  basis: Basis;
  /** The last point of the trajectory: the coefficients in `basis` (equal to `coefficients` for monomials). */
  basisCoefficients: number[];
}

/** Fits a polynomial to the data by gradient descent on the sum of squares (step 9). */
export function fitPolynomial(options: FitOptions = {}): FitResult {
  const data = options.data === undefined ? sineData() : checkData(options.data);
  const degree = requireDegree(options.degree ?? ARTICLE_DEGREE);
  const start =
    options.start === undefined
      ? randomCoefficients(degree, options.seed ?? DEFAULT_SEED)
      : [...requireFiniteVector("start", options.start, degree + 1)];
  const observe = options.observe;
  const basis = basisForData(options.basis ?? "monomial", degree, data.x);
  const loss = options.loss ?? sumOfSquaresLoss;
  // The article's own loop (sumOfSquaresWithGradient) for the article's loss and basis, so that the
  // default fit repeats its arithmetic exactly.
  const articleCase = loss === sumOfSquaresLoss && basis.name === "monomial";
  const method = options.method ?? "per-point";
  if (method !== "per-point" && method !== "sufficient-statistics") {
    throw new KitRangeError(
      `method must be "per-point" or "sufficient-statistics", got ${describeValue(method)}`,
    );
  }
  if (method === "sufficient-statistics" && !articleCase) {
    throw new KitRangeError(
      `method "sufficient-statistics" needs the sum-of-squares loss in the monomial basis, got loss ${loss.name} in basis ${basis.name}`,
    );
  }
  const design = articleCase ? undefined : designMatrix(basis, data.x);
  const statistics = method === "sufficient-statistics" ? sufficientStatistics(data, degree) : undefined;
  const evaluate: (coefficients: readonly number[]) => Evaluation =
    statistics !== undefined
      ? (coefficients) => sumOfSquaresFromStatistics(statistics, coefficients)
      : design === undefined
        ? sumOfSquaresEvaluator(data, degree)
        : (coefficients) => lossWithGradient(loss, design, data.y, coefficients);
  const trajectory = gradientDescent({
    start,
    evaluate,
    learningRate: options.learningRate ?? ARTICLE_LEARNING_RATE,
    iterations: options.iterations ?? ARTICLE_ITERATIONS,
    tolerance: options.tolerance,
    risingStepsToDiverge: options.risingStepsToDiverge,
    observeEvery: options.observeEvery ?? 100,
    observe:
      observe &&
      ((state: DescentState) =>
        observe({ iteration: state.iteration, loss: state.value, coefficients: state.point })),
  });
  const last = trajectory.points.length - 1;
  return {
    coefficients: basis.toMonomial(trajectory.points[last]),
    loss: trajectory.values[last],
    start,
    trajectory,
    basis,
    basisCoefficients: trajectory.points[last],
  };
}
