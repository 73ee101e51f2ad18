"""The engine's operations on numpy arrays, for `autograd.compiled`: one rule per operation name.

A compiled step computes many nodes of one operation at once. A rule receives their parents' values as the
rows of one array `P` (row i holds parent i of every node, so `P` has one column per node) and gives:

- `forward(P) -> out`: the operation's value for every node (one number per column);
- `local_grads(P, out) -> D`: d out / d parent i in row i, or anything that broadcasts to that shape
  (a number when every local derivative is the same).

These are the formulas of the engine's table of operations (autograd/engine.py), written for arrays, with
the same conventions at kinks (relu'(0) = 0, |x|'(0) = 0, ...) and the same stable formulas (sigmoid,
softplus). tests/test_compiled.py checks every rule against the engine. A value the engine would refuse
(log of a negative number, an overflow) comes out here as inf or nan, which the compiled step looks for.

"+" is the n-ary sum t_1 + t_2 + ... + t_n: a compiled step merges chains of additions into one node.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np


class Rule(NamedTuple):
    forward: Callable
    local_grads: Callable


def _sigmoid(x):  # 1 / (1 + e^-x), computed with e^-|x|, which never overflows (as the engine does)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(x):  # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _sum(P):  # t_1 + t_2 + ... + t_n, added row after row: the engine's order for a chain (a + b) + c
    return np.add.reduce(P, axis=0)


def _power(a, b):  # a ** b, with one number as the exponent when all are equal (numpy's x ** 2 is x * x)
    return a ** b[0] if b[0] == b[-1] and (b == b[0]).all() else a ** b


def _pow_local_grads(P, out):
    a, b = P
    positive = a > 0
    # d(a^b)/da = b a^(b-1); at a = 0 with b <= 1: 0 for b = 0, 1 for b = 1, infinite otherwise.
    d_base = b * _power(a, b - 1)
    if not positive.all():  # (infinite at 0 for b < 1, negative at a = -0.0 for an odd integer b - 1)
        odd = (np.mod(b - 1.0, 2.0) == 1.0)
        at_zero = np.where((b == 0) | (b == 1), b, b * np.copysign(np.inf, np.where(odd, a, 1.0)))
        d_base = np.where((a == 0) & (b <= 1), at_zero, d_base)
    # d(a^b)/db = a^b ln a, taken as 0 for a <= 0 (where the engine refuses an exponent that needs a gradient)
    if positive.all():
        return np.stack((d_base, out * np.log(a)))
    return np.stack((d_base, np.where(positive, out * np.log(np.where(positive, a, 1.0)), 0.0)))


def _sqrt_local_grads(out):  # 1 / (2 sqrt x): infinite at 0
    return np.where(out != 0, 0.5 / np.where(out != 0, out, 1.0), np.inf)


def _linear(P):  # z = sum_i w_i x_i (+ b); rows: w_1..w_n, x_1..x_n, then b if there is one
    n = len(P) // 2
    z = np.add.reduce(P[:n] * P[n:2 * n], axis=0)
    return z + P[2 * n] if len(P) % 2 else z


def _linear_local_grads(P, out):  # d z/d w_i = x_i, d z/d x_i = w_i, d z/d b = 1
    n = len(P) // 2
    rows = [P[n:2 * n], P[:n]] + ([np.ones((1, P.shape[1]))] if len(P) % 2 else [])
    return np.concatenate(rows)


def _where_positive(x, positive, otherwise):
    return np.where(x > 0, positive, otherwise)


RULES: dict[str, Rule] = {
    "+": Rule(_sum, lambda P, out: 1.0),
    "-": Rule(lambda P: P[0] - P[1], lambda P, out: np.array([[1.0], [-1.0]])),
    "*": Rule(lambda P: P[0] * P[1], lambda P, out: P[::-1]),  # (b, a)
    "/": Rule(lambda P: P[0] / P[1], lambda P, out: np.stack((1.0 / P[1], -out / P[1]))),
    "neg": Rule(lambda P: -P[0], lambda P, out: -1.0),
    "**": Rule(lambda P: _power(P[0], P[1]), _pow_local_grads),
    "exp": Rule(lambda P: np.exp(P[0]), lambda P, out: out),
    "log": Rule(lambda P: np.log(P[0]), lambda P, out: 1.0 / P[0]),
    "sqrt": Rule(lambda P: np.sqrt(P[0]), lambda P, out: _sqrt_local_grads(out)),
    "abs": Rule(lambda P: np.abs(P[0]), lambda P, out: np.sign(P[0])),
    "sin": Rule(lambda P: np.sin(P[0]), lambda P, out: np.cos(P[0])),
    "cos": Rule(lambda P: np.cos(P[0]), lambda P, out: -np.sin(P[0])),
    "tanh": Rule(lambda P: np.tanh(P[0]), lambda P, out: _tanh_local_grads(P[0], out)),
    "sigmoid": Rule(lambda P: _sigmoid(P[0]), lambda P, out: out * _sigmoid(-P[0])),  # y (1 - y), no cancellation
    "relu": Rule(lambda P: _where_positive(P[0], P[0], 0.0), lambda P, out: _where_positive(P[0], 1.0, 0.0)),
    "step": Rule(lambda P: _where_positive(P[0], 1.0, 0.0), lambda P, out: 0.0),
    # leaky_relu(x, s) = x for x > 0, s x otherwise; derivatives (1, 0) or (s, x)
    "leaky_relu": Rule(lambda P: _where_positive(P[0], P[0], P[1] * P[0]),
                       lambda P, out: np.stack((_where_positive(P[0], 1.0, P[1]),
                                                _where_positive(P[0], 0.0, P[0])))),
    # elu(x, a) = x for x > 0, a (e^x - 1) otherwise; derivatives (1, 0) or (a e^x, e^x - 1)
    "elu": Rule(lambda P: _where_positive(P[0], P[0], P[1] * np.expm1(P[0])),
                lambda P, out: np.stack((_where_positive(P[0], 1.0, P[1] * np.exp(P[0])),
                                         _where_positive(P[0], 0.0, np.expm1(P[0]))))),
    "softplus": Rule(lambda P: _softplus(P[0]), lambda P, out: _sigmoid(P[0])),
    # silu(x, b) = x s with s = sigmoid(b x); derivatives (s + b x s (1 - s), x^2 s (1 - s)), 1 - s = sigmoid(-b x)
    "silu": Rule(lambda P: P[0] * _sigmoid(P[1] * P[0]), lambda P, out: _silu_local_grads(P[0], P[1])),
    # mish(x) = x t with t = tanh(softplus(x)); derivative t + x sigmoid(x) (1 - t^2)
    "mish": Rule(lambda P: P[0] * np.tanh(_softplus(P[0])), lambda P, out: _mish_local_grads(P[0])),
    "linear": Rule(_linear, _linear_local_grads),
}


def _silu_local_grads(x, b):
    s = _sigmoid(b * x)
    xds = x * s * _sigmoid(-(b * x))
    return np.stack((s + b * xds, x * xds))


def _tanh_local_grads(x, t):  # 1 - t^2, as 4 e^-2|x| / (1 + e^-2|x|)^2 for |x| > 0.5 (no cancellation)
    e = np.exp(-2.0 * np.abs(x))
    return np.where(np.abs(x) > 0.5, 4.0 * e / (1.0 + e) ** 2, 1.0 - t * t)


def _mish_local_grads(x):
    t = np.tanh(_softplus(x))
    return t + x * _sigmoid(x) * (1.0 - t * t)


# The number of parents each operation takes (None: any number, as "+" after merging and "linear").
ARITY = {"neg": 1, "exp": 1, "log": 1, "sqrt": 1, "abs": 1, "sin": 1, "cos": 1, "tanh": 1, "sigmoid": 1,
         "relu": 1, "step": 1, "softplus": 1, "mish": 1, "-": 2, "*": 2, "/": 2, "**": 2, "leaky_relu": 2,
         "elu": 2, "silu": 2, "+": 2, "linear": None}


# ---------------------------------------------------------------------------------------------------------
# Groups: the nodes a compiled step computes together. All values of a step live in one array `values`, a
# group's own in one slice, `values[start:stop]`; gradients live in an array `grads` laid out alike. Every
# parent of a group comes before `start`.

class _Scatter:
    """grads[slot] += contribution for every (slot, contribution) pair. Where a slot repeats (a weight used by
    many nodes), by one `bincount` over the range of slots involved; where none does, directly (a slice when
    the slots are consecutive, as are the outputs of the group before)."""

    def __init__(self, slots):
        slots = np.asarray(slots, dtype=np.intp).ravel()
        self.low = int(slots.min()) if len(slots) else 0
        self.high = int(slots.max()) + 1 if len(slots) else 0
        self.consecutive = np.array_equal(slots, np.arange(self.low, self.high))
        self.unique = len(np.unique(slots)) == len(slots)
        self.slots = slots if self.unique else slots - self.low

    def __call__(self, grads, contributions) -> None:
        if self.consecutive:
            grads[self.low:self.high] += contributions.ravel()
        elif self.unique:
            grads[self.slots] += contributions.ravel()
        else:
            grads[self.low:self.high] += np.bincount(self.slots, contributions.ravel(),
                                                     minlength=self.high - self.low)


class Elementwise:
    """Nodes of one operation with the same number of parents, computed by the operation's rule.

    `parent_slots[i, k]` is where parent i of node k is in `values`; `rows` are the parents i that need a
    gradient (None: all), so constants such as the 2 of x ** 2 receive none."""

    def __init__(self, rule: Rule, parent_slots, start: int, stop: int, rows: list[int] | None = None):
        self.rule, self.parent_slots, self.start, self.stop, self.rows = rule, parent_slots, start, stop, rows
        self._scatter = _Scatter(parent_slots if rows is None else parent_slots[rows])

    def forward(self, values) -> None:
        self._parents = values.take(self.parent_slots)  # kept for backward
        values[self.start:self.stop] = self.rule.forward(self._parents)

    def backward(self, values, grads) -> None:
        P = self._parents
        local_grads = self.rule.local_grads(P, values[self.start:self.stop])
        # The chain rule for the whole group: d root/d parent += d node/d parent * d root/d node
        contributions = np.multiply(local_grads, grads[self.start:self.stop], out=np.empty(P.shape))
        self._scatter(grads, contributions if self.rows is None else contributions[self.rows])


class MatrixProduct:
    """Linear nodes that form a grid, z[m, j] = W[j] . X[m] (+ b[j]): every weight vector W[j] (a neuron)
    meets every input vector X[m] (an example) once. That is a layer of an MLP over a batch, computed as the
    lecture note's vector form: Z = X W^T + b (eq 51), and backward (eqs 52-56 without the 1/M, which the
    loss carries):  dX = G W,  dW = G^T X,  db = sum_m G[m],  with G the gradients of Z.

    The group's values are Z in row-major order: node (m, j) is at start + m * J + j. `inputs_need_grad`
    and `weights_need_grad` say which gradients to compute (the inputs of a first layer are constants)."""

    def __init__(self, weight_slots, input_slots, bias_slots, start: int, stop: int, inputs_need_grad: bool = True,
                 weights_need_grad: bool = True):
        self.weight_slots, self.input_slots, self.bias_slots = weight_slots, input_slots, bias_slots
        self.start, self.stop = start, stop
        self.inputs_need_grad, self.weights_need_grad = inputs_need_grad, weights_need_grad
        parts = ([input_slots.ravel()] if inputs_need_grad else []) + ([weight_slots.ravel()] + (
            [] if bias_slots is None else [bias_slots]) if weights_need_grad else [])
        self._scatter = _Scatter(np.concatenate(parts) if parts else [])

    def forward(self, values) -> None:
        self._X, self._W = values.take(self.input_slots), values.take(self.weight_slots)
        Z = self._X @ self._W.T
        if self.bias_slots is not None:
            Z += values.take(self.bias_slots)
        values[self.start:self.stop] = Z.ravel()

    def backward(self, values, grads) -> None:
        G = grads[self.start:self.stop].reshape(len(self._X), len(self._W))
        parts = [(G @ self._W).ravel()] if self.inputs_need_grad else []
        if self.weights_need_grad:
            parts.append((G.T @ self._X).ravel())
            if self.bias_slots is not None:
                parts.append(G.sum(axis=0))
        if parts:
            self._scatter(grads, np.concatenate(parts))
