/**
 * The sum of squares of a polynomial fit needs only a few sums of the data. With ŷ_i = Σ_j θ_j x_i^j,
 *
 *   loss   = Σ_i (ŷ_i − y_i)² = Σ_j Σ_k θ_j θ_k S_{j+k} − 2 Σ_j θ_j T_j + Σ_i y_i²
 *   ∂loss/∂θ_k = 2 Σ_i (ŷ_i − y_i) x_i^k = 2 (Σ_j θ_j S_{j+k} − T_k)
 *
 * where S_m = Σ_i x_i^m (m ≤ 2·degree) and T_k = Σ_i x_i^k y_i. They are computed once; then a
 * descent step costs O(degree²) instead of O(points): the same iterates as the article's loop, up
 * to rounding, for a fraction of the work.
 */
import type { Evaluation } from "./descent";
import { checkData, requireDegree, type PolyData } from "./polyfit";
import { requireFiniteVector } from "./validate";

export interface SufficientStatistics {
  degree: number;
  /** S_m = Σ x^m for m = 0 … 2·degree. */
  powerSums: Float64Array;
  /** T_k = Σ x^k y for k = 0 … degree. */
  momentSums: Float64Array;
  /** Σ y². */
  sumOfSquaredTargets: number;
}

/** The sums a polynomial fit of `degree` needs, in one pass over the data. */
export function sufficientStatistics(data: PolyData, degree: number): SufficientStatistics {
  const { x, y } = checkData(data);
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
  return { degree, powerSums, momentSums, sumOfSquaredTargets };
}

/** The sum of squares and its gradient from the statistics alone: O(degree²) per call. */
export function sumOfSquaresFromStatistics(
  statistics: SufficientStatistics,
  coefficients: readonly number[],
): Evaluation {
  const { degree, powerSums, momentSums, sumOfSquaredTargets } = statistics;
  const theta = requireFiniteVector("coefficients", coefficients, degree + 1);
  const gradient = new Array<number>(degree + 1);
  let quadratic = 0;
  let linear = 0;
  for (let k = 0; k <= degree; k++) {
    let gramRow = 0; // (Gθ)_k = Σ_j S_{j+k} θ_j
    for (let j = 0; j <= degree; j++) gramRow += powerSums[j + k] * theta[j];
    gradient[k] = 2 * (gramRow - momentSums[k]);
    quadratic += theta[k] * gramRow;
    linear += theta[k] * momentSums[k];
  }
  // θᵀGθ − 2θᵀT + Σy²: a difference of large terms, so clamp the rounding below zero away.
  const value = Math.max(0, quadratic - 2 * linear + sumOfSquaredTargets);
  return { value, gradient };
}
