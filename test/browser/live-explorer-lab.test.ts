/**
 * Live explorers in JupyterLab 4 (the kit's build of src/tools/jupyterlab, on Debian's jupyter_server)
 * in headless Chromium, with the notebook of test/support/live-explorer.ts: Run All, then each
 * slider dragged and the map clicked with the drawn numbers the kernel's, keys on a slider kept
 * from JupyterLab's shortcuts; saved and reloaded (trusted): live again; an unsigned copy shows
 * the trust note and no controls.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { UNTRUSTED_MESSAGE } from "../../src/display/runtime";
import { LAB_APT_PACKAGES, kernelSpecPath, labServerPython } from "../../src/tools/jupyter";
import { ensureJupyterLab } from "../../src/tools/jupyterlab/build";
import {
  NO_CHROMIUM,
  launchChromium,
  skipOutsideCI,
  watchedPage,
  type WatchedPage,
} from "../support/chromium";
import { compileSrcForKernel, startLabServer, type TestServer } from "../support/jupyter-server";
import { LIVE_NOTEBOOK, exerciseLiveFigures, writeLiveNotebook } from "../support/live-explorer";

const PAGE_HELPERS = path.join(__dirname, "..", "support", "jupyterlab-page.js");
/** The front end's own noise with this server (see test/browser/jupyterlab.test.ts), not the kit's. */
const FRONT_END_NOISE = [/\/api\/me\b/, /\/api\/events\b/, /\/lsp\/status\b/, /No active debugger session/];
const NAME = path.basename(LIVE_NOTEBOOK);
/** test/support/jupyterlab-page.js's helpers, called by expression (tsx would wrap functions). */
const LAB = "window.__gdLab";

const python = labServerPython();
const skip = skipOutsideCI(
  !python
    ? `Debian's ${LAB_APT_PACKAGES.join(" and ")} are not installed (apt-get install -y ${LAB_APT_PACKAGES.join(" ")})`
    : NO_CHROMIUM,
);

describe("live explorers in JupyterLab 4", { skip }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    assert.ok(existsSync(kernelSpecPath()), "the project's kernel is not registered: run npm run setup");
    writeLiveNotebook();
    compileSrcForKernel();
    await ensureJupyterLab();
    server = await startLabServer(python ?? "python3", path.dirname(LIVE_NOTEBOOK));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A fresh JupyterLab page (workspace reset) with `name` open and its kernel idle. */
  async function open(name: string): Promise<WatchedPage> {
    assert.ok(browser && server);
    const watched = await watchedPage(browser, [`${server.baseUrl}/`, "data:", "blob:"]);
    await watched.page.setViewportSize({ width: 1400, height: 1000 });
    await watched.page.addInitScript({ path: PAGE_HELPERS });
    await watched.page.goto(
      `${server.baseUrl}/lab/tree/${encodeURIComponent(name)}?reset&token=${server.token}`,
    );
    await watched.page.waitForFunction(`${LAB}?.ready(${JSON.stringify(name)})`, undefined, {
      timeout: 120_000,
      polling: 500,
    });
    return watched;
  }

  function assertQuiet(watched: WatchedPage): void {
    assert.deepEqual(watched.blocked, [], "requests outside the server");
    assert.deepEqual(
      watched.errors.filter((error) => !FRONT_END_NOISE.some((noise) => noise.test(error))),
      [],
      "console or page errors",
    );
  }

  it(
    "recomputes as the sliders are dragged and the map clicked, and again after saving and reloading",
    { timeout: 15 * 60_000 },
    async () => {
      const watched = await open(NAME);
      const { page } = watched;
      const count = (await page.evaluate(`${LAB}.maxExecutionCount()`)) as number;
      await page.evaluate(`void window.jupyterapp.commands.execute("notebook:run-all-cells")`);
      await page.waitForFunction(`${LAB}.runState(0, ${count}).finished`, undefined, {
        timeout: 10 * 60_000,
        polling: 1000,
      });
      assert.deepEqual(await page.evaluate(`${LAB}.problems()`), [], "error output or stderr");
      const live = await exerciseLiveFigures(page);
      assert.deepEqual(
        live.map((report) => report.view),
        ["path", "path", "loss"],
      );

      // Keys typed on a focused slider are the slider's: no cell inserted, deleted or selected.
      const cells = () =>
        page.evaluate(`[${LAB}.cellCount(), window.jupyterapp.shell.currentWidget.content.activeCellIndex]`);
      await page.focus(`#${live[0].id} + .gd-live-controls input[data-setting="learningRate"]`);
      const before = await cells();
      for (const key of ["a", "b", "d", "d", "ArrowUp", "ArrowDown"]) {
        await page.keyboard.press(key);
        assert.deepEqual(await cells(), before, `"${key}" on a slider reached JupyterLab's shortcuts`);
      }

      await page.evaluate(`void window.jupyterapp.commands.execute("docmanager:save")`);
      await page.waitForFunction(`!${LAB}.dirty()`, undefined, { timeout: 60_000 });
      await page.reload();
      await page.waitForFunction(`${LAB}?.ready(${JSON.stringify(NAME)})`, undefined, {
        timeout: 120_000,
        polling: 500,
      });
      assert.ok(
        ((await page.evaluate(`${LAB}.trusted()`)) as boolean[]).every(Boolean),
        "the saved notebook is trusted",
      );
      const reloaded = await exerciseLiveFigures(page);
      assert.equal(reloaded.length, 3, "every explorer live after the reload");
      assertQuiet(watched);
      await page.close();
    },
  );

  it(
    "shows the trust note and no controls in an unsigned copy (untrusted)",
    { timeout: 5 * 60_000 },
    async () => {
      const saved = JSON.parse(readFileSync(LIVE_NOTEBOOK, "utf8")) as { metadata: Record<string, unknown> };
      // Any change to a signed notebook voids its signature.
      saved.metadata.copy = "untrusted";
      const copy = "live-explorers-untrusted-lab.ipynb";
      writeFileSync(path.join(path.dirname(LIVE_NOTEBOOK), copy), JSON.stringify(saved, null, 1));
      const watched = await open(copy);
      const { page } = watched;
      assert.ok(
        ((await page.evaluate(`${LAB}.trusted()`)) as boolean[]).every((trusted) => !trusted),
        "the copy is trusted",
      );
      await page.waitForFunction(
        () => document.querySelectorAll(".jp-OutputArea .gd-figure").length === 3,
        undefined,
        {
          timeout: 60_000,
        },
      );
      const notes = await page.$$eval(".gd-figure .gd-figure-message", (elements) =>
        elements.map((element) => element.textContent),
      );
      assert.deepEqual(notes, [UNTRUSTED_MESSAGE, UNTRUSTED_MESSAGE, UNTRUSTED_MESSAGE]);
      assert.equal(await page.locator(".gd-live-controls").count(), 0);
      await page.close();
    },
  );
});
