/**
 * A real Jupyter front end: Debian's classic Notebook server on 127.0.0.1 with the project's
 * kernel, a notebook with figures opened in headless Chromium, every cell run and the figures
 * drawn in the live page, also after one figure cell is rerun; then kernel and server stopped,
 * with no process left and the notebook file unchanged on disk (autosave is turned off; nothing
 * is saved). A screenshot of the first figure is written to build/frontend/<name>.png.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import {
  NOTEBOOKS_DIR,
  PROJECT_ROOT,
  hasJupyterCommand,
  jupyterEnv,
  kernelSpecPath,
} from "../src/tools/jupyter";
import { joinText, listNotebooks, readNotebook } from "../src/tools/notebooks";
import { NO_CHROMIUM, figureReports, launchChromium, skipOutsideCI, watchedPage } from "./support/chromium";

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** Processes whose command line mentions `text` (Linux /proc); empty elsewhere. */
function processesMentioning(text: string): string[] {
  if (!existsSync("/proc/self/cmdline")) return [];
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (commandLine.includes(text)) found.push(`${pid}: ${commandLine}`);
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

const notebook = notebookWithFigures();
const skip = skipOutsideCI(
  !hasJupyterCommand("notebook")
    ? "the classic Notebook (jupyter notebook) is not installed"
    : NO_CHROMIUM || (notebook ? false : "no notebook in notebooks/ calls show()"),
);

describe("the classic Notebook front end in headless Chromium", { skip }, () => {
  const token = randomBytes(16).toString("hex");
  // The server's own runtime and config folders: kernel connection files land in the runtime
  // folder (so leftover kernels can be found by it) and the user's configuration stays out.
  const runtimeDir = mkdtempSync(path.join(tmpdir(), "gd-frontend-runtime-"));
  const configDir = mkdtempSync(path.join(tmpdir(), "gd-frontend-config-"));
  const file = notebook ?? "";
  const checkpoints = path.join(NOTEBOOKS_DIR, ".ipynb_checkpoints");
  const hadCheckpoints = existsSync(checkpoints);
  const original = notebook ? readFileSync(file) : Buffer.alloc(0);
  let server: ChildProcess | undefined;
  let serverLog = "";
  let baseUrl = "";
  let browser: Browser | undefined;

  async function stopServer(): Promise<void> {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    await fetch(`${baseUrl}/api/shutdown?token=${token}`, { method: "POST" }).catch(() => undefined);
    const timer = setTimeout(() => server?.pid && process.kill(-server.pid, "SIGTERM"), 20_000);
    await exited;
    clearTimeout(timer);
  }

  before(async () => {
    assert.ok(existsSync(kernelSpecPath()), `the project's kernel is not registered: run npm run setup`);
    const build = spawnSync(
      process.execPath,
      [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
      },
    );
    assert.equal(build.status, 0, `compiling src failed:\n${build.stdout}${build.stderr}`);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const args = [
      "notebook",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${NOTEBOOKS_DIR}`,
    ];
    if (process.getuid?.() === 0) args.push("--allow-root");
    server = spawn("jupyter", args, {
      cwd: PROJECT_ROOT,
      env: jupyterEnv({ ...process.env, JUPYTER_RUNTIME_DIR: runtimeDir, JUPYTER_CONFIG_DIR: configDir }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a hung server can be stopped as a whole
    });
    server.stdout?.on("data", (chunk) => (serverLog += chunk));
    server.stderr?.on("data", (chunk) => (serverLog += chunk));
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${baseUrl}/api/status?token=${token}`).catch(() => undefined);
      if (response?.ok) break;
      assert.ok(server.exitCode === null, `the Notebook server exited:\n${serverLog}`);
      assert.ok(attempt < 120, `the Notebook server did not answer within a minute:\n${serverLog}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stopServer();
    if (!hadCheckpoints) rmSync(checkpoints, { recursive: true, force: true });
    rmSync(runtimeDir, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  });

  it(
    `runs every cell of ${path.basename(file)} and draws its figures`,
    { timeout: 15 * 60_000 },
    async () => {
      assert.ok(browser);
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
      const sessions = (await (await fetch(`${baseUrl}/api/sessions?token=${token}`)).json()) as {
        id: string;
      }[];
      for (const session of sessions) {
        const response = await fetch(`${baseUrl}/api/sessions/${session.id}?token=${token}`, {
          method: "DELETE",
        });
        assert.equal(response.status, 204);
      }
      await page.close();
    },
  );

  it("stops the server and its kernels and leaves the notebook unchanged on disk", async () => {
    await stopServer();
    assert.notEqual(server?.exitCode ?? server?.signalCode ?? null, null, "the server is still running");
    // Kernels are started with a connection file in the server's runtime folder.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(processesMentioning(runtimeDir), [], "processes left behind");
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
