"""Exercises of notebook 03, the delta rule and its vector form (lecture note, eqs 26, 43, 45, 52).

The exact answers come from the engine: the gradients of a small linear layer and of a sigmoid layer, built from
`Value`s, one example or a mini-batch at a time.
"""

from __future__ import annotations

from autograd import Value, grad, linear

from ._registry import Exercise, Mistake, register

# One layer l -> l+1: W (2 x 3), W[j][i] the weight from neuron i of layer l to neuron j of layer l+1 (eq 40).
_W = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]
_Z = [0.4, -1.2, 2.0]  # the weighted inputs z^(l) of layer l; y^(l) = sigmoid(z^(l))
_DELTA_NEXT = [0.3, -0.2]  # delta^(l+1) = dL/dz^(l+1)


def _delta_l() -> list[float]:
    """delta^(l) = dL/dz^(l) for the loss L = sum_j delta_j^(l+1) z_j^(l+1), whose dL/dz^(l+1) is delta^(l+1)."""
    z = [Value(v) for v in _Z]
    y = [v.sigmoid() for v in z]
    z_next = [linear(row, y) for row in _W]  # z_j^(l+1) = sum_i w_ji y_i
    loss = linear(_DELTA_NEXT, z_next)
    return grad(loss, z)


def _transpose_times(delta: list[float]) -> list[float]:  # W^T delta
    return [sum(_W[j][i] * delta[j] for j in range(2)) for i in range(3)]


def _sigmoid_values() -> list[float]:
    return [Value(v).sigmoid().data for v in _Z]


_EXPECTED_DELTA = _delta_l()
_Y = _sigmoid_values()

register(Exercise(
    key="03.delta_l",
    question="With W (2 x 3), delta^(l+1) and z^(l) of the notebook's exercise cell, and sigmoid neurons in layer l, "
             "compute delta^(l) (three numbers) by eq 45: delta^(l) = W^T delta^(l+1) (elementwise) "
             "f'(z^(l)).",
    expected=_EXPECTED_DELTA,
    hint="Eq 45: first W^T delta^(l+1) (entry i is sum_j w_ji delta_j), then multiply entry by entry by "
         "the sigmoid's derivative y (1 - y) (eq 27).",
    mistakes=[
        Mistake(_transpose_times(_DELTA_NEXT), "A factor is missing: the activation's derivative f'(z^(l)) "
                                               "(eq 45's elementwise product)."),
        Mistake([t * y for t, y in zip(_transpose_times(_DELTA_NEXT), _Y)],
                "The sigmoid's derivative is y (1 - y), not y (eq 27)."),
        Mistake([t * z * (1 - z) for t, z in zip(_transpose_times(_DELTA_NEXT), _Z)],
                "The derivative y (1 - y) uses the output y = sigmoid(z), not z."),
    ],
    atol=1e-12, rtol=1e-9,
))

# A mini-batch through one linear layer: Z = W X (columns are examples), L = 1/M sum_k 1/2 |t_k - z_k|^2.
_X = [[1.0, 0.5, -1.0, 2.0], [0.0, -2.0, 1.0, 1.0], [3.0, 1.0, 0.5, -0.5]]  # 3 x M, M = 4
_T = [[1.0, 0.0, -1.0, 0.5], [0.0, 2.0, 1.0, -1.0]]  # 2 x M
_M = len(_X[0])


def _batch_gradient(scale: float) -> list[list[float]]:
    """dL/dW by the engine for L = scale * sum_k 1/2 |t_k - W x_k|^2."""
    w = [[Value(v) for v in row] for row in _W]
    loss = Value(0.0, requires_grad=False)
    for k in range(_M):
        for j in range(2):
            z = linear(w[j], [_X[i][k] for i in range(3)])  # z_j = sum_i w_ji x_ik
            loss = loss + 0.5 * (_T[j][k] - z) ** 2
    flat = [v for row in w for v in row]
    g = grad(scale * loss, flat)
    return [g[0:3], g[3:6]]


def _measure_backward(backward) -> list[float]:
    import numpy as np
    result = np.asarray(backward(np.array(_W), np.array(_X), np.array(_T)), dtype=float)
    return result.ravel().tolist()


register(Exercise(
    key="03.batch_grad_W",
    question="Write, with numpy, `grad_W(W, X, T)` for one linear layer on a mini-batch: Z = W X (one example per "
             "column of X), L = 1/M sum_k 1/2 |t_k - z_k|^2; return dL/dW (eq 52: 1/M Delta X^T, with "
             "Delta = Z - T by eq 13).",
    expected=_batch_gradient(scale=1.0 / _M),
    hint="Eq 52: grad W = 1/M Delta Y^T, where Delta holds each example's delta = -(t - z) as a column and Y = X.",
    mistakes=[
        Mistake(lambda W, X, T: (W @ X - T) @ X.T, "A factor is missing: the loss is the mean over the batch, "
                                                   "so the gradient carries 1/M (eq 52)."),
        Mistake(lambda W, X, T: (T - W @ X) @ X.T / X.shape[1],
                "Look at the sign: delta = -(t - z) = z - t (eq 13)."),
        Mistake(lambda W, X, T: X @ (W @ X - T).T / X.shape[1],
                "The product is transposed: grad W has W's shape, N^(l+1) x N^(l), and is Delta X^T."),
    ],
    atol=1e-12, rtol=1e-9,
    measure=_measure_backward,
))
