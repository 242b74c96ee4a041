import { gradientDescent, type Evaluation, type Trajectory } from "../../descent/loop";
import {
  KitRangeError,
  describeValue,
  requireFinite,
  requireObject,
  requireOptions,
  requirePositive,
} from "../../descent/validate";

/** The first article's equation (1): f(x, y) = ½x² + x + ¼y² − 2. */
export function articleFunction(x: number, y: number): number {
  return 0.5 * x * x + x + 0.25 * y * y - 2;
}

/** Equations (2) and (3): ∂f/∂x = x + 1 and ∂f/∂y = y/2, derived by hand. */
export function articleGradient(x: number, y: number): [number, number] {
  return [x + 1, y / 2];
}

/** The first article's Hessian: ∂²f/∂x² = 1, ∂²f/∂y² = ½, constant (f is quadratic). */
export const ARTICLE_HESSIAN: readonly (readonly number[])[] = [
  [1, 0],
  [0, 0.5],
];

/** Where ∇f = 0: x + 1 = 0 and y/2 = 0, so (−1, 0), with f(−1, 0) = ½ − 1 − 2 = −2.5. */
export const ARTICLE_MINIMUM = { x: -1, y: 0, value: -2.5 } as const;

export function evaluateArticleFunction(point: readonly number[]): Evaluation {
  const [x, y] = point;
  return { value: articleFunction(x, y), gradient: articleGradient(x, y) };
}

export interface ArticleDescentOptions {
  learningRate: number;
  iterations: number;
  x: number;
  y: number;
  tolerance?: number;
}

/** The article's program: descend f from (x, y). */
export function descendArticleFunction(options: ArticleDescentOptions): Trajectory {
  requireObject("options", options, "learningRate, iterations, x, y");
  const x = requireFinite("x", options.x);
  const y = requireFinite("y", options.y);
  return gradientDescent({
    start: [x, y],
    evaluate: evaluateArticleFunction,
    learningRate: options.learningRate,
    iterations: options.iterations,
    tolerance: options.tolerance,
  });
}

export interface SurfaceGrid {
  /** Grid coordinates along x (columns) and y (rows). */
  xs: number[];
  ys: number[];
  /** z[row][column] = f(xs[column], ys[row]), the layout plotly's surface expects. */
  z: number[][];
}

export interface GridOptions {
  from?: number;
  to?: number;
  step?: number;
}

/** The most points along one grid axis: a 1001 × 1001 surface is already a million values. */
export const MAX_GRID_POINTS = 1001;

/** Evenly spaced values from `from` to `to` inclusive, computed as from + i·step so that
 * rounding does not accumulate (numpy's arange(-2.5, 2.6, 0.1) gives the same 51 values). */
export function gridAxis(gridOptions: GridOptions = {}): number[] {
  const options = requireOptions("options", gridOptions);
  const from = requireFinite("from", options.from ?? -2.5);
  const to = requireFinite("to", options.to ?? 2.5);
  const step = requirePositive("step", options.step ?? 0.1);
  if (!(to > from)) throw new KitRangeError(`to must be greater than from (${from}), got ${to}`);
  const count = Math.round((to - from) / step) + 1;
  if (!(count >= 2 && count <= MAX_GRID_POINTS)) {
    throw new KitRangeError(
      `a grid from ${from} to ${to} with step ${step} has ${count} points, past the cap of ${MAX_GRID_POINTS} (2 to ${MAX_GRID_POINTS}): choose a larger step`,
    );
  }
  return Array.from({ length: count }, (_, i) => from + i * step);
}

/** The article's 51 × 51 grid over [−2.5, 2.5] with step 0.1, and f on it. */
export function articleSurfaceGrid(
  options: GridOptions = {},
  f: (x: number, y: number) => number = articleFunction,
): SurfaceGrid {
  const xs = gridAxis(requireOptions("options", options));
  const ys = xs.slice();
  const z = ys.map((y) =>
    xs.map((x) => {
      const value = f(x, y);
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new KitRangeError(
          `the function is not a finite number at (x, y) = (${x}, ${y}): f = ${describeValue(value)}; choose a grid where it is defined`,
        );
      }
      return value;
    }),
  );
  return { xs, ys, z };
}
