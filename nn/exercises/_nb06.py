"""Exercises of notebook 06, training: saturation of the sigmoid and momentum (file 002).

The exact answers: sigma'(30) = e^-30 / (1 + e^-30)^2, a formula without cancellation; the momentum steps by
`nn.SGD` itself.
"""

from __future__ import annotations

import math

from autograd import Value

from .._optim import SGD
from ._registry import Exercise, Mistake, register

_y30 = 1.0 / (1.0 + math.exp(-30.0))

register(Exercise(
    key="06.sigmoid_slope_30",
    question="Compute sigma'(30) to four significant digits. (y (1 - y) with y = sigma(30) in float64 loses "
             "digits: 1 - y is a difference of two nearly equal numbers.)",
    expected=math.exp(-30.0) / (1.0 + math.exp(-30.0)) ** 2,
    hint="Write sigma'(z) without a subtraction of nearly equal numbers: sigma(z) (1 - sigma(z)) = sigma(z) "
         "sigma(-z).",
    mistakes=[
        Mistake(_y30 * (1.0 - _y30), "Cancellation: 1 - sigma(30) keeps only about three digits in float64. "
                                     "Use 1 - sigma(z) = sigma(-z)."),
        Mistake(_y30, "That is sigma(30), not its derivative."),
    ],
    atol=0.0, rtol=5e-5,
))

_GRADIENTS, _LR, _MOMENTUM = (0.5, 0.3), 0.1, 0.9


def _second_change(momentum: float) -> float:
    w = Value(1.0)
    optimizer = SGD([w], lr=_LR, momentum=momentum)
    for g in _GRADIENTS:
        before = w.data
        w.grad = g
        optimizer.step()
    return w.data - before


register(Exercise(
    key="06.momentum",
    question="SGD with momentum (file 002): dw(t) = -alpha dE/dw + gamma dw(t-1). With alpha = 0.1, gamma = 0.9, "
             "dw(0) = 0, and the gradients dE/dw = 0.5 at the first step and 0.3 at the second, what is dw at "
             "the second step?",
    expected=_second_change(_MOMENTUM),
    hint="First the first step's change (no previous change yet); then the second step adds gamma times it.",
    mistakes=[
        Mistake(_second_change(0.0), "The momentum term is missing: gamma dw(t-1)."),
        Mistake(-_LR * _GRADIENTS[1] - _MOMENTUM * (-_LR * _GRADIENTS[0]),
                "Look at the sign of the momentum term: it adds gamma times the previous change."),
        Mistake(-_LR * _GRADIENTS[1] + _MOMENTUM * _GRADIENTS[0],
                "The momentum term multiplies the previous change dw(t-1) = -alpha dE/dw, not the gradient."),
    ],
    atol=1e-12,
))
