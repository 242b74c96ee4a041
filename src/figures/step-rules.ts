/**
 * Figures of notebook 03 (beyond plain descent): every rule's path on the first article's contour
 * map, and convergence on a log scale against iterations or against gradient evaluations.
 */
import type { Layout, Plot } from "nodeplotlib";
import { KitTypeError, KitRangeError, describeValue, requireInteger } from "../descent/validate";
import { describeStop, type Trajectory } from "../descent/loop";
import {
  formatLearningRate,
  pathColor,
  requireOptions,
  requireTitle,
  sampledIndices,
  toNumbers,
  type Figure,
} from "./figure";
import { contourWithPathFigure } from "./surface";

/** "momentum (β = 0.9), η = 0.30: converged at iteration 41". */
export function ruleLabel(trajectory: Trajectory): string {
  return `${trajectory.rule}, η = ${formatLearningRate(trajectory.learningRate)}: ${describeStop(trajectory.stop)}`;
}

/** The paths of several rules on the contour map of f (notebook 01's map), named by rule. */
export function rulePathsFigure(trajectories: Trajectory[], options: { title?: string } = {}): Figure {
  const checked = requireOptions("options", options);
  const figure = contourWithPathFigure({
    trajectories,
    title: requireTitle("title", checked.title) ?? "Each rule's path on f(x, y) = ½x² + x + ¼y² − 2",
  });
  // contourWithPathFigure names a path by its learning rate; three traces per path after the contour.
  trajectories.forEach((trajectory, i) => {
    (figure.data[1 + 3 * i] as { name?: string }).name = ruleLabel(trajectory);
  });
  return figure;
}

export interface ConvergenceSeries {
  name: string;
  values: ArrayLike<number>;
  /** The x of each value (default: its index, the iteration). */
  x?: ArrayLike<number>;
}

/**
 * Series on a logarithmic y axis, e.g. the loss above the optimum against iteration. Values ≤ 0
 * (a run that reached the optimum to the last digit) have no logarithm: they are left out and the
 * legend says so. Each line is thinned to about `maxPoints` points, its last one kept.
 */
export function convergenceFigure(
  series: ConvergenceSeries[],
  options: { title?: string; xTitle?: string; yTitle?: string; maxPoints?: number; logX?: boolean } = {},
): Figure {
  const checked = requireOptions("options", options);
  if (!Array.isArray(series) || series.length === 0) {
    throw new KitTypeError(
      `series must be a non-empty array of { name, values }, got ${describeValue(series)}`,
    );
  }
  const maxPoints = requireInteger("maxPoints", checked.maxPoints ?? 500, 2);
  const xTitle = requireTitle("xTitle", checked.xTitle) ?? "iteration";
  const yTitle = requireTitle("yTitle", checked.yTitle) ?? "loss − optimum";
  const data: Plot[] = series.map((entry, i) => {
    requireOptions(`series[${i}]`, entry);
    if (typeof entry.name !== "string") {
      throw new KitTypeError(`series[${i}].name must be a string, got ${describeValue(entry.name)}`);
    }
    const values = toNumbers(`series[${i}].values`, entry.values);
    const xs = entry.x === undefined ? values.map((_, k) => k) : toNumbers(`series[${i}].x`, entry.x);
    if (xs.length !== values.length) {
      throw new KitRangeError(`series[${i}].x has ${xs.length} entries for ${values.length} values`);
    }
    const kept = sampledIndices(values.length, Math.max(1, Math.ceil(values.length / maxPoints))).filter(
      (k) => values[k] > 0,
    );
    const dropped = values.some((value) => value <= 0);
    return {
      type: "scatter",
      mode: kept.length === 1 ? "markers" : "lines",
      x: kept.map((k) => xs[k]),
      y: kept.map((k) => values[k]),
      name: dropped ? `${entry.name} (reaches 0: not drawn there)` : entry.name,
      line: { color: pathColor(i), width: 2 },
      hovertemplate: `${xTitle} %{x}<br>${yTitle} = %{y:.4g}<extra>${entry.name}</extra>`,
    } as Plot;
  });
  return {
    data,
    layout: {
      title: { text: requireTitle("title", checked.title) ?? `${yTitle} against ${xTitle}` },
      xaxis: { title: { text: xTitle }, type: checked.logX ? "log" : "linear" },
      yaxis: { title: { text: yTitle }, type: "log", exponentformat: "power" },
      legend: { orientation: "h", y: -0.2 },
      height: 520,
    } as Partial<Layout>,
  };
}
