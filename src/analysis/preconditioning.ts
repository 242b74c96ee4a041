/**
 * The condition number of a preconditioned quadratic. Descent with step −ηP∇f on a quadratic of
 * Hessian H multiplies the error by I − ηPH; PH has the eigenvalues of the symmetric
 * P^{1/2} H P^{1/2}, so its condition number κ_P replaces κ(H) in every rate: the best fixed η is
 * 2/(λ_min + λ_max) of P^{1/2} H P^{1/2} and the error shrinks by (κ_P − 1)/(κ_P + 1) per step.
 */
import { KitRangeError } from "../descent/validate";
import { requireSymmetricMatrix, symmetricEigen } from "./hessian";

type Matrix = readonly (readonly number[])[];

/** P^{1/2} for a symmetric positive definite P, from its eigen-decomposition. */
export function symmetricSquareRoot(matrix: Matrix): number[][] {
  const { values, vectors } = symmetricEigen(matrix);
  if (!(values[0] > 0)) {
    throw new KitRangeError(
      `the preconditioner must be positive definite, but its smallest eigenvalue is ${values[0]}`,
    );
  }
  const n = values.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) =>
      values.reduce((sum, value, k) => sum + Math.sqrt(value) * vectors[k][i] * vectors[k][j], 0),
    ),
  );
}

function product(a: Matrix, b: Matrix): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, entry, k) => sum + entry * b[k][j], 0)));
}

/** P^{1/2} H P^{1/2}: the Hessian the preconditioned descent sees (in the coordinates P^{-1/2} x). */
export function preconditionedHessian(hessian: Matrix, preconditioner: Matrix): number[][] {
  const h = requireSymmetricMatrix("hessian", hessian);
  const p = requireSymmetricMatrix("preconditioner", preconditioner);
  if (p.length !== h.length) {
    throw new KitRangeError(
      `the preconditioner is ${p.length} × ${p.length} but the Hessian ${h.length} × ${h.length}`,
    );
  }
  const root = symmetricSquareRoot(p);
  const result = product(product(root, h), root);
  // Symmetric up to rounding; make it exactly so for the eigenvalue solver.
  return result.map((row, i) => row.map((entry, j) => (entry + result[j][i]) / 2));
}

/** Jacobi's preconditioner diag(1/H_ii): every coordinate's curvature scaled to 1. */
export function jacobiPreconditioner(hessian: Matrix): number[][] {
  const h = requireSymmetricMatrix("hessian", hessian);
  return h.map((row, i) => {
    if (!(row[i] > 0))
      throw new KitRangeError(
        `Jacobi's preconditioner needs positive diagonal entries, but H[${i}][${i}] = ${row[i]}`,
      );
    return row.map((_, j) => (i === j ? 1 / row[i] : 0));
  });
}

/** T Tᵀ for a change of basis a = T c: plain descent on c is descent on a with this P. */
export function basisPreconditioner(change: Matrix): number[][] {
  return product(
    change,
    change[0].map((_, j) => change.map((row) => row[j])),
  );
}

/** P = diag(d): a per-coordinate scaling such as Adam's 1/(√ŝ + ε). */
export function diagonalMatrix(diagonal: readonly number[]): number[][] {
  return diagonal.map((d, i) => diagonal.map((_, j) => (i === j ? d : 0)));
}

/** The inverse of a symmetric positive definite matrix (Newton's P = H⁻¹), from its eigen-decomposition. */
export function symmetricInverse(matrix: Matrix): number[][] {
  const { values, vectors } = symmetricEigen(matrix);
  if (!(values[0] > 0))
    throw new KitRangeError(
      `the matrix must be positive definite, but its smallest eigenvalue is ${values[0]}`,
    );
  const n = values.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) =>
      values.reduce((sum, value, k) => sum + (vectors[k][i] * vectors[k][j]) / value, 0),
    ),
  );
}

export interface PreconditionedTheory {
  /** Eigenvalues of P^{1/2} H P^{1/2}, smallest first. */
  eigenvalues: number[];
  conditionNumber: number;
  /** 2/(λ_min + λ_max): the best fixed η for the step −ηP∇f. */
  learningRate: number;
  /** (κ − 1)/(κ + 1): the error's factor per step at that η. */
  rate: number;
}

/** κ, the best η and the rate of the step −ηP∇f on a quadratic of Hessian H. */
export function preconditionedTheory(hessian: Matrix, preconditioner: Matrix): PreconditionedTheory {
  const eigenvalues = symmetricEigen(preconditionedHessian(hessian, preconditioner)).values;
  const smallest = eigenvalues[0];
  const largest = eigenvalues[eigenvalues.length - 1];
  if (!(smallest > 0))
    throw new KitRangeError(
      `the preconditioned Hessian must be positive definite, but its smallest eigenvalue is ${smallest}`,
    );
  const kappa = largest / smallest;
  return {
    eigenvalues,
    conditionNumber: kappa,
    learningRate: 2 / (smallest + largest),
    rate: (kappa - 1) / (kappa + 1),
  };
}

/**
 * The error of each point in the energy norm of H, relative to the start's:
 * √((x_k − x*)ᵀH(x_k − x*) / (x_0 − x*)ᵀH(x_0 − x*)), which on a quadratic is
 * √((f(x_k) − f*)/(f(x_0) − f*)) computed without the cancellation of f − f*. Preconditioned descent
 * with the rate ρ of `preconditionedTheory` makes it at most ρᵏ (every eigen-mode of P^{1/2}HP^{1/2}
 * shrinks at least that fast), so the first k with error ≤ ε is at most ⌈ln ε / ln ρ⌉.
 */
export function energyErrors(
  points: readonly (readonly number[])[],
  optimum: readonly number[],
  hessian: Matrix,
): number[] {
  const h = requireSymmetricMatrix("hessian", hessian);
  const energy = (point: readonly number[]): number => {
    const e = point.map((p, i) => p - optimum[i]);
    return e.reduce((sum, ei, i) => sum + ei * h[i].reduce((row, hij, j) => row + hij * e[j], 0), 0);
  };
  const initial = energy(points[0]);
  if (!(initial > 0)) throw new KitRangeError("the run starts at the optimum: there is no error to reduce");
  return points.map((point) => Math.sqrt(Math.max(0, energy(point)) / initial));
}

/** The first k with energyErrors ≤ accuracy, or undefined. */
export function iterationsToEnergyAccuracy(
  points: readonly (readonly number[])[],
  optimum: readonly number[],
  hessian: Matrix,
  accuracy: number,
): number | undefined {
  const k = energyErrors(points, optimum, hessian).findIndex((error) => error <= accuracy);
  return k < 0 ? undefined : k;
}
