/**
 * The live explorer in the page: the entry bundled at set-up (src/tools/page-bundles.ts) with the
 * kit's own descent code, so the page recomputes a path on every slider input with the numbers
 * the kernel would compute. Each live figure output runs it and registers it under its bundle's
 * hash (register); the figure runtime (src/display/page/figures.ts) calls mount() once plotly.js
 * has drawn the figure. Nothing here is reachable by a global name.
 *
 * After each redraw the figure's element receives a "gd-live-drawn" event whose detail
 * (LiveDrawnDetail) says what was drawn and how long it took; while an input waits to be drawn
 * the controls panel is aria-busy.
 */
import {
  checkLiveSpec,
  controlPosition,
  controlValue,
  formatSetting,
  liveDescent,
  liveEvaluate,
  liveUpdate,
  MOVING_PATH_TRACES,
  PARAMETER_SYMBOLS,
  settingValue,
  withSetting,
  type LiveControl,
  type LiveExplorerSpec,
  type LiveSettings,
} from "./model";
import { KitTypeError } from "../descent/validate";
import { pageScope, statusLine, type PlotlyApi } from "./page-scope";

/** What plotly.js keeps on a plot's element (its public gd.data and gd.layout). */
interface PlotElement extends HTMLElement {
  data: { x: number[]; y: number[] }[];
  layout: PlotLayout;
}

interface PlotLayout {
  height?: number;
  margin?: { l?: number; r?: number; t?: number; b?: number };
  xaxis?: { range?: number[] };
  yaxis?: { range?: number[]; scaleanchor?: string };
}

/** The event each redraw sends to the figure's element, and its detail. */
export const LIVE_DRAWN_EVENT = "gd-live-drawn";

export interface LiveDrawnDetail {
  /** The settings drawn. */
  settings: LiveSettings;
  /** Redraws so far, this one included. */
  updates: number;
  /** This redraw's time (descent and drawing) and its descent alone, in ms. */
  duration: number;
  descentDuration: number;
  /** Points of the path drawn. */
  points: number;
}

/** Plotly.animate with no transition and no redraw: only the animated traces are recomputed and drawn. */
const NO_REDRAW = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" };

const STATUS_COLORS = { diverged: "#b71c1c", other: "#333" };

/** plotly.js's margins where a layout gives none. */
const PLOTLY_MARGIN = { l: 80, r: 80, t: 100, b: 80 };

/** The plot area of the map, in pixels from the figure's top left corner, and its axes' ranges. */
interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
  x: number[];
  y: number[];
}

/**
 * Where plotly.js draws the map's axes, from the figure's layout alone: the builder fixes the
 * margins (margin.autoexpand false, so no colorbar widens them) and both ranges, and with
 * yaxis.scaleanchor "x" (equal units, constrain "domain") the axis with room to spare shrinks
 * about its centre, as plotly.js does. No private plotly.js state is read.
 */
function plotArea(layout: PlotLayout, width: number, height: number): PlotArea {
  const margin = { ...PLOTLY_MARGIN, ...layout.margin };
  const x = layout.xaxis?.range ?? [0, 1];
  const y = layout.yaxis?.range ?? [0, 1];
  let area = {
    left: margin.l,
    top: margin.t,
    width: width - margin.l - margin.r,
    height: height - margin.t - margin.b,
  };
  if (layout.yaxis?.scaleanchor === "x") {
    const unit = Math.min(area.width / Math.abs(x[1] - x[0]), area.height / Math.abs(y[1] - y[0]));
    const fitted = { width: unit * Math.abs(x[1] - x[0]), height: unit * Math.abs(y[1] - y[0]) };
    area = {
      left: area.left + (area.width - fitted.width) / 2,
      top: area.top + (area.height - fitted.height) / 2,
      ...fitted,
    };
  }
  return { ...area, x, y };
}

/**
 * Redraws are the cost of an update: a full one recomputes the contour map's lines and the axes
 * (tens of ms), the descent itself takes a few. So the moving traces are drawn apart and moved with
 * Plotly.animate without a redraw: the path view's on a transparent plot laid exactly over the map
 * (a transition on the map's own plot would erase its contour fill), the loss view's in place, on
 * fixed axes (the x axis follows the iterations slider).
 */
async function movingLayer(
  div: PlotElement,
  spec: LiveExplorerSpec,
  Plotly: PlotlyApi,
): Promise<PlotElement> {
  if (spec.view !== "path") return div;
  const geometry = () => {
    const width = div.clientWidth;
    const height = div.layout.height ?? div.clientHeight;
    const area = plotArea(div.layout, width, height);
    const axis = (range: number[]) => ({ range: range.slice(), visible: false, fixedrange: true });
    return {
      width,
      height,
      autosize: false,
      margin: {
        l: area.left,
        t: area.top,
        r: width - area.left - area.width,
        b: height - area.top - area.height,
        pad: 0,
        autoexpand: false,
      },
      xaxis: axis(area.x),
      yaxis: axis(area.y),
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      showlegend: false,
      hovermode: "closest",
      dragmode: false,
    };
  };
  const layer = document.createElement("div") as unknown as PlotElement;
  layer.className = "gd-live-layer";
  layer.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%";
  div.style.position = "relative";
  div.appendChild(layer);
  const traces = MOVING_PATH_TRACES.map((index) => ({ ...(div.data[index] as object) }));
  await Plotly.newPlot(layer, traces, geometry(), { displayModeBar: false, displaylogo: false });
  await Plotly.restyle(div, { visible: false }, [...MOVING_PATH_TRACES]);
  // The map resizes with its cell (responsive): the layer follows.
  let width = div.clientWidth;
  const observer = new ResizeObserver(() => {
    // A rerun replaces the output: the map and its layer leave the page (and plotly.js purges them).
    if (!div.isConnected || !layer.isConnected || div.layout === undefined) {
      observer.disconnect();
      return;
    }
    if (div.clientWidth === 0 || div.clientWidth === width) return;
    width = div.clientWidth;
    void Plotly.relayout(layer, geometry());
  });
  observer.observe(div);
  return layer;
}

/** Mounts the explorer whose settings are `specText` (its output's JSON) on a figure plotly.js has drawn. */
export async function mount(figure: HTMLElement, specText: string, Plotly: PlotlyApi): Promise<void> {
  const div = figure as PlotElement;
  let parsed: unknown;
  try {
    parsed = JSON.parse(specText);
  } catch (error) {
    throw new KitTypeError(`its settings are not JSON (${error instanceof Error ? error.message : error})`);
  }
  const spec = checkLiveSpec(parsed);
  const evaluate = liveEvaluate(spec.problem);
  const status = statusLine(div);
  const panel = status.parentElement as HTMLElement;
  // Keys typed on a slider move the slider, not the notebook's cells: JupyterLab (Lumino) skips
  // shortcuts under this attribute, the classic Notebook sees no keydown that does not bubble.
  panel.setAttribute("data-lm-suppress-shortcuts", "true");
  panel.addEventListener("keydown", (event) => event.stopPropagation());
  const layer = await movingLayer(div, spec, Plotly);

  let settings = spec.settings;
  let trajectory = liveDescent(spec.problem, settings, evaluate);
  let pending: Promise<void> = Promise.resolve();
  let drawnIterations = settings.iterations;
  let scheduled = false;
  let updates = 0;
  const readouts: (() => void)[] = [];

  function change(update: (current: LiveSettings) => LiveSettings): void {
    try {
      settings = update(settings);
    } catch (error) {
      fail(error);
      return;
    }
    readouts.forEach((readout) => readout());
    schedule();
  }

  function fail(error: unknown): void {
    status.style.color = STATUS_COLORS.diverged;
    status.textContent = `The explorer could not recompute: ${error instanceof Error ? error.message : String(error)}`;
  }

  /**
   * Inputs arrive faster than frames: one redraw per frame, with the latest settings, each after
   * the one before. A failure is said in the status line, never left to the console.
   */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    panel.setAttribute("aria-busy", "true");
    pending = pending
      .then(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())))
      .then(redraw)
      .catch(fail)
      .finally(() => {
        if (!scheduled) panel.removeAttribute("aria-busy");
      });
  }

  async function redraw(): Promise<void> {
    scheduled = false;
    const began = performance.now();
    const drawn = settings;
    trajectory = liveDescent(spec.problem, drawn, evaluate);
    const update = liveUpdate(spec, drawn, trajectory);
    const descentDuration = performance.now() - began;
    // The layer holds the moving traces alone, in MOVING_PATH_TRACES' order.
    const frame: Record<string, unknown> = {
      data: update.traces,
      traces: layer === div ? update.indices : update.indices.map((_, position) => position),
    };
    if (spec.view === "loss" && drawn.iterations !== drawnIterations) {
      frame.layout = { xaxis: { range: [0, drawn.iterations] } };
      drawnIterations = drawn.iterations;
    }
    await Plotly.animate(layer, frame, NO_REDRAW);
    showStatus(update.subtitle, update.diverged);
    updates++;
    const detail: LiveDrawnDetail = {
      settings: drawn,
      updates,
      duration: performance.now() - began,
      descentDuration,
      points: trajectory.points.length,
    };
    div.dispatchEvent(new CustomEvent(LIVE_DRAWN_EVENT, { detail }));
  }

  function showStatus(subtitle: string, diverged: boolean): void {
    const last = trajectory.values.length - 1;
    status.style.color = diverged ? STATUS_COLORS.diverged : STATUS_COLORS.other;
    const where =
      spec.view === "path" ? ` at (${trajectory.points[last].map(formatSetting).join(", ")})` : "";
    const detail = diverged
      ? ` The path stops at its last finite point, f = ${formatSetting(trajectory.values[last])}${where}.`
      : ` f = ${formatSetting(trajectory.values[last])} after ${last} steps${where}.`;
    status.textContent = `${subtitle}.${detail}${spec.clickSetsStart ? " Click on the map to start elsewhere." : ""}`;
  }

  function controlRow(control: LiveControl, index: number): HTMLElement {
    const row = document.createElement("label");
    row.style.cssText = "display:flex;align-items:center;gap:10px;margin:6px 0";
    const name = document.createElement("span");
    name.textContent = control.label;
    name.style.cssText = "flex:0 0 11em";
    const input = document.createElement("input");
    input.type = "range";
    input.min = "0";
    input.max = "1";
    input.step = "any";
    input.dataset.setting = control.setting;
    input.style.cssText = "flex:1 1 auto;min-width:8em";
    input.value = String(controlPosition(control, settingValue(settings, control.setting)));
    if (control.reference) {
      // A tick on the slider's rail where the reference value lies.
      const list = document.createElement("datalist");
      list.id = `${div.id}-ticks-${index}`;
      const option = document.createElement("option");
      option.value = String(controlPosition(control, control.reference.value));
      option.label = control.reference.label;
      list.appendChild(option);
      row.appendChild(list);
      input.setAttribute("list", list.id);
    }
    const readout = document.createElement("output");
    readout.style.cssText = "flex:0 0 14em;font-variant-numeric:tabular-nums";
    const show = (): void => {
      const value = settingValue(settings, control.setting);
      const symbol = PARAMETER_SYMBOLS[control.setting];
      const reference = control.reference
        ? ` (${formatSetting(value / control.reference.value)} × ${control.reference.label})`
        : "";
      readout.textContent = `${symbol ? `${symbol} = ` : ""}${formatSetting(value)}${reference}`;
    };
    readouts.push(show);
    show();
    input.addEventListener("input", () => {
      const value = controlValue(control, Number(input.value));
      change((current) => withSetting(spec, current, control.setting, value));
    });
    row.append(name, input, readout);
    return row;
  }

  spec.controls.forEach((control, index) => panel.appendChild(controlRow(control, index)));

  if (spec.clickSetsStart) {
    div.style.cursor = "crosshair";
    div.addEventListener("click", (event) => {
      const box = div.getBoundingClientRect();
      const area = plotArea(div.layout, div.clientWidth, div.layout.height ?? div.clientHeight);
      const px = (event.clientX - box.left - area.left) / area.width;
      const py = (event.clientY - box.top - area.top) / area.height;
      if (px < 0 || px > 1 || py < 0 || py > 1) return;
      const start = [area.x[0] + px * (area.x[1] - area.x[0]), area.y[1] - py * (area.y[1] - area.y[0])];
      change((current) => ({ ...current, start }));
    });
  }

  // The kernel's figure carries its numbers rounded to 6 digits (and thinned): draw the page's own at once.
  schedule();
  await pending;
}

/** Makes this bundle's mount() findable by the figures whose settings name its hash. */
export function register(hash: string): void {
  pageScope().explorers[hash] ??= { mount };
}
