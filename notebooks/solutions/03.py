"""Solutions of notebook 03's exercises (numpy, by the lecture note's formulas)."""

import numpy as np

W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
z = np.array([0.4, -1.2, 2.0])
delta_next = np.array([0.3, -0.2])
y = 1 / (1 + np.exp(-z))
delta_l = (W.T @ delta_next) * y * (1 - y)  # eq 45 with eq 27


def grad_W(W, X, T):
    Delta = W @ X - T  # eq 13 for each example: delta = -(t - z)
    return Delta @ X.T / X.shape[1]  # eq 52


SOLUTIONS = {"03.delta_l": delta_l, "03.batch_grad_W": grad_W}
