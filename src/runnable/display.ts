/**
 * The kit's display functions in the runnable page (the page's bundle puts this module where
 * src/display/show.ts would be): figures are drawn under the running cell, plotly.js is already
 * in the page, and what writes files or opens windows runs only in the kernel.
 */
import type { Figure } from "../figures/figure";
import { requireInteger } from "../descent/validate";
import { currentOutput } from "./outputs";

export { PLOT_CONFIG, DEFAULT_FIGURE_HEIGHT } from "../display/plot-config";

export interface ShowOptions {
  height?: number;
}

/** Draws the figure, interactive, under the running cell. */
export function show(figure: Figure, options: ShowOptions = {}): void {
  const height =
    options.height === undefined ? undefined : requireInteger("height", options.height, 50, 10_000);
  currentOutput().figure(figure, height);
}

/** In the page plotly.js is already there: says so where the kernel stores it. */
export function setUpFigures(): void {
  currentOutput().html(
    `<div class="gd-plotly-library" style="font:12px sans-serif;color:#666">` +
      `Interactive figures: plotly.js is stored once in this page, for the figures below.</div>`,
  );
}

export function resetPlotlyDelivery(): void {}

export function openInWindow(): never {
  throw new Error("openInWindow runs only in the kernel (it opens a window); in this page, use show(figure)");
}
