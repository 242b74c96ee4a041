/**
 * The kit's objectives written with TensorFlow.js operations, each once: the bowl's f(x, y), and a
 * loss of a polynomial's residuals (the sum of squares among them). The gradient checks
 * differentiate them with autodiff; the TensorFlow.js optimizers descend them.
 */
import type { Scalar, Tensor1D } from "@tensorflow/tfjs";
import { basisForData, designMatrix, type BasisName } from "../problems/cubic-fit/bases";
import { requireLoss, sumOfSquaresLoss, type Loss } from "../problems/cubic-fit/losses";
import { checkData, requireDegree, type PolyData } from "../problems/cubic-fit/polynomial";
import type { TensorFlow } from "./tensorflow";

/**
 * A function of the parameter vector written with TensorFlow.js operations.
 * @internal Like the other TensorFlow.js types (see TensorFlow in tensorflow.ts), kept out of
 * build's declarations, where notebooks see it as `any`.
 */
export type TensorObjective = ((tf: TensorFlow, parameters: Tensor1D) => Scalar) & {
  /** The length of the parameter vector it expects, when known: starts of another length are refused. */
  dimension?: number;
};

/** The first article's bowl f(x, y) = ½x² + x + ¼y² − 2. */
export const articleTensorObjective: TensorObjective = Object.assign(
  (tf: TensorFlow, point: Tensor1D): Scalar => {
    const [x, y] = tf.unstack(point);
    return tf.addN([x.square().mul(0.5), x, y.square().mul(0.25), tf.scalar(-2)]) as Scalar;
  },
  { dimension: 2 },
);

/** Each loss of the kit as TensorFlow.js's own loss function (tf.losses) of targets and predictions. */
function tensorLoss(tf: TensorFlow, loss: Loss, targets: Tensor1D, predictions: Tensor1D): Scalar {
  switch (loss.kind) {
    case "sum of squares":
      return tf.losses.meanSquaredError(targets, predictions, undefined, tf.Reduction.SUM) as Scalar;
    case "mean squared error":
      return tf.losses.meanSquaredError(targets, predictions, undefined, tf.Reduction.MEAN) as Scalar;
    case "sum of absolute errors":
      return tf.losses.absoluteDifference(targets, predictions, undefined, tf.Reduction.SUM) as Scalar;
    case "Huber":
      return tf.losses.huberLoss(targets, predictions, undefined, loss.delta, tf.Reduction.SUM) as Scalar;
  }
}

/**
 * `loss` of a degree-`degree` polynomial in `basis` on `data`, as a function of its coefficients:
 * the design matrix's columns (computed in float64) times the coefficients, then tf.losses.
 */
export function lossTensorObjective(
  loss: Loss,
  data: PolyData,
  degree = 3,
  basis: BasisName = "monomial",
): TensorObjective {
  requireLoss(loss);
  const checked = checkData(data);
  requireDegree(degree);
  const design = designMatrix(basisForData(basis, degree, checked.x), checked.x);
  const columns = Array.from({ length: design.columns }, (_, k) =>
    Float32Array.from({ length: design.rows }, (_, i) => design.values[i * design.columns + k]),
  );
  const targets = Float32Array.from(checked.y);
  const objective: TensorObjective = (tf, coefficients) => {
    // Σ_k c_k·(column k): its float32 gradient sums are more accurate than a matMul's. Each c_k by
    // slice, not tf.unstack, and a sum by .add, not tf.addN: tf.unstack's gradient fails for a
    // single coefficient (degree 0).
    const predictions = columns
      .map((column, k) => coefficients.slice(k, 1).mul(tf.tensor1d(column)))
      .reduce((sum, term) => sum.add(term));
    return tensorLoss(tf, loss, tf.tensor1d(targets), predictions as Tensor1D);
  };
  objective.dimension = design.columns;
  return objective;
}

/** The second article's loss Σ (a + bx + cx² + dx³ − y)² (any degree), in tensor operations. */
export function sumOfSquaresTensorObjective(data: PolyData, degree = 3): TensorObjective {
  return lossTensorObjective(sumOfSquaresLoss, data, degree);
}
