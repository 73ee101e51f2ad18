"""Exercises of notebook 01, the chain rule on a computational graph (file 004's f(x, y), the sum over children).

The exact answers come from the engine (`autograd.grad`).
"""

from __future__ import annotations

from autograd import Value, grad

from ._registry import Exercise, Mistake, register, values_at

_X, _Y = 2.0, -1.0


def _f(x, y):  # file 004's f(x, y) = x^2 + xy + (x + y)^2
    return x ** 2 + x * y + (x + y) ** 2


_x, _y = Value(_X), Value(_Y)
_DF_DX, _DF_DY = grad(_f(_x, _y), [_x, _y])

register(Exercise(
    key="01.df_dx",
    question="For f(x, y) = x^2 + xy + (x + y)^2 at x = 2, y = -1, compute df/dx by hand: the sum over the "
             "three paths from x to f of the products of the local derivatives.",
    expected=_DF_DX,
    hint="x reaches f along three paths (through x^2, through xy and through x + y); add one product per path.",
    mistakes=[
        Mistake(_DF_DX - 2 * (_X + _Y), "A path is missing: the one through c = x + y and d = c^2."),
        Mistake(_DF_DX - _Y, "A path is missing: the one through b = xy (its local derivative is y)."),
        Mistake(_DF_DX - 2 * _X, "A path is missing: the one through a = x^2."),
        Mistake(_DF_DY, "The wrong input: that is df/dy."),
    ],
))

_POINTS = [-2.0, -0.5, 0.3, 1.5]


def _softsign(x):  # x / (1 + |x|), built from the engine's primitives
    return x / (1 + abs(x))


def _engine_derivative(x: float) -> float:
    v = Value(x)
    return grad(_softsign(v), v)


register(Exercise(
    key="01.softsign_derivative",
    question="A new operation, softsign(x) = x / (1 + |x|). Write its local derivative as a Python function "
             "of the number x (you may use abs); it is checked at x = -2, -0.5, 0.3, 1.5.",
    expected=values_at(_POINTS)(_engine_derivative),
    hint="Use the quotient rule, and d|x|/dx = sign(x); compare your function with gradcheck on "
         "Value(softsign(x.data), parents=(x,), local_grads=(your_derivative(x.data),)).",
    mistakes=[
        Mistake(lambda x: 1 / (1 + abs(x)), "A factor is missing: the denominator (1 + |x|) appears squared."),
        Mistake(lambda x: (1 + 2 * abs(x)) / (1 + abs(x)) ** 2,
                "Look at the sign in the quotient rule: (u/v)' = (u'v - uv')/v^2."),
        Mistake(lambda x: x / (1 + abs(x)), "That is softsign itself, not its derivative."),
    ],
    atol=1e-12, rtol=1e-9,
    measure=values_at(_POINTS),
))
