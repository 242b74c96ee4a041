"""The second article's loop, as it wrote it (numpy, float64), timed: python3 fit_numpy.py CONFIG.json"""
import json
import math
import sys
import time

import numpy as np


def fit(start, learning_rate, iterations, points):
    x = np.linspace(-math.pi, math.pi, points)
    y = np.sin(x)
    a, b, c, d = start
    for t in range(iterations):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = np.square(y_pred - y).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return [float(a), float(b), float(c), float(d)], float(loss)


config = json.load(open(sys.argv[1]))
for _ in range(config["warmUps"]):  # untimed: first-call costs (imports, allocator, dispatch caches)
    fit(config["start"], config["learningRate"], config["iterations"], config["points"])
times = []
for _ in range(config["repeats"]):
    began = time.perf_counter()
    coefficients, loss = fit(config["start"], config["learningRate"], config["iterations"], config["points"])
    times.append(time.perf_counter() - began)
print(json.dumps({"seconds": times, "coefficients": coefficients, "version": np.__version__}))
