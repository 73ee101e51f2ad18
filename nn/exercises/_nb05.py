"""Exercises of notebook 05, checking gradients with finite differences.

The exact answers are exact arithmetic (fractions): for f(x) = x^3 the differences are polynomials in h.
"""

from __future__ import annotations

from fractions import Fraction

from ._registry import Exercise, Mistake, register

_X, _H = Fraction(2), Fraction(1, 1000)


def _f(x):
    return x ** 3


_CENTRAL = (_f(_X + _H) - _f(_X - _H)) / (2 * _H)  # = 3 x^2 + h^2
_FORWARD = (_f(_X + _H) - _f(_X)) / _H  # = 3 x^2 + 3 x h + h^2
_EXACT = 3 * _X ** 2

register(Exercise(
    key="05.central",
    question="Compute the central difference (f(x + h) - f(x - h)) / (2h) of f(x) = x^3 at x = 2 with h = 0.001.",
    expected=float(_CENTRAL),
    hint="Evaluate f at x + h and at x - h, subtract, and divide by the distance between the two points.",
    mistakes=[
        Mistake(float(_FORWARD), "That is the one-sided (forward) difference: use x + h and x - h."),
        Mistake(float(_CENTRAL * 2), "A factor is missing: the two points are 2h apart, divide by 2h."),
        Mistake(float(_EXACT), "That is the exact derivative f'(2); the question asks for the finite difference."),
    ],
    atol=1e-8,
))

register(Exercise(
    key="05.forward_error",
    question="By how much does the forward difference (f(x + h) - f(x)) / h of f(x) = x^3 at x = 2, h = 0.001, "
             "differ from f'(2)? (The error of a one-sided difference is O(h).)",
    expected=float(_FORWARD - _EXACT),
    hint="Expand (x + h)^3 and subtract x^3; divide by h; subtract 3 x^2. What is left is of order h.",
    mistakes=[
        Mistake(float(_CENTRAL - _EXACT), "That is the central difference's error (order h^2); the question asks "
                                          "for the forward difference."),
        Mistake(float(_EXACT - _FORWARD), "Look at the sign: the difference minus the derivative."),
    ],
    atol=1e-10,
))
