/**
 * The first article's experiments in numbers: the positions table its program prints, the closed
 * form of every step on f(x, y) = ½x² + x + ¼y² − 2, the largest learning rate that still
 * converges, and the convex / non-convex examples of its introduction. Pure: numbers to numbers
 * or strings.
 */
import { gradientDescent, type Evaluation, type Trajectory } from "../../descent/loop";
import { ARTICLE_MINIMUM, articleGradient, descendArticleFunction } from "./bowl";
import {
  KitRangeError,
  KitTypeError,
  describeValue,
  requireFinite,
  requireFunction,
  requireInteger,
  requireIterations,
  requireObject,
  requireOptions,
  requirePositive,
} from "../../descent/validate";

/**
 * Step k of gradient descent on the article's function, without iterating: each coordinate's
 * distance to the minimum is multiplied by its own factor every step,
 * x_k + 1 = (1 − η)^k (x_0 + 1) and y_k = (1 − η/2)^k y_0.
 */
export function articleStepInClosedForm(
  learningRate: number,
  step: number,
  start: { x: number; y: number },
): { x: number; y: number } {
  requirePositive("learningRate", learningRate);
  requireIterations("step", step);
  const checked = requireOptions("start", start);
  const x0 = requireFinite("start.x", checked.x);
  const y0 = requireFinite("start.y", checked.y);
  // A coordinate already at the minimum stays there (0 × factor^k is 0, even when factor^k overflows).
  const along = (distance: number, factor: number, name: string): number => {
    if (distance === 0) return 0;
    const moved = distance * factor ** step;
    if (!Number.isFinite(moved)) {
      throw new KitRangeError(
        `with learningRate ${learningRate} the descent diverges: each step multiplies ${name} by ${factor}, so after ${step} steps it is about 10^${Math.round(
          step * Math.log10(Math.abs(factor)) + Math.log10(Math.abs(distance)),
        )}, past the largest double`,
      );
    }
    return moved;
  };
  return {
    x: ARTICLE_MINIMUM.x + along(x0 - ARTICLE_MINIMUM.x, 1 - learningRate, "x + 1"),
    y: along(y0, 1 - learningRate / 2, "y"),
  };
}

export interface ConvergenceSearchOptions {
  /** Start of every descent. */
  x: number;
  y: number;
  /** Iterations each trial may use (default 10 000). */
  iterations?: number;
  /** Gradient norm that counts as converged (default 1e-6). */
  tolerance?: number;
  /** Bisection rounds (default 40). */
  rounds?: number;
}

/**
 * The largest learning rate whose descent converges within the given iterations, by bisection on
 * the descent's own verdict, between 1 and 8: it tries η, and keeps the upper half if the run converged. On the
 * article's function the answer tends to 2 (where |1 − η| = 1) as the iterations grow.
 */
export function largestConvergingLearningRate(searchOptions: ConvergenceSearchOptions): number {
  const options = requireObject("options", searchOptions, "x, y, iterations?, tolerance?, rounds?");
  const iterations = requireIterations("iterations", options.iterations ?? 10_000);
  const tolerance = requirePositive("tolerance", options.tolerance ?? 1e-6);
  const rounds = requireInteger("rounds", options.rounds ?? 40, 1, MAX_BISECTION_ROUNDS);
  const x = requireFinite("x", options.x);
  const y = requireFinite("y", options.y);
  const [gx, gy] = articleGradient(x, y);
  if (Math.hypot(gx, gy) <= tolerance) {
    throw new KitRangeError(
      `from (${x}, ${y}) every learning rate converges: the gradient there is already within tolerance ${tolerance} (the minimum is (−1, 0)); start elsewhere`,
    );
  }
  const converges = (learningRate: number): boolean =>
    descendArticleFunction({ learningRate, iterations, tolerance, x, y }).stop.kind === "converged";
  // η = 1 converges fastest on this function (x exactly in one step): search above it.
  let low = 1;
  let high = 8;
  if (!converges(low)) {
    throw new KitRangeError(`no learning rate converges within ${iterations} iterations: raise iterations`);
  }
  if (converges(high)) {
    throw new KitRangeError(
      `from (${x}, ${y}) even learning rate ${high} converges (the start lies on an axis through the minimum): no bound to find below ${high}`,
    );
  }
  for (let round = 0; round < rounds; round++) {
    const middle = (low + high) / 2;
    if (converges(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** Bisection rounds past this change nothing: after ~53 halvings of [1, 8] a double cannot split the interval. */
export const MAX_BISECTION_ROUNDS = 60;

/** A function of one variable with its derivative and its minima, for the introduction's figure. */
export interface OneVariableExample {
  label: string;
  f: (x: number) => number;
  derivative: (x: number) => number;
  /** Where its minima are: global first, then any local ones. */
  minima: { x: number; kind: "global" | "local" }[];
}

/** x², convex: the chord between any two points of its graph lies above the graph; one minimum. */
export const CONVEX_EXAMPLE: OneVariableExample = {
  label: "g(x) = x²",
  f: (x) => x * x,
  derivative: (x) => 2 * x,
  minima: [{ x: 0, kind: "global" }],
};

/**
 * x⁴ − 3x² + x, non-convex: a global minimum near x = −1.30 and a local one near x = 1.13 (the
 * roots of 4x³ − 6x + 1, found by Newton's method below).
 */
export const NON_CONVEX_EXAMPLE: OneVariableExample = {
  label: "h(x) = x⁴ − 3x² + x",
  f: (x) => x ** 4 - 3 * x ** 2 + x,
  derivative: (x) => 4 * x ** 3 - 6 * x + 1,
  minima: [
    {
      x: newtonRoot(
        (x) => 4 * x ** 3 - 6 * x + 1,
        (x) => 12 * x ** 2 - 6,
        -1.3,
      ),
      kind: "global",
    },
    {
      x: newtonRoot(
        (x) => 4 * x ** 3 - 6 * x + 1,
        (x) => 12 * x ** 2 - 6,
        1.1,
      ),
      kind: "local",
    },
  ],
};

function newtonRoot(g: (x: number) => number, dg: (x: number) => number, start: number): number {
  let x = start;
  for (let i = 0; i < 50; i++) x -= g(x) / dg(x);
  return x;
}

/**
 * Gradient descent on any function of two variables, given its value and its gradient: what a
 * student needs to try a function of their own.
 */
export function descendFunction(options: {
  func: (x: number, y: number) => number;
  gradient: (x: number, y: number) => readonly [number, number] | number[];
  learningRate: number;
  iterations: number;
  x: number;
  y: number;
  tolerance?: number;
}): Trajectory {
  requireObject("options", options, "func, gradient, learningRate, iterations, x, y");
  requireFunction("func", options.func);
  requireFunction("gradient", options.gradient);
  const evaluate = ([x, y]: readonly number[]): Evaluation => {
    const value = options.func(x, y);
    const gradient = options.gradient(x, y);
    if (typeof value !== "number") {
      throw new KitTypeError(`func must return a number, got ${describeValue(value)} at (${x}, ${y})`);
    }
    if (!Array.isArray(gradient) || gradient.length !== 2) {
      throw new KitTypeError(
        `gradient must return [∂f/∂x, ∂f/∂y], got ${describeValue(gradient)} at (${x}, ${y})`,
      );
    }
    return { value, gradient: [...gradient] };
  };
  return gradientDescent({
    start: [requireFinite("x", options.x), requireFinite("y", options.y)],
    evaluate,
    learningRate: options.learningRate,
    iterations: options.iterations,
    tolerance: options.tolerance,
  });
}
