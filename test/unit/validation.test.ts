import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { KitRangeError, KitTypeError, MAX_ITERATIONS } from "../../src/descent/validate";
import { articleFunctionSubject, checkAgainstFiniteDifferences } from "../../src/checks/gradient-check";
import { articleSurfaceGrid, descendArticleFunction } from "../../src/problems/bowl/bowl";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { gradientDescent } from "../../src/descent/loop";
import { randomCoefficients, sineData } from "../../src/problems/cubic-fit/polynomial";

const base = { learningRate: 0.1, iterations: 10, x: 2, y: 2 };

/**
 * Asserts that `run` throws `type` with a message naming the parameter and the value, and that
 * it prints as one line "RangeError: …" (what tslab shows for an expected validation error).
 */
function rejects(
  run: () => unknown,
  type: typeof RangeError | typeof TypeError,
  ...fragments: string[]
): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    for (const fragment of fragments)
      assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    assert.equal(inspect(error), `${type.name}: ${error.message}`);
    return true;
  });
}

describe("bad input gets an error that names the parameter and the value", () => {
  it("learning rate: not finite, not positive, not a number", () => {
    rejects(
      () => descendArticleFunction({ ...base, learningRate: -0.1 }),
      RangeError,
      "learningRate",
      "-0.1",
    );
    rejects(() => descendArticleFunction({ ...base, learningRate: 0 }), RangeError, "learningRate", "0");
    rejects(() => descendArticleFunction({ ...base, learningRate: NaN }), RangeError, "learningRate", "NaN");
    rejects(
      () => descendArticleFunction({ ...base, learningRate: Infinity }),
      RangeError,
      "learningRate",
      "Infinity",
    );
    rejects(
      () => descendArticleFunction({ ...base, learningRate: "0.1" as unknown as number }),
      TypeError,
      "learningRate",
      '"0.1"',
    );
    rejects(() => fitPolynomial({ learningRate: -1 }), RangeError, "learningRate", "-1");
  });

  it("iterations: negative, fractional, past the cap", () => {
    rejects(() => descendArticleFunction({ ...base, iterations: -1 }), RangeError, "iterations", "-1");
    rejects(() => descendArticleFunction({ ...base, iterations: 2.5 }), RangeError, "iterations", "2.5");
    rejects(
      () => descendArticleFunction({ ...base, iterations: MAX_ITERATIONS + 1 }),
      RangeError,
      "iterations",
      String(MAX_ITERATIONS + 1),
    );
    rejects(() => fitPolynomial({ iterations: 1e300 }), RangeError, "iterations", "1e+300");
  });

  it("start coordinates: non-finite", () => {
    rejects(() => descendArticleFunction({ ...base, x: NaN }), RangeError, "x", "NaN");
    rejects(() => descendArticleFunction({ ...base, y: -Infinity }), RangeError, "y", "-Infinity");
    rejects(
      () =>
        gradientDescent({
          start: [1, Infinity],
          evaluate: () => ({ value: 0, gradient: [0, 0] }),
          learningRate: 1,
          iterations: 1,
        }),
      RangeError,
      "start[1]",
      "Infinity",
    );
    rejects(() => fitPolynomial({ start: [0, 0, 0] }), RangeError, "start", "3");
  });

  it("data: x and y of different lengths, or empty, or not finite", () => {
    rejects(
      () => fitPolynomial({ data: { x: new Float64Array([1, 2]), y: new Float64Array([1]) } }),
      RangeError,
      "data.x",
      "2",
      "1",
    );
    rejects(
      () => fitPolynomial({ data: { x: new Float64Array(0), y: new Float64Array(0) } }),
      RangeError,
      "data.x",
      "empty",
    );
    rejects(
      () => fitPolynomial({ data: { x: new Float64Array([NaN]), y: new Float64Array([1]) } }),
      RangeError,
      "data.x[0]",
      "NaN",
    );
    rejects(() => sineData(1), RangeError, "points", "1");
  });

  it("degree: negative or fractional", () => {
    rejects(() => fitPolynomial({ degree: -1 }), RangeError, "degree", "-1");
    rejects(() => randomCoefficients(1.5), RangeError, "degree", "1.5");
  });

  it("grid: a step that is not positive, a range the wrong way round", () => {
    rejects(() => articleSurfaceGrid({ step: 0 }), RangeError, "step", "0");
    rejects(() => articleSurfaceGrid({ step: -0.1 }), RangeError, "step", "-0.1");
    rejects(() => articleSurfaceGrid({ from: 1, to: -1 }), RangeError, "to", "-1");
  });

  it("seed and gradient-check points", () => {
    rejects(() => fitPolynomial({ seed: -3 }), RangeError, "seed", "-3");
    rejects(
      () => checkAgainstFiniteDifferences(articleFunctionSubject, [[1, 2, 3]]),
      RangeError,
      "points[0]",
      "3",
    );
    rejects(() => checkAgainstFiniteDifferences(articleFunctionSubject, []), RangeError, "points");
  });
});

describe("the kit's validation errors print as one line, real bugs keep their stack", () => {
  it("KitRangeError and KitTypeError are RangeError and TypeError that inspect as one line", () => {
    const range = new KitRangeError("learningRate must be a finite positive number, got -1");
    assert.ok(range instanceof RangeError);
    assert.equal(range.name, "RangeError");
    assert.equal(inspect(range), "RangeError: learningRate must be a finite positive number, got -1");
    assert.ok(range.stack?.includes("validation.test"), "the stack is still there for debuggers");
    const type = new KitTypeError("evaluate must be a function, got 3");
    assert.ok(type instanceof TypeError);
    assert.equal(inspect(type), "TypeError: evaluate must be a function, got 3");
    assert.ok(inspect(new RangeError("a real bug")).includes("\n    at "), "other errors keep their stack");
  });

  it("no module of the numerics, figures, live explorers or display throws a plain RangeError, TypeError or Error by hand", () => {
    const src = path.join(__dirname, "..", "..", "src");
    const folders = ["descent", "problems/bowl", "problems/cubic-fit", "analysis", "checks", "text"];
    for (const folder of [...folders, "figures", "live", "display"]) {
      for (const name of readdirSync(path.join(src, folder)).filter((n) => n.endsWith(".ts"))) {
        const text = readFileSync(path.join(src, folder, name), "utf8");
        // display/runtime.ts's errors run in the browser, not in the kernel
        if (name === "runtime.ts") continue;
        const raw = text.match(/new (RangeError|TypeError)\(/g);
        assert.equal(raw, null, `src/${folder}/${name} throws ${raw?.join(", ")}`);
      }
    }
  });
});
