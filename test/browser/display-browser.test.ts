/**
 * Figures in a real browser: headless Chromium (Debian's, driven by playwright-core) opens pages
 * made by writeFigureHtml and figureHtml, with every network request blocked.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { descendArticleFunction } from "../../src/problems/bowl/bowl";
import { figureHtml, writeFigureHtml } from "../../src/display/html";
import { lossFigure } from "../../src/figures/training";
import { MISSING_PLOTLY_MESSAGE } from "../../src/display/runtime";
import { setUpFigures } from "../../src/display/show";
import { contourWithPathFigure, surfaceWithPathFigure } from "../../src/figures/surface";
import { CHROMIUM, CHROMIUM_ARGS, skipOutsideCI } from "../support/chromium";

interface OpenedPage {
  page: Page;
  errors: string[];
  requests: string[];
}

interface FigureState {
  drawn: boolean;
  canvases: number;
  message: string | null;
}

const skip = skipOutsideCI(existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`);

describe("figures in headless Chromium, offline", { skip }, () => {
  let browser: Browser;
  const folder = mkdtempSync(path.join(tmpdir(), "figures-browser-"));
  const surface = surfaceWithPathFigure({
    trajectories: [descendArticleFunction({ learningRate: 0.1, iterations: 10, x: 2, y: 2 })],
  });
  const contour = contourWithPathFigure({
    trajectories: [descendArticleFunction({ learningRate: 1.5, iterations: 30, x: 2, y: 2 })],
  });
  const loss = lossFigure([
    {
      name: "gradient norm",
      values: descendArticleFunction({ learningRate: 0.3, iterations: 30, x: 2, y: 2 }).gradientNorms,
    },
  ]);

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Opens a file with only file: requests allowed and AMD/CommonJS globals set, as require.js pages have. */
  async function open(file: string): Promise<OpenedPage> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route("**", (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith("file:") ? route.continue() : route.abort();
    });
    // A string, not a function: tsx would add helpers the page does not have.
    await page.addInitScript(`
      window.define = function () { throw new Error("plotly.js was handed to an AMD loader"); };
      window.define.amd = {};
      window.module = { exports: {} };
      window.exports = window.module.exports;
    `);
    await page.goto(`file://${file}`);
    return { page, errors, requests };
  }

  function figureStates(page: Page): Promise<FigureState[]> {
    return page.$$eval(".gd-figure", (figures) =>
      figures.map((figure) => ({
        drawn: figure.querySelector(".plot-container .main-svg") !== null,
        canvases: figure.querySelectorAll("canvas").length,
        message: figure.querySelector(".gd-figure-message")?.textContent ?? null,
      })),
    );
  }

  async function waitUntilDrawn(page: Page, count: number): Promise<void> {
    await page.waitForFunction(
      (expected) => {
        const figures = Array.from(document.querySelectorAll(".gd-figure"));
        return figures.length === expected && figures.every((figure) => figure.querySelector(".main-svg"));
      },
      count,
      { timeout: 60_000 },
    );
  }

  it("draws every figure of a writeFigureHtml page, the surface in WebGL, with no console errors", async () => {
    const file = writeFigureHtml(path.join(folder, "page.html"), [surface, contour, loss]);
    const { page, errors, requests } = await open(file);
    await waitUntilDrawn(page, 3);
    const states = await figureStates(page);
    assert.deepEqual(
      states.map((state) => state.drawn),
      [true, true, true],
    );
    assert.ok(states[0].canvases > 0, "the 3-D surface has a WebGL canvas");
    assert.deepEqual(
      states.map((state) => state.message),
      [null, null, null],
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((url) => !url.startsWith("file:")),
      [],
    );
    const width = await page.$eval(".gd-figure .main-svg", (svg) => svg.getBoundingClientRect().width);
    const pageWidth = await page.$eval(".gd-figure", (figure) => figure.getBoundingClientRect().width);
    assert.equal(width, pageWidth, "the figure fills the width");
    await page.close();
  });

  it("draws a figure that comes before the output carrying plotly.js", async () => {
    const file = path.join(folder, "any-order.html");
    writeFileSync(
      file,
      `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${figureHtml(loss)}` +
        `${figureHtml(surface, { includeLibrary: true })}</body></html>`,
    );
    const { page, errors } = await open(file);
    await waitUntilDrawn(page, 2);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("unpacks plotly.js from setUpFigures' output at once, for the figures after it", async () => {
    const outputs: string[] = [];
    setUpFigures({ display: { html: (html) => outputs.push(html) } });
    const file = path.join(folder, "set-up.html");
    writeFileSync(
      file,
      `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${outputs[0]}</body></html>`,
    );
    const { page, errors } = await open(file);
    await page.waitForFunction(() => typeof (window as unknown as { Plotly?: unknown }).Plotly === "object");
    await page.evaluate((html) => document.body.insertAdjacentHTML("beforeend", html), figureHtml(loss));
    await page.evaluate(() => {
      // insertAdjacentHTML does not run scripts: run the figure's, as a notebook front end does.
      const script = Array.from(document.querySelectorAll("script:not([type])")).pop();
      const copy = document.createElement("script");
      copy.textContent = script?.textContent ?? "";
      document.body.appendChild(copy);
    });
    await waitUntilDrawn(page, 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("says how to get plotly.js back when no output carries it", async () => {
    const file = path.join(folder, "missing.html");
    writeFileSync(
      file,
      `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${figureHtml(loss)}</body></html>`,
    );
    const { page } = await open(file);
    await page.waitForFunction(
      (text) => document.querySelector(".gd-figure-message")?.textContent === text,
      MISSING_PLOTLY_MESSAGE,
      { timeout: 20_000 },
    );
    assert.match(MISSING_PLOTLY_MESSAGE, /resetPlotlyDelivery\(\)/);
    await page.close();
  });
});
