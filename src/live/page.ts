/**
 * The live explorer in the page: the entry esbuild bundles (src/live/bundle.ts) with the
 * kit's own descent code, so the page recomputes a path on every slider input with the numbers
 * the kernel would compute. The figure runtime (../runtime.ts) calls mount() once plotly.js has
 * drawn the figure.
 */
import {
  controlPosition,
  controlValue,
  formatSetting,
  liveDescent,
  liveEvaluate,
  liveUpdate,
  PARAMETER_SYMBOLS,
  settingValue,
  withSetting,
  type LiveControl,
  type LiveExplorerSpec,
  type LiveSettings,
} from "./model";
import type { Trajectory } from "../descent/loop";

/** The parts of plotly.js the explorer calls. */
interface PlotlyApi {
  newPlot(div: HTMLElement, data: object[], layout: object, config: object): Promise<unknown>;
  restyle(div: HTMLElement, update: object, indices: number[]): Promise<unknown>;
  relayout(div: HTMLElement, update: object): Promise<unknown>;
  animate(div: HTMLElement, frame: object, options: object): Promise<unknown>;
}

/** What plotly.js adds to a plot's element. */
interface PlotElement extends HTMLElement {
  data: { x: number[]; y: number[] }[];
  _fullLayout: {
    width: number;
    height: number;
    _size: { l: number; r: number; t: number; b: number };
    xaxis: PlotAxis & { range: number[]; domain: number[] };
    yaxis: PlotAxis & { range: number[]; domain: number[] };
  };
  on(event: string, listener: () => void): void;
}

/** Plotly.animate with no transition and no redraw: only the animated traces are recomputed and drawn. */
const NO_REDRAW = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" };

interface PlotAxis {
  _offset: number;
  _length: number;
  p2l(pixel: number): number;
}

/** What a mounted explorer exposes on its figure's element (tests and the bench read it). */
export interface LiveController {
  spec: LiveExplorerSpec;
  settings: LiveSettings;
  trajectory: Trajectory;
  /** Updates drawn so far, how long each took (descent + drawing), and its descent alone, in ms. */
  updates: number;
  durations: number[];
  descentDurations: number[];
  /** The moving trace as plotly.js holds it: the path (path view) or the loss curve. */
  drawn(): { x: number[]; y: number[] };
  /** Resolves once the last input is drawn. */
  idle(): Promise<void>;
  /** Changes settings as the controls do, then redraws. */
  set(changes: { setting?: string; value?: number; start?: number[] }): Promise<void>;
}

const STATUS_COLORS = { diverged: "#b71c1c", other: "#333" };

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
    const full = div._fullLayout;
    const size = full._size;
    const axis = (a: typeof full.xaxis) => ({
      range: a.range.slice(),
      domain: a.domain.slice(),
      visible: false,
      fixedrange: true,
    });
    return {
      width: full.width,
      height: full.height,
      autosize: false,
      margin: { l: size.l, r: size.r, t: size.t, b: size.b, pad: 0 },
      xaxis: axis(full.xaxis),
      yaxis: axis(full.yaxis),
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
  const moving = [1, 2, 3, 4];
  const traces = moving.map((index) => ({ ...(div.data[index] as object) }));
  await Plotly.newPlot(layer, traces, geometry(), { displayModeBar: false, displaylogo: false });
  await Plotly.restyle(div, { visible: false }, moving);
  // The map resizes with its cell (responsive): the layer follows.
  div.on("plotly_relayout", () => void Plotly.relayout(layer, geometry()));
  return layer;
}

export async function mount(
  div: PlotElement,
  spec: LiveExplorerSpec,
  Plotly: PlotlyApi,
): Promise<LiveController> {
  const evaluate = liveEvaluate(spec.problem);
  const layer = await movingLayer(div, spec, Plotly);
  const panel = document.createElement("div");
  panel.className = "gd-live-controls";
  panel.style.cssText = "font:14px system-ui,sans-serif;color:#222;margin:4px 0 12px";
  // Keys typed on a slider move the slider, not the notebook's cells: JupyterLab (Lumino) skips
  // shortcuts under this attribute, the classic Notebook sees no keydown that does not bubble.
  panel.setAttribute("data-lm-suppress-shortcuts", "true");
  panel.addEventListener("keydown", (event) => event.stopPropagation());
  const status = document.createElement("div");
  status.className = "gd-live-status";
  status.setAttribute("aria-live", "polite");

  let pending: Promise<void> = Promise.resolve();
  let drawnIterations = spec.settings.iterations;
  let scheduled = false;
  const controller: LiveController = {
    spec,
    settings: spec.settings,
    trajectory: liveDescent(spec.problem, spec.settings, evaluate),
    updates: 0,
    durations: [],
    descentDurations: [],
    idle: () => pending,
    drawn: () => {
      const trace = layer.data[0];
      return { x: trace.x, y: trace.y };
    },
    set(changes) {
      let settings = controller.settings;
      if (changes.setting !== undefined && changes.value !== undefined) {
        settings = withSetting(settings, changes.setting, changes.value);
      }
      if (changes.start) settings = { ...settings, start: changes.start };
      controller.settings = settings;
      readouts.forEach((readout) => readout());
      return schedule();
    },
  };

  /**
   * Inputs arrive faster than frames: one redraw per frame, with the latest settings, each after
   * the one before. A failure is said in the status line, never left to the console.
   */
  function schedule(): Promise<void> {
    if (!scheduled) {
      scheduled = true;
      pending = pending
        .then(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())))
        .then(redraw)
        .catch((error: unknown) => {
          status.style.color = STATUS_COLORS.diverged;
          status.textContent = `The explorer could not recompute: ${error instanceof Error ? error.message : String(error)}`;
        });
    }
    return pending;
  }

  async function redraw(): Promise<void> {
    scheduled = false;
    const began = performance.now();
    const settings = controller.settings;
    controller.trajectory = liveDescent(spec.problem, settings, evaluate);
    const update = liveUpdate(spec, settings, controller.trajectory);
    controller.descentDurations.push(performance.now() - began);
    const frame: Record<string, unknown> =
      layer === div
        ? { data: update.traces, traces: update.indices }
        : { data: update.traces, traces: [0, 1, 2, 3] };
    if (spec.view === "loss" && settings.iterations !== drawnIterations) {
      frame.layout = { xaxis: { range: [0, settings.iterations] } };
      drawnIterations = settings.iterations;
    }
    await Plotly.animate(layer, frame, NO_REDRAW);
    showStatus(update.subtitle, update.diverged);
    controller.updates++;
    controller.durations.push(performance.now() - began);
  }

  function showStatus(subtitle: string, diverged: boolean): void {
    const { trajectory } = controller;
    const last = trajectory.values.length - 1;
    status.style.color = diverged ? STATUS_COLORS.diverged : STATUS_COLORS.other;
    const where =
      spec.view === "path" ? ` at (${trajectory.points[last].map(formatSetting).join(", ")})` : "";
    const detail = diverged
      ? ` The path stops at its last finite point, f = ${formatSetting(trajectory.values[last])}${where}.`
      : ` f = ${formatSetting(trajectory.values[last])} after ${last} steps${where}.`;
    status.textContent = `${subtitle}.${detail}${spec.clickSetsStart ? " Click on the map to start elsewhere." : ""}`;
  }

  const readouts: (() => void)[] = [];
  status.style.cssText = "margin:4px 0 6px;font-weight:600";
  panel.appendChild(status);
  spec.controls.forEach((control, index) => panel.appendChild(controlRow(control, index)));
  div.insertAdjacentElement("afterend", panel);
  // The kernel's figure carries its numbers rounded to 6 digits: draw the page's own at once.
  await redraw();

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
    input.value = String(controlPosition(control, settingValue(controller.settings, control.setting)));
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
      const value = settingValue(controller.settings, control.setting);
      const symbol = PARAMETER_SYMBOLS[control.setting];
      const reference = control.reference
        ? ` (${formatSetting(value / control.reference.value)} × ${control.reference.label})`
        : "";
      readout.textContent = `${symbol ? `${symbol} = ` : ""}${formatSetting(value)}${reference}`;
    };
    readouts.push(show);
    show();
    input.addEventListener("input", () => {
      void controller.set({ setting: control.setting, value: controlValue(control, Number(input.value)) });
    });
    row.append(name, input, readout);
    return row;
  }

  if (spec.clickSetsStart) {
    div.style.cursor = "crosshair";
    div.addEventListener("click", (event) => {
      const { xaxis, yaxis } = div._fullLayout;
      const box = div.getBoundingClientRect();
      const px = event.clientX - box.left - xaxis._offset;
      const py = event.clientY - box.top - yaxis._offset;
      if (px < 0 || px > xaxis._length || py < 0 || py > yaxis._length) return;
      void controller.set({ start: [xaxis.p2l(px), yaxis.p2l(py)] });
    });
  }

  (div as unknown as { __gdLive: LiveController }).__gdLive = controller;
  return controller;
}

export { liveDescent };
