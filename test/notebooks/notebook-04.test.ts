/**
 * Notebook 04 through the project's kernel, then its parameters cell rerun across the parameters'
 * range in the same kernel session (every cell after it too): a learning rate that makes minibatch
 * SGD diverge, a range test that starts past the stability limit, the ends of backtracking's
 * settings, an accuracy below float64's rounding, one step only, a far start, full-batch and
 * single-point batches. Every run must execute clean (no error, NaN, Infinity or null in a figure);
 * a value out of range must stop at the parameters cell with one sentence; and the numbers the
 * default run states are recomputed here on their own: the loss per point in float64, least squares
 * by a QR solve, eigenvalues by ml-matrix (of P·H, not of src's P^{1/2}HP^{1/2}), the searches, the
 * range test, Newton's iteration and minibatch SGD written out again.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { EigenvalueDecomposition, Matrix, QrDecomposition, inverse } from "ml-matrix";
import { randomCoefficients, seededUniform, shuffledIndices } from "../../src/index";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { joinText, readNotebook, type NotebookCell } from "../../src/tools/notebooks";
import {
  cellsOf,
  executeUpToParameters,
  executeWithReruns,
  firstFailure,
  problemsIn,
  tagged,
  textOf,
  type RerunSession,
} from "../support/reruns";

const NAME = "04-choosing-the-step.ipynb";
const original = readNotebook(path.join(NOTEBOOKS_DIR, NAME));
const parametersCell = original.cells.find((cell) => cell.metadata.tags?.includes("parameters"));
assert.ok(parametersCell, "notebook 04 has a cell tagged parameters");
const parametersSource = joinText(parametersCell.source);

const DEFAULTS = {
  x: 2,
  y: 2,
  accuracy: 1e-6,
  maxIterations: 20000,
  initialStep: 1,
  shrink: 0.5,
  sufficientDecrease: 1e-4,
  seed: 0,
  rangeFrom: 1e-9,
  rangeTo: 1e-4,
  rangeSteps: 100,
  learningRate: 2e-6,
  batchSize: 20,
  epochs: 30,
  adaptiveLearningRate: 0.1,
  tensorflowSteps: 50,
};
type Parameters = typeof DEFAULTS;

function source(p: Parameters): string {
  let text = parametersSource;
  for (const [name, value] of Object.entries(p)) {
    text = text.replace(new RegExp(`const ${name} = [^;]+;`), `const ${name} = ${value};`);
    assert.ok(text.includes(`const ${name} = ${value};`), `the parameters cell sets ${name}`);
  }
  return text;
}

/** The reruns: diverging values, the ends of the ranges. */
const VALID: Partial<Parameters>[] = [
  { learningRate: 1e-4, rangeFrom: 1e-5 },
  { initialStep: 1000, shrink: 0.9, sufficientDecrease: 0.5, maxIterations: 1 },
  { x: 1000, y: -1000, seed: 1_000_000_000, batchSize: 2000, epochs: 1, tensorflowSteps: 0, adaptiveLearningRate: 10, rangeSteps: 10, rangeTo: 1000 },
  { x: -1, y: 1e-3, accuracy: 1e-14, batchSize: 1, epochs: 2, rangeFrom: 1e-15, rangeTo: 1e-14, initialStep: 1e-9 },
];
const INVALID: { change: Partial<Parameters>; message: RegExp }[] = [
  { change: { shrink: 1 }, message: /^RangeError: shrink must be a number from 0\.1 to 0\.9, got 1$/m },
  { change: { rangeTo: 1e-10 }, message: /^RangeError: rangeTo must be greater than rangeFrom \(1e-9\), got 1e-10$/m },
  { change: { learningRate: 0 }, message: /^RangeError: learningRate must be a number from 0 \(not included\) to 1, got 0$/m },
];
const valid: Parameters[] = [DEFAULTS, ...VALID.map((change) => ({ ...DEFAULTS, ...change }))];
const label = (p: Partial<Parameters>) => JSON.stringify(p);

// ——— Independent float64 computations (no src numerics): data, loss, Hessian, optimum. ———

const xs = Array.from({ length: 2000 }, (_, i) => (i === 1999 ? Math.PI : -Math.PI + (2 * Math.PI * i) / 1999));
const ys = xs.map(Math.sin);
const X = new Matrix(xs.map((x) => [1, x, x * x, x * x * x]));
const H = X.transpose().mmul(X).mul(2);
const hessian = H.to2DArray();
const optimum = new QrDecomposition(X).solve(Matrix.columnVector(ys)).getColumn(0);
const residuals = (c: readonly number[]) => xs.map((x, i) => c[0] + c[1] * x + c[2] * x * x + c[3] * x * x * x - ys[i]);
const loss = (c: readonly number[]) => residuals(c).reduce((s, r) => s + r * r, 0);
const gradient = (c: readonly number[]) => {
  const g = [0, 0, 0, 0];
  residuals(c).forEach((r, i) => {
    let power = 2 * r;
    for (let k = 0; k < 4; k++) {
      g[k] += power;
      power *= xs[i];
    }
  });
  return g;
};
const optimumLoss = loss(optimum);
const energy = (c: readonly number[], opt: readonly number[], h: number[][]) => {
  const e = c.map((v, i) => v - opt[i]);
  return e.reduce((s, ei, i) => s + ei * h[i].reduce((t, hij, j) => t + hij * e[j], 0), 0);
};
const eigenvaluesOf = (m: Matrix) => new EigenvalueDecomposition(m).realEigenvalues.sort((a, b) => a - b);
const [lambdaMin, , , lambdaMax] = eigenvaluesOf(H);

/** Descent with a step chooser, counted: iterations to the energy error ε, and trials. */
function descend(
  start: number[],
  step: (c: number[], g: number[], state: { t: number }) => { next: number[]; trials: number },
  accuracy: number,
  cap: number,
): { iterations?: number; trials: number } {
  const e0 = energy(start, optimum, hessian);
  let c = [...start];
  let trials = 0;
  const state = { t: 1 };
  for (let k = 0; k <= cap; k++) {
    if (Math.sqrt(energy(c, optimum, hessian) / e0) <= accuracy) return { iterations: k, trials };
    const taken = step(c, gradient(c), state);
    c = taken.next;
    trials += taken.trials;
  }
  return { trials };
}

function backtrackingStep(c0: number, shrink: number, t0: number, warm: boolean) {
  return (c: number[], g: number[], state: { t: number }) => {
    const f = loss(c);
    const slope = -g.reduce((s, gi) => s + gi * gi, 0);
    let t = warm ? Math.min(t0, state.t / shrink) : t0;
    for (let trial = 1; trial <= 80; trial++) {
      const candidate = c.map((v, i) => v - t * g[i]);
      if (loss(candidate) <= f + c0 * t * slope) {
        state.t = t;
        return { next: candidate, trials: trial };
      }
      t *= shrink;
    }
    state.t = t;
    return { next: c, trials: 80 };
  };
}

function numberIn(text: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(text);
  assert.ok(match, `${what}: ${pattern} in ${text.slice(0, 600)}`);
  return Number(match[1]);
}

function tableRow(text: string, starts: string): string[] {
  const line = text.split("\n").find((row) => row.startsWith(`| ${starts}`));
  assert.ok(line, `a row starting "${starts}" in ${text.slice(0, 300)}`);
  return line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, "").trim());
}

const close = (a: number, b: number, relative: number) => Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));

let session: RerunSession;
let runs: NotebookCell[][];
let invalidRuns: NotebookCell[][];

before(
  async () => {
    session = await executeWithReruns(NAME, original, valid.slice(1).map(source), 3600);
    runs = valid.map((_, i) => cellsOf(session.executed, i === 0 ? undefined : i));
    invalidRuns = [];
    for (const { change } of INVALID) {
      invalidRuns.push(await executeUpToParameters(NAME, original, source({ ...DEFAULTS, ...change })));
    }
  },
  { timeout: 4_000_000 },
);

after(() => session?.cleanup());

const KEY_CELLS = [
  "exact-by-hand",
  "exact-line-search",
  "backtracking-by-hand",
  "step-choice",
  "range-test",
  "schedule-by-hand",
  "schedules",
  "preconditioned-by-hand",
  "preconditioning",
  "newton-digits",
  "newton-non-convex",
  "saddle",
  "adaptive-by-hand",
  "adaptive-tensorflow",
  "exercise-1",
  "exercise-2",
  "exercise-3",
];

describe("notebook 04 across its parameters, in one kernel session", () => {
  it("executes every cell of every valid run: no error, no stderr, no NaN, Infinity or null anywhere", () => {
    valid.forEach((p, run) => {
      assert.deepEqual(problemsIn(runs[run], label(p)), []);
      for (const tag of KEY_CELLS) assert.notEqual(tagged(runs[run], tag).trim(), "", `${label(p)}: ${tag} shows its result`);
    });
  });

  it("stops a value out of range at the parameters cell, with one sentence naming it", () => {
    INVALID.forEach(({ change, message }, i) => {
      const failure = firstFailure(invalidRuns[i]);
      assert.ok(failure, `${label(change)} raised an error`);
      assert.ok(failure.cell.metadata.tags?.includes("parameters"), "the first error is in the parameters cell");
      assert.match(failure.text, message);
    });
  });

  it("writes every update out and finds the kit's iterates (to rounding) in every run", () => {
    valid.forEach((p, run) => {
      for (const tag of ["exact-by-hand", "backtracking-by-hand", "schedule-by-hand", "preconditioned-by-hand", "adaptive-by-hand"]) {
        const text = tagged(runs[run], tag);
        for (const match of text.matchAll(/largest difference (?:from the hand-written loop over \d+ steps |over \d+ steps )?(\d+(?:\.\d+)?(?:e[-+]?\d+)?)[.;]/g)) {
          assert.ok(Number(match[1]) <= 1e-12, `${label(p)}, ${tag}: ${match[0]}`);
        }
      }
    });
  });

  it("states the comparison of the steps as recomputed here (the bowl in closed form, the cubic by its own loops)", () => {
    const text = tagged(runs[0], "step-choice");
    // The bowl: η = 4/3 multiplies both error components by −1/3; t = 1 (always accepted there) puts x on −1
    // and halves y, so after k ≥ 1 steps the energy is ½(y₀/2ᵏ)² against (x₀ + 1)² + ½y₀² at the start.
    for (const run of [0, 3]) {
      const p = valid[run];
      const bowlText = tagged(runs[run], "step-choice");
      const e0 = (p.x + 1) ** 2 + 0.5 * p.y ** 2;
      assert.equal(Number(tableRow(bowlText, "the bowl f(x, y) | best fixed")[2]), Math.ceil(Math.log(p.accuracy) / Math.log(1 / 3)), label(p));
      assert.equal(
        Number(tableRow(bowlText, "the bowl f(x, y) | backtracking from")[2]),
        Math.ceil(Math.log2((Math.abs(p.y) * Math.SQRT1_2) / (p.accuracy * Math.sqrt(e0)))),
        label(p),
      );
    }
    const start = randomCoefficients(3, 0);
    const fixed = descend(start, (c, g) => ({ next: c.map((v, i) => v - (2 / (lambdaMin + lambdaMax)) * g[i]), trials: 0 }), 1e-6, 5000);
    const exact = descend(
      start,
      (c, g) => {
        const hg = H.mmul(Matrix.columnVector(g)).getColumn(0);
        const t = g.reduce((s, gi) => s + gi * gi, 0) / g.reduce((s, gi, i) => s + gi * hg[i], 0);
        return { next: c.map((v, i) => v - t * g[i]), trials: 0 };
      },
      1e-6,
      5000,
    );
    const cold = descend(start, backtrackingStep(1e-4, 0.5, 1, false), 1e-6, 5000);
    const warm = descend(start, backtrackingStep(1e-4, 0.5, 1, true), 1e-6, 5000);
    for (const [row, reference] of [
      ["the cubic fit | best fixed", fixed],
      ["the cubic fit | exact line search", exact],
      ["the cubic fit | backtracking from", cold],
      ["the cubic fit | backtracking, warm", warm],
    ] as const) {
      const cells = tableRow(text, row);
      assert.ok(reference.iterations !== undefined, row);
      assert.ok(Math.abs(Number(cells[2]) - reference.iterations) <= 2, `${row}: stated ${cells[2]}, recomputed ${reference.iterations}`);
      if (reference.trials > 0) {
        assert.ok(close(Number(cells[4]) - 1, reference.trials, 0.02), `${row}: trials ${Number(cells[4]) - 1} vs ${reference.trials}`);
      }
    }
    for (const p of valid.map((_, run) => tagged(runs[run], "step-choice"))) {
      assert.match(p, /all \d+ accepted steps of the two backtracking runs satisfy/);
      assert.doesNotMatch(p, /break the sufficient-decrease condition/);
    }
  });

  it("reads the range test as an independent ramp does, against 2/λmax", () => {
    const text = tagged(runs[0], "range-test");
    let c = randomCoefficients(3, 0);
    const values = [loss(c)];
    const etas: number[] = [];
    for (let k = 0; k < 100; k++) {
      const eta = 1e-9 * 1e5 ** (k / 99);
      etas.push(eta);
      const g = gradient(c);
      c = c.map((v, i) => v - eta * g[i]);
      values.push(loss(c));
      if (!Number.isFinite(values[k + 1])) break;
    }
    let lowest = 0;
    for (let k = 1; k < etas.length; k++) if (values[k + 1] < values[lowest + 1]) lowest = k;
    let blowUp = -1;
    let smallest = values[0];
    for (let k = 0; k < etas.length; k++) {
      smallest = Math.min(smallest, values[k]);
      if (values[k + 1] > 4 * smallest) {
        blowUp = k;
        break;
      }
    }
    assert.ok(close(numberIn(text, /after the step with η = (\S+?);/, "lowest η"), etas[lowest], 1e-3));
    assert.ok(close(numberIn(text, /blew up .*? after η = (\S+?),/, "blow-up η"), etas[blowUp], 1e-3));
    assert.ok(close(numberIn(text, /\(2\/λmax = (\S+?)\)/, "2/λmax"), 2 / lambdaMax, 1e-3));
    assert.ok(etas[lowest] / 10 < 2 / lambdaMax && etas[blowUp] > 2 / lambdaMax, "suggestion below, blow-up above the limit");
    assert.match(tagged(runs[1], "range-test"), /never fell below its start/);
    assert.match(tagged(runs[4], "range-test"), /never blew up within the range/);
  });

  it("ranks the schedules by the losses an independent minibatch loop finds", () => {
    const text = tagged(runs[0], "schedules");
    const start = randomCoefficients(3, 0);
    const uniform = seededUniform(0);
    const orders: Uint32Array[] = Array.from({ length: 30 }, () => shuffledIndices(2000, uniform));
    const worstLastEpoch = (factor: (t: number) => number) => {
      let c = [...start];
      const last: number[] = [];
      for (let t = 0; t < 3000; t++) {
        const order = orders[Math.floor(t / 100)];
        const g = [0, 0, 0, 0];
        for (let b = (t % 100) * 20; b < (t % 100) * 20 + 20; b++) {
          const x = xs[order[b]];
          let power = 2 * (c[0] + c[1] * x + c[2] * x * x + c[3] * x ** 3 - ys[order[b]]);
          for (let k = 0; k < 4; k++) {
            g[k] += power * 100; // n / |batch|
            power *= x;
          }
        }
        c = c.map((v, i) => v - 2e-6 * factor(t) * g[i]);
        if (t >= 2900) last.push(loss(c));
      }
      return Math.max(...last) - optimumLoss;
    };
    const constant = worstLastEpoch(() => 1);
    const cosine = worstLastEpoch((t) => 0.5 * (1 + Math.cos((Math.PI * Math.min(t, 3000)) / 3000)));
    assert.ok(close(Number(tableRow(text, "constant η")[3]), constant, 0.01), `constant: ${constant}`);
    assert.ok(close(Number(tableRow(text, "cosine over 3000 steps")[3]), cosine, 0.01), `cosine: ${cosine}`);
    assert.match(tagged(runs[1], "schedules"), /diverged/);
  });

  it("states κ of each preconditioned cubic as the eigenvalues of P·H give it, and measured ≤ predicted", () => {
    const text = tagged(runs[0], "preconditioning");
    const jacobi = Matrix.diag(hessian.map((row, i) => 1 / row[i]));
    const t = xs.map((x) => x / Math.PI);
    const legendre = new Matrix(t.map((u) => [1, u, (3 * u * u - 1) / 2, (5 * u ** 3 - 3 * u) / 2]));
    const kappa = (values: number[]) => values[values.length - 1] / values[0];
    const cases = [
      ["P = I", kappa(eigenvaluesOf(H))],
      ["P = diag", kappa(eigenvaluesOf(jacobi.mmul(H)))],
      ["P = TTᵀ", kappa(eigenvaluesOf(legendre.transpose().mmul(legendre).mul(2)))],
      ["P = H⁻¹", kappa(eigenvaluesOf(inverse(H).mmul(H)))],
    ] as const;
    for (const [row, expected] of cases) {
      const cells = tableRow(text, row);
      assert.ok(close(Number(cells[1]), expected, 1e-3), `${row}: κ ${cells[1]} vs ${expected}`);
      const rate = (expected - 1) / (expected + 1);
      const predicted = rate < 1e-12 ? 1 : Math.ceil(Math.log(1e-6) / Math.log(rate));
      assert.equal(Number(cells[4]), predicted, `${row}: predicted`);
      assert.ok(Number(cells[5]) <= predicted, `${row}: measured ${cells[5]} ≤ ${predicted}`);
    }
    assert.ok(Math.round(cases[0][1]) === 325 && Math.round(cases[1][1]) === 23, "about 325 → 23");
  });

  it("tabulates Newton's digits on Boyd's function as an independent Newton iteration finds them", () => {
    const text = tagged(runs[0], "newton-digits");
    const [mx, my] = [-0.5 * Math.log(2), 0];
    let [x, y] = [-1, 1];
    for (let k = 0; k <= 6; k++) {
      const error = Math.hypot(x - mx, y - my);
      const row = tableRow(text, `${k} |`);
      assert.ok(close(Number(row[1]), error, 5e-3), `step ${k}: ${row[1]} vs ${error}`);
      const a = Math.exp(x + 3 * y - 0.1);
      const b = Math.exp(x - 3 * y - 0.1);
      const c = Math.exp(-x - 0.1);
      const g = [a + b - c, 3 * (a - b)];
      const [h11, h12, h22] = [a + b + c, 3 * (a - b), 9 * (a + b)];
      const det = h11 * h22 - h12 * h12;
      [x, y] = [x - (h22 * g[0] - h12 * g[1]) / det, y - (-h12 * g[0] + h11 * g[1]) / det];
    }
    assert.match(text, /At steps 4, 5 and 6 the digits nearly doubled/);
    assert.match(tagged(runs[0], "newton-non-convex"), /Plain Newton: converged at iteration \d+, ends at \(0\.16994, 0\).*make it a saddle/);
    assert.match(tagged(runs[0], "newton-non-convex"), /Damped Newton .*ends at \(1\.1309, 0\).*make it a minimum/);
    assert.match(tagged(runs[0], "saddle"), new RegExp(`= ${Math.ceil(Math.log(1000) / Math.log(1.2))} steps to reach \\|y\\| = 1; measured: ${Math.ceil(Math.log(1000) / Math.log(1.2))}\\. Newton's first step lands on \\(0, 0\\)`));
  });

  it("agrees with tf.train.adagrad and tf.train.rmsprop on the bowl for every step", () => {
    const text = tagged(runs[0], "adaptive-tensorflow");
    assert.equal(tableRow(text, "the bowl f(x, y) | tf.train.adagrad")[3], "50 of 50");
    assert.equal(tableRow(text, "the bowl f(x, y) | tf.train.rmsprop")[3], "50 of 50");
    assert.ok(Number(tableRow(text, "the cubic fit | tf.train.rmsprop")[3].split(" ")[0]) >= 20);
  });

  it("folds the exercises' answers, computed for the run", () => {
    const answers = runs[0].filter((cell) => cell.metadata.tags?.includes("answer"));
    assert.equal(answers.length, 3);
    for (const cell of answers) assert.match(textOf(cell), /^<details>\n<summary>Show the answer<\/summary>\n\n/);
    const stated = numberIn(tagged(runs[0], "exercise-1"), /c = 0\.0001: (\d+) steps/, "exercise 1");
    assert.equal(stated, Number(tableRow(tagged(runs[0], "step-choice"), "the cubic fit | backtracking from")[2]));
    assert.match(textOf(answers[2]), /κ of the preconditioned problem is 1,.*in 1 step\b/);
  });
});
