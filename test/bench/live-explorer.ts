/**
 * The live explorer's update time, measured in headless Chromium: a standalone page with both
 * explorers at 10 000 iterations, the learning-rate slider moved by input events over its range,
 * and for each input the page's own timing of the descent and the redraw (Plotly.animate), plus the
 * time from the input to the drawn result (which includes waiting for the next frame). Run alone
 * with `npx tsx test/bench/live-explorer.ts`; `npm run bench` includes its section.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { liveLossExplorerFigure, livePathExplorerFigure } from "../../src/live/figures";
import { randomCoefficients, sineData } from "../../src/problems/cubic-fit/polynomial";
import { pageScript } from "../../src/display/page-scripts";
import { writeFigureHtml } from "../../src/display/html";
import { CHROMIUM, launchChromium } from "../support/chromium";

export const LIVE_BENCH_ITERATIONS = 10_000;
export const LIVE_UPDATE_GOAL_MS = 50;
const INPUTS = 24;

export interface LiveBenchRow {
  view: string;
  /** Descent + Plotly.update, as the page timed them (ms). */
  updateMedian: number;
  updateMax: number;
  /** The descent (and the traces' new data) alone, median (ms). */
  descentMedian: number;
  /** From dispatching the input to the drawn result, next frame included (ms). */
  inputToDrawnMedian: number;
  /** Points drawn per update, median. */
  pointsMedian: number;
}

export interface LiveBenchSection {
  rows: LiveBenchRow[];
  bundleBytes: number;
  markdown: string;
  /** Rows for the bench's goals table: goal, measured, met. */
  goals: string[][];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function benchLiveExplorer(): Promise<LiveBenchSection> {
  const folder = mkdtempSync(path.join(tmpdir(), "gd-live-bench-"));
  const file = writeFigureHtml(path.join(folder, "bench.html"), [
    livePathExplorerFigure({ iterations: LIVE_BENCH_ITERATIONS }),
    liveLossExplorerFigure({
      data: sineData(),
      start: randomCoefficients(3, 0),
      learningRate: 1e-6,
      iterations: LIVE_BENCH_ITERATIONS,
    }),
  ]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.querySelectorAll(".gd-live-controls").length === 2, undefined, {
      timeout: 60_000,
    });
    const rows: LiveBenchRow[] = [];
    for (const index of [0, 1]) {
      // A string: tsx would wrap a function's inner helpers with its own, which the page lacks.
      const measured = (await page.evaluate(`(async () => {
        const figure = document.querySelectorAll(".gd-figure")[${index}];
        const panel = figure.nextElementSibling;
        // Each redraw sends its timings in a "gd-live-drawn" event; the panel is aria-busy until then.
        const drawn = [];
        figure.addEventListener("gd-live-drawn", (event) => drawn.push(event.detail));
        const idle = () => new Promise((resolve) => {
          const check = () => (panel.hasAttribute("aria-busy") ? requestAnimationFrame(check) : resolve());
          check();
        });
        const rate = panel.querySelector('input[data-setting="learningRate"]');
        const iterations = panel.querySelector('input[data-setting="iterations"]');
        await idle();
        iterations.value = "1";
        iterations.dispatchEvent(new Event("input"));
        await idle();
        const inputToDrawn = [];
        const first = drawn.length;
        for (let k = 0; k < ${INPUTS}; k++) {
          const began = performance.now();
          rate.value = String(k / (${INPUTS} - 1));
          rate.dispatchEvent(new Event("input"));
          await idle();
          inputToDrawn.push(performance.now() - began);
        }
        const measured = drawn.slice(first);
        return {
          view: figure.querySelector(".gd-live-layer") ? "path" : "loss",
          updates: measured.map((detail) => detail.duration),
          descents: measured.map((detail) => detail.descentDuration),
          inputToDrawn,
          points: measured.map((detail) => detail.points),
          iterations: drawn[drawn.length - 1].settings.iterations,
        };
      })()`)) as {
        view: string;
        updates: number[];
        descents: number[];
        inputToDrawn: number[];
        points: number[];
        iterations: number;
      };
      if (measured.iterations !== LIVE_BENCH_ITERATIONS) {
        throw new Error(
          `the iterations slider's end gave ${measured.iterations}, not ${LIVE_BENCH_ITERATIONS}`,
        );
      }
      rows.push({
        view: measured.view,
        updateMedian: median(measured.updates),
        updateMax: Math.max(...measured.updates),
        descentMedian: median(measured.descents),
        inputToDrawnMedian: median(measured.inputToDrawn),
        pointsMedian: median(measured.points),
      });
    }
    const bundleBytes = pageScript("live").bytes;
    const name = (view: string) =>
      view === "path" ? "notebook 01: path on the contour map" : "notebook 02: loss per iteration";
    const table = [
      "| explorer | points drawn (median) | update: descent + redraw, median | max | of which the descent, median | input → drawn (next frame included), median |",
      "| --- | --- | --- | --- | --- | --- |",
      ...rows.map(
        (row) =>
          `| ${name(row.view)} | ${row.pointsMedian} | ${row.updateMedian.toFixed(1)} ms | ${row.updateMax.toFixed(1)} ms | ${row.descentMedian.toFixed(1)} ms | ${row.inputToDrawnMedian.toFixed(1)} ms |`,
      ),
    ].join("\n");
    const markdown = [
      `**Live explorer** (headless Chromium, ${LIVE_BENCH_ITERATIONS} iterations, the learning-rate slider moved ${INPUTS} times over its range; the page's bundle of the kit's descent code: ${(bundleBytes / 1000).toFixed(1)} kB minified):`,
      "",
      table,
    ].join("\n");
    const goals = rows.map((row) => [
      `live explorer (${row.view} view): update after an input ≤ ${LIVE_UPDATE_GOAL_MS} ms at ${LIVE_BENCH_ITERATIONS} iterations`,
      `${row.updateMedian.toFixed(1)} ms median, ${row.updateMax.toFixed(1)} ms max`,
      row.updateMedian <= LIVE_UPDATE_GOAL_MS ? "yes" : "no",
    ]);
    return { rows, bundleBytes, markdown, goals };
  } finally {
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log(`Chromium: ${CHROMIUM}`);
  benchLiveExplorer().then(
    (section) => {
      console.log(section.markdown);
      console.log(section.goals.map((goal) => `- ${goal.join(": ")}`).join("\n"));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
