/**
 * The first article's positions table: one row per position of a descent of the bowl (step, x, y,
 * f and the height above the minimum), as markdown for the notebooks and as aligned text for the
 * command-line program, long runs shown by their first and last rows.
 */
import { describeStop, type Trajectory } from "../../descent/loop";
import { MAX_TABLE_ROWS, shownRows } from "../../descent/thinning";
import { formatNumber, markdownTable } from "../../text/tables";
import { articleFunction } from "./bowl";

export interface PositionRow {
  step: number;
  x: number;
  y: number;
  /** f(x, y) at this position. */
  value: number;
  /**
   * f(x, y) − f(−1, 0): how far above the minimum, 0 at the minimum. Computed as ½(x + 1)² + ¼y²,
   * the same number without the cancellation of f − f_min (which rounds heights below ~1e-16 to 0).
   */
  aboveMinimum: number;
}

/** One row per position of a descent of the article's function: the start, then each step. */
export function positionRows(trajectory: Trajectory): PositionRow[] {
  return trajectory.points.map(([x, y], step) => {
    const value = articleFunction(x, y);
    return { step, x, y, value, aboveMinimum: 0.5 * (x + 1) ** 2 + 0.25 * y ** 2 };
  });
}

const POSITION_HEADERS = ["step", "x", "y", "f(x, y)", "f − f_min"];

function positionCells(row: PositionRow): string[] {
  return [
    String(row.step),
    formatNumber(row.x, 8),
    formatNumber(row.y, 8),
    formatNumber(row.value, 8),
    formatNumber(row.aboveMinimum, 4),
  ];
}

/**
 * The rows a positions table shows: every row when they fit in `maxRows`, else the first `head`
 * and the last maxRows − head, with the number left out between them (thinning.ts).
 */
function shownPositionCells(
  trajectory: Trajectory,
  maxRows: number,
  head?: number,
): { before: string[][]; omitted: number; after: string[][] } {
  const count = trajectory.points.length;
  const cells = (from: number, to: number): string[][] =>
    positionRows({ ...trajectory, points: trajectory.points.slice(from, to) }).map((row, i) =>
      positionCells({ ...row, step: from + i }),
    );
  if (count <= maxRows) return { before: cells(0, count), omitted: 0, after: [] };
  const shown = shownRows(count, maxRows, head);
  return { before: cells(0, shown.head), omitted: shown.omitted, after: cells(count - shown.tail, count) };
}

/**
 * The positions as a markdown table, followed by why the descent stopped. A long run shows its
 * first and last `maxRows`/2 steps and how many are left out between them.
 */
export function positionsMarkdown(trajectory: Trajectory, maxRows = MAX_TABLE_ROWS): string {
  const { before, omitted, after } = shownPositionCells(trajectory, maxRows);
  const gap = omitted === 0 ? [] : [["⋮", `(${omitted} steps not shown)`, "", "", ""]];
  const table = markdownTable(POSITION_HEADERS, [...before, ...gap, ...after]);
  return `${table}\n\nη = ${trajectory.learningRate}: ${describeStop(trajectory.stop)}.`;
}

export interface PositionsTextOptions {
  /** The most rows shown (default MAX_TABLE_ROWS; Infinity: every row). */
  maxRows?: number;
  /** How many of them are the first rows (default half). */
  head?: number;
  /** Said after the count of rows left out: "--all prints them". */
  gapNote?: string;
}

/**
 * The positions as a plain-text table with aligned columns (the command-line program's output),
 * then why the descent stopped; a long run shows its first and last rows and a line for the rest.
 */
export function positionsText(trajectory: Trajectory, options: PositionsTextOptions = {}): string {
  const { maxRows = MAX_TABLE_ROWS, head, gapNote } = options;
  const { before, omitted, after } = shownPositionCells(trajectory, maxRows, head);
  const rows = [POSITION_HEADERS, ...before, ...after];
  const widths = POSITION_HEADERS.map((_, column) =>
    rows.reduce((widest, row) => Math.max(widest, row[column].length), 0),
  );
  const lines = rows.map((row) => row.map((cell, column) => cell.padStart(widths[column])).join("  "));
  if (omitted > 0) {
    const note = gapNote === undefined ? "" : `; ${gapNote}`;
    lines.splice(before.length + 1, 0, `${"⋮".padStart(widths[0])}  (${omitted} more steps${note})`);
  }
  return [...lines, `learning rate ${trajectory.learningRate}: ${describeStop(trajectory.stop)}`].join("\n");
}
