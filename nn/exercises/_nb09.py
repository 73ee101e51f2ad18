"""Exercises of notebook 09: the compilation's small examples (file 002): error functions, the linear neuron on
the sample (1, 1, 0), cross-entropy with a one-hot target.

The expected answers come from the engine (values and `autograd.grad`)."""

from __future__ import annotations

import math

from autograd import Value, grad

from ..functional import cross_entropy
from ._registry import Exercise, Mistake, register

_o, _t = [0.3, 0.8], [0.6, 0.5]
register(Exercise(
    key="09.sum_abs",
    question="O_net = (0.3, 0.8), O_correct = (0.6, 0.5): the error summed over the neurons with the absolute "
             "value.",
    expected=sum((abs(Value(t) - o) for o, t in zip(_o, _t)), Value(0.0, requires_grad=False)).data,
    hint="Take |O_correct,k - O_net,k| for each neuron, then add the two.",
    mistakes=[
        Mistake(0.0, "That is the plain sum of the differences, where +0.3 and -0.3 cancel: the article's reason to "
                     "take absolute values."),
        Mistake(0.18, "That is the sum of the squares; the question asks for absolute values."),
    ],
    atol=1e-9,
))

_w1, _w2 = Value(0.3), Value(0.5)
register(Exercise(
    key="09.valley_gradient",
    question="E = (w1 + w2)^2 (the linear neuron on the sample (1, 1, 0)): dE/dw1 at (w1, w2) = (0.3, 0.5).",
    expected=grad((_w1 + _w2) ** 2, _w1),
    hint="The chain rule: the derivative of the square, times the derivative of w1 + w2 with respect to w1.",
    mistakes=[
        Mistake(0.8, "A factor is missing: d/du u^2 = 2u."),
        Mistake(0.64, "That is E itself, not its derivative."),
        Mistake(0.6, "The derivative of (w1 + w2)^2 involves both weights: 2 (w1 + w2)."),
    ],
    atol=1e-9,
))

_z = [Value(math.log(p)) for p in (0.25, 0.6, 0.15)]
register(Exercise(
    key="09.one_hot",
    question="Output probabilities (0.25, 0.6, 0.15), true class: the third. The cross-entropy?",
    expected=cross_entropy(_z, 2).data,
    hint="With a one-hot target only the true class's term of -sum_k t_k ln p_k is left.",
    mistakes=[
        Mistake(-math.log(0.6), "That is the term of the most probable class; use the probability of the true "
                                "(third) class."),
        Mistake(math.log(0.15), "Look at the sign: cross-entropy is -ln p, a positive number for p < 1."),
        Mistake(-math.log10(0.15), "Cross-entropy uses the natural logarithm."),
    ],
    atol=1e-9,
))
