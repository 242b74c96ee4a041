/**
 * The sum of squares of a polynomial fit needs only a few sums of the data. With ŷ_i = Σ_j θ_j x_i^j,
 *
 *   loss   = Σ_i (ŷ_i − y_i)² = Σ_j Σ_k θ_j θ_k S_{j+k} − 2 Σ_j θ_j T_j + Σ_i y_i²
 *   ∂loss/∂θ_k = 2 Σ_i (ŷ_i − y_i) x_i^k = 2 (Σ_j θ_j S_{j+k} − T_k)
 *
 * where S_m = Σ_i x_i^m (m ≤ 2·degree) and T_k = Σ_i x_i^k y_i. They are computed once; then a
 * descent step costs O(degree²) instead of O(points): the same iterates as the article's loop, up
 * to rounding, for a fraction of the work.
 *
 * The loss is not taken from θᵀGθ − 2θᵀT + Σy² as written: near the optimum that is a difference
 * of terms a thousand times larger than the loss, and its rounding (about 1e-12 relative) is as big
 * as the rises the descent's divergence rule tolerates. It is centred on the least-squares optimum
 * θ* instead: with d = θ − θ* and e = Gθ* − T (zero but for rounding),
 *
 *   loss = r* + 2 dᵀe + dᵀGd,   r* = Σ_i (ŷ*_i − y_i)² summed point by point once,
 *
 * an identity for any θ*, whose terms shrink with d, so the loss stays accurate to the last digits.
 */
import type { Evaluation } from "../../descent/loop";
import { UNIT_ROUNDOFF } from "./losses";
import { solveSymmetricPositiveDefinite } from "./least-squares";
import { checkData, requireDegree, type PolyData } from "./polynomial";
import { requireFiniteVector } from "../../descent/validate";

export interface SufficientStatistics {
  degree: number;
  /** S_m = Σ x^m for m = 0 … 2·degree. */
  powerSums: Float64Array;
  /** T_k = Σ x^k y for k = 0 … degree. */
  momentSums: Float64Array;
  /** Σ y². */
  sumOfSquaredTargets: number;
  /**
   * The least-squares optimum θ*, its per-point sum of squares r* and its gradient residual
   * e = Gθ* − T, which centre the loss; undefined when G is singular (fewer distinct x than
   * coefficients), where the loss falls back to θᵀGθ − 2θᵀT + Σy².
   */
  centre?: { optimum: number[]; sumOfSquaresAtOptimum: number; gradientResidual: number[] };
}

/** The sums a polynomial fit of `degree` needs, in one pass over the data. */
export function sufficientStatistics(data: PolyData, degree: number): SufficientStatistics {
  const { x, y } = isCheckedData(data) ? data : checkData(data);
  requireDegree(degree);
  const powerSums = new Float64Array(2 * degree + 1);
  const momentSums = new Float64Array(degree + 1);
  let sumOfSquaredTargets = 0;
  for (let i = 0; i < x.length; i++) {
    let power = 1;
    for (let m = 0; m <= 2 * degree; m++) {
      powerSums[m] += power;
      if (m <= degree) momentSums[m] += power * y[i];
      power *= x[i];
    }
    sumOfSquaredTargets += y[i] * y[i];
  }
  const statistics: SufficientStatistics = { degree, powerSums, momentSums, sumOfSquaredTargets };
  statistics.centre = centreOf(statistics, x, y);
  return statistics;
}

// Fast checks for the hot path (a descent calls the evaluation thousands of times): valid input
// passes without copies or per-entry messages; anything else goes to the checks that name the fault.
function isFiniteVector(values: unknown, length: number): values is readonly number[] {
  if (!Array.isArray(values) || values.length !== length) return false;
  for (let i = 0; i < length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

function isCheckedData(data: unknown): data is PolyData {
  if (data === null || typeof data !== "object") return false;
  const { x, y } = data as { x?: unknown; y?: unknown };
  if (!(x instanceof Float64Array && y instanceof Float64Array)) return false;
  if (x.length === 0 || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) return false;
  return true;
}

function gramTimes(powerSums: Float64Array, vector: readonly number[]): number[] {
  return vector.map((_, k) => vector.reduce((sum, value, j) => sum + powerSums[j + k] * value, 0));
}

function centreOf(
  statistics: SufficientStatistics,
  x: Float64Array,
  y: Float64Array,
): SufficientStatistics["centre"] {
  const { degree, powerSums, momentSums } = statistics;
  const gram = Array.from({ length: degree + 1 }, (_, j) =>
    Array.from({ length: degree + 1 }, (_, k) => powerSums[j + k]),
  );
  let optimum: number[];
  try {
    optimum = solveSymmetricPositiveDefinite(gram, Array.from(momentSums));
  } catch {
    return undefined; // singular G: no unique optimum to centre on
  }
  let sumOfSquaresAtOptimum = 0;
  for (let i = 0; i < x.length; i++) {
    let prediction = 0;
    for (let k = degree; k >= 0; k--) prediction = prediction * x[i] + optimum[k];
    sumOfSquaresAtOptimum += (prediction - y[i]) ** 2;
  }
  const gradientResidual = gramTimes(powerSums, optimum).map((value, k) => value - momentSums[k]);
  return { optimum, sumOfSquaresAtOptimum, gradientResidual };
}

/** The sum of squares and its gradient from the statistics alone: O(degree²) per call. */
export function sumOfSquaresFromStatistics(
  statistics: SufficientStatistics,
  coefficients: readonly number[],
): Evaluation {
  const { degree, powerSums, momentSums, sumOfSquaredTargets, centre } = statistics;
  const theta = isFiniteVector(coefficients, degree + 1)
    ? coefficients
    : requireFiniteVector("coefficients", coefficients, degree + 1);
  const gradient = new Array<number>(degree + 1);
  for (let k = 0; k <= degree; k++) {
    let gramRow = 0; // (Gθ)_k = Σ_j S_{j+k} θ_j
    for (let j = 0; j <= degree; j++) gramRow += powerSums[j + k] * theta[j];
    gradient[k] = 2 * (gramRow - momentSums[k]);
  }
  if (centre === undefined) {
    const gramTheta = gramTimes(powerSums, theta);
    const value = theta.reduce((sum, t, k) => sum + t * (gramTheta[k] - 2 * momentSums[k]), 0);
    // A difference of large terms: clamp the rounding below zero away. Its noise is u times the
    // size of the terms: |θ|ᵀ|G||θ| + 2|θ|ᵀ|T| + Σy², each summed over (degree + 1)² products.
    let size = sumOfSquaredTargets;
    for (let k = 0; k <= degree; k++) {
      const row = gramTimes(powerSums, theta.map(Math.abs))[k];
      size += Math.abs(theta[k]) * (row + 2 * Math.abs(momentSums[k]));
    }
    const noisy = Math.max(0, value + sumOfSquaredTargets);
    return { value: noisy, gradient, noise: UNIT_ROUNDOFF * (2 * (degree + 1) + 2) * size };
  }
  // loss = r* + 2 dᵀe + dᵀGd with d = θ − θ* (see the top of the file).
  const { optimum, sumOfSquaresAtOptimum, gradientResidual } = centre;
  let crossTerm = 0;
  let quadratic = 0;
  let size = 0; // |d|ᵀ|G||d| + 2|d|ᵀ|e|: the size of what the sums add, for the noise
  for (let k = 0; k <= degree; k++) {
    const dk = theta[k] - optimum[k];
    let gramRow = 0;
    let gramRowSize = 0;
    for (let j = 0; j <= degree; j++) {
      const term = powerSums[j + k] * (theta[j] - optimum[j]);
      gramRow += term;
      gramRowSize += Math.abs(term);
    }
    crossTerm += dk * gradientResidual[k];
    quadratic += dk * gramRow;
    size += Math.abs(dk) * (gramRowSize + 2 * Math.abs(gradientResidual[k]));
  }
  const value = Math.max(0, sumOfSquaresAtOptimum + 2 * crossTerm + quadratic);
  // r* is one fixed number; only the terms in d change from call to call. The (degree + 1)²
  // products of the quadratic form, and θ − θ*, carry the rounding.
  return { value, gradient, noise: UNIT_ROUNDOFF * ((2 * (degree + 1) + 4) * size + 4 * value) };
}
