/**
 * Notebook code formatted like the rest of the kit: Prettier on each code cell's source (the
 * project's .prettierrc.json, at 100 characters a line: a notebook's cells are narrower than an
 * editor); code lines over 100 characters are listed (Prettier does not break a long string).
 *
 *   npm run format             formats the cells in place (and everything else, with prettier --write)
 *   npm run lint               checks them (this program with --check)
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as prettier from "prettier";
import { PROJECT_ROOT } from "./jupyter";
import { joinText, listNotebooks, type Notebook } from "./notebooks";
import { parseOptions, runProgram } from "./program";

/** The widest code line a notebook cell may have. */
export const MAX_CELL_LINE = 100;

/** `source` as Prettier writes it, without the final newline a cell does not have. */
export async function formatCellSource(source: string): Promise<string> {
  const config = (await prettier.resolveConfig(path.join(PROJECT_ROOT, "cell.ts"))) ?? {};
  const formatted = await prettier.format(source, {
    ...config,
    printWidth: MAX_CELL_LINE,
    parser: "typescript",
  });
  return formatted.replace(/\n$/, "");
}

/** A cell's source as nbformat stores it: one string a line, each but the last ending in "\n". */
function sourceLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

export interface CellReport {
  /** "notebooks/01-….ipynb, cell 3". */
  where: string;
  /** What is wrong: not formatted, or a line too long. */
  problem: string;
}

/**
 * Formats every code cell of `file`; writes the notebook back when `write` and something changed.
 * Returns what was (or, without `write`, would be) wrong.
 */
export async function formatNotebook(file: string, write: boolean): Promise<CellReport[]> {
  const text = readFileSync(file, "utf8");
  const notebook = JSON.parse(text) as Notebook;
  const reports: CellReport[] = [];
  const name = path.relative(PROJECT_ROOT, file);
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== "code") continue;
    const where = `${name}, cell ${index + 1}`;
    const source = joinText(cell.source);
    let formatted: string;
    try {
      formatted = await formatCellSource(source);
    } catch (error) {
      reports.push({
        where,
        problem: `Prettier cannot parse it: ${(error as Error).message.split("\n")[0]}`,
      });
      continue;
    }
    if (formatted !== source) {
      reports.push({ where, problem: "not formatted (npm run format formats it)" });
      cell.source = sourceLines(formatted);
    }
    formatted.split("\n").forEach((line, i) => {
      if (line.length > MAX_CELL_LINE) {
        reports.push({
          where,
          problem: `line ${i + 1} has ${line.length} characters (at most ${MAX_CELL_LINE})`,
        });
      }
    });
  }
  // nbformat's own layout: one space of indentation, non-ASCII characters as they are.
  const output = `${JSON.stringify(notebook, null, 1)}\n`;
  if (write && output !== text) writeFileSync(file, output);
  return reports;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { check: { type: "boolean" } });
  const check = values.check === true;
  const reports: CellReport[] = [];
  for (const file of listNotebooks()) reports.push(...(await formatNotebook(file, !check)));
  const unformatted = check ? reports.filter((r) => r.problem.startsWith("not formatted")) : [];
  const long = reports.filter((r) => r.problem.startsWith("line "));
  for (const report of unformatted) console.error(`${report.where}: ${report.problem}`);
  // Prettier does not break a long string: such lines are reported (to be split by hand), not refused yet.
  if (long.length > 0) {
    console.error(
      `format-notebooks: ${long.length} code lines over ${MAX_CELL_LINE} characters (strings to split):`,
    );
    for (const report of long) console.error(`  ${report.where}: ${report.problem}`);
  }
  return unformatted.length === 0 ? 0 : 1;
}

if (require.main === module) runProgram("format-notebooks", main);
