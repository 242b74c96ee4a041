/**
 * Learning-rate schedules composed with any step rule, as optax composes them
 * (`optax.chain(rule, optax.scale_by_schedule(schedule))`): the wrapped rule computes its step as
 * usual and the schedule multiplies it by a factor that depends on the step count. For plain
 * descent, momentum, Nesterov, Adam, Adagrad and RMSProp η only multiplies the step, so scaling the
 * step is the same as changing η at each step (what torch's lr_scheduler does): no rule is written
 * twice. The rule's own η is the peak; the schedule gives the fraction of it.
 */
import { plainStep, type StepRule } from "./loop";
import { KitRangeError, requireFinite, requireFunction, requireInteger, requirePositive } from "./validate";

/** The fraction of the rule's step taken at step `count` (0 for the first step). */
export interface Schedule {
  /** How the rate changes, for rule names: "η/(1 + t/30)", "cosine over 2000 steps". */
  readonly name: string;
  factor(count: number): number;
}

export interface ScheduledState<S> {
  inner: S;
  /** Steps taken so far: the schedule's t. */
  count: number;
}

/** `rule` with every step multiplied by `schedule.factor(t)`, t counting steps from 0. */
export function scheduled<S>(rule: StepRule<S>, schedule: Schedule): StepRule<ScheduledState<S>> {
  if (rule === null || typeof rule !== "object" || typeof rule.update !== "function") {
    throw new KitRangeError(
      `scheduled needs a step rule { name, learningRate, init, update }, got ${String(rule)}`,
    );
  }
  if (schedule === null || typeof schedule !== "object") {
    throw new KitRangeError(`schedule must be a schedule { name, factor }, got ${String(schedule)}`);
  }
  requireFunction("schedule.factor", schedule.factor);
  return {
    name: `${rule.name}, ${schedule.name}`,
    learningRate: rule.learningRate,
    objectiveMayRise: rule.objectiveMayRise,
    init: (start) => ({ inner: rule.init(start), count: 0 }),
    update: (gradient, state, point) => {
      const factor = schedule.factor(state.count);
      const { step, state: inner } = rule.update(gradient, state.inner, point);
      return { step: step.map((s) => factor * s), state: { inner, count: state.count + 1 } };
    },
  };
}

/** "30", "1e-6": short numbers for schedule names. */
function short(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** η_t = η: the rule unchanged (a baseline beside the others). */
export function constantSchedule(): Schedule {
  return { name: "constant η", factor: () => 1 };
}

/** η_t = η / (1 + t/τ): Robbins and Monro's 1/t decay (Σ η_t = ∞, Σ η_t² < ∞). */
export function inverseTimeDecay(decaySteps: number): Schedule {
  const tau = requirePositive("decaySteps", decaySteps);
  return { name: `η/(1 + t/${short(tau)})`, factor: (t) => 1 / (1 + t / tau) };
}

/** η_t = η · factor^⌊t/every⌋: the rate drops by `factor` every `every` steps (torch's StepLR). */
export function stepDecay(every: number, factor = 0.5): Schedule {
  const period = requireInteger("every", every, 1);
  const drop = requirePositive("factor", factor);
  if (!(drop < 1)) throw new KitRangeError(`factor must be below 1 (a decay), got ${drop}`);
  return {
    name: `η·${short(drop)}^⌊t/${period}⌋`,
    factor: (t) => drop ** Math.floor(t / period),
  };
}

/**
 * η_t = η (α + (1 − α) · ½(1 + cos(π min(t, T)/T))): from η down to αη over T steps, then flat
 * (optax's cosine_decay_schedule, torch's CosineAnnealingLR without restarts).
 */
export function cosineDecay(steps: number, floor = 0): Schedule {
  const total = requireInteger("steps", steps, 1);
  const alpha = requireFinite("floor", floor);
  if (!(alpha >= 0 && alpha <= 1)) throw new KitRangeError(`floor must be from 0 to 1, got ${alpha}`);
  return {
    name: `cosine over ${total} steps`,
    factor: (t) => alpha + (1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, total)) / total)),
  };
}

/**
 * η_t = η (t + 1)/W for the first W steps, then `after` (shifted to start at 0; default constant):
 * small first steps while the adaptive rules' running averages and a random start settle.
 */
export function linearWarmup(warmupSteps: number, after: Schedule = constantSchedule()): Schedule {
  const warmup = requireInteger("warmupSteps", warmupSteps, 1);
  return {
    name: `warm-up over ${warmup} steps${after.name === "constant η" ? "" : `, then ${after.name}`}`,
    factor: (t) => (t < warmup ? (t + 1) / warmup : after.factor(t - warmup)),
  };
}

/**
 * η_t = η · ratio^(t/(T − 1)): η grows geometrically by `ratio` over T steps. The learning-rate range
 * test (fastai's lr_find) runs a short descent with it and reads the loss against η_t.
 */
export function exponentialRamp(ratio: number, steps: number): Schedule {
  const growth = requirePositive("ratio", ratio);
  const total = requireInteger("steps", steps, 2);
  return {
    name: `η·${short(growth)}^(t/${total - 1})`,
    factor: (t) => growth ** (t / (total - 1)),
  };
}

/**
 * Plain descent with a decaying learning rate η_t = η / (1 + t/τ) (t counts steps from 0): the steps
 * shrink like 1/t, slowly enough to still reach the optimum (Σ η_t diverges) and fast enough to
 * average out the noise of minibatch gradients (Σ η_t² converges), as Robbins and Monro require.
 * Notebook 03's rule, now one instance of a schedule composed with a rule.
 */
export function decayingStep(learningRate: number, decaySteps: number): StepRule<ScheduledState<null>> {
  return scheduled(plainStep(learningRate), inverseTimeDecay(decaySteps));
}
