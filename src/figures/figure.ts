import type { Layout, Plot } from "nodeplotlib";
import { KitRangeError, KitTypeError, describeValue, requireOptions } from "../descent/validate";
import { type Trajectory } from "../descent/loop";

export { requireOptions };

/** What every builder returns: plotly.js traces and layout, as nodeplotlib's plot() takes them. */
export interface Figure {
  data: Plot[];
  layout: Partial<Layout>;
}

/** Colours for successive paths: they stand out on the "Hot" colour scale (black, red, yellow, white). */
export const PATH_COLORS = ["#4fc3f7", "#00e676", "#d500f9", "#2979ff", "#00bfa5", "#c6ff00", "#ff4081"];

export function pathColor(index: number): string {
  return PATH_COLORS[index % PATH_COLORS.length];
}

/** "0.10" for the explorer's rates, more digits only when the rate has them. */
export function formatLearningRate(rate: number): string {
  const fixed = rate.toFixed(2);
  return Math.abs(Number(fixed) - rate) <= 1e-12 * Math.max(1, Math.abs(rate)) ? fixed : String(rate);
}

export function requireTitle(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string")
    throw new KitTypeError(`${name} must be a string, got ${describeValue(value)}`);
  return value;
}

/** A trajectory as gradientDescent returns it: at least one point, each with two or more finite coordinates. */
export function requireTrajectory(name: string, value: unknown, dimension?: number): Trajectory {
  const trajectory = value as Trajectory;
  if (typeof value !== "object" || value === null || !Array.isArray(trajectory.points)) {
    throw new KitTypeError(
      `${name} must be a trajectory (from gradientDescent), got ${describeValue(value)}`,
    );
  }
  if (trajectory.points.length === 0) throw new KitRangeError(`${name}.points must not be empty`);
  trajectory.points.forEach((point, k) => {
    if (!Array.isArray(point) || (dimension !== undefined && point.length !== dimension)) {
      throw new KitRangeError(
        `${name}.points[${k}] must be an array of ${dimension ?? "some"} numbers, got ${describeValue(point)}`,
      );
    }
    point.forEach((coordinate, i) => {
      if (typeof coordinate !== "number" || !Number.isFinite(coordinate)) {
        throw new KitRangeError(
          `${name}.points[${k}][${i}] must be a finite number, got ${describeValue(coordinate)}`,
        );
      }
    });
  });
  if (typeof trajectory.learningRate !== "number" || !Number.isFinite(trajectory.learningRate)) {
    throw new KitRangeError(
      `${name}.learningRate must be a finite number, got ${describeValue(trajectory.learningRate)}`,
    );
  }
  return trajectory;
}

export function requireTrajectories(name: string, value: unknown, dimension?: number): Trajectory[] {
  if (!Array.isArray(value))
    throw new KitTypeError(`${name} must be an array of trajectories, got ${describeValue(value)}`);
  return value.map((trajectory, i) => requireTrajectory(`${name}[${i}]`, trajectory, dimension));
}

/** Plain numbers: typed arrays would serialise to JSON as objects, which plotly.js cannot read. */
export function toNumbers(name: string, values: unknown): number[] {
  if (
    typeof values !== "object" ||
    values === null ||
    typeof (values as ArrayLike<number>).length !== "number"
  ) {
    throw new KitTypeError(`${name} must be an array of numbers, got ${describeValue(values)}`);
  }
  return Array.from(values as ArrayLike<unknown>, (value, i) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new KitRangeError(`${name}[${i}] must be a finite number, got ${describeValue(value)}`);
    }
    return value;
  });
}

/** Indices 0, every, 2·every, … and always the last one, so a long run stays a small figure. */
export function sampledIndices(length: number, every: number): number[] {
  const indices: number[] = [];
  for (let i = 0; i < length; i += every) indices.push(i);
  if (length > 0 && indices[indices.length - 1] !== length - 1) indices.push(length - 1);
  return indices;
}
