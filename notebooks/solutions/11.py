"""Solutions of notebook 11's exercises, by hand."""

import math

w, x, t, eta = [0.5, -1.0, 0.2], [1.0, 1.0, 1.0], 1.0, 0.1
assert t * sum(wi * xi for wi, xi in zip(w, x)) <= 0  # misclassified: w x + b = -0.3

z = 0.4 * 2 - 0.7 * 1 + 0.1
y_hat = 1 / (1 + math.exp(-z))

SOLUTIONS = {
    "11.perceptron_step": [wi + eta * t * xi for wi, xi in zip(w, x)],
    "11.bce_gradient": [(y_hat - 0) * 2, (y_hat - 0) * 1, (y_hat - 0) * 1],
    "11.critical_rate": 2 / 6,  # |1 - 6 eta| < 1 <=> eta < 1/3
}
