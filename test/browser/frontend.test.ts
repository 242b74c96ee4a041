/**
 * A real Jupyter front end: Debian's classic Notebook server on 127.0.0.1 with the project's
 * kernel, a notebook with figures opened in headless Chromium, every cell run and the figures
 * drawn in the live page, also after one figure cell is rerun; then kernel and server stopped,
 * with no process left and the notebook file unchanged on disk (autosave is turned off; nothing
 * is saved). A screenshot of the first figure is written to build/frontend/<name>.png.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { NOTEBOOKS_DIR, PROJECT_ROOT, hasJupyterCommand, kernelSpecPath } from "../../src/tools/jupyter";
import { joinText, listNotebooks, readNotebook } from "../../src/tools/notebooks";
import { NO_CHROMIUM, figureReports, launchChromium, skipOutsideCI, watchedPage } from "../support/chromium";
import {
  compileSrcForKernel,
  processesMentioning,
  startNotebookServer,
  type TestServer,
} from "../support/jupyter-server";

/** Where a screenshot of the live notebook goes, for a person to look at. */
const SCREENSHOT_DIR = path.join(PROJECT_ROOT, "build", "frontend");

/** notebooks/01-*.ipynb, else any kit notebook whose code calls show(). */
function notebookWithFigures(): string | undefined {
  const candidates = listNotebooks().filter((file) => !path.basename(file).startsWith("zz-scratch-"));
  const callsShow = (file: string) =>
    readNotebook(file).cells.some(
      (cell) => cell.cell_type === "code" && /\bshow\(/.test(joinText(cell.source)),
    );
  return (
    candidates.find((file) => path.basename(file).startsWith("01-") && callsShow(file)) ??
    candidates.find(callsShow)
  );
}

const notebook = notebookWithFigures();
const skip = skipOutsideCI(
  !hasJupyterCommand("notebook")
    ? "the classic Notebook (jupyter notebook) is not installed"
    : NO_CHROMIUM || (notebook ? false : "no notebook in notebooks/ calls show()"),
);

describe("the classic Notebook front end in headless Chromium", { skip }, () => {
  const file = notebook ?? "";
  const checkpoints = path.join(NOTEBOOKS_DIR, ".ipynb_checkpoints");
  const hadCheckpoints = existsSync(checkpoints);
  const original = notebook ? readFileSync(file) : Buffer.alloc(0);
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    assert.ok(existsSync(kernelSpecPath()), `the project's kernel is not registered: run npm run setup`);
    compileSrcForKernel();
    server = await startNotebookServer(NOTEBOOKS_DIR);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (!hadCheckpoints) rmSync(checkpoints, { recursive: true, force: true });
  });

  it(
    `runs every cell of ${path.basename(file)} and draws its figures`,
    { timeout: 15 * 60_000 },
    async () => {
      assert.ok(browser && server);
      const { baseUrl, token } = server;
      const { page, errors, blocked } = await watchedPage(browser, [`${baseUrl}/`, "data:", "blob:"]);
      const name = path.basename(file);
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
      // No autosave: the run must leave the file on disk as it was.
      await page.evaluate(() => {
        const notebook = (window as unknown as { Jupyter: { notebook: JupyterNotebook } }).Jupyter.notebook;
        notebook.set_autosave_interval(0);
        notebook.execute_all_cells();
      });
      await page.waitForFunction(
        () => document.querySelectorAll(".code_cell.running").length === 0,
        undefined,
        {
          timeout: 14 * 60_000,
          polling: 1000,
        },
      );
      const outputs = await page.evaluate(() => ({
        codeCells: document.querySelectorAll(".code_cell").length,
        withOutput: document.querySelectorAll(".code_cell .output_area").length,
        errors: Array.from(document.querySelectorAll(".output_error, .output_stderr")).map((element) =>
          (element.textContent ?? "").slice(0, 500),
        ),
      }));
      assert.deepEqual(outputs.errors, [], "error outputs or stderr in the live notebook");
      assert.ok(outputs.withOutput > 0, "no outputs after running all cells");

      const figures = await figureReports(page);
      assert.ok(figures.length > 0, "no figure outputs in the live notebook");
      for (const figure of figures) {
        assert.ok(figure.drawn, `figure ${figure.id} is not drawn (no plotly SVG)`);
        if (figure.threeD) assert.ok(figure.canvases > 0, `3-D figure ${figure.id} has no WebGL canvas`);
      }

      // Rerunning one cell, the first with a figure, replaces its output: its figure is drawn again
      // and every other figure stays drawn.
      const rerun = await page.evaluate(() => {
        const notebook = (window as unknown as { Jupyter: { notebook: JupyterNotebook } }).Jupyter.notebook;
        const index = notebook
          .get_cells()
          .findIndex(
            (cell) => cell.cell_type === "code" && cell.element[0].querySelector(".gd-figure") !== null,
          );
        notebook.execute_cells([index]);
        return index;
      });
      assert.ok(rerun >= 0);
      await page.waitForFunction(
        () => document.querySelectorAll(".code_cell.running").length === 0,
        undefined,
        {
          timeout: 5 * 60_000,
          polling: 500,
        },
      );
      const afterRerun = await figureReports(page);
      assert.equal(afterRerun.length, figures.length, "figures lost or duplicated by rerunning a cell");
      assert.notDeepEqual(
        afterRerun.map((figure) => figure.id),
        figures.map((figure) => figure.id),
        "the rerun cell's figure was not replaced",
      );
      for (const figure of afterRerun) {
        assert.ok(figure.drawn, `after rerunning cell ${rerun + 1}, figure ${figure.id} is not drawn`);
      }

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      // The page scrolls inside the notebook panel, so the first figure's output is shot, not the page.
      await page
        .locator(".output_area:has(.gd-figure)")
        .first()
        .screenshot({ path: path.join(SCREENSHOT_DIR, name.replace(/\.ipynb$/, ".png")) });
      assert.deepEqual(blocked, [], "requests outside the Notebook server");
      // The classic Notebook's MathJax 2 probes web-font support by loading a font from about:blank,
      // which Chromium refuses with two console errors: the front end's own noise, not the kit's.
      const ownErrors = errors.filter((error) => !error.includes("about:blank"));
      assert.deepEqual(ownErrors, [], "console or page errors");

      // Shut the kernel down through the server, as the front end's "Shutdown" does.
      const sessions = (await (await server.api("/api/sessions")).json()) as { id: string }[];
      for (const session of sessions) {
        const response: Response = await server.api(`/api/sessions/${session.id}`, { method: "DELETE" });
        assert.equal(response.status, 204);
      }
      await page.close();
    },
  );

  it("stops the server and its kernels and leaves the notebook unchanged on disk", async () => {
    assert.ok(server);
    await server.stop();
    assert.ok(server.exited(), "the server is still running");
    // Kernels are started with a connection file in the server's runtime folder.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(processesMentioning(server.runtimeDir), [], "processes left behind");
    assert.ok(readFileSync(file).equals(original), `${path.basename(file)} was modified on disk`);
  });
});

/** The parts of the classic Notebook's page object this test uses. */
interface JupyterNotebook {
  _fully_loaded: boolean;
  kernel?: { is_connected(): boolean };
  set_autosave_interval(milliseconds: number): void;
  execute_all_cells(): void;
  execute_cells(indices: number[]): void;
  get_cells(): { cell_type: string; element: ArrayLike<HTMLElement> }[];
}
