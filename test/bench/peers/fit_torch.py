"""The loop in PyTorch, float64, one thread: hand gradients or autograd. python3 fit_torch.py CONFIG.json hand|autograd"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)


def fit_hand(start, learning_rate, iterations, points):
    x = torch.linspace(-math.pi, math.pi, points, dtype=torch.float64)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, dtype=torch.float64) for v in start)
    for t in range(iterations):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return [a.item(), b.item(), c.item(), d.item()]


def fit_autograd(start, learning_rate, iterations, points):
    x = torch.linspace(-math.pi, math.pi, points, dtype=torch.float64)
    y = torch.sin(x)
    params = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in start]
    for t in range(iterations):
        a, b, c, d = params
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= learning_rate * p.grad
                p.grad = None
    return [p.item() for p in params]


config = json.load(open(sys.argv[1]))
fit = fit_hand if sys.argv[2] == "hand" else fit_autograd
for _ in range(config["warmUps"]):  # untimed: first-call costs (imports, allocator, dispatch caches)
    fit(config["start"], config["learningRate"], config["iterations"], config["points"])
times = []
for _ in range(config["repeats"]):
    began = time.perf_counter()
    coefficients = fit(config["start"], config["learningRate"], config["iterations"], config["points"])
    times.append(time.perf_counter() - began)
print(json.dumps({"seconds": times, "coefficients": coefficients, "version": torch.__version__}))
