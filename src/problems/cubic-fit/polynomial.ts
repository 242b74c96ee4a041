/**
 * The polynomial problem of the second article, at the bottom of the fit's layers: the data
 * (x, y), the degree, the polynomial ŷ = Σ c_k x^k, its coefficients' names and the random start.
 * Losses, solvers and checks build on it; it imports only the input checks and the random source.
 */
import { randn } from "../../descent/random";
import {
  KitRangeError,
  KitTypeError,
  MAX_POINTS,
  describeValue,
  extent,
  requireFinite,
  requireFiniteVector,
  requireInteger,
  requirePositive,
} from "../../descent/validate";

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
  requireInteger("count", count, 2, MAX_POINTS);
  if (!(to > from)) throw new KitRangeError(`to must be greater than from (${from}), got ${to}`);
  const step = (to - from) / (count - 1);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = from + i * step;
  values[count - 1] = to;
  return values;
}

/** The second article's data: `points` evenly spaced x on [from, to] and y = sin(x). */
export function sineData(points = ARTICLE_POINTS, from = -Math.PI, to = Math.PI): PolyData {
  const x = linspace(from, to, requireInteger("points", points, 2, MAX_POINTS));
  return { x, y: x.map(Math.sin) };
}

/** One column of data: an array or typed array of at most MAX_POINTS finite numbers, copied. */
function dataColumn(name: string, values: unknown): Float64Array {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new KitTypeError(`${name} must be an array of numbers, got ${describeValue(values)}`);
  }
  const column = values as ArrayLike<unknown>;
  if (column.length === 0) throw new KitRangeError(`${name} must not be empty`);
  if (column.length > MAX_POINTS) {
    throw new KitRangeError(`${name} may have at most ${MAX_POINTS} points, got ${column.length}`);
  }
  const copy = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    if (typeof value !== "number" || !Number.isFinite(value)) requireFinite(`${name}[${i}]`, value);
    copy[i] = value as number;
  }
  return copy;
}

/** Checks and copies data given by a user: equal lengths, not empty, at most MAX_POINTS, finite. */
export function checkData(data: { x: ArrayLike<number>; y: ArrayLike<number> }): PolyData {
  if (data === null || typeof data !== "object") {
    throw new KitTypeError(`data must be an object with x and y arrays, got ${describeValue(data)}`);
  }
  const x = dataColumn("data.x", data.x);
  const y = dataColumn("data.y", data.y);
  if (x.length !== y.length) {
    throw new KitRangeError(`data.x and data.y must have the same length, got ${x.length} and ${y.length}`);
  }
  return { x, y };
}

/** The largest degree any fit, basis or check accepts. */
export const MAX_DEGREE = 20;

export function requireDegree(degree: unknown): number {
  return requireInteger("degree", degree, 0, MAX_DEGREE);
}

/** Doubles stop at about 1.8e308; sums of squares of the data must stay well below. */
const LARGEST_SUM = 1e300;

/**
 * Checks that the sum of squares of a degree-`degree` fit can be computed at all: n·max|y|² and,
 * for powers of x (`xPowers`, the monomial basis), n·max|x|^(2·degree) must be finite doubles.
 * Otherwise the loss is Infinity at every start and the cause is the data's scale, said so here.
 */
export function requireFitScale(data: PolyData, degree: number, xPowers = true): void {
  const n = data.x.length;
  const y = extent(data.y);
  const ySize = Math.max(Math.abs(y.min), Math.abs(y.max));
  if (!(n * ySize * ySize < LARGEST_SUM)) {
    throw new KitRangeError(
      `data.y reaches ${ySize}, too large for a sum of squares in double precision (it overflows past 1e308): rescale y, e.g. divide it by ${ySize.toExponential(0)}`,
    );
  }
  if (!xPowers || degree === 0) return;
  const x = extent(data.x);
  const xSize = Math.max(Math.abs(x.min), Math.abs(x.max));
  if (!(n * xSize ** (2 * degree) < LARGEST_SUM)) {
    throw new KitRangeError(
      `data.x reaches ${xSize}, so x^${2 * degree} overflows a double in a degree-${degree} fit in powers of x: use basis "scaled" or "legendre", or rescale x`,
    );
  }
}

export function requireCoefficients(coefficients: readonly number[]): readonly number[] {
  return requireFiniteVector("coefficients", coefficients);
}

/** ŷ = Σ_k c_k x^k; coefficients[0] is a, [1] is b, and so on. x: finite numbers. */
export function evaluatePolynomial(coefficients: readonly number[], x: ArrayLike<number>): Float64Array {
  requireCoefficients(coefficients);
  if (x === null || typeof x !== "object" || typeof x.length !== "number") {
    throw new KitTypeError(`x must be an array of numbers, got ${describeValue(x)}`);
  }
  const values = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (typeof xi !== "number" || !Number.isFinite(xi)) requireFinite(`x[${i}]`, xi);
    let power = 1;
    let sum = 0;
    for (const c of coefficients) {
      sum += c * power;
      power *= xi;
    }
    values[i] = sum;
  }
  return values;
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

/**
 * "y = 0.0012 + 0.8567 x - … x^3", the article's closing line without its "Result: ". A negative
 * term is written with a minus, not "+ -". A term below rounding — |c_k|·scale^k under 1e-12 of the
 * largest term, e.g. the 1e-16 even coefficients of sin's least-squares fit — is left out: it is
 * float64 noise, not part of the polynomial (`scale` is the largest |x| the polynomial is used at).
 */
export function formatPolynomial(coefficients: readonly number[], digits = 6, scale = 1): string {
  const c = requireCoefficients(coefficients);
  requireInteger("digits", digits, 1, 17);
  requirePositive("scale", scale);
  const sizes = c.map((value, k) => Math.abs(value) * scale ** k);
  const largest = Math.max(0, extent(sizes.filter(Number.isFinite)).max);
  const terms: string[] = [];
  c.forEach((value, k) => {
    if (value === 0 || sizes[k] <= NOISE_RELATIVE * largest) return;
    const size = Math.abs(value).toPrecision(digits);
    const term = k === 0 ? size : k === 1 ? `${size} x` : `${size} x^${k}`;
    const sign = value < 0 ? "-" : "+";
    terms.push(terms.length === 0 ? (value < 0 ? `-${term}` : term) : `${sign} ${term}`);
  });
  return `y = ${terms.length === 0 ? "0" : terms.join(" ")}`;
}

/** Relative size below which formatPolynomial calls a term rounding noise. */
const NOISE_RELATIVE = 1e-12;
