"""Exercises of notebook 10: Swish with beta, the smooth maximum S_beta and ACON (file 004).

The expected answers come from the engine: derivatives by `autograd.grad`, values by `nn.activations`.
"""

from __future__ import annotations

from autograd import Value, grad, sigmoid

from ..activations import acon_c, smooth_max
from ._registry import Exercise, Mistake, register, values_at


# 10.acon_limit: the slope of ACON-C(x; a1 = 0.2, a2 = 1.1, beta = 3) far to the right (x = 40 is far enough:
# there the slope differs from its limit by less than 1e-40)
_far = Value(40.0)
register(Exercise(
    key="10.acon_limit",
    question="ACON-C with a1 = 0.2, a2 = 1.1 and beta = 3: what does its derivative tend to as x -> +inf?",
    expected=grad(acon_c(_far, 0.2, 1.1, 3.0), _far),
    hint="Write f'(x) = d (s + beta d x s (1 - s)) + a2 with d = a1 - a2 and s = sigmoid(beta d x), and see where s "
         "goes as x grows.",
    mistakes=[
        Mistake(0.2, "The lecture's limit a1 assumes beta (a1 - a2) > 0. What is the sign of beta (a1 - a2) here, "
                     "and where does sigmoid(beta (a1 - a2) x) go then?"),
        Mistake(0.65, "That is the slope at x = 0, (a1 + a2) / 2, not far to the right."),
    ],
    atol=1e-9,
))

# 10.dswish_dbeta: a function (x, beta) -> d/dbeta of x sigmoid(beta x), measured at a few points
_POINTS = [(-2.0, 1.0), (-0.5, 3.0), (0.3, 0.5), (1.0, 1.0), (2.5, 2.0), (4.0, -0.7)]


def _engine_dbeta(x: float, beta: float) -> float:
    b = Value(beta)
    return grad(Value(x, requires_grad=False).silu(b), b)


register(Exercise(
    key="10.dswish_dbeta",
    question="Write d/dbeta of Swish x sigmoid(beta x) as a function dswish_dbeta(x, beta) of two floats.",
    expected=values_at(_POINTS)(_engine_dbeta),
    hint="The chain rule through u = beta x: d/dbeta [x sigmoid(u)] = x sigmoid'(u) du/dbeta, with "
         "sigmoid'(u) = sigmoid(u) (1 - sigmoid(u)).",
    mistakes=[
        Mistake(lambda x, b: x * sigmoid(b * x) * (1 - sigmoid(b * x)),
                "A factor is missing: du/dbeta for u = beta x is x, and it multiplies the x already in front."),
        Mistake(lambda x, b: x * x * sigmoid(b * x),
                "Look at the derivative of the sigmoid: sigmoid'(u) = sigmoid(u) (1 - sigmoid(u))."),
        Mistake(lambda x, b: sigmoid(b * x) + b * x * sigmoid(b * x) * (1 - sigmoid(b * x)),
                "That is d/dx, the slope in x; the question asks for the derivative with respect to beta."),
    ],
    atol=1e-9, rtol=1e-9,
    measure=values_at(_POINTS),
))

register(Exercise(
    key="10.smooth_max_mean",
    question="What is S_0(1, 2, 6), the smooth maximum at beta = 0?",
    expected=smooth_max([1.0, 2.0, 6.0], 0.0).data,
    hint="At beta = 0 every weight e^(beta x_i) is the same number.",
    mistakes=[Mistake(6.0, "6 is the hard maximum, the limit as beta -> +inf; at beta = 0 look at the weights "
                           "e^(0 x_i)."),
              Mistake(9.0, "The weights are normalised: S_beta divides by the sum of the e^(beta x_i).")],
    atol=1e-9,
))
