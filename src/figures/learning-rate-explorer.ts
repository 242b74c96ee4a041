import type { Layout } from "nodeplotlib";
import { MAX_PATH_POINTS } from "../descent/thinning";
import { describeStop, type Trajectory } from "../descent/loop";
import { describeValue, requireInteger } from "../descent/validate";
import { type GridOptions } from "../problems/bowl/bowl";
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
import { KitRangeError, KitTypeError } from "../descent/validate";

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

/** The most runs one explorer's slider holds. */
export const MAX_EXPLORER_PATHS = 200;

/** The points all of an explorer's paths keep together (each path at least 50). */
export const EXPLORER_POINTS = 10_000;

/** The traces a slider step restyles: the path, its start and its end (see pathTraces). */
export const PATH_TRACE_INDICES = [1, 2, 3];

/** What differs between two paths' traces; the styling stays. */
const STEPPED_KEYS = ["x", "y", "customdata", "name", "hovertemplate"];

/** The slider's label for a learning rate, e.g. "η = 0.10". */
export function learningRateLabel(rate: number): string {
  return `η = ${formatLearningRate(rate)}`;
}

function stepSubtitle(trajectory: Trajectory): string {
  return `${learningRateLabel(trajectory.learningRate)}: ${describeStop(trajectory.stop)}`;
}

/**
 * A plotly.js slider with one step per trajectory (computed in the kernel beforehand). Each step
 * carries its path's points and puts them into the path's traces (plotly.js "update"), and names
 * the run's stop in the title, so the explorer works in an exported HTML file with no kernel.
 * Diverged runs keep their finite points, and the axes widen to show them.
 */
export function learningRateExplorerFigure(
  trajectories: Trajectory[],
  options: LearningRateExplorerOptions = {},
): Figure {
  if (!Array.isArray(trajectories) || trajectories.length === 0) {
    throw new KitTypeError(
      `trajectories must be a non-empty array of trajectories, got ${describeValue(trajectories)}`,
    );
  }
  if (trajectories.length > MAX_EXPLORER_PATHS) {
    throw new KitRangeError(
      `trajectories may hold at most ${MAX_EXPLORER_PATHS} runs (one slider step each), got ${trajectories.length}`,
    );
  }
  const view = options?.view ?? "contour";
  if (view !== "contour" && view !== "surface") {
    throw new KitRangeError(`view must be "contour" or "surface", got ${describeValue(view)}`);
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
  // The paths' traces, as each step sets them (path, start, end: see pathTraces).
  // Every path's points travel in the slider's steps: a shared budget keeps 50 long runs small.
  const pointsPerPath = Math.max(
    50,
    Math.min(MAX_PATH_POINTS, Math.floor(EXPLORER_POINTS / trajectories.length)),
  );
  const pathsByStep = checked.trajectories.map((trajectory) =>
    pathTraces(trajectory, 0, checked.func, view, true, pointsPerPath),
  );
  const stepped = view === "surface" ? [...STEPPED_KEYS, "z"] : STEPPED_KEYS;
  const steps = checked.trajectories.map((trajectory, i) => ({
    label: learningRateLabel(trajectory.learningRate),
    value: formatLearningRate(trajectory.learningRate),
    method: "update",
    args: [
      Object.fromEntries(
        stepped.map((key) => [key, pathsByStep[i].map((trace) => (trace as Record<string, unknown>)[key])]),
      ),
      { "title.text": titled(trajectory) },
      PATH_TRACE_INDICES,
    ],
  }));

  // The axes follow the path (autorange), so a diverging run is seen leaving the function's grid
  // instead of being cut off at its edge.
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
    data: [background, ...pathsByStep[active]],
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
