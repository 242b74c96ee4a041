import type { Layout, Plot } from "nodeplotlib";
import {
  articleFunction,
  articleSurfaceGrid,
  type GridOptions,
  type SurfaceGrid,
} from "../problems/bowl/bowl";
import { describeStop, type Trajectory } from "../descent/loop";
import { describeValue, requireFunction, KitRangeError } from "../descent/validate";
import { MAX_PATH_POINTS, thinPath } from "../descent/thinning";
import {
  formatLearningRate,
  pathColor,
  requireOptions,
  requireTitle,
  requireTrajectories,
  type Figure,
} from "./figure";
import { KitTypeError } from "../descent/validate";

export type SurfaceFunction = (x: number, y: number) => number;

export interface SurfaceFigureOptions {
  /** Descent paths to draw on the function (points with two coordinates). */
  trajectories?: Trajectory[];
  /** The function drawn; the article's f(x, y) = ½x² + x + ¼y² − 2 by default. */
  func?: SurfaceFunction;
  /** The square grid: from −2.5 to 2.5 with step 0.1 (51 × 51) by default, as in the article. */
  grid?: GridOptions;
  /** A plotly.js colour scale name; "Hot" (the article's cm.hot) by default. */
  colorscale?: string;
  title?: string;
  /** Legend names of the paths, one per trajectory (default: the learning rate and the stop). */
  names?: string[];
  /** Points to mark on the drawn function, e.g. its minima, each named in the legend. */
  marks?: { x: number; y: number; name: string }[];
  /**
   * Widen the default grid (not a given one) to a square that holds every path point, so that a
   * path leaving [−2.5, 2.5]² is drawn on the surface, not in the air beside it.
   */
  coverPaths?: boolean;
}

export const ARTICLE_FUNCTION_LABEL = "f(x, y) = ½x² + x + ¼y² − 2";
export const DEFAULT_COLORSCALE = "Hot";

export interface CheckedSurfaceOptions {
  trajectories: Trajectory[];
  names: (string | undefined)[];
  marks: { x: number; y: number; name: string }[];
  func: SurfaceFunction;
  grid: SurfaceGrid;
  colorscale: string;
  title: string;
}

export function checkSurfaceOptions(
  options: SurfaceFigureOptions | undefined,
  defaultTitle: (functionLabel: string) => string,
): CheckedSurfaceOptions {
  const checked = requireOptions("options", options);
  const trajectories = requireTrajectories("trajectories", checked.trajectories ?? [], 2);
  const func = checked.func ?? articleFunction;
  requireFunction("func", func);
  const colorscale = checked.colorscale ?? DEFAULT_COLORSCALE;
  if (typeof colorscale !== "string" || colorscale === "") {
    throw new KitTypeError(
      `colorscale must be a plotly.js colour scale name, got ${describeValue(colorscale)}`,
    );
  }
  const label = func === articleFunction ? ARTICLE_FUNCTION_LABEL : "f(x, y)";
  const names = checked.names ?? [];
  if (!Array.isArray(names) || names.some((name) => typeof name !== "string")) {
    throw new KitTypeError(`names must be an array of strings, got ${describeValue(names)}`);
  }
  const marks = checked.marks ?? [];
  if (
    !Array.isArray(marks) ||
    marks.some((m) => typeof m?.name !== "string" || !Number.isFinite(m?.x) || !Number.isFinite(m?.y))
  ) {
    throw new KitTypeError(
      `marks must be an array of { x, y, name } with finite x and y, got ${describeValue(marks)}`,
    );
  }
  const grid =
    checked.grid === undefined && checked.coverPaths === true
      ? coveringGrid(trajectories)
      : requireOptions("grid", checked.grid);
  return {
    trajectories,
    names,
    marks,
    func,
    grid: articleSurfaceGrid(grid, func),
    colorscale,
    title: requireTitle("title", checked.title) ?? defaultTitle(label),
  };
}

/** The default square [−2.5, 2.5]², widened to hold every finite path point, at 51 points a side. */
export function coveringGrid(trajectories: readonly Trajectory[]): GridOptions {
  let low = -2.5;
  let high = 2.5;
  for (const trajectory of trajectories) {
    for (const point of trajectory.points) {
      for (const value of point) {
        if (Number.isFinite(value)) {
          low = Math.min(low, value);
          high = Math.max(high, value);
        }
      }
    }
  }
  const margin = 0.02 * (high - low);
  return { from: low - margin, to: high + margin, step: (high - low + 2 * margin) / 50 };
}

/** Marked points on the surface (at z = f) or the map: a labelled marker each. */
export function markTraces(
  marks: readonly { x: number; y: number; name: string }[],
  func: SurfaceFunction,
  view: PathView,
): Plot[] {
  return marks.map(
    (mark) =>
      ({
        type: view === "surface" ? "scatter3d" : "scatter",
        mode: "text+markers",
        x: [mark.x],
        y: [mark.y],
        ...(view === "surface" ? { z: [func(mark.x, mark.y)] } : {}),
        name: mark.name,
        text: [mark.name],
        textposition: "top center",
        marker: {
          size: view === "surface" ? 6 : 12,
          color: "white",
          symbol: "circle",
          line: { color: "black", width: 2 },
        },
        hovertemplate: `${mark.name}<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>`,
      }) as Plot,
  );
}

export type PathView = "surface" | "contour";

/** A path's legend entry: its learning rate and why it stopped. */
export function pathLabel(trajectory: Trajectory): string {
  return `η = ${formatLearningRate(trajectory.learningRate)} (${describeStop(trajectory.stop)})`;
}

/**
 * Three traces for one descent path: the line with a marker per step, the start (diamond) and
 * the end (cross). On the surface each point sits at z = f(x, y), as the article plots it.
 */
export function pathTraces(
  trajectory: Trajectory,
  index: number,
  func: SurfaceFunction,
  view: PathView,
  visible = true,
  maxPoints = MAX_PATH_POINTS,
  name = pathLabel(trajectory),
): Plot[] {
  // A long run is drawn thinned (start, end and every visible turn); hover still names each step.
  const steps = thinPath(trajectory.points, maxPoints);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const k of trajectory.points.keys()) {
    xs.push(trajectory.points[k][0]);
    ys.push(trajectory.points[k][1]);
  }
  const color = pathColor(index);
  const group = `path ${index}`;
  const threeD = view === "surface";
  const coordinates = (indices: number[]): Record<string, number[]> => {
    const picked: Record<string, number[]> = { x: indices.map((k) => xs[k]), y: indices.map((k) => ys[k]) };
    if (threeD) {
      picked.z = indices.map((k) => {
        const z = func(xs[k], ys[k]);
        if (typeof z !== "number" || !Number.isFinite(z)) {
          throw new KitRangeError(
            `the function is not a finite number on the path at step ${k}, (x, y) = (${xs[k]}, ${ys[k]}): f = ${describeValue(z)}`,
          );
        }
        return z;
      });
    }
    return picked;
  };
  const type = threeD ? "scatter3d" : "scatter";
  const hover = threeD
    ? "step %{customdata}<br>x = %{x:.4g}<br>y = %{y:.4g}<br>f = %{z:.4g}"
    : "step %{customdata}<br>x = %{x:.4g}<br>y = %{y:.4g}";
  const last = trajectory.points.length - 1;
  return [
    {
      type,
      mode: "lines+markers",
      ...coordinates(steps),
      customdata: steps, // the step numbers, also of a thinned path
      name,
      legendgroup: group,
      visible,
      line: { color, width: threeD ? 6 : 2.5 },
      marker: { color, size: threeD ? 3 : 5 },
      hovertemplate: `${hover}<extra>η = ${formatLearningRate(trajectory.learningRate)}</extra>`,
    } as Plot,
    {
      type,
      mode: "markers",
      ...coordinates([0]),
      name: "start",
      legendgroup: group,
      showlegend: false,
      visible,
      marker: { color, size: threeD ? 7 : 12, symbol: "diamond", line: { color: "black", width: 1 } },
      hovertemplate: `start<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>`,
    } as Plot,
    {
      type,
      mode: "markers",
      ...coordinates([last]),
      name: "end",
      legendgroup: group,
      showlegend: false,
      visible,
      marker: { color, size: threeD ? 7 : 12, symbol: "x", line: { color: "black", width: 1 } },
      hovertemplate: `end after ${last} steps: ${describeStop(trajectory.stop)}<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>`,
    } as Plot,
  ];
}

export function surfaceTrace(grid: SurfaceGrid, colorscale: string): Plot {
  return {
    type: "surface",
    x: grid.xs,
    y: grid.ys,
    z: grid.z,
    colorscale,
    name: "f(x, y)",
    showscale: false,
    hovertemplate: "x = %{x:.3g}<br>y = %{y:.3g}<br>f = %{z:.4g}<extra></extra>",
  } as Plot;
}

export function contourTrace(grid: SurfaceGrid, colorscale: string): Plot {
  return {
    type: "contour",
    x: grid.xs,
    y: grid.ys,
    z: grid.z,
    colorscale,
    name: "f(x, y)",
    ncontours: 25,
    colorbar: { title: { text: "f" }, thickness: 14 },
    hovertemplate: "x = %{x:.3g}<br>y = %{y:.3g}<br>f = %{z:.4g}<extra></extra>",
  } as unknown as Plot; // @types/plotly.js 1.54 predates colorbar.title as an object
}

export function surfaceLayout(title: string): Partial<Layout> {
  return {
    title: { text: title },
    scene: {
      xaxis: { title: { text: "X" } },
      yaxis: { title: { text: "Y" } },
      zaxis: { title: { text: "Z" } },
      camera: { eye: { x: -1.5, y: -1.5, z: 1.1 } },
    },
    legend: { x: 0, y: 1, bgcolor: "rgba(255,255,255,0.7)" },
    margin: { l: 0, r: 0, t: 60, b: 0 },
    height: 560,
  } as Partial<Layout>;
}

export function contourLayout(title: string, grid: SurfaceGrid): Partial<Layout> {
  const xRange = [grid.xs[0], grid.xs[grid.xs.length - 1]];
  const yRange = [grid.ys[0], grid.ys[grid.ys.length - 1]];
  return {
    title: { text: title },
    xaxis: { title: { text: "X" }, range: xRange, constrain: "domain" },
    yaxis: { title: { text: "Y" }, range: yRange, scaleanchor: "x", constrain: "domain" },
    legend: { orientation: "h", y: -0.15 },
    margin: { t: 60 },
    height: 560,
  } as Partial<Layout>;
}

/** The first article's picture: f on its 51 × 51 grid as a "Hot" surface, with the descent paths on it. */
export function surfaceWithPathFigure(options: SurfaceFigureOptions = {}): Figure {
  const checked = checkSurfaceOptions(options, (label) => `${label} and the descent path`);
  return {
    data: [
      surfaceTrace(checked.grid, checked.colorscale),
      ...checked.trajectories.flatMap((trajectory, i) =>
        pathTraces(
          trajectory,
          i,
          checked.func,
          "surface",
          true,
          MAX_PATH_POINTS,
          checked.names[i] ?? pathLabel(trajectory),
        ),
      ),
      ...markTraces(checked.marks, checked.func, "surface"),
    ],
    layout: surfaceLayout(checked.title),
  };
}

/** The same seen from above: contour lines of f with the descent paths. */
export function contourWithPathFigure(options: SurfaceFigureOptions = {}): Figure {
  const checked = checkSurfaceOptions(options, (label) => `${label} seen from above, with the descent path`);
  return {
    data: [
      contourTrace(checked.grid, checked.colorscale),
      ...checked.trajectories.flatMap((trajectory, i) =>
        pathTraces(
          trajectory,
          i,
          checked.func,
          "contour",
          true,
          MAX_PATH_POINTS,
          checked.names[i] ?? pathLabel(trajectory),
        ),
      ),
      ...markTraces(checked.marks, checked.func, "contour"),
    ],
    layout: contourLayout(checked.title, checked.grid),
  };
}
