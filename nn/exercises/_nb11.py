"""Exercises of notebook 11: the perceptron rule, the gradient of binary cross-entropy, the critical learning rate.

The expected answers come from the engine (gradients by `autograd.grad`) or exact arithmetic (fractions)."""

from __future__ import annotations

from fractions import Fraction

from autograd import Value, grad, linear

from ..functional import binary_cross_entropy
from ._registry import Exercise, Mistake, register

# 11.perceptron_step: w = (0.5, -1, 0.2) with bias input 1, x = (1, 1), t = +1, eta = 0.1; misclassified since
# w x + b = -0.3 <= 0, so the step is w - eta dE_P/dw with E_P = -t w x
_w = [Value(0.5), Value(-1.0), Value(0.2)]
_x = [1.0, 1.0, 1.0]
_g = grad(-1.0 * linear(_w, _x), _w)
register(Exercise(
    key="11.perceptron_step",
    question="w = (0.5, -1, 0.2) (bias last), x = (1, 1), t = +1, eta = 0.1: the weights after one step of the "
             "perceptron rule.",
    expected=[w.data - 0.1 * g for w, g in zip(_w, _g)],
    hint="First decide whether the example is misclassified (t w x <= 0); then w <- w + eta t x, with the bias "
         "input 1 as the third entry of x.",
    mistakes=[
        Mistake([0.4, -1.1, 0.1], "Look at the sign: the rule adds eta t x (it is a step against the gradient "
                                  "-t x of E_P)."),
        Mistake([0.6, -0.9, 0.2], "The bias is a weight too: its input is fixed at 1, so it changes as well."),
        Mistake([0.5, -1.0, 0.2], "Is the example classified correctly? w x + b = 0.5 - 1 + 0.2."),
    ],
    atol=1e-12,
))

# 11.bce_gradient: one sigmoid neuron, one example, target 0
_p = [Value(0.4), Value(-0.7), Value(0.1)]
_y = linear(_p[:2], [2.0, 1.0], _p[2]).sigmoid()
_dE = grad(binary_cross_entropy([_y], [0.0]), _p)
_yhat = _y.data
register(Exercise(
    key="11.bce_gradient",
    question="y = sigmoid(w1 x1 + w2 x2 + b), (w1, w2, b) = (0.4, -0.7, 0.1), x = (2, 1), target 0, binary "
             "cross-entropy: (dE/dw1, dE/dw2, dE/db).",
    expected=_dE,
    hint="With the sigmoid and this loss, dE/dz = y_hat - y for z = w x + b; then multiply by each weight's input "
         "(1 for the bias).",
    mistakes=[
        Mistake([-2 * _yhat, -_yhat, -_yhat], "Look at the sign: dE/dz = y_hat - y, the output minus the target."),
        Mistake([_yhat * (1 - _yhat) * v for v in (2.0, 1.0, 1.0)],
                "The sigmoid's derivative y_hat (1 - y_hat) cancels against the loss's 1 / (y_hat (1 - y_hat)); "
                "what is left is y_hat - y."),
        Mistake([_yhat, _yhat, _yhat], "A factor is missing: each weight's gradient is dE/dz times that weight's "
                                       "input."),
    ],
    atol=1e-9,
))

# 11.critical_rate: E = 3 w^2, w <- w - eta 6 w = (1 - 6 eta) w diverges when |1 - 6 eta| > 1, i.e. eta > 1/3
register(Exercise(
    key="11.critical_rate",
    question="Gradient descent on E(w) = 3 w^2: above which learning rate does it diverge?",
    expected=float(Fraction(2, 6)),
    hint="One step multiplies w by a fixed factor 1 - eta E''; it diverges when that factor is below -1.",
    mistakes=[
        Mistake(float(Fraction(1, 6)), "1/6 is the rate that reaches the minimum in one step; beyond it the steps "
                                       "jump to the other side but still shrink, until the factor is -1."),
        Mistake(float(Fraction(2, 3)), "The gradient of 3 w^2 is 6 w, not 3 w."),
        Mistake(1.0, "That is the threshold for E = w^2 / 2 (or w^2 with a factor missing); here E'' = 6."),
    ],
    atol=1e-9,
))
