/**
 * The polynomial problem of the second article, at the bottom of the fit's layers: the data
 * (x, y), the degree, the polynomial ŷ = Σ c_k x^k, its coefficients' names and the random start.
 * Losses, solvers and checks build on it; it imports only the input checks and the random source.
 */
import { randn } from "./random";
import { KitRangeError, KitTypeError, requireFinite, requireFiniteVector, requireInteger } from "./validate";

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
  if (!(to > from)) throw new KitRangeError(`to must be greater than from (${from}), got ${to}`);
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
    throw new KitTypeError(`data must be an object with x and y arrays, got ${String(data)}`);
  }
  const x = Float64Array.from(requireFiniteVector("data.x", Array.from(data.x ?? [])));
  const y = Float64Array.from(requireFiniteVector("data.y", Array.from(data.y ?? [])));
  if (x.length !== y.length) {
    throw new KitRangeError(`data.x and data.y must have the same length, got ${x.length} and ${y.length}`);
  }
  return { x, y };
}

export function requireDegree(degree: unknown): number {
  return requireInteger("degree", degree, 0, 20);
}

export function requireCoefficients(coefficients: readonly number[]): readonly number[] {
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

/** The random start of step 8: degree + 1 standard normal coefficients from `seed`. */
export function randomCoefficients(degree = ARTICLE_DEGREE, seed = DEFAULT_SEED): number[] {
  return randn(seed, requireDegree(degree) + 1);
}

const COEFFICIENT_NAMES = ["a", "b", "c", "d"];

/** Names a, b, c, d, then c4, c5, … as the article names a cubic's coefficients. */
export function coefficientNames(count: number): string[] {
  requireInteger("count", count, 1, 1000);
  return Array.from({ length: count }, (_, k) => COEFFICIENT_NAMES[k] ?? `c${k}`);
}

/** "y = 0.0012 + 0.8567 x + … x^3", the article's closing line without its "Result: ". */
export function formatPolynomial(coefficients: readonly number[], digits = 6): string {
  const terms = coefficients.map((c, k) => {
    const value = c.toPrecision(digits);
    return k === 0 ? value : k === 1 ? `${value} x` : `${value} x^${k}`;
  });
  return `y = ${terms.join(" + ")}`;
}
