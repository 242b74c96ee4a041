/**
 * Notebook 02 executed once through the project's kernel, with two reruns of its parameters cell in
 * the same kernel session (a faster learning rate, then one above 2/λ_max). Its printed numbers are
 * checked against computations done here independently of src's own solvers.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { EigenvalueDecomposition, Matrix, QrDecomposition } from "ml-matrix";
import { fitPolynomial, formatPolynomial } from "../src/numerics";
import { NOTEBOOKS_DIR } from "../src/tools/jupyter";
import { findProblems, joinText, readNotebook, type Notebook } from "../src/tools/notebooks";
import {
  cellsOf,
  executeWithReruns,
  figuresIn,
  nonFiniteValues,
  tagged,
  withParameter,
  type RerunSession,
} from "./support/reruns";

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
  return withParameter(parametersSource, "learningRate", rate);
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

/** The article's 2000 points of [−π, π], computed here: x_i = −π + 2πi/1999. */
const xs = Array.from({ length: 2000 }, (_, i) =>
  i === 1999 ? Math.PI : -Math.PI + (2 * Math.PI * i) / 1999,
);
const vandermonde = new Matrix(xs.map((x) => Array.from({ length: degree + 1 }, (_, k) => x ** k)));
const sines = Matrix.columnVector(xs.map(Math.sin));

let session: RerunSession;
let executed: Notebook;

before(
  async () => {
    session = await executeWithReruns(NAME, original, RERUN_RATES.map(withLearningRate));
    executed = session.executed;
  },
  { timeout: 1_000_000 },
);

after(() => session?.cleanup());

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
