import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_SEED,
  formatPolynomial,
  linspace,
  randomCoefficients,
  sineData,
} from "../../src/problems/cubic-fit/polynomial";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { sumOfSquares, sumOfSquaresGradient } from "../../src/problems/cubic-fit/losses";
import { assertClose } from "../support/close";

/** The article's loop written out again, independently, in plain float64 arithmetic. */
function articleLoop(
  start: number[],
  learningRate: number,
  iterations: number,
): { coefficients: number[]; losses: number[] } {
  const n = 2000;
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(-Math.PI + (i * 2 * Math.PI) / (n - 1));
  xs[n - 1] = Math.PI;
  let [a, b, c, d] = start;
  const losses: number[] = [];
  for (let t = 0; t < iterations; t++) {
    let loss = 0;
    let gradA = 0;
    let gradB = 0;
    let gradC = 0;
    let gradD = 0;
    for (const x of xs) {
      const yPred = a + b * x + c * x * x + d * x * x * x;
      const gradYPred = 2 * (yPred - Math.sin(x));
      loss += (yPred - Math.sin(x)) ** 2;
      gradA += gradYPred;
      gradB += gradYPred * x;
      gradC += gradYPred * x * x;
      gradD += gradYPred * x * x * x;
    }
    losses.push(loss);
    a -= learningRate * gradA;
    b -= learningRate * gradB;
    c -= learningRate * gradC;
    d -= learningRate * gradD;
  }
  return { coefficients: [a, b, c, d], losses };
}

describe("the second article's cubic fit to sin(x)", () => {
  it("samples 2000 evenly spaced points of [−π, π] as numpy's linspace", () => {
    const { x, y } = sineData();
    assert.equal(x.length, 2000);
    assert.equal(x[0], -Math.PI);
    assert.equal(x[1999], Math.PI);
    assertClose(x[1] - x[0], (2 * Math.PI) / 1999, 1e-12, "spacing");
    assert.equal(y[1000], Math.sin(x[1000]));
    assert.deepEqual(Array.from(linspace(0, 100, 5)), [0, 25, 50, 75, 100]);
  });

  it("computes the gradient of a known case exactly: c = (0,0,0,0) gives grad_k = −2 Σ sin(x)·x^k", () => {
    const data = sineData();
    const gradient = sumOfSquaresGradient([0, 0, 0, 0], data);
    [0, 1, 2, 3].forEach((k) => {
      const expected = -2 * data.x.reduce((s, x, i) => s + data.y[i] * x ** k, 0);
      assertClose(gradient[k], expected, 1e-12, `grad[${k}]`);
    });
    // sin is odd, so the even-power gradients vanish up to rounding
    assert.ok(Math.abs(gradient[0]) < 1e-9 && Math.abs(gradient[2]) < 1e-9);
  });

  it("ends below a sum of squares of 10 after 2000 iterations at 1e-6 from the fixed seed", () => {
    const fit = fitPolynomial();
    assert.equal(fit.trajectory.stop.kind, "iterations");
    assert.ok(fit.loss < 10, `loss ${fit.loss}`);
    assert.deepEqual(fit.start, randomCoefficients(3, DEFAULT_SEED));
  });

  it("equals an independent float64 recomputation of the article's loop", () => {
    const fit = fitPolynomial();
    const reference = articleLoop(fit.start, 1e-6, 2000);
    fit.coefficients.forEach((c, k) => assertClose(c, reference.coefficients[k], 1e-12, `coefficient ${k}`));
    reference.losses.forEach((loss, t) =>
      assertClose(fit.trajectory.values[t], loss, 1e-12, `loss at t = ${t}`),
    );
    assertClose(fit.loss, sumOfSquares(fit.coefficients, sineData()), 1e-12, "final loss");
  });

  it("reports every 100 iterations as the article prints, with the loss and the coefficients", () => {
    const seen: { iteration: number; loss: number }[] = [];
    const fit = fitPolynomial({ observe: ({ iteration, loss }) => seen.push({ iteration, loss }) });
    assert.deepEqual(
      seen.map((s) => s.iteration),
      [...Array.from({ length: 20 }, (_, i) => 100 * i + 99), 2000],
    );
    seen.forEach((s) => assert.equal(s.loss, fit.trajectory.values[s.iteration]));
  });

  it("is reproducible: one seed, one run", () => {
    assert.deepEqual(randomCoefficients(3, 7), randomCoefficients(3, 7));
    assert.notDeepEqual(randomCoefficients(3, 7), randomCoefficients(3, 8));
  });

  it("reports a divergent learning rate as diverged with finite coefficients", () => {
    const fit = fitPolynomial({ learningRate: 1e-3 });
    assert.equal(fit.trajectory.stop.kind, "diverged");
    assert.ok(fit.coefficients.every(Number.isFinite));
  });

  it("formats the article's Result line", () => {
    assert.equal(formatPolynomial([1, -2, 0.5, 0.25], 3), "y = 1.00 - 2.00 x + 0.500 x^2 + 0.250 x^3");
    assert.equal(formatPolynomial([-1, 0, -0.5], 3), "y = -1.00 - 0.500 x^2");
    // sin's least-squares cubic: its even coefficients are float64 noise, not terms.
    assert.equal(formatPolynomial([3e-17, 0.857, -2e-17, -0.0933], 3), "y = 0.857 x - 0.0933 x^3");
    // With x up to π, 1e-14·π³ is still noise next to 0.857·π; a real 1e-6 is not.
    assert.equal(formatPolynomial([1e-6, 0.857, 0, 1e-14], 3, Math.PI), "y = 0.00000100 + 0.857 x");
    assert.equal(formatPolynomial([0, 0], 3), "y = 0");
  });
});
