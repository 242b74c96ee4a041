import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { KitRangeError, KitTypeError, describeValue, requireInteger } from "../descent/validate";
import type { Figure } from "../figures/figure";
import type { LiveFigure } from "../live/figures";
import { pageScript, pageScriptCall, scriptSafeJson } from "./page-scripts";
import { plotlyBundle } from "./plotly-bundle";
import { DEFAULT_FIGURE_HEIGHT, PLOT_CONFIG } from "./plot-config";
import { renderScript, UNTRUSTED_MESSAGE } from "./runtime";

export { PLOT_CONFIG, DEFAULT_FIGURE_HEIGHT } from "./plot-config";

export interface FigureHtmlOptions {
  /** Carry plotly.js (gzip + base85, about 1.9 MB) in this fragment. show() sets it for the first figure of a kernel session. */
  includeLibrary?: boolean;
  /** Height in pixels; by default the layout's height, else 480. The width is always 100%. */
  height?: number;
  /**
   * Numbers are written with this many significant digits (1 to 17, default 6: finer than any
   * screen shows, and under half the size of full precision); 17 writes them exactly.
   */
  significantDigits?: number;
}

export const DEFAULT_SIGNIFICANT_DIGITS = 6;

export function requireFigure(name: string, value: unknown): Figure {
  const figure = value as Figure;
  if (typeof value !== "object" || value === null || !Array.isArray(figure.data)) {
    throw new KitTypeError(`${name} must be a figure { data, layout }, got ${describeValue(value)}`);
  }
  if (figure.layout !== undefined && (typeof figure.layout !== "object" || figure.layout === null)) {
    throw new KitTypeError(`${name}.layout must be an object, got ${describeValue(figure.layout)}`);
  }
  figure.data.forEach((trace, i) => requireFiniteNumbers(`${name}.data[${i}]`, trace));
  return figure;
}

/**
 * NaN and ±Infinity become null in JSON, which plotly.js draws as a gap: a figure would silently
 * lose points (a diverged run drawn as if it stopped). null itself is allowed: it is how a trace
 * asks for a gap.
 */
function requireFiniteNumbers(name: string, value: unknown): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new KitRangeError(`${name} is ${value}: a figure holds finite numbers only (null for a gap)`);
    }
  } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const list = value as ArrayLike<unknown>;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (typeof entry !== "number" || !Number.isFinite(entry)) requireFiniteNumbers(`${name}[${i}]`, entry);
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, entry] of Object.entries(value)) requireFiniteNumbers(`${name}.${key}`, entry);
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The element carrying plotly.js: gzip-compressed, base85-encoded, unpacked in the page. */
export function plotlyBundleElement(): string {
  const bundle = plotlyBundle();
  return (
    `<script type="application/octet-stream" data-gd-plotly-bundle="${bundle.version}" ` +
    `data-encoding="gzip+base85">${bundle.gzipBase85}</script>`
  );
}

/**
 * The HTML fragment show() sends for one figure: `<div class="gd-figure" id="gd-…">`, then
 * `<script type="application/json" data-gd-figure="gd-…">{data, layout}</script>`, optionally the
 * plotly.js element, then the script that draws the figure once plotly.js is in the page.
 */
export function figureHtml(figure: Figure, options: FigureHtmlOptions = {}): string {
  const checked = requireFigure("figure", figure);
  const layout = { ...(checked.layout ?? {}) } as Record<string, unknown>;
  if (options.height !== undefined) layout.height = requireInteger("height", options.height, 50, 10_000);
  const digits = requireInteger(
    "significantDigits",
    options.significantDigits ?? DEFAULT_SIGNIFICANT_DIGITS,
    1,
    17,
  );
  const height = typeof layout.height === "number" ? layout.height : DEFAULT_FIGURE_HEIGHT;
  const id = `gd-${randomBytes(8).toString("hex")}`;
  return [
    `<div class="gd-figure" id="${id}" style="width:100%;height:${height}px">`,
    `<div class="gd-figure-message" style="padding:1em;color:#555;font-family:sans-serif">${escapeHtml(UNTRUSTED_MESSAGE)}</div>`,
    `</div>`,
    `<script type="application/json" data-gd-figure="${id}">${scriptSafeJson({ data: checked.data, layout }, digits)}</script>`,
    options.includeLibrary ? plotlyBundleElement() : "",
    liveElements(id, checked),
    `<script>${renderScript(id, PLOT_CONFIG)}</script>`,
  ].join("\n");
}

/** The page script name of the live explorers' code (build/page/live.js, from src/live/page.ts). */
export const LIVE_SCRIPT = "live";

/**
 * A live explorer's settings (full precision: the page's numbers must be the kernel's), naming
 * the code that runs them, and that code, bundled from src/ at set-up (a few KB, registered once
 * per page); empty for other figures.
 */
function liveElements(id: string, figure: Figure): string {
  const live = (figure as Partial<LiveFigure>).live;
  if (live === undefined) return "";
  const { hash } = pageScript(LIVE_SCRIPT);
  return (
    `<script type="application/json" data-gd-live="${id}" data-gd-live-code="${hash}">${scriptSafeJson(live)}</script>\n` +
    `<script data-gd-live-bundle="${hash}">${pageScriptCall(LIVE_SCRIPT, "register", [hash])}</script>`
  );
}

export interface FigureFileOptions {
  /** The page title, also shown as a heading. */
  title?: string;
}

/**
 * Writes a standalone HTML page with the figures and plotly.js inside it: it opens offline, from
 * a file, with no server and no CDN. Returns the file's absolute path.
 */
export function writeFigureHtml(
  file: string,
  figures: Figure | Figure[],
  options: FigureFileOptions = {},
): string {
  if (typeof file !== "string" || file === "") {
    throw new KitTypeError(`file must be a file name, got ${describeValue(file)}`);
  }
  const list = Array.isArray(figures) ? figures : [figures];
  if (list.length === 0) throw new KitRangeError("figures must not be empty");
  list.forEach((figure, i) => requireFigure(Array.isArray(figures) ? `figures[${i}]` : "figures", figure));
  const title = options.title ?? "Figures";
  if (typeof title !== "string")
    throw new KitTypeError(`title must be a string, got ${describeValue(title)}`);
  const page = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:1rem auto;padding:0 1rem}" +
      ".gd-figure{margin-bottom:2rem}</style>",
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    ...list.map((figure, i) => figureHtml(figure, { includeLibrary: i === 0 })),
    "</body>",
    "</html>",
    "",
  ].join("\n");
  const absolute = path.resolve(file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, page);
  return absolute;
}
