/**
 * `npm run export [notebook.ipynb …]`: executes each notebook (all of notebooks/ by default) in
 * the project's kernel and writes one self-contained HTML file per notebook into build/export/.
 * Exits non-zero, naming notebook and cell, on any error output, stderr or unrenderable formula.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  EXPORT_TEMPLATE_BASE_DIR,
  EXPORT_TEMPLATE_NAME,
  externalReferences,
  slimExportHtml,
  withRenderedMarkdown,
} from "./html-export";
import { PROJECT_ROOT } from "./jupyter";
import { executeNotebook, findProblems, listNotebooks, readNotebook, runNbconvert } from "./notebooks";

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

/** Executes and exports one notebook; problems (named by notebook and cell) instead of a file if any. */
export async function exportNotebook(file: string, outputDir = EXPORT_DIR): Promise<ExportResult> {
  const name = path.basename(file);
  const workDir = mkdtempSync(path.join(os.tmpdir(), "gd-export-"));
  try {
    const executed = readNotebook(await executeNotebook(file, path.join(workDir, "executed")));
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
    const html = slimExportHtml(readFileSync(await convertToHtml(preparedFile, workDir), "utf8"));
    const external = externalReferences(html);
    if (external.length > 0) {
      return {
        notebook: file,
        problems: external.map((reference) => `${name} loads from outside: ${reference}`),
      };
    }
    const target = path.join(outputDir, name.replace(/\.ipynb$/, ".html"));
    writeFileSync(target, html);
    return { notebook: file, html: target, bytes: statSync(target).size, problems: [] };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { "out-dir": { type: "string", default: EXPORT_DIR } },
  });
  const outputDir = path.resolve(values["out-dir"] ?? EXPORT_DIR);
  const notebooks = positionals.length > 0 ? positionals.map((file) => path.resolve(file)) : listNotebooks();
  // Notebooks import "../src", which resolves to the compiled build/src.
  const tsc = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: PROJECT_ROOT,
      stdio: "inherit",
    },
  );
  if (tsc.status !== 0) {
    console.error("export: compiling src failed");
    return 1;
  }
  mkdirSync(outputDir, { recursive: true });
  const results: ExportResult[] = [];
  for (const [index, file] of notebooks.entries()) {
    const label = `[${index + 1}/${notebooks.length}] ${path.basename(file)}`;
    console.log(`${label}: executing and exporting…`);
    const result = await exportNotebook(file, outputDir).catch((error: unknown): ExportResult => ({
      notebook: file,
      problems: [`${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`],
    }));
    results.push(result);
    if (result.html && result.bytes !== undefined) {
      console.log(
        `${label}: wrote ${path.relative(process.cwd(), result.html)} (${megabytes(result.bytes)})`,
      );
    } else {
      console.error(`${label}: FAILED\n${result.problems.map((problem) => `  ${problem}`).join("\n")}`);
    }
  }
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

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
