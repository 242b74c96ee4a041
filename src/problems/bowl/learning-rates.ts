import type { Trajectory } from "../../descent/loop";
import { descendArticleFunction } from "./bowl";
import {
  KitRangeError,
  KitTypeError,
  requireFinite,
  requireFiniteVector,
  requireIterations,
} from "../../descent/validate";

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
