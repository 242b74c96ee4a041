/**
 * JupyterLab 4 as a tested front end: JupyterLab 4.6.3, built from npm by src/tools/jupyterlab/build.ts
 * and served by src/tools/jupyterlab/server.py on Debian's jupyter_server with the project's kernel,
 * driven in headless Chromium through its own commands. For notebooks 01, 02 and 04:
 * - Run All Cells in the "full" windowing mode and in the default one: every figure in the
 *   outputs is drawn (plotly's SVG, a WebGL canvas for 3-D), every markdown cell's LaTeX is
 *   rendered by MathJax, no error output and nothing on stderr;
 * - the learning rate in the `parameters` cell halved in its editor, "Run Selected Cell and All
 *   Below": a figure below it changes;
 * - saved, kernel shut down, page reloaded: every figure drawn again from the saved outputs;
 * - an untrusted copy shows the kit's trust note in place of each figure; "Trust Notebook" draws them.
 * The server's notebooks are scratch copies in a mirror of the project (see makeMirror), so the
 * committed notebooks are never touched. Screenshots go to build/jupyterlab/.
 */
import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { UNTRUSTED_MESSAGE } from "../../src/display/runtime";
import {
  LAB_APT_PACKAGES,
  NOTEBOOKS_DIR,
  PROJECT_ROOT,
  kernelSpecPath,
  labServerPython,
} from "../../src/tools/jupyter";
import { listNotebooks, readNotebook, type Notebook } from "../../src/tools/notebooks";
import { ensureJupyterLab } from "../../src/tools/jupyterlab/build";
import {
  NO_CHROMIUM,
  figureReports,
  launchChromium,
  skipOutsideCI,
  watchedPage,
  type FigureReport,
  type WatchedPage,
} from "../support/chromium";
import {
  compileSrcForKernel,
  processesMentioning,
  startLabServer,
  type TestServer,
} from "../support/jupyter-server";

const SCREENSHOT_DIR = path.join(PROJECT_ROOT, "build", "jupyterlab");
const PAGE_HELPERS = path.join(__dirname, "..", "support", "jupyterlab-page.js");
/** The notebooks with figures and a `parameters` cell that this test drives. */
const PREFIXES = ["01-", "02-", "04-"];
const NOTEBOOKS = PREFIXES.map((prefix) =>
  listNotebooks().find((file) => path.basename(file).startsWith(prefix)),
);
/**
 * The front end's own noise with this server, not the kit's: jupyter_server 1.23 has no /api/me
 * and /api/events (2.x APIs), no jupyter-lsp answers /lsp/status, and the debugger sidebar logs
 * "No active debugger session" for a kernel without a debugger (tslab's).
 */
const FRONT_END_NOISE = [/\/api\/me\b/, /\/api\/events\b/, /\/lsp\/status\b/, /No active debugger session/];
const RUN_TIMEOUT = 5 * 60_000;

const python = labServerPython();
const skip = skipOutsideCI(
  !python
    ? `Debian's ${LAB_APT_PACKAGES.join(" and ")} are not installed (apt-get install -y ${LAB_APT_PACKAGES.join(" ")})`
    : NO_CHROMIUM,
);

/**
 * A folder laid out like the project, whose notebooks/ holds the server's scratch copies while
 * src, build, node_modules and package.json are links to the project's: the kernel, started in
 * the notebook's folder, loads `../src` and plotly.js as it does from notebooks/.
 */
function makeMirror(): string {
  const mirror = mkdtempSync(path.join(tmpdir(), "gd-lab-project-"));
  for (const entry of ["src", "build", "node_modules", "package.json"]) {
    symlinkSync(path.join(PROJECT_ROOT, entry), path.join(mirror, entry));
  }
  mkdirSync(path.join(mirror, "notebooks"));
  return mirror;
}

/** Errors that are not FRONT_END_NOISE. */
function ownErrors(errors: string[]): string[] {
  return errors.filter((error) => !FRONT_END_NOISE.some((noise) => noise.test(error)));
}

interface FigureCell {
  index: number;
  figures: { id: string; threeD: boolean; data: string }[];
}

/** Page-side helpers (test/support/jupyterlab-page.js), as the page defines them. */
interface LabHelpers {
  ready(path: string): boolean;
  windowingMode(): string;
  cellCount(): number;
  attachedCells(): number;
  maxExecutionCount(): number;
  runState(from: number, after: number): { finished: boolean; waiting: number[]; kernel: string };
  problems(): string[];
  figureCells(): FigureCell[];
  mathCells(): number[];
  show(index: number): Promise<string>;
  mathReport(index: number): { rendered: boolean; containers: number; errors: number; rawTex: string[] };
  parametersCell(): { index: number; source: string } | null;
  source(index: number): string;
  select(index: number): void;
  trusted(): boolean[];
  dirty(): boolean;
}
declare global {
  interface Window {
    __gdLab: LabHelpers;
    jupyterapp: { commands: { execute(id: string, args?: object): Promise<unknown> } };
  }
}

describe("JupyterLab 4 (built from npm, on Debian's jupyter_server) in headless Chromium", { skip }, () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let mirror = "";

  before(async () => {
    assert.ok(existsSync(kernelSpecPath()), "the project's kernel is not registered: run npm run setup");
    for (const [index, file] of NOTEBOOKS.entries())
      assert.ok(file, `no notebook ${PREFIXES[index]}* in ${NOTEBOOKS_DIR}`);
    compileSrcForKernel();
    const build = await ensureJupyterLab();
    if (build.installed || build.built) {
      console.log(
        `JupyterLab: npm ci ${build.installSeconds.toFixed(0)} s, esbuild ${build.buildSeconds.toFixed(1)} s`,
      );
    }
    mirror = makeMirror();
    server = await startLabServer(python ?? "python3", path.join(mirror, "notebooks"), [
      `--KitLabApp.user_settings_dir=${path.join(mirror, "lab", "user-settings")}`,
      `--KitLabApp.workspaces_dir=${path.join(mirror, "lab", "workspaces")}`,
    ]);
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (mirror) rmSync(mirror, { recursive: true, force: true });
  });

  /** Sets the notebook windowing mode through the settings API (undefined: JupyterLab's default). */
  async function setWindowingMode(mode: string | undefined): Promise<void> {
    assert.ok(server);
    const raw = JSON.stringify(mode ? { windowingMode: mode } : {});
    const response = await server.api("/lab/api/settings/@jupyterlab/notebook-extension:tracker", {
      method: "PUT",
      body: JSON.stringify({ raw }),
    });
    assert.equal(response.status, 204, `setting the windowing mode: ${await response.text()}`);
  }

  /** Shuts every kernel down through the server. */
  async function shutDownKernels(): Promise<void> {
    assert.ok(server);
    const sessions = (await (await server.api("/api/sessions")).json()) as { id: string }[];
    for (const session of sessions) {
      const response: Response = await server.api(`/api/sessions/${session.id}`, { method: "DELETE" });
      assert.equal(response.status, 204);
    }
  }

  /** A fresh page on JupyterLab (workspace reset) with `name` open and its kernel idle. */
  async function openNotebook(name: string): Promise<WatchedPage> {
    assert.ok(browser && server);
    const watched = await watchedPage(browser, [`${server.baseUrl}/`, "data:", "blob:"]);
    await watched.page.setViewportSize({ width: 1400, height: 1000 });
    await watched.page.addInitScript({ path: PAGE_HELPERS });
    await watched.page.goto(
      `${server.baseUrl}/lab/tree/${encodeURIComponent(name)}?reset&token=${server.token}`,
    );
    await waitUntilOpen(watched.page, name);
    return watched;
  }

  async function waitUntilOpen(page: Page, name: string): Promise<void> {
    await page.waitForFunction((file) => Boolean(window.__gdLab?.ready(file)), name, {
      timeout: 120_000,
      polling: 500,
    });
  }

  /** Runs a notebook command and waits until the code cells from `from` on have run. */
  async function runCommand(page: Page, command: string, from = 0): Promise<void> {
    const before = await page.evaluate(() => window.__gdLab.maxExecutionCount());
    await page.evaluate((id) => {
      void window.jupyterapp.commands.execute(id);
    }, command);
    try {
      await page.waitForFunction(
        ([start, count]) => window.__gdLab.runState(start, count).finished,
        [from, before],
        {
          timeout: RUN_TIMEOUT,
          polling: 1000,
        },
      );
    } catch {
      const state = await page.evaluate(
        ([start, count]) => window.__gdLab.runState(start, count),
        [from, before],
      );
      assert.fail(
        `${command} did not finish within ${RUN_TIMEOUT / 60_000} min: cells ` +
          `${state.waiting.map((index) => index + 1).join(", ")} still waiting, kernel ${state.kernel} ` +
          "(tslab can lose messages under bursts of output and leave a cell hanging)",
      );
    }
    assert.deepEqual(await page.evaluate(() => window.__gdLab.problems()), [], "error output or stderr");
  }

  /**
   * Every figure in the notebook's outputs, each cell scrolled into view (the "full" windowing
   * mode attaches only the cells in view) and its figures checked drawn, 3-D ones with a canvas.
   */
  async function checkFigures(
    page: Page,
    label: string,
  ): Promise<{ cells: FigureCell[]; drawn: FigureReport[] }> {
    const cells = await page.evaluate(() => window.__gdLab.figureCells());
    assert.ok(cells.length > 0, `${label}: no figure in the outputs`);
    const drawn: FigureReport[] = [];
    for (const cell of cells) {
      const selector = await page.evaluate((index) => window.__gdLab.show(index), cell.index);
      const reports = await figureReports(page, 60_000, selector);
      assert.deepEqual(
        reports.map((report) => report.id),
        cell.figures.map((figure) => figure.id),
        `${label}: cell ${cell.index + 1} shows other figures than its outputs hold`,
      );
      for (const report of reports) {
        assert.ok(report.drawn, `${label}: figure ${report.id} in cell ${cell.index + 1} is not drawn`);
        if (report.threeD) {
          assert.ok(report.canvases > 0, `${label}: 3-D figure ${report.id} has no WebGL canvas`);
        }
      }
      drawn.push(...reports);
    }
    return { cells, drawn };
  }

  /** Every markdown cell with LaTeX rendered by MathJax: containers, no MathJax error, no TeX left. */
  async function checkMath(page: Page, label: string): Promise<number> {
    const cells = await page.evaluate(() => window.__gdLab.mathCells());
    assert.ok(cells.length > 0, `${label}: no markdown cell with LaTeX`);
    for (const index of cells) {
      await page.evaluate((cell) => window.__gdLab.show(cell), index);
      await page
        .waitForFunction((cell) => window.__gdLab.mathReport(cell).containers > 0, index, { timeout: 30_000 })
        .catch(() => undefined); // the report says what is missing
      const report = await page.evaluate((cell) => window.__gdLab.mathReport(cell), index);
      assert.ok(report.rendered, `${label}: markdown cell ${index + 1} is not rendered`);
      assert.ok(report.containers > 0, `${label}: markdown cell ${index + 1}: no LaTeX typeset`);
      assert.equal(report.errors, 0, `${label}: markdown cell ${index + 1}: MathJax errors`);
      assert.deepEqual(report.rawTex, [], `${label}: markdown cell ${index + 1}: TeX left as text`);
    }
    return cells.length;
  }

  /** Scrolls to the first 3-D figure (else the first figure) and shoots the window. */
  async function screenshot(page: Page, cells: FigureCell[], file: string): Promise<void> {
    const cell = cells.find((entry) => entry.figures.some((figure) => figure.threeD)) ?? cells[0];
    await page.evaluate((index) => window.__gdLab.show(index), cell.index);
    await page.mouse.move(1, 1); // no hover label over the figure
    await page.waitForTimeout(500); // let plotly finish its transition
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, file) });
  }

  function assertQuiet(watched: WatchedPage, label: string): void {
    assert.deepEqual(watched.blocked, [], `${label}: requests outside the server`);
    assert.deepEqual(ownErrors(watched.errors), [], `${label}: console or page errors`);
  }

  for (const file of NOTEBOOKS) {
    if (!file) continue;
    const name = path.basename(file);
    const stem = name.replace(/\.ipynb$/, "");
    const scratch = () => path.join(mirror, "notebooks", name);

    describe(name, () => {
      it("full windowing: Run All Cells draws every figure and renders the LaTeX, with no error output", async () => {
        await setWindowingMode("full");
        copyFileSync(file, scratch());
        const watched = await openNotebook(name);
        const { page } = watched;
        assert.equal(await page.evaluate(() => window.__gdLab.windowingMode()), "full");
        const [attached, total] = await page.evaluate(() => [
          window.__gdLab.attachedCells(),
          window.__gdLab.cellCount(),
        ]);
        assert.ok(attached < total, `full windowing attached all ${total} cells`);
        await runCommand(page, "notebook:run-all-cells");
        const { cells, drawn } = await checkFigures(page, `${name} (full)`);
        const math = await checkMath(page, `${name} (full)`);
        await screenshot(page, cells, `${stem}-full.png`);
        assertQuiet(watched, `${name} (full)`);
        console.log(
          `${name}, full windowing: ${drawn.length} figures drawn, ${math} markdown cells with LaTeX`,
        );
        await page.close();
        await shutDownKernels();
      });

      let page: Page | undefined;
      let watched: WatchedPage | undefined;

      it("default windowing: Run All Cells draws every figure and renders the LaTeX, with no error output", async () => {
        await setWindowingMode(undefined);
        copyFileSync(file, scratch());
        watched = await openNotebook(name);
        page = watched.page;
        const mode = await page.evaluate(() => window.__gdLab.windowingMode());
        assert.notEqual(mode, "full");
        await runCommand(page, "notebook:run-all-cells");
        const { cells, drawn } = await checkFigures(page, `${name} (${mode})`);
        const math = await checkMath(page, `${name} (${mode})`);
        await screenshot(page, cells, `${stem}-${mode}.png`);
        assertQuiet(watched, `${name} (${mode})`);
        console.log(
          `${name}, ${mode} windowing: ${drawn.length} figures drawn, ${math} markdown cells with LaTeX`,
        );
      });

      it("a halved learning rate in the parameters cell, run with the cells below, changes a figure", async () => {
        assert.ok(page && watched, "the notebook is not open (the previous test failed)");
        const parameters = await page.evaluate(() => window.__gdLab.parametersCell());
        assert.ok(parameters, `${name}: no code cell tagged "parameters"`);
        const line = /const learningRate(?:\s*:\s*number)?\s*=\s*([^;]+);/.exec(parameters.source);
        assert.ok(line, `${name}: the parameters cell has no line "const learningRate = …;"`);
        const learningRate = Number(line[1].trim());
        assert.ok(Number.isFinite(learningRate) && learningRate > 0, `learningRate is ${line[1]}`);
        const changed = parameters.source.replace(line[0], `const learningRate = ${learningRate / 2};`);
        const below = (cells: FigureCell[]) => cells.filter((cell) => cell.index > parameters.index);
        const before = below(await page.evaluate(() => window.__gdLab.figureCells()));
        assert.ok(before.length > 0, `${name}: no figure below the parameters cell`);

        // Type the new source into the cell's editor, as a student does.
        const selector = await page.evaluate((index) => window.__gdLab.show(index), parameters.index);
        await page.click(`${selector} .cm-content`);
        await page.keyboard.press("Control+A");
        await page.keyboard.insertText(changed);
        assert.equal(await page.evaluate((index) => window.__gdLab.source(index), parameters.index), changed);
        await page.keyboard.press("Escape");
        await page.evaluate((index) => window.__gdLab.select(index), parameters.index);
        await runCommand(page, "notebook:run-all-below", parameters.index);

        const { cells } = await checkFigures(page, `${name} (learning rate ${learningRate / 2})`);
        const key = (cell: FigureCell, position: number) => `${cell.index}/${position}`;
        const dataBefore = new Map(
          before.flatMap((cell) =>
            cell.figures.map((figure, position) => [key(cell, position), figure.data]),
          ),
        );
        const changedCells = below(cells).filter((cell) =>
          cell.figures.some((figure, position) => figure.data !== dataBefore.get(key(cell, position))),
        );
        assert.ok(changedCells.length > 0, `${name}: no figure changed with the learning rate`);
        await screenshot(page, changedCells, `${stem}-learning-rate-halved.png`);
        assertQuiet(watched, `${name} (parameters)`);
        console.log(
          `${name}: learning rate ${learningRate} → ${learningRate / 2}, figures changed in cells ` +
            changedCells.map((cell) => cell.index + 1).join(", "),
        );
      });

      it("saved, kernel shut down, page reloaded: every figure is drawn from the saved outputs", async () => {
        assert.ok(page && watched, "the notebook is not open (the previous test failed)");
        const { drawn: shown } = await checkFigures(page, `${name} (before saving)`);
        await page.evaluate(() => {
          void window.jupyterapp.commands.execute("docmanager:save");
        });
        await page.waitForFunction(() => !window.__gdLab.dirty(), undefined, { timeout: 30_000 });
        const saved = readNotebook(scratch()) as Notebook & { metadata: { signature?: string } };
        const savedFigures =
          saved.cells
            .flatMap((cell) => cell.outputs ?? [])
            .map((output) => JSON.stringify(output.data?.["text/html"] ?? ""))
            .join("")
            .split('class=\\"gd-figure\\"').length - 1;
        assert.equal(savedFigures, shown.length, "figures in the saved file");

        await shutDownKernels();
        await page.reload();
        await waitUntilOpen(page, name);
        const executed = await page.evaluate(() => window.__gdLab.maxExecutionCount());
        const { cells, drawn } = await checkFigures(page, `${name} (reopened)`);
        assert.equal(drawn.length, shown.length, "figures after reopening");
        assert.equal(
          await page.evaluate(() => window.__gdLab.maxExecutionCount()),
          executed,
          "a cell ran on reopening",
        );
        assert.ok(
          (await page.evaluate(() => window.__gdLab.trusted())).every(Boolean),
          "the saved notebook is not trusted",
        );
        await screenshot(page, cells, `${stem}-reopened.png`);
        assertQuiet(watched, `${name} (reopened)`);
        await page.close();
        await shutDownKernels();
      });

      it("an untrusted copy shows the kit's trust note; Trust Notebook draws its figures", async () => {
        // Any change to a signed notebook voids its signature: this copy is not trusted.
        const copy = `untrusted-${name}`;
        const notebook = JSON.parse(readFileSync(scratch(), "utf8")) as { metadata: Record<string, unknown> };
        notebook.metadata.gd_test_copy = true;
        writeFileSync(path.join(mirror, "notebooks", copy), JSON.stringify(notebook, null, 1) + "\n");
        const untrusted = await openNotebook(copy);
        const copyPage = untrusted.page;
        assert.ok(
          (await copyPage.evaluate(() => window.__gdLab.trusted())).every((trusted) => !trusted),
          "the copy is trusted",
        );
        const cells = await copyPage.evaluate(() => window.__gdLab.figureCells());
        assert.ok(cells.length > 0);
        for (const cell of cells) {
          const selector = await copyPage.evaluate((index) => window.__gdLab.show(index), cell.index);
          const notes = await copyPage.locator(`${selector} .gd-figure`).evaluateAll((figures) =>
            figures.map((figure) => ({
              note: figure.querySelector(".gd-figure-message")?.textContent ?? "",
              drawn: figure.querySelector(".main-svg") !== null,
            })),
          );
          assert.equal(notes.length, cell.figures.length, `cell ${cell.index + 1}: figures in the page`);
          for (const note of notes) {
            assert.equal(note.note, UNTRUSTED_MESSAGE, `cell ${cell.index + 1}: the trust note`);
            assert.equal(note.drawn, false, `cell ${cell.index + 1}: an untrusted figure was drawn`);
          }
        }
        await screenshot(copyPage, cells, `${stem}-untrusted.png`);

        await copyPage.evaluate(() => {
          void window.jupyterapp.commands.execute("notebook:trust");
        });
        await copyPage.locator(".jp-Dialog .jp-mod-accept").click();
        await copyPage.waitForFunction(() => window.__gdLab.trusted().every(Boolean), undefined, {
          timeout: 30_000,
        });
        const { drawn } = await checkFigures(copyPage, `${copy} (trusted)`);
        assert.equal(drawn.length, cells.flatMap((cell) => cell.figures).length);
        await screenshot(copyPage, cells, `${stem}-trusted.png`);
        assertQuiet(untrusted, `${copy}`);
        await copyPage.close();
        await shutDownKernels();
      });
    });
  }

  it("stops the server and its kernels", async () => {
    assert.ok(server);
    const runtimeDir = server.runtimeDir;
    await server.stop();
    assert.ok(server.exited(), "the server is still running");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(processesMentioning(runtimeDir), [], "processes left behind");
  });
});
