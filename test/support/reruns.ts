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
  type Notebook,
  type NotebookCell,
} from "../../src/tools/notebooks";

/**
 * A teacher's session as one notebook: the notebook, then for each entry of `parameterSources`
 * the `parameters`-tagged cell with that source and every cell after it again. Executed by
 * executeNotebook, it all runs in one kernel session, as reruns in JupyterLab do.
 */
export function withReruns(notebook: Notebook, parameterSources: readonly string[]): Notebook {
  const index = notebook.cells.findIndex((cell) => cell.metadata.tags?.includes("parameters"));
  if (index < 0) throw new Error("the notebook has no cell tagged parameters");
  const after = notebook.cells.slice(index + 1).filter((cell) => cell.cell_type === "code");
  const reruns = parameterSources.flatMap((source, rerun) => [
    { ...notebook.cells[index], source, metadata: { ...notebook.cells[index].metadata, rerun: rerun + 1 } },
    ...after.map((cell) => ({ ...cell, metadata: { ...cell.metadata, rerun: rerun + 1 } })),
  ]);
  return { ...notebook, cells: [...notebook.cells, ...reruns] };
}

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

/** Error outputs of the cells, in order: where each is and what it says. */
export function errorsIn(cells: NotebookCell[]): { cell: NotebookCell; ename: string; evalue: string }[] {
  return cells.flatMap((cell) =>
    (cell.outputs ?? [])
      .filter((output) => output.output_type === "error")
      .map((output) => ({ cell, ename: output.ename ?? "", evalue: output.evalue ?? "" })),
  );
}

/** Problems a reader must never see in a run: errors, stderr, NaN/Infinity in text, non-finite figure data. */
export function problemsIn(cells: NotebookCell[], run: string): string[] {
  const problems: string[] = [];
  cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      if (output.output_type === "error")
        problems.push(`${run}, cell ${index}: ${output.ename}: ${output.evalue}`);
      if (output.output_type === "stream" && output.name === "stderr") {
        problems.push(`${run}, cell ${index} wrote to stderr: ${joinText(output.text).slice(0, 200)}`);
      }
    }
    const text = textOf(cell);
    const bad = /\bNaN\b|-?\bInfinity\b|\bundefined\b/.exec(text);
    if (bad)
      problems.push(
        `${run}, cell ${index} shows "${bad[0]}": …${text.slice(Math.max(0, bad.index - 80), bad.index + 40)}…`,
      );
  });
  figuresIn(cells).forEach((figure, i) =>
    problems.push(...nonFiniteValues(figure.data, `${run}, figure ${i + 1}`)),
  );
  return problems;
}

/** The output text of the one cell whose source contains `marker` (for untagged cells). */
export function outputOfCellWith(cells: NotebookCell[], marker: string): string {
  const matching = cells.filter((cell) => joinText(cell.source).includes(marker));
  assert.equal(matching.length, 1, `one cell contains ${marker}`);
  return textOf(matching[0]);
}

/**
 * The first failure of a run: an error output ("RangeError: message"), or what tslab 1.0.22 writes
 * instead for an exception thrown inside an imported module (the stack on stderr).
 */
export function firstFailure(cells: NotebookCell[]): { cell: NotebookCell; text: string } | undefined {
  for (const cell of cells) {
    for (const output of cell.outputs ?? []) {
      if (output.output_type === "error") return { cell, text: `${output.ename}: ${output.evalue}` };
      if (output.output_type === "stream" && output.name === "stderr")
        return { cell, text: joinText(output.text) };
    }
  }
  return undefined;
}

/**
 * The notebook up to its parameters cell (with `parameterSource`) and the next code cell, executed
 * in a kernel of its own: how a value out of range is reported, without the failed cell affecting
 * the session that checks the valid values (tslab 1.0.22 stops answering after such an exception).
 */
export async function executeUpToParameters(
  name: string,
  notebook: Notebook,
  parameterSource: string,
): Promise<NotebookCell[]> {
  const index = notebook.cells.findIndex((cell) => cell.metadata.tags?.includes("parameters"));
  assert.ok(index >= 0, "the notebook has a parameters cell");
  const next = notebook.cells.findIndex((cell, i) => i > index && cell.cell_type === "code");
  const cells = notebook.cells
    .slice(0, next + 1)
    .map((cell, i) => (i === index ? { ...cell, source: parameterSource } : cell));
  const session = await executeWithReruns(name, { ...notebook, cells }, []);
  try {
    return session.executed.cells;
  } finally {
    session.cleanup();
  }
}
