"""Exercises of notebook 04, softmax and cross-entropy (lecture note, eqs 57-68).

The exact answers come from the engine (`nn.functional.softmax`, `cross_entropy` and `autograd.grad`).
"""

from __future__ import annotations

from autograd import Value, grad

from .. import functional as F
from ._registry import Exercise, Mistake, register

_LOGITS = [1.0, 2.0, 3.0]
_P = [y.data for y in F.softmax(_LOGITS)]

register(Exercise(
    key="04.percent",
    question="The note says softmax([1, 2, 3]) puts the maximum in the third position 'with probability 66%' "
             "(line 511 of file 001). Give that probability in percent, rounded to one decimal.",
    expected=round(100 * _P[2], 1),
    hint="Compute e^3 / (e^1 + e^2 + e^3), times 100, and round (do not cut off) to one decimal.",
    mistakes=[
        Mistake(66.0, "That is the note's number: the digits were cut off, not rounded; give one decimal."),
        Mistake(round(100 * _P[1], 1), "The wrong position: that is the second entry."),
    ],
    atol=1e-9,
))

_TARGET = [0.0, 1.0, 0.0]  # file 002's one-hot example: the second class
_logits = [Value(z) for z in _LOGITS]
_GRAD = grad(F.cross_entropy(_logits, 1), _logits)

register(Exercise(
    key="04.ce_gradient",
    question="For logits z = [1, 2, 3] and the one-hot target t = [0, 1, 0], give dL_CE/dz (three numbers), "
             "L_CE = -sum_j t_j log softmax(z)_j.",
    expected=_GRAD,
    hint="Eq 68: the fused gradient of softmax and cross-entropy is simple; write softmax(z) first.",
    mistakes=[
        Mistake([t - p for t, p in zip(_TARGET, _P)], "Look at the sign: dL/dz_i = y_i - t_i (eq 68)."),
        Mistake(_P, "Something is missing: the target t (eq 68)."),
        Mistake([p - t for t, p in zip([0.0, 0.0, 1.0], _P)],
                "The wrong class: the target is the second class, not the largest logit."),
    ],
    atol=1e-12, rtol=1e-9,
))
