/**
 * The framework way, as PyTorch's "Learning PyTorch with Examples" ends: the parameters are a
 * TensorFlow.js variable, the loss is written with tensor operations, automatic differentiation
 * finds the gradient and an optimizer of tf.train (sgd, momentum, adam) takes the step:
 *
 *   const parameters = tf.variable(tf.tensor1d(start));
 *   const optimizer = tf.train.adam(learningRate);
 *   for (let t = 0; t < iterations; t++) optimizer.minimize(() => loss(parameters));
 *
 * TensorFlow.js computes in float32, the kit in float64: the same rule gives the same iterates to
 * about seven significant digits. Loaded through loadTensorFlow (tfjs-node where it installed).
 */
import type { Scalar, Tensor1D } from "@tensorflow/tfjs";
import { euclideanNorm } from "../descent/loop";
import { checkData, requireDegree, type PolyData } from "../problems/cubic-fit/polynomial";
import { loadTensorFlow, type TensorFlow } from "./tensorflow";
import {
  KitTypeError,
  KitRangeError,
  describeValue,
  requireFiniteVector,
  requireFunction,
  requireIterations,
  requirePositive,
} from "../descent/validate";

export const FRAMEWORK_OPTIMIZERS = ["sgd", "momentum", "nesterov", "adam"] as const;
export type FrameworkOptimizer = (typeof FRAMEWORK_OPTIMIZERS)[number];

/**
 * A loss written with TensorFlow.js operations, as a function of the parameter vector.
 * @internal Like the other TensorFlow.js types (see TensorFlow in tensorflow.ts), kept out of
 * build's declarations, where notebooks see it as `any`.
 */
export type TensorObjective = (tf: TensorFlow, parameters: Tensor1D) => Scalar;

export interface FrameworkRunOptions {
  optimizer: FrameworkOptimizer;
  learningRate: number;
  /** β of "momentum" and "nesterov" (default 0.9). */
  momentum?: number;
  /** Adam's settings (defaults 0.9, 0.999, 1e-8: the kit's and torch's; tf.train.adam's own ε is 1e-7). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  start: readonly number[];
  iterations: number;
  objective: TensorObjective;
}

export interface FrameworkRun {
  /** points[k] after k steps, as float32 values read back into numbers; all finite. */
  points: number[][];
  /** The loss at points[k]. */
  values: number[];
  /** Why it stopped: all steps, or the first step whose point or loss was not finite. */
  stop: { kind: "iterations"; iteration: number } | { kind: "diverged"; iteration: number };
  /** Wall-clock time of the loop, reading the values back included. */
  milliseconds: number;
  /** "tf.train.adam(0.1) on @tensorflow/tfjs 4.22.0, backend "cpu" (…)". */
  description: string;
}

function makeOptimizer(tf: TensorFlow, options: FrameworkRunOptions) {
  const rate = options.learningRate;
  switch (options.optimizer) {
    case "sgd":
      return tf.train.sgd(rate);
    case "momentum":
      return tf.train.momentum(rate, options.momentum ?? 0.9);
    case "nesterov":
      return tf.train.momentum(rate, options.momentum ?? 0.9, true);
    case "adam":
      return tf.train.adam(rate, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8);
    default:
      throw new KitRangeError(
        `optimizer must be one of ${FRAMEWORK_OPTIMIZERS.join(", ")}, got ${describeValue(options.optimizer)}`,
      );
  }
}

/** Runs a tf.train optimizer on `objective` from `start`, keeping every point, as the kit's descent does. */
export function tensorflowDescent(options: FrameworkRunOptions): FrameworkRun {
  if (options === null || typeof options !== "object") {
    throw new KitTypeError(`the options must be an object, got ${describeValue(options)}`);
  }
  requirePositive("learningRate", options.learningRate);
  const start = requireFiniteVector("start", options.start);
  const iterations = requireIterations("iterations", options.iterations);
  requireFunction("objective", options.objective);
  const { tf, description } = loadTensorFlow();
  const optimizer = makeOptimizer(tf, options);
  const parameters = tf.variable(tf.tensor1d([...start]));
  const loss = (): Scalar => options.objective(tf, parameters as unknown as Tensor1D);
  const startLoss = tf.tidy(() => loss().dataSync()[0]);
  if (!Number.isFinite(startLoss)) {
    parameters.dispose();
    optimizer.dispose();
    throw new KitRangeError(
      `the loss is not a finite float32 number at the start (${start.join(", ")}): ${startLoss}`,
    );
  }
  const began = performance.now();
  const points = [Array.from(parameters.dataSync())];
  const values: number[] = [];
  let stop: FrameworkRun["stop"] = { kind: "iterations", iteration: iterations };
  try {
    for (let t = 1; t <= iterations; t++) {
      // minimize returns the loss at the point it stepped from: values[t − 1] belongs to points[t − 1].
      const before = tf.tidy(() => optimizer.minimize(loss, true)?.dataSync()[0] ?? NaN);
      const point = Array.from(parameters.dataSync());
      if (!Number.isFinite(before)) {
        points.pop(); // float32 overflowed at the point itself
        stop = { kind: "diverged", iteration: t - 1 };
        break;
      }
      values.push(before);
      if (!point.every(Number.isFinite)) {
        stop = { kind: "diverged", iteration: t };
        break;
      }
      points.push(point);
    }
    if (values.length < points.length) {
      const last = tf.tidy(() => loss().dataSync()[0]);
      if (Number.isFinite(last)) values.push(last);
      else {
        points.pop();
        stop = { kind: "diverged", iteration: points.length };
      }
    }
  } finally {
    parameters.dispose();
    optimizer.dispose();
  }
  const milliseconds = performance.now() - began;
  const settings =
    options.optimizer === "adam" || options.optimizer === "sgd"
      ? `${options.learningRate}`
      : `${options.learningRate}, ${options.momentum ?? 0.9}${options.optimizer === "nesterov" ? ", true" : ""}`;
  const name = options.optimizer === "nesterov" ? "momentum" : options.optimizer;
  return {
    points,
    values,
    stop,
    milliseconds,
    description: `tf.train.${name}(${settings}) on ${description}`,
  };
}

/**
 * The article's loss Σ (a + bx + cx² + dx³ − sin x)² (any degree) in tensor operations: what a
 * framework user writes instead of the chain rule. The powers of x are made once per call of the
 * returned function's caller, inside TensorFlow.js's memory scope.
 */
export function sumOfSquaresTensorObjective(data: PolyData, degree = 3): TensorObjective {
  const checked = checkData(data);
  requireDegree(degree);
  const x = Float32Array.from(checked.x);
  const y = Float32Array.from(checked.y);
  return (tf, coefficients) => {
    // Horner's scheme: ((d·x + c)·x + b)·x + a.
    const xs = tf.tensor1d(x);
    const terms = tf.unstack(coefficients);
    let prediction = terms[degree].mul(tf.onesLike(xs));
    for (let k = degree - 1; k >= 0; k--) prediction = prediction.mul(xs).add(terms[k]);
    return prediction.sub(tf.tensor1d(y)).square().sum() as Scalar;
  };
}

/** The first article's f(x, y) = ½x² + x + ¼y² − 2 in tensor operations. */
export const articleTensorObjective: TensorObjective = (tf, point) => {
  const [x, y] = tf.unstack(point);
  return tf.addN([x.square().mul(0.5), x, y.square().mul(0.25), tf.scalar(-2)]) as Scalar;
};

/**
 * The largest difference between two runs' points, step by step, relative to the size of the
 * points (max(1, |x|)): float32 against float64 agree to about 1e-6.
 */
export function largestPointDifference(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
): number {
  const steps = Math.min(a.length, b.length);
  let largest = 0;
  for (let k = 0; k < steps; k++) {
    const scale = Math.max(1, euclideanNorm(a[k]));
    largest = Math.max(largest, euclideanNorm(a[k].map((value, i) => value - b[k][i])) / scale);
  }
  return largest;
}
