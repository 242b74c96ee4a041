/**
 * Text and markdown tables for notebook 02 (the cubic fit to sin x): pure functions from numbers to
 * strings, so that the notebook only calls them and tests can check them.
 */
import type { Scalar, Tensor1D } from "@tensorflow/tfjs";
import { describeStop, type StopReason, type Trajectory } from "../descent/loop";
import type { GradientCheckSubject } from "../checks/gradient-check";
import type { QuadraticDescentPrediction, Stability } from "../analysis/hessian";
import type { FitProgress, FitResult } from "../problems/cubic-fit/fit";
import { coefficientNames } from "../problems/cubic-fit/polynomial";
import { formatNumber, markdownTable } from "../text/tables";
import { loadTensorFlow } from "../checks/tensorflow";
import {
  KitRangeError,
  describeValue,
  requireFinite,
  requireFiniteVector,
  requireInteger,
} from "../descent/validate";

/** A row of coefficientsTable: a polynomial, its loss, and the run's stop when it came from a descent. */
export interface CoefficientsRow {
  name: string;
  coefficients: readonly number[];
  loss?: number;
  /** A diverged run's row shows "diverged" instead of coefficients and loss: they mean nothing. */
  stop?: StopReason;
}

/**
 * Coefficients side by side, one row per polynomial: name, a, b, c, d (…), and the loss if given.
 * A row whose run diverged says so and shows no numbers.
 */
export function coefficientsTable(rows: readonly CoefficientsRow[], digits = 6): string {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new KitRangeError(
      `rows must be a non-empty array of { name, coefficients }, got ${describeValue(rows)}`,
    );
  }
  let count = 0;
  rows.forEach((row, i) => {
    count = Math.max(count, requireFiniteVector(`rows[${i}].coefficients`, row?.coefficients).length);
    if (row.loss !== undefined) requireFinite(`rows[${i}].loss`, row.loss);
  });
  const withLoss = rows.some((row) => row.loss !== undefined);
  const headers = ["", ...coefficientNames(count), ...(withLoss ? ["loss"] : [])];
  return markdownTable(
    headers,
    rows.map((row) => {
      const diverged = row.stop?.kind === "diverged";
      return [
        diverged ? `${row.name} (${describeStop(row.stop as StopReason)})` : row.name,
        ...Array.from({ length: count }, (_, k) =>
          diverged ? "—" : k < row.coefficients.length ? formatNumber(row.coefficients[k], digits) : "",
        ),
        ...(withLoss ? [diverged ? "—" : row.loss === undefined ? "" : formatNumber(row.loss, digits)] : []),
      ];
    }),
  );
}

export interface RunRow {
  /** What distinguishes the run, e.g. "η = 1e-6" or "Legendre basis". */
  label: string;
  trajectory: Trajectory;
}

/**
 * One row per descent: its label, learning rate, the learning rate as a multiple of 2/λ_max (when
 * `largestStableLearningRate` is given), the iterations it ran, its last loss, the gap to the
 * optimum's loss (when `optimumLoss` is given) and why it stopped. A diverged run shows no loss: its
 * last finite value means nothing.
 */
export function runsTable(
  runs: readonly RunRow[],
  options: { largestStableLearningRate?: number; optimumLoss?: number } = {},
): string {
  if (!Array.isArray(runs) || runs.length === 0) {
    throw new KitRangeError(
      `runs must be a non-empty array of { label, trajectory }, got ${describeValue(runs)}`,
    );
  }
  const bound =
    options.largestStableLearningRate === undefined
      ? undefined
      : requireFinite("largestStableLearningRate", options.largestStableLearningRate);
  const optimum =
    options.optimumLoss === undefined ? undefined : requireFinite("optimumLoss", options.optimumLoss);
  const headers = [
    "run",
    "learning rate η",
    ...(bound === undefined ? [] : ["η ÷ (2/λ_max)"]),
    "steps",
    "final loss",
    ...(optimum === undefined ? [] : ["final loss − optimum"]),
    "outcome",
  ];
  const rows = runs.map(({ label, trajectory }) => {
    const diverged = trajectory.stop.kind === "diverged";
    const last = trajectory.values[trajectory.values.length - 1];
    return [
      label,
      formatNumber(trajectory.learningRate, 4),
      ...(bound === undefined ? [] : [formatNumber(trajectory.learningRate / bound, 3)]),
      String(trajectory.points.length - 1),
      diverged ? "—" : formatNumber(last, 8),
      ...(optimum === undefined ? [] : [diverged ? "—" : formatNumber(last - optimum, 3)]),
      describeStop(trajectory.stop),
    ];
  });
  return markdownTable(headers, rows);
}

/** The Hessians' facts side by side: λ_min, λ_max, 2/λ_max and κ = λ_max/λ_min. */
export function stabilityTable(rows: readonly { name: string; stability: Stability }[]): string {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new KitRangeError(
      `rows must be a non-empty array of { name, stability }, got ${describeValue(rows)}`,
    );
  }
  return markdownTable(
    ["", "λ_min", "λ_max", "largest stable learning rate 2/λ_max", "condition number λ_max/λ_min"],
    rows.map(({ name, stability }) => [
      name,
      formatNumber(stability.smallest, 5),
      formatNumber(stability.largest, 5),
      formatNumber(stability.largestStableLearningRate, 5),
      formatNumber(stability.conditionNumber, 5),
    ]),
  );
}

/**
 * The descent seen along the Hessian's eigenvectors: per eigenvalue λ, the factor 1 − ηλ that each
 * step multiplies the error by, the error at the start, and what is left of it after `iterations`.
 */
export function eigenModesTable(prediction: QuadraticDescentPrediction, iterations: number): string {
  requireInteger("iterations", iterations);
  return markdownTable(
    [
      "eigenvalue λ",
      "factor per step 1 − ηλ",
      "error at the start",
      `error after ${iterations} steps`,
      "share left",
    ],
    prediction.modes.map((mode) => {
      // A mode that overflows says so, with its size as a power of ten, never ±Infinity.
      const grows = `grows ~10^${Math.round(mode.log10Growth)}× (diverges)`;
      return [
        formatNumber(mode.eigenvalue, 6),
        formatNumber(mode.factor, 6),
        formatNumber(mode.start, 4),
        mode.overflows ? grows : formatNumber(mode.end, 4),
        mode.start === 0 ? "—" : mode.overflows ? grows : formatNumber(mode.end / mode.start, 3),
      ];
    }),
  );
}

/** The hand-derived gradient next to a reference (e.g. tf.grad), with the relative error per coordinate. */
export function gradientComparisonTable(
  names: readonly string[],
  hand: readonly number[],
  reference: readonly number[],
  referenceName = "tf.grad",
): string {
  requireFiniteVector("hand", hand, names.length);
  requireFiniteVector("reference", reference, names.length);
  return markdownTable(
    ["gradient", "by hand (chain rule)", referenceName, "relative error"],
    names.map((name, k) => [
      `grad_${name}`,
      formatNumber(hand[k], 8),
      formatNumber(reference[k], 8),
      formatNumber(
        Math.abs(hand[k] - reference[k]) / Math.max(Math.abs(hand[k]), Math.abs(reference[k]), 1),
        2,
      ),
    ]),
  );
}

/** TensorFlow.js's gradient of the subject's objective at `point` (float32, via tf.grad). */
export function autodiffGradient(subject: GradientCheckSubject, point: readonly number[]): number[] {
  const values = requireFiniteVector("point", point, subject.dimension);
  const { tf } = loadTensorFlow();
  const gradient = tf.grad((p) => subject.tensorObjective(tf, p as Tensor1D) as Scalar);
  return tf.tidy(() => Array.from(gradient(tf.tensor1d([...values])).dataSync()));
}

/** The header of progressRow's lines: "iteration", the coefficient names, "loss". */
export function progressHeader(count: number): string {
  return [
    "iteration".padStart(9),
    ...coefficientNames(requireInteger("count", count, 1, 1000)).map((n) => n.padStart(12)),
    "loss".padStart(16),
  ].join(" ");
}

/** One line per observed iteration, aligned under progressHeader: the coefficients and the loss. */
export function progressRow(progress: FitProgress): string {
  return [
    String(progress.iteration).padStart(9),
    ...progress.coefficients.map((c) => formatNumber(c, 6).padStart(12)),
    formatNumber(progress.loss, 10).padStart(16),
  ].join(" ");
}

/**
 * The fitted polynomial after each of `steps` updates (those the run reached), as monomial
 * coefficients named "after k steps", for curvesFigure.
 */
export function trajectorySnapshots(
  fit: Pick<FitResult, "trajectory" | "basis">,
  steps: readonly number[],
): { name: string; coefficients: number[] }[] {
  const reached = fit.trajectory.points.length;
  return steps
    .map((k, i) => requireInteger(`steps[${i}]`, k))
    .filter((k) => k < reached)
    .map((k) => ({
      name: k === 0 ? "start" : `after ${k} steps`,
      coefficients: fit.basis.toMonomial(fit.trajectory.points[k]),
    }));
}
