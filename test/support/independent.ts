/**
 * Computations the tests do on their own, without src: eigenvalues by cyclic Jacobi rotations and
 * the cubic's Hessian 2XᵀX summed point by point.
 */
/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (independent of the kit's). */
export function jacobiEigenvalues(matrix: readonly (readonly number[])[]): number[] {
  const a = matrix.map((row) => [...row]);
  const n = a.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-30 * a.reduce((s, row, i) => s + row[i] ** 2, 0)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i]).sort((x, y) => x - y);
}

/** 2XᵀX of the cubic on the points. */
export function cubicHessian(xs: ArrayLike<number>): number[][] {
  const h = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  for (let i = 0; i < xs.length; i++) {
    const phi = [1, xs[i], xs[i] ** 2, xs[i] ** 3];
    for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) h[j][k] += 2 * phi[j] * phi[k];
  }
  return h;
}
