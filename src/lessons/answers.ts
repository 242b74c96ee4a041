/**
 * Folding for answers: an answer is shown collapsed under "Show the answer", in JupyterLab, in the
 * classic Notebook and in the exported HTML (all three render <details>/<summary> in markdown).
 * Cells holding answers carry the cell tag ANSWER_TAG, which the student edition removes.
 */

/** The cell tag (metadata.tags) that marks a cell as an answer. */
export const ANSWER_TAG = "answer";

/** The cell tag of text for the teacher only (how to use the answers, what to point out). */
export const TEACHER_TAG = "teacher";

/** The student edition's first words, under the notebook's title. */
export const STUDENT_EDITION_NOTE =
  "**Student edition.** This copy has no answers to the exercises: for each one, predict what will happen, run the cell, and compare — then discuss it in class.";

export const SHOW_THE_ANSWER = "Show the answer";

/** Markdown folded under "Show the answer"; blank lines keep the inside parsed as markdown. */
export function foldedAnswer(markdown: string): string {
  return `<details>\n<summary>${SHOW_THE_ANSWER}</summary>\n\n${markdown.trim()}\n\n</details>`;
}
