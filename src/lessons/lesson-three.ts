/**
 * The tables and sentences notebook 03 states about its computed results, as pure functions of
 * what the notebook computed. Each sentence checks the condition it states (a comparison between
 * two runs is drawn only when neither diverged; a limit is called crossed only when it is), so it
 * stays true when a student changes the parameters cell.
 */
import { describeStop, gradientDescent, type Evaluate, type Trajectory } from "../descent/loop";
import { newtonStep } from "../descent/step-rules";
import { symmetricEigen, sumOfSquaresHessian, type SymmetricEigen } from "../analysis/hessian";
import { evaluateArticleFunction } from "../problems/bowl/bowl";
import { randomCoefficients, sineData, type PolyData } from "../problems/cubic-fit/polynomial";
import {
  sufficientStatistics,
  sumOfSquaresFromStatistics,
} from "../problems/cubic-fit/sufficient-statistics";
import { KitRangeError, extent, requireFinite, requireInteger, requirePositive } from "../descent/validate";
import {
  bestMomentumForStep,
  bestPlainStepForHorizon,
  compareRates,
  nesterovRate,
  quadraticGaps,
  relativeErrors,
  unitDiagonalConditionNumber,
  stabilityLimits,
  stiffModePeak,
  type RateMeasurement,
  type RateTheory,
} from "../analysis/rates";
import type { MinibatchRun, SinglePointStability } from "../problems/cubic-fit/minibatch";
import { formatNumber, markdownTable } from "../text/tables";
import { foldedAnswer } from "./answers";
import { num } from "./format";

/** Caps that keep every cell of notebook 03 and its export bounded (seconds, a few MB). */
export const LESSON_THREE_LIMITS = {
  /** Runs on f(x, y): five rules and the live explorer's first path. */
  iterations: 10_000,
  /** Six rules on the cubic, each keeping its whole path. */
  cubicIterations: 20_000,
  /** Each SGD run keeps a point per step: 2000 steps per epoch at batch size 1. */
  epochs: 100,
  /**
   * The momentum explorer's iterations at most: the page recomputes them on every input and the
   * export carries the first curve's every point (momentum reaches the optimum in about 200 here,
   * plain descent's best in about 2200).
   */
  explorerIterations: 3_000,
  /** TensorFlow.js takes a few milliseconds per step, three optimizers. */
  frameworkIterations: 1_000,
  /** |x| and |y| at the start, as notebook 01. */
  coordinate: 1_000,
  /** Learning rates on f(x, y): far past every limit (2(1 + β) < 4) and still a bounded run. */
  learningRate: 1_000,
  /**
   * Adam's η is a distance per step: 10 already crosses the drawn map [−2.5, 2.5] twice. Far
   * larger, Adam's run climbs thousands of times above its start and comes back slowly.
   */
  adamLearningRate: 10,
  /** The live explorer's β slider ends at 0.99. */
  momentum: 0.99,
  /** Past 1 every SGD step on these points overflows within a few steps. */
  sgdLearningRate: 1,
  decayEpochs: 1_000_000,
  /** The notebook also draws with seed + 1, as notebook 02. */
  seed: 1_000_000_000,
  /** Relative accuracy: from float64's rounding (1e-15) up to, not including, 1. */
  smallestAccuracy: 1e-15,
  /** The cubic's points: a batch is 1 to all of them. */
  points: 2000,
} as const;

export interface LessonThreeParameters {
  learningRate: number;
  momentum: number;
  adamLearningRate: number;
  iterations: number;
  x: number;
  y: number;
  accuracy: number;
  cubicIterations: number;
  seed: number;
  batchSize: number;
  epochs: number;
  sgdLearningRate: number;
  decayEpochs: number;
  frameworkIterations: number;
}

function requireAtMost(name: string, value: unknown, largest: number, what = "a positive number"): number {
  const n = requirePositive(name, value);
  if (n > largest) throw new KitRangeError(`${name} must be ${what} up to ${largest}, got ${n}`);
  return n;
}

/** The parameters cell's check: one error naming the parameter the student changed, and its value. */
export function checkLessonThreeParameters(p: LessonThreeParameters): void {
  const limits = LESSON_THREE_LIMITS;
  requireAtMost("learningRate", p.learningRate, limits.learningRate);
  const momentum = requireFinite("momentum", p.momentum);
  if (!(momentum >= 0 && momentum <= limits.momentum)) {
    throw new KitRangeError(`momentum must be a number from 0 to ${limits.momentum}, got ${momentum}`);
  }
  requireAtMost("adamLearningRate", p.adamLearningRate, limits.adamLearningRate);
  requireInteger("iterations", p.iterations, 0, limits.iterations);
  for (const name of ["x", "y"] as const) {
    const value = requireFinite(name, p[name]);
    if (Math.abs(value) > limits.coordinate) {
      throw new KitRangeError(
        `${name} must be between −${limits.coordinate} and ${limits.coordinate}, got ${value}`,
      );
    }
  }
  const accuracy = requireFinite("accuracy", p.accuracy);
  if (!(accuracy >= limits.smallestAccuracy && accuracy < 1)) {
    throw new KitRangeError(
      `accuracy must be a number from ${limits.smallestAccuracy} up to (not including) 1, got ${accuracy}`,
    );
  }
  requireInteger("cubicIterations", p.cubicIterations, 1, limits.cubicIterations);
  requireInteger("seed", p.seed, 0, limits.seed);
  requireInteger("batchSize", p.batchSize, 1, limits.points);
  requireInteger("epochs", p.epochs, 1, limits.epochs);
  requireAtMost("sgdLearningRate", p.sgdLearningRate, limits.sgdLearningRate);
  requireAtMost("decayEpochs", p.decayEpochs, limits.decayEpochs);
  requireInteger("frameworkIterations", p.frameworkIterations, 0, limits.frameworkIterations);
}

const last = <T>(values: readonly T[]): T => values[values.length - 1];
const diverged = (run: Trajectory): boolean => run.stop.kind === "diverged";

// ——— Section 1: the rules on f(x, y) ———

/** The five rules' runs on f(x, y): verdict, last point, distance to the minimum (−1, 0). */
export function articleRulesTable(runs: readonly Trajectory[]): string {
  return markdownTable(
    ["rule", "η", "verdict", "last point", "distance to (−1, 0)"],
    runs.map((run) => {
      const [px, py] = last(run.points);
      return [
        run.rule,
        formatNumber(run.learningRate),
        describeStop(run.stop),
        `(${formatNumber(px)}, ${formatNumber(py)})`,
        formatNumber(Math.hypot(px + 1, py)),
      ];
    }),
  );
}

/**
 * Each linear rule's stable range on f(x, y) (λmax = 1, so ηλmax = η) at the parameters' β, and
 * where the parameters' η lies: inside, at the limit (the stiff mode keeps its size), or beyond.
 */
export function stableRangesMarkdown(
  learningRate: number,
  momentum: number,
  start: { x: number; y: number },
  runs: { plain: Trajectory; momentum: Trajectory; nesterov: Trajectory },
): string {
  const limits = stabilityLimits(momentum);
  const rows = [
    { rule: "plain", formula: "2", limit: limits.plain, run: runs.plain },
    { rule: "heavy-ball momentum", formula: "2(1 + β)", limit: limits.heavyBall, run: runs.momentum },
    { rule: "Nesterov", formula: "2(1 + β)/(1 + 2β)", limit: limits.nesterov, run: runs.nesterov },
  ];
  // f's eigen-directions: λ = 1 along x (error x + 1), λ = ½ along y (error y).
  const modes = [
    { lambda: 1, error: start.x + 1, name: "x" },
    { lambda: 0.5, error: start.y, name: "y" },
  ];
  const verdict = (limit: number): { text: string; grows: boolean } => {
    const atLimit = (m: (typeof modes)[number]) => Math.abs(learningRate * m.lambda - limit) <= 1e-12 * limit;
    const beyond = (m: (typeof modes)[number]) => !atLimit(m) && learningRate * m.lambda > limit;
    const growing = modes.filter((m) => beyond(m) && m.error !== 0);
    const level = modes.filter((m) => atLimit(m) && m.error !== 0);
    const idle = modes.filter((m) => (beyond(m) || atLimit(m)) && m.error === 0);
    if (growing.length > 0)
      return {
        text: `beyond: the error along ${growing.map((m) => m.name).join(" and ")} grows`,
        grows: true,
      };
    if (level.length > 0)
      return {
        text: `at the limit: the error along ${level.map((m) => m.name).join(" and ")} keeps its size, flipping sign`,
        grows: false,
      };
    if (idle.length > 0)
      return {
        text: `beyond along ${idle.map((m) => m.name).join(" and ")}, but the start has no error there: it converges`,
        grows: false,
      };
    return { text: "inside: it converges", grows: false };
  };
  const table = markdownTable(
    [
      "rule",
      "stable while ηλ <",
      `at β = ${num(momentum)}`,
      `η = ${num(learningRate)} (λmax = 1) is`,
      "the run",
    ],
    rows.map((row) => {
      const { text, grows } = verdict(row.limit);
      const run = describeStop(row.run.stop);
      return [
        row.rule,
        row.formula,
        num(row.limit),
        text,
        grows && row.run.stop.kind !== "diverged"
          ? `${run}, its error growing: not converging (too few steps for the kit's rule to stop it)`
          : run,
      ];
    }),
  );
  const beyondNesterovOnly = learningRate > limits.nesterov * (1 + 1e-12) && learningRate < limits.plain;
  const note = beyondNesterovOnly
    ? `\n\nHere Nesterov's step is past its limit while plain descent's is not: in this form (torch's and TensorFlow's) the look-ahead adds β times the velocity to the gradient step, so the stiff mode's factor is z² − (1 + β)(1 − ηλ)z + β(1 − ηλ), whose root passes −1 at ηλ = 2(1 + β)/(1 + 2β) = ${num(limits.nesterov)}, below 2 for every β > 0.`
    : "";
  return table + note;
}

// ——— Section 2: the theory ———

/** A quadratic problem of the notebook: its Hessian (constant), its optimum and the start. */
export interface LessonProblem {
  name: string;
  hessian: number[][];
  eigen: SymmetricEigen;
  optimum: number[];
  /** The objective at the optimum. */
  optimumValue: number;
  start: number[];
  /** start − optimum. */
  startError: number[];
  evaluate: Evaluate;
  /** The points, for the cubic fits. */
  data?: PolyData;
}

function cubicProblem(name: string, data: PolyData, seed: number): LessonProblem {
  const statistics = sufficientStatistics(data, 3);
  const hessian = sumOfSquaresHessian(data, 3);
  const optimum = statistics.centre!.optimum;
  const start = randomCoefficients(3, seed);
  return {
    name,
    hessian,
    eigen: symmetricEigen(hessian),
    optimum,
    optimumValue: statistics.centre!.sumOfSquaresAtOptimum,
    start,
    startError: start.map((c, i) => c - optimum[i]),
    evaluate: (coefficients) => sumOfSquaresFromStatistics(statistics, coefficients),
    data,
  };
}

/**
 * The notebook's three quadratics: the first article's f(x, y) from the parameters' start, the
 * cubic fit to sin x on [−π, π] (2000 points, the second article's) and on [−4π, 4π], from the
 * seeded start.
 */
export function lessonThreeProblems(options: { x: number; y: number; seed: number }): LessonProblem[] {
  const bowlHessian = [
    [1, 0],
    [0, 0.5],
  ];
  const start = [requireFinite("x", options.x), requireFinite("y", options.y)];
  return [
    {
      name: "f(x, y) of notebook 01",
      hessian: bowlHessian,
      eigen: symmetricEigen(bowlHessian),
      optimum: [-1, 0],
      optimumValue: -2.5,
      start,
      startError: [start[0] + 1, start[1]],
      evaluate: evaluateArticleFunction,
    },
    cubicProblem("cubic on [−π, π]", sineData(), options.seed),
    cubicProblem("cubic on [−4π, 4π]", sineData(2000, -4 * Math.PI, 4 * Math.PI), options.seed),
  ];
}

const startsAtOptimum = (problem: LessonProblem): boolean => problem.startError.every((e) => e === 0);

/** compareRates on each problem, or undefined for a problem that starts at its optimum. */
export function measureRates(
  problems: readonly LessonProblem[],
  accuracy: number,
): (RateMeasurement[] | undefined)[] {
  return problems.map((problem) =>
    startsAtOptimum(problem)
      ? undefined
      : compareRates({
          eigenvalues: problem.eigen.values,
          optimum: problem.optimum,
          start: problem.start,
          evaluate: problem.evaluate,
          accuracy,
          maxIterations: 20_000,
        }),
  );
}

export function theoryTable(problems: readonly LessonProblem[], theories: readonly RateTheory[]): string {
  return markdownTable(
    [
      "problem",
      "λ_min",
      "λ_max",
      "κ",
      "plain: η = 2/(μ+L)",
      "plain: rate",
      "momentum: η",
      "momentum: β",
      "momentum: rate",
    ],
    problems.map((problem, i) => {
      const t = theories[i];
      return [
        problem.name,
        num(t.smallest),
        num(t.largest),
        num(t.conditionNumber),
        num(t.plain.learningRate),
        formatNumber(t.plain.rate, 7),
        num(t.momentum.learningRate),
        num(t.momentum.momentum),
        formatNumber(t.momentum.rate, 7),
      ];
    }),
  );
}

export function measuredRatesTable(
  problems: readonly LessonProblem[],
  measurements: readonly (readonly RateMeasurement[] | undefined)[],
): string {
  return markdownTable(
    [
      "problem",
      "rule",
      "rate ρ",
      "predicted ⌈ln ε / ln ρ⌉",
      "predicted (modes)",
      "measured",
      "error after the run",
      "ρ^steps",
    ],
    problems.flatMap((problem, i) => {
      const measured = measurements[i];
      return measured === undefined
        ? [[problem.name, "—", "—", "—", "—", "the start is the optimum: no error to reduce", "—", "—"]]
        : measured.map((m) => [
            problem.name,
            m.rule,
            formatNumber(m.rate, 7),
            String(m.predicted),
            String(m.predictedByModes),
            m.measured === undefined ? `not within ${m.iterations} steps` : String(m.measured),
            formatNumber(m.finalError, 3),
            formatNumber(m.predictedFinalError, 3),
          ]);
    }),
  );
}

/** How the measured counts compare with the mode recurrence's, and momentum's speed-up per problem. */
export function measuredRatesSummary(
  problems: readonly LessonProblem[],
  theories: readonly RateTheory[],
  measurements: readonly (readonly RateMeasurement[] | undefined)[],
): string {
  const all = measurements.flatMap((m) => m ?? []);
  const reached = all.filter((m) => m.measured !== undefined);
  const within = reached.filter((m) => m.measured! <= m.predictedByModes).length;
  const close = reached.filter((m) => m.measured! >= 0.75 * m.predictedByModes).length;
  const lines = [
    `Runs that reached the accuracy: ${reached.length} of ${all.length}; measured ≤ predicted (modes) on ${within} of them, and at least three quarters of it on ${close}.`,
  ];
  problems.forEach((problem, i) => {
    const measured = measurements[i];
    if (measured === undefined) return;
    const [plain, heavy] = measured;
    const rootKappa = num(Math.sqrt(theories[i].conditionNumber));
    lines.push(
      plain.measured !== undefined && heavy.measured !== undefined && heavy.measured > 0
        ? `${problem.name}: √κ = ${rootKappa}; momentum took ${num(plain.measured / heavy.measured, 3)} times fewer steps than plain descent.`
        : `${problem.name}: √κ = ${rootKappa}; plain descent: ${plain.measured ?? `not within ${plain.iterations}`} steps; momentum: ${heavy.measured ?? `not within ${heavy.iterations}`} steps.`,
    );
  });
  return lines.join("\n");
}

/**
 * Momentum's loss above the optimum rises before it falls: the measured peak, the same from the
 * modes (exact on a quadratic), and the stiff mode's own peak against κ/e².
 */
export function momentumTransientSentence(
  problem: LessonProblem,
  theory: RateTheory,
  measurement: readonly RateMeasurement[] | undefined,
): string {
  if (measurement === undefined) return `${problem.name}: the start is the optimum; momentum stays there.`;
  const run = measurement[1].trajectory;
  const gaps = run.values.map((v) => v - problem.optimumValue);
  const predicted = quadraticGaps({
    eigen: problem.eigen,
    startError: problem.startError,
    learningRate: theory.momentum.learningRate,
    momentum: theory.momentum.momentum,
    steps: gaps.length - 1,
  });
  const shares = modeShares(problem);
  const peakOf = (values: readonly number[]) =>
    values.reduce((best, v, k) => (v > values[best] ? k : best), 0);
  const measured = peakOf(gaps);
  const modes = peakOf(predicted);
  const kappa = theory.conditionNumber;
  const stiff = stiffModePeak(kappa);
  const stiffText =
    stiff.step === 0
      ? `the stiff mode (λmax) alone, started at rest, never rises either: κ/e² = ${num(kappa / Math.E ** 2)}`
      : `the stiff mode (λmax) alone, started at rest, peaks at step ${stiff.step} at ${num(stiff.factor)} times its start (κ/e² = ${num(kappa / Math.E ** 2)})`;
  if (measured === 0) return `${problem.name}: momentum's loss never rises above its start (${stiffText}).`;
  return `${problem.name}: momentum's loss above the optimum peaks at step ${measured}, ${num(gaps[measured] / gaps[0])} times its start; the modes predict step ${modes}, ${num(predicted[modes] / predicted[0])} times. ${stiffText[0].toUpperCase()}${stiffText.slice(1)}; it carries ${num(100 * last(shares), 3)} % of the start's loss above the optimum.`;
}

/** Each eigen-mode's share of the start's loss above the optimum, ½λc² / Σ ½λc², smallest λ first. */
export function modeShares(problem: LessonProblem): number[] {
  const parts = problem.eigen.vectors.map(
    (vector, i) =>
      problem.eigen.values[i] * vector.reduce((sum, v, j) => sum + v * problem.startError[j], 0) ** 2,
  );
  const total = parts.reduce((a, b) => a + b, 0);
  return parts.map((part) => (total > 0 ? part / total : 0));
}

// ——— Newton ———

/** One full Newton step on a quadratic: the error left, relative to the start's. */
export function newtonOneStepSentence(problem: LessonProblem): string {
  if (startsAtOptimum(problem)) return `${problem.name}: the start is the optimum; Newton's step is zero.`;
  const run = gradientDescent({
    start: problem.start,
    evaluate: problem.evaluate,
    rule: newtonStep(() => problem.hessian),
    iterations: 1,
  });
  const error = last(relativeErrors(run, problem.optimum));
  return `${problem.name}: after one Newton step the error is ${formatNumber(error, 3)} of the start's (rounding, which grows with κ).`;
}
/** A 1-D run's path: every point when short, else the first five, an ellipsis and the last. */
function pathText(run: Trajectory): string {
  const xs = run.points.map(([p]) => formatNumber(p, 5));
  return xs.length <= 8 ? xs.join(" → ") : `${xs.slice(0, 5).join(" → ")} → … → ${last(xs)}`;
}

/** A run on h(x) = x⁴ − 3x² + x: where it stopped, and what kind of stationary point that is. */
export function stationaryPointSentence(
  name: string,
  run: Trajectory,
  gradientAt: (x: number) => number,
  curvatureAt: (x: number) => number,
): string {
  const head = `${name}: x = ${pathText(run)}; ${describeStop(run.stop)}`;
  if (run.stop.kind !== "converged") return `${head}.`;
  const [end] = last(run.points);
  const curvature = curvatureAt(end);
  const kind =
    curvature < 0
      ? `a stationary point that is not a minimum: h'' = ${num(curvature)} < 0 there, a local maximum`
      : `a minimum: h'' = ${num(curvature)} > 0 there`;
  return `${head} (|h'| = ${formatNumber(Math.abs(gradientAt(end)), 2)}), at ${kind}.`;
}

// ——— Section 3: the cubic ———

export function cubicRulesTable(runs: readonly Trajectory[], optimumLoss: number): string {
  return markdownTable(
    ["rule", "η", "verdict", "loss at the end", "above the optimum"],
    runs.map((run) => [
      run.rule,
      num(run.learningRate),
      describeStop(run.stop),
      diverged(run) ? "—" : formatNumber(last(run.values), 8),
      diverged(run) ? "—" : formatNumber(last(run.values) - optimumLoss, 3),
    ]),
  );
}

/**
 * What 2/(μ + L) is best for: the worst factor over all directions, not the loss after a given
 * number of steps (which the modes give exactly for every η).
 */
export function bestStepSentence(options: {
  problem: LessonProblem;
  theory: RateTheory;
  steps: number;
  /** The runs at the article's η and at 2/(μ + L), for the like-with-like comparison. */
  articleRun: Trajectory;
  bestRun: Trajectory;
}): string {
  const { problem, theory, steps, articleRun, bestRun } = options;
  const eta = theory.plain.learningRate;
  const sentences = [
    `2/(μ + L) = ${num(eta)} minimises the worst factor max |1 − ηλ| = ${formatNumber(theory.plain.rate, 7)} over all directions, which decides the long run. It does not minimise the loss after a given number of steps: the loss weighs each direction by its eigenvalue and by the start's share in it.`,
  ];
  if (!startsAtOptimum(problem)) {
    const horizon = bestPlainStepForHorizon({ eigen: problem.eigen, startError: problem.startError, steps });
    const atBest = last(
      quadraticGaps({ eigen: problem.eigen, startError: problem.startError, learningRate: eta, steps }),
    );
    const relative = horizon.learningRate / eta - 1;
    const direction =
      Math.abs(relative) < 1e-4
        ? "practically 2/(μ + L) itself"
        : `${num(Math.abs(relative) * 100, 2)} % ${relative < 0 ? "smaller" : "larger"} than 2/(μ + L)`;
    sentences.push(
      `After ${steps} steps the lowest loss, from the modes, is at η = ${num(horizon.learningRate)} (${direction}): ${formatNumber(horizon.gap, 3)} above the optimum, against ${formatNumber(atBest, 3)} at 2/(μ + L).`,
    );
  }
  if (!diverged(articleRun) && !diverged(bestRun)) {
    const articleGap = last(articleRun.values) - problem.optimumValue;
    const bestGap = last(bestRun.values) - problem.optimumValue;
    // Only a difference above rounding (the gaps of converged runs are rounding noise) is a verdict.
    if (bestGap - articleGap > 1e-9 * Math.max(1, Math.abs(problem.optimumValue))) {
      sentences.push(
        `Here even the article's η = ${num(articleRun.learningRate)} ends lower than 2/(μ + L) (${formatNumber(articleGap, 3)} against ${formatNumber(bestGap, 3)} above the optimum): its small steps remove the stiff direction's share of the loss first.`,
      );
    }
  }
  return sentences.join(" ");
}

/** Under the momentum explorer: where it opens, and plain descent's best for comparison. */
export function momentumExplorerNote(
  theory: RateTheory,
  measurement: readonly RateMeasurement[] | undefined,
  accuracy: number,
): string {
  const counts =
    measurement === undefined
      ? ""
      : ` In section 2's table, to cut the error to ${formatNumber(accuracy)} of the start's, plain descent took ${measurement[0].measured ?? `more than ${measurement[0].iterations}`} steps and momentum ${measurement[1].measured ?? `more than ${measurement[1].iterations}`} (√κ = ${num(Math.sqrt(theory.conditionNumber))}).`;
  return `The explorer opens on heavy ball's critical damping for this cubic, η = ${num(theory.momentum.learningRate)} and β = ${num(theory.momentum.momentum)}. For plain descent's best, drag β to 0 and η to 2/(μ + L) = ${num(theory.plain.learningRate)}, just left of the 2/λmax mark: the loss falls about √κ times slower.${counts}`;
}

/** Nesterov's textbook settings: those of its guarantee, not the fastest here; and heavy ball's η on it. */
export function nesterovSentence(options: {
  theory: RateTheory;
  eigenvalues: readonly number[];
  /** Nesterov with heavy ball's η and β. */
  tooFast: Trajectory;
}): string {
  const { theory, eigenvalues, tooFast } = options;
  const rootKappa = Math.sqrt(theory.conditionNumber);
  const beta = (rootKappa - 1) / (rootKappa + 1);
  const rate = nesterovRate(eigenvalues, 1 / theory.largest, beta);
  const heavyEta = theory.momentum.learningRate;
  const heavyBeta = theory.momentum.momentum;
  const limit = stabilityLimits(heavyBeta).nesterov;
  const h = heavyEta * theory.largest;
  return (
    `Nesterov's η = 1/L, β = (√κ − 1)/(√κ + 1) = ${num(beta)} are the settings of its guarantee for every smooth, strongly convex function (the error shrinks at least like (1 − 1/√κ)^k, 1 − 1/√κ = ${formatNumber(1 - 1 / rootKappa, 7)}), not the fastest settings on this quadratic: their rate, from the roots of z² − (1 + β)(1 − ηλ)z + β(1 − ηλ), is ${formatNumber(rate, 7)} against heavy ball's ${formatNumber(theory.momentum.rate, 7)} at critical damping. ` +
    `With heavy ball's η = ${num(heavyEta)} and β = ${num(heavyBeta)}, Nesterov's ηλmax = ${num(h)} is ${h < limit ? "inside" : "beyond"} its limit 2(1 + β)/(1 + 2β) = ${num(limit)}: ${describeStop(tooFast.stop)}${
      h >= limit && tooFast.stop.kind !== "diverged"
        ? " (its stiff mode grows at every step, but too few steps ran for the kit's rule to stop it)"
        : ""
    }.`
  );
}

// ——— Section 5: minibatch SGD ———

export function sgdBatchesTable(runs: readonly MinibatchRun[], optimumLoss: number): string {
  return markdownTable(
    [
      "batch size",
      "steps per epoch",
      "steps",
      "gradient evaluations",
      "verdict",
      "loss at the end",
      "above the optimum",
    ],
    runs.map((run) => {
      const values = run.trajectory.values;
      return [
        String(run.batchSize),
        String(run.stepsPerEpoch),
        String(values.length - 1),
        String(last(run.gradientEvaluations)),
        describeStop(run.trajectory.stop),
        diverged(run.trajectory) ? "—" : formatNumber(last(values), 6),
        diverged(run.trajectory) ? "—" : formatNumber(last(values) - optimumLoss, 3),
      ];
    }),
  );
}

/** The largest loss above the optimum over a run's last epoch. */
export function lastEpochWorst(run: MinibatchRun, optimumLoss: number): number {
  return extent(run.trajectory.values.slice(-run.stepsPerEpoch)).max - optimumLoss;
}

/** The per-point stability limit at the notebook's SGD learning rate. */
export function singlePointSentence(
  stability: SinglePointStability,
  learningRate: number,
  points: number,
): string {
  const head = `At η = ${num(learningRate)} a step on one point alone multiplies that point's residual by 1 − 2nη‖φ(x)‖² (n = ${points}: the batch's gradient is scaled by n/|batch|), which is ${num(stability.worstFactor)} at x = ${num(stability.worstX)}.`;
  const below =
    stability.unstableShare > 0
      ? ` For ${num(100 * stability.unstableShare, 3)} % of the points, those with |x| ≥ ${num(stability.smallestUnstableX!)}, the factor is below −1: a step on one of them overshoots its own fit and leaves its residual larger, with the sign flipped.`
      : " No point's factor is below −1: every single-point step is stable.";
  return `${head}${below} Every single-point step is stable below η = 1/(n · max ‖φ(x)‖²) = ${num(stability.limit)}; below it every minibatch step is stable on its own points too.`;
}

/**
 * Constant η, a constant η inside the per-point limit, and the decaying η: the last epoch's worst
 * loss of each, and how much of the decay's gain the limit alone accounts for. No comparison is
 * drawn with a run that diverged.
 */
export function sgdDecaySentences(options: {
  constant: MinibatchRun;
  stable: MinibatchRun;
  decayed: MinibatchRun;
  stability: SinglePointStability;
  learningRate: number;
  decaySteps: number;
  optimumLoss: number;
}): string {
  const { constant, stable, decayed, stability, learningRate, decaySteps, optimumLoss } = options;
  // The limit is about single points: it speaks of batch size 1 only, and of a rate beyond it.
  const singlePoints = constant.batchSize === 1 && learningRate > stability.limit;
  const runs = singlePoints ? [constant, stable, decayed] : [constant, decayed];
  const lines = runs.map((run) => {
    if (diverged(run.trajectory))
      return `* batch ${run.batchSize}, ${run.trajectory.rule}: ${describeStop(run.trajectory.stop)}.`;
    const lastEpoch = extent(run.trajectory.values.slice(-run.stepsPerEpoch));
    return `* batch ${run.batchSize}, ${run.trajectory.rule}, η = ${num(run.trajectory.learningRate)}: over the last epoch the loss is ${formatNumber(lastEpoch.min - optimumLoss, 3)} to ${formatNumber(lastEpoch.max - optimumLoss, 3)} above the optimum.`;
  });
  if (constant.batchSize !== 1) {
    lines.push(
      `* At batch size ${constant.batchSize} no step is a single point's: each averages ${constant.batchSize} points' pulls, so the per-point limit does not decide here.`,
    );
  } else if (singlePoints) {
    const crossing = decaySteps * (learningRate / stability.limit - 1);
    const epochs = crossing / decayed.stepsPerEpoch;
    const ranEpochs = (decayed.trajectory.points.length - 1) / decayed.stepsPerEpoch;
    lines.push(
      epochs <= ranEpochs
        ? `* The decaying rate falls below the per-point limit after ${num(epochs, 3)} epochs; from then on no single-point step overshoots.`
        : diverged(decayed.trajectory)
          ? `* The decaying run diverged before its rate fell below the per-point limit (after ${num(epochs, 3)} epochs it would have).`
          : `* The decaying rate stays above the per-point limit for the whole run (it would cross it after ${num(epochs, 3)} epochs).`,
    );
  } else {
    lines.push(
      `* η = ${num(learningRate)} is already inside the per-point limit ${num(stability.limit)}: no single-point step overshoots.`,
    );
  }
  if (runs.some((run) => diverged(run.trajectory))) {
    lines.push(`* A run diverged, so these runs are not compared.`);
    return lines.join("\n");
  }
  const worst = runs.map((run) => lastEpochWorst(run, optimumLoss));
  const constantWorst = lastEpochWorst(constant, optimumLoss);
  const stableWorst = lastEpochWorst(stable, optimumLoss);
  const decayedWorst = lastEpochWorst(decayed, optimumLoss);
  if (!worst.every((w) => w > 0)) {
    lines.push(`* A run's last epoch reached the optimum to rounding, so the worst losses are not compared.`);
    return lines.join("\n");
  }
  const decayGain = constantWorst / decayedWorst;
  const limitGain = constantWorst / stableWorst;
  if (decayGain <= 1) {
    lines.push(
      `* Here the decaying rate does not lower the last epoch's worst loss (${formatNumber(decayedWorst, 3)} against ${formatNumber(constantWorst, 3)}): with these settings it slows the approach more than it removes overshoot and noise.`,
    );
  } else if (!singlePoints) {
    lines.push(`* The decaying rate lowers the last epoch's worst loss ${num(decayGain, 3)}-fold.`);
  } else {
    lines.push(
      `* The decaying rate lowers the last epoch's worst loss ${num(decayGain, 3)}-fold. A constant η = ${num(stable.trajectory.learningRate)}, inside the per-point limit, lowers it ${num(limitGain, 3)}-fold: ${
        limitGain >= decayGain
          ? "at least the whole of the decay's gain comes from crossing that limit."
          : limitGain > 1
            ? `${num((100 * Math.log(limitGain)) / Math.log(decayGain), 3)} % of the decay's gain on a log scale comes from crossing that limit; the remaining ${num(decayGain / limitGain, 3)}-fold is the decay's averaging of the noise.`
            : "crossing the limit alone does not help here; the decay's gain is its averaging of the noise."
      }`,
    );
  }
  return lines.join("\n");
}

// ——— Section 6: TensorFlow.js ———

export interface FrameworkRow {
  optimizer: string;
  kit: Trajectory;
  kitMilliseconds: number;
  framework: {
    points: number[][];
    values: number[];
    stop: { kind: string; iteration?: number };
    milliseconds: number;
  };
  difference: number;
}

export function frameworkTable(rows: readonly FrameworkRow[]): string {
  return markdownTable(
    [
      "optimizer",
      "kit: verdict",
      "TensorFlow.js: steps",
      "largest difference of the iterates",
      "kit: loss at the end",
      "TensorFlow.js: loss at the end",
      "kit: time",
      "TensorFlow.js: time",
    ],
    rows.map((row) => [
      row.optimizer,
      describeStop(row.kit.stop),
      row.framework.stop.kind === "diverged"
        ? `stopped at step ${row.framework.stop.iteration}: not a finite number`
        : String(row.framework.points.length - 1),
      formatNumber(row.difference, 2),
      formatNumber(last(row.kit.values), 7),
      formatNumber(last(row.framework.values), 7),
      `${formatNumber(row.kitMilliseconds, 3)} ms`,
      `${formatNumber(row.framework.milliseconds, 3)} ms`,
    ]),
  );
}

// ——— Exercises ———

/** Exercise 1's answer: the best β for a given η in closed form, against the grid's. */
export function exerciseOneAnswer(
  eigenvalues: readonly number[],
  learningRate: number,
  gridBest: number,
): string {
  const best = bestMomentumForStep(eigenvalues, learningRate);
  const [first, second] = eigenvalues;
  const order = best.complexFrom[1] < best.complexFrom[0] ? [1, 0] : [0, 1];
  const plain = extent(eigenvalues.map((lambda) => Math.abs(1 - learningRate * lambda))).max;
  return foldedAnswer(
    [
      `Along eigenvalue λ the roots of $z^2 - (1 + \\beta - \\eta\\lambda) z + \\beta = 0$ are complex, with $|z| = \\sqrt\\beta$, once $(1 + \\beta - \\eta\\lambda)^2 < 4\\beta$, that is for $\\beta > (1 - \\sqrt{\\eta\\lambda})^2$; below that the larger real root exceeds $\\sqrt\\beta$ (the two roots multiply to $\\beta$). With $\\eta$ = ${num(learningRate)}: λ = ${num(eigenvalues[order[0]])}'s roots turn complex first, at β = ${num(best.complexFrom[order[0]])}; λ = ${num(eigenvalues[order[1]])}'s at β = ${num(best.complexFrom[order[1]])}.`,
      `So the rate falls until the last mode turns complex and then rises as $\\sqrt\\beta$: the best β for this η is exactly $\\beta^* = \\max_\\lambda (1 - \\sqrt{\\eta\\lambda})^2$ = ${formatNumber(best.momentum, 10)}, with rate $\\sqrt{\\beta^*} = \\max_\\lambda |1 - \\sqrt{\\eta\\lambda}|$ = ${formatNumber(best.rate, 10)} per step (the grid's best, ${gridBest}, is a grid point near it: β* itself is not on the grid; plain descent: ${num(plain)}; λ = ${num(first)} and ${num(second)}).`,
      `This optimises β for the given η only. Optimising η too makes both modes turn complex at the same β: η = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))², the theory table's first row.`,
    ].join("\n\n"),
  );
}

/** Exercise 3's answer: Adam's per-step move against its bound, and what diagonal scaling can do. */
export function exerciseThreeAnswer(options: {
  runs: readonly Trajectory[];
  problem: LessonProblem;
  theory: RateTheory;
  beta1?: number;
  beta2?: number;
}): string {
  const { runs, problem, theory } = options;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const bound = (1 - beta1) / Math.sqrt(1 - beta2);
  let largest = 0;
  for (const run of runs) {
    for (let k = 1; k < run.points.length; k++) {
      for (let i = 0; i < run.points[k].length; i++) {
        largest = Math.max(largest, Math.abs(run.points[k][i] - run.points[k - 1][i]) / run.learningRate);
      }
    }
  }
  const slowest = runs.reduce((a, b) => (a.learningRate < b.learningRate ? a : b));
  const distance = extent(problem.startError.map(Math.abs)).max;
  const scaled = unitDiagonalConditionNumber(problem.hessian);
  return foldedAnswer(
    [
      `Adam's step per coordinate is η times the running mean of the gradient over the root of the running mean of its square, so its size is set by η, not by the gradient's: about η while the gradient keeps its sign, and by Kingma and Ba's bound at most about η(1 − β₁)/√(1 − β₂) = ${num(bound, 3)}η (β₁ = ${beta1}, β₂ = ${beta2}), reached when a large gradient follows a long run of small ones. Over these runs the largest move of a coefficient in one step was ${num(largest, 3)}η.`,
      `The farthest coefficient is ${num(distance, 3)} from the optimum: moving at most ${num(largest, 3)}η per step, at η = ${num(slowest.learningRate)} it needs at least ${Math.ceil(distance / (largest * slowest.learningRate))} steps, however steep the loss.`,
      `Adam rescales each coordinate: that undoes badly scaled coordinates, but not the correlation between the columns $1, x, x^2, x^3$. Scaling every coefficient to unit curvature, the best a diagonal scaling does here, leaves κ = ${num(scaled)} of the cubic's ${num(theory.conditionNumber)}. Adam's η is a distance in parameter space, to be chosen for the problem.`,
    ].join("\n\n"),
  );
}
