"""Solutions of notebook 08's exercises, by hand."""

import numpy as np


def relu_layer_backward(X, W, b, G):
    mask = (X @ W + b) > 0          # where the ReLU passes the gradient
    return X.T @ (G * mask)         # the rule for f(W) = g(XW)


SOLUTIONS = {
    "08.grad_W": (np.array([[1, 2], [0, 1]]).T @ np.ones(2)).tolist(),   # X^T G with G all ones
    "08.relu_backward": relu_layer_backward,
    "08.edges": 4,   # x*y: edges to x and y; +: edges to x*y and x
}
