"""Exercises of notebook 07, higher-order derivatives.

The exact answers come from the engine's derivative graphs (`autograd.hessian`, `grad(create_graph=True)`).
"""

from __future__ import annotations

from autograd import Value, grad, hessian

from ._registry import Exercise, Mistake, register


def _f(x, y):
    return x ** 2 * y + y ** 3


_H = hessian(_f, [1.0, 2.0])

register(Exercise(
    key="07.hessian_xy",
    question="For f(x, y) = x^2 y + y^3, compute the mixed second derivative d^2 f / dx dy at (x, y) = (1, 2).",
    expected=_H[0][1],
    hint="Differentiate with respect to x first (2xy), then the result with respect to y.",
    mistakes=[
        Mistake(_H[0][0], "That is d^2 f/dx^2: the second derivative is with respect to y."),
        Mistake(_H[1][1], "That is d^2 f/dy^2: the first derivative is with respect to x."),
    ],
))

_W = 0.5
_w = Value(_W)
_z = _w.sin().sin().sin()  # z = f(f(f(w))) with f = sin, the book's repeated subexpression
_DZ = grad(_z, _w, create_graph=True)
_D2Z = grad(_DZ, _w)

register(Exercise(
    key="07.second_derivative",
    question="For z = f(f(f(w))) with f = sin (the book's z = f(f(f(w)))), compute d^2 z / dw^2 at w = 0.5 "
             "(by hand with the product rule, or with grad(..., create_graph=True) twice).",
    expected=_D2Z,
    hint="dz/dw = cos(y) cos(x) cos(w) with x = sin w, y = sin x: differentiate this product once more; each of "
         "its three factors depends on w.",
    mistakes=[
        Mistake(_DZ.data, "That is dz/dw: differentiate once more."),
    ],
    atol=1e-12, rtol=1e-9,
))
