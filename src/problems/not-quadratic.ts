/**
 * Functions that are not quadratics, for Newton's method: a smooth convex one with a closed-form
 * minimum (to count correct digits), a non-convex one with a maximum, a saddle and two minima, and
 * the plain saddle x² − y². Each gives f, ∇f and the Hessian ∇²f by hand.
 */
import type { Evaluation } from "../descent/loop";

type Matrix = number[][];

export interface TestFunction {
  label: string;
  value: (point: readonly number[]) => number;
  evaluate: (point: readonly number[]) => Evaluation;
  hessian: (point: readonly number[]) => Matrix;
}

/**
 * Boyd and Vandenberghe's example (Convex Optimization, §9.3 and 9.5):
 * f(x, y) = e^{x+3y−0.1} + e^{x−3y−0.1} + e^{−x−0.1}, smooth and strictly convex, not quadratic.
 * At the minimum y = 0 by symmetry and 2e^{x−0.1} = e^{−x−0.1}, so x = −½ ln 2.
 */
export const BOYD_FUNCTION: TestFunction & { minimum: { point: [number, number]; value: number } } = {
  label: "f(x, y) = e^{x+3y−0.1} + e^{x−3y−0.1} + e^{−x−0.1}",
  value: ([x, y]) => Math.exp(x + 3 * y - 0.1) + Math.exp(x - 3 * y - 0.1) + Math.exp(-x - 0.1),
  evaluate: ([x, y]) => {
    const a = Math.exp(x + 3 * y - 0.1);
    const b = Math.exp(x - 3 * y - 0.1);
    const c = Math.exp(-x - 0.1);
    return { value: a + b + c, gradient: [a + b - c, 3 * (a - b)] };
  },
  hessian: ([x, y]) => {
    const a = Math.exp(x + 3 * y - 0.1);
    const b = Math.exp(x - 3 * y - 0.1);
    const c = Math.exp(-x - 0.1);
    return [
      [a + b + c, 3 * (a - b)],
      [3 * (a - b), 9 * (a + b)],
    ];
  },
  // f(−½ ln 2, 0) = 2e^{−½ ln 2 − 0.1} + e^{½ ln 2 − 0.1} = (2/√2 + √2) e^{−0.1} = 2√2 e^{−0.1}.
  minimum: { point: [-0.5 * Math.LN2, 0], value: 2 * Math.SQRT2 * Math.exp(-0.1) },
};

/**
 * g(x, y) = x⁴ − 3x² + x + y²: notebook 01's h(x) along x, a parabola along y. Stationary points
 * where 4x³ − 6x + 1 = 0 and y = 0: two minima (x ≈ −1.30 and 1.13) and, between them, a saddle at
 * x ≈ 0.168 (a maximum along x, a minimum along y). Where 12x² − 6 < 0 (|x| < 1/√2) the Hessian
 * is not positive definite.
 */
export const NON_CONVEX_FUNCTION: TestFunction = {
  label: "g(x, y) = x⁴ − 3x² + x + y²",
  value: ([x, y]) => x ** 4 - 3 * x ** 2 + x + y * y,
  evaluate: ([x, y]) => ({
    value: x ** 4 - 3 * x ** 2 + x + y * y,
    gradient: [4 * x ** 3 - 6 * x + 1, 2 * y],
  }),
  hessian: ([x]) => [
    [12 * x * x - 6, 0],
    [0, 2],
  ],
};

/** s(x, y) = x² − y²: a saddle at the origin, a minimum along x, a maximum along y. */
export const SADDLE_FUNCTION: TestFunction = {
  label: "s(x, y) = x² − y²",
  value: ([x, y]) => x * x - y * y,
  evaluate: ([x, y]) => ({ value: x * x - y * y, gradient: [2 * x, -2 * y] }),
  hessian: () => [
    [2, 0],
    [0, -2],
  ],
};
