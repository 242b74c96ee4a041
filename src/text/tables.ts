/** Numbers and markdown tables for notebooks and programs: pure functions from numbers to strings. */
import { KitRangeError, describeValue, requireInteger } from "../descent/validate";

/** A number for a table: `digits` significant digits, exponent notation outside [1e-4, 1e6). */
export function formatNumber(value: number, digits = 6): string {
  requireInteger("digits", digits, 1, 17);
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size >= 1e-4 && size < 1e6) return String(Number(value.toPrecision(digits)));
  const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
  return `${String(Number(mantissa))}e${exponent.replace("+", "")}`;
}

/** A markdown table; every row must have as many cells as there are headers. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (!Array.isArray(headers) || headers.length === 0) {
    throw new KitRangeError(`headers must be a non-empty array of strings, got ${describeValue(headers)}`);
  }
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== headers.length) {
      throw new KitRangeError(`rows[${i}] must have ${headers.length} cells, got ${describeValue(row)}`);
    }
  });
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(headers), `|${headers.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}
