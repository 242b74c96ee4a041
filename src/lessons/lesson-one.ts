/**
 * The sentences notebook 01 states about its computed results, as pure functions of the
 * parameters: each returns markdown whose numbers are computed here, so that a sentence stays
 * true when a student changes the parameters cell. The first article's function is
 * f(x, y) = ½x² + x + ¼y² − 2; its descent multiplies x + 1 by 1 − η and y by 1 − η/2 per step.
 */
import { describeStop, type Trajectory } from "../descent/loop";
import { markdownTable } from "../text/tables";
import { ARTICLE_MINIMUM, descendArticleFunction } from "../problems/bowl/bowl";
import { NON_CONVEX_EXAMPLE, type OneVariableExample } from "../problems/bowl/closed-form";
import { positionRows } from "../problems/bowl/positions";
import { KitRangeError, requireFinite, requireInteger, requirePositive } from "../descent/validate";
import { listInWords, num, tex } from "./format";

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

/**
 * A run past η = 2 from `start`: each coordinate's factor, what it does from this start (on the
 * valley floor x₀ = −1 nothing grows along x), whether f rose, and the kit's verdict — all read off
 * the trajectory, not assumed from η.
 */
export function divergenceStory(trajectory: Trajectory, start: { x: number; y: number }): string {
  const eta = trajectory.learningRate;
  const parts = [
    {
      name: "$|x + 1|$",
      factor: 1 - eta,
      size: Math.abs(start.x + 1),
      floor: "$x$ starts on the valley floor $x = -1$ and stays there",
    },
    { name: "$|y|$", factor: 1 - eta / 2, size: Math.abs(start.y), floor: "$y$ starts at 0 and stays there" },
  ].map(({ name, factor, size, floor }) => {
    if (size === 0) return floor;
    const sizes = [0, 1, 2].map((k) => Math.abs(factor) ** k * size);
    const verb = Math.abs(factor) > 1 ? "grows" : Math.abs(factor) < 1 ? "shrinks" : "keeps its size";
    return `${name} ${verb}: it is multiplied by $|${num(factor)}|$ at every step (${sizes.map((v) => num(v)).join(", ")}, …)`;
  });
  const heights = positionRows(trajectory).map((row) => row.aboveMinimum);
  const rises = heights.filter((h, k) => k > 0 && h > heights[k - 1]).length;
  const climb =
    rises > 0
      ? `$f$ rose on ${rises} of the ${heights.length - 1} steps`
      : heights.length > 1
        ? `$f$ never rose`
        : `no step was taken`;
  return `$\\eta = ${num(eta)}$ from ${point(start)}: ${parts.join("; ")}. ${climb}. The kit's verdict: ${describeStop(trajectory.stop)}.`;
}

/**
 * One descent of the article's function in words, read off its points: whether it reached the
 * minimum exactly, bounced between two sides at constant height, climbed, or fell (and by what
 * factor per step at the end).
 */
export function pathInWords(trajectory: Trajectory): string {
  const rows = positionRows(trajectory);
  const heights = rows.map((row) => row.aboveMinimum);
  const n = rows.length - 1;
  const eta = `$\\eta = ${num(trajectory.learningRate)}$`;
  if (n === 0) return `${eta} takes no step`;
  const rises = heights.filter((h, k) => k > 0 && h > heights[k - 1]).length;
  if (trajectory.stop.kind === "diverged") {
    return `${eta} climbs on ${rises} of its ${n} steps until the kit stops it (${describeStop(trajectory.stop)})`;
  }
  // On the minimum exactly: (−1, 0) itself, not a height rounded to 0 (½(x + 1)² underflows first).
  const atMinimum = rows.map((row) => row.x === ARTICLE_MINIMUM.x && row.y === ARTICLE_MINIMUM.y);
  const exact = atMinimum.findIndex((on, k) => on && atMinimum.slice(k).every(Boolean));
  if (exact === 0) return `${eta} starts on the minimum and stays there`;
  if (exact === 1) return `${eta} lands exactly on the minimum in one step`;
  if (exact > 1) {
    return `${eta} comes so close to the minimum that float64 rounds it onto $(-1, 0)$ at step ${exact}`;
  }
  // A bounce: after the first step, the path alternates between two points at one height.
  const bounces =
    n >= 2 &&
    heights[1] > 0 &&
    heights.slice(1).every((h) => h === heights[1]) &&
    rows.slice(3).every((row, k) => row.x === rows[k + 1].x && row.y === rows[k + 1].y) &&
    (rows[n].x !== rows[n - 1].x || rows[n].y !== rows[n - 1].y);
  if (bounces) {
    return `${eta} bounces between ${point(rows[n - 1])} and ${point(rows[n])} at a constant height ${num(heights[n])} above the minimum`;
  }
  if (rises > 0)
    return `${eta} climbs on ${rises} of its ${n} steps, to ${num(heights[n])} above the minimum`;
  const rate =
    heights[n - 1] > 0 && heights[n] > 0
      ? `, by a factor of ${num(heights[n] / heights[n - 1])} on its last step`
      : "";
  const underflow = heights[n] === 0 ? " (below the smallest float64 number)" : "";
  return `${eta} never rises: from ${num(heights[0])} to ${num(heights[n])} above the minimum${underflow}${rate}`;
}

/** The sentence under a figure of several runs: each run in words. */
export function pathsInWords(trajectories: readonly Trajectory[]): string {
  const start = trajectories[0]?.points[0];
  const from = start ? `From ${point({ x: start[0], y: start[1] })}: ` : "";
  return `${from}${listInWords(trajectories.map(pathInWords))}.`;
}

function leavesAt(
  learningRate: number,
  start: { x: number; y: number },
  iterations: number,
): number | undefined {
  // The drawn path ends where the kit's divergence rule stops the run: only a factor |r| > 1 can
  // make it stop (then within a few steps), so only then is the run itself needed.
  const grows =
    (Math.abs(1 - learningRate) > 1 && start.x !== ARTICLE_MINIMUM.x) ||
    (Math.abs(1 - learningRate / 2) > 1 && start.y !== ARTICLE_MINIMUM.y);
  const drawn = grows
    ? descendArticleFunction({ learningRate, iterations, x: start.x, y: start.y }).points.length - 1
    : iterations;
  // |r| ≤ 1: r^k·c takes its extremes at k = 0 and 1; |r| > 1: at the last two steps drawn.
  const steps = [...new Set([0, 1, drawn - 1, drawn].filter((k) => k >= 0 && k <= drawn))];
  const outside = (k: number) => {
    const p = positionAfter(learningRate, k, start);
    return Math.abs(p.x) > MAP_HALF_WIDTH || Math.abs(p.y) > MAP_HALF_WIDTH;
  };
  if (!steps.some(outside)) return undefined;
  // The first step that is outside, found by walking (few steps: it is 1 or near the end).
  for (let k = 0; k <= drawn; k++) if (outside(k)) return k;
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

function iterationsText(iterations: number): string {
  return `${iterations} iteration${iterations === 1 ? "" : "s"}`;
}

/** Section 6's sentence: at which learning rate the path leaves the map, from the parameters' start. */
export function leavesTheMapStory(start: { x: number; y: number }, iterations: number): string {
  const threshold = leavesTheMapThreshold(start, iterations);
  if (threshold === undefined) {
    return `From ${point(start)} with ${iterationsText(iterations)}, no path on the slider leaves the drawn square $[-2.5, 2.5]^2$.`;
  }
  if (threshold.learningRate === 0) {
    return `The start ${point(start)} is itself outside the drawn square $[-2.5, 2.5]^2$: the axes follow the paths.`;
  }
  const firstStep =
    threshold.step === 1
      ? ` The first step already does it: $x_1 = x_0 - \\eta\\,(x_0 + 1)$ and $y_1 = (1 - \\eta/2)\\,y_0$ leave $[-2.5, 2.5]$ once $\\eta$ passes it.`
      : ` It leaves at step ${threshold.step}.`;
  return `From ${point(start)} with ${iterationsText(iterations)}, the path leaves the drawn square $[-2.5, 2.5]^2$ for $\\eta$ above ${num(threshold.learningRate, 6)}.${firstStep}`;
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

// ——— The one-dimensional warm-up (section 2): g(x) = x², then the non-convex h(x). ———

/** What the factor r = 1 − 2η does to x on g(x) = x², where x_{k+1} = x_k − η·2x_k = r·x_k. */
export function factorBehaviour(learningRate: number): string {
  const r = 1 - 2 * learningRate;
  if (r > 0) return r < 1 ? "creeps: same side, closer each step" : "does not move";
  if (r === 0) return "lands on 0 in one step";
  if (r > -1) return "oscillates: jumps across 0, closer each step";
  if (r === -1) return "bounces between x₀ and −x₀ forever";
  return "diverges: jumps across 0, farther each step";
}

/**
 * The warm-up's table: for each learning rate, the factor 1 − 2η, what it does, and the loop's
 * x after its last step beside the closed form (1 − 2η)^k·x₀. A row whose loop does not follow
 * the closed form says so (the student edited the loop), instead of explaining it by the factor.
 */
export function warmUpTable(runs: readonly { learningRate: number; path: readonly number[] }[]): string {
  const rows = runs.map(({ learningRate, path }) => {
    requirePositive("learningRate", learningRate);
    const r = 1 - 2 * learningRate;
    const k = path.length - 1;
    const last = path[k];
    const predicted = r ** k * path[0];
    const follows = path.every(
      (value, i) => Math.abs(value - r ** i * path[0]) <= 1e-12 * Math.max(1, Math.abs(r ** i * path[0])),
    );
    return [
      String(learningRate),
      num(r),
      follows ? factorBehaviour(learningRate) : "**not the factor's path: was the loop edited?**",
      Number.isFinite(last) ? num(last, 6) : String(last),
      Number.isFinite(predicted) ? num(predicted, 6) : String(predicted),
    ];
  });
  return markdownTable(
    ["η", "factor 1 − 2η", "what x does", "x after the last step (loop)", "(1 − 2η)^k x₀"],
    rows,
  );
}

/**
 * The non-convex warm-up: where each descent on h ended, named against h's two minima (the kit's
 * NON_CONVEX_EXAMPLE, found by Newton's method): settled in the global or the local one, still on
 * its way, or gone (non-finite).
 */
export function nonConvexWarmUpStory(
  runs: readonly { learningRate: number; path: readonly number[] }[],
  example: OneVariableExample = NON_CONVEX_EXAMPLE,
): string {
  const sentences = runs.map(({ learningRate, path }) => {
    const start = path[0];
    const end = path[path.length - 1];
    const from = `From $x_0 = ${num(start)}$ ($\\eta = ${num(learningRate)}$, ${path.length - 1} steps)`;
    if (!Number.isFinite(end))
      return `${from} the descent left every finite number: this $\\eta$ is too large here.`;
    const slope = example.derivative(end);
    const nearest = example.minima.reduce((a, b) => (Math.abs(b.x - end) < Math.abs(a.x - end) ? b : a));
    if (Math.abs(slope) > 1e-6) {
      const side =
        Math.abs(nearest.x - end) < 0.5
          ? `, heading for the ${nearest.kind} minimum at ${num(nearest.x)}`
          : "";
      return `${from} it ends at $x = ${num(end)}$ where $h'(x) = ${num(slope, 3)}$: not settled yet${side}.`;
    }
    const lower =
      nearest.kind === "global"
        ? "the lowest value of $h$ anywhere"
        : `higher than the global minimum's ${num(example.f(example.minima[0].x))}`;
    return `${from} it settles at $x = ${num(end)}$ ($h'(x) = ${num(slope, 2)}$), the **${nearest.kind}** minimum, $h = ${num(example.f(end))}$: ${lower}.`;
  });
  const ends = runs.map(({ path }) => path[path.length - 1]);
  const settledIn = new Set(
    ends
      .filter((end) => Number.isFinite(end) && Math.abs(example.derivative(end)) <= 1e-6)
      .map(
        (end) => example.minima.reduce((a, b) => (Math.abs(b.x - end) < Math.abs(a.x - end) ? b : a)).kind,
      ),
  );
  const moral =
    settledIn.size > 1
      ? " Same function, same learning rate, different starts: different minima. Each descent only goes downhill from where it is; it cannot know there is a lower valley elsewhere."
      : "";
  return sentences.join(" ") + moral;
}
