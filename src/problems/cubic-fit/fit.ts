import { basisForData, designMatrix, makeBasis, type Basis, type BasisName } from "./bases";
import { requireReproducingCoefficients } from "./least-squares";
import { gradientDescent, type DescentState, type Evaluation, type Trajectory } from "../../descent/loop";
import { lossWithGradient, sumOfSquaresEvaluator, sumOfSquaresLoss, type Loss } from "./losses";
import {
  ARTICLE_DEGREE,
  ARTICLE_ITERATIONS,
  ARTICLE_LEARNING_RATE,
  DEFAULT_SEED,
  checkData,
  randomCoefficients,
  requireDegree,
  requireFitScale,
  sineData,
  type PolyData,
} from "./polynomial";
import { sufficientStatistics, sumOfSquaresFromStatistics } from "./sufficient-statistics";
import {
  KitRangeError,
  describeValue,
  requireFiniteVector,
  requireIterations,
  requireOptions,
} from "../../descent/validate";

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
   * the data once and then steps in O(degree²) (src/problems/cubic-fit/sufficient-statistics.ts): the same
   * iterates up to rounding. Only for the sum of squares in the monomial basis.
   */
  method?: FitMethod;
}

/**
 * The most work a per-point fit may do, points × coefficients × iterations (about a minute):
 * the article's 2000 points at degree 20 may run the full MAX_ITERATIONS.
 */
export const MAX_FIT_WORK = 5e10;

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
export function fitPolynomial(fitOptions: FitOptions = {}): FitResult {
  const options = requireOptions("options", fitOptions);
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
  requireFitScale(data, degree, basis.name === "monomial");
  const iterations = requireIterations("iterations", options.iterations ?? ARTICLE_ITERATIONS);
  const work = method === "per-point" ? data.x.length * (degree + 1) * iterations : 0;
  if (work > MAX_FIT_WORK) {
    throw new KitRangeError(
      `a fit of ${data.x.length} points × ${degree + 1} coefficients × ${iterations} iterations (${work.toExponential(1)}) is past the cap of ${MAX_FIT_WORK.toExponential(0)} (about a minute): use fewer points or iterations, or method "sufficient-statistics"`,
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
    iterations,
    tolerance: options.tolerance,
    risingStepsToDiverge: options.risingStepsToDiverge,
    observeEvery: options.observeEvery ?? 100,
    observe:
      observe &&
      ((state: DescentState) =>
        observe({ iteration: state.iteration, loss: state.value, coefficients: state.point })),
  });
  const last = trajectory.points.length - 1;
  const coefficients = basis.toMonomial(trajectory.points[last]);
  if (trajectory.stop.kind !== "diverged" && !articleCase) {
    const monomial = makeBasis("monomial", degree);
    requireReproducingCoefficients(
      basis,
      coefficients,
      trajectory.values[last],
      data,
      (c) => lossWithGradient(loss, designMatrix(monomial, data.x), data.y, c).value,
    );
  }
  return {
    coefficients,
    loss: trajectory.values[last],
    start,
    trajectory,
    basis,
    basisCoefficients: trajectory.points[last],
  };
}
