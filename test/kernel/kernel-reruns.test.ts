/**
 * A student's long session: notebook 02 rerun from its parameters cell 20 times in one kernel
 * session, through nbconvert (nbclient waits for every cell's idle status, as JupyterLab does). With
 * tslab's unpatched messaging a rerun stalled by the third time; here none may, and every rerun must
 * deliver the same outputs as the first run: the same figures and the same kinds of output per cell.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { NOTEBOOKS_DIR } from "../../src/tools/jupyter";
import { findProblems, joinText, readNotebook, type Notebook } from "../../src/tools/notebooks";
import { noPythonModule } from "./drive";
import { cellsOf, executeWithReruns, figuresIn, withParameter, type RerunSession } from "../support/reruns";

const NAME = "02-fitting-a-cubic-to-sin.ipynb";
/** The learning rates of the stall that was reproduced (1e-6, 2.9e-6, 2e-6), then others, 20 in all. */
const RATES = [1e-6, 2.9e-6, 2e-6, 3e-6, 1.5e-6, 2.5e-6, 5e-7, 3.5e-6, 1e-6, 2.9e-6];
const RERUNS = [...RATES, ...RATES];
/** A stalled cell fails the test after this long instead of hanging it. */
const CELL_TIMEOUT_SECONDS = 120;

const skip = noPythonModule("nbclient");
const original = readNotebook(path.join(NOTEBOOKS_DIR, NAME));
const parametersCell = original.cells.find((cell) => cell.metadata.tags?.includes("parameters"));
assert.ok(parametersCell, "notebook 02 has a cell tagged parameters");
const parametersSource = joinText(parametersCell.source);

/** Per code cell: the kinds of its outputs, e.g. "stream:stdout display_data". */
function outputKinds(notebook: Notebook, rerun?: number): string[] {
  return cellsOf(notebook, rerun)
    .filter((cell) => cell.cell_type === "code")
    .map((cell) =>
      [
        ...new Set(
          (cell.outputs ?? []).map((output) => [output.output_type, output.name].filter(Boolean).join(":")),
        ),
      ]
        .sort()
        .join(" "),
    );
}

describe(`${NAME} rerun ${RERUNS.length} times from its parameters cell in one session`, { skip }, () => {
  let session: RerunSession;
  before(
    async () => {
      const sources = RERUNS.map((rate) => withParameter(parametersSource, "learningRate", rate));
      session = await executeWithReruns(NAME, original, sources, CELL_TIMEOUT_SECONDS);
    },
    { timeout: 3_600_000 },
  );
  after(() => session?.cleanup());

  it("never stalls and has no error output or stderr", () => {
    assert.deepEqual(findProblems(session.executed, NAME), []);
    const reruns = new Set(session.executed.cells.map((cell) => cell.metadata.rerun));
    assert.equal(reruns.size, RERUNS.length + 1, "the first run and every rerun are in the notebook");
  });

  it("delivers in every rerun the outputs of the first run, figures included", () => {
    const first = outputKinds(session.executed).slice(-outputKinds(session.executed, 1).length);
    const firstFigures = figuresIn(cellsOf(session.executed)).length;
    for (let rerun = 1; rerun <= RERUNS.length; rerun++) {
      assert.deepEqual(outputKinds(session.executed, rerun), first, `rerun ${rerun}: outputs per cell`);
      assert.equal(
        figuresIn(cellsOf(session.executed, rerun)).length,
        firstFigures,
        `rerun ${rerun}: figures`,
      );
    }
  });
});
