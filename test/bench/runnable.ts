/**
 * The runnable export (npm run export -- --runnable) against the kernel: notebook 02's "Run all"
 * in headless Chromium (the page's own clock, from the click until every figure is drawn) beside
 * the kernel's execution of the same notebook (nbconvert --execute), interleaved round by round;
 * then the rerun from the parameters cell in the page; and each runnable export's size, by part.
 * Run alone with `npx tsx test/bench/runnable.ts`; `npm run bench` includes its section.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { exportNotebook } from "../../src/tools/export";
import { runnableSizes } from "../../src/tools/export/runnable";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { executeNotebook } from "../../src/tools/notebooks";
import { launchChromium } from "../support/chromium";

const ROUNDS = 3;
const NOTEBOOKS = [
  "01-the-gradient-descent-algorithm.ipynb",
  "02-fitting-a-cubic-to-sin.ipynb",
  "03-beyond-plain-gradient-descent.ipynb",
];
export const RUNNABLE_SIZE_GOAL_BYTES = 4e6;

export interface RunnableBenchSection {
  markdown: string;
  goals: string[][];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const seconds = (values: number[]) =>
  `${median(values).toFixed(2)} s (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;

/** One "Run all" then one rerun from the parameters cell, in a fresh page; the page's seconds. */
async function runInPage(file: string): Promise<{ runAll: number; rerun: number }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.route("**", (route) =>
      route.request().url().startsWith("file:") ? route.continue() : route.abort(),
    );
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => "__gdRunnable" in window, null, { timeout: 120_000 });
    const run = async (button: string, runs: number) => {
      await page.locator(button).first().click();
      await page.waitForFunction((count) => document.body.dataset.gdRuns === String(count), runs, {
        timeout: 600_000,
      });
      return Number(await page.evaluate(() => document.body.dataset.gdRunSeconds));
    };
    const runAll = await run(".gd-run-toolbar button", 1);
    const parameters = await page.evaluate(
      `Array.from(document.querySelectorAll("[data-gd-cell]")).findIndex((cell) => /const learningRate = /.test(cell.textContent))`,
    );
    const rerun = await run(`[data-gd-cell="${parameters}"] .gd-run-cell-bar button:nth-child(2)`, 2);
    return { runAll, rerun };
  } finally {
    await browser.close();
  }
}

export async function benchRunnable(): Promise<RunnableBenchSection> {
  const folder = mkdtempSync(path.join(tmpdir(), "gd-runnable-bench-"));
  try {
    const files: Record<string, { file: string; bytes: number }> = {};
    for (const name of NOTEBOOKS) {
      const result = await exportNotebook(path.join(NOTEBOOKS_DIR, name), folder, { runnable: true });
      if (!result.html || result.bytes === undefined) throw new Error(result.problems.join("\n"));
      files[name] = { file: result.html, bytes: result.bytes };
    }
    const notebook = NOTEBOOKS[1];
    const kernel: number[] = [];
    const runAll: number[] = [];
    const rerun: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const contenders = [
        async () => {
          const began = performance.now();
          await executeNotebook(path.join(NOTEBOOKS_DIR, notebook), path.join(folder, "executed"));
          kernel.push((performance.now() - began) / 1000);
        },
        async () => {
          const times = await runInPage(files[notebook].file);
          runAll.push(times.runAll);
          rerun.push(times.rerun);
        },
      ];
      for (const contender of round % 2 === 0 ? contenders : contenders.reverse()) await contender();
      console.log(`  round ${round + 1} of ${ROUNDS} done`);
    }
    const sizes = runnableSizes();
    const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
    const markdown = [
      `**Runnable export** (headless Chromium, ${ROUNDS} interleaved rounds; the page's time runs from the click until every figure is drawn):`,
      "",
      "| notebook 02 | median (min–max) |",
      "| --- | --- |",
      `| the kernel executes the notebook (nbconvert --execute) | ${seconds(kernel)} |`,
      `| "Run all" in the page | ${seconds(runAll)} |`,
      `| "Run this and all below" from the parameters cell | ${seconds(rerun)} |`,
      "",
      "| runnable export | size |",
      "| --- | --- |",
      ...NOTEBOOKS.map(
        (name) => `| ${name.replace(/\.ipynb$/, "-runnable.html")} | ${megabytes(files[name].bytes)} |`,
      ),
      "",
      "| part of each page | minified | in the page (gzip + base85) |",
      "| --- | --- | --- |",
      ...sizes.map((row) => `| ${row.part} | ${megabytes(row.minified)} | ${megabytes(row.inPage)} |`),
    ].join("\n");
    const goals = [
      [
        `"Run all" of notebook 02 in the page faster than the kernel's execution`,
        `${median(runAll).toFixed(1)} s vs ${median(kernel).toFixed(1)} s`,
        median(runAll) < median(kernel) ? "yes" : "no",
      ],
      ...NOTEBOOKS.map((name) => [
        `${name} runnable export < 4 MB`,
        megabytes(files[name].bytes),
        files[name].bytes < RUNNABLE_SIZE_GOAL_BYTES ? "yes" : "no",
      ]),
    ];
    return { markdown, goals };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRunnable().then(
    (section) => {
      console.log(section.markdown);
      console.log(section.goals.map((row) => row.join(" | ")).join("\n"));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
