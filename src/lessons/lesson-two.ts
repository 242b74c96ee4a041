/**
 * The sentences notebook 02 states about its computed results, as pure functions of what the
 * notebook computed: each returns markdown whose numbers are computed here, so that an answer
 * stays true when a student changes the learning rate, the iterations, the seed or the degree.
 */
import type { Trajectory } from "../descent/loop";
import { describeStop } from "../descent/loop";
import { predictQuadraticDescent, type Stability } from "../analysis/hessian";
import { coefficientNames } from "../problems/cubic-fit/polynomial";
import { type FitResult } from "../problems/cubic-fit/fit";
import { evaluatePolynomial, type PolyData } from "../problems/cubic-fit/polynomial";
import { extent, requireInteger, requirePositive } from "../descent/validate";
import { listInWords, num } from "./format";

/** The notebook's cap on iterations: a dozen fits of this length run in every pass. */
export const LESSON_TWO_MAX_ITERATIONS = 20_000;
/** The notebook's highest degree (its Hessian is still positive definite in float64). */
export const LESSON_TWO_MAX_DEGREE = 12;

/** The largest seed: the notebook also draws with seed + 1 and seed + 2, which must stay valid seeds. */
export const LESSON_TWO_MAX_SEED = 1_000_000_000;

export interface LessonTwoParameters {
  learningRate: number;
  iterations: number;
  seed: number;
  degree: number;
}

/** The parameters cell's check: one RangeError or TypeError naming the parameter and its value. */
export function checkLessonTwoParameters(parameters: LessonTwoParameters): void {
  requirePositive("learningRate", parameters.learningRate);
  requireInteger("iterations", parameters.iterations, 0, LESSON_TWO_MAX_ITERATIONS);
  requireInteger("seed", parameters.seed, 0, LESSON_TWO_MAX_SEED);
  requireInteger("degree", parameters.degree, 0, LESSON_TWO_MAX_DEGREE);
}

/** How often the loop prints: every 100 iterations as the article, at most 20 lines. */
export function progressEvery(iterations: number): number {
  return Math.max(100, Math.ceil(iterations / 20 / 100) * 100);
}

/** Largest |c_k| over the even k: zero up to rounding for an odd target on symmetric points. */
export function largestEvenCoefficient(coefficients: readonly number[]): number {
  return Math.max(0, extent(coefficients.filter((_, k) => k % 2 === 0).map(Math.abs)).max);
}

/** The Taylor coefficient of x^k in sin x: (−1)^((k−1)/2) / k! for odd k, 0 for even k. */
export function sineTaylorCoefficient(k: number): number {
  if (k % 2 === 0) return 0;
  let factorial = 1;
  for (let i = 2; i <= k; i++) factorial *= i;
  return (k % 4 === 1 ? 1 : -1) / factorial;
}

/** Step 7's remarks on the least-squares optimum of the parameters' degree. */
export function optimumRemarks(
  optimum: { coefficients: number[]; loss: number },
  pointCount: number,
): string {
  const names = coefficientNames(optimum.coefficients.length);
  const even = largestEvenCoefficient(optimum.coefficients);
  const odd = optimum.coefficients
    .map((c, k) => ({ c, k }))
    .filter(({ k }) => k % 2 === 1)
    .map(({ c, k }) => `${names[k]} = ${num(c)} (Taylor: ${num(sineTaylorCoefficient(k))})`);
  const rms = Math.sqrt(optimum.loss / pointCount);
  return [
    `* The coefficients of the even powers are zero up to rounding (the largest is ${num(even, 2)} in size): $\\sin$ is an **odd** function and the sample points are symmetric about 0, so even powers cannot help.`,
    odd.length === 0
      ? `* Degree 0 has no odd power: the best constant is the mean of the sines, 0.`
      : `* The odd coefficients are not the Taylor coefficients of $\\sin x = x - x^3/6 + \\dots$: ${listInWords(odd)}. Taylor's polynomial is perfect near 0 and poor at $\\pm\\pi$; least squares spreads the error over the interval.`,
    `* The loss ${num(optimum.loss)} over ${pointCount} points is a root-mean-square error of $\\sqrt{${num(optimum.loss)}/${pointCount}} = ${num(rms)}$: the best any polynomial of this degree can do here, **whatever the optimizer**.`,
  ].join("\n");
}

/** After the fit: how close it got. */
export function descentVersusOptimum(fit: FitResult, optimumLoss: number): string {
  const stop = fit.trajectory.stop;
  if (stop.kind === "diverged") {
    return `The descent ${describeStop(stop)}; its coefficients mean nothing. The optimum's loss is ${num(optimumLoss)}.`;
  }
  const steps = fit.trajectory.points.length - 1;
  return `After ${steps} steps the descent's loss is ${num(fit.loss, 6)}, against ${num(optimumLoss, 6)} for the optimum: a gap of ${num(fit.loss - optimumLoss, 3)}.`;
}

/** How the first step compares with the learning rate: the step is η times the gradient, not η. */
export function firstStepSentence(
  start: readonly number[],
  gradient: readonly number[],
  learningRate: number,
): string {
  const names = coefficientNames(start.length);
  const moves = gradient.map((g) => Math.abs(learningRate * g));
  const largest = moves.indexOf(extent(moves).max);
  const length = learningRate * Math.hypot(...gradient);
  return `With $\\eta$ = ${num(learningRate)}, the first step moves ${names[largest]} by ${num(moves[largest], 3)} and the coefficients as a whole by ${num(length, 3)}: the step is $\\eta$ times the gradient (here of length ${num(Math.hypot(...gradient), 3)}), not $\\eta$ itself.`;
}

/** The slowest factor per step of the error, max |1 − ηλ|, for a stable learning rate. */
export function slowestFactor(stability: Stability, learningRate: number): number {
  return extent(stability.eigenvalues.map((lambda) => Math.abs(1 - learningRate * lambda))).max;
}

/**
 * The measured factor by which the loss's gap to the optimum shrank per step over the second half
 * of a run, or undefined when the gap is at rounding level (or the run is too short).
 */
export function measuredGapFactor(
  values: readonly number[],
  optimumLoss: number,
): { factor: number; from: number; to: number } | undefined {
  // Well above rounding: the gap of a loss near L* is lost below about 1e-12 L*.
  const floor = 1e-9 * Math.max(1, Math.abs(optimumLoss));
  let last = values.length - 1;
  while (last > 0 && !(values[last] - optimumLoss > floor)) last--;
  const first = Math.floor(last / 2);
  if (last - first < 10) return undefined;
  const gapFirst = values[first] - optimumLoss;
  const gapLast = values[last] - optimumLoss;
  if (!(gapFirst > floor && gapLast > floor)) return undefined;
  return { factor: (gapLast / gapFirst) ** (1 / (last - first)), from: first, to: last };
}

/** Whether two per-step factors in (0, 1) decay at the same rate, within 5 % of their logarithms. */
export function sameRate(measured: number, predicted: number): boolean {
  if (!(measured > 0 && predicted > 0 && predicted < 1)) return false;
  return Math.abs(Math.log(measured) - Math.log(predicted)) <= 0.05 * Math.abs(Math.log(predicted));
}

/**
 * Exercises 2 and 4: the gap shrinks by the square of the slowest factor, since the loss is
 * quadratic in the error. The measured factor is called ρ² (or ρ) only when it is that, within 5 %
 * of its logarithm; a faster measured decay is explained (a weighted mean of the modes' factors
 * ρ_i² can only be below the slowest one, ρ²); an unstable η gets no rate at all.
 */
export function gapRateSentence(trajectory: Trajectory, optimumLoss: number, stability: Stability): string {
  if (trajectory.stop.kind === "diverged") {
    return `The run ${describeStop(trajectory.stop)}: there is no rate of convergence to measure.`;
  }
  const eta = trajectory.learningRate;
  const rho = slowestFactor(stability, eta);
  if (!(rho < 1)) {
    return `At $\\eta$ = ${num(eta)} the slowest factor $\\rho = \\max |1 - \\eta\\lambda| = ${num(rho, 6)}$ is not below 1: the error along the steepest eigenvector does not shrink, and the run converges to nothing.`;
  }
  const measured = measuredGapFactor(trajectory.values, optimumLoss);
  const theory = `The error along each eigenvector of the Hessian shrinks by $|1 - \\eta\\lambda|$ per step, the slowest by $\\rho = \\max |1 - \\eta\\lambda| = ${num(rho, 6)}$. The loss's gap to the optimum is **quadratic** in the error, so it shrinks by $\\rho^2 = ${num(rho * rho, 6)}$ per step in the long run.`;
  if (measured === undefined) {
    return `${theory} This run is too short, or its gap too close to rounding, to measure a rate.`;
  }
  const { factor, from, to } = measured;
  const verdict = sameRate(factor, rho * rho)
    ? `which is $\\rho^2$, not $\\rho$`
    : sameRate(factor, rho)
      ? `which is $\\rho$, not $\\rho^2$`
      : factor < rho * rho
        ? `faster than $\\rho^2$, so neither $\\rho^2$ nor $\\rho$: over these steps faster directions still hold part of the gap (the gap is a sum over the directions, each shrinking by its own $(1 - \\eta\\lambda)^2 \\le \\rho^2$), and the rate approaches $\\rho^2$ only once they have died out`
        : `neither $\\rho^2$ nor $\\rho$: slower than the slowest direction allows, which only rounding can do — the gap is near the limits of float64`;
  return `${theory} Measured over steps ${from}–${to}: the gap shrank by ${num(factor, 6)} per step, ${verdict}.`;
}

/** Exercise 2's answer: the loss after each number of iterations, then the rate. */
export function iterationsAnswer(
  runs: readonly { label: string; trajectory: Trajectory }[],
  optimumLoss: number,
  stability: Stability,
): string {
  const losses = runs.map(
    (run) =>
      `${run.label}: ${run.trajectory.stop.kind === "diverged" ? describeStop(run.trajectory.stop) : `loss ${num(run.trajectory.values[run.trajectory.values.length - 1], 6)}`}`,
  );
  const longest = runs[runs.length - 1].trajectory;
  const stable = longest.learningRate < stability.largestStableLearningRate;
  const moral = stable
    ? " Below $2/\\lambda_\\text{max}$ every step lowers the loss, so more iterations never hurt; they only cost time."
    : ` At this learning rate, above $2/\\lambda_\\text{max}$ = ${num(stability.largestStableLearningRate)}, more iterations only take the run further from the optimum.`;
  return `${listInWords(losses)} (the optimum: ${num(optimumLoss, 6)}). ${gapRateSentence(longest, optimumLoss, stability)}${moral}`;
}

/** The gap's part along each eigenvector after k steps: ½ λ e_i² (the loss is L* + ½ eᵀHe). */
export function gapByMode(
  hessian: readonly (readonly number[])[],
  optimum: readonly number[],
  start: readonly number[],
  learningRate: number,
  iterations: number,
): { eigenvalue: number; factor: number; gap: number }[] {
  return predictQuadraticDescent(hessian, optimum, start, learningRate, iterations).modes.map((mode) => ({
    eigenvalue: mode.eigenvalue,
    factor: mode.factor,
    gap: 0.5 * mode.eigenvalue * mode.end ** 2,
  }));
}

/** Exercise 1's answer: faster below the limit, the article's "Yes!" refuted, and why 2/(λmin + λmax) is not the fastest here. */
export function learningRatesAnswer(options: {
  runs: readonly { trajectory: Trajectory }[];
  hessian: readonly (readonly number[])[];
  stability: Stability;
  optimum: readonly number[];
  start: readonly number[];
  iterations: number;
  articleLearningRate: number;
}): string {
  const { runs, hessian, stability, optimum, start, iterations } = options;
  const finalLoss = (t: Trajectory) => t.values[t.values.length - 1];
  const byRate = (rate: number) => runs.find((run) => run.trajectory.learningRate === rate)?.trajectory;
  const small = byRate(options.articleLearningRate / 10);
  const article = byRate(options.articleLearningRate);
  const parts: string[] = [];
  const bound = stability.largestStableLearningRate;
  parts.push(
    `Up to $2/(\\lambda_\\text{min} + \\lambda_\\text{max})$ a larger learning rate shrinks the slowest direction faster; above the limit $2/\\lambda_\\text{max}$ = ${num(bound)} the run diverges.`,
  );
  if (
    small &&
    article &&
    small.stop.kind !== "diverged" &&
    article.stop.kind !== "diverged" &&
    iterations > 0
  ) {
    const higher = finalLoss(small) > finalLoss(article);
    parts.push(
      higher
        ? `The article says a much smaller learning rate gives a better result ("Yes!"). Not on this loss: after ${iterations} steps $\\eta$ = ${num(options.articleLearningRate / 10)} ends at a loss of ${num(finalLoss(small))}, higher than ${num(finalLoss(article))} at $\\eta$ = ${num(options.articleLearningRate)}. A smaller step follows the gradient more faithfully, but on a quadratic bowl every step below $2/\\lambda_\\text{max}$ already goes downhill; a smaller one only covers less ground.`
        : `The article says a much smaller learning rate gives a better result ("Yes!"). Here, after ${iterations} steps, $\\eta$ = ${num(options.articleLearningRate / 10)} ends at a loss of ${num(finalLoss(small))}, not higher than ${num(finalLoss(article))} at $\\eta$ = ${num(options.articleLearningRate)}: with these settings the article's rate is close enough to $2/\\lambda_\\text{max}$ = ${num(bound)} that its steepest direction shrinks slowly too.`,
    );
  }
  if (iterations === 0) {
    parts.push(`With 0 iterations no learning rate has moved the start.`);
    return parts.join(" ");
  }
  const best = stability.bestLearningRate;
  const nearLimit = 0.99 * bound;
  const gapsBest = gapByMode(hessian, optimum, start, best, iterations);
  const gapsNear = gapByMode(hessian, optimum, start, nearLimit, iterations);
  const total = (gaps: { gap: number }[]) => gaps.reduce((sum, g) => sum + g.gap, 0);
  const steepBest = gapsBest[gapsBest.length - 1];
  const steepNear = gapsNear[gapsNear.length - 1];
  const flatBest = gapsBest[0];
  const flatNear = gapsNear[0];
  if (stability.conditionNumber <= 1 + 1e-12) {
    parts.push(
      `With a single eigenvalue, $2/(\\lambda_\\text{min} + \\lambda_\\text{max}) = 1/\\lambda$ makes the factor $1 - \\eta\\lambda$ zero: it lands on the optimum in one step, the fastest possible.`,
    );
    return parts.join(" ");
  }
  const bestIsFaster = total(gapsBest) < total(gapsNear);
  // "Almost the same" only when the two flat factors' distances to 1 differ by under 5 %.
  const flatAlike =
    Math.abs(1 - Math.abs(flatNear.factor) - (1 - Math.abs(flatBest.factor))) <=
    0.05 * (1 - Math.abs(flatBest.factor));
  const steepStartsSmall = gapsBest.length > 1 && steepBest.gap <= flatBest.gap;
  parts.push(
    `**Why $2/(\\lambda_\\text{min} + \\lambda_\\text{max})$ = ${num(best)} is the best only in the worst case.** It is the rate that makes the slowest and the steepest direction shrink equally, $|1 - \\eta\\lambda_\\text{min}| = |1 - \\eta\\lambda_\\text{max}| = ${num(Math.abs(flatBest.factor), 6)}$: it minimises the worst factor, not the loss after a given number of steps. The loss weighs each direction's error by its eigenvalue ($L - L^\\ast = \\tfrac12 \\sum_i \\lambda_i e_i^2$), so the steep direction, left to shrink as slowly as the flat one, keeps ${num(steepBest.gap, 3)} of the gap after ${iterations} steps (the flat one ${num(flatBest.gap, 3)}; total ${num(total(gapsBest), 3)}). At $0.99 \\times 2/\\lambda_\\text{max}$ = ${num(nearLimit)} the flat direction's factor is ${num(Math.abs(flatNear.factor), 6)}${flatAlike ? ", almost the same," : ""} while the steep one's is ${num(Math.abs(steepNear.factor), 6)}: its part of the gap ${steepNear.gap < steepBest.gap ? "falls" : "comes"} to ${num(steepNear.gap, 3)} (total ${num(total(gapsNear), 3)}). ${bestIsFaster ? `From this start the balanced rate still ends lower${steepStartsSmall ? ": at the balanced rate the steep direction holds the smaller part of the gap" : ""}.` : `So for this start the rate just below the limit ends lower.`} (Closed form from the eigendecomposition; the table above ran the loops.)`,
  );
  return parts.join(" ");
}

/** The largest |p(x) − sin x| of a fit, inside |x| < 2.5 and outside. */
export function errorsInsideAndOutside(coefficients: readonly number[], data: PolyData, cut = 2.5) {
  const prediction = evaluatePolynomial(coefficients, data.x);
  let inside = 0;
  let outside = 0;
  data.x.forEach((x, i) => {
    const error = Math.abs(prediction[i] - data.y[i]);
    if (Math.abs(x) < cut) inside = Math.max(inside, error);
    else outside = Math.max(outside, error);
  });
  return { inside, outside };
}

/** The gradient's length at the start, half-way and at the end, its range over the second half, and its rises there. */
export function gradientSizes(trajectory: Trajectory) {
  const norms = trajectory.gradientNorms;
  const n = norms.length - 1;
  const half = Math.floor(n / 2);
  const second = norms.slice(half);
  return {
    start: norms[0],
    middle: norms[half],
    end: norms[n],
    low: extent(second).min,
    high: extent(second).max,
    rises: second.filter((g, k) => k > 0 && g > second[k - 1]).length,
    steps: second.length - 1,
  };
}

/**
 * Exercise 3: does each loss's gradient shrink near the fit? Huber's does (it is the residual
 * wherever |r| ≤ δ); the absolute loss's does not (each point gives ±x^k whatever its residual),
 * and whether its loss bounces depends on the learning rate — each read off the runs.
 */
export function gradientSizesSentence(options: {
  absolute: FitResult;
  huber: FitResult;
  data: PolyData;
}): string {
  const { absolute, huber, data } = options;
  const parts: string[] = [];
  const three = (g: ReturnType<typeof gradientSizes>) =>
    `${num(g.start, 3)} at the start, ${num(g.middle, 3)} half-way, ${num(g.end, 3)} at the end`;
  if (huber.trajectory.stop.kind !== "diverged" && huber.trajectory.points.length > 2) {
    const g = gradientSizes(huber.trajectory);
    const prediction = evaluatePolynomial(huber.coefficients, data.x);
    const largest = extent(prediction.map((p, i) => Math.abs(p - data.y[i]))).max;
    const shrinks = g.end < g.middle && g.middle < g.start;
    parts.push(
      `**Huber's gradient ${shrinks ? "shrinks" : "does not shrink steadily"}** (its length: ${three(g)}).` +
        (largest <= 1
          ? ` At the end every residual is within $\\delta = 1$ (the largest is ${num(largest, 3)}), where $\\partial L / \\partial r_i = r_i$: there Huber is half the sum of squares, and its gradient shrinks with the residuals as the sum of squares' does.`
          : ` At the end some residuals are still beyond $\\delta = 1$ (the largest is ${num(largest, 3)}), where its $\\partial L / \\partial r_i$ is clipped to $\\pm 1$.`),
    );
  }
  if (absolute.trajectory.stop.kind !== "diverged" && absolute.trajectory.points.length > 2) {
    const g = gradientSizes(absolute.trajectory);
    const values = absolute.trajectory.values;
    const lossRises = values.filter((v, k) => k > 0 && v > values[k - 1]).length;
    const steady = g.end < g.middle && g.middle < g.start && g.rises <= 0.1 * g.steps;
    const flat = g.high <= 1.01 * g.low;
    const course = steady
      ? `at this learning rate its length still falls steadily: ${three(g)}`
      : flat
        ? `its length: ${three(g)}; over the second half it stays at about ${num(g.low, 3)}`
        : `its length: ${three(g)}; over the second half it jumps between ${num(g.low, 3)} and ${num(g.high, 3)}, rising on ${g.rises} of ${g.steps} steps`;
    parts.push(
      `**The sum of absolute errors** gives every point a term $\\operatorname{sign}(r_i)\\,x_i^k$ of full size, however small its residual: the terms can cancel, but the gradient does not shrink with the residuals as the sum of squares' does. Here ${course}.` +
        (lossRises > 0
          ? ` With a fixed step, the run overshoots back and forth across the kinks of $|r|$: its loss rose on ${lossRises} of the ${values.length - 1} steps.`
          : ` At this learning rate its loss still fell on every step: the run has not come close enough to the fit for its fixed-size steps to overshoot.`),
    );
  }
  return parts.join(" ");
}

/** Exercise 3's answer, comparing each fit with the sum-of-squares fit of the same table. */
export function lossesAnswer(options: {
  sumOfSquares: FitResult;
  meanSquared: FitResult;
  absolute: FitResult;
  huber: FitResult;
  pointCount: number;
  learningRate: number;
  data: PolyData;
}): string {
  const { sumOfSquares: ss, meanSquared: mse, absolute: sae, huber, data } = options;
  const diverged = [ss, mse, sae, huber].some((fit) => fit.trajectory.stop.kind === "diverged");
  const parts: string[] = [];
  if (ss.trajectory.stop.kind !== "diverged" && mse.trajectory.stop.kind !== "diverged") {
    const largest = extent(ss.coefficients.map((c, k) => Math.abs(c - mse.coefficients[k]))).max;
    const scale = extent(ss.coefficients.map(Math.abs)).max;
    parts.push(
      largest <= 1e-9 * scale
        ? `The mean squared error with learning rate ${options.pointCount} × ${num(options.learningRate)} lands on the same coefficients as the sum of squares with ${num(options.learningRate)} (largest difference ${num(largest, 2)}, rounding; its loss is the sum's divided by ${options.pointCount}): sum and mean differ only in the scale of the learning rate.`
        : `The mean squared error with learning rate ${options.pointCount} × ${num(options.learningRate)} should land on the sum of squares' coefficients, but differs by ${num(largest, 2)}: more than rounding — did you edit a run?`,
    );
  }
  if (ss.trajectory.stop.kind !== "diverged" && sae.trajectory.stop.kind !== "diverged") {
    const squares = errorsInsideAndOutside(ss.coefficients, data);
    const absolute = errorsInsideAndOutside(sae.coefficients, data);
    parts.push(
      `The sum of absolute errors weighs large errors less than squares do. Where the two runs stand after ${ss.trajectory.points.length - 1} steps, against the sum-of-squares row of the same table: largest error for $|x| < 2.5$ ${num(absolute.inside, 2)} (absolute) against ${num(squares.inside, 2)} (squares), and for $|x| \\ge 2.5$ ${num(absolute.outside, 2)} against ${num(squares.outside, 2)}. These are the runs' end points, not each loss's best fit: they compare the two losses only once both runs have come close to their fits (at a small learning rate the absolute run is still far from its fit; at a large one it bounces).`,
    );
  }
  parts.push(gradientSizesSentence({ absolute: sae, huber, data }));
  if (diverged)
    parts.push(`Some runs diverged at this learning rate: their rows show where they stopped, not a fit.`);
  parts.push(`Each loss is in its own units: compare the curves, not the loss values across rows.`);
  return parts.filter((part) => part !== "").join(" ");
}

/** Exercise 5's answer: the slices' curvatures ½ H_kk · span². */
export function slicesAnswer(hessian: readonly (readonly number[])[], span: number): string {
  const names = coefficientNames(hessian.length);
  const rises = hessian.map((row, k) => 0.5 * row[k] * span * span);
  if (rises.length === 1) {
    return `One coefficient, one parabola with its minimum at the optimum: moving ${names[0]} by ${num(span)} raises the loss by ${num(rises[0])} ($\\tfrac12 H_{00} \\cdot ${num(span)}^2$).`;
  }
  const narrow = rises.indexOf(extent(rises).max);
  const wide = rises.indexOf(extent(rises).min);
  return `All are parabolas with their minimum at the optimum, and their widths differ: moving ${names[narrow]} by ${num(span)} raises the loss by ${num(rises[narrow])}, moving ${names[wide]} by the same amount by only ${num(rises[wide])} ($\\tfrac12 H_{kk} \\cdot ${num(span)}^2$), ${num(rises[narrow] / rises[wide], 3)} times less. One learning rate must serve all of them: small enough for the narrowest valley, hence slow in the widest.`;
}

/** The "going further" section: what the eigenvalues say about this run. */
export function stabilityStory(stability: Stability, learningRate: number): string {
  const factors = stability.eigenvalues.map((lambda) => 1 - learningRate * lambda);
  const stable = learningRate < stability.largestStableLearningRate;
  return `Eigenvalues ${listInWords(stability.eigenvalues.map((l) => num(l)))}; condition number ${num(stability.conditionNumber)}. With $\\eta$ = ${num(learningRate)} the factors $1 - \\eta\\lambda$ are ${listInWords(factors.map((f) => num(f, 6)))}: ${stable ? `all inside $(-1, 1)$, so the run converges, the slowest direction by ${num(100 * (1 - extent(factors.map(Math.abs)).max), 3)}% per step` : `at least one is outside $(-1, 1)$, so the run diverges`}. The limit is $2/\\lambda_\\text{max}$ = ${num(stability.largestStableLearningRate)}.`;
}

/** Exercise 7's answer from the stabilities and runs of the wide interval. */
export function wideAnswer(options: {
  narrow: Stability;
  wide: Stability;
  scaled: Stability;
  legendre: Stability;
  runs: readonly { label: string; fit: FitResult }[];
  optimumLoss: number;
}): string {
  const { narrow, wide } = options;
  const runs = options.runs.map(
    ({ label, fit }) =>
      `${label}: ${fit.trajectory.stop.kind === "diverged" ? describeStop(fit.trajectory.stop) : `loss ${num(fit.loss)} (${describeStop(fit.trajectory.stop)})`}`,
  );
  return `On $[-4\\pi, 4\\pi]$, $\\lambda_\\text{max}$ rises from ${num(narrow.largest)} to ${num(wide.largest)}, so the largest stable learning rate falls by a factor of ${num(wide.largest / narrow.largest, 4)}, to ${num(wide.largestStableLearningRate)}; the condition number grows from ${num(narrow.conditionNumber)} to ${num(wide.conditionNumber)}. Scaling $x$ brings it to ${num(options.scaled.conditionNumber)}, the Legendre basis to ${num(options.legendre.conditionNumber)}. The runs: ${listInWords(runs)}; the optimum's loss is ${num(options.optimumLoss)}. Even the optimum is a poor fit: a polynomial of low degree has few bends and $\\sin x$ has eight on this interval. Two separate limits: the optimizer (conditioning, fixed by the basis) and the model (fixed only by a richer model).`;
}

/** Exercise 8's answer: the best loss per degree, and the highest degree's coefficients against Taylor's. */
export function degreesAnswer(
  rows: readonly { degree: number; bestLoss: number; best: number[]; descent: FitResult }[],
): string {
  const losses = rows.map((row) => `${num(row.bestLoss, 3)} (degree ${row.degree})`);
  const top = rows[rows.length - 1];
  const odd = top.best
    .map((c, k) => ({ c, k }))
    .filter(({ k }) => k % 2 === 1)
    .map(({ c, k }) => `${num(c, 4)} against ${num(sineTaylorCoefficient(k), 4)}`);
  const steps = rows.map((row) => `${describeStop(row.descent.trajectory.stop)} (degree ${row.degree})`);
  return `The best loss falls from ${listInWords(losses)}. At degree ${top.degree} the odd coefficients approach the Taylor series of $\\sin x$: ${listInWords(odd)}. Gradient descent in the Legendre basis: ${listInWords(steps)}.`;
}

/** Exercise 6's answer: the hand-made first step against the loop's. */
export function firstStepAnswer(byHand: readonly number[], trajectory: Trajectory): string {
  if (trajectory.points.length < 2) {
    return `The loop made no step (${describeStop(trajectory.stop)}), so there is nothing to compare.`;
  }
  const same = byHand.every((value, k) => value === trajectory.points[1][k]);
  return `${same ? "The hand-made step and the loop's first step agree exactly, bit for bit." : "The hand-made step and the loop's first step differ: did you edit one of them?"} \`fit.trajectory.points[k]\`, \`fit.trajectory.values[k]\` and \`fit.trajectory.gradientNorms[k]\` hold the coefficients, the loss and the size of the gradient after every step $k$; type any of them in a new cell to look inside the run.`;
}
