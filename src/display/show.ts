import type { Figure } from "../figures/figure";
import { figureHtml, PLOT_CONFIG, plotlyBundleElement, requireFigure } from "./html";
import { plotlyBundle } from "./plotly-bundle";
import { preloadScript } from "./runtime";

/** Where show() sends HTML: tslab's `display` by default, or e.g. tslab's `newDisplay()`. */
export interface HtmlDisplay {
  html(html: string): void;
}

export interface ShowOptions {
  /** Height in pixels; by default the layout's height, else 480. The width follows the cell. */
  height?: number;
  /** The display to write to; tslab's `display` by default. */
  display?: HtmlDisplay;
}

let plotlyDelivered = false;

/** tslab is loaded on first use: it brings a TypeScript compiler, which programs and tests need not load. */
function tslabDisplay(): HtmlDisplay {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tslab = require("tslab") as typeof import("tslab");
  return tslab.display;
}

/**
 * Shows a figure inline in a tslab notebook, interactive (rotate, zoom, hover) and offline. The
 * first figure of each kernel session carries plotly.js (from node_modules, about 2 MB
 * compressed); the later ones find it in the page.
 */
export function show(figure: Figure, options: ShowOptions = {}): void {
  requireFigure("figure", figure);
  send(figureHtml(figure, { includeLibrary: !plotlyDelivered, height: options.height }), options.display);
}

/**
 * Puts plotly.js into this cell's output, for the figures of the cells below: call it in a
 * notebook's first code cell. Figures then survive rerunning any figure cell, because the
 * library no longer travels with the first figure. Rerunning this cell sends it again.
 */
export function setUpFigures(options: { display?: HtmlDisplay } = {}): void {
  const { version } = plotlyBundle();
  send(
    `<div class="gd-plotly-library" style="font:12px sans-serif;color:#666">` +
      `Interactive figures: plotly.js ${version} is stored in this output (offline, about 2 MB) for the figures below.` +
      `</div>\n${plotlyBundleElement()}\n<script>${preloadScript()}</script>`,
    options.display,
  );
}

function send(html: string, display: HtmlDisplay | undefined): void {
  const target = display ?? tslabDisplay();
  try {
    target.html(html);
  } catch (error) {
    if (display === undefined && error instanceof Error && error.message === "Not ready") {
      // eslint-disable-next-line preserve-caught-error -- tslab's "Not ready" says nothing more; lib ES2020 has no ErrorOptions
      throw new Error(
        "show() draws figures in a tslab notebook; outside one, use writeFigureHtml(file, figure) or openInWindow(figure)",
      );
    }
    throw error;
  }
  plotlyDelivered = true;
}

/** Makes the next show() carry plotly.js again, e.g. after clearing or rerunning the output that carried it. */
export function resetPlotlyDelivery(): void {
  plotlyDelivered = false;
}

/**
 * Opens the figure in nodeplotlib's browser window (a local server it starts). That page loads
 * plotly.js from a CDN, so it needs internet; notebooks and writeFigureHtml files do not.
 */
export function openInWindow(figure: Figure): void {
  const checked = requireFigure("figure", figure);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeplotlib = require("nodeplotlib") as typeof import("nodeplotlib");
  nodeplotlib.plot(checked.data, checked.layout, { ...PLOT_CONFIG });
}
