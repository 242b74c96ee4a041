/**
 * Preconditioning as one idea: the step −η P ∇f with a fixed positive definite P. P = I is plain
 * descent; P = diag(1/H_ii) is Jacobi's; P = T Tᵀ is plain descent in the coordinates c of another
 * basis (a = T c: notebook 02's Legendre polynomials); P = H⁻¹ with η = 1 is Newton's step on a
 * quadratic. On a quadratic the error is multiplied by I − ηPH, whose eigenvalues are those of
 * I − η P^{1/2} H P^{1/2}: the condition number of P^{1/2} H P^{1/2} takes the place of κ(H).
 * A variable P: shiftedNewtonStep below (the Hessian at each point, made positive definite).
 */
import type { StepRule } from "../descent/loop";
import { KitRangeError, requirePositive } from "../descent/validate";
import { newtonStep, type HessianAt } from "../descent/step-rules";
import { requireSymmetricMatrix, symmetricEigenvalues } from "./hessian";

type Matrix = readonly (readonly number[])[];

/** step = −η P g, P symmetric (positive definite for a descent direction). */
export function preconditionedStep(
  preconditioner: Matrix,
  learningRate: number,
  name = "preconditioned",
): StepRule<null> {
  const p = requireSymmetricMatrix("preconditioner", preconditioner);
  const eta = requirePositive("learningRate", learningRate);
  return {
    name,
    learningRate: eta,
    init: (start) => {
      if (start.length !== p.length) {
        throw new KitRangeError(
          `the preconditioner is ${p.length} × ${p.length} but the start has ${start.length} coordinates`,
        );
      }
      return null;
    },
    update: (gradient, state) => ({
      step: p.map((row) => -eta * row.reduce((sum, entry, j) => sum + entry * gradient[j], 0)),
      state,
    }),
  };
}

/**
 * Newton's step with the Hessian shifted where it is not positive definite: H + τI, τ = max(0,
 * margin − λ_min(H)), so the step −(H + τI)⁻¹g always points downhill (gᵀ(H + τI)⁻¹g > 0). Where H
 * is positive definite enough (λ_min ≥ margin) it is Newton's step unchanged. With backtracking
 * (line-search.ts) it is damped Newton: it descends where plain Newton climbs to a maximum or a saddle.
 */
export function shiftedNewtonStep(hessianAt: HessianAt, margin = 1e-3): StepRule<null> {
  if (typeof hessianAt !== "function") throw new KitRangeError("hessian must be a function of the point");
  const delta = requirePositive("margin", margin);
  const shifted: HessianAt = (point) => {
    const hessian = requireSymmetricMatrix("hessian", hessianAt(point));
    const shift = Math.max(0, delta - symmetricEigenvalues(hessian)[0]);
    return hessian.map((row, i) => row.map((entry, j) => (i === j ? entry + shift : entry)));
  };
  return { ...newtonStep(shifted), name: "Newton, shifted to positive definite" };
}
