"""Every engine operation with an independent reference: the one table the engine, gradient-checking and
higher-order tests are parametrised over.

Each case gives the operation through the public API (`apply`), the same function written with the `math`
module (`reference`), its partial derivatives written out by hand from calculus (`derivatives`), where to
sample its inputs (`domain`: intervals per input that stay clear of kinks and singularities), and the PyTorch
function with the same meaning (`torch`, or None where PyTorch has no such function).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Callable

from autograd import Value


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _sp(x: float) -> float:
    return math.log1p(math.exp(x))


@dataclass(frozen=True)
class OpCase:
    name: str
    apply: Callable[..., Value]              # (*Values) -> Value
    reference: Callable[..., float]          # (*floats) -> float
    derivatives: Callable[..., tuple]        # (*floats) -> (d/dx1, d/dx2, ...)
    domain: tuple                            # per input: a tuple of (low, high) intervals
    torch: Callable | None = None            # (*float64 tensors) -> tensor

    @property
    def arity(self) -> int:
        return len(self.domain)

    def __repr__(self) -> str:  # readable pytest ids
        return self.name


POS = ((0.2, 3.0),)
ANY = ((-3.0, 3.0),)
NONZERO = ((-3.0, -0.2), (0.2, 3.0))  # away from the kink at 0


def _torch():
    import torch
    return torch


OPS: list[OpCase] = [
    OpCase("add", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: (1.0, 1.0), (ANY, ANY),
           lambda a, b: a + b),
    OpCase("sub", lambda a, b: a - b, lambda a, b: a - b, lambda a, b: (1.0, -1.0), (ANY, ANY),
           lambda a, b: a - b),
    OpCase("mul", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: (b, a), (ANY, ANY),
           lambda a, b: a * b),
    OpCase("div", lambda a, b: a / b, lambda a, b: a / b, lambda a, b: (1 / b, -a / b ** 2), (ANY, NONZERO),
           lambda a, b: a / b),
    OpCase("neg", lambda x: -x, lambda x: -x, lambda x: (-1.0,), (ANY,), lambda x: -x),
    OpCase("pow_number_exponent", lambda x: x ** 3, lambda x: x ** 3, lambda x: (3 * x ** 2,), (ANY,),
           lambda x: x ** 3),
    OpCase("pow_fractional_exponent", lambda x: x ** 1.5, lambda x: x ** 1.5, lambda x: (1.5 * x ** 0.5,),
           (POS,), lambda x: x ** 1.5),
    OpCase("pow_value_exponent", lambda a, b: a ** b, lambda a, b: a ** b,
           lambda a, b: (b * a ** (b - 1), a ** b * math.log(a)), (POS, ANY), lambda a, b: a ** b),
    OpCase("rpow_number_base", lambda x: 2.0 ** x, lambda x: 2.0 ** x, lambda x: (2.0 ** x * math.log(2.0),),
           (ANY,), lambda x: 2.0 ** x),
    OpCase("exp", lambda x: x.exp(), math.exp, lambda x: (math.exp(x),), (ANY,), lambda x: x.exp()),
    OpCase("log", lambda x: x.log(), math.log, lambda x: (1 / x,), (POS,), lambda x: x.log()),
    OpCase("sqrt", lambda x: x.sqrt(), math.sqrt, lambda x: (0.5 / math.sqrt(x),), (POS,), lambda x: x.sqrt()),
    OpCase("abs", lambda x: abs(x), abs, lambda x: (math.copysign(1.0, x),), (NONZERO,), lambda x: x.abs()),
    OpCase("sin", lambda x: x.sin(), math.sin, lambda x: (math.cos(x),), (ANY,), lambda x: x.sin()),
    OpCase("cos", lambda x: x.cos(), math.cos, lambda x: (-math.sin(x),), (ANY,), lambda x: x.cos()),
    OpCase("tanh", lambda x: x.tanh(), math.tanh, lambda x: (1 - math.tanh(x) ** 2,), (ANY,),
           lambda x: x.tanh()),
    OpCase("sigmoid", lambda x: x.sigmoid(), _sig, lambda x: (_sig(x) * (1 - _sig(x)),), (ANY,),
           lambda x: x.sigmoid()),
    OpCase("relu", lambda x: x.relu(), lambda x: max(x, 0.0), lambda x: (1.0 if x > 0 else 0.0,), (NONZERO,),
           lambda x: x.relu()),
    OpCase("step", lambda x: x.step(), lambda x: 1.0 if x > 0 else 0.0, lambda x: (0.0,), (NONZERO,),
           lambda x: (x > 0).double() + 0 * x),  # zero gradient, as torch.heaviside has none
    OpCase("leaky_relu", lambda x: x.leaky_relu(), lambda x: x if x > 0 else 0.01 * x,
           lambda x: (1.0 if x > 0 else 0.01,), (NONZERO,),
           lambda x: _torch().nn.functional.leaky_relu(x, 0.01)),
    OpCase("leaky_relu_value_slope", lambda x, s: x.leaky_relu(s), lambda x, s: x if x > 0 else s * x,
           lambda x, s: (1.0, 0.0) if x > 0 else (s, x), (NONZERO, ((0.01, 0.5),)),
           lambda x, s: _torch().where(x > 0, x, s * x)),
    OpCase("elu", lambda x: x.elu(), lambda x: x if x > 0 else math.expm1(x),
           lambda x: (1.0 if x > 0 else math.exp(x),), (NONZERO,), lambda x: _torch().nn.functional.elu(x)),
    OpCase("elu_value_alpha", lambda x, a: x.elu(a), lambda x, a: x if x > 0 else a * math.expm1(x),
           lambda x, a: (1.0, 0.0) if x > 0 else (a * math.exp(x), math.expm1(x)), (NONZERO, ((0.2, 2.0),)),
           # (expm1 of min(x, 0): torch.where passes 0 * inf = nan from the branch it does not take into
           # second derivatives where exp(x) overflows, x > 709; PyTorch's documented where-gradient trap)
           lambda x, a: _torch().where(x > 0, x, a * _torch().expm1(_torch().clamp(x, max=0.0)))),
    OpCase("softplus", lambda x: x.softplus(), _sp, lambda x: (_sig(x),), (ANY,),
           lambda x: _torch().nn.functional.softplus(x)),
    OpCase("silu", lambda x: x.silu(), lambda x: x * _sig(x),
           lambda x: (_sig(x) * (1 + x * (1 - _sig(x))),), (ANY,), lambda x: _torch().nn.functional.silu(x)),
    OpCase("swish_value_beta", lambda x, b: x.swish(b), lambda x, b: x * _sig(b * x),
           lambda x, b: (_sig(b * x) + b * x * _sig(b * x) * (1 - _sig(b * x)),
                         x * x * _sig(b * x) * (1 - _sig(b * x))), (ANY, ((0.2, 3.0),)),
           lambda x, b: x * (b * x).sigmoid()),
    OpCase("mish", lambda x: x.mish(), lambda x: x * math.tanh(_sp(x)),
           lambda x: (math.tanh(_sp(x)) + x * _sig(x) * (1 - math.tanh(_sp(x)) ** 2),), (ANY,),
           lambda x: _torch().nn.functional.mish(x)),
]

OPS_BY_NAME = {case.name: case for case in OPS}


def sample(case: OpCase, rng: random.Random) -> tuple[float, ...]:
    """One point of the case's domain: an interval is chosen per input, then a point in it."""
    return tuple(rng.uniform(*rng.choice(intervals)) for intervals in case.domain)
