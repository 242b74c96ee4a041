/**
 * The figure runtime as the kernel sends it: src/display/page/figures.ts, bundled at set-up into
 * build/page/figures.js, then the call for one figure. Every figure output carries it.
 */
import { pageScriptCall } from "./page-scripts";

export { MISSING_PLOTLY_MESSAGE, UNTRUSTED_MESSAGE } from "./page/messages";

/** The page script name of the figure runtime (build/page/figures.js). */
export const FIGURES_SCRIPT = "figures";

/** The runtime, then the call that draws figure `id`. */
export function renderScript(id: string, config: object): string {
  return pageScriptCall(FIGURES_SCRIPT, "render", [id, config]);
}

/** The runtime, then unpacking plotly.js at once, so later figures find it even where a front end
 * detaches outputs scrolled out of view. */
export function preloadScript(): string {
  return pageScriptCall(FIGURES_SCRIPT, "preload", []);
}
