/**
 * A teacher's session in a test: a notebook executed through the project's kernel, followed in the
 * same kernel session by reruns of its `parameters` cell (with other sources) and every cell after it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../../src/tools/jupyter";
import {
  executeNotebook,
  joinText,
  readNotebook,
  withReruns,
  type Notebook,
  type NotebookCell,
} from "../../src/tools/notebooks";

export interface RerunSession {
  executed: Notebook;
  /** Removes the scratch folder. */
  cleanup: () => void;
}

/**
 * Executes `notebook` with reruns. The kernel runs in the notebook's folder and imports "../src":
 * a scratch copy of the project's shape (links to src, build and node_modules) keeps the rerun
 * notebook out of notebooks/.
 */
export async function executeWithReruns(
  name: string,
  notebook: Notebook,
  parameterSources: readonly string[],
  timeoutSeconds = 900,
): Promise<RerunSession> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "reruns-"));
  mkdirSync(path.join(workDir, "notebooks"));
  for (const linked of ["src", "build", "node_modules"]) {
    symlinkSync(path.join(PROJECT_ROOT, linked), path.join(workDir, linked));
  }
  const file = path.join(workDir, "notebooks", name);
  writeFileSync(file, JSON.stringify(withReruns(notebook, parameterSources)));
  const executed = readNotebook(await executeNotebook(file, path.join(workDir, "executed"), timeoutSeconds));
  return { executed, cleanup: () => rmSync(workDir, { recursive: true, force: true }) };
}

/** The parameters cell's source with `const name = …;` set to `value`. */
export function withParameter(source: string, name: string, value: number): string {
  const changed = source.replace(new RegExp(`const ${name} = [^;]+;`), `const ${name} = ${value};`);
  assert.notEqual(changed, source, `the parameters cell sets ${name}`);
  return changed;
}

/** Cells of the first run (rerun undefined) or of rerun k. */
export function cellsOf(notebook: Notebook, rerun?: number): NotebookCell[] {
  return notebook.cells.filter((cell) => cell.metadata.rerun === rerun);
}

/** A cell's outputs as text: streams, text/plain and text/markdown. */
export function textOf(cell: NotebookCell): string {
  return (cell.outputs ?? [])
    .map(
      (output) =>
        joinText(output.text) +
        joinText(output.data?.["text/plain"] as string | string[] | undefined) +
        joinText(output.data?.["text/markdown"] as string | string[] | undefined),
    )
    .join("");
}

/** The output text of the one cell carrying `tag`. */
export function tagged(cells: NotebookCell[], tag: string): string {
  const matching = cells.filter((cell) => cell.metadata.tags?.includes(tag));
  assert.equal(matching.length, 1, `one cell tagged ${tag}`);
  return textOf(matching[0]);
}

/** Every figure's {data, layout} JSON in the cells' HTML outputs. */
export function figuresIn(cells: NotebookCell[]): { data: unknown[]; layout: unknown }[] {
  const figures: { data: unknown[]; layout: unknown }[] = [];
  for (const cell of cells) {
    for (const output of cell.outputs ?? []) {
      const html = joinText(output.data?.["text/html"] as string | string[] | undefined);
      for (const match of html.matchAll(
        /<script type="application\/json" data-gd-figure="[^"]+">(.*?)<\/script>/gs,
      )) {
        figures.push(JSON.parse(match[1]) as { data: unknown[]; layout: unknown });
      }
    }
  }
  return figures;
}

/** Paths to values that a finite plot cannot have: null (JSON's NaN and ±Infinity), "NaN" strings. */
export function nonFiniteValues(value: unknown, where: string, found: string[] = []): string[] {
  if (value === null) found.push(where);
  else if (typeof value === "number" && !Number.isFinite(value)) found.push(where);
  else if (typeof value === "string" && /^(NaN|-?Infinity)$/.test(value)) found.push(where);
  else if (Array.isArray(value)) value.forEach((entry, i) => nonFiniteValues(entry, `${where}[${i}]`, found));
  else if (typeof value === "object") {
    for (const [key, entry] of Object.entries(value as object))
      nonFiniteValues(entry, `${where}.${key}`, found);
  }
  return found;
}
