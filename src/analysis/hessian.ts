/**
 * Why gradient descent on the sum of squares is slow, and when it blows up. The loss is quadratic in
 * the coefficients, L(c) = ‖Xc − y‖², so its Hessian is the constant matrix H = 2XᵀX and every step is
 * linear in the error e = c − c*: e ← (I − ηH) e. Along the eigenvector of eigenvalue λ the error is
 * multiplied by (1 − ηλ) per step, so the descent converges exactly when |1 − ηλ| < 1 for all λ,
 * i.e. η < 2/λ_max; and then the slowest direction shrinks by (1 − ηλ_min) per step, which the
 * condition number κ = λ_max/λ_min bounds by 1 − 2/κ at best.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { basisForData, designMatrix, type BasisName } from "../problems/cubic-fit/bases";
import { normalEquations } from "../problems/cubic-fit/least-squares";
import {
  checkData,
  requireDegree,
  requireFitScale,
  sineData,
  type PolyData,
} from "../problems/cubic-fit/polynomial";
import {
  KitRangeError,
  KitTypeError,
  requireFiniteVector,
  requireIterations,
  requirePositive,
} from "../descent/validate";

/** Checks a square, finite, symmetric matrix (up to rounding) and returns it. */
export function requireSymmetricMatrix(name: string, matrix: unknown): readonly (readonly number[])[] {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new KitTypeError(`${name} must be a non-empty array of rows, got ${String(matrix)}`);
  }
  const n = matrix.length;
  matrix.forEach((row, i) => requireFiniteVector(`${name}[${i}]`, row, n));
  const rows = matrix as number[][];
  let scale = 0;
  for (const row of rows) for (const entry of row) scale = Math.max(scale, Math.abs(entry));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(rows[i][j] - rows[j][i]) > 1e-12 * scale) {
        throw new KitRangeError(
          `${name} must be symmetric, but ${name}[${i}][${j}] = ${rows[i][j]} and ${name}[${j}][${i}] = ${rows[j][i]}`,
        );
      }
    }
  }
  return rows;
}

/** The Hessian of Σ (ŷ − y)² in the coefficients of `basis`: 2XᵀX, constant since the loss is quadratic. */
export function sumOfSquaresHessian(
  data: PolyData = sineData(),
  degree = 3,
  basis: BasisName = "monomial",
): number[][] {
  const checked = checkData(data);
  const basisOfData = basisForData(basis, requireDegree(degree), checked.x);
  requireFitScale(checked, degree, basisOfData.name === "monomial");
  const design = designMatrix(basisOfData, checked.x);
  return normalEquations(design, checked.y).gram.map((row) => row.map((entry) => 2 * entry));
}

export interface SymmetricEigen {
  /** Eigenvalues, smallest first. */
  values: number[];
  /** vectors[i] is a unit eigenvector of values[i]. */
  vectors: number[][];
}

/** Eigenvalues and orthonormal eigenvectors of a small symmetric matrix (ml-matrix, symmetric QL). */
export function symmetricEigen(matrix: readonly (readonly number[])[]): SymmetricEigen {
  const rows = requireSymmetricMatrix("matrix", matrix);
  // Symmetrise exactly, so that rounding in the input cannot make the solver leave the symmetric path.
  const symmetric = rows.map((row, i) => row.map((entry, j) => (entry + rows[j][i]) / 2));
  const decomposition = new EigenvalueDecomposition(new Matrix(symmetric), { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
  return { values: order.map((i) => values[i]), vectors: order.map((i) => vectors.getColumn(i)) };
}

export function symmetricEigenvalues(matrix: readonly (readonly number[])[]): number[] {
  return symmetricEigen(matrix).values;
}

export interface Stability {
  /** Eigenvalues of the Hessian, smallest first. */
  eigenvalues: number[];
  smallest: number;
  largest: number;
  /** 2/λ_max: learning rates below it converge, above it diverge. */
  largestStableLearningRate: number;
  /** 2/(λ_min + λ_max): the learning rate whose slowest direction shrinks fastest. */
  bestLearningRate: number;
  /** λ_max/λ_min. */
  conditionNumber: number;
  /**
   * True when λ_min is below what doubles resolve next to λ_max (u·n·λ_max, a condition number
   * past ~1e14, as for the monomial basis from degree 7 on [−π, π]): λ_min, the best rate and κ
   * are then only as good as the rounding; 2/λ_max stays exact.
   */
  smallestWithinRounding: boolean;
}

/** The stability facts of a quadratic loss with this (positive definite) Hessian. */
export function stabilityOf(hessian: readonly (readonly number[])[]): Stability {
  const eigenvalues = symmetricEigenvalues(hessian);
  const smallest = eigenvalues[0];
  const largest = eigenvalues[eigenvalues.length - 1];
  if (!eigenvalues.every(Number.isFinite)) {
    throw new KitRangeError(
      `the Hessian's eigenvalues are not finite numbers: its entries are too large for double precision`,
    );
  }
  // An eigenvalue within rounding of zero (u·n·λ_max) is zero as far as doubles can tell: a
  // positive one is reported with smallestWithinRounding, a zero or negative one refused.
  const roundingFloor = 4 * eigenvalues.length * 2 ** -53 * Math.abs(largest);
  if (!(smallest > 0)) {
    throw new KitRangeError(
      smallest >= -roundingFloor * 1e3 && largest > 0
        ? `the Hessian's smallest eigenvalue is ${smallest}, zero up to rounding next to its largest ${largest} (condition number past 1e15): ` +
            `a Hessian 2XᵀX is positive semidefinite, so a negative or zero eigenvalue here is the rounding of an ill-conditioned matrix, ` +
            `not a saddle; use a better-conditioned basis ("legendre") or a lower degree`
        : `the Hessian must be positive definite, but its smallest eigenvalue is ${smallest} (largest ${largest})`,
    );
  }
  const result = {
    eigenvalues,
    smallest,
    largest,
    largestStableLearningRate: 2 / largest,
    bestLearningRate: 2 / (smallest + largest),
    conditionNumber: largest / smallest,
    smallestWithinRounding: smallest <= roundingFloor,
  };
  if (
    ![result.largestStableLearningRate, result.bestLearningRate, result.conditionNumber].every(
      Number.isFinite,
    )
  ) {
    throw new KitRangeError(
      `the Hessian's eigenvalues (${smallest} … ${largest}) are too extreme for double precision: 2/λ or λ_max/λ_min overflows`,
    );
  }
  return result;
}

/** |1 − ηλ| for each eigenvalue: how much one step multiplies the error along its eigenvector. */
export function contractionFactors(eigenvalues: readonly number[], learningRate: number): number[] {
  requirePositive("learningRate", learningRate);
  return requireFiniteVector("eigenvalues", eigenvalues).map((lambda) => Math.abs(1 - learningRate * lambda));
}

export interface QuadraticDescentPrediction {
  /**
   * The coefficients after `iterations` steps: c* + Σ_i (1 − ηλ_i)^k ⟨e₀, v_i⟩ v_i. Reading it when
   * the prediction diverges (`diverges`) throws a RangeError that says so in words.
   */
  point: number[];
  /** Per eigenvector (smallest eigenvalue first): the error component at the start and after k steps. */
  modes: QuadraticMode[];
  /** True when some mode's error grows past what a double holds: the descent blows up. */
  diverges: boolean;
  /** One sentence: how far the descent gets, or which mode blows up and how fast. */
  summary: string;
}

export interface QuadraticMode {
  eigenvalue: number;
  /** 1 − ηλ, what each step multiplies this mode's error by. */
  factor: number;
  start: number;
  /** The error after k steps (0 for a mode that overflows: see `overflows` and `log10Growth`). */
  end: number;
  /** log₁₀ |1 − ηλ|^k, finite even where (1 − ηλ)^k is not. */
  log10Growth: number;
  /** The error after k steps overflows a double: about start × 10^log10Growth. */
  overflows: boolean;
}

/**
 * Where gradient descent with learning rate η lands after k steps on the quadratic loss with
 * Hessian H and minimum c*, computed in closed form from the eigendecomposition, without iterating.
 * No NaN or Infinity comes out: a mode whose error overflows is flagged, and the prediction says
 * in words that the descent diverges.
 */
export function predictQuadraticDescent(
  hessian: readonly (readonly number[])[],
  optimum: readonly number[],
  start: readonly number[],
  learningRate: number,
  iterations: number,
): QuadraticDescentPrediction {
  const n = requireSymmetricMatrix("hessian", hessian).length;
  requireFiniteVector("optimum", optimum, n);
  requireFiniteVector("start", start, n);
  requirePositive("learningRate", learningRate);
  requireIterations("iterations", iterations);
  const { values, vectors } = symmetricEigen(hessian);
  const point = [...optimum];
  const modes = values.map((eigenvalue, i): QuadraticMode => {
    const v = vectors[i];
    const startComponent = v.reduce((sum, vj, j) => sum + vj * (start[j] - optimum[j]), 0);
    const factor = 1 - learningRate * eigenvalue;
    const growth = iterations * Math.log10(Math.abs(factor));
    const log10Growth = iterations === 0 ? 0 : Number.isFinite(growth) ? growth : -Number.MAX_VALUE;
    const end = startComponent === 0 ? 0 : startComponent * factor ** iterations;
    const overflows = !Number.isFinite(end) || v.some((vj, j) => !Number.isFinite(point[j] + end * vj));
    if (!overflows) v.forEach((vj, j) => (point[j] += end * vj));
    return { eigenvalue, factor, start: startComponent, end: overflows ? 0 : end, log10Growth, overflows };
  });
  const blowUp = modes.find((mode) => mode.overflows);
  const largestEnd = modes.reduce((size, mode) => Math.max(size, Math.abs(mode.end)), 0);
  const summary = blowUp
    ? `diverges: along the eigenvector of λ = ${blowUp.eigenvalue.toPrecision(6)} each step multiplies the error by 1 − ηλ = ${blowUp.factor.toPrecision(6)}, ` +
      `so after ${iterations} steps it would be about 10^${Math.round(blowUp.log10Growth)} times its start, past the largest double`
    : `after ${iterations} steps the error along every eigenvector is at most ${largestEnd.toPrecision(3)}`;
  const prediction = { modes, diverges: blowUp !== undefined, summary } as QuadraticDescentPrediction;
  Object.defineProperty(prediction, "point", {
    enumerable: true,
    get: () => {
      if (blowUp) throw new KitRangeError(`no point to predict: the descent ${summary}`);
      return point;
    },
  });
  return prediction;
}
