/**
 * Step rules beyond plain descent, each a small factory in optax's shape (see StepRule in
 * descent.ts): the state a rule carries between steps, and how it turns a gradient into a step.
 * gradientDescent runs any of them with the same recorded path, the same divergence verdict and
 * the same checks; nothing here repeats the loop.
 *
 * The formulas are those of torch.optim and tf.train, so the same settings give the same iterates:
 *   momentum   v ← βv + g,                  step = −ηv
 *   Nesterov   v ← βv + g,                  step = −η(g + βv)
 *   Adam       m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g²,  step = −η m̂ / (√ŝ + ε),
 *              m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ)
 *   Newton     step = −η H(x)⁻¹ g           (η = 1: the full Newton step)
 */
import { LuDecomposition, Matrix } from "ml-matrix";
import { plainStep, type StepRule } from "./loop";
import { adagradStep, rmspropStep, ADAGRAD_INITIAL_ACCUMULATOR } from "./adaptive";
import {
  KitTypeError,
  KitRangeError,
  describeValue,
  requireDecay,
  requireFunction,
  requireKnownOptions,
  requireNonNegative,
  requirePositive,
} from "./validate";

/** "0.9", "1e-6": short numbers for rule names. */
function short(value: number): string {
  return String(Number(value.toPrecision(4)));
}

export const DEFAULT_MOMENTUM = 0.9;

/**
 * Heavy-ball momentum (Polyak): the velocity v sums past gradients with weights βᵏ, so steps along
 * a direction the gradient keeps pointing to grow up to 1/(1 − β) times, while steps that flip sign
 * (the zigzag across a narrow valley) cancel. As x_{k+1} = x_k − η∇f(x_k) + β(x_k − x_{k−1}).
 */
export function momentumStep(learningRate: number, momentum = DEFAULT_MOMENTUM): StepRule<number[]> {
  const eta = requirePositive("learningRate", learningRate);
  const beta = requireDecay("momentum", momentum);
  return {
    name: `momentum (β = ${short(beta)})`,
    learningRate: eta,
    objectiveMayRise: beta > 0, // β = 0 is plain descent, judged as plain descent
    init: (start) => start.map(() => 0),
    update: (gradient, velocity) => {
      const next = velocity.map((v, i) => beta * v + gradient[i]);
      return { step: next.map((v) => -eta * v), state: next };
    },
  };
}

/**
 * Nesterov's momentum in torch's and TensorFlow's form: the same velocity, but the step looks one
 * velocity ahead (g + βv instead of v), which damps the overshoot of heavy-ball momentum.
 */
export function nesterovStep(learningRate: number, momentum = DEFAULT_MOMENTUM): StepRule<number[]> {
  const eta = requirePositive("learningRate", learningRate);
  const beta = requireDecay("momentum", momentum);
  return {
    name: `Nesterov (β = ${short(beta)})`,
    learningRate: eta,
    objectiveMayRise: true,
    init: (start) => start.map(() => 0),
    update: (gradient, velocity) => {
      const next = velocity.map((v, i) => beta * v + gradient[i]);
      return { step: next.map((v, i) => -eta * (gradient[i] + beta * v)), state: next };
    },
  };
}

export interface AdamOptions {
  /** Decay of the gradient's running mean (default 0.9). */
  beta1?: number;
  /** Decay of the squared gradient's running mean (default 0.999). */
  beta2?: number;
  /** Added to √ŝ so that a zero gradient does not divide by zero (default 1e-8, as torch and optax). */
  epsilon?: number;
}

export interface AdamState {
  /** Running mean of the gradient, m. */
  mean: number[];
  /** Running mean of the squared gradient, s. */
  meanSquare: number[];
  /** Steps taken, t. */
  count: number;
}

/**
 * Adam (Kingma and Ba, 2015): each coordinate's step is the running mean of its gradient divided
 * by the root of the running mean of its square, so every coordinate moves by about η per step
 * whatever the scale of its gradient — a per-coordinate rescaling, not a use of curvature.
 */
export function adamStep(learningRate: number, options: AdamOptions = {}): StepRule<AdamState> {
  const eta = requirePositive("learningRate", learningRate);
  if (options === null || typeof options !== "object") {
    throw new KitTypeError(`the Adam options must be an object, got ${describeValue(options)}`);
  }
  requireKnownOptions("the Adam options", options, ["beta1", "beta2", "epsilon"]);
  const beta1 = requireDecay("beta1", options.beta1 ?? 0.9);
  const beta2 = requireDecay("beta2", options.beta2 ?? 0.999);
  const epsilon = requirePositive("epsilon", options.epsilon ?? 1e-8);
  return {
    name: `Adam (β₁ = ${short(beta1)}, β₂ = ${short(beta2)})`,
    learningRate: eta,
    objectiveMayRise: true,
    init: (start) => ({ mean: start.map(() => 0), meanSquare: start.map(() => 0), count: 0 }),
    update: (gradient, state) => {
      const count = state.count + 1;
      const mean = state.mean.map((m, i) => beta1 * m + (1 - beta1) * gradient[i]);
      const meanSquare = state.meanSquare.map((s, i) => beta2 * s + (1 - beta2) * gradient[i] ** 2);
      // The running means start at 0; dividing by 1 − βᵗ removes that bias from the first steps.
      const meanCorrection = 1 - beta1 ** count;
      const squareCorrection = 1 - beta2 ** count;
      const step = mean.map(
        (m, i) => (-eta * (m / meanCorrection)) / (Math.sqrt(meanSquare[i] / squareCorrection) + epsilon),
      );
      return { step, state: { mean, meanSquare, count } };
    },
  };
}

/** The Hessian ∇²f at a point: a square matrix of the point's dimension. */
export type HessianAt = (point: readonly number[]) => readonly (readonly number[])[];

/**
 * Newton's method: step = −η H⁻¹∇f with the exact Hessian H at the current point. On a quadratic
 * the gradient is linear, ∇f(x) = H(x − x*), so the full step (η = 1) lands on x* at once. Where H is
 * not positive definite the step heads for the stationary point of the local quadratic model, which
 * can be a maximum or a saddle: Newton's method looks for ∇f = 0, not for a minimum. A singular or
 * non-finite H has no Newton step: that is said, naming the point, rather than called divergence.
 */
export function newtonStep(hessianAt: HessianAt, learningRate = 1): StepRule<null> {
  requireFunction("hessian", hessianAt);
  const eta = requirePositive("learningRate", learningRate);
  return {
    name: eta === 1 ? "Newton" : `Newton (η = ${short(eta)})`,
    learningRate: eta,
    init: () => null,
    update: (gradient, state, point) => {
      const solution = newtonDirection(checkHessian(hessianAt(point), point), gradient);
      if (!solution.every(Number.isFinite)) {
        throw new KitRangeError(
          `the Hessian at (${point.join(", ")}) is singular to double precision: Newton's step H⁻¹∇f does not exist there`,
        );
      }
      return { step: solution.map((s) => -eta * s), state };
    },
  };
}

function checkHessian(
  matrix: readonly (readonly number[])[],
  point: readonly number[],
): readonly (readonly number[])[] {
  const dimension = point.length;
  if (
    !Array.isArray(matrix) ||
    matrix.length !== dimension ||
    matrix.some((row) => !Array.isArray(row) || row.length !== dimension)
  ) {
    throw new KitRangeError(
      `the Hessian must be a ${dimension} × ${dimension} array of rows, got ${describeValue(matrix)}`,
    );
  }
  if (!matrix.every((row) => row.every(Number.isFinite))) {
    throw new KitRangeError(
      `the Hessian at (${point.join(", ")}) is not finite (${describeValue(matrix)}): Newton's step does not exist there`,
    );
  }
  return matrix;
}

/** Solves H s = g by LU decomposition; a singular H gives a non-finite step (newtonStep names it). */
function newtonDirection(hessian: readonly (readonly number[])[], gradient: readonly number[]): number[] {
  const lu = new LuDecomposition(hessian as number[][]);
  if (lu.isSingular()) return gradient.map(() => NaN);
  return lu.solve(Matrix.columnVector([...gradient])).getColumn(0);
}

/** The settings a rule may take beyond its learning rate, as StepRuleOptions names them. */
export type StepSetting = "momentum" | "beta1" | "beta2" | "epsilon" | "initialAccumulator" | "decay";

/** Each setting's default and its check (which names the setting as the caller calls it). */
export const STEP_SETTINGS: Record<
  StepSetting,
  { default: number; check: (name: string, value: unknown) => number }
> = {
  momentum: { default: DEFAULT_MOMENTUM, check: requireDecay },
  beta1: { default: 0.9, check: requireDecay },
  beta2: { default: 0.999, check: requireDecay },
  // Adam's ε (torch's); RMSProp has its own default, TensorFlow.js's 1e-7 (see adaptive.ts).
  epsilon: { default: 1e-8, check: requirePositive },
  initialAccumulator: { default: ADAGRAD_INITIAL_ACCUMULATOR, check: requireNonNegative },
  decay: { default: 0.9, check: requireDecay },
};

export interface StepRuleOptions {
  method: StepMethod;
  /** η (Newton: the fraction of the Newton step, default 1). */
  learningRate?: number;
  /** β of momentum and Nesterov (default 0.9). */
  momentum?: number;
  beta1?: number;
  beta2?: number;
  /** ε of Adam (outside the root, default 1e-8) and RMSProp (inside it, default 1e-7). */
  epsilon?: number;
  /** Adagrad's starting accumulator G₀ (default 0.1). */
  initialAccumulator?: number;
  /** RMSProp's decay ρ (default 0.9). */
  decay?: number;
  /** The Hessian at a point: Newton's method needs it. */
  hessian?: HessianAt;
}

/** Options whose learning rate and settings makeStepRule has checked. */
type CheckedOptions = StepRuleOptions & { learningRate: number };

interface StepRuleEntry {
  /** The settings it takes beyond the learning rate. */
  settings: readonly StepSetting[];
  /** The learning rate when none is given (none: it must be given). */
  defaultLearningRate?: number;
  make: (options: CheckedOptions) => StepRule<unknown>;
}

/**
 * The step rules by name: the one registry that the command line, the live explorers, the
 * TensorFlow.js optimizers and the notebooks' parameters cells look rules up in. A new rule is one
 * entry here.
 */
export const STEP_RULES = {
  plain: { settings: [], make: (options) => plainStep(options.learningRate) },
  momentum: {
    settings: ["momentum"],
    make: (options) => momentumStep(options.learningRate, options.momentum),
  },
  nesterov: {
    settings: ["momentum"],
    make: (options) => nesterovStep(options.learningRate, options.momentum),
  },
  adam: {
    settings: ["beta1", "beta2", "epsilon"],
    make: ({ learningRate, beta1, beta2, epsilon }) => adamStep(learningRate, { beta1, beta2, epsilon }),
  },
  adagrad: {
    // No ε setting: tf.train.adagrad always uses the backend's, 1e-7, and so does the kit's default.
    settings: ["initialAccumulator"],
    make: (options) => adagradStep(options.learningRate, { initialAccumulator: options.initialAccumulator }),
  },
  rmsprop: {
    settings: ["decay", "epsilon"],
    make: (options) => rmspropStep(options.learningRate, { decay: options.decay, epsilon: options.epsilon }),
  },
  newton: {
    settings: [],
    defaultLearningRate: 1,
    make: (options) => {
      if (options.hessian === undefined)
        throw new KitTypeError(`method "newton" needs the Hessian (hessian)`);
      return newtonStep(options.hessian, options.learningRate);
    },
  },
} satisfies Record<string, StepRuleEntry>;

export type StepMethod = keyof typeof STEP_RULES;
export const STEP_METHODS = Object.keys(STEP_RULES) as StepMethod[];

/** `value` as a rule's name, or an error naming `name` and the rules there are. */
export function requireStepMethod(name: string, value: unknown): StepMethod {
  if (typeof value !== "string" || !Object.prototype.hasOwnProperty.call(STEP_RULES, value)) {
    throw new KitRangeError(`${name} must be one of ${STEP_METHODS.join(", ")}, got ${describeValue(value)}`);
  }
  return value as StepMethod;
}

/**
 * One rule by name, for a command line or a parameters cell: `{ method: "momentum", learningRate: 0.5 }`.
 * Every setting is checked before the rule is made; errors call each option what `nameOf` says (a
 * command line passes "--learning-rate" for learningRate, and so on).
 */
export function makeStepRule(
  options: StepRuleOptions,
  nameOf: (option: keyof StepRuleOptions) => string = (option) => option,
): StepRule<unknown> {
  if (options === null || typeof options !== "object") {
    throw new KitTypeError(`the step rule options must be an object, got ${describeValue(options)}`);
  }
  requireKnownOptions("the step rule options", options, [
    "method",
    "learningRate",
    "hessian",
    ...Object.keys(STEP_SETTINGS),
  ]);
  const method = requireStepMethod(nameOf("method"), options.method);
  const entry: StepRuleEntry = STEP_RULES[method];
  for (const setting of Object.keys(STEP_SETTINGS) as StepSetting[]) {
    if (options[setting] === undefined) continue;
    if (!entry.settings.includes(setting)) {
      const takers = STEP_METHODS.filter((m) => (STEP_RULES[m] as StepRuleEntry).settings.includes(setting));
      throw new KitRangeError(
        `${nameOf(setting)} applies to ${takers.join(" and ")}, not to method "${method}"`,
      );
    }
    STEP_SETTINGS[setting].check(nameOf(setting), options[setting]);
  }
  if (options.hessian !== undefined && method !== "newton") {
    throw new KitRangeError(`${nameOf("hessian")} applies to newton, not to method "${method}"`);
  }
  const learningRate = options.learningRate ?? entry.defaultLearningRate;
  if (learningRate === undefined) {
    throw new KitTypeError(`${nameOf("learningRate")} must be given for method "${method}"`);
  }
  requirePositive(nameOf("learningRate"), learningRate);
  return entry.make({ ...options, learningRate });
}
