import type { Layout, Plot } from "nodeplotlib";
import { MAX_PATH_POINTS } from "../descent/thinning";
import { coefficientNames } from "../problems/cubic-fit/polynomial";
import { describeValue, requireInteger } from "../descent/validate";
import { type Trajectory } from "../descent/loop";
import {
  pathColor,
  requireOptions,
  requireTitle,
  requireTrajectory,
  sampledIndices,
  toNumbers,
  type Figure,
} from "./figure";
import { KitRangeError, KitTypeError } from "../descent/validate";

/** Long runs are thinned to about this many points per line, so figures stay small in exports. */
export const DEFAULT_MAX_POINTS = 500;

export interface LossFigureOptions {
  /** A logarithmic y axis (default true): losses fall by orders of magnitude. */
  logY?: boolean;
  title?: string;
  yTitle?: string;
  /** Thin each series to at most about this many points, keeping the last (default 500). */
  maxPoints?: number;
}

function thinning(length: number, maxPoints: number): number {
  return Math.max(1, Math.ceil(length / maxPoints));
}

/** Loss against iteration, one line per series (values[k] after k updates). */
export function lossFigure(
  series: { name: string; values: ArrayLike<number> }[],
  options: LossFigureOptions = {},
): Figure {
  const checked = requireOptions("options", options);
  if (!Array.isArray(series) || series.length === 0) {
    throw new KitTypeError(
      `series must be a non-empty array of { name, values }, got ${describeValue(series)}`,
    );
  }
  const logY = checked.logY ?? true;
  if (typeof logY !== "boolean")
    throw new KitTypeError(`logY must be true or false, got ${describeValue(logY)}`);
  const maxPoints = requireInteger("maxPoints", checked.maxPoints ?? DEFAULT_MAX_POINTS, 2, MAX_PATH_POINTS);
  const yTitle = requireTitle("yTitle", checked.yTitle) ?? "loss";
  const data: Plot[] = series.map((entry, i) => {
    requireOptions(`series[${i}]`, entry);
    if (typeof entry.name !== "string") {
      throw new KitTypeError(`series[${i}].name must be a string, got ${describeValue(entry.name)}`);
    }
    const values = toNumbers(`series[${i}].values`, entry.values);
    if (values.length === 0) throw new KitRangeError(`series[${i}].values must not be empty`);
    if (logY) {
      const k = values.findIndex((value) => value <= 0);
      if (k >= 0) {
        throw new KitRangeError(
          `series[${i}].values[${k}] is ${values[k]}, which a logarithmic axis cannot show: pass { logY: false }`,
        );
      }
    }
    const indices = sampledIndices(values.length, thinning(values.length, maxPoints));
    return {
      type: "scatter",
      mode: values.length === 1 ? "markers" : "lines",
      x: indices,
      y: indices.map((k) => values[k]),
      name: entry.name,
      line: { color: pathColor(i), width: 2 },
      hovertemplate: `iteration %{x}<br>${yTitle} = %{y:.6g}<extra>${entry.name}</extra>`,
    } as Plot;
  });
  const layout: Partial<Layout> = {
    title: { text: requireTitle("title", checked.title) ?? `${yTitle} against iteration` },
    xaxis: { title: { text: "iteration" } },
    yaxis: { title: { text: yTitle }, type: logY ? "log" : "linear", exponentformat: "power" },
    showlegend: true,
  } as Partial<Layout>;
  return { data, layout };
}

export interface CoefficientsFigureOptions {
  /** One name per coefficient: a, b, c, d, then c4, c5, … by default. */
  names?: string[];
  /** Draw every n-th iteration (and the last); by default about 500 points per line. */
  every?: number;
  title?: string;
}

/** Each coefficient against iteration, from a fit's trajectory (its points are coefficient vectors). */
export function coefficientsFigure(trajectory: Trajectory, options: CoefficientsFigureOptions = {}): Figure {
  const checked = requireOptions("options", options);
  const run = requireTrajectory("trajectory", trajectory);
  const count = run.points[0].length;
  run.points.forEach((point, k) => {
    if (point.length !== count) {
      throw new KitRangeError(`trajectory.points[${k}] must have ${count} coefficients, got ${point.length}`);
    }
  });
  const names = checked.names ?? coefficientNames(count);
  if (!Array.isArray(names) || names.length !== count || names.some((name) => typeof name !== "string")) {
    throw new KitRangeError(
      `names must be ${count} strings, one per coefficient, got ${describeValue(names)}`,
    );
  }
  const every = requireInteger(
    "every",
    checked.every ?? thinning(run.points.length, DEFAULT_MAX_POINTS),
    thinning(run.points.length, MAX_PATH_POINTS),
    Math.max(1, run.points.length),
  );
  const indices = sampledIndices(run.points.length, every);
  const data: Plot[] = names.map(
    (name, i) =>
      ({
        type: "scatter",
        mode: indices.length === 1 ? "markers" : "lines",
        x: indices,
        y: indices.map((k) => run.points[k][i]),
        name,
        line: { color: pathColor(i), width: 2 },
        hovertemplate: `iteration %{x}<br>${name} = %{y:.6g}<extra></extra>`,
      }) as Plot,
  );
  const layout: Partial<Layout> = {
    title: { text: requireTitle("title", checked.title) ?? "Coefficients against iteration" },
    xaxis: { title: { text: "iteration" } },
    yaxis: { title: { text: "value" } },
  } as Partial<Layout>;
  return { data, layout };
}
