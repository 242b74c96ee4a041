/**
 * The runnable page (npm run export -- --runnable): each code cell of the exported notebook gets
 * an editor (CodeMirror, TypeScript highlighting) and Run buttons; the cells run in the page, in
 * order, sharing their top-level names as in tslab (./cell-code.ts), with the kit bundled from
 * src/ (./display.ts and ./tensorflow.ts stand in for the kernel-only modules). The kernel's saved
 * outputs stay until a cell runs. Nothing is fetched: everything is in the file.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, keymap, lineNumbers } from "@codemirror/view";
import * as kit from "../index";
import type { RunnableCells } from "../tools/export/runnable";
import { cellFunction, compileCell } from "./cell-code";
import { formatValue, OutputArea, purgeFigures, setCurrentOutput } from "./outputs";
import * as tslab from "./tslab";

interface PageCell {
  element: HTMLElement;
  editor: EditorView;
  outputs: HTMLElement;
}

const MODULES: Record<string, unknown> = { "../src": kit, tslab };

function importModule(name: string): unknown {
  if (name in MODULES) return MODULES[name];
  throw new Error(`this page can import only "../src" (the kit) and "tslab", not "${name}"`);
}

/** The console a cell sees: log, info and debug to its stdout, warn and error to its stderr. */
function cellConsole(area: OutputArea): Pick<Console, "log" | "info" | "warn" | "error" | "debug"> {
  const write =
    (stream: "stdout" | "stderr") =>
    (...values: unknown[]) =>
      area.stream(stream, `${values.map(formatValue).join(" ")}\n`);
  return {
    log: write("stdout"),
    info: write("stdout"),
    debug: write("stdout"),
    warn: write("stderr"),
    error: write("stderr"),
  };
}

const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

class RunnablePage {
  private scope: Record<string, unknown> = {};
  private running = false;
  private readonly buttons: HTMLButtonElement[] = [];
  private readonly status: HTMLElement;
  runs = 0;

  constructor(
    private readonly cells: PageCell[],
    toolbar: HTMLElement,
  ) {
    this.status = toolbar.querySelector(".gd-run-status") as HTMLElement;
    const runAll = toolbar.querySelector("button") as HTMLButtonElement;
    runAll.addEventListener("click", () => void this.run(0, true));
    this.buttons.push(runAll);
  }

  button(label: string, title: string, onClick: () => void): HTMLButtonElement {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.title = title;
    button.addEventListener("click", onClick);
    this.buttons.push(button);
    return button;
  }

  /** Runs cell `from` (and every cell below unless `only`); "Run all" starts a fresh scope. */
  async run(from: number, toEnd: boolean, fresh = from === 0 && toEnd): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.buttons.forEach((button) => (button.disabled = true));
    document.body.dataset.gdRunning = "true";
    if (fresh) this.scope = {};
    const began = performance.now();
    const last = toEnd ? this.cells.length - 1 : from;
    const drawing: Promise<unknown>[] = [];
    let failed: number | undefined;
    try {
      for (let index = from; index <= last; index++) {
        const cell = this.cells[index];
        if (failed !== undefined) {
          cell.element.dataset.gdRun = "skipped";
          continue;
        }
        this.status.textContent = `running cell ${index + 1} of ${this.cells.length}…`;
        const ok = await this.runCell(cell, drawing);
        if (!ok) failed = index;
        await nextFrame();
      }
      await Promise.all(drawing);
    } finally {
      const seconds = ((performance.now() - began) / 1000).toFixed(2);
      this.status.textContent =
        failed === undefined
          ? `ran ${last - from + 1} cell${last === from ? "" : "s"} in ${seconds} s`
          : `cell ${failed + 1} failed: the cells below it did not run (${seconds} s)`;
      document.body.dataset.gdRunSeconds = seconds;
      this.runs += 1;
      document.body.dataset.gdRuns = String(this.runs);
      delete document.body.dataset.gdRunning;
      this.buttons.forEach((button) => (button.disabled = false));
      this.running = false;
    }
  }

  /** Runs one cell into a fresh output area; false when it threw (the error is shown under it). */
  private async runCell(cell: PageCell, drawing: Promise<unknown>[]): Promise<boolean> {
    const saved = cell.element.querySelector(".jp-Cell-outputWrapper"); // the kernel's outputs
    for (const old of [saved, cell.outputs]) if (old) await purgeFigures(old);
    saved?.remove();
    const area = new OutputArea(cell.outputs);
    cell.element.dataset.gdRun = "running";
    setCurrentOutput(area);
    const began = performance.now();
    try {
      const compiled = compileCell(cell.editor.state.doc.toString(), Object.keys(this.scope));
      const result = await cellFunction(compiled)(this.scope, cellConsole(area), importModule);
      if (result !== undefined) area.stream("stdout", `${formatValue(result)}\n`);
      cell.element.dataset.gdRun = "done";
      return true;
    } catch (error) {
      area.error(error);
      cell.element.dataset.gdRun = "error";
      return false;
    } finally {
      setCurrentOutput(undefined);
      cell.element.dataset.gdRunMs = (performance.now() - began).toFixed(0);
      drawing.push(...area.drawing);
    }
  }
}

function editorFor(source: string, run: () => void, runBelow: () => void): EditorView {
  return new EditorView({
    state: EditorState.create({
      doc: source,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle),
        javascript({ typescript: true }),
        keymap.of([
          { key: "Shift-Enter", run: () => (run(), true) },
          { key: "Alt-Enter", run: () => (runBelow(), true) },
          indentWithTab,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
      ],
    }),
  });
}

const NOTICE =
  "This page runs its own code cells: edit a cell and press Run (Shift+Enter), or run it and every cell " +
  "below it. The kit and TensorFlow.js (CPU) run in the page, offline; nothing is sent or fetched. " +
  "Type errors are not reported here (the page strips the types; the Jupyter kernel checks them). " +
  "The outputs below are the kernel's until a cell runs.";

/** Mounts the editors and buttons; returns the page for tests and the bench (window.__gdRunnable). */
export function start(): RunnablePage {
  const data = document.getElementById("gd-runnable-cells");
  const spec = JSON.parse(data?.textContent ?? "{}") as RunnableCells;
  const elements = Array.from(document.querySelectorAll<HTMLElement>(".jp-CodeCell"));
  if (!Array.isArray(spec.sources) || elements.length !== spec.sources.length) {
    throw new Error(`the page has ${elements.length} code cells but carries ${spec.sources?.length} sources`);
  }
  const toolbar = document.createElement("div");
  toolbar.className = "gd-run-toolbar";
  toolbar.innerHTML =
    '<button type="button" title="Run every cell from the top, in a fresh scope">Run all</button>' +
    '<span class="gd-run-status" aria-live="polite"></span><p class="gd-run-notice"></p>';
  (toolbar.querySelector(".gd-run-notice") as HTMLElement).textContent = NOTICE;
  document.body.prepend(toolbar);

  const cells: PageCell[] = [];
  const page = new RunnablePage(cells, toolbar);
  elements.forEach((element, index) => {
    const run = () => void page.run(index, false);
    const runBelow = () => void page.run(index, true);
    const editor = editorFor(spec.sources[index], run, runBelow);
    const input = element.querySelector(".jp-InputArea-editor") ?? element.querySelector(".jp-InputArea");
    if (!input) throw new Error(`code cell ${index + 1} has no input area`);
    input.replaceChildren(editor.dom);
    const bar = document.createElement("div");
    bar.className = "gd-run-cell-bar";
    bar.append(
      page.button("▶ Run", "Run this cell (Shift+Enter)", run),
      page.button("Run this and all below", "Run this cell and every cell below it (Alt+Enter)", runBelow),
    );
    input.before(bar);
    const outputs = document.createElement("div");
    outputs.className = "gd-run-outputs";
    element.append(outputs);
    element.dataset.gdCell = String(index);
    cells.push({ element, editor, outputs });
  });
  return page;
}

(window as unknown as { __gdRunnable?: RunnablePage }).__gdRunnable = start();
