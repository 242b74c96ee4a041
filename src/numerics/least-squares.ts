/**
 * The exact least-squares polynomial: the point gradient descent is walking towards. Setting the
 * gradient 2Xᵀ(Xc − y) of the sum of squares to zero gives the normal equations XᵀX c = Xᵀy, a small
 * symmetric positive definite system solved here by Cholesky (ml-matrix).
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import {
  basisForData,
  designMatrix,
  multiplyDesign,
  type Basis,
  type BasisName,
  type DesignMatrix,
} from "./bases";
import { checkData, requireDegree, sineData, type PolyData } from "./polynomial";
import { requireFiniteVector } from "./validate";
import { KitRangeError } from "./validate";

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

/** Solves A z = b for a symmetric positive definite A (Cholesky); RangeError if A is not. */
export function solveSymmetricPositiveDefinite(
  matrix: readonly (readonly number[])[],
  rhs: readonly number[],
): number[] {
  const n = rhs.length;
  requireFiniteVector("rhs", rhs);
  if (!Array.isArray(matrix) || matrix.length !== n) {
    throw new KitRangeError(`matrix must have ${n} rows (as rhs has entries), got ${String(matrix?.length)}`);
  }
  matrix.forEach((row, i) => requireFiniteVector(`matrix[${i}]`, row, n));
  const cholesky = new CholeskyDecomposition(new Matrix(matrix.map((row) => [...row])));
  if (!cholesky.isPositiveDefinite()) {
    throw new KitRangeError(
      "the normal equations are singular: the data has fewer distinct x than the polynomial has coefficients",
    );
  }
  return cholesky.solve(Matrix.columnVector([...rhs])).getColumn(0);
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

/** The least-squares polynomial of `degree` (default 3) on `data` (default: the article's 2000 points). */
export function leastSquaresPolynomial(options: LeastSquaresOptions = {}): LeastSquaresFit {
  const data = options.data === undefined ? sineData() : checkData(options.data);
  const degree = requireDegree(options.degree ?? 3);
  if (data.x.length <= degree) {
    throw new KitRangeError(`a degree-${degree} fit needs more than ${degree} points, got ${data.x.length}`);
  }
  const basis = basisForData(options.basis ?? "legendre", degree, data.x);
  const design = designMatrix(basis, data.x);
  const { gram, moment } = normalEquations(design, data.y);
  const basisCoefficients = solveSymmetricPositiveDefinite(gram, moment);
  const predictions = multiplyDesign(design, basisCoefficients);
  const loss = predictions.reduce((sum, p, i) => sum + (p - data.y[i]) ** 2, 0);
  return { coefficients: basis.toMonomial(basisCoefficients), basisCoefficients, basis, loss };
}
