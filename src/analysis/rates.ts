/**
 * Convergence rates on a quadratic, computed from the Hessian's extreme eigenvalues μ = λ_min and
 * L = λ_max, with κ = L/μ (Polyak 1964; Nesterov's "Introductory lectures", §2.1; distill's "Why
 * Momentum Really Works"):
 *
 *   plain descent, best η = 2/(μ + L):            error × (κ − 1)/(κ + 1) per step
 *   heavy-ball momentum, η = 4/(√L + √μ)²,
 *                        β = ((√κ − 1)/(√κ + 1))²:  error × (√κ − 1)/(√κ + 1) per step
 *
 * so plain descent needs about κ/2 · ln(1/ε) steps to cut the error by ε, momentum about
 * √κ/2 · ln(1/ε). The functions here compute those numbers and measure them on real runs.
 */
import {
  euclideanNorm,
  gradientDescent,
  plainStep,
  type Evaluate,
  type StepRule,
  type Trajectory,
} from "../descent/loop";
import { symmetricEigenvalues } from "./hessian";
import { momentumStep } from "../descent/step-rules";
import {
  KitTypeError,
  KitRangeError,
  describeValue,
  extent,
  requireFiniteVector,
  requireFunction,
  requireIterations,
  requirePositive,
} from "../descent/validate";
import { contractionFactors } from "./hessian";

export interface RateTheory {
  smallest: number;
  largest: number;
  conditionNumber: number;
  /** `gap` is 1 − rate, computed without the rounding of 1 − rate (which is 0 once κ passes 10¹⁶). */
  plain: { learningRate: number; rate: number; gap: number };
  momentum: { learningRate: number; momentum: number; rate: number; gap: number };
}

/** The best settings and rates of plain descent and of momentum for eigenvalues in [μ, L], μ > 0. */
export function rateTheory(eigenvalues: readonly number[]): RateTheory {
  const values = requireFiniteVector("eigenvalues", eigenvalues);
  let smallest = Infinity;
  let largest = -Infinity;
  for (const value of values) {
    smallest = Math.min(smallest, value);
    largest = Math.max(largest, value);
  }
  if (!(smallest > 0)) {
    throw new KitRangeError(
      `the eigenvalues must all be positive (a convex quadratic), but the smallest is ${smallest}`,
    );
  }
  const kappa = largest / smallest;
  if (!Number.isFinite(kappa)) {
    throw new KitRangeError(
      `the condition number λmax/λmin = ${largest}/${smallest} overflows: the quadratic is singular to double precision`,
    );
  }
  const rootKappa = Math.sqrt(kappa);
  // Written so that nothing overflows for eigenvalues up to the largest double: 2/(μ + L) as
  // (2/L)/(1 + μ/L), and the rates' gaps 1 − ρ without the rounding of 1 − ρ.
  const plainGap = 2 / (kappa + 1);
  const momentumGap = 2 / (rootKappa + 1);
  const momentumRate = (rootKappa - 1) / (rootKappa + 1);
  return {
    smallest,
    largest,
    conditionNumber: kappa,
    plain: { learningRate: 2 / largest / (1 + 1 / kappa), rate: (kappa - 1) / (kappa + 1), gap: plainGap },
    momentum: {
      learningRate: 4 / largest / (1 + 1 / rootKappa) ** 2,
      momentum: momentumRate ** 2,
      rate: momentumRate,
      gap: momentumGap,
    },
  };
}

/** max |1 − ηλ|: the factor plain descent multiplies the slowest error component by per step. */
export function plainRate(eigenvalues: readonly number[], learningRate: number): number {
  return Math.max(...contractionFactors(eigenvalues, learningRate));
}

/**
 * The rate of heavy-ball momentum with step η and momentum β on a quadratic: along an eigenvector
 * of eigenvalue λ, (e_{k+1}, e_k) = M (e_k, e_{k−1}) with M = [[1 + β − ηλ, −β], [1, 0]], whose
 * eigenvalues are the roots of z² − (1 + β − ηλ) z + β = 0; the rate is the largest |z| over all λ.
 * Complex roots (the path spirals) all have |z| = √β.
 */
export function momentumRate(eigenvalues: readonly number[], learningRate: number, momentum: number): number {
  requirePositive("learningRate", learningRate);
  const beta = requireMomentum(momentum);
  return requireFiniteVector("eigenvalues", eigenvalues).reduce(
    (worst, lambda) => Math.max(worst, largestRoot(1 + beta - learningRate * lambda, beta)),
    0,
  );
}

/**
 * Steps until the error is at most `accuracy` times its start if it shrinks by `rate` per step:
 * ⌈ln(accuracy) / ln(rate)⌉. Infinity when rate ≥ 1 (no convergence), 1 when rate is 0. Give
 * `gap` = 1 − rate when it is known more precisely than 1 − rate (κ beyond 10¹⁶ rounds the rate
 * to 1, a count that is merely large, not infinite).
 */
export function predictedIterations(rate: number, accuracy: number, gap?: number): number {
  requirePositive("accuracy", accuracy);
  if (!(accuracy < 1)) throw new KitRangeError(`accuracy must be below 1, got ${accuracy}`);
  if (!(rate >= 0) || !Number.isFinite(rate))
    throw new KitRangeError(`rate must be a number ≥ 0, got ${rate}`);
  if (gap !== undefined && !(gap > 0 && gap <= 1))
    throw new KitRangeError(`gap must be a number in (0, 1], got ${describeValue(gap)}`);
  if (gap === undefined && rate >= 1) return Infinity;
  if (rate === 0) return 1;
  return Math.ceil(Math.log(accuracy) / Math.log1p(-(gap ?? 1 - rate)));
}

/** ‖x_k − x*‖ / ‖x_0 − x*‖ for every point of a trajectory. */
export function relativeErrors(trajectory: Trajectory, optimum: readonly number[]): number[] {
  const target = requireFiniteVector("optimum", optimum, trajectory.points[0].length);
  const distance = (point: readonly number[]): number => euclideanNorm(point.map((p, i) => p - target[i]));
  const initial = distance(trajectory.points[0]);
  if (initial === 0)
    throw new KitRangeError("the trajectory starts at the optimum: there is no error to reduce");
  return trajectory.points.map((point) => distance(point) / initial);
}

/**
 * The first k at which every eigen-mode's error factor is within `accuracy`, from the mode
 * recurrence r_{k+1} = (1 + β − ηλ) r_k − β r_{k−1}, r_0 = 1, r_1 = 1 − ηλ (β = 0: plain descent,
 * r_k = (1 − ηλ)^k). Unlike ln ε / ln ρ it includes the factor k of a critically damped mode
 * (a double root: r_k = (1 + ck) ρ^k). Past `limit` steps it extrapolates by the rate (a slight
 * underestimate); Infinity only when the modes do not shrink.
 */
export function predictedIterationsByModes(
  eigenvalues: readonly number[],
  learningRate: number,
  momentum: number,
  accuracy: number,
  limit = 100_000_000,
): number {
  const values = requireFiniteVector("eigenvalues", eigenvalues);
  requirePositive("learningRate", learningRate);
  requirePositive("accuracy", accuracy);
  if (momentum === 0) {
    // Plain descent: r_k = (1 − ηλ)^k exactly, so no recurrence (and no step limit) is needed.
    return values.reduce((most, lambda) => {
      const shrink = learningRate * lambda; // |1 − ηλ|, its logarithm taken without rounding 1 − ηλ
      const logFactor = shrink < 1 ? Math.log1p(-shrink) : Math.log(shrink - 1);
      if (logFactor <= Math.log(accuracy)) return Math.max(most, 1);
      return Math.max(most, logFactor >= 0 ? Infinity : Math.ceil(Math.log(accuracy) / logFactor));
    }, 1);
  }
  const previous = values.map(() => 1);
  const current = values.map((lambda) => 1 - learningRate * lambda);
  let worst = 0;
  for (let k = 1; k <= limit; k++) {
    worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(current[i]));
    if (worst <= accuracy) return k;
    for (let i = 0; i < values.length; i++) {
      const next = (1 + momentum - learningRate * values[i]) * current[i] - momentum * previous[i];
      previous[i] = current[i];
      current[i] = next;
    }
  }
  // Past the limit: extrapolate by the rate, a slight underestimate while a critically damped
  // mode's factor (1 + ck) still grows, rather than say never.
  const rate = momentumRate(values, learningRate, momentum);
  if (!(rate < 1) || !(worst > 0)) return Infinity;
  return limit + Math.ceil(Math.log(accuracy / worst) / Math.log(rate));
}

export interface RateMeasurement {
  rule: string;
  learningRate: number;
  /** The predicted rate per step and the predicted number of steps to `accuracy`. */
  rate: number;
  predicted: number;
  /** The same from every eigen-mode's exact recurrence (predictedIterationsByModes). */
  predictedByModes: number;
  /** The first step at which the error was within `accuracy`, or undefined within `iterations`. */
  measured: number | undefined;
  /** Steps run, and the error reached at the last one (relative to the start's). */
  iterations: number;
  finalError: number;
  /** The error the rate predicts after `iterations` steps: rate^iterations. */
  predictedFinalError: number;
  trajectory: Trajectory;
}

export interface RateComparisonOptions {
  /** The Hessian's eigenvalues (all positive). */
  eigenvalues: readonly number[];
  optimum: readonly number[];
  start: readonly number[];
  evaluate: Evaluate;
  /** Relative accuracy ‖x_k − x*‖ ≤ accuracy · ‖x_0 − x*‖ (default 1e-6). */
  accuracy?: number;
  /** The most steps any run may take (default 20 000): plain descent on κ = 10⁶ would need millions. */
  maxIterations?: number;
}

/**
 * Plain descent and heavy-ball momentum, each with its best settings from the eigenvalues, run on
 * the real objective: the predicted number of steps to the accuracy against the measured one.
 */
export function compareRates(options: RateComparisonOptions): RateMeasurement[] {
  if (options === null || typeof options !== "object") {
    throw new KitTypeError(`the options must be an object, got ${describeValue(options)}`);
  }
  const theory = rateTheory(options.eigenvalues);
  const accuracy = requirePositive("accuracy", options.accuracy ?? 1e-6);
  const maxIterations = requireIterations("maxIterations", options.maxIterations ?? 20_000);
  requireFunction("evaluate", options.evaluate);
  const runs: { rule: StepRule<unknown>; rate: number; gap: number; momentum: number }[] = [
    {
      rule: plainStep(theory.plain.learningRate),
      rate: theory.plain.rate,
      gap: theory.plain.gap,
      momentum: 0,
    },
    {
      rule: momentumStep(theory.momentum.learningRate, theory.momentum.momentum),
      rate: theory.momentum.rate,
      gap: theory.momentum.gap,
      momentum: theory.momentum.momentum,
    },
  ];
  return runs.map(({ rule, rate, gap, momentum }) => {
    const predicted = predictedIterations(rate, accuracy, gap);
    const predictedByModes = predictedIterationsByModes(
      options.eigenvalues,
      rule.learningRate,
      momentum,
      accuracy,
    );
    // A margin past the prediction, for the polynomial factor of a critically damped run.
    const expected = Math.max(predicted, predictedByModes);
    const iterations = Math.min(maxIterations, Number.isFinite(expected) ? 2 * expected + 50 : maxIterations);
    const trajectory = gradientDescent({
      start: options.start,
      evaluate: options.evaluate,
      rule,
      iterations,
    });
    const errors = relativeErrors(trajectory, options.optimum);
    const found = errors.findIndex((error) => error <= accuracy);
    const ran = trajectory.points.length - 1;
    return {
      rule: rule.name,
      learningRate: rule.learningRate,
      rate,
      predicted,
      predictedByModes,
      measured: found < 0 ? undefined : found,
      iterations: ran,
      finalError: errors[ran],
      predictedFinalError: rate ** ran,
      trajectory,
    };
  });
}

/**
 * The fastest heavy-ball momentum for a given step η: along eigenvalue λ the roots of
 * z² − (1 + β − ηλ) z + β turn complex, with |z| = √β, once β ≥ (1 − √(ηλ))²; below that the larger
 * real root exceeds √β. So the rate max_λ |z| is lowest at the β where the last mode turns complex,
 * β* = max_λ (1 − √(ηλ))², with rate √β* = max_λ |1 − √(ηλ)|. (Over η as well, the two extreme modes
 * turn complex together at η = 4/(√L + √μ)²: rateTheory's critical damping.) Needs ηλ < 4 for every λ.
 */
export function bestMomentumForStep(
  eigenvalues: readonly number[],
  learningRate: number,
): { momentum: number; rate: number; complexFrom: number[] } {
  const values = requireFiniteVector("eigenvalues", eigenvalues);
  const eta = requirePositive("learningRate", learningRate);
  const complexFrom = values.map((lambda) => (1 - Math.sqrt(eta * lambda)) ** 2);
  const momentum = extent(complexFrom).max;
  if (!(momentum < 1)) {
    throw new KitRangeError(
      `no momentum below 1 converges at learningRate ${eta}: η·λmax must be below 4, got ${eta * extent(values).max}`,
    );
  }
  return { momentum, rate: Math.sqrt(momentum), complexFrom };
}

/**
 * The largest ηλ each rule is stable at, with momentum β (Jury's conditions on each mode's
 * characteristic polynomial): plain descent 2 (z = 1 − ηλ); heavy ball 2(1 + β)
 * (z² − (1 + β − ηλ)z + β); Nesterov in torch's and TensorFlow's form 2(1 + β)/(1 + 2β)
 * (z² − (1 + β)(1 − ηλ)z + β(1 − ηλ)), below plain descent's 2 for every β > 0.
 */
export function stabilityLimits(momentum: number): { plain: number; heavyBall: number; nesterov: number } {
  const beta = requireMomentum(momentum);
  return { plain: 2, heavyBall: 2 * (1 + beta), nesterov: (2 * (1 + beta)) / (1 + 2 * beta) };
}

function requireMomentum(momentum: unknown): number {
  if (!(typeof momentum === "number" && momentum >= 0 && momentum < 1)) {
    throw new KitRangeError(
      `momentum must be a number from 0 up to (not including) 1, got ${describeValue(momentum)}`,
    );
  }
  return momentum;
}

/** The largest root modulus of z² − b z + c: a mode's factor per step. */
function largestRoot(b: number, c: number): number {
  const discriminant = b * b - 4 * c;
  if (discriminant < 0) return Math.sqrt(c);
  const root = Math.sqrt(discriminant);
  return Math.max(Math.abs(b + root), Math.abs(b - root)) / 2;
}

/**
 * Nesterov's rate (torch's and TensorFlow's form) on a quadratic: along eigenvalue λ the error
 * follows z² − (1 + β)(1 − ηλ) z + β(1 − ηλ) = 0; the rate is the largest |z| over all λ.
 */
export function nesterovRate(eigenvalues: readonly number[], learningRate: number, momentum: number): number {
  const eta = requirePositive("learningRate", learningRate);
  const beta = requireMomentum(momentum);
  return requireFiniteVector("eigenvalues", eigenvalues).reduce(
    (worst, lambda) =>
      Math.max(worst, largestRoot((1 + beta) * (1 - eta * lambda), beta * (1 - eta * lambda))),
    0,
  );
}

/**
 * The loss above the optimum after each of `steps` steps of heavy-ball momentum (β = 0: plain
 * descent) on a quadratic f(x) = f* + ½ eᵀHe, exactly: the start's error split along H's
 * eigenvectors, each part multiplied by its mode's r_k (r₀ = 1, r₁ = 1 − ηλ, r_{k+1} =
 * (1 + β − ηλ) r_k − β r_{k−1}: the velocity starts at 0), gap_k = Σ ½ λ (r_k c)².
 */
export function quadraticGaps(options: {
  eigen: { values: readonly number[]; vectors: readonly (readonly number[])[] };
  startError: readonly number[];
  learningRate: number;
  momentum?: number;
  steps: number;
}): number[] {
  const { eigen } = options;
  const error = requireFiniteVector("startError", options.startError);
  const eta = requirePositive("learningRate", options.learningRate);
  const beta = requireMomentum(options.momentum ?? 0);
  const steps = requireIterations("steps", options.steps);
  const parts = eigen.vectors.map((vector) => vector.reduce((sum, v, i) => sum + v * error[i], 0));
  const previous = eigen.values.map(() => 1);
  const current = eigen.values.map((lambda) => 1 - eta * lambda);
  const gap = (r: readonly number[]) =>
    eigen.values.reduce((sum, lambda, i) => sum + 0.5 * lambda * (r[i] * parts[i]) ** 2, 0);
  const gaps = [gap(previous)];
  for (let k = 1; k <= steps; k++) {
    gaps.push(gap(current));
    for (let i = 0; i < current.length; i++) {
      const next = (1 + beta - eta * eigen.values[i]) * current[i] - beta * previous[i];
      previous[i] = current[i];
      current[i] = next;
    }
  }
  return gaps;
}

/**
 * The critically damped stiff mode started at rest: r_k = (1 + (1 + ρ)k)(−ρ)^k with
 * ρ = (√κ − 1)/(√κ + 1). It grows before it shrinks: |r_k| peaks near k = 1/ln(1/ρ) ≈ √κ/2 at about
 * √κ/e (1 + O(1/κ)), so its square (the mode's loss) peaks at about κ/e²; the exact peak is found here.
 */
export function stiffModePeak(conditionNumber: number): { step: number; factor: number } {
  const kappa = requirePositive("conditionNumber", conditionNumber);
  const rho = (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1);
  let best = { step: 0, factor: 1 };
  for (let k = 1; k <= 2 * Math.sqrt(kappa) + 10; k++) {
    const factor = ((1 + (1 + rho) * k) * rho ** k) ** 2;
    if (factor > best.factor) best = { step: k, factor };
  }
  return best;
}

/** The condition number after scaling every coordinate to unit curvature: D H D, D = diag(H)^(−½). */
export function unitDiagonalConditionNumber(hessian: readonly (readonly number[])[]): number {
  const scale = hessian.map((row, i) => 1 / Math.sqrt(row[i]));
  const scaled = hessian.map((row, i) => row.map((entry, j) => entry * scale[i] * scale[j]));
  const values = symmetricEigenvalues(scaled);
  return values[values.length - 1] / values[0];
}

/**
 * Plain descent's η with the lowest loss above the optimum after `steps` steps on a quadratic,
 * and that loss: gap(η) = Σ ½λ c² (1 − ηλ)^{2·steps} (c the start's error along each eigenvector)
 * is a sum of convex functions of η, so a golden-section search over (0, 2/λmax) finds its one
 * minimum; it is searched on a log scale (log-sum-exp), where long horizons do not underflow.
 */
export function bestPlainStepForHorizon(options: {
  eigen: { values: readonly number[]; vectors: readonly (readonly number[])[] };
  startError: readonly number[];
  steps: number;
}): { learningRate: number; gap: number } {
  const { eigen } = options;
  const error = requireFiniteVector("startError", options.startError);
  const steps = requireIterations("steps", options.steps);
  const weights = eigen.vectors.map(
    (vector, i) => 0.5 * eigen.values[i] * vector.reduce((sum, v, j) => sum + v * error[j], 0) ** 2,
  );
  const logGap = (eta: number): number => {
    const terms = weights.map(
      (w, i) => Math.log(w) + 2 * steps * Math.log(Math.abs(1 - eta * eigen.values[i])),
    );
    const top = extent(terms).max;
    if (top === -Infinity) return top;
    return top + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - top), 0));
  };
  let low = 0;
  let high = 2 / extent(eigen.values).max;
  const golden = (Math.sqrt(5) - 1) / 2;
  for (let round = 0; round < 200; round++) {
    const a = high - golden * (high - low);
    const b = low + golden * (high - low);
    if (logGap(a) <= logGap(b)) high = b;
    else low = a;
  }
  const learningRate = (low + high) / 2;
  return { learningRate, gap: Math.exp(logGap(learningRate)) };
}
