/**
 * Checks on top of the numerics: each hand-derived gradient against TensorFlow.js autodiff and
 * against float64 central differences, with the subjects (functions with both gradients) checked.
 */
import type { Scalar, Tensor1D } from "@tensorflow/tfjs";
import { basisForData, designMatrix, type BasisName } from "../problems/cubic-fit/bases";
import type { Evaluation } from "../descent/loop";
import {
  lossWithGradient,
  requireLoss,
  sumOfSquares,
  sumOfSquaresGradient,
  type Loss,
} from "../problems/cubic-fit/losses";
import {
  MAX_DEGREE,
  checkData,
  coefficientNames,
  requireDegree,
  requireFitScale,
  sineData,
  type PolyData,
} from "../problems/cubic-fit/polynomial";
import { articleFunction, articleGradient } from "../problems/bowl/bowl";
import { seededNormal } from "../descent/random";
import { loadTensorFlow, type TensorFlow } from "./tensorflow";
import {
  articleTensorObjective,
  lossTensorObjective,
  sumOfSquaresTensorObjective,
} from "./tensor-objectives";
import {
  KitRangeError,
  describeValue,
  requireFiniteVector,
  requireInteger,
  requirePositive,
} from "../descent/validate";

/** A function with a hand-derived gradient, and the same function in TensorFlow.js operations. */
export interface GradientCheckSubject {
  name: string;
  dimension: number;
  /** Names of the coordinates, for tables: ["x", "y"] or ["a", "b", "c", "d"]. */
  coordinates: readonly string[];
  objective(point: readonly number[]): number;
  handGradient(point: readonly number[]): number[];
  /** The objective built from tf operations, so that tf.grad can differentiate it. @internal (see TensorFlow) */
  tensorObjective(tf: TensorFlow, point: Tensor1D): Scalar;
}

export interface GradientCheckReport {
  subject: string;
  method: string;
  points: number;
  coordinates: readonly string[];
  /** The largest relative error seen, per coordinate. */
  maxRelativeError: number[];
  tolerance: number;
  passed: boolean;
}

/**
 * |hand − other| / max(|hand|, |other|, 1): relative where the gradient is at least 1, absolute
 * below, so a coordinate that happens to be near zero is not judged on noise.
 */
export function relativeError(hand: number, other: number): number {
  return Math.abs(hand - other) / Math.max(Math.abs(hand), Math.abs(other), 1);
}

/** TensorFlow.js computes in float32 (about 7 digits), so its gradients agree to about 1e-5. */
export const AUTODIFF_TOLERANCE = 1e-4;
export const FINITE_DIFFERENCE_TOLERANCE = 1e-6;

function report(
  subject: GradientCheckSubject,
  method: string,
  points: readonly (readonly number[])[],
  tolerance: number,
  other: (point: readonly number[]) => number[],
): GradientCheckReport {
  requirePositive("tolerance", tolerance);
  if (Array.isArray(points) && points.length > MAX_CHECK_POINTS) {
    throw new KitRangeError(`points may hold at most ${MAX_CHECK_POINTS} points, got ${points.length}`);
  }
  if (!Array.isArray(points) || points.length === 0) {
    throw new KitRangeError(`points must be a non-empty array of points, got ${String(points)}`);
  }
  const maxRelativeError = new Array<number>(subject.dimension).fill(0);
  points.forEach((point, p) => {
    requireFiniteVector(`points[${p}]`, point, subject.dimension);
    const at = `at points[${p}] = (${point.join(", ")})`;
    // Each gradient must have one finite entry per coordinate: a short one is not compared on
    // what it has, a long one is not cut, a NaN is not a "FAIL" row.
    const hand = requireGradient(`the hand gradient ${at}`, subject.handGradient(point), subject.dimension);
    requireGradient(`the ${method} gradient ${at}`, other(point), subject.dimension).forEach((value, i) => {
      maxRelativeError[i] = Math.max(maxRelativeError[i], relativeError(hand[i], value));
    });
  });
  return {
    subject: subject.name,
    method,
    points: points.length,
    coordinates: subject.coordinates,
    maxRelativeError,
    tolerance,
    passed: maxRelativeError.every((error) => error <= tolerance),
  };
}

function requireGradient(what: string, gradient: unknown, dimension: number): number[] {
  if (!Array.isArray(gradient) || gradient.length !== dimension) {
    throw new KitRangeError(`${what} must have ${dimension} entries, got ${describeValue(gradient)}`);
  }
  const bad = gradient.findIndex((value) => typeof value !== "number" || !Number.isFinite(value));
  if (bad >= 0) {
    throw new KitRangeError(
      `${what} is not finite: entry ${bad} is ${describeValue(gradient[bad])} (the objective overflows there; check points closer to the origin)`,
    );
  }
  return gradient as number[];
}

/** Hand-derived gradient against TensorFlow.js autodiff (tf.grad), at each point. */
export function checkAgainstAutodiff(
  subject: GradientCheckSubject,
  points: readonly (readonly number[])[],
  tolerance = AUTODIFF_TOLERANCE,
): GradientCheckReport {
  const { tf, packageName, backend } = loadTensorFlow();
  const gradient = tf.grad((point) => subject.tensorObjective(tf, point as Tensor1D));
  return report(subject, `tf.grad (${packageName}, ${backend} backend)`, points, tolerance, (point) =>
    tf.tidy(() => Array.from(gradient(tf.tensor1d(point as number[])).dataSync())),
  );
}

/** Hand-derived gradient against float64 central differences (f(p + h) − f(p − h)) / 2h. */
export function checkAgainstFiniteDifferences(
  subject: GradientCheckSubject,
  points: readonly (readonly number[])[],
  tolerance = FINITE_DIFFERENCE_TOLERANCE,
): GradientCheckReport {
  return report(subject, "float64 central differences", points, tolerance, (point) =>
    point.map((coordinate, i) => {
      // Both objectives here are quadratic, so the central difference has no truncation error
      // and a large step keeps rounding error small.
      const h = 1e-3 * Math.max(1, Math.abs(coordinate));
      const plus = [...point];
      const minus = [...point];
      plus[i] += h;
      minus[i] -= h;
      return (subject.objective(plus) - subject.objective(minus)) / (2 * h);
    }),
  );
}

/** The most points one gradient check takes: each is a TensorFlow.js gradient (about a millisecond). */
export const MAX_CHECK_POINTS = 10_000;

/** `count` points with coordinates drawn from N(0, scale²), seeded. */
export function randomPoints(count: number, dimension: number, seed: number, scale = 1): number[][] {
  requireInteger("count", count, 1, MAX_CHECK_POINTS);
  requireInteger("dimension", dimension, 1, MAX_DEGREE + 1);
  requirePositive("scale", scale);
  const next = seededNormal(seed);
  return Array.from({ length: count }, () => Array.from({ length: dimension }, () => scale * next()));
}

/** The first article's f(x, y) with its gradient (x + 1, y/2). */
export const articleFunctionSubject: GradientCheckSubject = {
  name: "f(x, y) = ½x² + x + ¼y² − 2",
  dimension: 2,
  coordinates: ["x", "y"],
  objective: ([x, y]) => articleFunction(x, y),
  handGradient: ([x, y]) => articleGradient(x, y),
  tensorObjective: articleTensorObjective,
};

/** The second article's sum of squares as a function of the coefficients, on `data`. */
export function sumOfSquaresSubject(data: PolyData = sineData(), degree = 3): GradientCheckSubject {
  data = checkData(data);
  requireDegree(degree);
  requireFitScale(data, degree);
  const names = ["a", "b", "c", "d"];
  return {
    name: `sum of squares of a degree-${degree} polynomial on ${data.x.length} points`,
    dimension: degree + 1,
    coordinates: Array.from({ length: degree + 1 }, (_, k) => names[k] ?? `c${k}`),
    objective: (coefficients) => sumOfSquares(coefficients, data),
    handGradient: (coefficients) => sumOfSquaresGradient(coefficients, data),
    tensorObjective: sumOfSquaresTensorObjective(data, degree),
  };
}

/** A short markdown table of check reports, one row per subject and method. */
export function gradientCheckTable(reports: readonly GradientCheckReport[]): string {
  const rows = reports.map((r) => {
    const errors = r.coordinates
      .map((name, i) => `${name}: ${r.maxRelativeError[i].toExponential(1)}`)
      .join(", ");
    return `| ${r.subject} | ${r.method} | ${r.points} | ${errors} | ${r.tolerance.toExponential(0)} | ${r.passed ? "✅ pass" : "❌ FAIL"} |`;
  });
  return [
    "| function | compared with | points | largest relative error | tolerance | result |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/**
 * `loss` of a degree-`degree` polynomial on `data`, as a function of its coefficients in `basis`,
 * with the hand gradient above and the TensorFlow.js version (the design matrix times the
 * coefficients, then tf.losses), for checkAgainstAutodiff and checkAgainstFiniteDifferences.
 */
export function lossSubject(
  loss: Loss,
  data: PolyData,
  degree = 3,
  basis: BasisName = "monomial",
): GradientCheckSubject {
  requireLoss(loss);
  const basisOfData = basisForData(basis, degree, data.x);
  const design = designMatrix(basisOfData, data.x);
  const evaluate = (coefficients: readonly number[]): Evaluation =>
    lossWithGradient(loss, design, data.y, coefficients);
  return {
    name: `${loss.name} of a degree-${degree} polynomial (${basis} basis) on ${data.x.length} points`,
    dimension: degree + 1,
    coordinates: basis === "monomial" ? coefficientNames(degree + 1) : basisOfData.labels,
    objective: (coefficients) => evaluate(coefficients).value,
    handGradient: (coefficients) => evaluate(coefficients).gradient,
    tensorObjective: lossTensorObjective(loss, data, degree, basis),
  };
}
