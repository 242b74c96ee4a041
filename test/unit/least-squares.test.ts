import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { designMatrix, makeBasis } from "../../src/problems/cubic-fit/bases";
import {
  leastSquaresPolynomial,
  normalEquations,
  solveSymmetricPositiveDefinite,
} from "../../src/problems/cubic-fit/least-squares";
import { sineData } from "../../src/problems/cubic-fit/polynomial";
import { sumOfSquares, sumOfSquaresGradient } from "../../src/problems/cubic-fit/losses";

/**
 * An independent least-squares solve: modified Gram–Schmidt QR of the Vandermonde matrix
 * [1, x, x², …] (never forming XᵀX), then back substitution R c = Qᵀy.
 */
function gramSchmidtLeastSquares(x: ArrayLike<number>, y: ArrayLike<number>, degree: number): number[] {
  const n = x.length;
  const columns = Array.from({ length: degree + 1 }, (_, k) => Array.from(x, (xi) => xi ** k));
  const r = Array.from({ length: degree + 1 }, () => new Array<number>(degree + 1).fill(0));
  const q: number[][] = [];
  columns.forEach((column, k) => {
    const v = [...column];
    // Two passes of orthogonalisation keep Q orthogonal to working precision.
    for (let pass = 0; pass < 2; pass++) {
      q.forEach((qj, j) => {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += qj[i] * v[i];
        r[j][k] += dot;
        for (let i = 0; i < n; i++) v[i] -= dot * qj[i];
      });
    }
    const norm = Math.sqrt(v.reduce((sum, vi) => sum + vi * vi, 0));
    r[k][k] = norm;
    q.push(v.map((vi) => vi / norm));
  });
  const qty = q.map((qk) => qk.reduce((sum, qi, i) => sum + qi * y[i], 0));
  const c = new Array<number>(degree + 1).fill(0);
  for (let k = degree; k >= 0; k--) {
    let sum = qty[k];
    for (let j = k + 1; j <= degree; j++) sum -= r[k][j] * c[j];
    c[k] = sum / r[k][k];
  }
  return c;
}

/** |a − b| within `tolerance` relative to the largest coefficient (coefficients of sin's fit
 * include exact zeros, where only an absolute comparison means anything). */
function assertCoefficientsClose(
  actual: number[],
  expected: number[],
  tolerance: number,
  what: string,
): void {
  const scale = Math.max(...expected.map(Math.abs));
  actual.forEach((a, k) =>
    assert.ok(
      Math.abs(a - expected[k]) <= tolerance * scale,
      `${what}, coefficient ${k}: ${a} vs ${expected[k]}`,
    ),
  );
}

describe("the least-squares polynomial (normal equations)", () => {
  const data = sineData();

  it("recovers a polynomial exactly when the data lie on it", () => {
    const x = [-2, -1.5, -0.3, 0, 0.7, 1.1, 2.4, 3];
    const truth = [1, -2, 0.5, 0.25];
    const y = x.map((xi) => truth[0] + truth[1] * xi + truth[2] * xi ** 2 + truth[3] * xi ** 3);
    for (const basis of ["monomial", "scaled", "legendre"] as const) {
      const fit = leastSquaresPolynomial({
        data: { x: Float64Array.from(x), y: Float64Array.from(y) },
        basis,
      });
      assertCoefficientsClose(fit.coefficients, truth, 1e-12, basis);
      assert.ok(fit.loss < 1e-24, `${basis} loss ${fit.loss}`);
    }
  });

  for (const degree of [3, 5, 7]) {
    it(`degree ${degree} on the article's 2000 points equals an independent Gram–Schmidt QR solve`, () => {
      const reference = gramSchmidtLeastSquares(data.x, data.y, degree);
      const fit = leastSquaresPolynomial({ degree });
      assertCoefficientsClose(fit.coefficients, reference, 1e-10, `degree ${degree}`);
      const referenceLoss = sumOfSquares(reference, data);
      assert.ok(
        Math.abs(fit.loss - referenceLoss) <= 1e-9 * referenceLoss,
        `${fit.loss} vs ${referenceLoss}`,
      );
    });
  }

  it("on [−4π, 4π] agrees with the Gram–Schmidt solve too", () => {
    const wide = sineData(2000, -4 * Math.PI, 4 * Math.PI);
    assertCoefficientsClose(
      leastSquaresPolynomial({ data: wide }).coefficients,
      gramSchmidtLeastSquares(wide.x, wide.y, 3),
      1e-10,
      "[−4π, 4π]",
    );
  });

  it("is where the article's gradient vanishes, and sin's oddness makes a and c vanish", () => {
    const fit = leastSquaresPolynomial();
    const gradientAtZero = sumOfSquaresGradient([0, 0, 0, 0], data);
    const scale = Math.max(...gradientAtZero.map(Math.abs));
    sumOfSquaresGradient(fit.coefficients, data).forEach((g, k) =>
      assert.ok(Math.abs(g) < 1e-12 * scale, `grad[${k}] = ${g}`),
    );
    assert.ok(Math.abs(fit.coefficients[0]) < 1e-14 && Math.abs(fit.coefficients[2]) < 1e-14);
    // The first-order optimality says every other cubic does worse: nudge each coefficient.
    for (let k = 0; k < 4; k++) {
      for (const step of [-1e-3, 1e-3]) {
        const nudged = [...fit.coefficients];
        nudged[k] += step;
        assert.ok(sumOfSquares(nudged, data) > fit.loss);
      }
    }
  });

  it("every basis gives the same polynomial", () => {
    const legendre = leastSquaresPolynomial({ degree: 5, basis: "legendre" });
    for (const basis of ["monomial", "scaled"] as const) {
      assertCoefficientsClose(
        leastSquaresPolynomial({ degree: 5, basis }).coefficients,
        legendre.coefficients,
        1e-9,
        basis,
      );
    }
  });

  it("builds XᵀX and Xᵀy as their definitions", () => {
    const x = [1, 2, 3];
    const y = [2, 0, 1];
    const { gram, moment } = normalEquations(designMatrix(makeBasis("monomial", 1), x), y);
    assert.deepEqual(gram, [
      [3, 6],
      [6, 14],
    ]);
    assert.deepEqual(moment, [3, 5]);
  });

  it("solves a symmetric positive definite system and rejects singular ones", () => {
    const solution = solveSymmetricPositiveDefinite(
      [
        [4, 2],
        [2, 3],
      ],
      [2, 5],
    );
    // 4u + 2v = 2, 2u + 3v = 5 → u = −0.5, v = 2
    assert.ok(Math.abs(solution[0] + 0.5) < 1e-15 && Math.abs(solution[1] - 2) < 1e-15);
    assert.throws(
      () =>
        solveSymmetricPositiveDefinite(
          [
            [1, 1],
            [1, 1],
          ],
          [1, 2],
        ),
      /singular/,
    );
    assert.throws(() => solveSymmetricPositiveDefinite([[1]], [1, 2]), /matrix must have 2 rows/);
    assert.throws(() => solveSymmetricPositiveDefinite([[1, 2]], [Number.NaN]), /rhs\[0\] must be a finite/);
  });

  it("rejects too few points, bad degrees and mismatched data, naming the value", () => {
    const three = { x: Float64Array.from([0, 1, 2]), y: Float64Array.from([0, 1, 4]) };
    assert.throws(
      () => leastSquaresPolynomial({ data: three, degree: 3 }),
      /needs more than 3 points, got 3/,
    );
    assert.throws(() => leastSquaresPolynomial({ degree: 21 }), /degree must be a whole number from 0 to 20/);
    assert.throws(
      () => leastSquaresPolynomial({ data: { x: Float64Array.from([0, 1]), y: Float64Array.from([0]) } }),
      /same length, got 2 and 1/,
    );
    const repeated = { x: Float64Array.from([1, 1, 1, 1, 1]), y: Float64Array.from([0, 1, 2, 3, 4]) };
    assert.throws(() => leastSquaresPolynomial({ data: repeated, basis: "monomial" }), /singular/);
  });
});
