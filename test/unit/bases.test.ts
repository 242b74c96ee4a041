import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  basisForData,
  designMatrix,
  legendrePowerCoefficients,
  legendreToPowers,
  legendreValues,
  makeBasis,
  multiplyDesign,
  substituteAffine,
  unitScaling,
  unitScalingOf,
} from "../../src/problems/cubic-fit/bases";
import { evaluatePolynomial, sineData } from "../../src/problems/cubic-fit/polynomial";
import { fitPolynomial } from "../../src/problems/cubic-fit/fit";
import { leastSquaresPolynomial } from "../../src/problems/cubic-fit/least-squares";
import { stabilityOf, sumOfSquaresHessian } from "../../src/analysis/hessian";
import { assertClose } from "../support/close";

/** Horner's rule, written here independently of the kit. */
const horner = (coefficients: readonly number[], x: number): number =>
  coefficients.reduceRight((sum, c) => sum * x + c, 0);

describe("scaling x onto [−1, 1]", () => {
  it("maps the interval's ends to −1 and 1 and its middle to 0", () => {
    const scaling = unitScaling(-4 * Math.PI, 4 * Math.PI);
    assert.deepEqual(scaling, { center: 0, halfWidth: 4 * Math.PI });
    assert.deepEqual(unitScalingOf([3, -1, 7]), { center: 3, halfWidth: 4 });
  });

  it("rejects empty, reversed and constant intervals, naming the value", () => {
    assert.throws(() => unitScaling(1, 1), /to must be greater than from \(1\), got 1/);
    assert.throws(() => unitScaling(Number.NaN, 1), /from must be a finite number, got NaN/);
    assert.throws(() => unitScalingOf([2, 2, 2]), /at least two different values, got only 2/);
    assert.throws(() => unitScalingOf([]), /x must not be empty/);
  });
});

describe("Legendre polynomials", () => {
  it("match their closed forms P₂ = (3t² − 1)/2, P₃ = (5t³ − 3t)/2, P₄ = (35t⁴ − 30t² + 3)/8", () => {
    for (const t of [-1, -0.7, -0.2, 0, 0.35, 0.9, 1]) {
      const [p0, p1, p2, p3, p4] = legendreValues(t, 4);
      assert.equal(p0, 1);
      assert.equal(p1, t);
      assertClose(p2, (3 * t ** 2 - 1) / 2, 1e-15, `P2(${t})`);
      assertClose(p3, (5 * t ** 3 - 3 * t) / 2, 1e-15, `P3(${t})`);
      assertClose(p4, (35 * t ** 4 - 30 * t ** 2 + 3) / 8, 1e-15, `P4(${t})`);
    }
    assert.deepEqual(legendrePowerCoefficients(4)[4], [3 / 8, 0, -30 / 8, 0, 35 / 8]);
  });

  it("satisfy P_k(1) = 1, P_k(−1) = (−1)^k and ∫ P_j P_k dt = 2/(2k + 1) δ_jk", () => {
    const degree = 7;
    legendreValues(1, degree).forEach((p, k) => assertClose(p, 1, 1e-14, `P${k}(1)`));
    legendreValues(-1, degree).forEach((p, k) => assertClose(p, (-1) ** k, 1e-14, `P${k}(−1)`));
    // Gauss–Legendre would be circular; the midpoint rule on 20000 cells is accurate to ~1e-8 here.
    const cells = 20_000;
    const integral = Array.from({ length: degree + 1 }, () => new Array<number>(degree + 1).fill(0));
    for (let i = 0; i < cells; i++) {
      const values = legendreValues(-1 + (2 * (i + 0.5)) / cells, degree);
      for (let j = 0; j <= degree; j++)
        for (let k = 0; k <= degree; k++) integral[j][k] += (values[j] * values[k] * 2) / cells;
    }
    integral.forEach((row, j) =>
      row.forEach((value, k) => assertClose(value, j === k ? 2 / (2 * k + 1) : 0, 1e-6, `∫P${j}P${k}`)),
    );
  });

  it("convert to powers of t that evaluate to the same values", () => {
    const legendre = [0.3, -1.2, 0.8, 2.5, -0.4, 0.1];
    const powers = legendreToPowers(legendre);
    for (const t of [-1, -0.5, 0.1, 0.77, 1]) {
      const direct = legendreValues(t, 5).reduce((sum, p, k) => sum + legendre[k] * p, 0);
      assertClose(horner(powers, t), direct, 1e-14, `at t = ${t}`);
    }
  });
});

describe("substituting an affine map into a polynomial", () => {
  it("gives q(x) = p(slope·x + intercept) at every x", () => {
    const p = [1, -2, 0.5, 0.25, -0.125];
    const q = substituteAffine(p, 0.3, -1.7);
    for (const x of [-5, -1, 0, 0.4, 3, 10])
      assertClose(horner(q, x), horner(p, 0.3 * x - 1.7), 1e-13, `x = ${x}`);
  });

  it("is the identity for slope 1 and intercept 0, and a shift for (1, h)", () => {
    assert.deepEqual(substituteAffine([4, 3, 2, 1], 1, 0), [4, 3, 2, 1]);
    // (x + 1)³ = 1 + 3x + 3x² + x³
    assert.deepEqual(substituteAffine([0, 0, 0, 1], 1, 1), [1, 3, 3, 1]);
  });
});

describe("bases", () => {
  const interval = { from: -4 * Math.PI, to: 4 * Math.PI };
  for (const name of ["monomial", "scaled", "legendre"] as const) {
    it(`${name}: Σ c_k φ_k(x) equals the converted polynomial a + bx + cx² + … at every x`, () => {
      const basis = makeBasis(name, 5, interval);
      const coefficients = [0.2, -0.5, 1.5, 0.7, -0.3, 0.05];
      const monomial = basis.toMonomial(coefficients);
      for (const x of [-12, -3, 0, 1.5, 7, 12.5]) {
        const direct = basis.features(x).reduce((sum, phi, k) => sum + coefficients[k] * phi, 0);
        assertClose(evaluatePolynomial(monomial, [x])[0], direct, 1e-12, `${name} at x = ${x}`);
      }
      assert.equal(basis.labels.length, 6);
    });
  }

  it("lays out the design matrix row by row, X[i][k] = φ_k(x_i)", () => {
    const design = designMatrix(makeBasis("monomial", 3), [2, -1]);
    assert.deepEqual(design, { rows: 2, columns: 4, values: Float64Array.from([1, 2, 4, 8, 1, -1, 1, -1]) });
    assert.deepEqual(Array.from(multiplyDesign(design, [1, 1, 1, 1])), [15, 0]);
    const scaled = designMatrix(basisForData("scaled", 2, [0, 10]), [0, 5, 10]);
    assert.deepEqual(Array.from(scaled.values), [1, -1, 1, 1, 0, 0, 1, 1, 1]);
  });

  it("rejects unknown names, bad degrees and a missing interval, naming the value", () => {
    assert.throws(() => makeBasis("chebyshev" as "monomial", 3), /basis must be one of .* got "chebyshev"/);
    assert.throws(() => makeBasis("monomial", -1), /degree must be a whole number from 0 to 20, got -1/);
    assert.throws(() => makeBasis("monomial", 2.5), /got 2.5/);
    assert.throws(() => makeBasis("legendre", 3), /the legendre basis needs an interval/);
    assert.throws(
      () => makeBasis("monomial", 3).toMonomial([1, 2]),
      /coefficients must have 4 entries, got 2/,
    );
    assert.throws(() => legendreValues(Number.POSITIVE_INFINITY, 2), /t must be a finite number/);
    assert.throws(() => multiplyDesign(designMatrix(makeBasis("monomial", 1), [1]), [1]), /2 entries/);
  });
});

describe("descending in a scaled or Legendre basis", () => {
  const wide = sineData(2000, -4 * Math.PI, 4 * Math.PI);
  const optimum = leastSquaresPolynomial({ data: wide });

  for (const basis of ["scaled", "legendre"] as const) {
    it(`${basis}: reaches the least-squares cubic on [−4π, 4π], where plain descent cannot`, () => {
      // 1/λ_max: every direction shrinks by a factor in [0, 1), so the loss falls monotonically.
      const learningRate = 1 / stabilityOf(sumOfSquaresHessian(wide, 3, basis)).largest;
      const fit = fitPolynomial({ data: wide, basis, learningRate, iterations: 3000, tolerance: 1e-4 });
      assert.equal(fit.trajectory.stop.kind, "converged");
      assert.equal(fit.basis.name, basis);
      fit.coefficients.forEach((c, k) => assertClose(c, optimum.coefficients[k], 1e-6, `coefficient ${k}`));
      assert.deepEqual(fit.basis.toMonomial(fit.basisCoefficients), fit.coefficients);
    });
  }

  it("the article's basis, at its own learning rate, diverges there and says so", () => {
    const fit = fitPolynomial({ data: wide });
    assert.equal(fit.trajectory.stop.kind, "diverged");
    assert.ok(fit.coefficients.every(Number.isFinite));
  });
});
