/**
 * The sentences the notebooks produce (src/lessons), against values derived here by hand or by an
 * independent computation, and the student edition (src/tools/student-edition.ts).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import {
  checkLessonOneParameters,
  etaTwoStory,
  leavesTheMapThreshold,
  sameIteratesSentence,
  toleranceSteps,
} from "../../src/lessons/lesson-one";
import {
  checkLessonTwoParameters,
  measuredGapFactor,
  progressEvery,
  sineTaylorCoefficient,
  slowestFactor,
} from "../../src/lessons/lesson-two";
import { descendArticleFunction } from "../../src/problems/bowl/bowl";
import { foldedAnswer } from "../../src/lessons/answers";
import { stabilityOf } from "../../src/analysis/hessian";
import {
  divergenceStory,
  nonConvexWarmUpStory,
  pathInWords,
  warmUpTable,
} from "../../src/lessons/lesson-one";
import { gapRateSentence, sameRate } from "../../src/lessons/lesson-two";
import { formatPolynomial } from "../../src/problems/cubic-fit/polynomial";
import { oneVariablePathsFigure } from "../../src/figures/bowl-figures";
import { coveringGrid, surfaceWithPathFigure } from "../../src/figures/surface";
import { CONVEX_EXAMPLE } from "../../src/problems/bowl/closed-form";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { readNotebook } from "../../src/tools/notebooks";
import { isAnswerCell, isTeacherCell, studentEdition } from "../../src/tools/student-edition";

describe("notebook 01's sentences", () => {
  it("finds where the first step leaves the drawn square: x₁ = x₀ − η(x₀ + 1) < −2.5", () => {
    // From (2, 2): 2 − 3η < −2.5 ⇔ η > 1.5; from (1, 1): 1 − 2η < −2.5 ⇔ η > 1.75.
    assert.ok(Math.abs(leavesTheMapThreshold({ x: 2, y: 2 }, 10)!.learningRate - 1.5) < 1e-12);
    assert.equal(leavesTheMapThreshold({ x: 2, y: 2 }, 10)!.step, 1);
    assert.ok(Math.abs(leavesTheMapThreshold({ x: 1, y: 1 }, 10)!.learningRate - 1.75) < 1e-12);
    // From (−1.5, 2.4) the kit's divergence rule stops runs above 2 before they leave: the drawn
    // path first leaves near η = 2.3161, at step 4 (an independent numpy rerun with the 3-rises rule).
    const stopped = leavesTheMapThreshold({ x: -1.5, y: 2.4 }, 10)!;
    assert.ok(Math.abs(stopped.learningRate - 2.3161) < 1e-3, String(stopped.learningRate));
    assert.equal(stopped.step, 4);
    assert.equal(leavesTheMapThreshold({ x: -1, y: 0 }, 10), undefined, "the minimum never moves");
    assert.equal(leavesTheMapThreshold({ x: 2, y: 2 }, 0), undefined, "no step, no leaving");
    assert.deepEqual(leavesTheMapThreshold({ x: 3, y: 0 }, 10), { learningRate: 0, step: 0 });
  });

  it("estimates the iterations to a gradient below 1e-6 from the slowest component, as the run finds them", () => {
    const trajectory = descendArticleFunction({
      learningRate: 0.1,
      iterations: 1000,
      x: 2,
      y: 2,
      tolerance: 1e-6,
    });
    const report = toleranceSteps({
      learningRate: 0.1,
      start: { x: 2, y: 2 },
      tolerance: 1e-6,
      trajectory,
      limit: 1000,
    });
    // y/2 = 0.95^k from 1: ln(1e-6)/ln(0.95) = 269.3…, so 270.
    assert.equal(report.estimate, 270);
    assert.equal(report.exact, 270);
    assert.deepEqual(trajectory.stop, { kind: "converged", iteration: 270 });
  });

  it("tells η = 2 from (2, 2): |x + 1| stays 3, the height goes 5.5 → 4.5", () => {
    const text = etaTwoStory({ x: 2, y: 2 });
    assert.match(text, /stays at 3, so \$x\$ jumps between 2 and -4/);
    assert.match(text, /from 5\.5 at the start to 4\.5 after the first step/);
  });

  it("names what the factor 1 − 2η does on x², and flags a loop that does not follow it", () => {
    const path = (eta: number) => Array.from({ length: 4 }, (_, k) => (1 - 2 * eta) ** k);
    const table = warmUpTable([0.1, 0.5, 0.8, 1, 1.1].map((eta) => ({ learningRate: eta, path: path(eta) })));
    assert.match(table, /\| 0\.1 \| 0\.8 \| creeps/);
    assert.match(table, /\| 0\.5 \| 0 \| lands on 0 in one step/);
    assert.match(table, /\| 0\.8 \| -0\.6 \| oscillates/);
    assert.match(table, /\| 1 \| -1 \| bounces between x₀ and −x₀/);
    assert.match(table, /\| 1\.1 \| -1\.2 \| diverges/);
    assert.match(warmUpTable([{ learningRate: 0.1, path: [1, 0.5] }]), /not the factor's path/);
  });

  it("names the minimum each start of h settles in, and one that has not settled", () => {
    const run = (start: number, steps: number) => {
      const path = [start];
      for (let k = 0; k < steps; k++) path.push(path[k] - 0.05 * (4 * path[k] ** 3 - 6 * path[k] + 1));
      return { learningRate: 0.05, path };
    };
    const text = nonConvexWarmUpStory([run(0, 60), run(0.5, 60)]);
    assert.match(text, /From \$x_0 = 0\$.*settles at \$x = -1\.301\$.*the \*\*global\*\* minimum/);
    assert.match(text, /From \$x_0 = 0\.5\$.*settles at \$x = 1\.131\$.*the \*\*local\*\* minimum/);
    assert.match(text, /different minima/);
    assert.match(nonConvexWarmUpStory([run(0, 2)]), /not settled yet/);
  });

  it("describes a path from its points: on the valley floor η = 2 lands in one step and η = 2.5 converges", () => {
    const from = (learningRate: number, x: number, y: number) =>
      descendArticleFunction({ learningRate, iterations: 10, x, y });
    assert.match(
      pathInWords(from(2, 2, 2)),
      /bounces between \(-4, 0\) and \(2, 0\) at a constant height 4\.5/,
    );
    // On the valley floor at η = 4, y's factor is −1: y bounces between −2 and 2 (not "never rises").
    assert.match(
      pathInWords(from(4, -1, 2)),
      /bounces between \(-1, -2\) and \(-1, 2\) at a constant height 1 /,
    );
    assert.match(pathInWords(from(2, -1, 2)), /lands exactly on the minimum in one step/);
    assert.match(pathInWords(from(1, 5, 0)), /lands exactly on the minimum in one step/);
    assert.match(
      pathInWords(from(2.5, -1, 2)),
      /never rises: from 1 to .* by a factor of 0\.0625 on its last step/,
    );
    assert.match(pathInWords(from(2.5, 2, 2)), /climbs on 3 of its 3 steps until the kit stops it/);
    assert.match(pathInWords(from(0.5, -1, 0)), /starts on the minimum and stays there/);
    const floor = divergenceStory(from(2.5, -1, 2), { x: -1, y: 2 });
    assert.match(floor, /\$x\$ starts on the valley floor/);
    assert.match(floor, /\$\|y\|\$ shrinks: it is multiplied by \$\|-0\.25\|\$/);
    assert.match(floor, /\$f\$ never rose/);
    assert.doesNotMatch(floor, /diverged/);
    assert.match(
      divergenceStory(from(2.5, 2, 2), { x: 2, y: 2 }),
      /\$f\$ rose on 3 of the 3 steps\. The kit's verdict: diverged/,
    );
  });

  it("says when an edited loop differs from the kit's", () => {
    const kit = descendArticleFunction({ learningRate: 0.1, iterations: 2, x: 2, y: 2 });
    assert.match(sameIteratesSentence(kit.points, kit), /bit for bit/);
    assert.match(
      sameIteratesSentence(
        [
          [2, 2],
          [1, 1],
          [0, 0],
        ],
        kit,
      ),
      /differs/,
    );
  });

  it("checks the parameters with one sentence naming the value, and refuses a learning rate of 0", () => {
    assert.throws(
      () => checkLessonOneParameters({ learningRate: 0, iterations: 10, x: 2, y: 2 }),
      /^RangeError: learningRate must be a finite positive number, got 0$/,
    );
    assert.throws(
      () => checkLessonOneParameters({ learningRate: 0.1, iterations: 10_001, x: 2, y: 2 }),
      /iterations/,
    );
    assert.doesNotThrow(() =>
      checkLessonOneParameters({ learningRate: 1e-12, iterations: 10_000, x: -1000, y: 1000 }),
    );
    assert.throws(
      () => checkLessonTwoParameters({ learningRate: 1e-6, iterations: 2000, seed: 0, degree: 13 }),
      /degree must be a whole number from 0 to 12, got 13/,
    );
  });
});

describe("notebook 02's sentences", () => {
  it("measures the gap's factor per step on a geometric sequence", () => {
    const values = Array.from({ length: 401 }, (_, k) => 8 + 5 * 0.99 ** k);
    assert.ok(Math.abs(measuredGapFactor(values, 8)!.factor - 0.99) < 1e-12);
    assert.equal(measuredGapFactor([8, 8, 8], 8), undefined);
  });

  it("takes the slowest factor as max |1 − ηλ|", () => {
    const stability = stabilityOf([
      [2, 0],
      [0, 10],
    ]);
    assert.equal(slowestFactor(stability, 0.1), 0.8);
    assert.equal(slowestFactor(stability, 0.19), Math.abs(1 - 0.19 * 10));
  });

  it("calls a measured factor ρ² only when it is, within 5 % of its logarithm", () => {
    const stability = stabilityOf([
      [2, 0],
      [0, 10],
    ]);
    // η = 0.1: factors 0.8 and 0 → ρ² = 0.64. The gaps below shrink by 0.64, 0.5 and 0.9 per step.
    const trajectory = (factor: number) => ({
      learningRate: 0.1,
      rule: "plain",
      points: [],
      values: Array.from({ length: 21 }, (_, k) => 1 + factor ** k),
      gradientNorms: [],
      stop: { kind: "iterations", iteration: 20 },
    });
    assert.match(
      gapRateSentence(trajectory(0.64) as never, 1, stability),
      /which is \$\\rho\^2\$, not \$\\rho\$/,
    );
    assert.match(
      gapRateSentence(trajectory(0.5) as never, 1, stability),
      /faster than \$\\rho\^2\$, so neither/,
    );
    assert.doesNotMatch(gapRateSentence(trajectory(0.9) as never, 1, stability), /which is \$\\rho\^2\$/);
    assert.match(
      gapRateSentence({ ...trajectory(0.64), learningRate: 0.3 } as never, 1, stability),
      /is not below 1/,
    );
    assert.ok(sameRate(0.641, 0.64) && !sameRate(0.5, 0.64));
  });

  it("knows the Taylor coefficients of sin and prints at most 20 progress lines", () => {
    assert.equal(sineTaylorCoefficient(1), 1);
    assert.equal(sineTaylorCoefficient(3), -1 / 6);
    assert.equal(sineTaylorCoefficient(5), 1 / 120);
    assert.equal(sineTaylorCoefficient(4), 0);
    assert.equal(progressEvery(2000), 100);
    assert.equal(progressEvery(20_000), 1000);
    assert.ok(20_000 / progressEvery(20_000) <= 20);
  });
});

describe("figures of notebooks 01 and 02", () => {
  it("widens the surface to hold the η = 2 path, names paths and marks points", () => {
    const bouncing = descendArticleFunction({ learningRate: 2, iterations: 4, x: 2, y: 2 });
    const grid = coveringGrid([bouncing]);
    assert.ok(grid.from! <= -4 && grid.to! >= 2.5, JSON.stringify(grid));
    const figure = surfaceWithPathFigure({
      trajectories: [bouncing],
      coverPaths: true,
      names: ["from (2, 2)"],
      marks: [{ x: -1, y: 0, name: "minimum" }],
    });
    const surface = figure.data[0] as { x: number[] };
    assert.ok(surface.x[0] <= -4, "the surface reaches x = −4");
    assert.equal((figure.data[1] as { name: string }).name, "from (2, 2)");
    assert.equal((figure.data[figure.data.length - 1] as { name: string }).name, "minimum");
  });

  it("draws one-variable paths on the curve, widened to hold them", () => {
    const figure = oneVariablePathsFigure({
      example: CONVEX_EXAMPLE,
      paths: [{ name: "η = 1.1", path: [1, -1.2, 1.44, -1.728, 2.0736, -2.48832] }],
    });
    const curve = figure.data[0] as { x: number[] };
    assert.ok(curve.x[0] <= -2.48832 && curve.x[curve.x.length - 1] >= 2.0736);
    const path = figure.data[figure.data.length - 1] as { y: number[] };
    assert.deepEqual(path.y.slice(0, 2), [1, (-1.2) ** 2]);
  });

  it("prints polynomials without '+ -'", () => {
    assert.equal(formatPolynomial([0.5, -0.25], 2), "y = 0.50 - 0.25 x");
  });
});

describe("answers folded, and the student edition", () => {
  it("folds an answer under Show the answer, markdown inside", () => {
    assert.equal(
      foldedAnswer(" **x** "),
      "<details>\n<summary>Show the answer</summary>\n\n**x**\n\n</details>",
    );
  });

  for (const name of ["01-the-gradient-descent-algorithm.ipynb", "02-fitting-a-cubic-to-sin.ipynb"]) {
    it(`drops ${name}'s answer cells, recognised by their metadata, and keeps the exercises' code`, () => {
      const notebook = readNotebook(path.join(NOTEBOOKS_DIR, name));
      const answers = notebook.cells.filter(isAnswerCell);
      assert.ok(answers.length >= 4);
      const teacher = notebook.cells.filter(isTeacherCell);
      assert.ok(teacher.length >= 1, "the teacher-only text is tagged");
      const student = studentEdition(notebook);
      // Every answer and teacher cell gone, one note added under the title.
      assert.equal(student.cells.length, notebook.cells.length - answers.length - teacher.length + 1);
      assert.equal(student.cells.filter(isAnswerCell).length, 0);
      assert.equal(student.cells.filter(isTeacherCell).length, 0);
      assert.match(String(student.cells[1].source), /^\*\*Student edition\.\*\* This copy has no answers/);
      const text = student.cells
        .map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source))
        .join("\n");
      assert.doesNotMatch(text, /Show the answer|What to point out|For the teacher/, "no teacher text left");
      assert.ok(
        student.cells.some(
          (cell) =>
            cell.cell_type === "code" &&
            /Exercise|kit\.fitPolynomial|descendArticleFunction/.test(String(cell.source)),
        ),
      );
      // No cell outside the answers folds anything, and every answer cell does (markdown) or calls foldedAnswer (code).
      for (const cell of notebook.cells) {
        const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
        if (isAnswerCell(cell))
          assert.ok(text.includes("<details>") || text.includes("foldedAnswer("), text.slice(0, 80));
        else assert.ok(!text.includes("<details>") && !text.includes("foldedAnswer("), text.slice(0, 80));
      }
    });
  }
});
