/**
 * Where a running cell's outputs go in the page: the cell's output area, emptied when the cell
 * starts. Cells run one at a time, so the kit's show(), tslab.display and the cell's console
 * write to the one current area.
 */
import type { Figure } from "../figures/figure";
import type { LiveFigure } from "../live/figures";
import { unpackPlotly } from "../display/page/figures";
import { renderMarkdown } from "../tools/export/markdown";
import { DEFAULT_FIGURE_HEIGHT, PLOT_CONFIG } from "../display/plot-config";
import { mount } from "../live/page";
import { pageScope, type PlotlyApi } from "../live/page-scope";

/** plotly.js, unpacked once per page from the element carrying it, shared with the saved outputs' figures. */
export function loadPlotly(): Promise<PlotlyApi> {
  const scope = pageScope();
  if (!scope.plotly) {
    const element = document.querySelector("[data-gd-plotly-bundle]");
    if (!element) return Promise.reject(new Error("plotly.js is not in this page"));
    scope.plotly = unpackPlotly(element);
  }
  return scope.plotly;
}

/**
 * Frees the plotly.js figures inside `container` before it is emptied: a figure removed without
 * Plotly.purge keeps its window listeners, which then fail on the missing plot.
 */
export async function purgeFigures(container: Element): Promise<void> {
  const figures = container.querySelectorAll(".js-plotly-plot");
  const plotly = pageScope().plotly;
  if (figures.length === 0 || !plotly) return;
  const Plotly = (await plotly.catch(() => undefined)) as
    (PlotlyApi & { purge?(div: Element): void }) | undefined;
  figures.forEach((figure) => Plotly?.purge?.(figure));
}

/** How a value reads in an output, as Node's console.log writes the usual ones. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Object.is(value, -0)) return "-0";
  if (value === undefined || typeof value !== "object" || value === null) return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export class OutputArea {
  private lastStream?: { name: string; element: HTMLElement };
  /** Figures still being drawn: the cell counts as finished once they are. */
  readonly drawing: Promise<unknown>[] = [];

  constructor(readonly element: HTMLElement) {
    element.replaceChildren();
  }

  private add(className: string, tag = "div"): HTMLElement {
    const child = document.createElement(tag);
    child.className = className;
    this.element.append(child);
    this.lastStream = undefined;
    return child;
  }

  stream(name: "stdout" | "stderr", text: string): void {
    if (this.lastStream?.name !== name) {
      const pre = this.add(`gd-out gd-out-${name}`, "pre");
      this.lastStream = { name, element: pre };
    }
    this.lastStream.element.textContent += text;
  }

  markdown(markdown: string): void {
    const element = this.add("gd-out gd-out-markdown jp-RenderedHTMLCommon");
    element.dataset.markdown = markdown;
    element.innerHTML = renderMarkdown(markdown);
  }

  html(html: string): void {
    this.add("gd-out gd-out-html").innerHTML = html;
  }

  error(error: unknown): void {
    const line = error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${formatValue(error)}`;
    this.add("gd-out gd-out-error", "pre").textContent = line;
  }

  figure(figure: Figure, height?: number): void {
    const layout = { ...(figure.layout ?? {}) } as Record<string, unknown>;
    if (height !== undefined) layout.height = height;
    const pixels = typeof layout.height === "number" ? layout.height : DEFAULT_FIGURE_HEIGHT;
    const wrapper = this.add("gd-out gd-out-figure");
    const div = document.createElement("div");
    div.className = "gd-figure";
    div.id = `gd-${crypto.randomUUID()}`;
    div.style.cssText = `width:100%;height:${pixels}px`;
    const spec = document.createElement("script");
    spec.type = "application/json";
    spec.dataset.gdFigure = div.id;
    spec.textContent = JSON.stringify({ data: figure.data, layout });
    wrapper.append(div, spec);
    const live = (figure as Partial<LiveFigure>).live;
    this.drawing.push(
      loadPlotly()
        .then(async (Plotly) => {
          await Plotly.newPlot(div, figure.data as object[], layout, PLOT_CONFIG);
          if (live) await mount(div, JSON.stringify(live), Plotly);
        })
        .catch((error: unknown) => {
          div.textContent = `The figure could not be drawn: ${formatValue(error)}`;
        }),
    );
  }
}

let current: OutputArea | undefined;

/** The area of the cell running now; outside a cell, an error (the kit's show() needs one). */
export function currentOutput(): OutputArea {
  if (!current) throw new Error("nothing is running: outputs appear under a running cell");
  return current;
}

export function setCurrentOutput(area: OutputArea | undefined): void {
  current = area;
}
