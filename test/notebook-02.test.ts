/**
 * Notebook 02 executed once through the project's kernel, with two reruns of its parameters cell in
 * the same kernel session (a faster learning rate, then one above 2/λ_max). Its printed numbers are
 * checked against computations done here independently of src's own solvers.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { EigenvalueDecomposition, Matrix, QrDecomposition } from "ml-matrix";
import { fitPolynomial, formatPolynomial } from "../src/numerics";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "../src/tools/jupyter";
import {
  executeNotebook,
  findProblems,
  joinText,
  readNotebook,
  withReruns,
  type Notebook,
  type NotebookCell,
} from "../src/tools/notebooks";

const NAME = "02-fitting-a-cubic-to-sin.ipynb";
/** A faster learning rate, and one above 2/λ_max ≈ 3.558e-6 (which must be reported as diverged). */
const RERUN_RATES = [2e-6, 4e-6];

const original = readNotebook(path.join(NOTEBOOKS_DIR, NAME));
const parametersCell = original.cells.find((cell) => cell.metadata.tags?.includes("parameters"));
assert.ok(parametersCell, "notebook 02 has a cell tagged parameters");
const parametersSource = joinText(parametersCell.source);

function parameter(source: string, name: string): number {
  const match = new RegExp(`const ${name} = ([^;]+);`).exec(source);
  assert.ok(match, `the parameters cell sets ${name}`);
  return Number(match[1]);
}
const seed = parameter(parametersSource, "seed");
const learningRate = parameter(parametersSource, "learningRate");
const iterations = parameter(parametersSource, "iterations");
const degree = parameter(parametersSource, "degree");

function withLearningRate(rate: number): string {
  const source = parametersSource.replace(/const learningRate = [^;]+;/, `const learningRate = ${rate};`);
  assert.notEqual(source, parametersSource);
  return source;
}

/** Cells of the first run (rerun undefined) or of rerun k. */
function cellsOf(notebook: Notebook, rerun?: number): NotebookCell[] {
  return notebook.cells.filter((cell) => cell.metadata.rerun === rerun);
}

function textOf(cell: NotebookCell): string {
  return (cell.outputs ?? [])
    .map((output) => joinText(output.text) + joinText(output.data?.["text/plain"] as string | string[]))
    .join("");
}

function tagged(cells: NotebookCell[], tag: string): string {
  const matching = cells.filter((cell) => cell.metadata.tags?.includes(tag));
  assert.equal(matching.length, 1, `one cell tagged ${tag}`);
  return textOf(matching[0]);
}

function numberAfter(text: string, label: string): number {
  const escaped = label.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^${escaped} = (\\S+)$`, "m").exec(text);
  assert.ok(match, `the output prints "${label} = …"`);
  const value = Number(match[1]);
  assert.ok(Number.isFinite(value), `${label} is a number, got ${match[1]}`);
  return value;
}

function close(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.max(Math.abs(expected), 1e-300),
    `${what}: ${actual} vs ${expected}`,
  );
}

/** Every figure's {data, layout} JSON in the cells' HTML outputs. */
function figuresIn(cells: NotebookCell[]): { data: unknown[] }[] {
  const figures: { data: unknown[] }[] = [];
  for (const cell of cells) {
    for (const output of cell.outputs ?? []) {
      const html = joinText(output.data?.["text/html"] as string | string[] | undefined);
      for (const match of html.matchAll(
        /<script type="application\/json" data-gd-figure="[^"]+">(.*?)<\/script>/gs,
      )) {
        figures.push(JSON.parse(match[1]) as { data: unknown[] });
      }
    }
  }
  return figures;
}

/** Paths to values that a finite plot cannot have: null (JSON's NaN and ±Infinity), "NaN" strings. */
function nonFiniteValues(value: unknown, where: string, found: string[] = []): string[] {
  if (value === null) found.push(where);
  else if (typeof value === "number" && !Number.isFinite(value)) found.push(where);
  else if (typeof value === "string" && /^(NaN|-?Infinity)$/.test(value)) found.push(where);
  else if (Array.isArray(value)) value.forEach((entry, i) => nonFiniteValues(entry, `${where}[${i}]`, found));
  else if (typeof value === "object") {
    for (const [key, entry] of Object.entries(value as object))
      nonFiniteValues(entry, `${where}.${key}`, found);
  }
  return found;
}

/** The article's 2000 points of [−π, π], computed here: x_i = −π + 2πi/1999. */
const xs = Array.from({ length: 2000 }, (_, i) =>
  i === 1999 ? Math.PI : -Math.PI + (2 * Math.PI * i) / 1999,
);
const vandermonde = new Matrix(xs.map((x) => Array.from({ length: degree + 1 }, (_, k) => x ** k)));
const sines = Matrix.columnVector(xs.map(Math.sin));

let executed: Notebook;
let workDir: string;

before(
  async () => {
    // The kernel runs in the notebook's folder and imports "../src": a scratch copy of the project's
    // shape (links to src, build and node_modules) keeps the rerun notebook out of notebooks/.
    workDir = mkdtempSync(path.join(os.tmpdir(), "notebook-02-"));
    mkdirSync(path.join(workDir, "notebooks"));
    for (const linked of ["src", "build", "node_modules"]) {
      symlinkSync(path.join(PROJECT_ROOT, linked), path.join(workDir, linked));
    }
    const file = path.join(workDir, "notebooks", NAME);
    writeFileSync(file, JSON.stringify(withReruns(original, RERUN_RATES.map(withLearningRate))));
    executed = readNotebook(await executeNotebook(file, path.join(workDir, "executed"), 900));
  },
  { timeout: 1_000_000 },
);

after(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("notebook 02 through the tslab kernel, with two reruns of its parameters cell", () => {
  it("executes clean: no error output, nothing on stderr, in the first run and both reruns", () => {
    assert.deepEqual(findProblems(executed, NAME), []);
    assert.equal(cellsOf(executed, 1).length > 0 && cellsOf(executed, 2).length > 0, true);
  });

  it("prints the least-squares optimum that a QR solve of the Vandermonde system gives", () => {
    const text = tagged(cellsOf(executed), "optimum");
    const expected = new QrDecomposition(vandermonde).solve(sines).getColumn(0);
    ["a", "b", "c", "d"].forEach((name, k) => {
      const printed = numberAfter(text, name);
      // a and c are zero up to rounding (sin is odd): compare absolutely.
      assert.ok(Math.abs(printed - expected[k]) < 1e-10, `${name}: ${printed} vs ${expected[k]}`);
    });
    const residuals = vandermonde.mmul(Matrix.columnVector(expected)).sub(sines).getColumn(0);
    const loss = residuals.reduce((sum, r) => sum + r * r, 0);
    close(numberAfter(text, "loss"), loss, 1e-9, "loss");
  });

  it("ends step 9 with the Result line of the src fit for the notebook's seed", () => {
    const text = tagged(cellsOf(executed), "result");
    const fit = fitPolynomial({ seed, learningRate, iterations, degree });
    assert.match(text, new RegExp(`^Result: ${escapeRegExp(formatPolynomial(fit.coefficients))}$`, "m"));
    assert.match(text, /^ {3}99 {2}loss /m, "the loss is printed at iteration 99, as the article does");
  });

  it("prints 2/λ_max and the condition number of eigenvalues of 2XᵀX computed independently", () => {
    const text = tagged(cellsOf(executed), "stability");
    const hessian = vandermonde.transpose().mmul(vandermonde).mul(2);
    const eigenvalues = new EigenvalueDecomposition(hessian).realEigenvalues.sort((p, q) => p - q);
    const largest = eigenvalues[eigenvalues.length - 1];
    close(numberAfter(text, "λ_max"), largest, 1e-9, "λ_max");
    close(numberAfter(text, "2/λ_max"), 2 / largest, 1e-9, "2/λ_max");
    close(
      numberAfter(text, "condition number λ_max/λ_min"),
      largest / eigenvalues[0],
      1e-7,
      "condition number",
    );
  });

  it("reports a learning rate just above 2/λ_max as diverged", () => {
    const bound = numberAfter(tagged(cellsOf(executed), "stability"), "2/λ_max");
    const text = tagged(cellsOf(executed), "diverged");
    const match = /^learning rate (\S+) = 1\.01 × 2\/λ_max: diverged at iteration \d+/m.exec(text);
    assert.ok(match, text);
    close(Number(match[1]), 1.01 * bound, 1e-12, "the learning rate tried");
  });

  it("reruns with a faster learning rate in the same kernel session and prints that run's result", () => {
    const text = tagged(cellsOf(executed, 1), "result");
    const fit = fitPolynomial({ seed, learningRate: RERUN_RATES[0], iterations, degree });
    assert.match(text, new RegExp(`^Result: ${escapeRegExp(formatPolynomial(fit.coefficients))}$`, "m"));
  });

  it("reruns with a learning rate above 2/λ_max and reports it as diverged, with no Result line", () => {
    const text = tagged(cellsOf(executed, 2), "result");
    assert.match(text, /^Diverged: learning rate 0\.000004 diverged at iteration \d+/m);
    assert.doesNotMatch(text, /^Result:/m);
  });

  it("draws figures in every run, none of them with NaN or infinite values", () => {
    for (const rerun of [undefined, 1, 2]) {
      const figures = figuresIn(cellsOf(executed, rerun));
      assert.ok(figures.length >= 10, `run ${rerun ?? 0} draws its figures (found ${figures.length})`);
      figures.forEach((figure, i) => {
        assert.deepEqual(nonFiniteValues(figure.data, `run ${rerun ?? 0}, figure ${i + 1}`), []);
      });
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
