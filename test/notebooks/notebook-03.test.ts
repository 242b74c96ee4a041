/**
 * Notebook 03 through the project's kernel, then its parameters cell rerun across the parameters'
 * range (every cell after it too): the defaults, η = 1.5 with β = 0.9 (Nesterov past its limit) and
 * β = 0.5 (on it), every rule past its limit, a start at the minimum, another seed with SGD inside
 * its per-point limit, SGD diverging, the ends of the ranges and the caps. Every run must execute
 * clean; each value out of range must stop at the parameters cell naming the parameter; and the
 * verdicts the sentences state are checked against this file's own float64 computations (the
 * rules' loops, eigenvalues by Jacobi rotations, the SGD runs), not against src's analysis.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { seededUniform } from "../../src/descent/random";
import { randomCoefficients } from "../../src/problems/cubic-fit/polynomial";
import { shuffledIndices } from "../../src/problems/cubic-fit/minibatch";
import type { LessonThreeParameters as Parameters } from "../../src/lessons/lesson-three";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { joinText, readNotebook, type NotebookCell } from "../../src/tools/notebooks";
import { cubicHessian, jacobiEigenvalues } from "../support/independent";
import { assertPrintedClose } from "../support/close";
import {
  cellsOf,
  executeUpToParameters,
  executeWithReruns,
  figuresIn,
  firstFailure,
  problemsIn,
  tagged,
  type RerunSession,
} from "../support/reruns";

const NAME = "03-beyond-plain-gradient-descent.ipynb";
const original = readNotebook(path.join(NOTEBOOKS_DIR, NAME));
const parametersCell = original.cells.find((cell) => cell.metadata.tags?.includes("parameters"));
assert.ok(parametersCell, "notebook 03 has a cell tagged parameters");
const parametersSource = joinText(parametersCell.source);

const DEFAULTS: Parameters = {
  learningRate: 0.3,
  momentum: 0.9,
  adamLearningRate: 0.3,
  iterations: 40,
  x: 2,
  y: 2,
  accuracy: 1e-6,
  cubicIterations: 2000,
  seed: 0,
  batchSize: 1,
  epochs: 30,
  sgdLearningRate: 1e-6,
  decayEpochs: 1,
  frameworkIterations: 200,
};

function source(p: Parameters): string {
  let text = parametersSource;
  for (const [name, value] of Object.entries(p)) {
    text = text.replace(new RegExp(`const ${name} = [^;]+;`), `const ${name} = ${value};`);
    assert.ok(text.includes(`const ${name} = ${value};`), `the parameters cell sets ${name}`);
  }
  return text;
}

const VALID: Partial<Parameters>[] = [
  { learningRate: 1.5 },
  { learningRate: 1.5, momentum: 0.5 },
  { learningRate: 5, adamLearningRate: 10 },
  { x: -1, y: 0 },
  { seed: 7, batchSize: 20, sgdLearningRate: 4e-7, cubicIterations: 500, epochs: 5, decayEpochs: 10 },
  { sgdLearningRate: 1e-5, batchSize: 2000 },
  {
    iterations: 0,
    frameworkIterations: 0,
    cubicIterations: 1,
    epochs: 1,
    momentum: 0,
    accuracy: 1e-15,
    x: 1000,
    y: -1000,
  },
  { iterations: 10_000, cubicIterations: 20_000, epochs: 100, frameworkIterations: 1000, learningRate: 1000 },
];
const RUNS: Parameters[] = [DEFAULTS, ...VALID.map((change) => ({ ...DEFAULTS, ...change }))];
const RUNS_PER_SESSION = 5;

const INVALID: { change: Partial<Parameters>; message: RegExp }[] = [
  { change: { learningRate: 0 }, message: /^RangeError: learningRate must be a finite positive number, got 0$/m },
  { change: { adamLearningRate: 0 }, message: /^RangeError: adamLearningRate must be a finite positive number, got 0$/m },
  { change: { adamLearningRate: 1e6 }, message: /^RangeError: adamLearningRate must be a positive number up to 10, got 1000000$/m },
  { change: { momentum: 1 }, message: /^RangeError: momentum must be a number from 0 to 0\.99, got 1$/m },
  { change: { iterations: 1e6 }, message: /^RangeError: iterations must be a whole number from 0 to 10000, got 1000000$/m },
  { change: { x: 1e6 }, message: /^RangeError: x must be between −1000 and 1000, got 1000000$/m },
  { change: { accuracy: 0 }, message: /^RangeError: accuracy must be a number from 1e-15 up to \(not including\) 1, got 0$/m },
  { change: { cubicIterations: 20_001 }, message: /^RangeError: cubicIterations must be a whole number from 1 to 20000, got 20001$/m },
  { change: { seed: -1 }, message: /^RangeError: seed must be a whole number from 0 to 1000000000, got -1$/m },
  { change: { batchSize: 2001 }, message: /^RangeError: batchSize must be a whole number from 1 to 2000, got 2001$/m },
  { change: { epochs: 1e6 }, message: /^RangeError: epochs must be a whole number from 1 to 100, got 1000000$/m },
  { change: { sgdLearningRate: 0 }, message: /^RangeError: sgdLearningRate must be a finite positive number, got 0$/m },
  { change: { decayEpochs: 0 }, message: /^RangeError: decayEpochs must be a finite positive number, got 0$/m },
  { change: { frameworkIterations: 20_000 }, message: /^RangeError: frameworkIterations must be a whole number from 0 to 1000, got 20000$/m },
];

// ——— Independent float64 computations (no src analysis): the data, the rules' loops, eigenvalues. ———

const xs = Array.from({ length: 2000 }, (_, i) => (i === 1999 ? Math.PI : -Math.PI + (2 * Math.PI * i) / 1999));
const ys = xs.map(Math.sin);
const N = xs.length;
const hessian = cubicHessian(xs);
const eigenvalues = jacobiEigenvalues(hessian);
const [MU, , , L] = eigenvalues;
const KAPPA = L / MU;
/** Σφφᵀ, Σφy, Σy²: the loss Σ(φᵀc − y)² = cᵀGc − 2bᵀc + Σy² (for whole-loss comparisons only). */
const G = hessian.map((row) => row.map((v) => v / 2));
const B = [0, 1, 2, 3].map((k) => xs.reduce((s, x, i) => s + x ** k * ys[i], 0));
const YY = ys.reduce((s, y) => s + y * y, 0);
const loss = (c: readonly number[]) =>
  c.reduce((s, ci, j) => s + ci * c.reduce((t, ck, k) => t + G[j][k] * ck, 0), 0) -
  2 * c.reduce((s, ci, j) => s + ci * B[j], 0) +
  YY;
/** The least-squares optimum by solving G c = b (Gaussian elimination written here). */
const OPTIMUM = (() => {
  const a = G.map((row, i) => [...row, B[i]]);
  for (let col = 0; col < 4; col++) {
    let p = col;
    for (let r = col + 1; r < 4; r++) if (Math.abs(a[r][col]) > Math.abs(a[p][col])) p = r;
    [a[col], a[p]] = [a[p], a[col]];
    for (let r = col + 1; r < 4; r++) {
      const f = a[r][col] / a[col][col];
      for (let k = col; k <= 4; k++) a[r][k] -= f * a[col][k];
    }
  }
  const c = [0, 0, 0, 0];
  for (let r = 3; r >= 0; r--) c[r] = (a[r][4] - [0, 1, 2, 3].filter((k) => k > r).reduce((s, k) => s + a[r][k] * c[k], 0)) / a[r][r];
  return c;
})();
const OPTIMUM_LOSS = (() => {
  let s = 0;
  for (let i = 0; i < N; i++) s += (OPTIMUM[0] + OPTIMUM[1] * xs[i] + OPTIMUM[2] * xs[i] ** 2 + OPTIMUM[3] * xs[i] ** 3 - ys[i]) ** 2;
  return s;
})();
const gradient = (c: readonly number[]) =>
  [0, 1, 2, 3].map((j) => 2 * (c.reduce((s, ck, k) => s + G[j][k] * ck, 0) - B[j]));

/** Heavy ball on the cubic at critical damping: the loss above the optimum per step. */
function momentumGaps(start: readonly number[], steps: number): number[] {
  const eta = 4 / (Math.sqrt(L) + Math.sqrt(MU)) ** 2;
  const beta = ((Math.sqrt(KAPPA) - 1) / (Math.sqrt(KAPPA) + 1)) ** 2;
  let c = [...start];
  let v = [0, 0, 0, 0];
  const gaps = [loss(c) - loss(OPTIMUM)];
  for (let k = 0; k < steps; k++) {
    const g = gradient(c);
    v = v.map((vi, j) => beta * vi + g[j]);
    c = c.map((ci, j) => ci - eta * v[j]);
    gaps.push(loss(c) - loss(OPTIMUM));
  }
  return gaps;
}

/** The loss above the optimum after `steps` plain steps of η, iterated. */
function plainGap(start: readonly number[], eta: number, steps: number): number {
  let c = [...start];
  for (let k = 0; k < steps; k++) {
    const g = gradient(c);
    c = c.map((ci, j) => ci - eta * g[j]);
  }
  return loss(c) - loss(OPTIMUM);
}

/** Minibatch SGD as the kit's minibatchDescent orders it: batch k for step k, a new shuffle per epoch. */
function sgdLastEpochWorst(p: Parameters, rate: (step: number) => number): number | undefined {
  const uniform = seededUniform(p.seed);
  let order = shuffledIndices(N, uniform);
  let position = 0;
  const stepsPerEpoch = Math.ceil(N / p.batchSize);
  const steps = p.epochs * stepsPerEpoch;
  let c = randomCoefficients(3, p.seed);
  let worst = -Infinity;
  const startValue = loss(c);
  let best = startValue;
  for (let k = 0; k <= steps; k++) {
    const value = loss(c);
    if (k >= steps + 1 - stepsPerEpoch) worst = Math.max(worst, value - OPTIMUM_LOSS);
    // The kit's documented rule for SGD: a non-finite value, or growth past 10³ × its scale.
    best = Math.min(best, value);
    if (!Number.isFinite(value) || value - best > 1e3 * Math.max(startValue - best, Math.abs(best))) return undefined;
    if (k === steps) break;
    if (position >= N) {
      order = shuffledIndices(N, uniform);
      position = 0;
    }
    const end = Math.min(N, position + p.batchSize);
    const g = [0, 0, 0, 0];
    for (let b = position; b < end; b++) {
      const x = xs[order[b]];
      let prediction = 0;
      for (let j = 3; j >= 0; j--) prediction = prediction * x + c[j];
      const gradPrediction = 2 * (prediction - ys[order[b]]);
      let power = 1;
      for (let j = 0; j <= 3; j++) {
        g[j] += gradPrediction * power;
        power *= x;
      }
    }
    const scale = N / (end - position);
    position = end;
    const eta = rate(k);
    c = c.map((cj, j) => cj + -eta * (g[j] * scale));
  }
  return worst;
}

function numberIn(text: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(text);
  assert.ok(match, `${what}: ${pattern} in ${text.slice(0, 600)}`);
  return Number(match[1]);
}

const sessions: RerunSession[] = [];
let runs: NotebookCell[][];
let invalidRuns: NotebookCell[][];

before(
  async () => {
    runs = [];
    for (let first = 0; first < RUNS.length; first += RUNS_PER_SESSION) {
      const chunk = RUNS.slice(first, first + RUNS_PER_SESSION);
      const notebook = {
        ...original,
        cells: original.cells.map((cell) => (cell === parametersCell ? { ...cell, source: source(chunk[0]) } : cell)),
      };
      const session = await executeWithReruns(NAME, notebook, chunk.slice(1).map(source), 3600);
      sessions.push(session);
      runs.push(...chunk.map((_, i) => cellsOf(session.executed, i === 0 ? undefined : i)));
    }
    invalidRuns = [];
    for (const { change } of INVALID) {
      invalidRuns.push(await executeUpToParameters(NAME, original, source({ ...DEFAULTS, ...change })));
    }
  },
  { timeout: 4_000_000 },
);

after(() => sessions.forEach((session) => session.cleanup()));

const label = (p: Parameters) => JSON.stringify(Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== DEFAULTS[k as keyof Parameters])));

describe("notebook 03 across its parameters, through the kernel", () => {
  it("executes every cell of every run: no error, no stderr, no NaN, Infinity or null anywhere", () => {
    RUNS.forEach((p, i) => {
      assert.deepEqual(problemsIn(runs[i], label(p)), []);
      assert.ok(figuresIn(runs[i]).length >= 5, `${label(p)}: the figures are drawn`);
    });
  });

  it("stops each value out of range at the parameters cell, naming the parameter", () => {
    INVALID.forEach(({ change, message }, i) => {
      const failure = firstFailure(invalidRuns[i]);
      assert.ok(failure, `${JSON.stringify(change)} raised an error`);
      assert.ok(failure.cell.metadata.tags?.includes("parameters"), `${JSON.stringify(change)}: in the parameters cell`);
      assert.match(failure.text, message);
    });
  });

  it("writes each rule out and gets the kit's iterates bit for bit", () => {
    RUNS.forEach((p, i) => {
      for (const tag of ["momentum-loop", "nesterov-loop", "adam-loop", "newton-loop"]) {
        const text = tagged(runs[i], tag);
        const same = numberIn(text, /give the same (\d+) points, bit for bit/, `${label(p)} ${tag}`);
        assert.ok(same === p.iterations + 1 || /The kit stopped after/.test(text), `${label(p)} ${tag}: ${text}`);
      }
    });
  });

  it("states each rule's stable range and where η lies, agreeing with the runs", () => {
    RUNS.forEach((p, i) => {
      const text = tagged(runs[i], "stable-ranges");
      const limits = [
        ["plain", 2],
        ["heavy-ball momentum", 2 * (1 + p.momentum)],
        ["Nesterov", (2 * (1 + p.momentum)) / (1 + 2 * p.momentum)],
      ] as const;
      // f's modes: λ = 1 along x (error x + 1), λ = ½ along y (error y).
      const modes = [
        { lambda: 1, error: p.x + 1 },
        { lambda: 0.5, error: p.y },
      ];
      for (const [rule, limit] of limits) {
        const row = text.split("\n").find((line) => line.startsWith(`| ${rule} |`));
        assert.ok(row, `${label(p)}: a row for ${rule}`);
        const cells = row.split("|").map((c) => c.trim());
        assertPrintedClose(Number(cells[3]), limit, 4, `${label(p)} ${rule} limit`);
        const at = (m: { lambda: number }) => Math.abs(p.learningRate * m.lambda - limit) <= 1e-12 * limit;
        const past = (m: { lambda: number }) => !at(m) && p.learningRate * m.lambda > limit;
        const grows = modes.some((m) => past(m) && m.error !== 0);
        const where = grows
          ? "beyond: the error along"
          : modes.some((m) => at(m) && m.error !== 0)
            ? "at the limit"
            : modes.some((m) => (past(m) || at(m)) && m.error === 0)
              ? "beyond along"
              : "inside";
        assert.ok(cells[4].startsWith(where), `${label(p)} ${rule}: ${cells[4]}, expected ${where}`);
        if (grows) assert.match(cells[5], /^diverged at iteration|its error growing: not converging/);
        else assert.match(cells[5], /^ran all \d+ iterations$/);
      }
      const note = /Here Nesterov's step is past its limit while plain descent's is not/.test(text);
      assert.equal(note, p.learningRate > limits[2][1] && p.learningRate < 2, `${label(p)}: the note`);
    });
  });

  it("puts the cubic's condition number, momentum's transient and the stiff mode's κ/e² right", () => {
    RUNS.forEach((p, i) => {
      assertPrintedClose(
        numberIn(tagged(runs[i], "theory-table"), /\| cubic on \[−π, π\] \| [^|]+ \| [^|]+ \| ([\d.]+(?:e[+-]?\d+)?) \|/, "κ"),
        KAPPA,
        4,
        "κ",
      );
      const transient = tagged(runs[i], "momentum-transient");
      const start = randomCoefficients(3, p.seed);
      const gaps = momentumGaps(start, 60);
      const peak = gaps.indexOf(Math.max(...gaps));
      const line = transient.split("\n").find((l) => l.startsWith("cubic on [−π, π]"))!;
      assert.equal(numberIn(line, /peaks at step (\d+),/, "peak step"), peak, `${label(p)}: ${line}`);
      assertPrintedClose(numberIn(line, /peaks at step \d+, ([\d.]+(?:e[+-]?\d+)?) times/, "peak factor"), gaps[peak] / gaps[0], 4, `${label(p)} peak`);
      assertPrintedClose(numberIn(line, /κ\/e² = ([\d.]+(?:e[+-]?\d+)?)/, "κ/e²"), KAPPA / Math.E ** 2, 4, "κ/e²");
    });
  });

  it("says what 2/(μ + L) is best for, and when the article's 1e-6 ends lower", () => {
    RUNS.forEach((p, i) => {
      const text = tagged(runs[i], "best-settings");
      const start = randomCoefficients(3, p.seed);
      // The best η for the horizon, by a grid of 20 000 steps over (0, 2/L) refined tenfold.
      const gapAfter = (eta: number) => {
        let c = start.map((s, j) => s - OPTIMUM[j]);
        // closed form along Jacobi eigenvectors is src-like; iterate the error instead (linear map).
        for (let k = 0; k < p.cubicIterations; k++) {
          const hc = c.map((_, j) => c.reduce((s, ck, m) => s + hessian[j][m] * ck, 0));
          c = c.map((cj, j) => cj - eta * hc[j]);
        }
        return 0.5 * c.reduce((s, cj, j) => s + cj * c.reduce((t, cm, m) => t + hessian[j][m] * cm, 0), 0);
      };
      if (p.cubicIterations <= 2000) {
        const printed = numberIn(text, /the lowest loss, from the modes, is at η = (-?[\d.]+(?:e[+-]?\d+)?)/, "best η");
        // The printed η (4 digits) is no worse than its neighbours on a grid 0.1 % apart.
        for (const factor of [0.999, 1.001]) {
          assert.ok(gapAfter(printed) <= gapAfter(printed * factor) * (1 + 1e-6), `${label(p)}: η × ${factor} is better`);
        }
      }
      const articleLower =
        plainGap(start, 2 / (MU + L), p.cubicIterations) - plainGap(start, 1e-6, p.cubicIterations) > 1e-9 * OPTIMUM_LOSS;
      assert.equal(/Here even the article's η = 1e-6 ends lower/.test(text), articleLower, `${label(p)}: ${text}`);
      assertPrintedClose(numberIn(text, /1 − 1\/√κ = ([\d.]+)\)/, "1 − 1/√κ"), 1 - 1 / Math.sqrt(KAPPA), 7, "1 − 1/√κ");
      assert.match(
        text,
        p.cubicIterations >= 100
          ? /is beyond its limit 2\(1 \+ β\)\/\(1 \+ 2β\) = [\d.]+: diverged at iteration/
          : /is beyond its limit 2\(1 \+ β\)\/\(1 \+ 2β\) = [\d.]+: ran all \d+ iterations \(its stiff mode grows/,
      );
    });
  });

  it("explains batch-1 SGD by the per-point limit and compares the decay only between runs that did not diverge", () => {
    const pointNorm = xs.map((x) => 1 + x * x + x ** 4 + x ** 6);
    const limit = 1 / (N * Math.max(...pointNorm));
    RUNS.forEach((p, i) => {
      const text = tagged(runs[i], "sgd-decay");
      assertPrintedClose(numberIn(text, /stable below η = 1\/\(n · max ‖φ\(x\)‖²\) = (-?[\d.]+(?:e[+-]?\d+)?)/, "limit"), limit, 4, "limit");
      const share = pointNorm.filter((q) => 1 - 2 * N * p.sgdLearningRate * q < -1).length / N;
      if (share > 0) assertPrintedClose(numberIn(text, /For ([\d.]+) % of the points/, "share"), 100 * share, 3, "share");
      else assert.match(text, /No point's factor is below −1/);
      const constant = sgdLastEpochWorst(p, () => p.sgdLearningRate);
      const stable = sgdLastEpochWorst(p, () => Math.min(p.sgdLearningRate, 0.9 * limit));
      const tau = p.decayEpochs * Math.ceil(N / p.batchSize);
      const decayed = sgdLastEpochWorst(p, (k) => p.sgdLearningRate / (1 + k / tau));
      if (constant === undefined || stable === undefined || decayed === undefined) {
        assert.match(text, /A run diverged, so these runs are not compared/, label(p));
        assert.doesNotMatch(text, /-fold/);
        return;
      }
      if (decayed < constant) {
        assertPrintedClose(numberIn(text, /lowers the last epoch's worst loss ([\d.]+(?:e[+-]?\d+)?)-fold/, "decay gain"), constant / decayed, 3, `${label(p)} decay gain`);
        if (p.sgdLearningRate > limit && stable < constant) {
          assertPrintedClose(numberIn(text, /inside the per-point limit, lowers it ([\d.]+(?:e[+-]?\d+)?)-fold/, "limit gain"), constant / stable, 3, `${label(p)} limit gain`);
        }
      } else {
        assert.match(text, /does not lower the last epoch's worst loss/);
      }
    });
  });

  it("names Newton's limit on h a stationary point that is not a minimum, and the damped Newton's 20 steps", () => {
    let x = 0.3;
    for (let k = 0; k < 10; k++) x -= (4 * x ** 3 - 6 * x + 1) / (12 * x * x - 6);
    runs.forEach((cells) => {
      const text = tagged(cells, "newton-wrong-way");
      assert.match(text, /Newton: x = 0\.3 → 0\.15935 → .*converged at iteration \d+ .*a stationary point that is not a minimum: h'' = (-[\d.]+) < 0/);
      assertPrintedClose(numberIn(text, /h'' = (-[\d.]+) < 0/, "h''"), 12 * x * x - 6, 4, "h'' at the maximum");
      assert.match(text, /Plain descent \(η = 0\.05\): .*converged at iteration \d+ .*a minimum: h'' = [\d.]+ > 0/);
      assert.match(tagged(cells, "exercise-2"), /= 20 steps; measured: 20 steps/);
    });
  });

  it("answers exercise 1 in closed form and exercise 3 with Adam's measured moves and the scaled κ", () => {
    runs.forEach((cells) => {
      const one = tagged(cells, "exercise-1-answer");
      assert.ok(one.includes(`= ${Number((2.5 - Math.sqrt(6)).toPrecision(10))}, with rate`), one);
      assert.ok(one.includes(`= ${Number((Math.sqrt(1.5) - 1).toPrecision(10))} per step`));
      assert.match(one, /λ = 0\.5's roots turn complex first/);
      const three = tagged(cells, "exercise-3-answer");
      const d = hessian.map((row, j) => 1 / Math.sqrt(row[j]));
      const scaled = jacobiEigenvalues(hessian.map((row, j) => row.map((v, k) => v * d[j] * d[k])));
      assertPrintedClose(numberIn(three, /leaves κ = ([\d.]+) of the cubic's/, "scaled κ"), scaled[3] / scaled[0], 4, "scaled κ");
      assert.match(three, /= 3\.16η \(β₁ = 0\.9, β₂ = 0\.999\)/);
    });
  });

  it("carries the momentum explorer on the cubic, its iterations capped", () => {
    RUNS.forEach((p, i) => {
      const html = runs[i]
        .flatMap((cell) => (cell.outputs ?? []).map((output) => joinText(output.data?.["text/html"] as string[])))
        .join("\n");
      const live = /<script type="application\/json" data-gd-live="[^"]+"[^>]*>(.*?)<\/script>/s.exec(html);
      assert.ok(live, `${label(p)}: the live explorer`);
      const spec = JSON.parse(live[1]) as {
        problem: { kind: string };
        settings: { rule: string; iterations: number };
        controls: { setting: string }[];
      };
      assert.equal(spec.problem.kind, "sum-of-squares");
      assert.equal(spec.settings.rule, "momentum");
      assert.equal(spec.settings.iterations, Math.min(p.cubicIterations, 3000));
      assert.deepEqual(spec.controls.map((control) => control.setting), ["learningRate", "momentum", "iterations"]);
    });
  });
});
