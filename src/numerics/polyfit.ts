import { basisForData, designMatrix, type Basis, type BasisName } from "./bases";
import { gradientDescent, type DescentState, type Evaluation, type Trajectory } from "./descent";
import { lossWithGradient, sumOfSquaresLoss, type Loss } from "./losses";
import { randn } from "./random";
import { sufficientStatistics, sumOfSquaresFromStatistics } from "./sufficient-statistics";
import { describeValue, requireFinite, requireFiniteVector, requireInteger } from "./validate";

/** Sample points x and targets y, as Float64Arrays of equal, non-zero length. */
export interface PolyData {
  x: Float64Array;
  y: Float64Array;
}

export const ARTICLE_POINTS = 2000;
export const ARTICLE_LEARNING_RATE = 1e-6;
export const ARTICLE_ITERATIONS = 2000;
export const ARTICLE_DEGREE = 3;
/** The seed of the notebooks' random start: one seed, one run, on every machine. */
export const DEFAULT_SEED = 0;

/** `count` evenly spaced numbers from `from` to `to`, both included, as numpy's linspace. */
export function linspace(from: number, to: number, count: number): Float64Array {
  requireFinite("from", from);
  requireFinite("to", to);
  requireInteger("count", count, 2, 10_000_000);
  if (!(to > from)) throw new RangeError(`to must be greater than from (${from}), got ${to}`);
  const step = (to - from) / (count - 1);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = from + i * step;
  values[count - 1] = to;
  return values;
}

/** The second article's data: `points` evenly spaced x on [from, to] and y = sin(x). */
export function sineData(points = ARTICLE_POINTS, from = -Math.PI, to = Math.PI): PolyData {
  const x = linspace(from, to, requireInteger("points", points, 2, 10_000_000));
  return { x, y: x.map(Math.sin) };
}

/** Checks and copies data given by a user: equal lengths, not empty, finite. */
export function checkData(data: { x: ArrayLike<number>; y: ArrayLike<number> }): PolyData {
  if (data === null || typeof data !== "object") {
    throw new TypeError(`data must be an object with x and y arrays, got ${String(data)}`);
  }
  const x = Float64Array.from(requireFiniteVector("data.x", Array.from(data.x ?? [])));
  const y = Float64Array.from(requireFiniteVector("data.y", Array.from(data.y ?? [])));
  if (x.length !== y.length) {
    throw new RangeError(`data.x and data.y must have the same length, got ${x.length} and ${y.length}`);
  }
  return { x, y };
}

export function requireDegree(degree: unknown): number {
  return requireInteger("degree", degree, 0, 20);
}

function requireCoefficients(coefficients: readonly number[]): readonly number[] {
  return requireFiniteVector("coefficients", coefficients);
}

/** ŷ = Σ_k c_k x^k; coefficients[0] is a, [1] is b, and so on. */
export function evaluatePolynomial(coefficients: readonly number[], x: ArrayLike<number>): Float64Array {
  requireCoefficients(coefficients);
  return Float64Array.from({ length: x.length }, (_, i) => {
    let power = 1;
    let sum = 0;
    for (const c of coefficients) {
      sum += c * power;
      power *= x[i];
    }
    return sum;
  });
}

/** The article's loss: the sum of squared errors Σ (ŷ − y)². */
export function sumOfSquares(coefficients: readonly number[], data: PolyData): number {
  const prediction = evaluatePolynomial(coefficients, data.x);
  return prediction.reduce((loss, p, i) => loss + (p - data.y[i]) ** 2, 0);
}

/**
 * Loss and gradient in one pass, exactly as the article's chain rule:
 * ∂loss/∂ŷᵢ = 2(ŷᵢ − yᵢ), and since ∂ŷᵢ/∂c_k = xᵢ^k,
 * grad_a = Σ 2(ŷ − y), grad_b = Σ 2(ŷ − y)·x, grad_c = Σ 2(ŷ − y)·x², grad_d = Σ 2(ŷ − y)·x³.
 */
export function sumOfSquaresWithGradient(coefficients: readonly number[], data: PolyData): Evaluation {
  return sumOfSquaresEvaluator(data, coefficients.length - 1)(coefficients);
}

/**
 * The same loss and gradient as a function of the coefficients alone, for a descent that calls it
 * thousands of times on the same data: the powers xᵢ^k are computed once (as xᵢ·xᵢ·…, the same
 * products the loop would form, so the arithmetic and its rounding are unchanged) and the sums run
 * over flat arrays.
 */
export function sumOfSquaresEvaluator(
  data: PolyData,
  degree: number,
): (coefficients: readonly number[]) => Evaluation {
  const { x, y } = data;
  const pointCount = x.length;
  const columns = Array.from({ length: degree + 1 }, () => new Float64Array(pointCount));
  for (let i = 0; i < pointCount; i++) {
    let power = 1;
    for (let k = 0; k <= degree; k++) {
      columns[k][i] = power;
      power *= x[i];
    }
  }
  const targetValues = Float64Array.from(y);
  if (degree === 3) {
    // The article's cubic, unrolled: the whole fit is this loop.
    return (coefficients) => {
      // Local copies, not the closure's variables: once a second evaluator exists V8 stops
      // specialising on one closure and would reload them from its context every point (2–3× slower).
      const [, x1, x2, x3] = columns;
      const targets = targetValues;
      const count = pointCount;
      const [a, b, c, d] = coefficients;
      let loss = 0;
      let gradA = 0;
      let gradB = 0;
      let gradC = 0;
      let gradD = 0;
      for (let i = 0; i < count; i++) {
        const residual = a + b * x1[i] + c * x2[i] + d * x3[i] - targets[i];
        loss += residual * residual;
        const gradPrediction = 2 * residual;
        gradA += gradPrediction;
        gradB += gradPrediction * x1[i];
        gradC += gradPrediction * x2[i];
        gradD += gradPrediction * x3[i];
      }
      return { value: loss, gradient: [gradA, gradB, gradC, gradD] };
    };
  }
  return (coefficients) => {
    const powers = columns; // a local copy, as above
    const targets = targetValues;
    const count = pointCount;
    const gradient = new Array<number>(degree + 1).fill(0);
    let loss = 0;
    for (let i = 0; i < count; i++) {
      let prediction = 0;
      for (let k = 0; k <= degree; k++) prediction += coefficients[k] * powers[k][i];
      const residual = prediction - targets[i];
      loss += residual * residual;
      const gradPrediction = 2 * residual;
      for (let k = 0; k <= degree; k++) gradient[k] += gradPrediction * powers[k][i];
    }
    return { value: loss, gradient };
  };
}

/** The hand-derived gradient alone: [grad_a, grad_b, grad_c, grad_d] for a cubic. */
export function sumOfSquaresGradient(coefficients: readonly number[], data: PolyData): number[] {
  return sumOfSquaresWithGradient(requireCoefficients(coefficients), data).gradient;
}

/** The random start of step 8: degree + 1 standard normal coefficients from `seed`. */
export function randomCoefficients(degree = ARTICLE_DEGREE, seed = DEFAULT_SEED): number[] {
  return randn(seed, requireDegree(degree) + 1);
}

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
    throw new RangeError(
      `method must be "per-point" or "sufficient-statistics", got ${describeValue(method)}`,
    );
  }
  if (method === "sufficient-statistics" && !articleCase) {
    throw new RangeError(
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

/** "y = 0.0012 + 0.8567 x + … x^3", the article's closing line without its "Result: ". */
export function formatPolynomial(coefficients: readonly number[], digits = 6): string {
  const terms = coefficients.map((c, k) => {
    const value = c.toPrecision(digits);
    return k === 0 ? value : k === 1 ? `${value} x` : `${value} x^${k}`;
  });
  return `y = ${terms.join(" + ")}`;
}
