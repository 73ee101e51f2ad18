"""ACON activations (Ma et al., 2020, in the 2024 lecture, file 004), built from the smooth maximum S_beta.

    from nn.activations import smooth_max, acon_a, acon_b, acon_c

The lecture replaces the hard maximum of ReLU-like activations by a smooth one,

    S_beta(x_1, ..., x_n) = sum_i x_i e^(beta x_i) / sum_i e^(beta x_i),

which tends to max_i x_i as beta -> +inf and to the mean as beta -> 0. For two arguments it is
S_beta(g, h) = (g - h) sigma(beta (g - h)) + h, and "activate or not" (ACON) puts two functions of x in it:

    ACON-A  S_beta(x, 0)         = x sigma(beta x)                           (Swish: Value.silu(beta))
    ACON-B  S_beta(x, a x)       = (1 - a) x sigma(beta (1 - a) x) + a x     (smooth leaky ReLU)
    ACON-C  S_beta(a1 x, a2 x)   = (a1 - a2) x sigma(beta (a1 - a2) x) + a2 x

Everything is composed from `Value` operations (+, -, *, /, exp), so the engine differentiates it: with
respect to x, and to a, a1, a2 and beta when they are `Value`s (learnt parameters, as in the paper). nn
defines no derivative of its own. Any of these works as an `MLP` activation: `activation=lambda z: acon_c(z,
1.0, 0.25, 2.0)`.
"""

from __future__ import annotations

from typing import Sequence

from autograd import Value
from autograd._errors import real_number

Scalar = Value | float


def _scalar(x, function: str, name: str) -> Value:
    """A Value as itself, a finite number as a constant Value; anything else is an error naming it."""
    if isinstance(x, Value):
        return x
    return Value(real_number(x, f"{function}(): {name}", error=ValueError, also="a Value"), requires_grad=False)


def smooth_max(values: Sequence[Scalar], beta: Scalar = 1.0) -> Value:
    """The smooth maximum S_beta(x_1, ..., x_n) = sum_i x_i e^(beta x_i) / sum_i e^(beta x_i) (file 004).

    A weighted mean of the x_i with softmax weights e^(beta x_i) / sum_k e^(beta x_k): the maximum as
    beta -> +inf, the mean at beta = 0, the minimum as beta -> -inf. Every exponent is shifted by the
    largest beta x_k (the weights do not change, lecture note eq 61), so no e^(beta x_i) overflows.

    Arguments:
        values: the numbers x_i (Values or numbers), at least one.
        beta: the sharpness (a number or a Value, which then gets a gradient).
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
        raise ValueError(f"smooth_max(): values must be a non-empty list of numbers or Values, got {values!r}")
    xs = [_scalar(x, "smooth_max", f"values[{i}]") for i, x in enumerate(values)]
    beta = _scalar(beta, "smooth_max", "beta")
    shift = max(beta.data * x.data for x in xs)  # a constant: it cancels between numerator and denominator
    weights = [(beta * x - shift).exp() for x in xs]  # e^(beta x_i - shift)
    numerator = sum((x * w for x, w in zip(xs, weights)), Value(0.0, requires_grad=False))
    denominator = sum(weights, Value(0.0, requires_grad=False))
    return numerator / denominator


def acon_a(x: Scalar, beta: Scalar = 1.0) -> Value:
    """ACON-A(x) = S_beta(x, 0) = x sigma(beta x): Swish (file 004), the engine's `x.silu(beta)`.

    Its derivative is sigma(beta x) + beta x sigma(beta x)(1 - sigma(beta x)).

    Arguments:
        x: the input (a Value or a number).
        beta: the sharpness; beta -> inf gives ReLU, beta = 1 SiLU, beta = 0 the line x / 2.
    """
    return smooth_max([_scalar(x, "acon_a", "x"), 0.0], beta)


def acon_b(x: Scalar, a: Scalar, beta: Scalar = 1.0) -> Value:
    """ACON-B(x) = S_beta(x, a x) = (1 - a) x sigma(beta (1 - a) x) + a x (file 004): a smooth leaky ReLU
    max(x, a x) for a < 1.

    Arguments:
        x: the input (a Value or a number).
        a: the slope of the second function a x (a number or a learnt Value).
        beta: the sharpness (a number or a learnt Value).
    """
    x = _scalar(x, "acon_b", "x")
    return smooth_max([x, _scalar(a, "acon_b", "a") * x], beta)


def acon_c(x: Scalar, a1: Scalar, a2: Scalar, beta: Scalar = 1.0) -> Value:
    """ACON-C(x) = S_beta(a1 x, a2 x) = (a1 - a2) x sigma(beta (a1 - a2) x) + a2 x (file 004).

    Its derivative, with d = (a1 - a2) and s = sigma(beta d x), is d (s + beta d x s (1 - s)) + a2. The
    lecture says it tends to a1 as x -> +inf and to a2 as x -> -inf; that holds when beta (a1 - a2) > 0
    (when beta (a1 - a2) < 0 the two limits swap; at beta = 0 the derivative is (a1 + a2) / 2 everywhere).

    Arguments:
        x: the input (a Value or a number).
        a1, a2: the slopes of the two lines (numbers or learnt Values).
        beta: the sharpness (a number or a learnt Value).
    """
    x = _scalar(x, "acon_c", "x")
    return smooth_max([_scalar(a1, "acon_c", "a1") * x, _scalar(a2, "acon_c", "a2") * x], beta)
