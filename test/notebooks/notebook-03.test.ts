/**
 * Notebook 03 executed through the project's kernel, then its parameters cell rerun in the same
 * kernel session with settings that diverge (a step size past every rule's limit, an SGD learning
 * rate too large), as a student would. The printed numbers are checked against values computed here.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { findProblems, joinText, readNotebook, type Notebook } from "../../src/tools/notebooks";
import { predictedIterations, rateTheory } from "../../src/analysis/rates";
import {
  cellsOf,
  executeWithReruns,
  figuresIn,
  nonFiniteValues,
  tagged,
  withParameter,
  type RerunSession,
} from "../support/reruns";

const NAME = "03-beyond-plain-gradient-descent.ipynb";
const original = readNotebook(path.join(NOTEBOOKS_DIR, NAME));
const parametersCell = original.cells.find((cell) => cell.metadata.tags?.includes("parameters"));
assert.ok(parametersCell, "notebook 03 has a cell tagged parameters");
const parametersSource = joinText(parametersCell.source);

/** Rerun 3: the ends of the ranges — no steps at all, one epoch, full batch, β = 0, a tiny accuracy. */
const EDGES = {
  iterations: 0,
  frameworkIterations: 0,
  cubicIterations: 1,
  batchSize: 2000,
  epochs: 1,
  momentum: 0,
  accuracy: 1e-14,
};

/** Rerun 1: every rule on f(x, y) past its stability limit; rerun 2: SGD too large, batch 20; rerun 3: EDGES. */
const RERUNS = [
  withParameter(withParameter(parametersSource, "learningRate", 5), "adamLearningRate", 5),
  withParameter(withParameter(parametersSource, "sgdLearningRate", 1e-5), "batchSize", 20),
  Object.entries(EDGES).reduce(
    (source, [name, value]) => withParameter(source, name, value),
    parametersSource,
  ),
];

let session: RerunSession;
let executed: Notebook;

before(
  async () => {
    session = await executeWithReruns(NAME, original, RERUNS);
    executed = session.executed;
  },
  { timeout: 1_000_000 },
);

after(() => session?.cleanup());

describe("notebook 03 through the tslab kernel, with diverging reruns of its parameters cell", () => {
  it("executes clean: no error output, nothing on stderr, in the first run and every rerun", () => {
    assert.deepEqual(findProblems(executed, NAME), []);
    RERUNS.forEach((_, i) => assert.ok(cellsOf(executed, i + 1).length > 1, `rerun ${i + 1} ran`));
  });

  it("prints the predicted and measured iterations, plain descent's matching ⌈ln ε / ln ρ⌉ on f(x, y)", () => {
    const text = tagged(cellsOf(executed), "rates-measured");
    const theory = rateTheory([0.5, 1]);
    const predicted = predictedIterations(theory.plain.rate, 1e-6);
    assert.equal(predicted, 13);
    assert.match(
      text,
      new RegExp(
        `\\| f\\(x, y\\) of notebook 01 \\| plain \\| 0\\.3333333 \\| ${predicted} \\| ${predicted} \\| ${predicted} \\|`,
      ),
    );
    assert.match(
      text,
      /\| cubic on \[−π, π\] \| momentum \(β = 0\.8009\) \| 0\.894951 \| 125 \| 177 \| 1\d\d \|/,
    );
    assert.match(
      text,
      /\| cubic on \[−4π, 4π\] \| plain \| [^|]+ \| 8771333 \| 8771333 \| not within 20000 steps \|/,
    );
  });

  it("puts Newton on the quadratics' minima in one step and shows it climbing on h", () => {
    assert.match(
      tagged(cellsOf(executed), "newton-one-step"),
      /f\(x, y\) of notebook 01: after one Newton step the error is 0 of/,
    );
    assert.match(
      tagged(cellsOf(executed), "newton-wrong-way"),
      /Newton: x = 0\.3 → 0\.159.*diverged at iteration \d+: the objective rose/,
    );
    assert.match(tagged(cellsOf(executed), "exercise-2"), /= 20 steps; measured: 20 steps/);
  });

  it("runs the same SGD iterates as tf.train.sgd to float32 precision", () => {
    const row = tagged(cellsOf(executed), "framework")
      .split("\n")
      .find((line) => line.startsWith("| tf.train.sgd"));
    assert.ok(row, "a row for tf.train.sgd");
    const difference = Number(row.split("|")[4].trim());
    assert.ok(difference < 1e-5, `largest difference ${difference}`);
  });

  it("reports the rules past their limits as diverged, and SGD with a learning rate too large", () => {
    const rules = tagged(cellsOf(executed, 1), "rules-on-article");
    assert.match(rules, /\| plain \| 5 \| diverged at iteration \d+/);
    assert.match(rules, /\| momentum \(β = 0\.9\) \| 5 \| diverged at iteration \d+/);
    assert.match(rules, /\| Newton \| 1 \| ran all 40 iterations/);
    assert.match(
      tagged(cellsOf(executed, 2), "sgd-batches"),
      /\| 20 \| 100 \| \d+ \| \d+ \| diverged at iteration \d+/,
    );
  });

  it("runs the ends of the ranges: no steps, one full-batch epoch, β = 0, an accuracy below rounding", () => {
    const rules = tagged(cellsOf(executed, 3), "rules-on-article");
    assert.match(rules, /\| plain \| 0\.3 \| ran all 0 iterations \| \(2, 2\) \|/);
    assert.match(
      tagged(cellsOf(executed, 3), "sgd-batches"),
      /\| 2000 \| 1 \| 1 \| 2000 \| ran all 1 iterations \|/,
    );
    assert.match(
      tagged(cellsOf(executed, 3), "framework"),
      /\| tf\.train\.sgd\(0\.000001\) \| ran all 0 iterations \| 0 \|/,
    );
  });

  it("draws every figure with finite numbers in every run, the live explorer with its three sliders", () => {
    for (const rerun of [undefined, 1, 2, 3]) {
      const figures = figuresIn(cellsOf(executed, rerun));
      assert.ok(figures.length >= 5, `run ${rerun ?? 0} draws its figures (found ${figures.length})`);
      figures.forEach((figure, i) =>
        assert.deepEqual(nonFiniteValues(figure.data, `run ${rerun ?? 0}, figure ${i + 1}`), []),
      );
      // The live explorer's settings (src/live/figures.ts) travel beside its figure.
      const html = cellsOf(executed, rerun)
        .flatMap((cell) =>
          (cell.outputs ?? []).map((output) => joinText(output.data?.["text/html"] as string[])),
        )
        .join("\n");
      const live = /<script type="application\/json" data-gd-live="[^"]+">(.*?)<\/script>/s.exec(html);
      assert.ok(live, `run ${rerun ?? 0}: the live explorer`);
      const spec = JSON.parse(live[1]) as { settings: { rule: string }; controls: { setting: string }[] };
      assert.equal(spec.settings.rule, "momentum");
      assert.deepEqual(
        spec.controls.map((control) => control.setting),
        ["learningRate", "momentum", "iterations"],
      );
    }
  });
});
