"""Exercises of notebook 08: matrix gradients in row convention, the ReLU layer's backward pass, the cost of
Algorithm 2 in edges.

The expected answers come from the engine (gradients by `autograd.grad`, the graph's edges by
`autograd.topological_order`)."""

from __future__ import annotations

from autograd import Value, grad, linear, topological_order

from ._registry import Exercise, Mistake, register

# 08.grad_W: Y = X W, X = [[1, 2], [0, 1]], W = [[3], [-1]], L = sum_i Y_i -> grad_W = X^T 1
_X = [[1.0, 2.0], [0.0, 1.0]]
_W = [Value(3.0), Value(-1.0)]
_L = linear(_W, _X[0]) + linear(_W, _X[1])  # Y_1 + Y_2
register(Exercise(
    key="08.grad_W",
    question="Y = X W with X = [[1, 2], [0, 1]], W = [[3], [-1]], L = sum_i Y_i: the gradient of L with respect "
             "to W (two numbers).",
    expected=grad(_L, _W),
    hint="The rule for f(W) = g(XW) is X^T times the gradient with respect to XW, which here is a column of ones.",
    mistakes=[
        Mistake([3.0, 1.0], "That is X times the ones (the row sums); the rule multiplies by X^T (the column sums)."),
        Mistake([2.0, 2.0], "That is the gradient with respect to X (G W^T, row by row); the question asks for W."),
    ],
    atol=1e-12,
))

# 08.relu_backward: a function (X, W, b, G) -> grad_W for H = max(0, XW + b), measured on fixed arrays
_XR = [[1.0, -2.0, 0.5], [3.0, 1.0, -1.0], [0.0, 2.0, 2.0], [-1.0, -1.0, 1.0]]
_WR = [[1.0, -1.0], [2.0, 1.0], [-0.5, 0.25]]
_BR = [-4.0, 2.5]  # the bias changes the mask: XW + b and XW differ in sign in two places
_GR = [[1.0, 2.0], [-1.0, 1.0], [3.0, -2.0], [0.5, 0.5]]


def _measure(f) -> list:
    import numpy as np
    out = f(np.array(_XR), np.array(_WR), np.array(_BR), np.array(_GR))
    return np.asarray(out, dtype=float).tolist()


def _engine_grad_w():
    W = [[Value(v) for v in row] for row in _WR]
    H = [[linear([W[k][j] for k in range(3)], x, _BR[j]).relu() for j in range(2)] for x in _XR]
    L = linear([g for row in _GR for g in row], [h for row in H for h in row])  # sum_ij G_ij H_ij
    flat = grad(L, [w for row in W for w in row])
    return [flat[2 * k:2 * k + 2] for k in range(3)]


register(Exercise(
    key="08.relu_backward",
    question="Write relu_layer_backward(X, W, b, G) in numpy: the gradient with respect to W of a loss whose "
             "gradient with respect to H = max(0, XW + b) is G.",
    expected=_engine_grad_w(),
    hint="First the ReLU: the gradient reaching XW + b is G where XW + b > 0 and 0 elsewhere; then the rule for "
         "f(W) = g(XW).",
    mistakes=[
        Mistake(lambda X, W, b, G: X.T @ G, "The ReLU is missing: where XW + b <= 0 no gradient passes."),
        Mistake(lambda X, W, b, G: X.T @ (G * ((X @ W) > 0)),
                "The mask must look at XW + b, the ReLU's input, bias included."),
        Mistake(lambda X, W, b, G: (G * ((X @ W + b) > 0)) @ W.T,
                "That is the gradient with respect to X, (G * mask) W^T; for W multiply by X^T on the left."),
    ],
    atol=1e-12,
    measure=_measure,
))

# 08.edges: z = x * y + x; Algorithm 2 makes one multiply-add per edge into a node that needs a gradient
_x, _y = Value(1.0), Value(2.0)
_z = _x * _y + _x
register(Exercise(
    key="08.edges",
    question="How many multiply-adds does Algorithm 2 make for z = x * y + x?",
    expected=sum(1 for node in topological_order(_z) for p in node.parents if p.requires_grad),
    hint="Count the edges of the graph: one per operand of each operation (x is used twice).",
    mistakes=[
        Mistake(3, "x is used twice: by x * y and by the addition, two edges, each with its own multiply-add."),
        Mistake(2, "Count every operand of every operation: x * y has two, the addition two."),
    ],
    atol=0.0,
))
