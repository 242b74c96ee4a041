/**
 * The two articles done the Python way, as notebooks for the ipykernel kernel: the articles' own
 * code (numpy, matplotlib), with their command-line arguments as variables. The bench executes and
 * exports them with nbconvert, beside the kit's notebooks.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

function notebook(cells: { type: "markdown" | "code"; source: string }[]): object {
  return {
    cells: cells.map((cell) =>
      cell.type === "code"
        ? { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: cell.source }
        : { cell_type: "markdown", metadata: {}, source: cell.source },
    ),
    metadata: {
      kernelspec: { display_name: "Python 3", language: "python", name: "python3" },
      language_info: { name: "python" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const FIRST_ARTICLE_RUN = (
  learningRate: number,
): string => `learning_rate, iterations, x, y = ${learningRate}, 10, 2.0, 2.0
x_values, y_values, z_values = [x], [y], [func(x, y)]
for i in range(iterations):
    grad_x = x + 1
    grad_y = y / 2
    x = x - learning_rate * grad_x
    y = y - learning_rate * grad_y
    print(x, y, func(x, y))
    x_values.append(x)
    y_values.append(y)
    z_values.append(func(x, y))
fig = plt.figure()
ax = fig.add_subplot(projection='3d')
ax.set_xlabel('X')
ax.set_ylabel('Y')
ax.set_zlabel('Z')
ax.plot_surface(X, Y, Z, cmap=cm.hot, linewidth=0, antialiased=True, alpha=1.0)
ax.plot(x_values, y_values, z_values, label='Learning curve', color='lightblue')
plt.show()`;

export const FIRST_ARTICLE = notebook([
  { type: "markdown", source: "# Gradient descent on f(x, y) = ½x² + x + ¼y² − 2 (the article's Python)" },
  {
    type: "code",
    source: `import math
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import cm

def func(xv, yv):
    return 0.5 * math.pow(xv, 2) + xv + 0.25 * math.pow(yv, 2) - 2

X = np.zeros((51, 51))
X[:, ] = np.arange(-2.5, 2.6, 0.1)
Y = np.zeros((51, 51))
for i in range(51):
    Y[i, :] = X[0, i]
Z = np.zeros((51, 51))
for j in range(51):
    for i in range(51):
        Z[j, i] = func(X[j, i], Y[j, i])`,
  },
  ...[0.1, 1, 2].map((rate) => ({ type: "code" as const, source: FIRST_ARTICLE_RUN(rate) })),
]);

export const SECOND_ARTICLE = notebook([
  { type: "markdown", source: "# Fitting a cubic to sin(x) by gradient descent (the article's Python)" },
  {
    type: "code",
    source: `import math
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(-math.pi, math.pi, 2000)
y = np.sin(x)
plt.plot(x, y)
plt.show()`,
  },
  {
    type: "code",
    source: `np.random.seed(0)
a, b, c, d = np.random.randn(), np.random.randn(), np.random.randn(), np.random.randn()
learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = np.square(y_pred - y).sum()
    if t % 100 == 99:
        print(t, loss)
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum()
    grad_d = (grad_y_pred * x ** 3).sum()
    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d
print(f'Result: y = {a} + {b} x + {c} x^2 + {d} x^3')`,
  },
  {
    type: "code",
    source: `plt.plot(x, y, label='sin(x)')
plt.plot(x, a + b * x + c * x ** 2 + d * x ** 3, label='fit')
plt.legend()
plt.show()`,
  },
]);

/** Writes both notebooks into `dir`; returns their paths, first article first. */
export function writePythonNotebooks(dir: string): [string, string] {
  const first = path.join(dir, "01-python-gradient-descent.ipynb");
  const second = path.join(dir, "02-python-cubic-fit.ipynb");
  writeFileSync(first, JSON.stringify(FIRST_ARTICLE, null, 1));
  writeFileSync(second, JSON.stringify(SECOND_ARTICLE, null, 1));
  return [first, second];
}
