/**
 * `npm run export` end to end: every notebook executed and exported once, then each HTML file
 * checked statically (nothing loaded from outside the file) and in headless Chromium with every
 * request outside file: blocked (figures drawn, no errors, formulas rendered, code highlighted).
 * A full-page screenshot is written next to each export: build/export/<name>.png.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { EXPORT_DIR } from "../../src/tools/export";
import { externalReferences } from "../../src/tools/export/offline";
import { PROJECT_ROOT, hasJupyterCommand } from "../../src/tools/jupyter";
import { listNotebooks, type Notebook, type NotebookCell } from "../../src/tools/notebooks";
import { runTool } from "../support/tools";
import { NO_CHROMIUM, figureReports, launchChromium, skipOutsideCI, watchedPage } from "../support/chromium";
import { HOSTILE_MARKDOWN } from "../support/hostile-markdown";
import { exerciseLiveFigures } from "../support/live-explorer";

/** Scratch notebooks (zz-scratch-*) are a developer's, not the kit's. */
const notebooks = listNotebooks().filter((file) => !path.basename(file).startsWith("zz-scratch-"));
const exported = notebooks.map((file) => path.join(EXPORT_DIR, path.basename(file, ".ipynb") + ".html"));

/** LaTeX that a reader should never see: dollar-delimited formulas and common commands. */
const RAW_LATEX =
  /\$[^$\n]+\$|\\(frac|dfrac|tfrac|begin|end|sqrt|sum|cdot|partial|nabla|mathbf|text|left|right)\b/;

const skip = skipOutsideCI(
  hasJupyterCommand("nbconvert") ? false : "jupyter nbconvert is not installed (npm run setup)",
);

describe("npm run export", { skip }, () => {
  let exportLog = "";
  let exportStatus: number | null = null;

  before(() => {
    const result = runTool("src/tools/export.ts", notebooks, { timeout: 30 * 60_000 });
    exportStatus = result.status;
    exportLog = `${result.stdout}${result.stderr}`;
  });

  it("exits 0, reports progress and the size of each notebook's HTML file", () => {
    assert.equal(exportStatus, 0, exportLog);
    for (const [index, file] of notebooks.entries()) {
      const name = path.basename(file);
      assert.match(exportLog, new RegExp(`\\[${index + 1}/${notebooks.length}\\] ${name}: executing`));
      assert.match(exportLog, new RegExp(`${name}: \\d+\\.\\d\\d MB`));
      assert.ok(existsSync(exported[index]), `${exported[index]} was not written`);
    }
  });

  it("writes HTML that loads nothing from outside the file and carries no MathJax or require.js", () => {
    for (const file of exported) {
      const html = readFileSync(file, "utf8");
      assert.deepEqual(externalReferences(html), [], path.basename(file));
      assert.doesNotMatch(html, /<script[^>]+src=/i, `${path.basename(file)} has a script with src`);
      assert.doesNotMatch(html, /MathJax|require\.min\.js/, path.basename(file));
      assert.doesNotMatch(html, /url\(\s*["']?(https?:|file:|\/\/)/i, path.basename(file));
    }
  });

  describe("in headless Chromium, offline", { skip: NO_CHROMIUM }, () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    for (const file of exported) {
      it(`${path.basename(file)}: figures drawn and sliders live, no errors or requests, formulas rendered, code highlighted`, async () => {
        assert.ok(existsSync(file), `${file} was not exported`);
        const { page, errors, blocked } = await watchedPage(browser, ["file:", "data:", "blob:"]);
        try {
          await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
          const figures = await figureReports(page);
          for (const figure of figures) {
            assert.ok(figure.drawn, `figure ${figure.id} has no plotly SVG`);
            if (figure.threeD) assert.ok(figure.canvases > 0, `3-D figure ${figure.id} has no WebGL canvas`);
          }
          // Live explorers recompute in the page: each slider dragged, the map clicked, the kernel's numbers.
          await exerciseLiveFigures(page);
          const source = readFileSync(file, "utf8");
          assert.equal(figures.length, (source.match(/<div class="gd-figure"/g) ?? []).length);

          const page_ = await page.evaluate(() => {
            // What a reader sees outside code: markdown cells and outputs (tables, printed text, figures).
            const readerText = Array.from(
              document.querySelectorAll<HTMLElement>(".jp-MarkdownCell, .jp-OutputArea"),
            )
              .map((element) => element.innerText)
              .join("\n");
            const codeInputs = Array.from(document.querySelectorAll(".jp-CodeCell .jp-InputArea pre"));
            const keyword = document.querySelector(".jp-CodeCell .highlight .kd, .jp-CodeCell .highlight .k");
            const plain = document.querySelector(".jp-CodeCell .highlight pre");
            return {
              readerText,
              mathCount: document.querySelectorAll(".jp-MarkdownCell math").length,
              codeCells: codeInputs.length,
              unhighlighted: codeInputs.filter(
                (pre) => pre.textContent?.trim() && pre.querySelector("span[class]") === null,
              ).length,
              keywordColor: keyword ? getComputedStyle(keyword).color : null,
              plainColor: plain ? getComputedStyle(plain).color : null,
              // A code or printed line wider than its cell would be cut off at the cell's edge.
              clipped: Array.from(
                document.querySelectorAll<HTMLElement>(".jp-InputArea-editor pre, .jp-OutputArea-output pre"),
              ).filter((pre) => pre.scrollWidth > pre.clientWidth + 1).length,
            };
          });
          assert.doesNotMatch(page_.readerText, RAW_LATEX, "raw LaTeX in a markdown cell or an output");
          if (/\$[^$\n]+\$/.test(readFileSync(notebooksFor(file), "utf8"))) {
            assert.ok(page_.mathCount > 0, "the notebook has formulas but the page has no MathML");
          }
          assert.ok(page_.codeCells > 0, "no code cells in the page");
          assert.equal(page_.unhighlighted, 0, "code cells without syntax highlighting");
          assert.ok(page_.keywordColor, "no highlighted keyword in the code cells");
          assert.notEqual(page_.keywordColor, page_.plainColor, "keywords are not coloured");
          assert.equal(page_.clipped, 0, "code or printed lines cut off at the cell's edge");

          assert.deepEqual(blocked, [], "requests outside the file");
          assert.deepEqual(errors, [], "console or page errors");
          await page.screenshot({ path: file.replace(/\.html$/, ".png"), fullPage: true });
        } finally {
          await page.close();
        }
      });
    }
  });
});

describe("npm run export on broken notebooks", { skip }, () => {
  const folder = mkdtempSync(path.join(tmpdir(), "gd-export-broken-"));
  after(() => rmSync(folder, { recursive: true, force: true }));

  function writeNotebook(name: string, cells: Notebook["cells"]): string {
    const file = path.join(folder, name);
    const valid = cells.map((cell, index) =>
      cell.cell_type === "code"
        ? { id: `c${index}`, execution_count: null, ...cell }
        : { id: `c${index}`, ...cell },
    );
    const notebook = {
      cells: valid,
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript" } },
    };
    writeFileSync(file, JSON.stringify({ ...notebook, nbformat: 4, nbformat_minor: 5 }));
    return file;
  }

  it("exits 1 naming the notebook and cell of a failing cell or an unreadable formula, writing no HTML", () => {
    const throwing = writeNotebook("throwing.ipynb", [
      { cell_type: "markdown", source: "# A cell that throws", metadata: {} },
      { cell_type: "code", source: 'const x = 1;\nthrow new Error("boom " + x);', metadata: {}, outputs: [] },
    ]);
    const badFormula = writeNotebook("bad-formula.ipynb", [
      { cell_type: "code", source: "const y = 2;", metadata: {}, outputs: [] },
      { cell_type: "markdown", source: "A broken formula: $\\frac{1$.", metadata: {} },
    ]);
    // nbformat refuses a cell tag with a comma: one line naming the field, not its traceback.
    const badTag = writeNotebook("bad-tag.ipynb", [
      { cell_type: "code", source: "const z = 3;", metadata: { tags: ["a,b"] }, outputs: [] },
    ]);
    const out = path.join(folder, "out");
    // Pages from an earlier, successful export: they must not survive looking current.
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "throwing.html"), "<p>an earlier export</p>");
    writeFileSync(path.join(out, "bad-formula.html"), "<p>an earlier export</p>");
    const result = runTool("src/tools/export.ts", ["--out-dir", out, throwing, badFormula, badTag], {
      timeout: 10 * 60_000,
    });
    const log = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 1, log);
    assert.match(log, /export failed for 3 of 3 notebooks/);
    assert.match(
      log,
      /bad-tag\.ipynb: not a valid notebook \(nbformat\): cells\[0\]\.metadata\.tags\[0\]: 'a,b' does not match/,
    );
    assert.doesNotMatch(log, /Traceback/);
    assert.match(log, /throwing\.ipynb, cell 2 \(`const x = 1;`\)[^\n]*\n[\s\S]*boom 1/);
    assert.match(
      log,
      /bad-formula\.ipynb, cell 2 \(`A broken formula: \$\\frac\{1\$\.`\): LaTeX that KaTeX cannot render/,
    );
    assert.equal(existsSync(path.join(out, "throwing.html")), false);
    assert.equal(existsSync(path.join(out, "bad-formula.html")), false);
  });
});

/** A notebook file in `folder` (nbformat 4.5, cell ids added), for the kit's tslab kernel. */
function writeTestNotebook(folder: string, name: string, cells: NotebookCell[]): string {
  const file = path.join(folder, name);
  const valid = cells.map((cell, index) =>
    cell.cell_type === "code"
      ? { id: `c${index}`, execution_count: null, outputs: [], ...cell }
      : { id: `c${index}`, ...cell },
  );
  const metadata = { kernelspec: { name: "tslab", display_name: "TypeScript" } };
  writeFileSync(file, JSON.stringify({ cells: valid, metadata, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

describe("npm run export on a notebook with hostile markdown", { skip }, () => {
  const folder = mkdtempSync(path.join(tmpdir(), "gd-export-hostile-"));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const kit = JSON.stringify(path.join(PROJECT_ROOT, "src"));
  const notebook = writeTestNotebook(folder, "hostile.ipynb", [
    {
      // Headings keep their ids (section links), and an id makes a global of that name: the page's
      // figure code must keep none a heading could hide (it used window.__gdFigures and __gdLive).
      cell_type: "markdown",
      source: "# __gdFigures\n\n## __gdLive\n\n### Plotly",
      metadata: {},
    },
    {
      cell_type: "markdown",
      source: `# Hostile markdown\n\n${HOSTILE_MARKDOWN.map(([, markdown]) => markdown).join("\n\n")}\n\nThe end of the hostile cell, with $x^2$.`,
      metadata: {},
    },
    {
      cell_type: "raw",
      source: `<script>top.postMessage('xss:raw', '*')</script><img src="data:image/png;base64,AAAA" onerror="top.postMessage('xss:raw-img', '*')">`,
      metadata: { raw_mimetype: "text/html" },
    },
    {
      cell_type: "code",
      source:
        `import * as tslab from "tslab";\nimport { contourWithPathFigure, descendArticleFunction, livePathExplorerFigure, ` +
        `setUpFigures, show, surfaceWithPathFigure } from ${kit};\nsetUpFigures();`,
      metadata: {},
    },
    {
      cell_type: "code",
      source:
        "show(surfaceWithPathFigure({ trajectories: [descendArticleFunction({ learningRate: 0.1, iterations: 10, x: 2, y: 2 })] }));\n" +
        "show(contourWithPathFigure({ trajectories: [descendArticleFunction({ learningRate: 1.5, iterations: 10, x: 2, y: 2 })] }));\n" +
        "show(livePathExplorerFigure());",
      metadata: {},
    },
    {
      cell_type: "code",
      // The kernel's own HTML is trusted, as in a notebook the reader runs: this script must run.
      source:
        `tslab.display.html("<script>top.postMessage('control:kernel-html', '*')</script>");\n` +
        `tslab.display.markdown("<img src='data:image/png;base64,AAAA' onerror=\\"top.postMessage('xss:markdown-output', '*')\\"> markdown output");`,
      metadata: {},
    },
  ]);
  const out = path.join(folder, "out");
  let log = "";
  let status: number | null = null;
  before(() => {
    const result = runTool("src/tools/export.ts", ["--out-dir", out, notebook], { timeout: 10 * 60_000 });
    status = result.status;
    log = `${result.stdout}${result.stderr}`;
  });

  it("exports it", () => {
    assert.equal(status, 0, log);
  });

  it(
    "runs none of its scripts in Chromium, while the figures draw and the kernel's own HTML runs",
    { skip: NO_CHROMIUM },
    async () => {
      const browser = await launchChromium();
      try {
        const { page, errors, blocked } = await watchedPage(browser, ["file:"]);
        await page.addInitScript(() => {
          const messages: unknown[] = [];
          (window as unknown as { messages: unknown[] }).messages = messages;
          window.addEventListener("message", (event) => messages.push(event.data));
        });
        await page.goto(pathToFileURL(path.join(out, "hostile.html")).href, { waitUntil: "load" });
        const figures = await figureReports(page);
        assert.equal(figures.length, 3);
        for (const figure of figures) assert.ok(figure.drawn, `figure ${figure.id} not drawn`);
        assert.ok(
          await page.evaluate(
            () => (window as unknown as Record<string, unknown>).__gdFigures instanceof HTMLElement,
          ),
          "the heading made a global named __gdFigures",
        );
        const [live] = await exerciseLiveFigures(page);
        assert.ok(live.updates >= 3, "the live explorer redraws under a heading named __gdLive");
        // What a reader does: click every link, hover and click every element of the markdown cells.
        const markdown = page.locator(".jp-MarkdownCell *");
        for (let index = 0; index < (await markdown.count()); index++) {
          const element = markdown.nth(index);
          if (!(await element.isVisible())) continue;
          await element.hover({ timeout: 2000 }).catch(() => undefined);
          await element.click({ timeout: 2000, noWaitAfter: true }).catch(() => undefined);
        }
        await page.waitForTimeout(1000);
        const state = await page.evaluate(() => ({
          messages: (window as unknown as { messages: unknown[] }).messages,
          visibility: getComputedStyle(document.body).visibility,
          text: document.body.innerText,
          math: document.querySelectorAll(".jp-MarkdownCell math").length,
        }));
        assert.deepEqual(state.messages, ["control:kernel-html"], "scripts that ran");
        assert.equal(state.visibility, "visible");
        assert.match(state.text, /The end of the hostile cell/);
        assert.match(state.text, /markdown output/);
        assert.ok(state.math > 0, "the formula is MathML");
        assert.deepEqual(blocked, [], "requests outside the file");
        assert.deepEqual(errors, [], "console or page errors");
        await page.close();
      } finally {
        await browser.close();
      }
    },
  );
});

/** Every process below `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** Whether `pid` runs (a zombie waiting to be reaped does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe(
  "npm run export interrupted with Ctrl+C",
  { skip: skip || (process.platform !== "linux" && "reads /proc") },
  () => {
    it("stops the kernel, removes its temporary folder, leaves no page behind and exits 130", async () => {
      const folder = mkdtempSync(path.join(tmpdir(), "gd-export-interrupt-"));
      const temporary = path.join(folder, "tmp");
      const out = path.join(folder, "out");
      mkdirSync(temporary);
      mkdirSync(out);
      const target = path.join(out, "01-the-gradient-descent-algorithm.html");
      writeFileSync(target, "<p>an earlier export</p>");
      try {
        const child = spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            "src/tools/export.ts",
            "--out-dir",
            out,
            "notebooks/01-the-gradient-descent-algorithm.ipynb",
          ],
          {
            cwd: PROJECT_ROOT,
            env: { ...process.env, TMPDIR: temporary },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        let log = "";
        child.stdout.on("data", (chunk) => (log += chunk));
        child.stderr.on("data", (chunk) => (log += chunk));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        // Wait for the kernel (a tslab process below the export), then press Ctrl+C.
        let processes: number[] = [];
        const deadline = Date.now() + 5 * 60_000;
        while (Date.now() < deadline && child.exitCode === null) {
          processes = descendants(child.pid ?? 0);
          const kernel = processes.some((pid) => {
            try {
              return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("tslab");
            } catch {
              return false;
            }
          });
          if (kernel) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        assert.ok(processes.length > 0, `no kernel started:\n${log}`);
        assert.ok(
          readdirSync(temporary).some((name) => name.startsWith("gd-export-")),
          "the export made no temporary folder",
        );
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        const code = await exited;
        clearTimeout(timer);
        assert.equal(code, 130, log);
        assert.match(log, /interrupted/);
        // (tsx keeps its compile cache there.)
        const left = readdirSync(temporary).filter((name) => !name.startsWith("tsx-"));
        assert.deepEqual(left, [], "temporary files left");
        assert.deepEqual(processes.filter(alive), [], "nbconvert or the kernel still running");
        assert.deepEqual(readdirSync(out), [], "a page left in the output folder");
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  },
);

function notebooksFor(htmlFile: string): string {
  return notebooks[exported.indexOf(htmlFile)];
}
