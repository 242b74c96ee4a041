/**
 * Notebook 01 through the project's kernel, then its parameters cell rerun across the parameters'
 * range in the same kernel session (every cell after it too), as a student would: learning rates
 * from 1e-12 to far above the stability bound 2, iterations 0, 1 and the cap, several starts, and
 * values out of range. Every run must execute clean (no error, NaN, Infinity or null in a figure),
 * a value out of range must stop at the parameters cell with one sentence, and the numbers that the
 * produced sentences state must equal what this file computes on its own, in float64.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { joinText, readNotebook, type Notebook, type NotebookCell } from "../../src/tools/notebooks";
import {
  cellsOf,
  firstFailure,
  executeUpToParameters,
  executeWithReruns,
  problemsIn,
  tagged,
  textOf,
  type RerunSession,
} from "../support/reruns";

const NAME = "01-the-gradient-descent-algorithm.ipynb";
const original = readNotebook(path.join(NOTEBOOKS_DIR, NAME));
const parametersCell = original.cells.find((cell) => cell.metadata.tags?.includes("parameters"));
assert.ok(parametersCell, "notebook 01 has a cell tagged parameters");
const parametersSource = joinText(parametersCell.source);

interface Parameters {
  learningRate: number;
  iterations: number;
  x: number;
  y: number;
}
const DEFAULTS: Parameters = { learningRate: 0.1, iterations: 10, x: 2, y: 2 };

function source(p: Parameters): string {
  let text = parametersSource;
  for (const [name, value] of Object.entries(p)) {
    const changed = text.replace(new RegExp(`const ${name} = [^;]+;`), `const ${name} = ${value};`);
    assert.notEqual(changed.includes(`const ${name} = ${value};`), false, `the parameters cell sets ${name}`);
    text = changed;
  }
  return text;
}

/** The grid: each entry changes some defaults. The stability bound on x is η = 2. */
const VALID: Partial<Parameters>[] = [
  { learningRate: 1e-12 },
  { learningRate: 1.999 },
  { learningRate: 2.001 },
  { learningRate: 1000 },
  { iterations: 0 },
  { iterations: 1 },
  { iterations: 10_000 },
  { x: 1, y: 1 },
  { x: -1, y: 0 },
  // On the valley floor: x never moves, and η = 2 or 2.5 only act on y (factors 0 and −0.25).
  { x: -1, y: 2 },
  { x: -1, y: -2.2, learningRate: 2.5 },
  { x: -3, y: 2.5, learningRate: 0.5 },
  { x: 1000, y: -1000, learningRate: 1.9, iterations: 50 },
];
const INVALID: { change: Partial<Parameters>; message: RegExp }[] = [
  {
    change: { learningRate: 0 },
    message: /^RangeError: learningRate must be a finite positive number, got 0$/m,
  },
  {
    change: { iterations: 2.5 },
    message: /^RangeError: iterations must be a whole number from 0 to 10000, got 2\.5$/m,
  },
  { change: { x: 1e6 }, message: /^RangeError: x must be between −1000 and 1000, got 1000000$/m },
];
const RUNS: Parameters[] = VALID.map((change) => ({ ...DEFAULTS, ...change }));

// ——— Independent float64 computations (no src): the descent iterated step by step. ———

function descend(p: Parameters, eta = p.learningRate, steps = p.iterations): [number, number][] {
  let x = p.x;
  let y = p.y;
  const path: [number, number][] = [[x, y]];
  for (let k = 0; k < steps; k++) {
    x = x - eta * (x + 1);
    y = y - eta * (y / 2);
    path.push([x, y]);
  }
  return path;
}

/** The first η (on a 1e-4 grid up to 2.5) whose path leaves [−2.5, 2.5]²; below 2 a path leaves at step 0 or 1 or never. */
function leavesTheMapAt(p: Parameters): number | undefined {
  for (let i = 1; i <= 25_000; i++) {
    const eta = i * 1e-4;
    const steps = Math.min(p.iterations, 60);
    if (descend(p, eta, steps).some(([x, y]) => Math.abs(x) > 2.5 || Math.abs(y) > 2.5)) return eta;
  }
  return undefined;
}

/** Iterations of η = 0.1 until the gradient (x + 1, y/2) has length ≤ 1e-6, by iterating. */
function stepsToTolerance(p: Parameters): number {
  let x = p.x;
  let y = p.y;
  for (let k = 0; ; k++) {
    if (Math.hypot(x + 1, y / 2) <= 1e-6) return k;
    x = x - 0.1 * (x + 1);
    y = y - 0.1 * (y / 2);
  }
}

/** f − f_min = ½(x + 1)² + ¼y² along the path of η from p's start. */
function heights(p: Parameters, eta: number, steps: number): number[] {
  return descend(p, eta, steps).map(([x, y]) => 0.5 * (x + 1) ** 2 + 0.25 * y * y);
}

function risesIn(values: readonly number[]): number {
  return values.filter((value, k) => k > 0 && value > values[k - 1]).length;
}

/** The part of a sentence about $\eta = eta$ (sentences list several runs). */
function segmentFor(text: string, eta: number): string {
  const found = text.split(/(?=\$\\eta = )/).find((part) => part.startsWith(`$\\eta = ${eta}$`));
  assert.ok(found, `a clause about η = ${eta} in ${text.slice(0, 300)}`);
  return found;
}

/**
 * What a clause must say about η's path from p's start, decided here from this file's own float64
 * path: no step, on the minimum, landing on it exactly, bouncing at constant height, climbing
 * (on how many steps), or falling (to which height).
 */
function checkPathClause(clause: string, p: Parameters, eta: number, steps: number): void {
  const what = `${label(p)}, η = ${eta}: ${clause}`;
  const h = heights(p, eta, steps);
  const path = descend(p, eta, steps);
  if (steps === 0) return assert.match(clause, /takes no step/, what);
  const atMinimum = path.map(([x, y]) => x === -1 && y === 0);
  const exact = atMinimum.findIndex((on, k) => on && atMinimum.slice(k).every(Boolean));
  if (exact === 0) return assert.match(clause, /starts on the minimum and stays there/, what);
  if (exact === 1) return assert.match(clause, /lands exactly on the minimum in one step/, what);
  if (exact > 1) return assert.match(clause, new RegExp(`float64 rounds it onto \\$\\(-1, 0\\)\\$ at step ${exact}`), what);
  const bounces =
    steps >= 2 &&
    h[1] > 0 &&
    h.slice(1).every((value) => value === h[1]) &&
    path.slice(3).every(([x, y], k) => x === path[k + 1][0] && y === path[k + 1][1]) &&
    (path[steps][0] !== path[steps - 1][0] || path[steps][1] !== path[steps - 1][1]);
  if (bounces) return assert.match(clause, /bounces between \(\S+, \S+\) and \(\S+, \S+\) at a constant height/, what);
  const climbing = /climbs on (\d+) of its (\d+) steps/.exec(clause);
  if (risesIn(h) > 0) {
    // The kit may stop a climbing run early (its divergence rule): compare over the steps it ran.
    assert.ok(climbing, what);
    const ran = Number(climbing[2]);
    assert.ok(ran <= steps, what);
    assert.equal(Number(climbing[1]), risesIn(h.slice(0, ran + 1)), what);
    return;
  }
  assert.equal(climbing, null, what);
  const falls = /never rises: from (\S+) to (\S+) above the minimum/.exec(clause);
  assert.ok(falls, what);
  assert.ok(Math.abs(Number(falls[2]) - h[steps]) <= 1e-3 * h[steps], `${what}: final height ${h[steps]}`);
}

function numberIn(text: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(text);
  assert.ok(match, `${what}: ${pattern} in ${text.slice(0, 400)}`);
  return Number(match[1]);
}

function cellWithTag(cells: NotebookCell[], tag: string): NotebookCell {
  const found = cells.find((cell) => cell.metadata.tags?.includes(tag));
  assert.ok(found, `a cell tagged ${tag}`);
  return found;
}

let session: RerunSession;
let executed: Notebook;
/** runs[0] is the first pass (defaults), runs[i] rerun i with RUNS[i − 1]. */
let runs: NotebookCell[][];
/** One short session per value out of range. */
let invalidRuns: NotebookCell[][];

before(
  async () => {
    session = await executeWithReruns(NAME, original, RUNS.map(source), 1800);
    executed = session.executed;
    runs = [cellsOf(executed), ...RUNS.map((_, i) => cellsOf(executed, i + 1))];
    invalidRuns = [];
    for (const { change } of INVALID) {
      invalidRuns.push(await executeUpToParameters(NAME, original, source({ ...DEFAULTS, ...change })));
    }
  },
  { timeout: 2_000_000 },
);

after(() => session?.cleanup());

const valid = [DEFAULTS, ...VALID.map((change) => ({ ...DEFAULTS, ...change }))];
const label = (p: Parameters) => JSON.stringify(p);

describe("notebook 01 across its parameters, in one kernel session", () => {
  it("executes every cell of every valid run: no error, no stderr, no NaN, Infinity or null anywhere", () => {
    valid.forEach((p, run) => {
      assert.ok(runs[run].length > 10, `run ${label(p)} ran`);
      assert.deepEqual(problemsIn(runs[run], label(p)), []);
      for (const tag of ["descent-loop", "first-step-eta-1", "eta-2", "eta-2-5", "explorer"]) {
        assert.notEqual(
          tagged(runs[run], tag).trim(),
          "",
          `${label(p)}: the cell tagged ${tag} shows its result`,
        );
      }
    });
  });

  it("stops a value out of range at the parameters cell, with one sentence naming it", () => {
    INVALID.forEach(({ change, message }, i) => {
      const failure = firstFailure(invalidRuns[i]);
      assert.ok(failure, `${label({ ...DEFAULTS, ...change })} raised an error`);
      assert.ok(
        failure.cell.metadata.tags?.includes("parameters"),
        "the first error is in the parameters cell",
      );
      assert.match(failure.text, message);
    });
  });

  it("shows the loop written out, producing the kit's iterates bit for bit", () => {
    valid.forEach((p, run) => {
      const text = tagged(runs[run], "descent-loop");
      assert.match(
        text,
        new RegExp(`give the same ${p.iterations + 1} points, bit for bit|went on`),
        label(p),
      );
      assert.doesNotMatch(text, /differs/);
    });
  });

  it("states where the paths leave the drawn square as an independent scan finds it", () => {
    valid.forEach((p, run) => {
      const text = textOf(cellWithTag(runs[run], "explorer"));
      const expected = Math.abs(p.x) > 2.5 || Math.abs(p.y) > 2.5 ? 0 : leavesTheMapAt(p);
      if (expected === 0) assert.match(text, /is itself outside the drawn square/, label(p));
      else if (expected === undefined) assert.match(text, /no path on the slider leaves/, label(p));
      else {
        const stated = numberIn(text, /for \$\\eta\$ above (\S+)\.(?:\s|$)/, "threshold");
        assert.ok(Math.abs(stated - expected) <= 1e-4, `${label(p)}: stated ${stated}, scan ${expected}`);
      }
    });
    const defaults = textOf(cellWithTag(runs[0], "explorer"));
    assert.equal(
      numberIn(defaults, /for \$\\eta\$ above (\S+)\.(?:\s|$)/, "threshold"),
      1.5,
      "from (2, 2): 2 − 3η < −2.5",
    );
  });

  it("answers exercise 2 with the estimate from the slowest component and the run, both as computed here", () => {
    valid.forEach((p, run) => {
      const answer = runs[run].find(
        (cell) => cell.metadata.tags?.includes("answer") && textOf(cell).includes("slowest component"),
      );
      if (p.x === -1 && p.y === 0) return; // the start is the minimum: no component to speak of
      assert.ok(answer, label(p));
      const text = textOf(answer);
      assert.match(text, /^<details>\n<summary>Show the answer<\/summary>/, "folded");
      const steps = stepsToTolerance(p);
      assert.equal(numberIn(text, /converged at iteration (\d+)/, "the run"), steps, label(p));
      const slowest = p.y !== 0 ? Math.abs(p.y / 2) : Math.abs(p.x + 1);
      const factor = p.y !== 0 ? 0.95 : 0.9;
      const estimate = slowest <= 1e-6 ? 0 : Math.ceil(Math.log(1e-6 / slowest) / Math.log(factor));
      assert.equal(numberIn(text, /\\rceil = (\d+)\$/, "the estimate"), estimate, label(p));
    });
    // From (2, 2): y/2 = 0.95^k is the slowest, and it alone decides the step.
    const text = textOf(runs[0].find((cell) => textOf(cell).includes("slowest component"))!);
    assert.match(text, /= 270\$ steps/);
    assert.match(text, /converged at iteration 270/);
  });

  it("tells the η = 2 story with the start's own numbers, and f never rises", () => {
    valid.forEach((p, run) => {
      const text = tagged(runs[run], "eta-2");
      const path = descend(p, 2, 10);
      const f = path.map(([x, y]) => 0.5 * x * x + x + 0.25 * y * y - 2);
      assert.match(text, /^steps on which f rose: 0$/m, label(p));
      f.slice(1).forEach((value, k) => assert.ok(value <= f[k], `f never rises (${label(p)})`));
      if (p.x !== -1) {
        assert.equal(
          numberIn(text, /\$\|x \+ 1\|\$ stays at (\S+?),/, "amplitude"),
          Number(Math.abs(p.x + 1).toPrecision(4)),
        );
      }
    });
  });

  it("runs the 1-D warm-up on x²: each rate's last x is (1 − 2η)⁸ and its behaviour is named by the factor", () => {
    const text = tagged(runs[0], "warm-up");
    const words: Record<string, RegExp> = {
      "0.1": /creeps/,
      "0.5": /lands on 0 in one step/,
      "0.8": /oscillates/,
      "1.1": /diverges/,
    };
    for (const [eta, behaviour] of Object.entries(words)) {
      const row = text.split("\n").find((line) => line.startsWith(`| ${eta} |`));
      assert.ok(row, `a row for η = ${eta}`);
      const cells = row.split("|").map((cell) => cell.trim());
      assert.match(cells[3], behaviour, row);
      let u = 1;
      for (let k = 0; k < 8; k++) u = u - Number(eta) * 2 * u;
      assert.ok(Math.abs(Number(cells[4]) - u) <= 1e-5 * Math.max(1e-6, Math.abs(u)), `${row}: x₈ = ${u}`);
    }
  });

  it("names the minimum each start of h reaches, global or local, as this file's own descent finds it", () => {
    const text = tagged(runs[0], "warm-up-non-convex");
    const h = (u: number) => u ** 4 - 3 * u ** 2 + u;
    const ends = [0, 0.5].map((start) => {
      let u = start;
      for (let k = 0; k < 60; k++) u = u - 0.05 * (4 * u ** 3 - 6 * u + 1);
      return u;
    });
    const globalEnd = h(ends[0]) < h(ends[1]) ? 0 : 1;
    [0, 0.5].forEach((start, i) => {
      const clause = text.split(/(?=From \$x_0)/).find((part) => part.startsWith(`From $x_0 = ${start}$`));
      assert.ok(clause, `a sentence for x₀ = ${start}`);
      const settled = numberIn(clause, /settles at \$x = (\S+)\$/, "end");
      assert.ok(Math.abs(settled - ends[i]) < 1e-3, `${clause}: ${ends[i]}`);
      assert.match(clause, i === globalEnd ? /the \*\*global\*\* minimum/ : /the \*\*local\*\* minimum/);
    });
    assert.match(text, /different starts: different minima/);
  });

  it("describes the three experiments' paths and the compared rates' heights as this file's own paths do, from every start", () => {
    valid.forEach((p, run) => {
      const three = tagged(runs[run], "three-paths");
      for (const eta of [0.1, 1, 2]) checkPathClause(segmentFor(three, eta), p, eta, 10);
      const compared = tagged(runs[run], "heights");
      for (const eta of [0.1, 0.5, 1, 1.5, 2, 2.5]) checkPathClause(segmentFor(compared, eta), p, eta, p.iterations);
    });
  });

  it("tells η = 2.5 from each start by its factors, and counts the rises of f as this file does", () => {
    valid.forEach((p, run) => {
      const text = tagged(runs[run], "eta-2-5");
      const what = `${label(p)}: ${text.slice(0, 300)}`;
      assert.match(text, p.x === -1 ? /\$x\$ starts on the valley floor/ : /\$\|x \+ 1\|\$ grows/, what);
      assert.match(text, p.y === 0 ? /\$y\$ starts at 0/ : /\$\|y\|\$ shrinks/, what);
      const h = heights(p, 2.5, 10);
      const rose = /\$f\$ rose on (\d+) of the (\d+) steps/.exec(text);
      if (risesIn(h) === 0) assert.match(text, /\$f\$ never rose/, what);
      else {
        assert.ok(rose, what);
        assert.equal(Number(rose[1]), risesIn(h.slice(0, Number(rose[2]) + 1)), what);
      }
      // Off the valley floor f climbs and the kit stops the run; on it, y's factor −0.25 converges.
      if (p.x === -1) assert.doesNotMatch(text, /diverged/, what);
      else assert.match(text, /The kit's verdict: diverged/, what);
    });
  });

  it("compares its loop with η = 1 exactly after one step: x = −1, y halved", () => {
    valid.forEach((p, run) => {
      const text = tagged(runs[run], "first-step-eta-1");
      assert.match(text, /^x after one step = -1$/m, label(p));
      assert.match(text, new RegExp(`^y after one step = ${p.y / 2}$`, "m"), label(p));
    });
  });

  it("folds every answer and marks it in the metadata", () => {
    const answers = original.cells.filter((cell) => cell.metadata.tags?.includes("answer"));
    assert.ok(answers.length >= 4, "an answer per exercise");
    for (const cell of answers) {
      const folded =
        cell.cell_type === "markdown" ? joinText(cell.source) : textOf(runs[0][original.cells.indexOf(cell)]);
      assert.match(folded, /^<details>\n<summary>Show the answer<\/summary>\n\n/);
    }
  });
});
