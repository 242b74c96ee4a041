/**
 * Live explorers in headless Chromium, on a writeFigureHtml page opened from disk with every
 * request outside file: blocked and the AMD/CommonJS globals of require.js pages set: each slider
 * dragged, the map clicked, the drawn numbers the kernel's; and with JavaScript off (as in an
 * untrusted notebook), the trust note.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { checkLiveSpec } from "../../src/live/model";
import { figureHtml, writeFigureHtml } from "../../src/display/html";
import { liveLossExplorerFigure, livePathExplorerFigure } from "../../src/live/figures";
import { surfaceWithPathFigure } from "../../src/figures/surface";
import { randomCoefficients, sineData } from "../../src/problems/cubic-fit/polynomial";
import { UNTRUSTED_MESSAGE } from "../../src/display/page/messages";
import { renderMarkdown } from "../../src/tools/export/markdown";
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

  /** A page of figure outputs, as a notebook's export holds them. */
  function page(name: string, body: string[]): string {
    const file = path.join(folder, name);
    writeFileSync(
      file,
      `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${body.join("\n")}</body></html>`,
    );
    return pathToFileURL(file).href;
  }

  /** A figure output with its live settings' JSON text changed. */
  function withSettingsText(html: string, edit: (text: string) => string): string {
    return html.replace(
      /(data-gd-live="gd-[0-9a-f]+"[^>]*>)([^<]*)(<\/script>)/,
      (_, open, text, close) => open + edit(text) + close,
    );
  }

  it("draws every figure and explorer when markdown headings are named after the page's globals", async () => {
    // Old runtimes kept their state in window.__gdFigures and window.__gdLive; a heading's id makes
    // a global of the same name, which such a runtime took for its own.
    const names = ["__gdFigures", "__gdLive", "__gdLiveModule", "Plotly", "figures", "live", "pageScript"];
    const url = page("headings.html", [
      ...names.map((name) => renderMarkdown(`# ${name}`)),
      figureHtml(livePathExplorerFigure(), { includeLibrary: true }),
      figureHtml(surfaceWithPathFigure({ trajectories: [] })),
      figureHtml(
        liveLossExplorerFigure({
          data: sineData(),
          start: randomCoefficients(3, 0),
          learningRate: 1e-6,
          iterations: 100,
        }),
      ),
    ]);
    const { page: tab, errors } = await watchedPage(browser, ["file:"]);
    await tab.goto(url);
    const clobbered = await tab.evaluate(
      (globals) =>
        globals.filter((name) => (window as unknown as Record<string, unknown>)[name] instanceof HTMLElement),
      names.filter((name) => name !== "Plotly"),
    );
    assert.deepEqual(
      clobbered,
      names.filter((name) => name !== "Plotly"),
      "each heading made a global of its name",
    );
    assert.equal((await liveFigureIds(tab)).length, 2);
    await tab.waitForFunction(() => document.querySelectorAll(".gd-figure .main-svg").length >= 3);
    assert.deepEqual(
      await tab.$$eval(".gd-figure-message", (notes) => notes.map((note) => note.textContent)),
      [],
    );
    const statuses = await tab.$$eval(".gd-live-status", (lines) =>
      lines.map((line) => line.textContent ?? ""),
    );
    assert.ok(
      statuses.every((line) => /iterations/.test(line)),
      statuses.join(" | "),
    );
    assert.deepEqual(errors, []);
    await tab.close();
  });

  it("says in the figure's status line why an explorer cannot start, with the kit's one-line error", async () => {
    const path0 = livePathExplorerFigure();
    const loss = liveLossExplorerFigure({
      data: sineData(),
      start: randomCoefficients(3, 0),
      learningRate: 1e-6,
      iterations: 100,
    });
    /** The message the kernel's own check gives for the same settings. */
    const kernelMessage = (spec: unknown): string => {
      try {
        checkLiveSpec(spec);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("the kernel accepts these settings");
    };
    interface Editable {
      settings: { parameters: Record<string, number>; rule: string };
      controls: { setting: string }[];
      problem: { statistics: { powerSums: (number | null)[] } };
    }
    const edited = (figure: typeof path0, change: (spec: Editable) => void) => {
      const spec = JSON.parse(JSON.stringify(figure.live)) as Editable;
      change(spec);
      return spec;
    };
    const cases: { name: string; html: string; expected: string | RegExp }[] = [];
    const infinite = edited(path0, (spec) => (spec.settings.parameters.learningRate = Infinity));
    cases.push({
      name: "1e999",
      html: withSettingsText(figureHtml(path0), (text) =>
        text.replace('"learningRate":0.1', '"learningRate":1e999'),
      ),
      expected: kernelMessage(infinite),
    });
    cases.push({
      name: "NaN",
      html: withSettingsText(figureHtml(path0), (text) =>
        text.replace('"learningRate":0.1', '"learningRate":NaN'),
      ),
      expected: /^its settings are not JSON \(.+\)$/,
    });
    const nullStatistics = edited(loss, (spec) => (spec.problem.statistics.powerSums[2] = null));
    cases.push({
      name: "null statistics",
      html: withSettingsText(figureHtml(loss), () => JSON.stringify(nullStatistics)),
      expected: kernelMessage(nullStatistics),
    });
    const unknownRule = edited(path0, (spec) => (spec.settings.rule = "lbfgs"));
    cases.push({
      name: "an unknown rule",
      html: withSettingsText(figureHtml(path0), () => JSON.stringify(unknownRule)),
      expected: kernelMessage(unknownRule),
    });
    const foreignControl = edited(path0, (spec) => (spec.controls[1].setting = "momentum"));
    cases.push({
      name: "a control the explorer does not have",
      html: withSettingsText(figureHtml(path0), () => JSON.stringify(foreignControl)),
      expected: kernelMessage(foreignControl),
    });
    cases.push({
      name: "a missing bundle",
      html: figureHtml(path0).replace(/data-gd-live-code="[0-9a-f]+"/, 'data-gd-live-code="0123456789ab"'),
      expected: 'its code (bundle "0123456789ab") is not in this page',
    });
    assert.equal(
      kernelMessage(infinite),
      "spec.settings.parameters.learningRate must be a finite number, got Infinity",
    );
    assert.equal(
      kernelMessage(nullStatistics),
      "spec.problem.statistics.powerSums[2] must be a number, got null",
    );
    const url = page("bad-settings.html", [
      figureHtml(surfaceWithPathFigure({ trajectories: [] }), { includeLibrary: true }),
      ...cases.map((entry) => entry.html),
    ]);
    const { page: tab, errors } = await watchedPage(browser, ["file:"]);
    await tab.goto(url);
    await tab.waitForFunction(
      (count) => document.querySelectorAll(".gd-live-status").length === count,
      cases.length,
      { timeout: 60_000 },
    );
    const states = await tab.$$eval(".gd-figure", (figures) =>
      figures.slice(1).map((figure) => ({
        drawn: figure.querySelector(".main-svg") !== null,
        note: figure.querySelector(".gd-figure-message")?.textContent ?? null,
        status: figure.nextElementSibling?.querySelector(".gd-live-status")?.textContent ?? null,
        sliders: figure.nextElementSibling?.querySelectorAll("input").length ?? 0,
      })),
    );
    cases.forEach((entry, index) => {
      const state = states[index];
      assert.equal(state.note, null, `${entry.name}: no note in the figure (not the trust note)`);
      assert.ok(state.drawn, `${entry.name}: the static view is drawn`);
      assert.equal(state.sliders, 0, `${entry.name}: no sliders`);
      const prefix = "The live explorer could not start: ";
      assert.ok(state.status?.startsWith(prefix), `${entry.name}: ${state.status}`);
      const message = (state.status ?? "").slice(prefix.length);
      if (typeof entry.expected === "string") assert.equal(message, entry.expected, entry.name);
      else assert.match(message, entry.expected, entry.name);
    });
    assert.deepEqual(errors, []);
    await tab.close();
  });

  it("says a figure whose data is not JSON (a NaN written into it) cannot be drawn, not to trust the notebook", async () => {
    const html = figureHtml(surfaceWithPathFigure({ trajectories: [] }), { includeLibrary: true }).replace(
      /(data-gd-figure="gd-[0-9a-f]+">)(\{"data":\[\{)/,
      (_, open, start) => `${open}${start}"opacity":NaN,`,
    );
    assert.match(html, /"opacity":NaN/);
    const { page: tab, errors } = await watchedPage(browser, ["file:"]);
    await tab.goto(page("nan-figure.html", [html]));
    await tab.waitForFunction(() =>
      /could not be drawn/.test(document.querySelector(".gd-figure-message")?.textContent ?? ""),
    );
    const note = await tab.$eval(".gd-figure-message", (element) => element.textContent ?? "");
    assert.match(note, /^The figure could not be drawn: its data is not JSON \(.+\)$/);
    assert.notEqual(note, UNTRUSTED_MESSAGE);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  it("lays the moving path exactly over the map, also after the page narrows (the map then limited by its height, then by its width)", async () => {
    const { page: tab, errors } = await watchedPage(browser, ["file:"]);
    await tab.goto(pathToFileURL(file).href);
    const [id] = await liveFigureIds(tab);
    /** The map's and the layer's plot areas as plotly.js placed them (its private state: the test's own reading). */
    const areas = () =>
      tab.evaluate((figureId) => {
        type Axis = { _offset: number; _length: number };
        type Plot = HTMLElement & { _fullLayout: { xaxis: Axis; yaxis: Axis } };
        const map = document.getElementById(figureId) as Plot;
        const layer = map.querySelector(".gd-live-layer") as Plot;
        // No inner functions: tsx would wrap them in a helper the page does not have.
        return [map, layer].map((plot) => [
          plot._fullLayout.xaxis._offset,
          plot._fullLayout.yaxis._offset,
          plot._fullLayout.xaxis._length,
          plot._fullLayout.yaxis._length,
        ]);
      }, id);
    for (const width of [1200, 700, 450]) {
      await tab.setViewportSize({ width, height: 900 });
      await tab.waitForFunction(
        (figureId) => {
          type Plot = HTMLElement & { _fullLayout: { width: number } };
          const map = document.getElementById(figureId) as Plot;
          const layer = map.querySelector(".gd-live-layer") as Plot;
          return map._fullLayout.width === map.clientWidth && layer._fullLayout.width === map.clientWidth;
        },
        id,
        { timeout: 10_000 },
      );
      const [map, layer] = await areas();
      map.forEach((value, k) =>
        assert.ok(
          Math.abs(value - layer[k]) <= 1,
          `width ${width}: map ${map.join(", ")}, layer ${layer.join(", ")}`,
        ),
      );
    }
    assert.deepEqual(errors, []);
    await tab.close();
  });
});
