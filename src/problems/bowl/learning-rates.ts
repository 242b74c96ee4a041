import type { Trajectory } from "../../descent/loop";
import { descendArticleFunction, gridAxis } from "./bowl";
import {
  KitRangeError,
  KitTypeError,
  requireFinite,
  requireFiniteVector,
  requireIterations,
} from "../../descent/validate";

export interface LearningRateRange {
  from?: number;
  to?: number;
  step?: number;
}

/**
 * The learning rates of the explorer: 0.05, 0.10, …, 2.50 (50 values) by default. They span the
 * three behaviours on the article's function: slow, direct (η = 1 jumps to x = −1), oscillating
 * (1 < η ≤ 2) and diverging (η > 2, where |1 − η| > 1 along x).
 */
export function explorerLearningRates(range: LearningRateRange = {}): number[] {
  const from = requireFinite("from", range.from ?? 0.05);
  if (!(from > 0)) throw new KitRangeError(`from must be a finite positive number, got ${from}`);
  // Rounded to 12 significant digits so that 3 × 0.05 reads 0.15, not 0.15000000000000002.
  return gridAxis({ from, to: range.to ?? 2.5, step: range.step ?? 0.05 }).map((rate) =>
    Number(rate.toPrecision(12)),
  );
}

export interface LearningRateSweepOptions {
  iterations: number;
  /** The starting point, shared by every run. */
  x: number;
  y: number;
  tolerance?: number;
}

/** The most steps one sweep runs in all (rates × iterations): every point of every run is kept. */
export const MAX_SWEEP_STEPS = 10_000_000;

/** One descent of the article's function per learning rate, all from the same start. */
export function descendForLearningRates(
  rates: readonly number[],
  options: LearningRateSweepOptions,
): Trajectory[] {
  const learningRates = requireFiniteVector("rates", rates);
  if (typeof options !== "object" || options === null) {
    throw new KitTypeError(`options must be an object with iterations, x and y, got ${String(options)}`);
  }
  requireIterations("iterations", options.iterations);
  const steps = learningRates.length * options.iterations;
  if (steps > MAX_SWEEP_STEPS) {
    throw new KitRangeError(
      `${learningRates.length} learning rates × ${options.iterations} iterations = ${steps} steps, past the sweep's cap of ${MAX_SWEEP_STEPS} (every point is kept in memory): use fewer rates or iterations`,
    );
  }
  requireFinite("x", options.x);
  requireFinite("y", options.y);
  return learningRates.map((learningRate, i) => {
    if (!(learningRate > 0))
      throw new KitRangeError(`rates[${i}] must be a positive number, got ${learningRate}`);
    return descendArticleFunction({ ...options, learningRate });
  });
}
