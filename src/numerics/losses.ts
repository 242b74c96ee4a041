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
import type { Scalar, Tensor1D } from "@tensorflow/tfjs";
import { basisForData, designMatrix, multiplyDesign, type BasisName, type DesignMatrix } from "./bases";
import type { Evaluation } from "./descent";
import type { GradientCheckSubject } from "./gradient-check";
import type { PolyData } from "./polyfit";
import type { TensorFlow } from "./tensorflow";
import { requireFiniteVector, requireInteger, requirePositive } from "./validate";

export interface Loss {
  /** "mean squared error" */
  name: string;
  /** The loss in LaTeX, in terms of the residuals r_i and their number n. */
  latex: string;
  /** The derivative ∂L/∂r_i in LaTeX. */
  derivativeLatex: string;
  value(residuals: Float64Array): number;
  /** ∂L/∂r_i for every i; a subgradient where the loss has a kink (see the module comment). */
  derivatives(residuals: Float64Array): Float64Array;
  /** The same loss from TensorFlow.js's own loss functions (tf.losses), for autodiff checks. */
  tensorLoss(tf: TensorFlow, targets: Tensor1D, predictions: Tensor1D): Scalar;
}

/** The article's loss: Σ r², with ∂L/∂r = 2r. */
export const sumOfSquaresLoss: Loss = {
  name: "sum of squares",
  latex: "L = \\sum_{i=1}^{n} r_i^2",
  derivativeLatex: "\\frac{\\partial L}{\\partial r_i} = 2 r_i",
  value: (r) => r.reduce((sum, ri) => sum + ri * ri, 0),
  derivatives: (r) => r.map((ri) => 2 * ri),
  tensorLoss: (tf, targets, predictions) =>
    tf.losses.meanSquaredError(targets, predictions, undefined, tf.Reduction.SUM) as Scalar,
};

/** (1/n) Σ r², with ∂L/∂r = 2r/n: the sum of squares divided by n, so its gradient is too. */
export const meanSquaredError: Loss = {
  name: "mean squared error",
  latex: "L = \\frac{1}{n} \\sum_{i=1}^{n} r_i^2",
  derivativeLatex: "\\frac{\\partial L}{\\partial r_i} = \\frac{2 r_i}{n}",
  value: (r) => r.reduce((sum, ri) => sum + ri * ri, 0) / r.length,
  derivatives: (r) => r.map((ri) => (2 * ri) / r.length),
  tensorLoss: (tf, targets, predictions) =>
    tf.losses.meanSquaredError(targets, predictions, undefined, tf.Reduction.MEAN) as Scalar,
};

/** Σ |r|, with ∂L/∂r = sign(r), taken as 0 at r = 0. */
export const sumOfAbsoluteErrors: Loss = {
  name: "sum of absolute errors",
  latex: "L = \\sum_{i=1}^{n} |r_i|",
  derivativeLatex:
    "\\frac{\\partial L}{\\partial r_i} = \\operatorname{sign}(r_i) \\quad (\\text{taken as } 0 \\text{ at } r_i = 0)",
  value: (r) => r.reduce((sum, ri) => sum + Math.abs(ri), 0),
  derivatives: (r) => r.map(Math.sign),
  tensorLoss: (tf, targets, predictions) =>
    tf.losses.absoluteDifference(targets, predictions, undefined, tf.Reduction.SUM) as Scalar,
};

/**
 * Σ h_δ(r) with h_δ(r) = r²/2 for |r| ≤ δ and δ(|r| − δ/2) beyond: quadratic near the fit, linear
 * for outliers, smooth at ±δ; ∂h/∂r = r inside, δ·sign(r) outside (= clamp(r, −δ, δ)).
 */
export function huberLoss(delta = 1): Loss {
  requirePositive("delta", delta);
  return {
    name: `Huber loss (δ = ${delta})`,
    latex: `L = \\sum_{i=1}^{n} h_\\delta(r_i), \\quad h_\\delta(r) = \\begin{cases} \\tfrac12 r^2 & |r| \\le \\delta \\\\ \\delta\\,(|r| - \\tfrac12\\delta) & |r| > \\delta \\end{cases}, \\quad \\delta = ${delta}`,
    derivativeLatex: "\\frac{\\partial L}{\\partial r_i} = \\max(-\\delta, \\min(r_i, \\delta))",
    value: (r) =>
      r.reduce((sum, ri) => {
        const size = Math.abs(ri);
        return sum + (size <= delta ? 0.5 * ri * ri : delta * (size - 0.5 * delta));
      }, 0),
    derivatives: (r) => r.map((ri) => Math.max(-delta, Math.min(ri, delta))),
    tensorLoss: (tf, targets, predictions) =>
      tf.losses.huberLoss(targets, predictions, undefined, delta, tf.Reduction.SUM) as Scalar,
  };
}

function requireLoss(loss: unknown): Loss {
  const candidate = loss as Partial<Loss> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    typeof candidate.value !== "function" ||
    typeof candidate.derivatives !== "function"
  ) {
    throw new TypeError(`loss must be a Loss such as meanSquaredError or huberLoss(1), got ${String(loss)}`);
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
    throw new RangeError(`y must have ${design.rows} entries (one per row of the design), got ${y.length}`);
  }
  return multiplyDesign(design, coefficients).map((prediction, i) => prediction - y[i]);
}

/** The loss and its gradient ∂L/∂c_k = Σ_i ∂L/∂r_i · X[i][k], by the chain rule. */
export function lossWithGradient(
  loss: Loss,
  design: DesignMatrix,
  y: ArrayLike<number>,
  coefficients: readonly number[],
): Evaluation {
  requireLoss(loss);
  const r = residuals(design, coefficients, y);
  const dLoss = loss.derivatives(r);
  const gradient = new Array<number>(design.columns).fill(0);
  for (let i = 0; i < design.rows; i++) {
    for (let k = 0; k < design.columns; k++) gradient[k] += dLoss[i] * design.values[i * design.columns + k];
  }
  return { value: loss.value(r), gradient };
}

const COEFFICIENT_NAMES = ["a", "b", "c", "d"];

/** Names a, b, c, d, then c4, c5, … as the article names a cubic's coefficients. */
export function coefficientNames(count: number): string[] {
  requireInteger("count", count, 1, 1000);
  return Array.from({ length: count }, (_, k) => COEFFICIENT_NAMES[k] ?? `c${k}`);
}

/**
 * `loss` of a degree-`degree` polynomial on `data`, as a function of its coefficients in `basis`,
 * with the hand gradient above and the TensorFlow.js version (the design matrix times the
 * coefficients, then tf.losses), for checkAgainstAutodiff and checkAgainstFiniteDifferences.
 */
export function lossSubject(
  loss: Loss,
  data: PolyData,
  degree = 3,
  basis: BasisName = "monomial",
): GradientCheckSubject {
  requireLoss(loss);
  const basisOfData = basisForData(basis, degree, data.x);
  const design = designMatrix(basisOfData, data.x);
  const evaluate = (coefficients: readonly number[]): Evaluation =>
    lossWithGradient(loss, design, data.y, coefficients);
  return {
    name: `${loss.name} of a degree-${degree} polynomial (${basis} basis) on ${data.x.length} points`,
    dimension: degree + 1,
    coordinates: basis === "monomial" ? coefficientNames(degree + 1) : basisOfData.labels,
    objective: (coefficients) => evaluate(coefficients).value,
    handGradient: (coefficients) => evaluate(coefficients).gradient,
    tensorObjective: (tf, coefficients) => {
      // Σ_k c_k·(column k), as sumOfSquaresSubject does: its float32 gradient sums are more accurate
      // than a matMul's.
      const columns = Array.from({ length: design.columns }, (_, k) =>
        tf.tensor1d(
          Float32Array.from({ length: design.rows }, (_, i) => design.values[i * design.columns + k]),
        ),
      );
      const predictions = tf.addN(tf.unstack(coefficients).map((c, k) => c.mul(columns[k])));
      return loss.tensorLoss(tf, tf.tensor1d(Float32Array.from(data.y)), predictions as Tensor1D);
    },
  };
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
  const subject = lossSubject(
    options.loss ?? sumOfSquaresLoss,
    data,
    centre.length - 1,
    options.basis ?? "monomial",
  );
  const points = requireInteger("points", options.points ?? 101, 3, 10_000);
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
      return subject.objective(point);
    });
    return { coordinate: subject.coordinates[index], index, center: value, values, losses };
  });
}
