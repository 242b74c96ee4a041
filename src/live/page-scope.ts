/**
 * What the page's scripts share: the figure runtime that each figure output carries and the live
 * explorers' code (src/display/page/figures.ts, src/live/page.ts, bundled at set-up). It sits on
 * `window` under a Symbol, not a name: an element id in the document (a markdown heading
 * `# __gdFigures` gets one) creates a global of that name, and could hide or replace a named one.
 */

/** The parts of plotly.js the page calls. */
export interface PlotlyApi {
  newPlot(div: HTMLElement, data: object[], layout: object, config: object): Promise<unknown>;
  restyle(div: HTMLElement, update: object, indices: number[]): Promise<unknown>;
  relayout(div: HTMLElement, update: object): Promise<unknown>;
  animate(div: HTMLElement, frame: object, options: object): Promise<unknown>;
}

/** A live explorer's code, as its bundle registers it (src/live/page.ts). */
export interface LiveExplorerCode {
  /** Mounts the explorer whose settings (JSON text) are `specText` on a figure plotly.js has drawn. */
  mount(div: HTMLElement, specText: string, Plotly: PlotlyApi): Promise<void>;
}

export interface PageScope {
  /** plotly.js, once one figure output's copy is unpacked. */
  plotly?: Promise<PlotlyApi>;
  /** Live explorers' code by bundle hash: outputs made by different code never mix. */
  explorers: Record<string, LiveExplorerCode>;
}

const PAGE_SCOPE = Symbol.for("gradient-descent-kit.page");

/** The page's one shared scope, made by the first script that asks. */
export function pageScope(): PageScope {
  const holder = window as unknown as { [PAGE_SCOPE]?: PageScope };
  holder[PAGE_SCOPE] ??= { explorers: {} };
  return holder[PAGE_SCOPE];
}

/**
 * A figure's status line, under it: the live explorer's controls panel (`.gd-live-controls`) and
 * its first line (`.gd-live-status`), made here if the explorer has none yet, so that an explorer
 * that cannot start says why where its sliders would be.
 */
export function statusLine(div: HTMLElement): HTMLElement {
  let panel = div.nextElementSibling;
  if (!(panel instanceof HTMLElement) || !panel.classList.contains("gd-live-controls")) {
    panel = document.createElement("div");
    panel.className = "gd-live-controls";
    (panel as HTMLElement).style.cssText = "font:14px system-ui,sans-serif;color:#222;margin:4px 0 12px";
    div.insertAdjacentElement("afterend", panel);
  }
  let status = panel.querySelector<HTMLElement>(".gd-live-status");
  if (!status) {
    status = document.createElement("div");
    status.className = "gd-live-status";
    status.setAttribute("aria-live", "polite");
    status.style.cssText = "margin:4px 0 6px;font-weight:600";
    panel.prepend(status);
  }
  return status;
}
