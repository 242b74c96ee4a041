/**
 * The learning-rate range test (Smith, 2017; fastai's lr_find): a short descent whose η grows
 * geometrically from `from` to `to`, one step per η, reading the loss against η. The loss barely
 * moves while η is too small, falls fastest in the usable range and blows up when η is too large;
 * fastai stops once the loss passes 4 times its lowest value and suggests a tenth of the η where
 * the loss was lowest. It is the rule "plainStep(from)" composed with an exponentialRamp schedule.
 */
import { gradientDescent, plainStep, type Evaluate, type StopReason } from "./loop";
import { KitRangeError, requireFiniteVector, requireInteger, requirePositive } from "./validate";
import { exponentialRamp, scheduled } from "./schedules";

/** fastai's lr_find stops once the loss exceeds this many times its lowest value. */
export const RANGE_TEST_STOP_FACTOR = 4;

export interface RangeTestOptions {
  evaluate: Evaluate;
  start: readonly number[];
  /** The first and the last η. */
  from: number;
  to: number;
  /** How many η (one step each), 2 or more. */
  steps: number;
}

export interface RangeTest {
  /** learningRates[k] is the η of the step from values[k] to values[k + 1]. */
  learningRates: number[];
  /** The loss before each step (values[k] at learningRates[k]); the last entry is after the last step. */
  values: number[];
  /** The step k with the lowest loss after it, its η and that loss. */
  lowest: { step: number; learningRate: number; value: number };
  /** fastai's suggestion: a tenth of the η at the lowest loss. */
  suggestion: number;
  /**
   * The first η after which the loss exceeded 4 times its lowest value so far, or the η at which
   * the kit's descent reported divergence; undefined if the loss never blew up within the range.
   */
  blowUp?: number;
  stop: StopReason;
}

export function learningRateRangeTest(options: RangeTestOptions): RangeTest {
  const from = requirePositive("from", options.from);
  const to = requirePositive("to", options.to);
  if (!(to > from)) throw new KitRangeError(`to must be greater than from (${from}), got ${to}`);
  const steps = requireInteger("steps", options.steps, 2, 100_000);
  const start = requireFiniteVector("start", options.start);
  const schedule = exponentialRamp(to / from, steps);
  const trajectory = gradientDescent({
    start,
    evaluate: options.evaluate,
    rule: scheduled(plainStep(from), schedule),
    iterations: steps,
  });
  const values = trajectory.values;
  const learningRates = values.slice(0, -1).map((_, k) => from * schedule.factor(k));
  // Loss after step k is values[k + 1]; the lowest one names the η that produced it.
  let best = 0;
  for (let k = 1; k < learningRates.length; k++) if (values[k + 1] < values[best + 1]) best = k;
  let blowUp: number | undefined;
  let lowestSoFar = values[0];
  for (let k = 0; k < learningRates.length; k++) {
    lowestSoFar = Math.min(lowestSoFar, values[k]);
    if (lowestSoFar > 0 && values[k + 1] > RANGE_TEST_STOP_FACTOR * lowestSoFar) {
      blowUp = learningRates[k];
      break;
    }
  }
  if (blowUp === undefined && trajectory.stop.kind === "diverged") {
    blowUp = from * schedule.factor(trajectory.stop.iteration - 1);
  }
  const lowest =
    learningRates.length === 0
      ? { step: 0, learningRate: from, value: values[0] }
      : { step: best, learningRate: learningRates[best], value: values[best + 1] };
  return {
    learningRates,
    values,
    lowest,
    suggestion: lowest.learningRate / 10,
    blowUp,
    stop: trajectory.stop,
  };
}
