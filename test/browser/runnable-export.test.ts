/**
 * The runnable export (npm run export -- --runnable) in headless Chromium, offline (every request
 * outside the page's file aborted): notebooks 01, 02 and 03 are executed by the kernel at their
 * defaults and with two other parameter settings (one of them a diverging learning rate), then,
 * in the page, "Run all" and, for each other setting, the parameters cell edited in its editor
 * and "Run this and all below". Every code cell's outputs in the page must be the kernel's: text
 * and markdown word for word, integers exactly, and every other number as close as two engines
 * allow. Exactly is not possible: ECMAScript leaves Math.sin, cos, log, exp and pow
 * "implementation-approximated", and Chromium's differ from Node's in the last bit for a few
 * percent of arguments (sin on 26 of the 2000 points of sin(x) on [−π, π]), which the random
 * start (cos, log) and the data (sin) carry into every later digit. So a number may differ by
 * 1e-9 of itself, one unit in its last printed digit or 1e-10 (rounding noise, such as a loss
 * minus the optimum after convergence), and figures' numbers by one unit in the
 * 6th significant digit the kernel's figures carry. Only the TensorFlow.js backend's description
 * and measured times may differ in words.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { exportExecuted } from "../../src/tools/export";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { joinText, readNotebook, type NotebookCell } from "../../src/tools/notebooks";
import { launchChromium, NO_CHROMIUM, watchedPage, type WatchedPage } from "../support/chromium";
import {
  cellsOf,
  executeUpToParameters,
  executeWithReruns,
  figuresIn,
  firstFailure,
  withParameter,
} from "../support/reruns";

/** Per notebook: the two other settings of its parameters cell, the first diverging. */
const NOTEBOOKS: { name: string; settings: Record<string, number>[] }[] = [
  {
    name: "01-the-gradient-descent-algorithm.ipynb",
    settings: [{ learningRate: 2.5 }, { learningRate: 0.5, iterations: 25, x: 1, y: -1.5 }],
  },
  {
    name: "02-fitting-a-cubic-to-sin.ipynb",
    settings: [{ learningRate: 0.001 }, { seed: 7, iterations: 1000 }],
  },
  {
    name: "03-beyond-plain-gradient-descent.ipynb",
    settings: [
      { learningRate: 5, adamLearningRate: 5 },
      { momentum: 0.5, iterations: 60, batchSize: 20 },
    ],
  },
];

/** What a cell showed, in a form both the kernel's outputs and the page's give. */
interface Shown {
  stdout: string;
  stderr: string;
  markdown: string[];
  figures: unknown[];
  errors: string[];
}

/** Where the page and the kernel may rightly differ: which TensorFlow.js backend ran, and clocks. */
function normalized(text: string): string {
  return text
    .replace(/backend "(\w+)" \([^)]*\)/g, 'backend "$1"')
    .replace(/-?\d[\d.]*(?:e[+-]?\d+)? ms\b/g, "… ms");
}

/** Below this size a printed number is rounding noise (a loss minus the optimum, a zero coefficient). */
const NOISE = 1e-10;

const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

/** Whether two printed numbers agree as closely as two JavaScript engines' numbers can. */
function closeNumbers(page: string, kernel: string): boolean {
  if (page === kernel) return true;
  if (!/[.e]/i.test(page + kernel)) return false; // integers: counts, steps, iterations
  const a = Number(page);
  const b = Number(kernel);
  const decimals = /\.(\d+)/.exec(kernel.split(/e/i)[0])?.[1].length ?? 0;
  const exponent = Number(/e([+-]?\d+)/i.exec(kernel)?.[1] ?? 0);
  const lastDigit = 10 ** (exponent - decimals);
  return Math.abs(a - b) <= Math.max(1e-9 * Math.abs(b), lastDigit * 1.000001, NOISE);
}

/** Whether texts agree: words exactly, numbers by closeNumbers. */
function sameText(page: string, kernel: string): boolean {
  const words = (text: string) => text.split(NUMBER);
  const numbers = (text: string) => text.match(NUMBER) ?? [];
  const [pageNumbers, kernelNumbers] = [numbers(page), numbers(kernel)];
  return (
    JSON.stringify(words(page)) === JSON.stringify(words(kernel)) &&
    pageNumbers.length === kernelNumbers.length &&
    pageNumbers.every((number, k) => closeNumbers(number, kernelNumbers[k]))
  );
}

/**
 * Where a figure's numbers in the page disagree with the kernel's, which carry 6 significant
 * digits (a path and both values), or undefined.
 */
function figureMismatch(page: unknown, kernel: unknown, where = "figure"): string | undefined {
  if (typeof page === "number" && typeof kernel === "number") {
    const unit = kernel === 0 ? 0 : 10 ** (Math.floor(Math.log10(Math.abs(kernel))) - 5);
    const close = Math.abs(page - kernel) <= Math.max(unit * 1.000001, 1e-9 * Math.abs(kernel), NOISE);
    return close ? undefined : `${where}: page ${page}, kernel ${kernel}`;
  }
  if (Array.isArray(page) && Array.isArray(kernel)) {
    if (page.length !== kernel.length) return `${where}: ${page.length} entries, kernel ${kernel.length}`;
    for (const [k, entry] of page.entries()) {
      const found = figureMismatch(entry, kernel[k], `${where}[${k}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isTrace(page) && isTrace(kernel) && page.x.length !== kernel.x.length) {
    const unequal = pointsMismatch(page, kernel, where);
    if (unequal) return unequal;
    return figureMismatch({ ...page, x: [], y: [] }, { ...kernel, x: [], y: [] }, where);
  }
  if (page && kernel && typeof page === "object" && typeof kernel === "object") {
    const keys = Object.keys(page).sort();
    if (JSON.stringify(keys) !== JSON.stringify(Object.keys(kernel).sort())) {
      return `${where}: keys ${keys.join(", ")}, kernel ${Object.keys(kernel).sort().join(", ")}`;
    }
    for (const key of keys) {
      const found = figureMismatch(
        (page as Record<string, unknown>)[key],
        (kernel as Record<string, unknown>)[key],
        `${where}.${key}`,
      );
      if (found) return found;
    }
    return undefined;
  }
  const same =
    typeof page === "string" && typeof kernel === "string" ? sameText(page, kernel) : page === kernel;
  return same ? undefined : `${where}: page ${JSON.stringify(page)}, kernel ${JSON.stringify(kernel)}`;
}

interface Trace {
  x: number[];
  y: number[];
}

function isTrace(value: unknown): value is Trace {
  const trace = value as Partial<Trace>;
  return typeof value === "object" && value !== null && Array.isArray(trace.x) && Array.isArray(trace.y);
}

/** Below this a point of a loss-above-optimum curve is rounding noise, which a log axis drops when ≤ 0. */
const NOISE_POINT = 1e-9;

/**
 * A trace whose points differ in number: only points at rounding-noise height (a loss minus the
 * optimum, which the figure drops where it is ≤ 0 for its log axis) may be missing on one side.
 */
function pointsMismatch(page: Trace, kernel: Trace, where: string): string | undefined {
  const key = (x: number) => Number(x.toPrecision(6));
  const pageY = new Map(page.x.map((x, i) => [key(x), page.y[i]]));
  const kernelY = new Map(kernel.x.map((x, i) => [x, kernel.y[i]]));
  for (const x of new Set([...pageY.keys(), ...kernelY.keys()])) {
    const [a, b] = [pageY.get(x), kernelY.get(x)];
    if (a !== undefined && b !== undefined) {
      const found = figureMismatch(a, b, `${where}.y at x = ${x}`);
      if (found) return found;
    } else if (Math.abs((a ?? b) as number) > NOISE_POINT) {
      return `${where}: the point at x = ${x} (y = ${a ?? b}) is only in the ${a === undefined ? "kernel's" : "page's"}`;
    }
  }
  return undefined;
}

/** JSON's numbers: NaN and ±Infinity become null on both sides alike. */
function figureJson(json: string): unknown {
  return JSON.parse(json);
}

function kernelShown(cell: NotebookCell): Shown {
  const outputs = cell.outputs ?? [];
  const stream = (name: string) =>
    outputs
      .filter((output) => output.output_type === "stream" && output.name === name)
      .map((output) => joinText(output.text))
      .join("");
  const results = outputs
    .filter((output) => output.output_type === "execute_result")
    .map((output) => `${joinText(output.data?.["text/plain"] as string | string[] | undefined)}\n`);
  return {
    stdout: normalized(stream("stdout") + results.join("")),
    stderr: stream("stderr"),
    markdown: outputs
      .map((output) => output.data?.["text/markdown"] as string | string[] | undefined)
      .filter((markdown) => markdown !== undefined)
      .map((markdown) => normalized(joinText(markdown))),
    figures: figuresIn([cell]).map((figure) => figureJson(JSON.stringify(figure))),
    errors: outputs
      .filter((output) => output.output_type === "error")
      .map((output) => `${output.ename}: ${output.evalue}`),
  };
}

const SHOWN_IN_PAGE = `(first) =>
  Array.from(document.querySelectorAll("[data-gd-cell]")).slice(first).map((cell) => {
    const area = cell.querySelector(".gd-run-outputs");
    const texts = (selector) => Array.from(area.querySelectorAll(selector)).map((element) => element.textContent || "");
    return {
      state: cell.dataset.gdRun || "",
      stdout: texts(".gd-out-stdout").join(""),
      stderr: texts(".gd-out-stderr").join(""),
      markdown: Array.from(area.querySelectorAll(".gd-out-markdown")).map((element) => element.dataset.markdown || ""),
      figures: texts("script[data-gd-figure]"),
      errors: texts(".gd-out-error"),
    };
  })`;

/** The page's cells from `from` on: their state and what their outputs show. */
async function pageShown(page: Page, from: number): Promise<(Shown & { state: string })[]> {
  // A string, not a function: tsx would wrap the function's inner functions in its __name helper.
  const cells = (await page.evaluate(`(${SHOWN_IN_PAGE})(${from})`)) as (Shown & { state: string })[];
  return cells.map((cell) => ({
    ...cell,
    stdout: normalized(cell.stdout),
    markdown: cell.markdown.map(normalized),
    figures: (cell.figures as string[]).map((json) => figureJson(json)),
  }));
}

/** Clicks a button and waits until the page has finished `runs` runs. */
async function runAndWait(page: Page, button: ReturnType<Page["locator"]>, runs: number): Promise<void> {
  await button.click();
  await page.waitForFunction((count) => document.body.dataset.gdRuns === String(count), runs, {
    timeout: 300_000,
  });
}

/** Replaces the text in code cell `index`'s editor, as a student types it. */
async function typeInto(page: Page, index: number, source: string): Promise<void> {
  await page.locator(`[data-gd-cell="${index}"] .cm-content`).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(source);
}

function assertSameOutputs(kernel: NotebookCell[], shown: (Shown & { state: string })[], run: string): void {
  assert.equal(shown.length, kernel.length, `${run}: as many code cells in the page as in the kernel's run`);
  kernel.forEach((cell, index) => {
    const where = `${run}, code cell ${index + 1} (${joinText(cell.source).split("\n")[0].slice(0, 60)})`;
    const { state, ...page } = shown[index];
    const kernelCell = kernelShown(cell);
    assert.equal(state, "done", `${where} ran in the page: ${page.errors.join(" ")}`);
    const texts = (each: Shown) => [each.stdout, each.stderr, ...each.markdown, ...each.errors];
    const [pageTexts, kernelTexts] = [texts(page), texts(kernelCell)];
    assert.equal(pageTexts.length, kernelTexts.length, `${where}: as many outputs`);
    pageTexts.forEach((text, k) => {
      if (!sameText(text, kernelTexts[k])) assert.equal(text, kernelTexts[k], where);
    });
    assert.equal(page.figures.length, kernelCell.figures.length, `${where}: as many figures`);
    page.figures.forEach((figure, k) => {
      const mismatch = figureMismatch(figure, kernelCell.figures[k], `figure ${k + 1}`);
      assert.equal(mismatch, undefined, `${where}, ${mismatch}`);
    });
  });
}

/** RUNNABLE_EXPORT_ONLY=02 runs one notebook's part (the kernel runs of the others are long). */
const only = process.env.RUNNABLE_EXPORT_ONLY;

for (const { name, settings } of NOTEBOOKS.filter((notebook) => !only || notebook.name.startsWith(only))) {
  describe(`the runnable export of ${name}`, { skip: NO_CHROMIUM }, () => {
    const original = readNotebook(path.join(NOTEBOOKS_DIR, name));
    const code = original.cells.filter((cell) => cell.cell_type === "code");
    const parametersIndex = code.findIndex((cell) => cell.metadata.tags?.includes("parameters"));
    const parametersSource = joinText(code[parametersIndex].source);
    const sources = settings.map((setting) =>
      Object.entries(setting).reduce(
        (source, [key, value]) => withParameter(source, key, value),
        parametersSource,
      ),
    );
    let cleanup = () => {};
    let kernelRuns: NotebookCell[][];
    let browser: Browser;
    let watched: WatchedPage;
    let outDir: string;

    before(
      async () => {
        const session = await executeWithReruns(name, original, sources);
        cleanup = session.cleanup;
        const runs = [undefined, 1, 2].map((rerun) =>
          cellsOf(session.executed, rerun).filter((cell) => cell.cell_type === "code"),
        );
        kernelRuns = runs;
        outDir = mkdtempSync(path.join(os.tmpdir(), "runnable-export-"));
        const firstRun = { ...session.executed, cells: cellsOf(session.executed, undefined) };
        const result = await exportExecuted(firstRun, path.join(NOTEBOOKS_DIR, name), outDir, {
          runnable: true,
        });
        assert.deepEqual(result.problems, []);
        browser = await launchChromium();
        const url = `file://${result.html}`;
        watched = await watchedPage(browser, [url]);
        await watched.page.goto(url);
        await watched.page.waitForFunction(() => "__gdRunnable" in window, null, { timeout: 60_000 });
      },
      { timeout: 1_500_000 },
    );

    after(async () => {
      await browser?.close();
      cleanup();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });

    it(
      "runs every cell at the defaults with the kernel's outputs (Run all)",
      { timeout: 300_000 },
      async () => {
        const { page } = watched;
        await runAndWait(page, page.locator(".gd-run-toolbar button", { hasText: "Run all" }), 1);
        const shown = await pageShown(page, 0);
        assertSameOutputs(kernelRuns[0], shown, "Run all at the defaults");
        assert.ok(
          shown.some((cell) => cell.figures.length > 0),
          "figures compared",
        );
        assert.ok(
          shown.some((cell) => cell.markdown.length > 0),
          "markdown compared",
        );
      },
    );

    settings.forEach((setting, k) => {
      it(
        `reruns from the parameters cell edited to ${JSON.stringify(setting)} with the kernel's outputs`,
        { timeout: 300_000 },
        async () => {
          const { page } = watched;
          await typeInto(page, parametersIndex, sources[k]);
          const below = page.locator(`[data-gd-cell="${parametersIndex}"] button`, { hasText: "all below" });
          await runAndWait(page, below, k + 2);
          assertSameOutputs(
            kernelRuns[k + 1],
            await pageShown(page, parametersIndex),
            `parameters ${JSON.stringify(setting)}`,
          );
        },
      );
    });

    it("fetched nothing and logged no console error", () => {
      assert.deepEqual(watched.blocked, []);
      assert.deepEqual(watched.errors, []);
    });

    if (name.startsWith("01")) {
      it(
        "shows a parameter out of range as the kernel's one-line error under its cell, and stops",
        { timeout: 600_000 },
        async () => {
          const { page } = watched;
          const invalid = withParameter(parametersSource, "learningRate", -1);
          const kernel = firstFailure(await executeUpToParameters(name, original, invalid));
          assert.ok(kernel, "the kernel reports the value out of range");
          await typeInto(page, parametersIndex, invalid);
          const below = page.locator(`[data-gd-cell="${parametersIndex}"] button`, { hasText: "all below" });
          await runAndWait(page, below, settings.length + 2);
          const [parameters, ...rest] = await pageShown(page, parametersIndex);
          assert.equal(parameters.state, "error");
          assert.deepEqual(parameters.errors, [kernel.text.trim()]);
          // As in Jupyter, the cells below keep their last outputs, marked as not run.
          assert.ok(rest.length > 0, "cells below the parameters cell");
          assert.deepEqual(
            rest.map((cell) => cell.state),
            rest.map(() => "skipped"),
          );
        },
      );
    }
  });
}
