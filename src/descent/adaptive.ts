/**
 * Adagrad and RMSProp, the steps from momentum to Adam: each divides a coordinate's gradient by the
 * root of an accumulation of its squares, so coordinates with large gradients take smaller steps (a
 * diagonal preconditioner learned from the gradients). The forms are TensorFlow.js's, so the same
 * settings give the same iterates as tf.train.adagrad and tf.train.rmsprop:
 *   Adagrad   G ← G + g²  (G₀ = 0.1),          step = −η g / √(G + ε)
 *   RMSProp   s ← ρs + (1 − ρ)g²  (s₀ = 0),     step = −η g / √(s + ε)
 * with ε = 1e-7 (float32's epsilon in TensorFlow.js) added inside the root, where Adam adds it outside.
 */
import type { StepRule } from "./loop";
import {
  KitRangeError,
  requireDecay,
  requireKnownOptions,
  requireNonNegative,
  requirePositive,
} from "./validate";

/** TensorFlow.js's epsilon for float32 backends (backend.epsilon()): RMSProp's default and Adagrad's. */
export const TENSORFLOW_EPSILON = 1e-7;

/** tf.train.adagrad's initialAccumulatorValue default. */
export const ADAGRAD_INITIAL_ACCUMULATOR = 0.1;

export interface AdagradOptions {
  /** G₀ (default 0.1, TensorFlow.js's). */
  initialAccumulator?: number;
  /** ε inside the root (default 1e-7). */
  epsilon?: number;
}

/** "0.9": short numbers for rule names. */
function short(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/**
 * Adagrad (Duchi, Hazan and Singer, 2011): G sums every squared gradient, so each coordinate's step
 * shrinks like 1/√t on its own scale — a 1/t-style decay built in, which also makes it stall on long runs.
 */
export function adagradStep(learningRate: number, options: AdagradOptions = {}): StepRule<number[]> {
  const eta = requirePositive("learningRate", learningRate);
  requireKnownOptions("the Adagrad options", options, ["initialAccumulator", "epsilon"]);
  const initial = requireNonNegative(
    "initialAccumulator",
    options.initialAccumulator ?? ADAGRAD_INITIAL_ACCUMULATOR,
  );
  const epsilon = requireNonNegative("epsilon", options.epsilon ?? TENSORFLOW_EPSILON);
  if (!(initial + epsilon > 0)) {
    throw new KitRangeError(
      "initialAccumulator and epsilon cannot both be 0: the first step would divide by zero",
    );
  }
  return {
    name: "Adagrad",
    learningRate: eta,
    objectiveMayRise: true,
    init: (start) => start.map(() => initial),
    update: (gradient, accumulator) => {
      const next = accumulator.map((a, i) => a + gradient[i] ** 2);
      return { step: gradient.map((g, i) => (-eta * g) / Math.sqrt(next[i] + epsilon)), state: next };
    },
  };
}

export interface RmspropOptions {
  /** ρ, the decay of the running mean of g² (default 0.9, TensorFlow.js's). */
  decay?: number;
  /** ε inside the root (default 1e-7). */
  epsilon?: number;
}

/**
 * RMSProp (Hinton's lecture notes, 2012): Adagrad with a running mean instead of a sum, so the
 * steps stop shrinking; Adam is RMSProp with momentum's running mean of g and bias correction.
 */
export function rmspropStep(learningRate: number, options: RmspropOptions = {}): StepRule<number[]> {
  const eta = requirePositive("learningRate", learningRate);
  requireKnownOptions("the RMSProp options", options, ["decay", "epsilon"]);
  const rho = requireDecay("decay", options.decay ?? 0.9);
  const epsilon = requirePositive("epsilon", options.epsilon ?? TENSORFLOW_EPSILON);
  return {
    name: `RMSProp (ρ = ${short(rho)})`,
    learningRate: eta,
    objectiveMayRise: true,
    init: (start) => start.map(() => 0),
    update: (gradient, meanSquare) => {
      const next = meanSquare.map((s, i) => rho * s + (1 - rho) * gradient[i] ** 2);
      return { step: gradient.map((g, i) => (-eta * g) / Math.sqrt(next[i] + epsilon)), state: next };
    },
  };
}
