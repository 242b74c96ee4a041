/**
 * What the live explorers' page code has in place of ml-matrix (see PAGE_BUNDLES in
 * src/tools/page-bundles.ts): no live explorer solves a linear system in the page (Newton's rule
 * needs a Hessian, which no explorer carries, and is refused before any solve; a fit's optimum
 * travels in its statistics, solved in the kernel), while ml-matrix
 * would add 70 kB to every live figure's output. A path that did reach it says so in one line.
 */
function unavailable(): never {
  throw new Error("linear algebra (ml-matrix) is not in the live explorer's page code");
}

export class Matrix {
  constructor() {
    unavailable();
  }
  static columnVector(): never {
    return unavailable();
  }
}

export class LuDecomposition {
  constructor() {
    unavailable();
  }
}

export class CholeskyDecomposition {
  constructor() {
    unavailable();
  }
}
