/**
 * Driving live explorers in a page (standalone HTML, an export, a live notebook) as a student does:
 * dragging each slider with the mouse and clicking on the map; after each input, the drawn path
 * must be the kernel's numbers for the settings the page shows.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import {
  LOSS_TRACE,
  liveDescent,
  settingValue,
  type LiveExplorerSpec,
  type LiveSettings,
} from "../../src/live/model";
import { PROJECT_ROOT } from "../../src/tools/jupyter";

/**
 * A notebook with the three kinds of live explorer (notebook 01's path, notebook 03's momentum,
 * notebook 02's loss), in test-results/ (ignored by git): it imports "../../src" as the kit's
 * notebooks import "../src", so the kernel loads the kit the same way.
 */
export const LIVE_NOTEBOOK = path.join(PROJECT_ROOT, "test-results", "live-explorer", "live-explorers.ipynb");

const LIVE_CELLS = [
  'import { liveLossExplorerFigure, livePathExplorerFigure, randomCoefficients, setUpFigures, show, sineData } from "../../src";\nsetUpFigures();',
  "show(livePathExplorerFigure({ learningRate: 0.1, iterations: 10, x: 2, y: 2 }));",
  'show(livePathExplorerFigure({ rule: "momentum", ruleParameters: { momentum: 0.9 }, learningRate: 0.3, iterations: 40 }));',
  "show(liveLossExplorerFigure({ data: sineData(), start: randomCoefficients(3, 0), learningRate: 1e-6, iterations: 2000 }));",
];

export function writeLiveNotebook(): void {
  mkdirSync(path.dirname(LIVE_NOTEBOOK), { recursive: true });
  const cells = LIVE_CELLS.map((source, index) => ({
    id: `live-${index}`,
    cell_type: "code",
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  }));
  const metadata = {
    kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
    language_info: { name: "typescript" },
  };
  writeFileSync(LIVE_NOTEBOOK, JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }, null, 1));
}

interface PageState {
  settings: LiveSettings;
  updates: number;
  status: string;
  /** The path view's path (PATH_TRACE.line) or the loss view's curve (LOSS_TRACE), as plotly.js holds it. */
  x: number[];
  y: number[];
}

/** Ids of the page's live figures, once each one is mounted and drawn (its controls there, not busy). */
export async function liveFigureIds(page: Page, timeout = 60_000): Promise<string[]> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll("script[data-gd-live]")).every((script) => {
        const panel = document.querySelector(`#${script.getAttribute("data-gd-live")} + .gd-live-controls`);
        return panel?.querySelector("input[type=range]") && !panel.hasAttribute("aria-busy");
      }),
    undefined,
    { timeout },
  );
  return page.$$eval("script[data-gd-live]", (scripts) =>
    scripts.map((script) => script.getAttribute("data-gd-live") ?? ""),
  );
}

/** Resolves once the explorer has drawn its last input (its controls panel is no longer aria-busy). */
export async function waitUntilDrawn(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (figureId) => !document.querySelector(`#${figureId} + .gd-live-controls`)?.hasAttribute("aria-busy"),
    id,
    { timeout: 30_000 },
  );
}

/**
 * Listens to a figure's "gd-live-drawn" events (the explorer sends one per redraw) from now on,
 * keeping the last detail and a count in the test's own page variable.
 */
async function listenToRedraws(page: Page, id: string): Promise<void> {
  await page.evaluate((figureId) => {
    const store = window as unknown as { gdTestDrawn?: Record<string, { count: number; detail: unknown }> };
    store.gdTestDrawn ??= {};
    const record = { count: 0, detail: undefined as unknown };
    store.gdTestDrawn[figureId] = record;
    document.getElementById(figureId)?.addEventListener("gd-live-drawn", (event) => {
      record.count++;
      record.detail = (event as CustomEvent).detail;
    });
  }, id);
}

async function specOf(page: Page, id: string): Promise<LiveExplorerSpec> {
  const json = await page.$eval(`script[data-gd-live="${id}"]`, (script) => script.textContent ?? "");
  return JSON.parse(json) as LiveExplorerSpec;
}

/** The drawn state: the settings of the last redraw (the spec's before any), and plotly.js's own data. */
async function stateOf(page: Page, id: string, spec: LiveExplorerSpec): Promise<PageState> {
  await waitUntilDrawn(page, id);
  const state = await page.evaluate(
    ([figureId, traceIndex]) => {
      const record = (
        window as unknown as {
          gdTestDrawn: Record<string, { count: number; detail?: { settings: unknown } }>;
        }
      ).gdTestDrawn[figureId as string];
      const figure = document.getElementById(figureId as string) as HTMLElement;
      // The path view draws its moving traces on a layer over the map, in MOVING_PATH_TRACES' order.
      const layer = figure.querySelector(".gd-live-layer");
      const plot = (layer ?? figure) as unknown as { data: { x: number[]; y: number[] }[] };
      const trace = plot.data[layer ? 0 : (traceIndex as number)];
      const status = document.querySelector(`#${figureId} + .gd-live-controls .gd-live-status`);
      return {
        settings: record.detail?.settings,
        updates: record.count,
        status: status?.textContent ?? "",
        x: Array.from(trace.x),
        y: Array.from(trace.y),
      };
    },
    [id, LOSS_TRACE],
  );
  return { ...state, settings: (state.settings as LiveSettings | undefined) ?? spec.settings };
}

/** The drawn numbers are the kernel's for the page's settings, exactly. */
function assertKernelNumbers(spec: LiveExplorerSpec, state: PageState, what: string): void {
  const kernel = liveDescent(spec.problem, state.settings);
  if (spec.view === "path") {
    assert.deepEqual(
      state.x,
      kernel.points.map((point) => point[0]),
      `${what}: drawn x`,
    );
    assert.deepEqual(
      state.y,
      kernel.points.map((point) => point[1]),
      `${what}: drawn y`,
    );
  } else {
    assert.deepEqual(state.y, kernel.values, `${what}: drawn loss`);
  }
  assert.ok(
    state.y.every(Number.isFinite) && state.x.every(Number.isFinite),
    `${what}: non-finite point drawn`,
  );
  const stop =
    kernel.stop.kind === "diverged" ? `diverged at iteration ${kernel.stop.iteration}` : kernel.stop.kind;
  assert.ok(
    state.status.includes(kernel.stop.kind === "diverged" ? stop : ""),
    `${what}: status "${state.status}"`,
  );
}

/** Drags a slider's thumb with the mouse to `fraction` of its rail. */
async function dragSlider(page: Page, id: string, setting: string, fraction: number): Promise<void> {
  const slider = page.locator(`#${id} + .gd-live-controls input[data-setting="${setting}"]`);
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  assert.ok(box, `the ${setting} slider of ${id} is not visible`);
  const position = Number(await slider.inputValue());
  const y = box.y + box.height / 2;
  // The thumb is about 16 px wide: its centre moves over the rail less 8 px at each end.
  const at = (t: number) => box.x + 8 + t * (box.width - 16);
  await page.mouse.move(at(position), y);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++)
    await page.mouse.move(at(position + ((fraction - position) * step) / 8), y);
  await page.mouse.up();
}

export interface LiveExerciseReport {
  id: string;
  view: string;
  updates: number;
  settings: LiveSettings[];
}

/**
 * For one live figure: drags the learning rate, then the iterations, clicks the map (path view),
 * and drags the learning rate to its end, where the run diverges; after each input the path has
 * changed and equals the kernel's numbers.
 */
export async function exerciseLiveFigure(page: Page, id: string): Promise<LiveExerciseReport> {
  const spec = await specOf(page, id);
  await listenToRedraws(page, id);
  const first = await stateOf(page, id, spec);
  assertKernelNumbers(spec, first, "before any input");
  const seen: LiveSettings[] = [first.settings];
  let previous = first;
  const check = async (what: string, changed: (before: PageState, after: PageState) => boolean) => {
    const state = await stateOf(page, id, spec);
    assert.ok(state.updates > previous.updates, `${what}: no redraw after the input`);
    assert.ok(changed(previous, state), `${what}: the settings did not change`);
    assert.notDeepEqual(
      [state.x, state.y],
      [previous.x, previous.y],
      `${what}: the drawn path did not change`,
    );
    assertKernelNumbers(spec, state, what);
    seen.push(state.settings);
    previous = state;
  };
  // Every slider of the explorer: the learning rate, the rule's own parameters (momentum, …), the iterations.
  for (const control of spec.controls) {
    await dragSlider(page, id, control.setting, control.setting === "learningRate" ? 0.3 : 0.75);
    await check(
      `dragging ${control.label}`,
      (a, b) => settingValue(a.settings, control.setting) !== settingValue(b.settings, control.setting),
    );
  }
  if (spec.clickSetsStart) {
    const target = { x: -2, y: -1.5 };
    // Where plotly.js itself put the point (its private state: the test's independent reading).
    const point = await page.evaluate(
      ([figureId, x, y]) => {
        const figure = document.getElementById(figureId as string) as unknown as {
          getBoundingClientRect(): DOMRect;
          _fullLayout: Record<string, { _offset: number; l2p(value: number): number }>;
        };
        const box = figure.getBoundingClientRect();
        const { xaxis, yaxis } = figure._fullLayout;
        return {
          x: box.left + xaxis._offset + xaxis.l2p(x as number),
          y: box.top + yaxis._offset + yaxis.l2p(y as number),
        };
      },
      [id, target.x, target.y],
    );
    await page.mouse.click(point.x, point.y);
    await check("clicking on the map", (a, b) => a.settings.start.join() !== b.settings.start.join());
    const [x, y] = previous.settings.start;
    assert.ok(Math.abs(x - target.x) < 0.05 && Math.abs(y - target.y) < 0.05, `start ${x}, ${y}`);
  }
  await dragSlider(page, id, "learningRate", 1);
  await check(
    "dragging the learning rate to its end",
    (a, b) => a.settings.parameters.learningRate !== b.settings.parameters.learningRate,
  );
  assert.match(
    previous.status,
    /diverged at iteration \d+/i,
    "the largest learning rate diverges, and says so",
  );
  return { id, view: spec.view, updates: previous.updates, settings: seen };
}

/** Every live figure of the page, exercised; returns the reports. */
export async function exerciseLiveFigures(page: Page): Promise<LiveExerciseReport[]> {
  const reports: LiveExerciseReport[] = [];
  for (const id of await liveFigureIds(page)) reports.push(await exerciseLiveFigure(page, id));
  return reports;
}
