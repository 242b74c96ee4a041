/**
 * Loss functions of the residuals r_i = ŷ_i − y_i, each with its hand-derived derivative ∂L/∂r_i.
 * The chain rule then gives the gradient for any basis: ∂L/∂c_k = Σ_i ∂L/∂r_i · φ_k(x_i), since
 * ∂r_i/∂c_k = φ_k(x_i) (x_i^k for the article's monomials).
 *
 * |r| has no derivative at r = 0. Every number in [−1, 1] is a subgradient there; this kit takes 0,
 * the midpoint (and Math.sign(0)), so a point fitted exactly pulls neither way. TensorFlow.js picks a
 * side instead (tf.abs's gradient at 0 is −1, and tf.losses.absoluteDifference applies it to y − ŷ,
 * so +1 in ŷ), so the two agree wherever no residual is exactly 0, which is every point of the
 * checks: the residuals of random coefficients are never exactly zero.
 */
import { basisForData, designMatrix, multiplyDesign, type BasisName, type DesignMatrix } from "./bases";
import { euclideanNorm, type Evaluation } from "../../descent/loop";
import {
  checkData,
  coefficientNames,
  evaluatePolynomial,
  requireCoefficients,
  requireDegree,
  type PolyData,
} from "./polynomial";
import {
  KitRangeError,
  KitTypeError,
  requireFiniteVector,
  requireInteger,
  requirePositive,
} from "../../descent/validate";

/** Which loss: src/checks/tensor-objectives.ts gives each kind its TensorFlow.js form (tf.losses). */
export type LossKind = "sum of squares" | "mean squared error" | "sum of absolute errors" | "Huber";

export interface Loss {
  kind: LossKind;
  /** "mean squared error" */
  name: string;
  /** The loss in LaTeX, in terms of the residuals r_i and their number n. */
  latex: string;
  /** The derivative ∂L/∂r_i in LaTeX. */
  derivativeLatex: string;
  value(residuals: Float64Array): number;
  /** ∂L/∂r_i for every i; a subgradient where the loss has a kink (see the module comment). */
  derivatives(residuals: Float64Array): Float64Array;
  /** Huber's δ (the Huber loss only). */
  delta?: number;
}

/** The article's loss: Σ r², with ∂L/∂r = 2r. */
export const sumOfSquaresLoss: Loss = {
  kind: "sum of squares",
  name: "sum of squares",
  latex: "L = \\sum_{i=1}^{n} r_i^2",
  derivativeLatex: "\\frac{\\partial L}{\\partial r_i} = 2 r_i",
  value: (r) => r.reduce((sum, ri) => sum + ri * ri, 0),
  derivatives: (r) => r.map((ri) => 2 * ri),
};

/** (1/n) Σ r², with ∂L/∂r = 2r/n: the sum of squares divided by n, so its gradient is too. */
export const meanSquaredError: Loss = {
  kind: "mean squared error",
  name: "mean squared error",
  latex: "L = \\frac{1}{n} \\sum_{i=1}^{n} r_i^2",
  derivativeLatex: "\\frac{\\partial L}{\\partial r_i} = \\frac{2 r_i}{n}",
  value: (r) => r.reduce((sum, ri) => sum + ri * ri, 0) / requireSomePoints(r).length,
  derivatives: (r) => r.map((ri) => (2 * ri) / r.length),
};

/** A mean needs at least one point: (1/0)·0 is NaN, not a loss. */
function requireSomePoints(residuals: Float64Array): Float64Array {
  if (residuals.length === 0) {
    throw new KitRangeError("the mean squared error of no points is undefined: give at least one point");
  }
  return residuals;
}

/** Σ |r|, with ∂L/∂r = sign(r), taken as 0 at r = 0. */
export const sumOfAbsoluteErrors: Loss = {
  kind: "sum of absolute errors",
  name: "sum of absolute errors",
  latex: "L = \\sum_{i=1}^{n} |r_i|",
  derivativeLatex:
    "\\frac{\\partial L}{\\partial r_i} = \\operatorname{sign}(r_i) \\quad (\\text{taken as } 0 \\text{ at } r_i = 0)",
  value: (r) => r.reduce((sum, ri) => sum + Math.abs(ri), 0),
  derivatives: (r) => r.map(Math.sign),
};

/**
 * Σ h_δ(r) with h_δ(r) = r²/2 for |r| ≤ δ and δ(|r| − δ/2) beyond: quadratic near the fit, linear
 * for outliers, smooth at ±δ; ∂h/∂r = r inside, δ·sign(r) outside (= clamp(r, −δ, δ)).
 */
export function huberLoss(delta = 1): Loss {
  requirePositive("delta", delta);
  return {
    kind: "Huber",
    delta,
    name: `Huber loss (δ = ${delta})`,
    latex: `L = \\sum_{i=1}^{n} h_\\delta(r_i), \\quad h_\\delta(r) = \\begin{cases} \\tfrac12 r^2 & |r| \\le \\delta \\\\ \\delta\\,(|r| - \\tfrac12\\delta) & |r| > \\delta \\end{cases}, \\quad \\delta = ${delta}`,
    derivativeLatex: "\\frac{\\partial L}{\\partial r_i} = \\max(-\\delta, \\min(r_i, \\delta))",
    value: (r) =>
      r.reduce((sum, ri) => {
        const size = Math.abs(ri);
        return sum + (size <= delta ? 0.5 * ri * ri : delta * (size - 0.5 * delta));
      }, 0),
    derivatives: (r) => r.map((ri) => Math.max(-delta, Math.min(ri, delta))),
  };
}

export function requireLoss(loss: unknown): Loss {
  const candidate = loss as Partial<Loss> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    typeof candidate.value !== "function" ||
    typeof candidate.derivatives !== "function"
  ) {
    throw new KitTypeError(
      `loss must be a Loss such as meanSquaredError or huberLoss(1), got ${String(loss)}`,
    );
  }
  return candidate as Loss;
}

/** The residuals ŷ − y = Xc − y. */
export function residuals(
  design: DesignMatrix,
  coefficients: readonly number[],
  y: ArrayLike<number>,
): Float64Array {
  if (y.length !== design.rows) {
    throw new KitRangeError(
      `y must have ${design.rows} entries (one per row of the design), got ${y.length}`,
    );
  }
  return multiplyDesign(design, coefficients).map((prediction, i) => prediction - y[i]);
}

/** The unit roundoff of a double, 2⁻⁵³: one rounding moves a number by at most this share of it. */
export const UNIT_ROUNDOFF = 2 ** -53;

/**
 * How far rounding alone may move a loss Σ ℓ(r_i) of n residuals r_i = Σ_k c_k φ_k(x_i) − y_i
 * (the `noise` of an Evaluation, which the descent's divergence rule does not count as a rise).
 * Each r_i is a sum of `terms` products, so it is off by up to terms·u·m_i, where
 * m_i = Σ_k |c_k φ_k(x_i)| + |y_i| is the size of what was added; that moves the loss by
 * |∂L/∂r_i|·terms·u·m_i; and summing n terms adds up to n·u·|L|.
 * `weightedSize` is Σ_i |∂L/∂r_i|·m_i (or a bound on it).
 */
export function roundingNoise(loss: number, pointCount: number, terms: number, weightedSize: number): number {
  return UNIT_ROUNDOFF * (terms * weightedSize + pointCount * Math.abs(loss));
}

/**
 * The loss and its gradient ∂L/∂c_k = Σ_i ∂L/∂r_i · X[i][k], by the chain rule, with the loss's
 * rounding noise (see roundingNoise).
 */
export function lossWithGradient(
  loss: Loss,
  design: DesignMatrix,
  y: ArrayLike<number>,
  coefficients: readonly number[],
): Evaluation {
  requireLoss(loss);
  const r = residuals(design, coefficients, y);
  const dLoss = loss.derivatives(r);
  const columns = design.columns;
  const gradient = new Array<number>(columns).fill(0);
  let weightedSize = 0;
  for (let i = 0; i < design.rows; i++) {
    let size = Math.abs(y[i]);
    for (let k = 0; k < columns; k++) {
      const feature = design.values[i * columns + k];
      gradient[k] += dLoss[i] * feature;
      size += Math.abs(coefficients[k] * feature);
    }
    weightedSize += Math.abs(dLoss[i]) * size;
  }
  const value = loss.value(r);
  // Features such as x^k or P_k(t) carry up to 2·degree roundings of their own.
  return { value, gradient, noise: roundingNoise(value, design.rows, 2 * columns + 1, weightedSize) };
}

/** The article's loss: the sum of squared errors Σ (ŷ − y)². */
export function sumOfSquares(coefficients: readonly number[], data: PolyData): number {
  requireCoefficients(coefficients);
  data = checkData(data);
  const prediction = evaluatePolynomial(coefficients, data.x);
  return prediction.reduce((loss, p, i) => loss + (p - data.y[i]) ** 2, 0);
}

/**
 * Loss and gradient in one pass, exactly as the article's chain rule:
 * ∂loss/∂ŷᵢ = 2(ŷᵢ − yᵢ), and since ∂ŷᵢ/∂c_k = xᵢ^k,
 * grad_a = Σ 2(ŷ − y), grad_b = Σ 2(ŷ − y)·x, grad_c = Σ 2(ŷ − y)·x², grad_d = Σ 2(ŷ − y)·x³.
 */
export function sumOfSquaresWithGradient(coefficients: readonly number[], data: PolyData): Evaluation {
  requireDegree(requireCoefficients(coefficients).length - 1);
  data = checkData(data);
  return sumOfSquaresEvaluator(data, coefficients.length - 1)(coefficients);
}

/**
 * The same loss and gradient as a function of the coefficients alone, for a descent that calls it
 * thousands of times on the same data: the powers xᵢ^k are computed once (as xᵢ·xᵢ·…, the same
 * products the loop would form, so the arithmetic and its rounding are unchanged) and the sums run
 * over flat arrays.
 *
 * Performance notes (kept here, out of the loops below): each loop reads the arrays from local
 * copies, not from the closure's variables: once a second evaluator exists V8 stops specialising
 * on one closure and would reload them from its context at every point (2–3× slower). The
 * rounding noise is bounded by Cauchy–Schwarz, Σ_i 2|r_i|·m_i ≤ 2‖r‖·‖m‖ with
 * ‖m‖ ≤ Σ_k |c_k|·‖x^k‖ + ‖y‖, so it costs O(degree) per call and nothing inside the loop.
 */
export function sumOfSquaresEvaluator(
  data: PolyData,
  degree: number,
): (coefficients: readonly number[]) => Evaluation {
  requireDegree(degree);
  const { x, y } =
    data instanceof Object &&
    data.x instanceof Float64Array &&
    data.y instanceof Float64Array &&
    data.x.length === data.y.length
      ? data
      : checkData(data);
  const pointCount = x.length;
  const columns = Array.from({ length: degree + 1 }, () => new Float64Array(pointCount));
  for (let i = 0; i < pointCount; i++) {
    let power = 1;
    for (let k = 0; k <= degree; k++) {
      columns[k][i] = power;
      power *= x[i];
    }
  }
  const targetValues = Float64Array.from(y);
  const columnNorms = columns.map(euclideanNorm);
  const targetNorm = euclideanNorm(targetValues);
  const terms = 2 * degree + 3;
  const noise = (loss: number, coefficients: readonly number[]): number => {
    let sizeNorm = targetNorm;
    for (let k = 0; k <= degree; k++) sizeNorm += Math.abs(coefficients[k]) * columnNorms[k];
    return roundingNoise(loss, pointCount, terms, 2 * Math.sqrt(loss) * sizeNorm);
  };
  if (degree === 3) {
    // The article's cubic, unrolled: the whole fit is this loop.
    return (coefficients) => {
      const [, x1, x2, x3] = columns;
      const targets = targetValues;
      const count = pointCount;
      const [a, b, c, d] = coefficients;
      let loss = 0;
      let gradA = 0;
      let gradB = 0;
      let gradC = 0;
      let gradD = 0;
      for (let i = 0; i < count; i++) {
        const residual = a + b * x1[i] + c * x2[i] + d * x3[i] - targets[i];
        loss += residual * residual;
        const gradPrediction = 2 * residual;
        gradA += gradPrediction;
        gradB += gradPrediction * x1[i];
        gradC += gradPrediction * x2[i];
        gradD += gradPrediction * x3[i];
      }
      return { value: loss, gradient: [gradA, gradB, gradC, gradD], noise: noise(loss, coefficients) };
    };
  }
  return (coefficients) => {
    const powers = columns;
    const targets = targetValues;
    const count = pointCount;
    const gradient = new Array<number>(degree + 1).fill(0);
    let loss = 0;
    for (let i = 0; i < count; i++) {
      let prediction = 0;
      for (let k = 0; k <= degree; k++) prediction += coefficients[k] * powers[k][i];
      const residual = prediction - targets[i];
      loss += residual * residual;
      const gradPrediction = 2 * residual;
      for (let k = 0; k <= degree; k++) gradient[k] += gradPrediction * powers[k][i];
    }
    return { value: loss, gradient, noise: noise(loss, coefficients) };
  };
}

/** The hand-derived gradient alone: [grad_a, grad_b, grad_c, grad_d] for a cubic. */
export function sumOfSquaresGradient(coefficients: readonly number[], data: PolyData): number[] {
  return sumOfSquaresWithGradient(requireCoefficients(coefficients), data).gradient;
}

/** The loss along one coordinate, the others held at the centre. */
export interface LossSlice {
  /** "a", "b", … */
  coordinate: string;
  index: number;
  /** The coordinate's value at the centre. */
  center: number;
  values: number[];
  losses: number[];
}

export interface LossSliceOptions {
  loss?: Loss;
  basis?: BasisName;
  /** Half-width of each slice: one number for all coordinates, or one per coordinate (default 1). */
  span?: number | readonly number[];
  /** Points per slice (default 101, so the centre is a sample). */
  points?: number;
}

/**
 * The loss as a function of each coefficient separately around `center` (exercise 5 of the article):
 * for coordinate k, L(center + s·e_k) for s evenly spaced in [−span_k, span_k].
 */
export function lossSlices(
  data: PolyData,
  center: readonly number[],
  options: LossSliceOptions = {},
): LossSlice[] {
  const centre = requireFiniteVector("center", center);
  const loss = requireLoss(options.loss ?? sumOfSquaresLoss);
  const checked = checkData(data);
  const basis = basisForData(options.basis ?? "monomial", centre.length - 1, checked.x);
  const design = designMatrix(basis, checked.x);
  const names = basis.name === "monomial" ? coefficientNames(centre.length) : basis.labels;
  const points = requireInteger("points", options.points ?? 101, 3, 1001);
  const spanOption = options.span ?? 1;
  const spans =
    typeof spanOption === "number"
      ? centre.map(() => spanOption)
      : [...requireFiniteVector("span", spanOption, centre.length)];
  spans.forEach((span, k) => requirePositive(`span[${k}]`, span));
  return centre.map((value, index) => {
    const values = Array.from(
      { length: points },
      // value + span·(−1 + 2j/(points − 1)): the middle sample of an odd count is the centre exactly
      (_, j) => value + spans[index] * (-1 + (2 * j) / (points - 1)),
    );
    const losses = values.map((v) => {
      const point = [...centre];
      point[index] = v;
      const value = lossWithGradient(loss, design, checked.y, point).value;
      if (!Number.isFinite(value)) {
        throw new KitRangeError(
          `the loss overflows at ${names[index]} = ${v} (center ± span ${spans[index]}): choose a smaller span`,
        );
      }
      return value;
    });
    return { coordinate: names[index], index, center: value, values, losses };
  });
}
