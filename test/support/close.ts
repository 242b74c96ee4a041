/** The tests' one float comparison. */
import assert from "node:assert/strict";

/**
 * What the tolerance is multiplied by: max(1, |expected|) ("mixed": relative for large values,
 * absolute near zero, where a relative test means nothing), 1 ("absolute") or |expected| ("relative").
 */
export type CloseScale = "mixed" | "absolute" | "relative";

const SCALES: Record<CloseScale, (expected: number) => number> = {
  mixed: (expected) => Math.max(1, Math.abs(expected)),
  absolute: () => 1,
  relative: (expected) => Math.abs(expected),
};

/** Asserts |actual − expected| ≤ tolerance · scale(expected); arrays element by element. */
export function assertClose(
  actual: number | readonly number[],
  expected: number | readonly number[],
  tolerance: number,
  what: string,
  scale: CloseScale = "mixed",
): void {
  if (typeof actual === "number" || typeof expected === "number") {
    assert.ok(typeof actual === "number" && typeof expected === "number", `${what}: number against array`);
    assert.ok(
      Math.abs(actual - expected) <= tolerance * SCALES[scale](expected),
      `${what}: ${actual} against ${expected} (tolerance ${tolerance}, ${scale})`,
    );
    return;
  }
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((value, i) => assertClose(value, expected[i], tolerance, `${what}[${i}]`, scale));
}

/** Asserts a printed number equals `expected` to `digits` significant digits (half a unit in the last, plus a hair). */
export function assertPrintedClose(printed: number, expected: number, digits: number, what: string): void {
  const lastDigit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - digits + 1);
  assertClose(printed, expected, 0.51 * lastDigit, `${what} (printed to ${digits} digits)`, "absolute");
}
