/**
 * Live explorers through the kit's real paths, in headless Chromium: a notebook with the three
 * kinds of explorer (test/support/live-explorer.ts, in test-results/) is
 *   1. exported by `npm run export` and the HTML opened from disk with every request outside
 *      file: blocked: sliders dragged, map clicked, drawn numbers the kernel's, size ≤ 2.5 MB;
 *   2. run in Debian's classic Notebook: the same checks live, then again after the notebook is
 *      saved and the page reloaded (a trusted notebook); a copy the server has not signed (an
 *      untrusted notebook) shows the trust note instead.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { UNTRUSTED_MESSAGE } from "../../src/display/runtime";
import { PROJECT_ROOT, hasJupyterCommand, kernelSpecPath } from "../../src/tools/jupyter";
import { NO_CHROMIUM, launchChromium, skipOutsideCI, watchedPage } from "../support/chromium";
import { compileSrcForKernel, startNotebookServer, type TestServer } from "../support/jupyter-server";
import {
  LIVE_NOTEBOOK,
  exerciseLiveFigures,
  waitUntilDrawn,
  writeLiveNotebook,
} from "../support/live-explorer";

const FOLDER = path.dirname(LIVE_NOTEBOOK);
const NOTEBOOK = LIVE_NOTEBOOK;
const writeNotebook = writeLiveNotebook;
const EXPORT_GOAL_BYTES = 2.5e6;

const skipExport = skipOutsideCI(
  NO_CHROMIUM ||
    (hasJupyterCommand("nbconvert") ? false : "jupyter nbconvert is not installed (npm run setup)"),
);
const skipNotebook = skipOutsideCI(
  NO_CHROMIUM ||
    (hasJupyterCommand("notebook") ? false : "the classic Notebook (jupyter notebook) is not installed"),
);

describe("live explorers in an exported notebook, offline", { skip: skipExport }, () => {
  let browser: Browser;
  const out = path.join(FOLDER, "export");
  let log = "";
  let status: number | null = null;

  before(async () => {
    writeNotebook();
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/tools/export.ts", "--out-dir", out, NOTEBOOK],
      {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, FORCE_COLOR: "0" },
        timeout: 10 * 60_000,
      },
    );
    status = result.status;
    log = `${result.stdout}${result.stderr}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it("works from disk with the network cut: sliders, map, the kernel's numbers; ≤ 2.5 MB", async () => {
    assert.equal(status, 0, log);
    const html = path.join(out, "live-explorers.html");
    const bytes = statSync(html).size;
    assert.ok(bytes <= EXPORT_GOAL_BYTES, `${bytes} bytes`);
    const { page, errors, blocked } = await watchedPage(browser, ["file:", "data:", "blob:"]);
    await page.goto(pathToFileURL(html).href);
    const reports = await exerciseLiveFigures(page);
    assert.deepEqual(
      reports.map((report) => report.view),
      ["path", "path", "loss"],
    );
    assert.deepEqual(blocked, [], "requests outside the file");
    assert.deepEqual(errors, [], "console or page errors");
    await page.close();
  });
});

/** The parts of the classic Notebook's page object this test uses. */
interface JupyterNotebook {
  _fully_loaded: boolean;
  kernel?: { is_connected(): boolean };
  trusted: boolean;
  set_autosave_interval(milliseconds: number): void;
  execute_all_cells(): void;
  save_notebook(): Promise<unknown>;
}

describe("live explorers in the classic Notebook", { skip: skipNotebook }, () => {
  let server: TestServer | undefined;
  let baseUrl = "";
  let token = "";
  let browser: Browser | undefined;

  before(async () => {
    assert.ok(existsSync(kernelSpecPath()), "the project's kernel is not registered: run npm run setup");
    writeNotebook();
    compileSrcForKernel();
    // Its own runtime, config and data folders: the signatures (trust) are this server's alone.
    server = await startNotebookServer(FOLDER);
    ({ baseUrl, token } = server);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openNotebook(page: Page, name: string): Promise<void> {
    await page.goto(`${baseUrl}/notebooks/${encodeURIComponent(name)}?token=${token}`);
    await page.waitForFunction(
      () => {
        const notebook = (window as unknown as { Jupyter?: { notebook?: JupyterNotebook } }).Jupyter
          ?.notebook;
        return Boolean(notebook?._fully_loaded && notebook.kernel?.is_connected());
      },
      undefined,
      { timeout: 120_000 },
    );
  }

  /** MathJax 2 in the classic Notebook probes fonts from about:blank, which Chromium refuses: its noise, not the kit's. */
  // Also the classic Notebook's own "leave with unsaved changes?" check on reload, which Chromium
  // blocks with a console message when it fires: the test asserts nothing is unsaved just before.
  const ownErrors = (errors: string[]) =>
    errors.filter(
      (error) => !error.includes("about:blank") && !error.includes("'beforeunload' confirmation"),
    );

  it(
    "recomputes in the live notebook, and again after saving and reloading it (trusted)",
    { timeout: 15 * 60_000 },
    async () => {
      assert.ok(browser);
      const { page, errors, blocked } = await watchedPage(browser, [`${baseUrl}/`, "data:", "blob:"]);
      await openNotebook(page, path.basename(NOTEBOOK));
      await page.evaluate(() => {
        const notebook = (window as unknown as { Jupyter: { notebook: JupyterNotebook } }).Jupyter.notebook;
        notebook.set_autosave_interval(0);
        notebook.execute_all_cells();
      });
      await page.waitForFunction(
        () =>
          document.querySelectorAll(".code_cell.running").length === 0 &&
          document.querySelectorAll(".gd-live-controls").length === 3,
        undefined,
        { timeout: 10 * 60_000, polling: 500 },
      );
      const live = await exerciseLiveFigures(page);
      assert.equal(live.length, 3);
      // Keys typed on a focused slider are the slider's: "a" and "b" insert no cell, "d d" deletes none.
      const cellCount = () =>
        page.evaluate(
          () =>
            (
              window as unknown as { Jupyter: { notebook: { get_cells(): unknown[] } } }
            ).Jupyter.notebook.get_cells().length,
        );
      const cells = await cellCount();
      await page.focus(`#${live[0].id} + .gd-live-controls input[data-setting="learningRate"]`);
      for (const key of ["a", "b", "d", "d", "ArrowLeft"]) await page.keyboard.press(key);
      assert.equal(await cellCount(), cells, "a key on a slider reached the notebook's shortcuts");

      await page.evaluate(() =>
        (window as unknown as { Jupyter: { notebook: JupyterNotebook } }).Jupyter.notebook.save_notebook(),
      );
      await page.waitForFunction(
        () => !(window as unknown as { Jupyter: { notebook: { dirty: boolean } } }).Jupyter.notebook.dirty,
        undefined,
        { timeout: 60_000 },
      );
      // Moving a slider changes the page, not the notebook: nothing unsaved.
      await page.focus(`#${live[0].id} + .gd-live-controls input[data-setting="learningRate"]`);
      await page.keyboard.press("ArrowRight");
      await waitUntilDrawn(page, live[0].id);
      const dirty = await page.evaluate(
        () => (window as unknown as { Jupyter: { notebook: { dirty: boolean } } }).Jupyter.notebook.dirty,
      );
      assert.equal(dirty, false, "moving a slider marked the notebook as changed");
      await page.reload();
      await openNotebook(page, path.basename(NOTEBOOK));
      assert.equal(
        await page.evaluate(
          () => (window as unknown as { Jupyter: { notebook: JupyterNotebook } }).Jupyter.notebook.trusted,
        ),
        true,
        "the saved notebook is trusted",
      );
      const reloaded = await exerciseLiveFigures(page);
      assert.equal(reloaded.length, 3, "every explorer live after the reload");
      assert.deepEqual(blocked, [], "requests outside the Notebook server");
      assert.deepEqual(ownErrors(errors), [], "console or page errors");
      await page.close();
    },
  );

  it(
    "shows the trust note in a copy the server has not signed (untrusted)",
    { timeout: 5 * 60_000 },
    async () => {
      assert.ok(browser);
      const saved = JSON.parse(readFileSync(NOTEBOOK, "utf8")) as { metadata: Record<string, unknown> };
      // Changing the content changes its signature: the server has not seen this notebook.
      saved.metadata.copy = "untrusted";
      const copy = path.join(FOLDER, "live-explorers-untrusted.ipynb");
      writeFileSync(copy, JSON.stringify(saved, null, 1));
      const { page } = await watchedPage(browser, [`${baseUrl}/`, "data:", "blob:"]);
      await openNotebook(page, path.basename(copy));
      const state = await page.evaluate(() => ({
        trusted: (window as unknown as { Jupyter: { notebook: JupyterNotebook } }).Jupyter.notebook.trusted,
        notes: Array.from(document.querySelectorAll(".gd-figure .gd-figure-message")).map(
          (note) => note.textContent,
        ),
        controls: document.querySelectorAll(".gd-live-controls").length,
      }));
      assert.equal(state.trusted, false);
      assert.deepEqual(state.notes, [UNTRUSTED_MESSAGE, UNTRUSTED_MESSAGE, UNTRUSTED_MESSAGE]);
      assert.equal(state.controls, 0);
      await page.close();
    },
  );
});
