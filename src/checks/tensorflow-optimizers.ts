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
import type { Optimizer, Scalar, Tensor1D } from "@tensorflow/tfjs";
import { euclideanNorm } from "../descent/loop";
import {
  STEP_SETTINGS,
  makeStepRule,
  requireStepMethod,
  type StepMethod,
  type StepRuleOptions,
  type StepSetting,
} from "../descent/step-rules";
import { loadTensorFlow, type TensorFlow } from "./tensorflow";
import type { TensorObjective } from "./tensor-objectives";
import {
  KitTypeError,
  KitRangeError,
  describeValue,
  requireFiniteVector,
  requireFunction,
  requireIterations,
  requireKnownOptions,
} from "../descent/validate";

/**
 * A rule of the kit's registry (src/descent/step-rules.ts) by name with its settings, as makeStepRule
 * takes them; the defaults are the registry's (Adam's ε 1e-8, torch's; tf.train.adam's own is 1e-7).
 */
export interface FrameworkRunOptions extends Omit<StepRuleOptions, "hessian"> {
  learningRate: number;
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

/** tf.train's optimizer for each rule of the registry that TensorFlow.js has. */
const TF_OPTIMIZERS: Partial<
  Record<StepMethod, (tf: TensorFlow, options: FrameworkRunOptions) => Optimizer>
> = {
  plain: (tf, o) => tf.train.sgd(o.learningRate),
  momentum: (tf, o) => tf.train.momentum(o.learningRate, setting(o, "momentum")),
  nesterov: (tf, o) => tf.train.momentum(o.learningRate, setting(o, "momentum"), true),
  adam: (tf, o) =>
    tf.train.adam(o.learningRate, setting(o, "beta1"), setting(o, "beta2"), setting(o, "epsilon")),
  adagrad: (tf, o) => tf.train.adagrad(o.learningRate, setting(o, "initialAccumulator")),
  // ε undefined: TensorFlow.js's default, the backend's 1e-7, as the kit's rmspropStep.
  rmsprop: (tf, o) => tf.train.rmsprop(o.learningRate, setting(o, "decay"), 0, o.epsilon),
};

function setting(options: FrameworkRunOptions, name: StepSetting): number {
  return options[name] ?? STEP_SETTINGS[name].default;
}

/** The call that makes the optimizer, for the run's description: "tf.train.momentum(0.1, 0.9, true)". */
function optimizerCall(options: FrameworkRunOptions): string {
  const rate = options.learningRate;
  switch (options.method) {
    case "momentum":
      return `tf.train.momentum(${rate}, ${setting(options, "momentum")})`;
    case "nesterov":
      return `tf.train.momentum(${rate}, ${setting(options, "momentum")}, true)`;
    case "plain":
      return `tf.train.sgd(${rate})`;
    case "adagrad":
      return `tf.train.adagrad(${rate}, ${setting(options, "initialAccumulator")})`;
    case "rmsprop":
      return `tf.train.rmsprop(${rate}, ${setting(options, "decay")})`;
    default:
      return `tf.train.${options.method}(${rate})`;
  }
}

/** Runs a tf.train optimizer on `objective` from `start`, keeping every point, as the kit's descent does. */
export function tensorflowDescent(options: FrameworkRunOptions): FrameworkRun {
  if (options === null || typeof options !== "object") {
    throw new KitTypeError(`the options must be an object, got ${describeValue(options)}`);
  }
  const makeOptimizer = TF_OPTIMIZERS[requireStepMethod("method", options.method)];
  if (makeOptimizer === undefined) {
    throw new KitRangeError(
      `method must be one of ${Object.keys(TF_OPTIMIZERS).join(", ")} (TensorFlow.js has no ${options.method}), got ${describeValue(options.method)}`,
    );
  }
  requireKnownOptions("the options of tensorflowDescent", options, [
    "method",
    "learningRate",
    ...Object.keys(STEP_SETTINGS),
    "start",
    "iterations",
    "objective",
  ]);
  // The registry checks the rule's settings (and refuses unknown ones), with the kit's own errors.
  const { method, learningRate, momentum, beta1, beta2, epsilon } = options;
  makeStepRule({ method, learningRate, momentum, beta1, beta2, epsilon });
  requireFunction("objective", options.objective);
  const start = requireFiniteVector("start", options.start, options.objective.dimension);
  const iterations = requireIterations("iterations", options.iterations);
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
  return {
    points,
    values,
    stop,
    milliseconds,
    description: `${optimizerCall(options)} on ${description}`,
  };
}

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
