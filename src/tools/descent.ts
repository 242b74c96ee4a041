/**
 * The first article's program: gradient descent on f(x, y) = ½x² + x + ¼y² − 2 from a start point,
 * printing every position, and drawing the path over the 3-D surface.
 *
 *   npm run descent -- --learning-rate 0.1 --iterations 10 --x 2 --y 2 --out descent.html
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { openInWindow, writeFigureHtml } from "../display";
import { surfaceWithPathFigure } from "../figures";
import {
  ARTICLE_HESSIAN,
  STEP_METHODS,
  evaluateArticleFunction,
  gradientDescent,
  makeStepRule,
  positionsText,
  requireFinite,
  type StepMethod,
} from "../numerics";

/** The notebook's defaults (notebooks/01-…, its parameters cell). */
export const DEFAULTS = { learningRate: 0.1, iterations: 10, x: 2, y: 2 } as const;

const USAGE = `Gradient descent on f(x, y) = ½x² + x + ¼y² − 2 (the first article's program).

Usage: npm run descent -- [options]

  -l, --learning-rate <η>   step size, a positive number         (default ${DEFAULTS.learningRate})
  -i, --iterations <n>      number of steps, a whole number ≥ 0  (default ${DEFAULTS.iterations})
  -x, --x <x>               start x                              (default ${DEFAULTS.x})
  -y, --y <y>               start y                              (default ${DEFAULTS.y})
  -m, --method <rule>       ${STEP_METHODS.join(" | ")}    (default plain)
      --momentum <β>        momentum and nesterov: 0 ≤ β < 1     (default 0.9)
      --beta1 <β₁>          adam: 0 ≤ β₁ < 1                     (default 0.9)
      --beta2 <β₂>          adam: 0 ≤ β₂ < 1                     (default 0.999)
      --epsilon <ε>         adam: a positive number              (default 1e-8)
  -o, --out <file.html>     write the 3-D surface with the path to an offline HTML file
  -s, --show                open the figure in nodeplotlib's browser window (needs internet)
  -h, --help                print this help

A negative value needs "=": --x=-2 (or -x-2). For newton the learning rate is the fraction of the
Newton step (default 1: the minimum in one step).

Example: npm run descent -- --learning-rate 2 --iterations 10 --x 2 --y 2 --out eta-2.html`;

/** A command-line mistake: reported as one line and exit code 2. */
class UsageError extends Error {}

function numberOption(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(`--${option} must be a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The step rules' own errors name their parameters (momentum, beta1, …): name the options instead. */
function withOptionNames<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new UsageError(
        error.message
          .replace(/^(learningRate|momentum|beta1|beta2|epsilon)\b/, (name) =>
            name === "learningRate" ? "--learning-rate" : `--${name}`,
          )
          .replace(/^(momentum|beta1|beta2|epsilon) applies/, "--$1 applies"),
      );
    }
    throw error;
  }
}

export function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        "learning-rate": { type: "string", short: "l" },
        iterations: { type: "string", short: "i" },
        x: { type: "string", short: "x" },
        y: { type: "string", short: "y" },
        method: { type: "string", short: "m" },
        momentum: { type: "string" },
        beta1: { type: "string" },
        beta2: { type: "string" },
        epsilon: { type: "string" },
        out: { type: "string", short: "o" },
        show: { type: "boolean", short: "s" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    // parseArgs names the unknown option or the missing value; one line, with its hint.
    console.error(`descent: ${(error as Error).message.replace(/\s+/g, " ")} (try --help)`);
    return 2;
  }
  const options = parsed.values;
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  let trajectory;
  try {
    const method = (options.method ?? "plain") as StepMethod;
    if (!STEP_METHODS.includes(method)) {
      throw new UsageError(
        `--method must be one of ${STEP_METHODS.join(", ")}, got ${JSON.stringify(options.method)}`,
      );
    }
    const learningRate = numberOption(
      "learning-rate",
      options["learning-rate"],
      method === "newton" ? 1 : DEFAULTS.learningRate,
    );
    const iterations = numberOption("iterations", options.iterations, DEFAULTS.iterations);
    if (!(learningRate > 0)) {
      throw new UsageError(`--learning-rate must be a positive number, got ${learningRate}`);
    }
    if (!Number.isSafeInteger(iterations) || iterations < 0) {
      throw new UsageError(`--iterations must be a whole number ≥ 0, got ${iterations}`);
    }
    if (options.out !== undefined && !options.out.endsWith(".html")) {
      throw new UsageError(`--out must name an .html file, got ${JSON.stringify(options.out)}`);
    }
    const optional = (name: "momentum" | "beta1" | "beta2" | "epsilon"): number | undefined =>
      options[name] === undefined ? undefined : numberOption(name, options[name], NaN);
    const rule = withOptionNames(() =>
      makeStepRule({
        method,
        learningRate,
        momentum: optional("momentum"),
        beta1: optional("beta1"),
        beta2: optional("beta2"),
        epsilon: optional("epsilon"),
        hessian: method === "newton" ? () => ARTICLE_HESSIAN : undefined,
      }),
    );
    trajectory = gradientDescent({
      start: [
        requireFinite("x", numberOption("x", options.x, DEFAULTS.x)),
        requireFinite("y", numberOption("y", options.y, DEFAULTS.y)),
      ],
      evaluate: evaluateArticleFunction,
      rule,
      iterations,
    });
  } catch (error) {
    // src's own checks (e.g. the iteration cap) name the parameter and the value too.
    if (error instanceof UsageError || error instanceof RangeError || error instanceof TypeError) {
      console.error(`descent: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (trajectory.rule !== "plain") console.log(`method: ${trajectory.rule}`);
  console.log(positionsText(trajectory));
  const figure = surfaceWithPathFigure({ trajectories: [trajectory] });
  if (options.out !== undefined) {
    const file = writeFigureHtml(path.resolve(options.out), figure, {
      title: `Gradient descent, learning rate ${trajectory.learningRate}`,
    });
    console.log(`figure written to ${file}`);
  }
  if (options.show) openInWindow(figure);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
