/**
 * The first article's program: gradient descent on f(x, y) = ½x² + x + ¼y² − 2 from a start point,
 * printing the positions, and drawing the path over the 3-D surface.
 *
 *   npm run descent -- --learning-rate 0.1 --iterations 10 --x 2 --y 2 --out descent.html
 */
import { openInWindow } from "../display/show";
import { writeFigureHtml } from "../display/html";
import { surfaceWithPathFigure } from "../figures/surface";
import { KitRangeError, KitTypeError, MAX_ITERATIONS } from "../descent/validate";
import { STEP_METHODS, makeStepRule, requireStepMethod, type StepRuleOptions } from "../descent/step-rules";
import { gradientDescent } from "../descent/loop";
import { ARTICLE_HESSIAN, evaluateArticleFunction } from "../problems/bowl/bowl";
import { positionsText } from "../problems/bowl/positions";
import {
  UsageError,
  hasDisplay,
  integerOption,
  numberOption,
  outputFile,
  parseOptions,
  runProgram,
  writeOutput,
} from "./program";

/** The notebook's defaults (notebooks/01-…, its parameters cell). */
export const DEFAULTS = { learningRate: 0.1, iterations: 10, x: 2, y: 2 } as const;

/** Longer tables show their first and last rows only (--all prints every one). */
export const TABLE_HEAD_ROWS = 21;
export const TABLE_TAIL_ROWS = 10;

const USAGE = `Gradient descent on f(x, y) = ½x² + x + ¼y² − 2 (the first article's program).

Usage: npm run descent -- [options]

  -l, --learning-rate <η>   step size, a positive number                (default ${DEFAULTS.learningRate})
  -i, --iterations <n>      number of steps, a whole number 0 … ${MAX_ITERATIONS}  (default ${DEFAULTS.iterations})
  -x, --x <x>               start x                                     (default ${DEFAULTS.x})
  -y, --y <y>               start y                                     (default ${DEFAULTS.y})
  -m, --method <rule>       ${STEP_METHODS.join(" | ")}           (default plain)
      --momentum <β>        momentum and nesterov: 0 ≤ β < 1            (default 0.9)
      --beta1 <β₁>          adam: 0 ≤ β₁ < 1                            (default 0.9)
      --beta2 <β₂>          adam: 0 ≤ β₂ < 1                            (default 0.999)
      --epsilon <ε>         adam, rmsprop: a positive number            (adam 1e-8, rmsprop 1e-7)
      --initial-accumulator <G₀>  adagrad: a number ≥ 0                 (default 0.1)
      --decay <ρ>           rmsprop: 0 ≤ ρ < 1                          (default 0.9)
  -o, --out <file.html>     write the 3-D surface with the path to an offline HTML file
  -s, --show                open the figure in nodeplotlib's browser window (needs a display and internet)
  -a, --all                 print every position (by default a long table shows its first
                            ${TABLE_HEAD_ROWS} and last ${TABLE_TAIL_ROWS} rows)
  -h, --help                print this help

Numbers are plain decimals (2, -0.5, 1e-3). A negative value needs "=": --x=-2 (or -x-2).
For newton the learning rate is the fraction of the Newton step (default 1: the minimum in one step).
The start (2, 2) is this kit's choice; the article states none, and its author's program defaults to (1, 1).

Example: npm run descent -- --learning-rate 2 --iterations 10 --x 2 --y 2 --out eta-2.html`;

const OPTIONS = {
  "learning-rate": { type: "string", short: "l" },
  iterations: { type: "string", short: "i" },
  x: { type: "string", short: "x" },
  y: { type: "string", short: "y" },
  method: { type: "string", short: "m" },
  momentum: { type: "string" },
  beta1: { type: "string" },
  beta2: { type: "string" },
  epsilon: { type: "string" },
  "initial-accumulator": { type: "string" },
  decay: { type: "string" },
  out: { type: "string", short: "o" },
  show: { type: "boolean", short: "s" },
  all: { type: "boolean", short: "a" },
  help: { type: "boolean", short: "h" },
} as const;

/** The command line's name of each step rule option, for the registry's errors. */
const OPTION_NAMES: Record<keyof StepRuleOptions, string> = {
  method: "--method",
  learningRate: "--learning-rate",
  momentum: "--momentum",
  beta1: "--beta1",
  beta2: "--beta2",
  epsilon: "--epsilon",
  initialAccumulator: "--initial-accumulator",
  decay: "--decay",
  hessian: "the Hessian",
};

/** The kit's one-line errors (a start where f overflows, a setting out of range) as usage errors. */
function asUsageError<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof KitRangeError || error instanceof KitTypeError) throw new UsageError(error.message);
    throw error;
  }
}

export function main(argv: string[]): number {
  const { values: options } = parseOptions(argv, OPTIONS);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const method = asUsageError(() => requireStepMethod("--method", options.method ?? "plain"));
  const learningRate =
    options["learning-rate"] === undefined
      ? undefined
      : numberOption("learning-rate", options["learning-rate"]);
  const iterations = integerOption(
    "iterations",
    options.iterations ?? String(DEFAULTS.iterations),
    0,
    MAX_ITERATIONS,
  );
  const x = numberOption("x", options.x ?? String(DEFAULTS.x));
  const y = numberOption("y", options.y ?? String(DEFAULTS.y));
  const optional = (
    name: "momentum" | "beta1" | "beta2" | "epsilon" | "initial-accumulator" | "decay",
  ): number | undefined => {
    const text = options[name];
    return text === undefined ? undefined : numberOption(name, text);
  };
  const rule = asUsageError(() =>
    makeStepRule(
      {
        method,
        learningRate: learningRate ?? (method === "newton" ? undefined : DEFAULTS.learningRate),
        momentum: optional("momentum"),
        beta1: optional("beta1"),
        beta2: optional("beta2"),
        epsilon: optional("epsilon"),
        initialAccumulator: optional("initial-accumulator"),
        decay: optional("decay"),
        hessian: method === "newton" ? () => ARTICLE_HESSIAN : undefined,
      },
      (option) => OPTION_NAMES[option],
    ),
  );
  // Checked before the descent runs, so a mistake costs nothing.
  const out = options.out === undefined ? undefined : outputFile("out", options.out, ".html");
  if (options.show && !hasDisplay()) {
    throw new UsageError(
      "--show needs a display to open a browser window, and there is none here (DISPLAY is not set); " +
        "write the figure to a file instead: --out figure.html",
    );
  }
  // src's own checks (a start where f overflows, …) name the parameter and the value too.
  const trajectory = asUsageError(() =>
    gradientDescent({ start: [x, y], evaluate: evaluateArticleFunction, rule, iterations }),
  );
  if (trajectory.rule !== "plain") console.log(`method: ${trajectory.rule}`);
  console.log(
    positionsText(
      trajectory,
      options.all
        ? { maxRows: Infinity }
        : { maxRows: TABLE_HEAD_ROWS + TABLE_TAIL_ROWS, head: TABLE_HEAD_ROWS, gapNote: "--all prints them" },
    ),
  );
  if (out === undefined && !options.show) return 0;
  const figure = surfaceWithPathFigure({ trajectories: [trajectory] });
  if (out !== undefined) {
    const title = `Gradient descent, learning rate ${trajectory.learningRate}`;
    const file = writeOutput("out", () => writeFigureHtml(out, figure, { title }));
    console.log(`figure written to ${file}`);
  }
  if (options.show) openInWindow(figure);
  return 0;
}

if (require.main === module) runProgram("descent", main);
