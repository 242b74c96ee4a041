/**
 * The student edition of a notebook: the same notebook without the cells whose metadata marks them
 * as answers (the cell tag ANSWER_TAG) or as text for the teacher (TEACHER_TAG), and with a note
 * under its title that says what it is. The exercises' own code stays, to run; the answers, folded
 * in the teacher's edition, are gone. `npm run export -- --student` exports it.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ANSWER_TAG, STUDENT_EDITION_NOTE, TEACHER_TAG } from "../lessons/answers";
import { PROJECT_ROOT } from "./jupyter";
import { readNotebook, type Notebook, type NotebookCell } from "./notebooks";

export function isAnswerCell(cell: NotebookCell): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(ANSWER_TAG);
}

export function isTeacherCell(cell: NotebookCell): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(TEACHER_TAG);
}

/** The markdown cell placed under the title of a student edition. */
export function studentEditionNoteCell(): NotebookCell {
  return {
    cell_type: "markdown",
    id: "student-edition",
    metadata: { tags: ["student-edition"] },
    source: STUDENT_EDITION_NOTE,
  } as NotebookCell;
}

/** The notebook without its answer cells (outputs cleared: the edition is executed afresh). */
export function studentEdition(notebook: Notebook): Notebook {
  const cells = notebook.cells
    .filter((cell) => !isAnswerCell(cell) && !isTeacherCell(cell))
    .map((cell) => (cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell));
  // Under the title (the first cell), or first if the notebook has no markdown title.
  const at = cells[0]?.cell_type === "markdown" ? 1 : 0;
  return { ...notebook, cells: [...cells.slice(0, at), studentEditionNoteCell(), ...cells.slice(at)] };
}

/** "01-x.ipynb" → "01-x-student.ipynb". */
export function studentFileName(file: string): string {
  return path.basename(file).replace(/\.ipynb$/, "-student.ipynb");
}

/**
 * Writes the student edition of `file` into a scratch copy of the project's shape (notebooks/ next to
 * links to src, build and node_modules), so that it runs as the original does; returns its path and
 * a function that removes the scratch folder.
 */
export function writeStudentEdition(file: string): { file: string; cleanup: () => void } {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "gd-student-"));
  mkdirSync(path.join(workDir, "notebooks"));
  for (const linked of ["src", "build", "node_modules"]) {
    symlinkSync(path.join(PROJECT_ROOT, linked), path.join(workDir, linked));
  }
  const target = path.join(workDir, "notebooks", studentFileName(file));
  writeFileSync(target, JSON.stringify(studentEdition(readNotebook(file)), null, 1) + "\n");
  return { file: target, cleanup: () => rmSync(workDir, { recursive: true, force: true }) };
}
