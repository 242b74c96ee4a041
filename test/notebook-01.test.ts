/**
 * Notebook 01 executed once through the project's kernel, then its parameters cell rerun with five
 * other learning rates (and every cell after it) in the same kernel session, as a teacher would.
 * The printed numbers are checked against the closed form of each step, computed here.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
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

const NAME = "01-the-gradient-descent-algorithm.ipynb";
const RERUN_RATES = [0.05, 0.5, 1, 1.9, 3];

const original = readNotebook(path.join(NOTEBOOKS_DIR, NAME));
const parametersCell = original.cells.find((cell) => cell.metadata.tags?.includes("parameters"));
assert.ok(parametersCell, "notebook 01 has a cell tagged parameters");
const parametersSource = joinText(parametersCell.source);

/** The article's start point in the experiments (section 5). */
const START = { x: 2, y: 2 };

/**
 * Where the article's descent is after k steps, from the closed form x_k + 1 = (1 − η)^k (x₀ + 1),
 * y_k = (1 − η/2)^k y₀, and the first iteration at which f has risen on 3 consecutive steps.
 */
function closedForm(rate: number, k: number): { x: number; y: number; f: number } {
  const x = -1 + (1 - rate) ** k * (START.x + 1);
  const y = (1 - rate / 2) ** k * START.y;
  return { x, y, f: 0.5 * x * x + x + 0.25 * y * y - 2 };
}
function firstDivergentIteration(rate: number): number {
  let rising = 0;
  for (let k = 1; k <= 10; k++) {
    rising = closedForm(rate, k).f > closedForm(rate, k - 1).f ? rising + 1 : 0;
    if (rising === 3) return k;
  }
  return -1;
}

let session: RerunSession;
let executed: Notebook;

before(
  async () => {
    const sources = RERUN_RATES.map((rate) => withParameter(parametersSource, "learningRate", rate));
    session = await executeWithReruns(NAME, original, sources);
    executed = session.executed;
  },
  { timeout: 1_000_000 },
);

after(() => session?.cleanup());

describe("notebook 01 through the tslab kernel, with five reruns of its parameters cell", () => {
  it("executes clean: no error output, nothing on stderr, in the first run and every rerun", () => {
    assert.deepEqual(findProblems(executed, NAME), []);
    RERUN_RATES.forEach((_, i) => assert.ok(cellsOf(executed, i + 1).length > 1, `rerun ${i + 1} ran`));
  });

  it("puts x at exactly −1 after one step at η = 1 and halves y", () => {
    const text = tagged(cellsOf(executed), "first-step-eta-1");
    assert.match(text, /^x after one step = -1$/m);
    assert.match(text, new RegExp(`^y after one step = ${START.y / 2}$`, "m"));
  });

  it("keeps |x + 1| at its starting value at η = 2 and shows that f never rises", () => {
    const text = tagged(cellsOf(executed), "eta-2");
    const amplitudes = [...text.matchAll(/\|x \+ 1\| = (\S+),/g)].map((match) => Number(match[1]));
    assert.equal(amplitudes.length, 11, "steps 0 to 10");
    amplitudes.forEach((amplitude) => assert.equal(amplitude, Math.abs(START.x + 1)));
    assert.match(text, /^step 1: x = -4, y = 0,/m);
    assert.match(text, /^steps on which f rose: 0$/m);
  });

  it("reports η = 2.5 as diverged at the iteration the closed form gives", () => {
    const expected = firstDivergentIteration(2.5);
    assert.equal(expected, 3);
    assert.match(tagged(cellsOf(executed), "eta-2-5"), new RegExp(`diverged at iteration ${expected}\\b`));
  });

  it("draws its figures in every run, none with NaN, and the figures change with the learning rate", () => {
    const runs = [undefined, 1, 2, 3, 4, 5].map((rerun) => figuresIn(cellsOf(executed, rerun)));
    assert.ok(runs[0].length >= 7, `the first run draws its figures (found ${runs[0].length})`);
    runs.forEach((figures, run) => {
      figures.forEach((figure, i) =>
        assert.deepEqual(nonFiniteValues(figure.data, `run ${run}, figure ${i + 1}`), []),
      );
    });
    // The surface with the path right after the parameters cell: a different path in every run.
    const pathFigures = [undefined, 1, 2, 3, 4, 5].map((rerun) => {
      const cell = cellsOf(executed, rerun).filter((c) =>
        joinText(c.source).includes("surfaceWithPathFigure({ trajectories: [trajectory] })"),
      );
      assert.equal(cell.length, 1, `run ${rerun ?? 0} draws the path after the parameters cell`);
      return JSON.stringify(figuresIn(cell)[0].data);
    });
    assert.equal(new Set(pathFigures).size, runs.length, "each run draws its own path");
  });

  it("reports the rerun with η = 3 as diverged, with the positions up to its last finite point", () => {
    const cells = cellsOf(executed, 5);
    const text = cells.map((cell) => (cell.outputs ?? []).map((o) => JSON.stringify(o)).join("")).join("");
    assert.match(text, /η = 3: diverged at iteration \d+/);
  });
});
