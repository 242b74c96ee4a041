/**
 * `npm run export [notebook.ipynb …]`: compiles src/ and registers the kernel (the set-up), then
 * executes each notebook (all of notebooks/ by default) in the project's kernel and writes one
 * self-contained HTML file per notebook into build/export/. Exits 1, naming notebook and cell, on
 * any error output, stderr or unrenderable formula; 2 with one line on a mistake in its arguments.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { withRenderedMarkdown } from "./export/notebook-markdown";
import { externalReferences } from "./export/offline";
import { slimExportHtml } from "./export/stylesheets";
import { EXPORT_TEMPLATE_BASE_DIR, EXPORT_TEMPLATE_NAME } from "./export/template";
import { PROJECT_ROOT } from "./jupyter";
import {
  describeInvalidNotebook,
  executeNotebook,
  findProblems,
  listNotebooks,
  readNotebook,
  runNbconvert,
  type Notebook,
  stopNbconvert,
} from "./notebooks";
import { UsageError, onInterrupt, parseOptions, runProgram, writableFolder } from "./program";
import { runnablePage } from "./export/runnable";
import { setup } from "./setup";
import { studentFileName, writeStudentEdition } from "./student-edition";

export const EXPORT_DIR = path.join(PROJECT_ROOT, "build", "export");

/** nbconvert's HTML exporter with this project's template, without In/Out prompts (tslab numbers none). */
function convertToHtml(notebookFile: string, outputDir: string): Promise<string> {
  const args = [
    "--to",
    "html",
    `--TemplateExporter.extra_template_basedirs=${EXPORT_TEMPLATE_BASE_DIR}`,
    "--template",
    EXPORT_TEMPLATE_NAME,
    "--no-prompt",
    "--output-dir",
    outputDir,
    notebookFile,
  ];
  const html = path.join(outputDir, path.basename(notebookFile, ".ipynb") + ".html");
  return runNbconvert(args, `converting ${path.basename(notebookFile)} to HTML`, html);
}

export interface ExportResult {
  notebook: string;
  html?: string;
  bytes?: number;
  problems: string[];
}

/** Temporary folders and half-written files of exports in progress: removed on Ctrl+C. */
const scratch = new Set<string>();

function removeScratch(): void {
  for (const entry of scratch) rmSync(entry, { recursive: true, force: true });
  scratch.clear();
}

export interface ExportOptions {
  /** The runnable page (src/runnable): every code cell editable and runnable in the page. */
  runnable?: boolean;
}

/** The HTML file exportNotebook writes for `notebook` into `outputDir` (runnable: …-runnable.html). */
export function htmlFileFor(notebook: string, outputDir = EXPORT_DIR, options: ExportOptions = {}): string {
  const suffix = options.runnable ? "-runnable.html" : ".html";
  return path.join(outputDir, path.basename(notebook).replace(/\.ipynb$/, "") + suffix);
}

/**
 * Executes and exports one notebook; problems (named by notebook and cell) instead of a file if
 * any. The previous HTML file of the notebook is deleted first, so that a failed or interrupted
 * export never leaves an old page looking current; the new one appears whole (written beside it,
 * then renamed) or not at all. Needs the set-up (setup() from ./setup) to have run.
 */
export async function exportNotebook(
  file: string,
  outputDir = EXPORT_DIR,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const target = htmlFileFor(file, outputDir, options);
  rmSync(target, { force: true });
  const workDir = mkdtempSync(path.join(os.tmpdir(), "gd-export-"));
  scratch.add(workDir);
  try {
    const executedFile = await executeNotebook(file, path.join(workDir, "executed")).catch(
      (error: unknown) => {
        // nbformat's refusal is a long traceback that does not name the field: say which one.
        const invalid = describeInvalidNotebook(file);
        throw invalid === undefined ? error : new Error(`not a valid notebook (nbformat): ${invalid}`);
      },
    );
    return await exportExecuted(readNotebook(executedFile), file, outputDir, options);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    scratch.delete(workDir);
  }
}

/**
 * exportNotebook's second half: the HTML page of a notebook the kernel has executed (`file` names
 * it and the page). Tests give it a notebook executed with their own parameters.
 */
export async function exportExecuted(
  executed: Notebook,
  file: string,
  outputDir = EXPORT_DIR,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const name = path.basename(file);
  const target = htmlFileFor(file, outputDir, options);
  rmSync(target, { force: true });
  const workDir = mkdtempSync(path.join(os.tmpdir(), "gd-export-"));
  scratch.add(workDir);
  try {
    const problems = findProblems(executed, name);
    if (problems.length > 0) return { notebook: file, problems };
    let prepared;
    try {
      prepared = withRenderedMarkdown(executed, name);
    } catch (error) {
      return { notebook: file, problems: [error instanceof Error ? error.message : String(error)] };
    }
    const preparedFile = path.join(workDir, name);
    writeFileSync(preparedFile, JSON.stringify(prepared));
    const slim = slimExportHtml(readFileSync(await convertToHtml(preparedFile, workDir), "utf8"));
    const html = options.runnable ? runnablePage(slim, prepared, name) : slim;
    const external = externalReferences(html);
    if (external.length > 0) {
      return {
        notebook: file,
        problems: external.map((reference) => `${name} loads from outside: ${reference}`),
      };
    }
    const partial = `${target}.partial-${process.pid}`;
    scratch.add(partial);
    writeFileSync(partial, html);
    renameSync(partial, target);
    scratch.delete(partial);
    return { notebook: file, html: target, bytes: statSync(target).size, problems: [] };
  } finally {
    for (const entry of [workDir, `${target}.partial-${process.pid}`]) {
      rmSync(entry, { recursive: true, force: true });
      scratch.delete(entry);
    }
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

const USAGE = `Executes notebooks in the project's kernel and writes one self-contained HTML file for each.

Usage: npm run export -- [options] [notebook.ipynb …]

  notebook.ipynb …          the notebooks to export (default: every notebook in notebooks/)
  -o, --out-dir <folder>    where the HTML files go (default build/export)
  -s, --student             the student edition: answer cells removed, written as <name>-student.html
  -r, --runnable            the runnable page, <name>-runnable.html: every code cell editable and
                            runnable in the page (offline, no Jupyter), the kernel's outputs shown
                            until a cell runs; about 0.8 MB more per notebook
  -h, --help                print this help

Example: npm run export -- notebooks/01-the-gradient-descent-algorithm.ipynb --out-dir handouts`;

/** The options; main reads them all in one place. */
const OPTIONS = {
  "out-dir": { type: "string", short: "o" },
  student: { type: "boolean", short: "s" },
  runnable: { type: "boolean", short: "r" },
  help: { type: "boolean", short: "h" },
} as const;

/** A notebook named on the command line: an existing .ipynb file holding a notebook, or a UsageError. */
export function notebookArgument(text: string): string {
  const file = path.resolve(text);
  if (!existsSync(file)) throw new UsageError(`no such notebook: ${text}`);
  if (statSync(file).isDirectory()) {
    throw new UsageError(
      `${text} is a folder; name .ipynb files (or none, for every notebook in notebooks/)`,
    );
  }
  if (!file.endsWith(".ipynb")) throw new UsageError(`${text} is not a notebook (an .ipynb file)`);
  let cells: unknown;
  try {
    cells = (JSON.parse(readFileSync(file, "utf8")) as { cells?: unknown }).cells;
  } catch (error) {
    const why = error instanceof SyntaxError ? "its JSON does not parse" : (error as Error).message;
    throw new UsageError(`${text} is not a readable notebook: ${why}`);
  }
  if (!Array.isArray(cells)) throw new UsageError(`${text} is not a Jupyter notebook: it has no cells`);
  const language = readNotebook(file).metadata?.kernelspec?.language;
  if (language !== undefined && language.toLowerCase() !== "typescript") {
    throw new UsageError(
      `${text} is a ${language} notebook: the kit exports TypeScript notebooks run by its tslab kernel`,
    );
  }
  return file;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const notebooks = positionals.length > 0 ? positionals.map(notebookArgument) : listNotebooks();
  if (notebooks.length === 0) throw new UsageError("no notebooks to export in notebooks/");
  const options: ExportOptions = { runnable: values.runnable };
  const htmlFiles = notebooks.map((file) =>
    htmlFileFor(values.student ? studentFileName(file) : file, EXPORT_DIR, options),
  );
  const clash = htmlFiles.find((file, index) => htmlFiles.indexOf(file) !== index);
  if (clash) throw new UsageError(`two notebooks would both be exported to ${path.basename(clash)}`);
  const outputDir = writableFolder("out-dir", values["out-dir"] ?? EXPORT_DIR);

  let interrupted = false;
  onInterrupt(async () => {
    interrupted = true;
    console.error("\nexport: interrupted; stopping the kernel and removing temporary files");
    await stopNbconvert();
    removeScratch();
  });
  // A fresh clone has no kernel registered yet, and an edit of src/ needs compiling: the
  // notebooks import "../src", which is the compiled build/src.
  try {
    setup();
  } catch (error) {
    console.error(`export: the set-up failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  // Notebooks run side by side, one per core: each is mostly one kernel and one nbconvert, which
  // keep a core busy between them.
  const results: ExportResult[] = new Array(notebooks.length);
  let next = 0;
  const exportNext = async (): Promise<void> => {
    while (next < notebooks.length && !interrupted) {
      const index = next++;
      const file = notebooks[index];
      const label = `[${index + 1}/${notebooks.length}] ${path.basename(file)}`;
      console.log(`${label}: executing and exporting…`);
      const edition = values.student ? writeStudentEdition(file) : { file, cleanup: () => {} };
      const result = await exportNotebook(edition.file, outputDir, options)
        .catch((error: unknown): ExportResult => ({
          notebook: file,
          problems: [`${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`],
        }))
        .finally(edition.cleanup);
      if (interrupted) return;
      results[index] = result;
      if (result.html && result.bytes !== undefined) {
        console.log(
          `${label}: wrote ${path.relative(process.cwd(), result.html)} (${megabytes(result.bytes)})`,
        );
      } else {
        console.error(`${label}: FAILED\n${result.problems.map((problem) => `  ${problem}`).join("\n")}`);
      }
    }
  };
  const parallel = Math.max(1, Math.min(notebooks.length, os.availableParallelism()));
  await Promise.all(Array.from({ length: parallel }, exportNext));
  if (interrupted) return 130;
  const failed = results.filter((result) => result.problems.length > 0);
  console.log("\nsizes:");
  for (const result of results) {
    console.log(
      `  ${path.basename(result.notebook)}: ${result.bytes === undefined ? "not written" : megabytes(result.bytes)}`,
    );
  }
  if (failed.length > 0) {
    console.error(`\nexport failed for ${failed.length} of ${results.length} notebooks:`);
    for (const problem of failed.flatMap((result) => result.problems)) console.error(`  ${problem}`);
    return 1;
  }
  return 0;
}

if (require.main === module) runProgram("export", main);
