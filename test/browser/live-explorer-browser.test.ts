/**
 * Live explorers in headless Chromium, on a writeFigureHtml page opened from disk with every
 * request outside file: blocked and the AMD/CommonJS globals of require.js pages set: each slider
 * dragged, the map clicked, the drawn numbers the kernel's; and with JavaScript off (as in an
 * untrusted notebook), the trust note.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import {
  liveLossExplorerFigure,
  livePathExplorerFigure,
  randomCoefficients,
  sineData,
  UNTRUSTED_MESSAGE,
  writeFigureHtml,
} from "../../src";
import { NO_CHROMIUM, launchChromium, watchedPage } from "../support/chromium";
import { exerciseLiveFigures, liveFigureIds } from "../support/live-explorer";

describe("live explorers in headless Chromium, offline", { skip: NO_CHROMIUM }, () => {
  let browser: Browser;
  const folder = mkdtempSync(path.join(tmpdir(), "gd-live-"));
  const file = writeFigureHtml(path.join(folder, "live.html"), [
    livePathExplorerFigure({ learningRate: 0.1, iterations: 10, x: 2, y: 2 }),
    livePathExplorerFigure({
      rule: "momentum",
      ruleParameters: { momentum: 0.9 },
      learningRate: 0.3,
      iterations: 40,
    }),
    liveLossExplorerFigure({
      data: sineData(),
      start: randomCoefficients(3, 0),
      learningRate: 1e-6,
      iterations: 2000,
    }),
  ]);

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("recomputes each path as the sliders are dragged and the map clicked, with the kernel's numbers", async () => {
    const { page, errors, blocked } = await watchedPage(browser, ["file:"]);
    // A string, not a function: tsx would add helpers the page does not have.
    await page.addInitScript(`
      window.define = function () { throw new Error("handed to an AMD loader"); };
      window.define.amd = {};
      window.module = { exports: {} };
      window.exports = window.module.exports;
    `);
    await page.goto(pathToFileURL(file).href);
    const reports = await exerciseLiveFigures(page);
    assert.deepEqual(
      reports.map((report) => report.view),
      ["path", "path", "loss"],
    );
    for (const report of reports) assert.ok(report.updates >= 3, `${report.id}: ${report.updates} redraws`);
    assert.deepEqual(errors, [], "console or page errors");
    assert.deepEqual(blocked, [], "requests outside the file");
    await page.close();
  });

  it("shows the trust note and no controls where scripts do not run (an untrusted notebook)", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    const notes = await page.$$eval(".gd-figure .gd-figure-message", (elements) =>
      elements.map((element) => element.textContent),
    );
    assert.deepEqual(notes, [UNTRUSTED_MESSAGE, UNTRUSTED_MESSAGE, UNTRUSTED_MESSAGE]);
    assert.equal(await page.locator(".gd-live-controls").count(), 0);
    await context.close();
  });

  it("mounts each explorer once, with its own controls", async () => {
    const { page, errors } = await watchedPage(browser, ["file:"]);
    await page.goto(pathToFileURL(file).href);
    const ids = await liveFigureIds(page);
    assert.equal(ids.length, 3);
    const sliders = [];
    for (const id of ids)
      sliders.push(await page.locator(`#${id} + .gd-live-controls input[type=range]`).count());
    assert.deepEqual(sliders, [2, 3, 2], "η and iterations; η, β and iterations with momentum");
    assert.equal(await page.locator(".gd-live-controls").count(), 3);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
