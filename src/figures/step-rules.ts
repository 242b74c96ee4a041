/**
 * Figures of notebook 03 (beyond plain descent): every rule's path on the first article's contour
 * map, convergence on a log scale against iterations or against gradient evaluations, and an
 * explorer with a slider for the step size and one for the momentum that works with no kernel.
 */
import type { Layout, Plot } from "nodeplotlib";
import { KitTypeError, KitRangeError, describeValue, requireInteger } from "../descent/validate";
import { articleFunction, articleSurfaceGrid } from "../problems/bowl/bowl";
import { describeStop, type Trajectory } from "../descent/loop";
import { momentumRate, type MomentumSweep } from "../analysis/rates";
import {
  formatLearningRate,
  pathColor,
  requireOptions,
  requireTitle,
  sampledIndices,
  toNumbers,
  type Figure,
} from "./figure";
import { contourWithPathFigure, contourTrace, DEFAULT_COLORSCALE } from "./surface";

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

/** The explorer's grid of f: wider than the article's, so that momentum's swings stay on the map. */
export const EXPLORER_GRID = { from: -3.5, to: 3.5, step: 0.1 };

/**
 * Heavy-ball momentum on the first article's function with two sliders, the step size η and the
 * momentum β, each working alone in exported HTML (no kernel). One path trace per momentum, only
 * the chosen one visible: the η slider writes every momentum's path for its η into those traces,
 * the β slider shows one of them, so neither slider needs to know where the other stands. The
 * legend names the run and its rate per step from theory (the largest root of z² − (1 + β − ηλ)z + β).
 */
export function momentumExplorerFigure(
  sweep: MomentumSweep,
  options: {
    title?: string;
    activeLearningRate?: number;
    activeMomentum?: number;
    eigenvalues?: number[];
  } = {},
): Figure {
  const checked = requireOptions("options", options);
  const { learningRates, momenta, runs } = sweep;
  if (
    !Array.isArray(runs) ||
    runs.length !== momenta.length ||
    runs.some((row) => row.length !== learningRates.length)
  ) {
    throw new KitRangeError("sweep.runs must hold one run per momentum and step size (from momentumSweep)");
  }
  const eigenvalues = checked.eigenvalues ?? [1, 0.5];
  const activeRate = requireInteger(
    "activeLearningRate",
    checked.activeLearningRate ?? 0,
    0,
    learningRates.length - 1,
  );
  const activeMomentum = requireInteger("activeMomentum", checked.activeMomentum ?? 0, 0, momenta.length - 1);
  const baseTitle = requireTitle("title", checked.title) ?? "Momentum on f(x, y) = ½x² + x + ¼y² − 2";
  const titleFor = (i: number): string =>
    `${baseTitle}<br><sub>step size η = ${formatLearningRate(learningRates[i])}</sub>`;
  const nameOf = (run: Trajectory, j: number, i: number): string => {
    const rate = momentumRate(eigenvalues, learningRates[i], momenta[j]);
    return `β = ${formatLearningRate(momenta[j])}, η = ${formatLearningRate(learningRates[i])}: ${describeStop(run.stop)} (rate ${rate.toPrecision(3)} per step)`;
  };
  const coordinates = (run: Trajectory) => ({
    x: run.points.map((point) => point[0]),
    y: run.points.map((point) => point[1]),
  });
  const grid = articleSurfaceGrid(EXPLORER_GRID, articleFunction);
  const pathTraces: Plot[] = momenta.map(
    (_, j) =>
      ({
        type: "scatter",
        mode: "lines+markers",
        ...coordinates(runs[j][activeRate]),
        name: nameOf(runs[j][activeRate], j, activeRate),
        visible: j === activeMomentum,
        line: { color: pathColor(0), width: 2.5 },
        marker: { color: pathColor(0), size: 5 },
        hovertemplate: "step %{pointNumber}<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>",
      }) as Plot,
  );
  const start = runs[0][0].points[0];
  const startTrace = {
    type: "scatter",
    mode: "markers",
    x: [start[0]],
    y: [start[1]],
    name: "start",
    showlegend: false,
    marker: { color: pathColor(0), size: 12, symbol: "diamond", line: { color: "black", width: 1 } },
    hovertemplate: "start<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>",
  } as Plot;
  const pathIndices = momenta.map((_, j) => 1 + j);
  const rateSteps = learningRates.map((rate, i) => ({
    label: formatLearningRate(rate),
    value: formatLearningRate(rate),
    method: "update",
    args: [
      {
        x: momenta.map((_, j) => coordinates(runs[j][i]).x),
        y: momenta.map((_, j) => coordinates(runs[j][i]).y),
        name: momenta.map((_, j) => nameOf(runs[j][i], j, i)),
      },
      { "title.text": titleFor(i) },
      pathIndices,
    ],
  }));
  const momentumSteps = momenta.map((momentum, j) => ({
    label: formatLearningRate(momentum),
    value: formatLearningRate(momentum),
    method: "restyle",
    args: [{ visible: momenta.map((_, k) => k === j) }, pathIndices],
  }));
  const range = [EXPLORER_GRID.from, EXPLORER_GRID.to];
  return {
    data: [contourTrace(grid, DEFAULT_COLORSCALE), ...pathTraces, startTrace],
    layout: {
      title: { text: titleFor(activeRate), y: 0.98, yanchor: "top" },
      xaxis: { title: { text: "X" }, range, constrain: "domain" },
      yaxis: { title: { text: "Y" }, range, scaleanchor: "x", constrain: "domain" },
      showlegend: true,
      legend: { orientation: "h", x: 0, y: 1.01, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.8)" },
      height: 760,
      margin: { t: 120, b: 150, l: 50, r: 20 },
      sliders: [
        {
          active: activeRate,
          steps: rateSteps,
          currentvalue: { visible: true, prefix: "step size η = ", font: { size: 15, color: "#222" } },
          font: { color: "rgba(0,0,0,0)" },
          pad: { t: 40 },
          len: 1,
          x: 0,
          y: 0,
          yanchor: "top",
        },
        {
          active: activeMomentum,
          steps: momentumSteps,
          currentvalue: { visible: true, prefix: "momentum β = ", font: { size: 15, color: "#222" } },
          pad: { t: 110 },
          len: 1,
          x: 0,
          y: 0,
          yanchor: "top",
        },
      ],
    } as Partial<Layout>,
  };
}
