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
}

export const ARTICLE_FUNCTION_LABEL = "f(x, y) = ½x² + x + ¼y² − 2";
export const DEFAULT_COLORSCALE = "Hot";

export interface CheckedSurfaceOptions {
  trajectories: Trajectory[];
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
  return {
    trajectories,
    func,
    grid: articleSurfaceGrid(requireOptions("grid", checked.grid), func),
    colorscale,
    title: requireTitle("title", checked.title) ?? defaultTitle(label),
  };
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
      name: pathLabel(trajectory),
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
      ...checked.trajectories.flatMap((trajectory, i) => pathTraces(trajectory, i, checked.func, "surface")),
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
      ...checked.trajectories.flatMap((trajectory, i) => pathTraces(trajectory, i, checked.func, "contour")),
    ],
    layout: contourLayout(checked.title, checked.grid),
  };
}
