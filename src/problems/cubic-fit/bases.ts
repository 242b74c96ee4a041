/**
 * Polynomial bases for the fit ŷ = Σ_k c_k φ_k(x). The article's basis is the monomials 1, x, x², x³;
 * on a wide interval they differ in size by orders of magnitude (x³ reaches about 2000 on [−4π, 4π]),
 * which is what makes plain gradient descent slow or unstable there. Scaling x to t ∈ [−1, 1] evens
 * the sizes out, and the Legendre polynomials P_k(t) are moreover nearly orthogonal on evenly spaced
 * points, so the descent (and the normal equations) become well conditioned. Coefficients found in
 * any basis convert back to the article's a + bx + cx² + dx³.
 */
import {
  KitRangeError,
  KitTypeError,
  extent,
  requireFinite,
  requireFiniteVector,
  requireInteger,
} from "../../descent/validate";

export type BasisName = "monomial" | "scaled" | "legendre";
export const BASIS_NAMES: readonly BasisName[] = ["monomial", "scaled", "legendre"];

/** t = (x − center) / halfWidth, which maps [center − halfWidth, center + halfWidth] onto [−1, 1]. */
export interface UnitScaling {
  center: number;
  halfWidth: number;
}

/** The largest degree any basis accepts (as fitPolynomial). */
export const MAX_BASIS_DEGREE = 20;

function requireBasisDegree(degree: unknown): number {
  return requireInteger("degree", degree, 0, MAX_BASIS_DEGREE);
}

/** The scaling that maps [from, to] onto [−1, 1]. */
export function unitScaling(from: number, to: number): UnitScaling {
  requireFinite("from", from);
  requireFinite("to", to);
  if (!(to > from)) throw new KitRangeError(`to must be greater than from (${from}), got ${to}`);
  return { center: (from + to) / 2, halfWidth: (to - from) / 2 };
}

/** The scaling that maps the smallest and largest of `x` onto −1 and 1. */
export function unitScalingOf(x: ArrayLike<number>): UnitScaling {
  const { min: from, max: to } = extent(
    requireFiniteVector("x", x instanceof Float64Array ? x : Array.from(x)),
  );
  if (!(to > from)) throw new KitRangeError(`x must contain at least two different values, got only ${from}`);
  return unitScaling(from, to);
}

/** P_0(t) … P_degree(t) by Bonnet's recurrence (k + 1) P_{k+1} = (2k + 1) t P_k − k P_{k−1}. */
export function legendreValues(t: number, degree: number): number[] {
  requireFinite("t", t);
  requireBasisDegree(degree);
  const values = [1];
  if (degree >= 1) values.push(t);
  for (let k = 1; k < degree; k++) {
    values.push(((2 * k + 1) * t * values[k] - k * values[k - 1]) / (k + 1));
  }
  return values;
}

/** The power coefficients of P_0 … P_degree: rows[k][j] is the coefficient of t^j in P_k(t). */
export function legendrePowerCoefficients(degree: number): number[][] {
  requireBasisDegree(degree);
  const rows: number[][] = [[1]];
  if (degree >= 1) rows.push([0, 1]);
  for (let k = 1; k < degree; k++) {
    const next = new Array<number>(k + 2).fill(0);
    rows[k].forEach((c, j) => (next[j + 1] += ((2 * k + 1) * c) / (k + 1)));
    rows[k - 1].forEach((c, j) => (next[j] -= (k * c) / (k + 1)));
    rows.push(next);
  }
  return rows;
}

/** Σ_k l_k P_k(t) rewritten as Σ_j m_j t^j. */
export function legendreToPowers(legendreCoefficients: readonly number[]): number[] {
  const l = requireFiniteVector("legendreCoefficients", legendreCoefficients);
  const rows = legendrePowerCoefficients(requireBasisDegree(l.length - 1));
  const powers = new Array<number>(l.length).fill(0);
  rows.forEach((row, k) => row.forEach((c, j) => (powers[j] += l[k] * c)));
  return powers;
}

/**
 * The coefficients q of q(x) = p(slope·x + intercept), where p(t) = Σ_j p_j t^j: each (slope·x +
 * intercept)^j is expanded by the binomial theorem.
 */
export function substituteAffine(
  coefficients: readonly number[],
  slope: number,
  intercept: number,
): number[] {
  const p = requireFiniteVector("coefficients", coefficients);
  requireFinite("slope", slope);
  requireFinite("intercept", intercept);
  const q = new Array<number>(p.length).fill(0);
  // binomialPower[i] = coefficient of x^i in (slope·x + intercept)^j, updated for j = 0, 1, …
  let binomialPower = [1];
  p.forEach((pj, j) => {
    if (j > 0) {
      const next = new Array<number>(j + 1).fill(0);
      binomialPower.forEach((c, i) => {
        next[i] += c * intercept;
        next[i + 1] += c * slope;
      });
      binomialPower = next;
    }
    binomialPower.forEach((c, i) => (q[i] += pj * c));
  });
  return q;
}

/** A basis φ_0 … φ_degree of the polynomials of degree ≤ degree. */
export interface Basis {
  name: BasisName;
  degree: number;
  /** The map x → t used by the scaled and Legendre bases; center 0, half-width 1 for monomials. */
  scaling: UnitScaling;
  /** Human-readable names of φ_0 … φ_degree, e.g. ["1", "t", "t²"] or ["P₀(t)", "P₁(t)"]. */
  labels: readonly string[];
  /** φ_0(x) … φ_degree(x). */
  features(x: number): number[];
  /** Coefficients c of Σ_k c_k φ_k(x), rewritten as the monomial coefficients a, b, c, … in x. */
  toMonomial(coefficients: readonly number[]): number[];
}

const SUPERSCRIPTS = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"];
const SUBSCRIPTS = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"];
const digitsIn = (n: number, table: readonly string[]): string =>
  String(n)
    .split("")
    .map((digit) => table[Number(digit)])
    .join("");
const powerLabel = (variable: string, k: number): string =>
  k === 0 ? "1" : k === 1 ? variable : `${variable}${digitsIn(k, SUPERSCRIPTS)}`;

/** x, x² … : ŷ = Σ c_k x^k (powers computed as the article's loop does, by repeated multiplication). */
function monomialFeatures(x: number, degree: number): number[] {
  const values = new Array<number>(degree + 1);
  let power = 1;
  for (let k = 0; k <= degree; k++) {
    values[k] = power;
    power *= x;
  }
  return values;
}

/**
 * The basis `name` of degree `degree`. The scaled and Legendre bases need the interval [from, to]
 * that they map onto [−1, 1] (usually the data's); the monomial basis ignores it.
 */
export function makeBasis(name: BasisName, degree: number, interval?: { from: number; to: number }): Basis {
  if (!BASIS_NAMES.includes(name)) {
    throw new KitRangeError(`basis must be one of ${BASIS_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
  }
  requireBasisDegree(degree);
  if (name === "monomial") {
    return {
      name,
      degree,
      scaling: { center: 0, halfWidth: 1 },
      labels: Array.from({ length: degree + 1 }, (_, k) => powerLabel("x", k)),
      features: (x) => monomialFeatures(x, degree),
      toMonomial: (coefficients) => [...requireFiniteVector("coefficients", coefficients, degree + 1)],
    };
  }
  if (interval === undefined || interval === null || typeof interval !== "object") {
    throw new KitTypeError(`the ${name} basis needs an interval {from, to}, got ${String(interval)}`);
  }
  const scaling = unitScaling(interval.from, interval.to);
  const toT = (x: number): number => (x - scaling.center) / scaling.halfWidth;
  const powersInTToX = (powersInT: readonly number[]): number[] =>
    substituteAffine(powersInT, 1 / scaling.halfWidth, -scaling.center / scaling.halfWidth);
  if (name === "scaled") {
    return {
      name,
      degree,
      scaling,
      labels: Array.from({ length: degree + 1 }, (_, k) => powerLabel("t", k)),
      features: (x) => monomialFeatures(toT(x), degree),
      toMonomial: (coefficients) =>
        powersInTToX(requireFiniteVector("coefficients", coefficients, degree + 1)),
    };
  }
  return {
    name,
    degree,
    scaling,
    labels: Array.from({ length: degree + 1 }, (_, k) => `P${digitsIn(k, SUBSCRIPTS)}(t)`),
    features: (x) => legendreValues(toT(x), degree),
    toMonomial: (coefficients) =>
      powersInTToX(legendreToPowers(requireFiniteVector("coefficients", coefficients, degree + 1))),
  };
}

/** The basis over the data's own interval [min x, max x]. */
export function basisForData(name: BasisName, degree: number, x: ArrayLike<number>): Basis {
  if (name === "monomial") return makeBasis(name, degree);
  const { center, halfWidth } = unitScalingOf(x);
  return makeBasis(name, degree, { from: center - halfWidth, to: center + halfWidth });
}

/** The design matrix X, X[i][k] = φ_k(x_i), stored row by row. */
export interface DesignMatrix {
  rows: number;
  columns: number;
  /** values[i * columns + k] = φ_k(x_i). */
  values: Float64Array;
}

export function designMatrix(basis: Basis, x: ArrayLike<number>): DesignMatrix {
  const points = x instanceof Float64Array ? x : Float64Array.from(requireFiniteVector("x", Array.from(x)));
  if (x instanceof Float64Array) requireFiniteVector("x", x);
  const columns = basis.degree + 1;
  return { rows: points.length, columns, values: featureRows(basis, points, 0, points.length) };
}

/**
 * The rows φ_0(x_i) … φ_d(x_i) for i in [from, to), flat, computed in place with the same
 * arithmetic as `basis.features` (repeated products, Bonnet's recurrence) but without an array per
 * point: millions of points in a fraction of a second.
 */
export function featureRows(basis: Basis, x: ArrayLike<number>, from: number, to: number): Float64Array {
  const columns = basis.degree + 1;
  const rows = new Float64Array((to - from) * columns);
  const { center, halfWidth } = basis.scaling;
  for (let i = from; i < to; i++) {
    const offset = (i - from) * columns;
    if (basis.name === "legendre") {
      const t = (x[i] - center) / halfWidth;
      rows[offset] = 1;
      if (columns > 1) rows[offset + 1] = t;
      for (let k = 1; k + 1 < columns; k++) {
        rows[offset + k + 1] = ((2 * k + 1) * t * rows[offset + k] - k * rows[offset + k - 1]) / (k + 1);
      }
    } else {
      const t = basis.name === "scaled" ? (x[i] - center) / halfWidth : x[i];
      let power = 1;
      for (let k = 0; k < columns; k++) {
        rows[offset + k] = power;
        power *= t;
      }
    }
  }
  return rows;
}

/** X c: the predictions Σ_k c_k φ_k(x_i). */
export function multiplyDesign(design: DesignMatrix, coefficients: readonly number[]): Float64Array {
  requireFiniteVector("coefficients", coefficients, design.columns);
  const predictions = new Float64Array(design.rows);
  for (let i = 0; i < design.rows; i++) {
    let sum = 0;
    for (let k = 0; k < design.columns; k++) sum += coefficients[k] * design.values[i * design.columns + k];
    predictions[i] = sum;
  }
  return predictions;
}
