import type { Layout } from "nodeplotlib";
import { describeStop, describeValue, requireInteger, type GridOptions, type Trajectory } from "../numerics";
import { formatLearningRate, type Figure } from "./figure";
import {
  checkSurfaceOptions,
  contourLayout,
  contourTrace,
  pathTraces,
  surfaceLayout,
  surfaceTrace,
  type SurfaceFunction,
} from "./surface";

export interface LearningRateExplorerOptions {
  /** Contour lines seen from above (default) or the 3-D surface. */
  view?: "contour" | "surface";
  func?: SurfaceFunction;
  grid?: GridOptions;
  colorscale?: string;
  title?: string;
  /** Index of the trajectory shown before the slider moves (default 0). */
  active?: number;
}

/** Traces per trajectory: path, start, end (see pathTraces). */
export const TRACES_PER_PATH = 3;

/** The slider's label for a learning rate, e.g. "η = 0.10". */
export function learningRateLabel(rate: number): string {
  return `η = ${formatLearningRate(rate)}`;
}

function stepSubtitle(trajectory: Trajectory): string {
  return `${learningRateLabel(trajectory.learningRate)}: ${describeStop(trajectory.stop)}`;
}

/**
 * A plotly.js slider with one step per trajectory (computed in the kernel beforehand). Every path
 * is in the figure, hidden but the active one; each step shows its own path and names its stop
 * in the title, so the explorer works in an exported HTML file with no kernel. Diverged runs keep
 * their finite points, and the axes widen to show them.
 */
export function learningRateExplorerFigure(
  trajectories: Trajectory[],
  options: LearningRateExplorerOptions = {},
): Figure {
  if (!Array.isArray(trajectories) || trajectories.length === 0) {
    throw new TypeError(
      `trajectories must be a non-empty array of trajectories, got ${describeValue(trajectories)}`,
    );
  }
  const view = options?.view ?? "contour";
  if (view !== "contour" && view !== "surface") {
    throw new RangeError(`view must be "contour" or "surface", got ${describeValue(view)}`);
  }
  const title = options?.title;
  const checked = checkSurfaceOptions(
    { ...options, trajectories },
    (label) => `Gradient descent on ${label}: drag the learning rate`,
  );
  const active = requireInteger("active", options?.active ?? 0, 0, trajectories.length - 1);
  const baseTitle = title ?? checked.title;
  const titled = (trajectory: Trajectory): string => `${baseTitle}<br><sub>${stepSubtitle(trajectory)}</sub>`;

  const background =
    view === "surface"
      ? surfaceTrace(checked.grid, checked.colorscale)
      : contourTrace(checked.grid, checked.colorscale);
  const data = [
    background,
    ...checked.trajectories.flatMap((trajectory, i) =>
      pathTraces(trajectory, i, checked.func, view, i === active),
    ),
  ];
  // One colour for every path: the slider changes the rate, not the series.
  for (const trace of data.slice(1)) {
    const styled = trace as { line?: { color?: string }; marker?: { color?: string } };
    if (styled.line) styled.line.color = "#4fc3f7";
    if (styled.marker) styled.marker.color = "#4fc3f7";
  }
  const steps = checked.trajectories.map((trajectory, i) => ({
    label: learningRateLabel(trajectory.learningRate),
    value: formatLearningRate(trajectory.learningRate),
    method: "update",
    args: [
      { visible: data.map((_, t) => t === 0 || Math.floor((t - 1) / TRACES_PER_PATH) === i) },
      { "title.text": titled(trajectory) },
    ],
  }));

  // The axes follow the visible path (plotly.js autoranges over visible traces only), so a
  // diverging run is seen leaving the function's grid instead of being cut off at its edge.
  let layout: Partial<Layout>;
  if (view === "surface") {
    layout = surfaceLayout("");
  } else {
    const flat = contourLayout("", checked.grid) as Record<string, Record<string, unknown>>;
    delete flat.xaxis.range;
    delete flat.yaxis.range;
    layout = flat as Partial<Layout>;
  }
  return {
    data,
    layout: {
      ...layout,
      title: { text: titled(checked.trajectories[active]) },
      showlegend: false,
      height: 640,
      margin: { t: 80, b: 40, l: 50, r: 20 },
      sliders: [
        {
          active,
          steps,
          currentvalue: { visible: true, prefix: "learning rate ", font: { size: 16, color: "#222" } },
          // Fifty tick labels would overlap; the current value above the slider names the rate.
          font: { color: "rgba(0,0,0,0)" },
          pad: { t: 30 },
          len: 1,
          x: 0,
        },
      ],
    } as Partial<Layout>,
  };
}
