/**
 * The exact least-squares polynomial: the point gradient descent is walking towards. Setting the
 * gradient 2Xᵀ(Xc − y) of the sum of squares to zero gives the normal equations XᵀX c = Xᵀy, a small
 * symmetric positive definite system solved here by Cholesky (ml-matrix).
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { basisForData, featureRows, makeBasis, type Basis, type BasisName, type DesignMatrix } from "./bases";
import { UNIT_ROUNDOFF } from "./losses";
import { checkData, requireDegree, requireFitScale, sineData, type PolyData } from "./polynomial";
import { KitRangeError, extent, requireFiniteVector, requireOptions } from "../../descent/validate";

export interface NormalEquations {
  /** XᵀX, the Gram matrix: gram[j][k] = Σ_i φ_j(x_i) φ_k(x_i). */
  gram: number[][];
  /** Xᵀy: moment[k] = Σ_i φ_k(x_i) y_i. */
  moment: number[];
}

export function normalEquations(design: DesignMatrix, y: ArrayLike<number>): NormalEquations {
  const targets = requireFiniteVector("y", Array.from(y), design.rows);
  const n = design.columns;
  const gram = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const moment = new Array<number>(n).fill(0);
  for (let i = 0; i < design.rows; i++) {
    const row = design.values.subarray(i * n, (i + 1) * n);
    for (let j = 0; j < n; j++) {
      moment[j] += row[j] * targets[i];
      for (let k = j; k < n; k++) gram[j][k] += row[j] * row[k];
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) gram[j][k] = gram[k][j];
  return { gram, moment };
}

/**
 * Solves A z = b for a symmetric positive definite A (Cholesky); RangeError if A is not.
 * `singularReason` says why A could fail to be positive definite, for the message.
 */
export function solveSymmetricPositiveDefinite(
  matrix: readonly (readonly number[])[],
  rhs: readonly number[],
  singularReason = "the matrix is singular or not positive definite (or too ill-conditioned for double precision)",
): number[] {
  const n = rhs.length;
  requireFiniteVector("rhs", rhs);
  if (!Array.isArray(matrix) || matrix.length !== n) {
    throw new KitRangeError(`matrix must have ${n} rows (as rhs has entries), got ${String(matrix?.length)}`);
  }
  matrix.forEach((row, i) => requireFiniteVector(`matrix[${i}]`, row, n));
  const cholesky = new CholeskyDecomposition(new Matrix(matrix.map((row) => [...row])));
  const solution = cholesky.isPositiveDefinite()
    ? cholesky.solve(Matrix.columnVector([...rhs])).getColumn(0)
    : undefined;
  if (solution === undefined || !solution.every(Number.isFinite)) throw new KitRangeError(singularReason);
  return solution;
}

/** How many different values x holds (up to `enough`, where counting can stop). */
export function distinctCount(x: ArrayLike<number>, enough = Infinity): number {
  const seen = new Set<number>();
  for (let i = 0; i < x.length && seen.size < enough; i++) seen.add(x[i]);
  return seen.size;
}

/** Why the normal equations of a degree-`degree` fit in `basis` could not be solved, in words. */
export function singularNormalEquationsReason(
  x: ArrayLike<number>,
  degree: number,
  basis: BasisName,
): string {
  const distinct = distinctCount(x, degree + 1);
  if (distinct <= degree) {
    return `the normal equations are singular: the data has ${distinct} distinct x, fewer than the ${degree + 1} coefficients of a degree-${degree} polynomial`;
  }
  return `the normal equations XᵀX c = Xᵀy of a degree-${degree} fit in the ${basis} basis are too ill-conditioned for double precision (rounding makes XᵀX look singular, though the data has enough distinct x)${
    basis === "legendre" ? ": lower the degree" : ': use basis "legendre"'
  }`;
}

export interface LeastSquaresFit {
  /** Monomial coefficients a, b, c, … in x, whatever basis solved the equations. */
  coefficients: number[];
  /** The solution in the basis the normal equations were written in. */
  basisCoefficients: number[];
  basis: Basis;
  /** The smallest possible sum of squares Σ (ŷ − y)² for this degree on this data. */
  loss: number;
}

export interface LeastSquaresOptions {
  data?: PolyData;
  degree?: number;
  /**
   * The basis of the normal equations. "legendre" (the default) keeps them well conditioned
   * (condition number about 7 for a cubic, 15 for degree 7); "monomial" writes XᵀX in powers of x,
   * whose condition number is about 325 for the article's cubic but 10¹⁵ for degree 7 on [−4π, 4π].
   */
  basis?: BasisName;
}

/** Rows per block when summing over the data: a block of the design matrix, never all of it. */
const BLOCK = 8192;

/**
 * XᵀX and Xᵀy summed block by block from the basis's features, and then the residuals: no n × (d + 1)
 * design matrix is stored, so ten million points fit in memory at degree 20.
 */
function streamedNormalEquations(basis: Basis, data: PolyData): NormalEquations {
  const n = basis.degree + 1;
  const gram = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const moment = new Array<number>(n).fill(0);
  for (let from = 0; from < data.x.length; from += BLOCK) {
    const to = Math.min(from + BLOCK, data.x.length);
    const rows = featureRows(basis, data.x, from, to);
    for (let i = from; i < to; i++) {
      const offset = (i - from) * n;
      for (let j = 0; j < n; j++) {
        const rj = rows[offset + j];
        moment[j] += rj * data.y[i];
        for (let k = j; k < n; k++) gram[j][k] += rj * rows[offset + k];
      }
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) gram[j][k] = gram[k][j];
  return { gram, moment };
}

/** Σ (ŷ − y)² of the polynomial with these coefficients in `basis`, block by block. */
function streamedSumOfSquares(basis: Basis, coefficients: readonly number[], data: PolyData): number {
  const n = coefficients.length;
  let loss = 0;
  for (let from = 0; from < data.x.length; from += BLOCK) {
    const to = Math.min(from + BLOCK, data.x.length);
    const rows = featureRows(basis, data.x, from, to);
    for (let i = from; i < to; i++) {
      let prediction = 0;
      for (let k = 0; k < n; k++) prediction += coefficients[k] * rows[(i - from) * n + k];
      loss += (prediction - data.y[i]) ** 2;
    }
  }
  return loss;
}

/**
 * Checks that the monomial coefficients a, b, c, … converted from a basis reproduce the loss found
 * in that basis. Far from the origin (x in [1000, 1001], say) a polynomial of high degree has no
 * usable monomial form in double precision: its coefficients reach 1e27 and cancel, so evaluating
 * them gives nonsense. Then this refuses, naming the cause, instead of returning them.
 */
export function requireReproducingCoefficients(
  basis: Basis,
  coefficients: readonly number[],
  loss: number,
  data: PolyData,
  lossOf: (coefficients: readonly number[]) => number,
): void {
  if (basis.name === "monomial") return;
  const monomialLoss = lossOf(coefficients);
  const { min, max } = extent(data.y);
  // As good a fit as the basis's: up to doubling its loss, or a discrepancy per point of
  // √u (1.5e-8) of y's size, far below anything a table or figure shows.
  const floor = data.x.length * (Math.sqrt(UNIT_ROUNDOFF) * Math.max(Math.abs(min), Math.abs(max), 1)) ** 2;
  if (Number.isFinite(monomialLoss) && monomialLoss <= 2 * loss + floor) return;
  const largest = coefficients.reduce((size, c) => Math.max(size, Math.abs(c)), 0);
  throw new KitRangeError(
    `this degree-${basis.degree} polynomial has no accurate monomial form a + bx + … on x in [${basis.scaling.center - basis.scaling.halfWidth}, ${basis.scaling.center + basis.scaling.halfWidth}]: ` +
      `converted from the ${basis.name} basis its coefficients reach ${largest.toExponential(1)} and give loss ${monomialLoss.toExponential(2)} instead of ${loss.toExponential(2)}. ` +
      `Lower the degree, or fit in t = (x − ${basis.scaling.center}) / ${basis.scaling.halfWidth} instead of x (data.x mapped to [−1, 1]): its coefficients are those of powers of t`,
  );
}

/** The least-squares polynomial of `degree` (default 3) on `data` (default: the article's 2000 points). */
export function leastSquaresPolynomial(options: LeastSquaresOptions = {}): LeastSquaresFit {
  const checked = requireOptions("options", options);
  const data = checked.data === undefined ? sineData() : checkData(checked.data);
  const degree = requireDegree(checked.degree ?? 3);
  const basisName = checked.basis ?? "legendre";
  if (data.x.length <= degree) {
    throw new KitRangeError(`a degree-${degree} fit needs more than ${degree} points, got ${data.x.length}`);
  }
  const basis = basisForData(basisName, degree, data.x);
  requireFitScale(data, degree, basis.name === "monomial");
  const { gram, moment } = streamedNormalEquations(basis, data);
  const basisCoefficients = solveSymmetricPositiveDefinite(
    gram,
    moment,
    singularNormalEquationsReason(data.x, degree, basis.name),
  );
  const loss = streamedSumOfSquares(basis, basisCoefficients, data);
  const coefficients = basis.toMonomial(basisCoefficients);
  requireReproducingCoefficients(basis, coefficients, loss, data, (c) =>
    streamedSumOfSquares(makeBasis("monomial", degree), c, data),
  );
  return { coefficients, basisCoefficients, basis, loss };
}
