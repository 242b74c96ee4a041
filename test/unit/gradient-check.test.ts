import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AUTODIFF_TOLERANCE,
  articleFunctionSubject,
  checkAgainstAutodiff,
  checkAgainstFiniteDifferences,
  randomPoints,
  relativeError,
  sumOfSquaresSubject,
  type GradientCheckSubject,
} from "../../src/checks/gradient-check";
import { loadTensorFlow } from "../../src/checks/tensorflow";

// Side by side with the framework's autodiff, as micrograd's tests check against PyTorch.
describe("hand-derived gradients against TensorFlow.js autodiff and central differences", () => {
  const quadraticPoints = randomPoints(1000, 2, 11, 3);
  const coefficientPoints = randomPoints(1000, 4, 12);

  it("names the TensorFlow.js package and backend that ran", () => {
    const loaded = loadTensorFlow();
    assert.match(loaded.packageName, /^@tensorflow\/tfjs(-node)?$/);
    assert.ok(loaded.backend.length > 0);
    const report = checkAgainstAutodiff(articleFunctionSubject, quadraticPoints.slice(0, 1));
    assert.ok(report.method.includes(loaded.packageName));
  });

  for (const [subject, points] of [
    [articleFunctionSubject, quadraticPoints],
    [sumOfSquaresSubject(), coefficientPoints],
  ] as const) {
    it(`${subject.name}: hand vs tf.grad on 1000 points within ${AUTODIFF_TOLERANCE}`, () => {
      const report = checkAgainstAutodiff(subject, points);
      assert.equal(report.points, 1000);
      assert.ok(report.passed, JSON.stringify(report.maxRelativeError));
    });
    it(`${subject.name}: hand vs central differences on 1000 points within 1e-6`, () => {
      const report = checkAgainstFiniteDifferences(subject, points);
      assert.ok(report.passed, JSON.stringify(report.maxRelativeError));
    });
  }

  it("catches a wrong hand gradient (∂f/∂y = y instead of y/2)", () => {
    const wrong: GradientCheckSubject = { ...articleFunctionSubject, handGradient: ([x, y]) => [x + 1, y] };
    const autodiff = checkAgainstAutodiff(wrong, quadraticPoints.slice(0, 50));
    const differences = checkAgainstFiniteDifferences(wrong, quadraticPoints.slice(0, 50));
    assert.equal(autodiff.passed, false);
    assert.equal(differences.passed, false);
    assert.ok(autodiff.maxRelativeError[0] < AUTODIFF_TOLERANCE && autodiff.maxRelativeError[1] > 0.1);
  });

  it("measures relative error against 1 for small gradients", () => {
    assert.equal(relativeError(2, 1), 0.5);
    assert.equal(relativeError(1e-9, 0), 1e-9);
  });
});
