import type { Layout, Plot } from "nodeplotlib";
import { KitRangeError } from "../descent/validate";
import { MAX_PATH_POINTS } from "../descent/thinning";
import { type LossSlice } from "../problems/cubic-fit/losses";
import { toNumbers } from "./figure";

export interface LossSlicesFigureOptions {
  title?: string;
  /** The name of the loss, for the y axes (default "loss"). */
  lossName?: string;
}

/**
 * One panel per coefficient: the loss as that coefficient moves, the others held at the centre,
 * with the centre marked. Each panel has its own axes, since the curvatures differ by orders of
 * magnitude (that difference is the lesson).
 */
export function lossSlicesFigure(
  slices: readonly LossSlice[],
  options: LossSlicesFigureOptions = {},
): { data: Plot[]; layout: Layout } {
  if (!Array.isArray(slices as unknown) || slices.length === 0) {
    throw new KitRangeError(`slices must be a non-empty array of loss slices, got ${String(slices)}`);
  }
  const columns = Math.min(slices.length, 4);
  const rows = Math.ceil(slices.length / columns);
  const lossName = options.lossName ?? "loss";
  const data: Plot[] = [];
  const layout: Layout = {
    title: { text: options.title ?? `${lossName} along each coefficient, the others held fixed` },
    grid: { rows, columns, pattern: "independent" },
    showlegend: false,
    height: 320 * rows,
  };
  const axes = layout as Record<string, unknown>;
  slices.forEach((slice, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    // finite numbers only: plotly.js would receive NaN or Infinity as null
    const values = toNumbers(`slices[${i}].values`, slice?.values);
    const losses = toNumbers(`slices[${i}].losses`, slice.losses);
    if (values.length !== losses.length || values.length > MAX_PATH_POINTS) {
      throw new KitRangeError(
        `slices[${i}] must have as many losses as values (at most ${MAX_PATH_POINTS}), got ${values.length} and ${losses.length}`,
      );
    }
    const centreIndex = values.findIndex((value) => value === slice.center);
    data.push({
      type: "scatter",
      mode: "lines",
      x: values,
      y: losses,
      name: slice.coordinate,
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      hovertemplate: `${slice.coordinate} = %{x:.4g}<br>${lossName} = %{y:.6g}<extra></extra>`,
    });
    if (centreIndex >= 0) {
      data.push({
        type: "scatter",
        mode: "markers",
        x: [slice.center],
        y: [losses[centreIndex]],
        name: `${slice.coordinate} at the centre`,
        marker: { size: 9 },
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
      });
    }
    axes[`xaxis${suffix}`] = { title: { text: slice.coordinate } };
    axes[`yaxis${suffix}`] = { title: { text: i % columns === 0 ? lossName : "" }, exponentformat: "power" };
  });
  return { data, layout };
}
