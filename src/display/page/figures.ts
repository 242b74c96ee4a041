/**
 * The figure runtime, run by the browser: every figure output carries it (bundled at set-up into
 * build/page/figures.js by src/tools/page-bundles.ts; html.ts appends the call for its figure).
 * It finds the output carrying plotly.js (data-gd-plotly-bundle) anywhere in the page, unpacks it
 * once, and draws each figure when plotly.js is there, so figures render in any order: after
 * "Restart kernel and run all", after rerunning one cell, and when a saved notebook or an exported
 * HTML file is opened. It defines no global name (see src/live/page-scope.ts).
 */
import { unpackGzipBase85 } from "../base85";
import { pageScope, statusLine, type PlotlyApi } from "../../live/page-scope";
import { MISSING_PLOTLY_MESSAGE } from "./messages";

/** The event a page's window receives once plotly.js is unpacked: waiting figures draw at once. */
const PLOTLY_READY = "gd-plotly-ready";

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** plotly.js from the element carrying it (also the runnable page's, src/runnable/outputs.ts). */
export async function unpackPlotly(element: Element): Promise<PlotlyApi> {
  const code = await unpackGzipBase85(element.textContent ?? "");
  // plotly.js in a module of its own: the page's AMD and CommonJS loaders (require.js in the
  // classic Notebook and nbconvert pages) never see it, and no global is read back.
  const module = { exports: {} as Partial<PlotlyApi> };
  new Function("define", "module", "exports", "require", code).call(
    window,
    undefined,
    module,
    module.exports,
  );
  const plotly = module.exports;
  if (typeof plotly.newPlot !== "function") throw new Error("plotly.js ran but did not export newPlot");
  window.dispatchEvent(new Event(PLOTLY_READY));
  return plotly as PlotlyApi;
}

/** plotly.js from the first output that carries it, unpacked once per page. */
function whenPlotly(onMissing: () => void): Promise<PlotlyApi> {
  const scope = pageScope();
  return new Promise((resolve, reject) => {
    const stop = () => {
      window.removeEventListener(PLOTLY_READY, attempt);
      clearInterval(poll);
      clearTimeout(warn);
    };
    function attempt(): void {
      if (!scope.plotly) {
        const element = document.querySelector("[data-gd-plotly-bundle]");
        if (element) scope.plotly = unpackPlotly(element);
      }
      if (scope.plotly) {
        stop();
        scope.plotly.then(resolve, reject);
      }
    }
    window.addEventListener(PLOTLY_READY, attempt);
    const poll = setInterval(attempt, 1000);
    const warn = setTimeout(onMissing, 4000);
    attempt();
  });
}

/** Unpacks plotly.js at once, so later figures find it even where a front end detaches outputs scrolled out of view. */
export function preload(): void {
  whenPlotly(() => undefined).catch(() => undefined);
}

/** Draws figure `id` (its div and its JSON are in the page), then mounts its live explorer if it has one. */
export function render(id: string, config: object): void {
  const div = document.getElementById(id);
  const spec = document.querySelector(`script[data-gd-figure="${id}"]`);
  if (!div || !spec) return;
  const message = div.querySelector(".gd-figure-message") ?? document.createElement("div");
  const say = (text: string): void => {
    message.textContent = text;
    if (!message.isConnected) div.prepend(message);
  };
  const live = document.querySelector(`script[data-gd-live="${id}"]`);
  let figure: { data: object[]; layout: object };
  try {
    figure = JSON.parse(spec.textContent ?? "");
  } catch (error) {
    say(`The figure could not be drawn: its data is not JSON (${errorText(error)})`);
    return;
  }
  say("Loading the interactive figure…");
  whenPlotly(() => say(MISSING_PLOTLY_MESSAGE))
    .then(async (Plotly) => {
      message.remove();
      await Plotly.newPlot(div, figure.data, figure.layout, config);
      if (!live) return;
      try {
        const bundle = live.getAttribute("data-gd-live-code") ?? "";
        const code = pageScope().explorers[bundle];
        if (!code) throw new Error(`its code (bundle "${bundle}") is not in this page`);
        await code.mount(div, live.textContent ?? "", Plotly);
      } catch (error) {
        const status = statusLine(div);
        status.style.color = "#b71c1c";
        status.textContent = `The live explorer could not start: ${errorText(error)}`;
      }
    })
    .catch((error: unknown) => say(`The figure could not be drawn: ${errorText(error)}`));
}
