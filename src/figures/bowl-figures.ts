import type { Layout, Plot } from "nodeplotlib";
import { CONVEX_EXAMPLE, NON_CONVEX_EXAMPLE, type OneVariableExample } from "../problems/bowl/closed-form";
import { positionRows } from "../problems/bowl/positions";
import { gridAxis } from "../problems/bowl/bowl";
import { type Trajectory } from "../descent/loop";
import { KitTypeError, describeValue, extent, requireFinite } from "../descent/validate";
import {
  formatLearningRate,
  pathColor,
  requireOptions,
  requireTitle,
  requireTrajectories,
  type Figure,
} from "./figure";
import { lossFigure } from "./training";

/** The chords drawn: between two points of each graph (on the non-convex one, its two minima). */
const CONVEX_CHORD: [number, number] = [-1.5, 1];

function examplePanel(example: OneVariableExample, chord: [number, number], axis: "" | "2"): Plot[] {
  const xs = gridAxis({ from: -2, to: 2, step: 0.02 });
  const at = (x: number): number => example.f(x);
  const axes = { xaxis: `x${axis}`, yaxis: `y${axis}` };
  const minimumColors = { global: "#2e7d32", local: "#ef6c00" };
  return [
    {
      type: "scatter",
      mode: "lines",
      x: xs,
      y: xs.map(at),
      name: example.label,
      line: { width: 3 },
      ...axes,
    },
    {
      type: "scatter",
      mode: "lines",
      x: chord,
      y: chord.map(at),
      name: `${example.label}: a chord`,
      line: { dash: "dash", color: "#555" },
      ...axes,
    },
    ...example.minima.map((minimum): Plot => ({
      type: "scatter",
      mode: "text+markers",
      x: [minimum.x],
      y: [at(minimum.x)],
      name: `${example.label}: ${minimum.kind} minimum`,
      text: [`${minimum.kind} minimum`],
      textposition: "bottom center",
      marker: { size: 12, color: minimumColors[minimum.kind] },
      ...axes,
    })),
  ] as Plot[];
}

/**
 * The introduction's picture: a convex function (every chord lies above the graph, one minimum)
 * beside a non-convex one (a chord passes below the graph; a global and a local minimum).
 */
export function convexityFigure(): Figure {
  const [global, local] = NON_CONVEX_EXAMPLE.minima;
  const data = [
    ...examplePanel(CONVEX_EXAMPLE, CONVEX_CHORD, ""),
    ...examplePanel(NON_CONVEX_EXAMPLE, [global.x, local.x], "2"),
  ];
  const layout = {
    title: { text: `Convex: ${CONVEX_EXAMPLE.label}     ·     non-convex: ${NON_CONVEX_EXAMPLE.label}` },
    grid: { rows: 1, columns: 2, pattern: "independent" },
    showlegend: false,
    xaxis: { title: { text: "x" } },
    xaxis2: { title: { text: "x" } },
    yaxis: { title: { text: "g(x)" } },
    yaxis2: { title: { text: "h(x)" } },
    height: 420,
  } as Partial<Layout>;
  return { data, layout };
}

/**
 * f − f_min per iteration for several descents of the article's function, on one plot: a log
 * scale while every value is positive (it falls by orders of magnitude), linear once a run lands
 * exactly on the minimum (log 0 does not exist).
 */
export function heightAboveMinimumFigure(trajectories: Trajectory[]): Figure {
  const series = requireTrajectories("trajectories", trajectories, 2).map((trajectory) => ({
    name: `η = ${formatLearningRate(trajectory.learningRate)}`,
    values: positionRows(trajectory).map((row) => row.aboveMinimum),
  }));
  const logY = series.every((entry) => entry.values.every((value) => value > 0));
  return lossFigure(series, {
    logY,
    title: "How far above the minimum: f(x, y) − f(−1, 0) at each iteration",
    yTitle: "f − f_min",
  });
}

export interface OneVariablePathsOptions {
  /** The function drawn, e.g. CONVEX_EXAMPLE or NON_CONVEX_EXAMPLE. */
  example: OneVariableExample;
  /** Descent paths x₀, x₁, … with their legend names. */
  paths: { name: string; path: readonly number[] }[];
  /** The x range drawn at least (widened to hold every finite path point); default [−2, 2]. */
  from?: number;
  to?: number;
  title?: string;
}

/**
 * The one-dimensional warm-up: a function of x and descent paths on its graph, each step a marker
 * at (x_k, f(x_k)) joined in order, so that a jump across the minimum shows as a zigzag.
 */
export function oneVariablePathsFigure(options: OneVariablePathsOptions): Figure {
  const { example, paths } = requireOptions("options", options);
  if (!Array.isArray(paths)) throw new KitTypeError(`paths must be an array, got ${describeValue(paths)}`);
  const finite = paths.flatMap((entry) => Array.from(entry.path).filter(Number.isFinite));
  const from = Math.min(requireFinite("from", options.from ?? -2), extent(finite).min);
  const to = Math.max(requireFinite("to", options.to ?? 2), extent(finite).max);
  const xs = gridAxis({ from, to, step: (to - from) / 400 });
  const data = [
    {
      type: "scatter",
      mode: "lines",
      x: xs,
      y: xs.map(example.f),
      name: example.label,
      line: { width: 3, color: "#888" },
    },
    ...example.minima.map((minimum) => ({
      type: "scatter",
      mode: "markers",
      x: [minimum.x],
      y: [example.f(minimum.x)],
      name: `${minimum.kind} minimum`,
      marker: { size: 12, color: "white", line: { color: "black", width: 2 } },
    })),
    ...paths.map((entry, i) => {
      const steps = entry.path.map((_, k) => k).filter((k) => Number.isFinite(entry.path[k]));
      return {
        type: "scatter",
        mode: "lines+markers",
        x: steps.map((k) => entry.path[k]),
        y: steps.map((k) => example.f(entry.path[k])),
        customdata: steps,
        name: entry.name,
        line: { color: pathColor(i), width: 2 },
        marker: { color: pathColor(i), size: 8 },
        hovertemplate: `step %{customdata}<br>x = %{x:.4g}<br>f = %{y:.4g}<extra>${entry.name}</extra>`,
      };
    }),
  ] as Plot[];
  const layout = {
    title: { text: requireTitle("title", options.title) ?? `Gradient descent on ${example.label}` },
    xaxis: { title: { text: "x" } },
    yaxis: { title: { text: example.label.split(" =")[0] } },
    height: 420,
  } as Partial<Layout>;
  return { data, layout };
}
