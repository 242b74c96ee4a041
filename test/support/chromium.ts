/** Headless Chromium (Debian's, driven by playwright-core) with every request outside file: blocked. */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/**
 * A reason to skip, outside CI only: on CI (CI=true, where .ci/run installs Chromium and Jupyter)
 * a missing tool must fail the run instead of passing it silently.
 */
export function skipOutsideCI(reason: string | false): string | false {
  return process.env.CI ? false : reason;
}

/** A reason to skip browser tests, or false. */
export const NO_CHROMIUM = skipOutsideCI(existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests that were aborted because they left the allowed origins. */
  blocked: string[];
}

/** A new page that records errors and aborts every request whose URL does not start with an allowed prefix. */
export async function watchedPage(browser: Browser, allowedPrefixes: string[]): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    errors.push(`console: ${message.text()}${where ? ` (at ${where})` : ""}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  await page.route("**", (route) => {
    const url = route.request().url();
    if (allowedPrefixes.some((prefix) => url.startsWith(prefix))) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  return { page, errors, blocked };
}

export interface FigureReport {
  id: string;
  drawn: boolean;
  threeD: boolean;
  canvases: number;
}

/**
 * Waits until every figure output (`.gd-figure`, see src/display/html.ts) has plotly's plot
 * container with its SVG, then reports each figure, 3-D ones (a `scene` in the layout or a 3-D
 * trace) with their WebGL canvases counted. `within` limits both to the figures inside the
 * elements it selects (a CSS selector).
 */
export async function figureReports(page: Page, timeout = 60_000, within = ""): Promise<FigureReport[]> {
  const selector = `${within} .gd-figure`.trim();
  await page
    .waitForFunction(
      (figures) =>
        Array.from(document.querySelectorAll(figures)).every((figure) =>
          figure.querySelector(".plot-container .main-svg"),
        ),
      selector,
      { timeout },
    )
    .catch(() => undefined); // the report below says which figure is missing
  return page.evaluate(
    (figures) =>
      Array.from(document.querySelectorAll(figures)).map((figure) => {
        const json = document.querySelector(`script[data-gd-figure="${figure.id}"]`)?.textContent ?? "{}";
        const spec = JSON.parse(json) as { data?: { type?: string }[]; layout?: Record<string, unknown> };
        const threeD =
          Object.keys(spec.layout ?? {}).some((key) => key.startsWith("scene")) ||
          (spec.data ?? []).some((trace) => ["surface", "scatter3d", "mesh3d"].includes(trace.type ?? ""));
        return {
          id: figure.id,
          drawn: figure.querySelector(".plot-container .main-svg") !== null,
          threeD,
          canvases: figure.querySelectorAll("canvas").length,
        };
      }),
    selector,
  );
}
