/**
 * Properties over generated inputs (fast-check): for valid inputs the results are finite and
 * consistent with each other; for invalid inputs the error is a RangeError or TypeError that
 * names the parameter. Seeds are fixed by fast-check's defaults per run; a failure prints the
 * shrunk counterexample and the seed to replay it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MAX_ITERATIONS } from "../../src/descent/validate";
import { articleFunction, descendArticleFunction } from "../../src/problems/bowl/bowl";
import { designMatrix, makeBasis } from "../../src/problems/cubic-fit/bases";
import { euclideanNorm } from "../../src/descent/loop";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import { linspace, type PolyData } from "../../src/problems/cubic-fit/polynomial";
import {
  lossWithGradient,
  sumOfSquares,
  sumOfSquaresEvaluator,
  sumOfSquaresLoss,
} from "../../src/problems/cubic-fit/losses";
import { positionsMarkdown } from "../../src/problems/bowl/positions";
import { stabilityOf, sumOfSquaresHessian } from "../../src/analysis/hessian";
import { thinPath } from "../../src/descent/thinning";

const RUNS = { numRuns: 40 };

/** Data of n points on [center − halfWidth, center + halfWidth], y = sin(x), far from the origin if center is. */
const farData = fc
  .record({
    points: fc.integer({ min: 25, max: 3000 }),
    center: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
    halfWidth: fc.double({ min: 0.05, max: 50, noNaN: true }),
  })
  .map(({ points, center, halfWidth }): PolyData => {
    const x = linspace(center - halfWidth, center + halfWidth, points);
    return { x, y: x.map((value) => Math.sin(value)) };
  });

describe("properties of valid inputs", () => {
  it("the article's descent: finite points, each recorded value is f at its recorded point, stable rates never diverge", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1.999, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        (learningRate, x, y, iterations) => {
          const run = descendArticleFunction({ learningRate, iterations, x, y });
          assert.notEqual(run.stop.kind, "diverged");
          run.points.forEach(([px, py], k) => {
            assert.ok(Number.isFinite(px) && Number.isFinite(py));
            assert.equal(run.values[k], articleFunction(px, py));
          });
          assert.doesNotMatch(positionsMarkdown(run), /NaN|Infinity/);
        },
      ),
      RUNS,
    );
  });

  it("Legendre fits of degree 0–12 at stable rates, anywhere on the x axis: finite, consistent, converged means near the optimum", () => {
    fc.assert(
      fc.property(
        farData,
        fc.integer({ min: 0, max: 12 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (data, degree, share, seed) => {
          const stability = stabilityOf(sumOfSquaresHessian(data, degree, "legendre"));
          const tolerance = 1e-6;
          let fit;
          try {
            fit = fitPolynomial({
              data,
              degree,
              basis: "legendre",
              learningRate: share * stability.largestStableLearningRate,
              iterations: 300,
              seed,
              tolerance,
            });
          } catch (error) {
            // the one allowed refusal: the polynomial has no accurate monomial form there
            assert.ok(error instanceof RangeError);
            assert.match(error.message, /no accurate monomial form/);
            return;
          }
          const { trajectory, basis } = fit;
          assert.notEqual(trajectory.stop.kind, "diverged", JSON.stringify(trajectory.stop));
          assert.ok(
            trajectory.values.every(Number.isFinite) && trajectory.points.flat().every(Number.isFinite),
          );
          // a recorded loss is the loss at the recorded point
          const design = designMatrix(basis, data.x);
          for (const k of [0, trajectory.points.length - 1]) {
            const again = lossWithGradient(sumOfSquaresLoss, design, data.y, trajectory.points[k]);
            assert.ok(Math.abs(again.value - trajectory.values[k]) <= 2 * (again.noise ?? 0));
          }
          // the returned a, b, c, … reproduce the reported loss (within requireReproducingCoefficients' promise)
          const scale = Math.max(1, ...Array.from(data.y, Math.abs));
          const monomialLoss = sumOfSquares(fit.coefficients, data);
          assert.ok(
            Math.abs(monomialLoss - fit.loss) <= fit.loss + data.x.length * 2 ** -53 * scale ** 2,
            `${monomialLoss} vs ${fit.loss}`,
          );
          // converged: L − L* = ½ gᵀH⁻¹g ≤ ‖g‖²/(2 λ_min)
          if (trajectory.stop.kind === "converged") {
            const optimum = leastSquaresPolynomial({ data, degree, basis: "legendre" }).loss;
            const gradient = trajectory.gradientNorms[trajectory.gradientNorms.length - 1];
            const bound = (gradient * gradient) / (2 * stability.smallest);
            assert.ok(
              fit.loss - optimum <= bound + 1e-9 * optimum + 1e-24,
              `${fit.loss} − ${optimum} > ${bound}`,
            );
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("the article's loop and the design-matrix form agree within their reported noise at any point", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 9, maxLength: 9 }),
        (degree, raw) => {
          const x = linspace(-Math.PI, Math.PI, 500);
          const data = { x, y: x.map(Math.sin) };
          const coefficients = raw.slice(0, degree + 1);
          const a = sumOfSquaresEvaluator(data, degree)(coefficients);
          const b = lossWithGradient(
            sumOfSquaresLoss,
            designMatrix(makeBasis("monomial", degree), x),
            data.y,
            coefficients,
          );
          assert.ok(
            Math.abs(a.value - b.value) <= (a.noise ?? 0) + (b.noise ?? 0),
            `${a.value} vs ${b.value}`,
          );
        },
      ),
      RUNS,
    );
  });

  it("a thinned path keeps its start and end, in order, within the budget, and the whole of a short path", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
            fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
          ),
          { minLength: 1, maxLength: 5000 },
        ),
        fc.integer({ min: 2, max: 1000 }),
        (points, maxPoints) => {
          const kept = thinPath(points, maxPoints);
          assert.equal(kept[0], 0);
          assert.equal(kept[kept.length - 1], points.length - 1);
          assert.ok(kept.length <= Math.max(maxPoints, 1));
          for (let i = 1; i < kept.length; i++) assert.ok(kept[i] > kept[i - 1]);
          if (points.length <= maxPoints) assert.equal(kept.length, points.length);
        },
      ),
      RUNS,
    );
  });
});

describe("properties of invalid inputs: a RangeError or TypeError naming the parameter", () => {
  /** Anything that is not a finite positive number. */
  const notPositive = fc.oneof(
    fc.double({ max: 0, noNaN: true }),
    fc.constantFrom(NaN, Infinity, -Infinity),
    fc.string(),
    fc.constantFrom(null, undefined, true, [], {}),
  );
  /** Anything that is not a whole number in [min, max]. */
  const notWhole = (min: number, max: number) =>
    fc.oneof(
      fc.constantFrom(max + 1, 2 * max + 1, 1e300),
      fc.integer({ min: -(2 ** 31), max: min - 1 }),
      fc.double({ noNaN: false }).filter((value) => !Number.isInteger(value)),
      fc.string(),
      fc.constantFrom(true, [1]), // (null, like undefined, means "the default" where there is one)
    );

  const rejects = (run: () => unknown, parameter: string): void => {
    assert.throws(run, (error: unknown) => {
      assert.ok(error instanceof RangeError || error instanceof TypeError, String(error));
      assert.ok(error.message.includes(parameter), `"${error.message}" does not name ${parameter}`);
      return true;
    });
  };

  it("learning rate, iterations, start, degree, points, seed", () => {
    fc.assert(
      fc.property(notPositive, (learningRate) => {
        if (learningRate === undefined || learningRate === null) return; // absent: the default where there is one
        rejects(
          () => descendArticleFunction({ learningRate: learningRate as number, iterations: 1, x: 0, y: 0 }),
          "learningRate",
        );
        rejects(() => fitPolynomial({ learningRate: learningRate as number, iterations: 1 }), "learningRate");
      }),
      RUNS,
    );
    fc.assert(
      fc.property(notWhole(0, MAX_ITERATIONS), (iterations) => {
        rejects(
          () => descendArticleFunction({ learningRate: 0.1, iterations: iterations as number, x: 0, y: 0 }),
          "iterations",
        );
        rejects(() => fitPolynomial({ iterations: iterations as number }), "iterations");
      }),
      RUNS,
    );
    fc.assert(
      fc.property(notWhole(0, 20), (degree) => {
        rejects(() => fitPolynomial({ degree: degree as number, iterations: 1 }), "degree");
        rejects(() => leastSquaresPolynomial({ degree: degree as number }), "degree");
        rejects(() => sumOfSquaresHessian(undefined, degree as number), "degree");
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity), fc.string(), fc.constantFrom(null, true)),
        (coordinate) => {
          rejects(
            () => descendArticleFunction({ learningRate: 0.1, iterations: 1, x: coordinate as number, y: 0 }),
            "x",
          );
          rejects(() => fitPolynomial({ start: [0, 0, coordinate as number, 0], iterations: 1 }), "start[2]");
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(notWhole(2, 10_000_000), (points) =>
        rejects(() => linspace(0, 1, points as number), "count"),
      ),
      RUNS,
    );
    fc.assert(
      fc.property(notWhole(0, 2 ** 32 - 1), (seed) =>
        rejects(() => fitPolynomial({ seed: seed as number, iterations: 1 }), "seed"),
      ),
      RUNS,
    );
  });

  it("data: mismatched lengths, non-finite entries", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 0, max: 49 }),
        fc.constantFrom(NaN, Infinity, -Infinity),
        (n, at, bad) => {
          const x = Array.from({ length: n }, (_, i) => i);
          const y = x.map(Math.sin);
          rejects(() => leastSquaresPolynomial({ data: { x, y: y.slice(1) } as never, degree: 0 }), "data.x");
          const broken = [...y];
          broken[at % n] = bad;
          rejects(
            () => fitPolynomial({ data: { x, y: broken } as never, degree: 0, iterations: 1 }),
            `data.y[${at % n}]`,
          );
        },
      ),
      RUNS,
    );
  });
});

// euclideanNorm is what the descent's tolerance compares; a sanity property for huge vectors
describe("euclideanNorm never overflows for finite vectors", () => {
  it("is finite and at least the largest entry", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }),
        (vector) => {
          const norm = euclideanNorm(vector);
          const largest = Math.max(...vector.map(Math.abs));
          assert.ok(norm >= largest * (1 - 1e-15));
          assert.ok(Number.isFinite(norm) || largest * Math.sqrt(vector.length) > Number.MAX_VALUE);
        },
      ),
      RUNS,
    );
  });
});
