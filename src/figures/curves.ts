import type { Layout, Plot } from "nodeplotlib";
import { MAX_PATH_POINTS } from "../descent/thinning";
import { describeStop, type StopReason } from "../descent/loop";
import { describeValue, requireInteger } from "../descent/validate";
import { evaluatePolynomial, formatPolynomial } from "../problems/cubic-fit/polynomial";
import { pathColor, requireOptions, requireTitle, sampledIndices, toNumbers, type Figure } from "./figure";
import { KitRangeError, KitTypeError } from "../descent/validate";

export interface CurvesFigureOptions {
  /** Where the curves are drawn, e.g. the 2000 points of [−π, π]. */
  x: ArrayLike<number>;
  /** The function being fitted, sampled at x. */
  target: { name: string; y: ArrayLike<number> };
  /**
   * Polynomials c0 + c1·x + c2·x² + … evaluated at x. A curve from a descent may carry its run's
   * `stop`: a diverged run is refused, since its last coefficients are not a fit.
   */
  curves: { name: string; coefficients: readonly number[]; stop?: StopReason }[];
  title?: string;
  /** Draw at most about this many of the x values, evenly spread, keeping the last (default 250). */
  maxPoints?: number;
}

/** Smooth curves need far fewer than the article's 2000 points on screen; fewer keep exports small. */
export const DEFAULT_CURVE_POINTS = 250;

function requireName(name: string, value: unknown): string {
  if (typeof value !== "string")
    throw new KitTypeError(`${name} must be a string, got ${describeValue(value)}`);
  return value;
}

/** The target (for example sin x) against one or more fitted polynomials, with a legend. */
export function curvesFigure(options: CurvesFigureOptions): Figure {
  const checked = requireOptions("options", options);
  const allX = toNumbers("x", checked.x);
  if (allX.length === 0) throw new KitRangeError("x must not be empty");
  const maxPoints = requireInteger(
    "maxPoints",
    checked.maxPoints ?? DEFAULT_CURVE_POINTS,
    2,
    MAX_PATH_POINTS,
  );
  const shown = sampledIndices(allX.length, Math.max(1, Math.ceil(allX.length / maxPoints)));
  const x = shown.map((i) => allX[i]);
  const target = requireOptions("target", checked.target);
  const targetName = requireName("target.name", target.name);
  const allTargetY = toNumbers("target.y", target.y);
  if (allTargetY.length !== allX.length) {
    throw new KitRangeError(
      `target.y must have as many values as x (${allX.length}), got ${allTargetY.length}`,
    );
  }
  const targetY = shown.map((i) => allTargetY[i]);
  if (!Array.isArray(checked.curves)) {
    throw new KitTypeError(
      `curves must be an array of { name, coefficients }, got ${describeValue(checked.curves)}`,
    );
  }
  const data: Plot[] = [
    {
      type: "scatter",
      mode: "lines",
      x,
      y: targetY,
      name: targetName,
      line: { color: "black", width: 4 },
      opacity: 0.35,
    },
  ];
  checked.curves.forEach((curve, i) => {
    const name = requireName(`curves[${i}].name`, requireOptions(`curves[${i}]`, curve).name);
    const coefficients = toNumbers(`curves[${i}].coefficients`, curve.coefficients);
    if (coefficients.length === 0) throw new KitRangeError(`curves[${i}].coefficients must not be empty`);
    if (curve.stop?.kind === "diverged") {
      throw new KitRangeError(
        `curves[${i}] (${name}) ${describeStop(curve.stop)}: a diverged run has no fitted curve to draw`,
      );
    }
    const y = Array.from(evaluatePolynomial(coefficients, x));
    const bad = y.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new KitRangeError(
        `curves[${i}] (${name}) is not a finite number at x = ${x[bad]}: its coefficients are too large to draw`,
      );
    }
    data.push({
      type: "scatter",
      mode: "lines",
      x,
      y,
      name,
      line: { color: pathColor(i + 1), width: 2, dash: i === 0 ? "solid" : "dash" },
      hovertemplate: `${formatPolynomial(coefficients, 4)}<br>x = %{x:.3g}, y = %{y:.4g}<extra>${name}</extra>`,
    } as Plot);
  });
  const layout: Partial<Layout> = {
    title: { text: requireTitle("title", checked.title) ?? `${targetName} and the fitted polynomials` },
    xaxis: { title: { text: "x" } },
    yaxis: { title: { text: "y" } },
    legend: { x: 0.01, y: 0.99, bgcolor: "rgba(255,255,255,0.7)" },
  } as Partial<Layout>;
  return { data, layout };
}
