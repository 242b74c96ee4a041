/**
 * Notebook 04 (choosing the step without knowing the Hessian): its experiments as functions of the
 * parameters cell, and the sentences it states about their results. Every number in a sentence is
 * computed here, so that the notebook stays true when a student changes a parameter.
 */
import { rateTheory } from "../analysis/rates";
import { sumOfSquaresHessian, symmetricEigenvalues } from "../analysis/hessian";
import {
  describeStop,
  gradientDescent,
  plainStep,
  type Evaluate,
  type StepRule,
  type Trajectory,
} from "../descent/loop";
import { adamStep } from "../descent/step-rules";
import { KitRangeError, requireFinite, requireInteger, requirePositive } from "../descent/validate";
import { ARTICLE_HESSIAN, articleFunction, evaluateArticleFunction } from "../problems/bowl/bowl";
import { basisForData } from "../problems/cubic-fit/bases";
import { minibatchDescent, type MinibatchRun } from "../problems/cubic-fit/minibatch";
import { randomCoefficients, sineData, type PolyData } from "../problems/cubic-fit/polynomial";
import {
  sufficientStatistics,
  sumOfSquaresFromStatistics,
} from "../problems/cubic-fit/sufficient-statistics";
import {
  checkSufficientDecrease,
  exactLineSearchStep,
  lineSearchDescent,
  type BacktrackingOptions,
} from "../descent/line-search";
import {
  constantSchedule,
  cosineDecay,
  inverseTimeDecay,
  linearWarmup,
  scheduled,
  stepDecay,
  type Schedule,
} from "../descent/schedules";
import { learningRateRangeTest, RANGE_TEST_STOP_FACTOR, type RangeTest } from "../descent/range-test";
import { preconditionedStep } from "../analysis/preconditioned-steps";
import {
  basisPreconditioner,
  diagonalMatrix,
  energyErrors,
  iterationsToEnergyAccuracy,
  jacobiPreconditioner,
  preconditionedTheory,
  symmetricInverse,
  type PreconditionedTheory,
} from "../analysis/preconditioning";
import { listInWords, num } from "./format";
import { lastEpochWorst } from "./lesson-three";

type Matrix = number[][];

// ——— The parameters cell ———

export const LESSON_FOUR_MAX_ITERATIONS = 20_000;
export const LESSON_FOUR_MAX_EPOCHS = 50;
export const LESSON_FOUR_MAX_SEED = 1_000_000_000;
/** |x|, |y| of the start on the bowl. */
export const LESSON_FOUR_MAX_START = 1000;
export const LESSON_FOUR_MAX_RANGE_STEPS = 1000;
export const LESSON_FOUR_MAX_TENSORFLOW_STEPS = 500;

export interface LessonFourParameters {
  x: number;
  y: number;
  accuracy: number;
  maxIterations: number;
  initialStep: number;
  shrink: number;
  sufficientDecrease: number;
  seed: number;
  rangeFrom: number;
  rangeTo: number;
  rangeSteps: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  adaptiveLearningRate: number;
  tensorflowSteps: number;
}

function requireBetween(name: string, value: unknown, low: number, high: number, lowIncluded = true): number {
  const n = requireFinite(name, value);
  if (!((lowIncluded ? n >= low : n > low) && n <= high)) {
    throw new KitRangeError(
      `${name} must be a number from ${low}${lowIncluded ? "" : " (not included)"} to ${high}, got ${n}`,
    );
  }
  return n;
}

/** The parameters cell's check: one RangeError or TypeError naming the parameter and its value. */
export function checkLessonFourParameters(p: LessonFourParameters): void {
  if (p === null || typeof p !== "object") throw new KitRangeError("the parameters must be an object");
  const x = requireBetween("x", p.x, -LESSON_FOUR_MAX_START, LESSON_FOUR_MAX_START);
  const y = requireBetween("y", p.y, -LESSON_FOUR_MAX_START, LESSON_FOUR_MAX_START);
  if (x === -1 && y === 0) {
    throw new KitRangeError(
      "the start (x, y) = (-1, 0) is the minimum itself: there is no error to reduce; choose another start",
    );
  }
  requireBetween("accuracy", p.accuracy, 1e-14, 0.5);
  requireInteger("maxIterations", p.maxIterations, 1, LESSON_FOUR_MAX_ITERATIONS);
  requireBetween("initialStep", p.initialStep, 0, 1e6, false);
  requireBetween("shrink", p.shrink, 0.1, 0.9);
  requireBetween("sufficientDecrease", p.sufficientDecrease, 0, 0.5, false);
  requireInteger("seed", p.seed, 0, LESSON_FOUR_MAX_SEED);
  const from = requireBetween("rangeFrom", p.rangeFrom, 1e-15, 1);
  const to = requireBetween("rangeTo", p.rangeTo, 1e-15, 1e3);
  if (!(to > from)) throw new KitRangeError(`rangeTo must be greater than rangeFrom (${from}), got ${to}`);
  requireInteger("rangeSteps", p.rangeSteps, 10, LESSON_FOUR_MAX_RANGE_STEPS);
  requireBetween("learningRate", p.learningRate, 0, 1, false);
  requireInteger("batchSize", p.batchSize, 1, 2000);
  requireInteger("epochs", p.epochs, 1, LESSON_FOUR_MAX_EPOCHS);
  requireBetween("adaptiveLearningRate", p.adaptiveLearningRate, 0, 10, false);
  requireInteger("tensorflowSteps", p.tensorflowSteps, 0, LESSON_FOUR_MAX_TENSORFLOW_STEPS);
  requirePositive("accuracy", p.accuracy);
}

// ——— The two quadratic problems ———

export interface QuadraticProblem {
  name: string;
  hessian: Matrix;
  optimum: number[];
  start: number[];
  evaluate: Evaluate;
  objective: (point: readonly number[]) => number;
}

/** The first article's bowl f(x, y) = ½x² + x + ¼y² − 2 from (x, y). */
export function bowlProblem(x: number, y: number): QuadraticProblem {
  return {
    name: "the bowl f(x, y)",
    hessian: ARTICLE_HESSIAN.map((row) => [...row]),
    optimum: [-1, 0],
    start: [x, y],
    evaluate: evaluateArticleFunction,
    objective: ([px, py]) => articleFunction(px, py),
  };
}

/** The second article's cubic fit to sin on [−π, π] from the seeded random start (its loss from the sufficient statistics). */
export function cubicProblem(seed: number, data: PolyData = sineData()): QuadraticProblem {
  const statistics = sufficientStatistics(data, 3);
  return {
    name: "the cubic fit",
    hessian: sumOfSquaresHessian(data, 3),
    optimum: [...statistics.centre!.optimum],
    start: randomCoefficients(3, seed),
    evaluate: (c) => sumOfSquaresFromStatistics(statistics, c),
    objective: (c) => sumOfSquaresFromStatistics(statistics, c).value,
  };
}

// ——— Sections 1 and 2: exact line search, backtracking, the best fixed η ———

export interface StepChoiceRun {
  method: string;
  trajectory: Trajectory;
  /** First k with the energy-norm error ≤ accuracy. */
  iterations?: number;
  /** Evaluations of f and ∇f by the loop, up to that k (or the whole run). */
  gradientEvaluations: number;
  /** Evaluations of f alone by a line search, up to that k (or the whole run). */
  functionEvaluations: number;
  /** Products Hg (exact line search only). */
  hessianProducts: number;
}

export interface StepChoiceOptions {
  accuracy: number;
  maxIterations: number;
  search: Pick<BacktrackingOptions, "initialStep" | "shrink" | "sufficientDecrease">;
}

/**
 * A gradient norm below which the energy-norm error is surely ≤ accuracy: ‖g‖² = eᵀH²e ≥ λmin eᵀHe,
 * so ‖g‖ ≤ accuracy·√(λmin e₀ᵀHe₀) implies the error is at most `accuracy`. The runs stop there
 * (the harness knows H; the rules do not), instead of idling at the rounding floor.
 */
export function certainAccuracyTolerance(
  problem: QuadraticProblem,
  smallestEigenvalue: number,
  accuracy: number,
): number {
  const e = problem.start.map((p, i) => p - problem.optimum[i]);
  const energy = e.reduce(
    (sum, ei, i) => sum + ei * problem.hessian[i].reduce((row, hij, j) => row + hij * e[j], 0),
    0,
  );
  return accuracy * Math.sqrt(smallestEigenvalue * energy);
}

/** Best fixed η, exact line search and backtracking (from t₀, and warm-started) on one problem. */
export function stepChoiceRuns(problem: QuadraticProblem, options: StepChoiceOptions): StepChoiceRun[] {
  const eigenvalues = symmetricEigenvalues(problem.hessian);
  const theory = rateTheory(eigenvalues);
  const common = {
    start: problem.start,
    evaluate: problem.evaluate,
    iterations: options.maxIterations,
    tolerance: certainAccuracyTolerance(problem, eigenvalues[0], options.accuracy),
  };
  const measured = (
    method: string,
    trajectory: Trajectory,
    trialsPerStep?: number[],
    hessianPerStep = 0,
  ): StepChoiceRun => {
    const iterations = iterationsToEnergyAccuracy(
      trajectory.points,
      problem.optimum,
      problem.hessian,
      options.accuracy,
    );
    const k = iterations ?? trajectory.points.length - 1;
    const trials = (trialsPerStep ?? []).slice(0, k).reduce((sum, n) => sum + (n ?? 0), 0);
    return {
      method,
      trajectory,
      iterations,
      gradientEvaluations: k + 1,
      functionEvaluations: trialsPerStep === undefined ? 0 : 1 + trials,
      hessianProducts: hessianPerStep * k,
    };
  };
  const fixed = gradientDescent({ ...common, rule: plainStep(theory.plain.learningRate) });
  const exact = gradientDescent({ ...common, rule: exactLineSearchStep(problem.hessian) });
  const search = (warmStart: boolean) =>
    lineSearchDescent({
      ...common,
      rule: plainStep(1),
      objective: problem.objective,
      backtracking: { ...options.search, warmStart },
    });
  const cold = search(false);
  const warm = search(true);
  return [
    measured(`best fixed η = 2/(λmin + λmax) = ${num(theory.plain.learningRate)}`, fixed),
    measured("exact line search (needs H)", exact, undefined, 1),
    measured("backtracking from t₀", cold.trajectory, cold.trialsPerStep),
    measured("backtracking, warm start", warm.trajectory, warm.trialsPerStep),
  ];
}

/** The table rows of stepChoiceRuns. */
export function stepChoiceRows(problem: QuadraticProblem, runs: StepChoiceRun[]): string[][] {
  return runs.map((run) => [
    problem.name,
    run.method,
    run.iterations === undefined
      ? `not within ${run.trajectory.points.length - 1} steps (${describeStop(run.trajectory.stop)})`
      : String(run.iterations),
    String(run.gradientEvaluations),
    String(run.functionEvaluations),
    String(run.hessianProducts),
  ]);
}

/** The zigzag of exact line search: the largest |cos| between consecutive steps (0: right angles). */
export function largestConsecutiveCosine(trajectory: Trajectory): number {
  const steps = trajectory.points
    .slice(1)
    .map((point, k) => point.map((p, i) => p - trajectory.points[k][i]));
  let largest = 0;
  for (let k = 1; k < steps.length; k++) {
    const a = steps[k - 1];
    const b = steps[k];
    const na = Math.hypot(...a);
    const nb = Math.hypot(...b);
    // Steps at rounding level (the run has arrived) carry no direction.
    if (na === 0 || nb === 0 || nb < 1e-7 * Math.hypot(...steps[0])) break;
    largest = Math.max(largest, Math.abs(a.reduce((sum, ai, i) => sum + ai * b[i], 0)) / (na * nb));
  }
  return largest;
}

/** Section 1's sentence: the zigzag and the rate of exact line search against its bound. */
export function exactLineSearchSentence(problem: QuadraticProblem, run: StepChoiceRun): string {
  const theory = rateTheory(symmetricEigenvalues(problem.hessian));
  const errors = energyErrors(run.trajectory.points, problem.optimum, problem.hessian);
  const bound = theory.plain.rate;
  let worst = 0;
  for (let k = 1; k < errors.length && errors[k] > 1e-6; k++)
    worst = Math.max(worst, errors[k] / errors[k - 1]);
  const cosine = largestConsecutiveCosine(run.trajectory);
  const zigzag =
    cosine < 1e-6
      ? `consecutive steps are at right angles (the largest |cos| between two of them is ${num(cosine, 2)})`
      : `consecutive steps are at right angles up to rounding (largest |cos| ${num(cosine, 2)})`;
  if (errors.length < 3 || errors[1] <= 1e-6) {
    return `On ${problem.name} from this start exact line search arrives in ${run.iterations ?? "more than " + (errors.length - 1)} step(s): the start lies along an eigenvector of H, where the gradient points at the minimum.`;
  }
  return `On ${problem.name}: ${zigzag}; the error shrinks by at most ${num(worst)} per step, within the bound (κ − 1)/(κ + 1) = ${num(bound)} (κ = ${num(theory.conditionNumber)}).`;
}

/** Section 2's verdict on the comparison, for one problem. */
export function stepChoiceSentence(problem: QuadraticProblem, runs: StepChoiceRun[]): string {
  const [fixed, exact, cold, warm] = runs;
  const said = (run: StepChoiceRun): string => {
    if (run.iterations === undefined)
      return `does not reach the accuracy within ${run.trajectory.points.length - 1} steps`;
    const trials =
      run.functionEvaluations > 0
        ? ` and ${run.functionEvaluations - 1} trials (${num((run.functionEvaluations - 1) / Math.max(1, run.iterations), 3)} a step)`
        : "";
    return `needs ${run.iterations} step${run.iterations === 1 ? "" : "s"}${trials}`;
  };
  const versus = (run: StepChoiceRun): string =>
    run.iterations === undefined || fixed.iterations === undefined
      ? ""
      : run.iterations < fixed.iterations
        ? ` — ${num(fixed.iterations / run.iterations, 3)} times fewer steps than the best fixed η`
        : run.iterations > fixed.iterations
          ? ` — ${num(run.iterations / fixed.iterations, 3)} times more steps than the best fixed η`
          : " — as many steps as the best fixed η";
  return (
    `On ${problem.name}: the best fixed η ${said(fixed)}; exact line search ${said(exact)}${versus(exact)}; ` +
    `backtracking from t₀ ${said(cold)}${versus(cold)}; warm-started, it ${said(warm)}${versus(warm)}.`
  );
}

/** The Armijo check of both backtracking runs, as one sentence. */
export function sufficientDecreaseSentence(
  problem: QuadraticProblem,
  runs: StepChoiceRun[],
  sufficientDecrease: number,
): string {
  const checks = runs
    .filter((run) => run.method.startsWith("backtracking"))
    .map((run) => ({
      run,
      check: checkSufficientDecrease(run.trajectory, problem.evaluate, sufficientDecrease),
    }));
  const steps = checks.reduce((sum, { check }) => sum + check.steps, 0);
  const violations = checks.reduce((sum, { check }) => sum + check.violations.length, 0);
  const zero = checks.reduce((sum, { check }) => sum + check.zeroSteps, 0);
  return violations === 0
    ? `On ${problem.name}, all ${steps} accepted steps of the two backtracking runs satisfy f(x + t d) ≤ f(x) + c t ∇f(x)ᵀd with c = ${num(sufficientDecrease)}` +
        (zero > 0
          ? ` (${zero} of them are zero steps: at the rounding floor no trial decreased f, and the search stayed put).`
          : ".")
    : `On ${problem.name}, ${violations} of ${steps} steps break the sufficient-decrease condition: a bug.`;
}

// ——— Section 3: the learning-rate range test ———

export function cubicRangeTest(
  problem: QuadraticProblem,
  from: number,
  to: number,
  steps: number,
): RangeTest {
  return learningRateRangeTest({ evaluate: problem.evaluate, start: problem.start, from, to, steps });
}

/** What the range test says on the cubic, against 2/λmax. */
export function rangeTestSentence(test: RangeTest, hessian: Matrix, from: number, to: number): string {
  const eigenvalues = symmetricEigenvalues(hessian);
  const bound = 2 / eigenvalues[eigenvalues.length - 1];
  const start = test.values[0];
  if (!(test.lowest.value < start)) {
    return `The loss never fell below its start: already the first learning rate, ${num(from)}, is too large (2/λmax = ${num(bound)}); start the range lower.`;
  }
  const blowUp =
    test.blowUp === undefined
      ? `the loss never blew up within the range (it ends at η = ${num(to)}, ${num(to / bound, 3)} × 2/λmax): extend the range upwards to see the limit`
      : `the loss blew up (past ${RANGE_TEST_STOP_FACTOR} × its lowest value, or diverged) after η = ${num(test.blowUp)}, which is ${num(test.blowUp / bound, 3)} × 2/λmax`;
  return (
    `Lowest loss ${num(test.lowest.value)} after the step with η = ${num(test.lowest.learningRate)}; ${blowUp}. ` +
    `fastai's suggestion, a tenth of the η at the lowest loss, is ${num(test.suggestion)} = ${num(test.suggestion / bound, 3)} × 2/λmax (2/λmax = ${num(bound)}).`
  );
}

/** Fixed-η runs at the range test's suggestion and at its blow-up, to check the reading. */
export function rangeTestCheck(problem: QuadraticProblem, test: RangeTest, iterations: number): string {
  const run = (eta: number) =>
    gradientDescent({ start: problem.start, evaluate: problem.evaluate, learningRate: eta, iterations });
  const suggestion = run(test.suggestion);
  const parts = [
    `At the suggestion η = ${num(test.suggestion)}, ${iterations} fixed steps: ${describeStop(suggestion.stop)}, loss ${num(suggestion.values[suggestion.values.length - 1])}.`,
  ];
  if (test.blowUp !== undefined) {
    const blow = run(test.blowUp);
    parts.push(
      `At the blow-up η = ${num(test.blowUp)}: ${describeStop(blow.stop)}${blow.stop.kind === "diverged" ? "" : `, loss ${num(blow.values[blow.values.length - 1])}`}.`,
    );
  }
  return parts.join(" ");
}

// ——— Section 4: schedules on minibatch SGD ———

export interface ScheduleRun extends MinibatchRun {
  schedule: Schedule;
}

/** The schedules of section 4, for a run of `totalSteps` with `stepsPerEpoch` steps per epoch. */
export function lessonSchedules(totalSteps: number, stepsPerEpoch: number): Schedule[] {
  const third = Math.max(1, Math.ceil(totalSteps / 3));
  const warmup = Math.min(stepsPerEpoch, totalSteps);
  return [
    constantSchedule(),
    stepDecay(third, 0.1),
    cosineDecay(totalSteps),
    linearWarmup(warmup, cosineDecay(Math.max(1, totalSteps - warmup))),
    inverseTimeDecay(stepsPerEpoch),
  ];
}

/** Minibatch SGD on the cubic with each schedule composed with plain descent. */
export function scheduleRuns(options: {
  data: PolyData;
  batchSize: number;
  epochs: number;
  learningRate: number;
  seed: number;
}): ScheduleRun[] {
  const stepsPerEpoch = Math.ceil(options.data.x.length / options.batchSize);
  return lessonSchedules(options.epochs * stepsPerEpoch, stepsPerEpoch).map((schedule) => {
    const run = minibatchDescent({
      data: options.data,
      batchSize: options.batchSize,
      epochs: options.epochs,
      seed: options.seed,
      rule: scheduled(plainStep(options.learningRate), schedule),
    });
    return { ...run, schedule };
  });
}

export function scheduleRows(runs: ScheduleRun[], optimumLoss: number): string[][] {
  return runs.map((run) => {
    const values = run.trajectory.values;
    const diverged = run.trajectory.stop.kind === "diverged";
    return [
      run.schedule.name,
      describeStop(run.trajectory.stop),
      diverged ? "—" : num(values[values.length - 1] - optimumLoss, 3),
      diverged ? "—" : num(lastEpochWorst(run, optimumLoss), 3),
    ];
  });
}

export function scheduleSentence(runs: ScheduleRun[], optimumLoss: number): string {
  const finished = runs.filter((run) => run.trajectory.stop.kind !== "diverged");
  if (finished.length === 0)
    return "Every schedule diverged: the peak learning rate is too large for this batch size.";
  const ranked = [...finished].sort(
    (a, b) => lastEpochWorst(a, optimumLoss) - lastEpochWorst(b, optimumLoss),
  );
  const constant = runs[0];
  const diverged = runs
    .filter((run) => run.trajectory.stop.kind === "diverged")
    .map((run) => run.schedule.name);
  const best = ranked[0];
  const versus =
    constant.trajectory.stop.kind === "diverged"
      ? "the constant rate diverged"
      : best === constant
        ? "no schedule beats the constant rate here"
        : `${num(lastEpochWorst(constant, optimumLoss) / lastEpochWorst(best, optimumLoss), 3)} times lower than with the constant rate`;
  const constantWorst =
    constant.trajectory.stop.kind === "diverged" ? Infinity : lastEpochWorst(constant, optimumLoss);
  const better = finished
    .filter((run) => run !== constant && lastEpochWorst(run, optimumLoss) < constantWorst)
    .map((run) => run.schedule.name);
  const worse = finished
    .filter((run) => run !== constant && lastEpochWorst(run, optimumLoss) >= constantWorst)
    .map((run) => run.schedule.name);
  return (
    `Lowest worst loss over the last epoch: ${best.schedule.name}, ${num(lastEpochWorst(best, optimumLoss), 3)} above the optimum (${versus}).` +
    (constant.trajectory.stop.kind === "diverged"
      ? ""
      : ` Below the constant rate's: ${better.length > 0 ? listInWords(better) : "none"}; not below it: ${worse.length > 0 ? listInWords(worse) : "none"}.`) +
    (diverged.length > 0 ? ` Diverged: ${listInWords(diverged)}.` : "")
  );
}

// ——— Section 5: preconditioning ———

export interface PreconditionerRow {
  name: string;
  preconditioner: Matrix;
  theory: PreconditionedTheory;
  predicted: number;
  trajectory: Trajectory;
  measured?: number;
}

function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** The change of basis a = T c of notebook 02's Legendre polynomials of x/π: T's columns. */
export function legendreChange(data: PolyData, degree = 3): Matrix {
  const basis = basisForData("legendre", degree, data.x);
  const columns = Array.from({ length: degree + 1 }, (_, j) =>
    basis.toMonomial(Array.from({ length: degree + 1 }, (_, i) => (i === j ? 1 : 0))),
  );
  return columns[0].map((_, i) => columns.map((column) => column[i]));
}

/** ⌈ln ε / ln ρ⌉ with ρ = 0 (or rounding of it) counted as one step. */
export function predictedSteps(rate: number, accuracy: number): number {
  if (rate < 1e-12) return 1;
  return Math.ceil(Math.log(accuracy) / Math.log(rate));
}

/** Plain, Jacobi, Legendre and Newton (P = H⁻¹) on a quadratic problem, each at its best η. */
export function preconditionerRuns(
  problem: QuadraticProblem,
  data: PolyData,
  accuracy: number,
  maxIterations: number,
): PreconditionerRow[] {
  const h = problem.hessian;
  const candidates: { name: string; preconditioner: Matrix }[] = [
    { name: "P = I (plain descent)", preconditioner: identity(h.length) },
    { name: "P = diag(1/Hᵢᵢ) (Jacobi)", preconditioner: jacobiPreconditioner(h) },
    { name: "P = TTᵀ (Legendre basis)", preconditioner: basisPreconditioner(legendreChange(data)) },
    { name: "P = H⁻¹ (Newton)", preconditioner: symmetricInverse(h) },
  ];
  return candidates.map(({ name, preconditioner }) => {
    const theory = preconditionedTheory(h, preconditioner);
    const trajectory = gradientDescent({
      start: problem.start,
      evaluate: problem.evaluate,
      rule: preconditionedStep(preconditioner, theory.learningRate, name),
      iterations: maxIterations,
    });
    return {
      name,
      preconditioner,
      theory,
      predicted: predictedSteps(theory.rate, accuracy),
      trajectory,
      measured: iterationsToEnergyAccuracy(trajectory.points, problem.optimum, h, accuracy),
    };
  });
}

/** The state a rule would carry at the end of a trajectory, replayed from its points' gradients. */
export function replayState<S>(
  rule: StepRule<S>,
  trajectory: Trajectory,
  evaluate: Evaluate,
  steps = trajectory.points.length - 1,
): S {
  let state = rule.init(trajectory.points[0]);
  for (let k = 0; k < steps; k++) {
    state = rule.update(evaluate(trajectory.points[k]).gradient, state, trajectory.points[k]).state;
  }
  return state;
}

export interface AdamPreconditioning {
  trajectory: Trajectory;
  /** Adam's diagonal 1/(√ŝ + ε) at the end of the run. */
  diagonal: number[];
  theory: PreconditionedTheory;
  measured?: number;
}

/** Adam on the problem; the κ of the Hessian preconditioned by its final diagonal. */
export function adamPreconditioning(
  problem: QuadraticProblem,
  learningRate: number,
  accuracy: number,
  maxIterations: number,
): AdamPreconditioning {
  const rule = adamStep(learningRate);
  const trajectory = gradientDescent({
    start: problem.start,
    evaluate: problem.evaluate,
    rule,
    iterations: maxIterations,
  });
  const measured = iterationsToEnergyAccuracy(trajectory.points, problem.optimum, problem.hessian, accuracy);
  // After the accuracy is reached Adam wanders at rounding level and its late diagonal depends on the
  // last bits: its diagonal is read where it reaches the accuracy (or at the end).
  const state = replayState(rule, trajectory, problem.evaluate, measured ?? trajectory.points.length - 1);
  const beta2 = 0.999;
  const count = Math.max(1, state.count);
  const diagonal = state.meanSquare.map((s) => 1 / (Math.sqrt(s / (1 - beta2 ** count)) + 1e-8));
  return {
    trajectory,
    diagonal,
    theory: preconditionedTheory(problem.hessian, diagonalMatrix(diagonal)),
    measured,
  };
}

export function preconditionerRowsTable(
  rows: PreconditionerRow[],
  adam: AdamPreconditioning,
  adamLearningRate: number,
): string[][] {
  const fixed = rows.map((row) => [
    row.name,
    num(row.theory.conditionNumber, 4),
    num(row.theory.learningRate, 4),
    num(row.theory.rate, 4),
    String(row.predicted),
    row.measured === undefined
      ? `not within ${row.trajectory.points.length - 1} steps`
      : String(row.measured),
  ]);
  return fixed.concat([
    [
      `Adam's running diagonal 1/(√ŝ + ε) (η = ${num(adamLearningRate)}), ${adam.measured === undefined ? "at the end" : "when it reaches the accuracy"}`,
      num(adam.theory.conditionNumber, 4),
      "—",
      "—",
      "— (P changes every step)",
      adam.measured === undefined
        ? `not within ${adam.trajectory.points.length - 1} steps (${describeStop(adam.trajectory.stop)})`
        : String(adam.measured),
    ],
  ]);
}

export function preconditionerSentence(rows: PreconditionerRow[]): string {
  const reached = rows.filter((row) => row.measured !== undefined);
  const within = reached.filter((row) => row.measured! <= row.predicted);
  const close = reached.filter((row) => row.measured! >= 0.75 * row.predicted);
  const missing = rows.filter((row) => row.measured === undefined).map((row) => row.name);
  return (
    `κ goes from ${num(rows[0].theory.conditionNumber, 4)} (P = I) to ${num(rows[1].theory.conditionNumber, 4)} (Jacobi), ${num(rows[2].theory.conditionNumber, 4)} (Legendre) and ${num(rows[3].theory.conditionNumber, 4)} (Newton). ` +
    `Runs that reached the accuracy: ${reached.length} of ${rows.length}; measured ≤ predicted on ${within.length} of them, and at least three quarters of the prediction on ${close.length}.` +
    (missing.length > 0 ? ` Not reached within the step cap: ${listInWords(missing)}.` : "")
  );
}

// ——— Section 6: Newton ———

export interface DigitsRow {
  step: number;
  error: number;
  /** −log₁₀ of the error relative to the minimum's size (1 where it is 0). */
  digits: number;
  /** e_k / e_{k−1}²: constant in the quadratic phase. */
  ratio?: number;
}

/** Newton's error at each step and its correct digits, down to the rounding floor. */
export function digitsTable(points: readonly (readonly number[])[], minimum: readonly number[]): DigitsRow[] {
  const scale = Math.max(1, Math.hypot(...minimum));
  const rows: DigitsRow[] = [];
  for (let k = 0; k < points.length; k++) {
    const error = Math.hypot(...points[k].map((p, i) => p - minimum[i]));
    const previous = rows[k - 1];
    rows.push({
      step: k,
      error,
      digits: error === 0 ? Infinity : -Math.log10(error / scale),
      // At the rounding floor the ratio measures rounding, not convergence: left out.
      ratio:
        previous === undefined || previous.error === 0 || error <= 1e-15 * scale
          ? undefined
          : error / previous.error ** 2,
    });
    if (error <= 1e-15 * scale) break; // rounding: nothing more to measure
  }
  return rows;
}

/** The steps where Newton's digits at least nearly doubled (digits_k ≥ 1.8 digits_{k−1}, from 1 digit on). */
export function doublingSteps(rows: DigitsRow[]): number[] {
  return rows
    .filter(
      (row, k) =>
        k > 0 &&
        rows[k - 1].digits >= 1 &&
        Number.isFinite(row.digits) &&
        row.digits >= 1.8 * rows[k - 1].digits,
    )
    .map((row) => row.step);
}

export function digitsSentence(rows: DigitsRow[]): string {
  const doubled = doublingSteps(rows);
  const sequence = rows
    .filter((row) => row.digits >= 1)
    .map((row) => (Number.isFinite(row.digits) ? num(row.digits, 3) : "all"))
    .join(" → ");
  if (doubled.length === 0) {
    return `From this start Newton's correct digits go ${sequence || "(none yet)"}: no doubling within the run.`;
  }
  return `Correct digits, once there is one: ${sequence}. At step${doubled.length > 1 ? "s" : ""} ${listInWords(doubled.map(String))} the digits nearly doubled (at least 1.8 times the step before), until float64's sixteen digits stop the count.`;
}

/** "minimum", "maximum" or "saddle" from the Hessian's eigenvalues at a stationary point. */
export function stationaryKind(hessian: Matrix): "minimum" | "maximum" | "saddle" | "degenerate" {
  const values = symmetricEigenvalues(hessian);
  if (values.every((v) => v > 0)) return "minimum";
  if (values.every((v) => v < 0)) return "maximum";
  if (values.some((v) => v > 0) && values.some((v) => v < 0)) return "saddle";
  return "degenerate";
}

/** Where a run ended, with the kind of stationary point it is (if the gradient vanished there). */
export function endPointSentence(
  name: string,
  trajectory: Trajectory,
  hessianAt: (point: readonly number[]) => Matrix,
  functionEvaluations?: number,
): string {
  const last = trajectory.points[trajectory.points.length - 1];
  const gradientNorm = trajectory.gradientNorms[trajectory.gradientNorms.length - 1];
  const at = `(${last.map((p) => num(p, 5)).join(", ")})`;
  const kind = gradientNorm < 1e-6 ? stationaryKind(hessianAt(last)) : undefined;
  const eigenvalues = symmetricEigenvalues(hessianAt(last)).map((v) => num(v, 4));
  const evaluations =
    functionEvaluations === undefined ? "" : ` (${functionEvaluations} evaluations of f by the line search)`;
  return `${name}: ${describeStop(trajectory.stop)}, ends at ${at} with f = ${num(trajectory.values[trajectory.values.length - 1], 6)}${evaluations}; ${
    kind === undefined
      ? `the gradient there is ${num(gradientNorm, 3)} in size, not a stationary point yet`
      : `the gradient vanishes there (its size is ${num(gradientNorm, 2)}), and the Hessian's eigenvalues ${listInWords(eigenvalues)} make it a ${kind}`
  }.`;
}

/** The saddle x² − y²: steps for plain descent to leave it, predicted and measured, and Newton's one step. */
export function saddleSentence(
  descent: Trajectory,
  newton: Trajectory,
  learningRate: number,
  leaveAt = 1,
): string {
  const y0 = Math.abs(descent.points[0][1]);
  const predicted = Math.ceil(Math.log(leaveAt / y0) / Math.log(1 + 2 * learningRate));
  const measured = descent.points.findIndex(([, y]) => Math.abs(y) >= leaveAt);
  const [nx, ny] = newton.points[1] ?? newton.points[0];
  return (
    `Plain descent (η = ${num(learningRate)}) from y = ${num(y0)}: |y| grows by 1 + 2η = ${num(1 + 2 * learningRate)} per step, so it needs ⌈ln(${leaveAt}/${num(y0)}) / ln ${num(1 + 2 * learningRate)}⌉ = ${predicted} steps to reach |y| = ${leaveAt}; ` +
    `measured: ${measured < 0 ? `not within ${descent.points.length - 1}` : measured}. Newton's first step lands on (${num(nx, 3)}, ${num(ny, 3)}), the saddle itself.`
  );
}

// ——— Exercises ———

/** Exercise 1: backtracking with a demanding c against the default, on the cubic. */
export function demandingDecreaseAnswer(
  loose: StepChoiceRun,
  strict: StepChoiceRun,
  looseC: number,
  strictC: number,
  shrink: number,
): string {
  const interval = (c: number) => `between ${num(shrink * 2 * (1 - c), 3)} t* and ${num(2 * (1 - c), 3)} t*`;
  const said = (run: StepChoiceRun) =>
    run.iterations === undefined
      ? `does not reach the accuracy in ${run.trajectory.points.length - 1} steps`
      : `needs ${run.iterations} steps and ${run.functionEvaluations} values of f`;
  const outcome =
    loose.iterations === undefined || strict.iterations === undefined
      ? ""
      : strict.iterations < loose.iterations
        ? ` Here the demanding c wins: the steps it refuses were the overshooting ones.`
        : strict.iterations > loose.iterations
          ? ` Here the demanding c loses: the shorter steps make less progress than the overshoots it refuses.`
          : " Here both take as many steps.";
  return (
    `With c = ${num(looseC)} backtracking ${said(loose)}; with c = ${num(strictC)} it ${said(strict)}. ` +
    `On a quadratic, along d = −g, f(x − tg) = f(x) − t gᵀg + ½t² gᵀHg, so Armijo's condition holds exactly when t ≤ 2(1 − c) t*, with t* = gᵀg/gᵀHg the exact line search's step. ` +
    `Shrinking by β = ${num(shrink)} from a t₀ above that bound stops at the first t in (β·2(1 − c)t*, 2(1 − c)t*]: with c = ${num(looseC)} ${interval(looseC)}, with c = ${num(strictC)} ${interval(strictC)}. Beyond t* a step overshoots the minimum along the line (at 2t* it climbs back to the height it started from).` +
    outcome
  );
}

/** Exercise 2: the range test run longer (more, smaller ramp steps). */
export function longerRangeAnswer(
  short: RangeTest,
  long: RangeTest,
  hessian: Matrix,
  shortSteps: number,
  longSteps: number,
): string {
  const eigenvalues = symmetricEigenvalues(hessian);
  const bound = 2 / eigenvalues[eigenvalues.length - 1];
  const at = (test: RangeTest) =>
    test.blowUp === undefined
      ? "never (within the range)"
      : `after η = ${num(test.blowUp)} (${num(test.blowUp / bound, 3)} × 2/λmax)`;
  const moved =
    short.blowUp === undefined || long.blowUp === undefined
      ? ""
      : long.blowUp < short.blowUp
        ? " The slower ramp blows up earlier, closer to 2/λmax:"
        : " Here the slower ramp does not blow up earlier:";
  return (
    `With ${shortSteps} steps the loss blows up ${at(short)}; with ${longSteps} steps ${at(long)}.${moved} ` +
    `above 2/λmax the stiffest mode grows by |1 − ηλmax| per step, but it starts from almost nothing (the smaller learning rates had shrunk it), so it takes several steps past the limit before the loss shows it; a slower ramp spends more steps at each η. The range test reads the limit of a short run, not the stability limit.`
  );
}

/** Exercise 3: Jacobi on the bowl, whose Hessian is diagonal. */
export function jacobiBowlAnswer(
  theory: PreconditionedTheory,
  steps: number | undefined,
  cubic: { plain: PreconditionedTheory; jacobi: PreconditionedTheory },
): string {
  return (
    `The bowl's Hessian diag(1, ½) is diagonal, so Jacobi's P = diag(1, 2) is H⁻¹ itself: κ of the preconditioned problem is ${num(theory.conditionNumber)}, the best η is ${num(theory.learningRate)} and the rate ${num(theory.rate, 3)}; ` +
    `the run reaches the accuracy in ${steps ?? "more than the cap of"} step${steps === 1 ? "" : "s"}. On a diagonal quadratic Jacobi is Newton; on the cubic, whose Hessian is far from diagonal, it only takes κ from ${num(cubic.plain.conditionNumber, 3)} to ${num(cubic.jacobi.conditionNumber, 3)}.`
  );
}

export const LESSON_FOUR_STRICT_DECREASE = 0.45;

/** How many steps two runs agree for: the first k whose points differ by more than `tolerance` (relative, as largestPointDifference), or the shorter run's length. */
export function agreeingSteps(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  tolerance: number,
): number {
  const steps = Math.min(a.length, b.length);
  for (let k = 0; k < steps; k++) {
    const scale = Math.max(1, Math.hypot(...a[k]));
    if (Math.hypot(...a[k].map((v, i) => v - b[k][i])) / scale > tolerance) return k;
  }
  return steps - 1;
}
