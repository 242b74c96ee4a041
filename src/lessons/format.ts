/** Numbers in sentences: few digits, never NaN (a non-finite value is a bug upstream, said as such). */
import { KitRangeError } from "../descent/validate";
import { formatNumber } from "../text/tables";

/** `value` with `digits` significant digits, e.g. 0.9983 or 3.558e-6. */
export function num(value: number, digits = 4): string {
  if (!Number.isFinite(value))
    throw new KitRangeError(`a sentence was asked to state a non-finite number (${value})`);
  return formatNumber(value, digits);
}

/** "η = 0.1" style list: "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The same number for LaTeX: 1e-6 becomes 10^{-6}, 3.5e-6 becomes 3.5 \times 10^{-6}. */
export function tex(value: number, digits = 4): string {
  return num(value, digits).replace(
    /^(-?)([\d.]+)e(-?\d+)$/,
    (_, sign: string, mantissa: string, exponent: string) =>
      mantissa === "1" ? `${sign}10^{${exponent}}` : `${sign}${mantissa} \\times 10^{${exponent}}`,
  );
}
