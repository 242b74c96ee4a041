/**
 * The sentences notebook 01 states about its computed results, as pure functions of the
 * parameters: each returns markdown whose numbers are computed here, so that a sentence stays
 * true when a student changes the parameters cell. The first article's function is
 * f(x, y) = ½x² + x + ¼y² − 2; its descent multiplies x + 1 by 1 − η and y by 1 − η/2 per step.
 */
import { describeStop, type Trajectory } from "../descent/loop";
import { markdownTable } from "../text/tables";
import { ARTICLE_MINIMUM, descendArticleFunction } from "../problems/bowl/bowl";
import { KitRangeError, requireFinite, requireInteger, requirePositive } from "../descent/validate";
import { num, tex } from "./format";

/** `--x 1.0 --y 1.0`: the defaults of the article author's gradient_descent.py (NS.ai repository). */
export const ARTICLE_AUTHOR_START = { x: 1, y: 1 } as const;
/** The notebook's cap on iterations: every run keeps its whole path, 50 of them in the explorer. */
export const LESSON_ONE_MAX_ITERATIONS = 10_000;
/** The notebook's cap on |x| and |y| at the start. */
export const LESSON_ONE_MAX_COORDINATE = 1_000;
/** Half the side of the drawn square [−2.5, 2.5]² (the article's grid). */
export const MAP_HALF_WIDTH = 2.5;

export interface LessonOneParameters {
  learningRate: number;
  iterations: number;
  x: number;
  y: number;
}

/**
 * The parameters cell's check: throws one RangeError (or TypeError) naming the parameter and its
 * value. A learning rate of 0 is refused, as everywhere in the kit: a zero step is no descent.
 */
export function checkLessonOneParameters(parameters: LessonOneParameters): void {
  requirePositive("learningRate", parameters.learningRate);
  requireInteger("iterations", parameters.iterations, 0, LESSON_ONE_MAX_ITERATIONS);
  for (const name of ["x", "y"] as const) {
    const value = requireFinite(name, parameters[name]);
    if (Math.abs(value) > LESSON_ONE_MAX_COORDINATE) {
      throw new KitRangeError(
        `${name} must be between −${LESSON_ONE_MAX_COORDINATE} and ${LESSON_ONE_MAX_COORDINATE}, got ${value}`,
      );
    }
  }
}

/** The parameters' start, and the article author's (1, 1) unless it is the same. */
export function startsToCompare(start: { x: number; y: number }): { x: number; y: number }[] {
  const author = ARTICLE_AUTHOR_START;
  return start.x === author.x && start.y === author.y ? [{ ...start }] : [{ ...start }, { ...author }];
}

/** Where the descent is after k steps, from the closed form (no iteration). */
export function positionAfter(learningRate: number, k: number, start: { x: number; y: number }) {
  return {
    x: ARTICLE_MINIMUM.x + (1 - learningRate) ** k * (start.x - ARTICLE_MINIMUM.x),
    y: (1 - learningRate / 2) ** k * start.y,
  };
}

function heightAboveMinimum(x: number, y: number): number {
  return 0.5 * (x + 1) ** 2 + 0.25 * y ** 2;
}

function point(p: { x: number; y: number }): string {
  return `(${num(p.x)}, ${num(p.y)})`;
}

/** η = 2 from `start`: x + 1 keeps its size and flips sign, y is 0 after one step, f never rises. */
export function etaTwoStory(start: { x: number; y: number }): string {
  const amplitude = Math.abs(start.x + 1);
  const other = -2 - start.x;
  const before = heightAboveMinimum(start.x, start.y);
  const after = 0.5 * (start.x + 1) ** 2;
  const xPart =
    amplitude === 0
      ? `$x$ starts at $-1$ and stays there`
      : `$|x + 1|$ stays at ${num(amplitude)}, so $x$ jumps between ${num(start.x)} and ${num(other)} forever`;
  const yPart = start.y === 0 ? `$y$ is $0$ from the start` : `$y$ is $0$ after one step`;
  const height =
    before === after
      ? `the height above the minimum stays at ${num(after)} from the start`
      : `the height above the minimum goes from ${num(before)} at the start to ${num(after)} after the first step, and then stays there`;
  return `From ${point(start)} at $\\eta = 2$: ${xPart}; ${yPart}; ${height}. The path never climbs.`;
}

/** A run above η = 2 from `start`: how |x + 1| grows, and where the kit stopped it. */
export function divergenceStory(trajectory: Trajectory, start: { x: number; y: number }): string {
  const eta = trajectory.learningRate;
  const factor = Math.abs(1 - eta);
  const sizes = [0, 1, 2].map((k) => factor ** k * Math.abs(start.x + 1));
  const growth =
    start.x === -1
      ? `$x$ starts at the valley floor $x = -1$ and stays there, so nothing grows along $x$`
      : `$|x + 1|$ is multiplied by $|1 - \\eta| = ${num(factor)}$ at every step: ${sizes.map((s) => num(s)).join(", ")}, …`;
  return `η = ${num(eta)} from ${point(start)}: ${growth}. The kit's verdict: ${describeStop(trajectory.stop)}.`;
}

function leavesAt(
  learningRate: number,
  start: { x: number; y: number },
  iterations: number,
): number | undefined {
  // |r| ≤ 1: r^k·c takes its extremes at k = 0 and 1; |r| > 1: at the last two steps.
  const steps = [...new Set([0, 1, iterations - 1, iterations].filter((k) => k >= 0 && k <= iterations))];
  const outside = (k: number) => {
    const p = positionAfter(learningRate, k, start);
    return Math.abs(p.x) > MAP_HALF_WIDTH || Math.abs(p.y) > MAP_HALF_WIDTH;
  };
  if (!steps.some(outside)) return undefined;
  // The first step that is outside, found by walking (few steps: it is 1 or near the end).
  for (let k = 0; k <= iterations; k++) if (outside(k)) return k;
  return undefined;
}

/**
 * The smallest learning rate (up to `upTo`) whose path from `start` leaves the drawn square
 * [−2.5, 2.5]² within `iterations` steps, by a scan and bisection on the closed form; and the
 * step at which it leaves. Undefined when no such rate exists up to `upTo`.
 */
export function leavesTheMapThreshold(
  start: { x: number; y: number },
  iterations: number,
  upTo = 2.5,
): { learningRate: number; step: number } | undefined {
  if (Math.abs(start.x) > MAP_HALF_WIDTH || Math.abs(start.y) > MAP_HALF_WIDTH)
    return { learningRate: 0, step: 0 };
  const grid = 5000;
  let inside = 0;
  for (let i = 1; i <= grid; i++) {
    const eta = (upTo * i) / grid;
    if (leavesAt(eta, start, iterations) !== undefined) {
      let low = inside;
      let high = eta;
      for (let round = 0; round < 60; round++) {
        const middle = (low + high) / 2;
        if (leavesAt(middle, start, iterations) === undefined) low = middle;
        else high = middle;
      }
      return { learningRate: high, step: leavesAt(high, start, iterations) ?? 0 };
    }
    inside = eta;
  }
  return undefined;
}

/** Section 6's sentence: at which learning rate the path leaves the map, from the parameters' start. */
export function leavesTheMapStory(start: { x: number; y: number }, iterations: number): string {
  const threshold = leavesTheMapThreshold(start, iterations);
  if (threshold === undefined) {
    return `From ${point(start)} with ${iterations} iterations, no path on the slider leaves the drawn square $[-2.5, 2.5]^2$.`;
  }
  if (threshold.learningRate === 0) {
    return `The start ${point(start)} is itself outside the drawn square $[-2.5, 2.5]^2$: the axes follow the paths.`;
  }
  const firstStep =
    threshold.step === 1
      ? ` The first step already does it: $x_1 = x_0 - \\eta\\,(x_0 + 1)$ and $y_1 = (1 - \\eta/2)\\,y_0$ leave $[-2.5, 2.5]$ once $\\eta$ passes it.`
      : ` It leaves at step ${threshold.step}.`;
  return `From ${point(start)} with ${iterations} iterations, the path leaves the drawn square $[-2.5, 2.5]^2$ for $\\eta$ above ${num(threshold.learningRate, 6)}.${firstStep}`;
}

/** Exercise 2: iterations until ‖∇f‖ ≤ tolerance, estimated from the slowest component, and as run. */
export interface ToleranceStepsReport {
  /** The step count estimated from the slowest component alone; undefined if the gradient is 0 at the start. */
  estimate: number | undefined;
  /** The first step at which the closed-form gradient's length is ≤ tolerance (within `limit`). */
  exact: number | undefined;
  markdown: string;
}

export function toleranceSteps(options: {
  learningRate: number;
  start: { x: number; y: number };
  tolerance: number;
  trajectory: Trajectory;
  limit: number;
}): ToleranceStepsReport {
  const { learningRate: eta, start, tolerance, trajectory, limit } = options;
  const components = [
    {
      name: "$\\partial f/\\partial x = x + 1$",
      factor: 1 - eta,
      factorText: "1 - \\eta",
      size: Math.abs(start.x + 1),
    },
    {
      name: "$\\partial f/\\partial y = y/2$",
      factor: 1 - eta / 2,
      factorText: "1 - \\eta/2",
      size: Math.abs(start.y / 2),
    },
  ].filter((c) => c.size > 0);
  let exact: number | undefined;
  for (let k = 0; k <= limit; k++) {
    const p = positionAfter(eta, k, start);
    if (Math.hypot(p.x + 1, p.y / 2) <= tolerance) {
      exact = k;
      break;
    }
  }
  const run = `The run: ${describeStop(trajectory.stop)}.`;
  if (components.length === 0) {
    return {
      estimate: 0,
      exact,
      markdown: `The start is the minimum: the gradient is 0 from the start. ${run}`,
    };
  }
  const slowest = components.reduce((a, b) => (Math.abs(b.factor) > Math.abs(a.factor) ? b : a));
  const r = Math.abs(slowest.factor);
  const estimate =
    slowest.size <= tolerance
      ? 0
      : r === 0
        ? 1
        : r >= 1
          ? undefined
          : Math.ceil(Math.log(tolerance / slowest.size) / Math.log(r));
  const estimateText =
    estimate === undefined
      ? `it never shrinks ($|${slowest.factorText}| = ${num(r)} \\ge 1$), so no number of steps is enough`
      : `alone it falls to $${tex(tolerance)}$ after $\\lceil \\ln(${tex(tolerance)} / ${num(slowest.size)}) / \\ln ${num(r)} \\rceil = ${estimate}$ steps`;
  const agreement =
    estimate === undefined || exact === undefined
      ? ""
      : estimate === exact
        ? ` The other component is negligible by then, so the whole gradient's length crosses $${tex(tolerance)}$ at the same step: the closed form gives ${exact}.`
        : ` The closed form of the whole gradient gives ${exact}: ${exact > estimate ? `the other component, still not negligible at step ${estimate}, adds ${exact - estimate} step(s)` : "the slowest component alone decides"}.`;
  return {
    estimate,
    exact,
    markdown: `The slowest component of the gradient is ${slowest.name}, multiplied by $|${slowest.factorText}| = ${num(r)}$ per step from ${num(slowest.size)}: ${estimateText}.${agreement} ${run}`,
  };
}

/** A check printed under the visible loop: the student's iterates against the kit's. */
export function sameIteratesSentence(mine: readonly (readonly number[])[], kit: Trajectory): string {
  const compared = Math.min(mine.length, kit.points.length);
  let largest = 0;
  for (let k = 0; k < compared; k++) {
    for (let i = 0; i < kit.points[k].length; i++) {
      const difference = Math.abs(mine[k][i] - kit.points[k][i]);
      largest = Number.isNaN(difference) ? Infinity : Math.max(largest, difference);
    }
  }
  const stopped =
    kit.points.length < mine.length
      ? ` The kit stopped after ${kit.points.length - 1} steps (${describeStop(kit.stop)}); this loop went on.`
      : "";
  return largest === 0
    ? `The loop above and the kit's \`gradientDescent\` (in \`src/descent/loop.ts\`) give the same ${compared} points, bit for bit.${stopped}`
    : `**The loop above differs from the kit's** (largest difference ${largest === Infinity ? "not a number" : num(largest)} over ${compared} points): if you edited it, that is your change at work.${stopped}`;
}

/** Section 5's table: the article's three learning rates from each start, run and closed form side by side. */
export function experimentsTable(
  rates: readonly number[],
  starts: readonly { x: number; y: number }[],
  iterations: number,
): string {
  const rows = starts.flatMap((start) =>
    rates.map((rate) => {
      const run = descendArticleFunction({ learningRate: rate, iterations, x: start.x, y: start.y });
      const [xEnd, yEnd] = run.points[run.points.length - 1];
      const predicted = positionAfter(rate, run.points.length - 1, start);
      return [
        point(start),
        String(rate),
        num(1 - rate),
        num(1 - rate / 2),
        `${run.points.length - 1}`,
        `(${num(xEnd + 1, 6)}, ${num(yEnd, 6)})`,
        `(${num(predicted.x + 1, 6)}, ${num(predicted.y, 6)})`,
      ];
    }),
  );
  return markdownTable(
    [
      "start",
      "η",
      "factor on x + 1: 1 − η",
      "factor on y: 1 − η/2",
      "steps",
      "(x + 1, y) after them",
      "closed form",
    ],
    rows,
  );
}

/** Exercise 3's closed form: η < 2 (from x), η < 4 if x starts on the valley floor, any η at the minimum. */
export function convergenceLimitInClosedForm(start: { x: number; y: number }): string {
  if (start.x !== ARTICLE_MINIMUM.x) return "2";
  return start.y !== 0 ? "4" : "any";
}
