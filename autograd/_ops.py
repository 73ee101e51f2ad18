"""The table of operations: each operation's forward function and its local derivatives, written once.

Every derivative rule in the library is here, one line per operation:

    name, forward on floats, (inputs..., out) -> local derivatives d out/d input for each input

`out` is the operation's output, which many rules reuse (d tanh(x)/dx = 1 - out^2). The rules are written
with arithmetic and the functions `exp`, `log`, `sin`, ... defined first below, which accept a float, a
`Value` or a `Dual`. Called with floats (the usual case) a rule gives numbers, which the engine stores in
`local_grads` when the operation runs; forward mode (`autograd.forward`) calls the same rule on floats.
Called with `Value`s (`create_graph=True`) the same rule builds a graph for the derivative, which can be
differentiated again: the book's symbol-to-symbol approach (file 003).

This module does not import the engine (`autograd.engine` imports it).
"""

from __future__ import annotations

import math
import operator
from typing import TYPE_CHECKING, Callable, TypeVar

from ._modes import AutogradError

if TYPE_CHECKING:  # for the type hints only: at run time this module imports no other part of autograd
    from .engine import Value
    from .forward import Dual

# A float, a Value or a Dual: each function below returns the same kind it was given.
Number = TypeVar("Number", float, "Value", "Dual")


class Op(str):
    """The name of a built-in operation (a `str`, so `node.op == "tanh"`), which also carries:

    - `forward(*floats) -> float`: the operation on plain numbers;
    - `derivative(*inputs, out) -> tuple`: the local derivative of the output with respect to each input.
    - `note`: conventions worth knowing (the value used at a kink), shown in docstrings and errors.
    """

    forward: Callable[..., float]
    derivative: Callable[..., tuple]
    note: str


def _op(name: str, forward: Callable[..., float], derivative: Callable[..., tuple], note: str = "") -> Op:
    op = Op(name)
    op.forward, op.derivative, op.note = forward, derivative, note
    return op


def no_forward(*args: float) -> float:
    """The forward function of a user's custom operation: unknown (only its local derivatives are given)."""
    raise TypeError("the forward function of a custom operation is unknown")


# ---------------------------------------------------------------------------------------------------------
# Functions of a float, a Value or a Dual (the rules below are written with them; also public: autograd.exp).

def exp(x: Number) -> Number:
    """e^x of a float, a `Value` or a `Dual`. Derivative: e^x."""
    return math.exp(x) if isinstance(x, (int, float)) else x.exp()


def log(x: Number) -> Number:
    """The natural logarithm ln x (x > 0) of a float, a `Value` or a `Dual`. Derivative: 1/x."""
    return math.log(x) if isinstance(x, (int, float)) else x.log()


def sqrt(x: Number) -> Number:
    """sqrt(x) (x >= 0) of a float, a `Value` or a `Dual`. Derivative: 1/(2 sqrt x), infinite at 0."""
    return math.sqrt(x) if isinstance(x, (int, float)) else x.sqrt()


def sin(x: Number) -> Number:
    """sin x of a float, a `Value` or a `Dual`. Derivative: cos x."""
    return math.sin(x) if isinstance(x, (int, float)) else x.sin()


def cos(x: Number) -> Number:
    """cos x of a float, a `Value` or a `Dual`. Derivative: -sin x."""
    return math.cos(x) if isinstance(x, (int, float)) else x.cos()


def tanh(x: Number) -> Number:
    """tanh x of a float, a `Value` or a `Dual`. Derivative: 1 - tanh(x)^2."""
    return math.tanh(x) if isinstance(x, (int, float)) else x.tanh()


def sigmoid(x: Number) -> Number:
    """sigma(x) = 1 / (1 + e^-x) of a float, a `Value` or a `Dual`. Derivative: sigma(x) sigma(-x)."""
    return _sigmoid(x) if isinstance(x, (int, float)) else x.sigmoid()


def relu(x: Number) -> Number:
    """max(0, x) of a float, a `Value` or a `Dual`. Derivative: 1 for x > 0, 0 for x <= 0."""
    return (x if x > 0 else 0.0) if isinstance(x, (int, float)) else x.relu()


def softplus(x: Number) -> Number:
    """ln(1 + e^x) of a float, a `Value` or a `Dual`. Derivative: sigma(x)."""
    return _softplus(x) if isinstance(x, (int, float)) else x.softplus()


def _expm1(x):  # e^x - 1, without cancellation for floats near 0 (a Value has no expm1 of its own)
    return math.expm1(x) if isinstance(x, (int, float)) else exp(x) - 1.0


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # for x < 0, exp(-x) could overflow; exp(x) cannot
    return e / (1.0 + e)


def _softplus(x: float) -> float:  # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


# ---------------------------------------------------------------------------------------------------------
# The operations. One line each: name, forward on floats, local derivatives (inputs..., out).
# (A tuple of constants, like (1.0, 1.0), is made once by Python, not at every call: no memory per node.)

ADD = _op("+", operator.add, lambda a, b, out: (1.0, 1.0), "a + b; d/da = 1, d/db = 1")
SUB = _op("-", operator.sub, lambda a, b, out: (1.0, -1.0), "a - b; d/da = 1, d/db = -1")
MUL = _op("*", operator.mul, lambda a, b, out: (b, a), "a * b; d/da = b, d/db = a")
DIV = _op("/", operator.truediv, lambda a, b, out: (1.0 / b, -out / b), "a / b; d/da = 1/b, d/db = -a/b^2")
NEG = _op("neg", operator.neg, lambda x, out: (-1.0,), "-x; derivative -1")
POW = _op("**", math.pow, lambda a, b, out: (_pow_base_derivative(a, b), out * log(a) if a > 0 else 0.0),
          "d(a^b)/da = b a^(b-1) (at a = 0: 0 for b = 0 or b > 1, infinite for 0 < b < 1); "
          "d(a^b)/db = a^b ln a, taken as 0 at a = 0 and an error for a < 0")
EXP = _op("exp", math.exp, lambda x, out: (out,), "e^x; derivative e^x")
LOG = _op("log", math.log, lambda x, out: (1.0 / x,), "natural logarithm, defined for x > 0; derivative 1/x")
SQRT = _op("sqrt", math.sqrt, lambda x, out: (0.5 / out if float(out) != 0.0 else math.inf,),
           "derivative 1/(2 sqrt x): infinite at 0")
ABS = _op("abs", abs, lambda x, out: (1.0,) if x > 0 else (-1.0,) if x < 0 else (0.0,),
          "|x|; derivative sign(x), taken as 0 at x = 0")
SIN = _op("sin", math.sin, lambda x, out: (cos(x),), "sin x; derivative cos x")
COS = _op("cos", math.cos, lambda x, out: (-sin(x),), "cos x; derivative -sin x")
TANH = _op("tanh", math.tanh, lambda x, out: (_tanh_derivative(x, out),), "tanh x; derivative 1 - tanh(x)^2")
SIGMOID = _op("sigmoid", _sigmoid, lambda x, out: (out * sigmoid(-x),),
              "1 / (1 + e^-x); derivative sigma(x) sigma(-x) (= y(1 - y), without its cancellation)")
RELU = _op("relu", lambda x: x if x > 0 else 0.0, lambda x, out: (1.0,) if x > 0 else (0.0,),
           "max(0, x); derivative 1 for x > 0 and 0 for x <= 0 (lecture note eq 28)")
STEP = _op("step", lambda x: 1.0 if x > 0 else 0.0, lambda x, out: (0.0,),
           "1 for x > 0, else 0; derivative taken as 0 everywhere (also at the jump)")
LEAKY_RELU = _op("leaky_relu", lambda x, s: x if x > 0 else s * x,
                 lambda x, s, out: (1.0, 0.0) if x > 0 else (s, x),
                 "x for x > 0, slope * x otherwise; derivative 1 for x > 0 and slope for x <= 0 (eq 29)")
ELU = _op("elu", lambda x, a: x if x > 0 else a * math.expm1(x),
          lambda x, a, out: (1.0, 0.0) if x > 0 else (a * exp(x), _expm1(x)),
          "x for x > 0, alpha (e^x - 1) otherwise; derivative 1 for x > 0 and alpha e^x for x <= 0")
SOFTPLUS = _op("softplus", _softplus, lambda x, out: (sigmoid(x),), "log(1 + e^x); derivative sigmoid(x)")
SILU = _op("silu", lambda x, b: x * _sigmoid(b * x), lambda x, b, out: _silu_derivative(x, b),
           "x sigmoid(beta x) (swish; beta = 1 is SiLU); d/dx = s + beta x s (1 - s), d/dbeta = x^2 s (1 - s)")
MISH = _op("mish", lambda x: x * math.tanh(_softplus(x)),
           lambda x, out: _mish_derivative(x, tanh(softplus(x))),
           "x tanh(softplus(x)); derivative t + x sigmoid(x) (1 - t^2) with t = tanh(softplus(x))")
LINEAR = _op("linear", lambda *args: linear_forward(*_linear_parts(args)),
             lambda *args: linear_derivative(*_linear_parts(args[:-1])),
             "sum_i w_i x_i (+ b): a neuron's weighted input z (lecture note eq 40)")


# LINEAR's rule on the lists of weights and inputs (`linear()` calls these with its two lists of floats).

def linear_forward(ws, xs, b=None):  # z = sum_i w_i x_i (+ b)
    z = sum(map(operator.mul, ws, xs))
    return z if b is None else z + b


def linear_derivative(ws, xs, b=None):  # d z/d w_i = x_i, d z/d x_i = w_i, d z/d b = 1; a tuple
    return (*xs, *ws) if b is None else (*xs, *ws, 1.0)


def _linear_parts(args):  # the operands in their order (w_1..w_n, x_1..x_n[, b]) -> (ws, xs, b or None)
    n = len(args) // 2
    return args[:n], args[n:2 * n], args[-1] if len(args) % 2 else None


def _tanh_derivative(x, t):
    # 1 - t^2, which for a float |x| > 0.5 is computed as 4 e^-2|x| / (1 + e^-2|x|)^2 (the same number
    # without the cancellation of 1 - t^2 where t is near 1: at x = 30, 3.5e-26 instead of 0).
    if type(x) is float and abs(x) > 0.5:
        e = math.exp(-2.0 * abs(x))
        return 4.0 * e / (1.0 + e) ** 2
    return 1.0 - t * t


def _silu_derivative(x, b):
    # x s with s = sigmoid(beta x), s' = s sigmoid(-beta x) (= s (1 - s) without its cancellation at large
    # |beta x|); x * (x s') rather than (x x) s' so that no x^2 overflows at |x| > 1e154 where s' is 0.
    s = sigmoid(b * x)
    xds = x * s * sigmoid(-(b * x))
    return s + b * xds, x * xds


def _mish_derivative(x, t):  # d/dx of x t, where t = tanh(softplus(x)): t + x sigmoid(x) (1 - t^2)
    return (t + x * sigmoid(x) * (1.0 - t * t),)


def _pow_base_derivative(a, b):
    """d(a^b)/da = b a^(b-1), also where a^(b-1) itself is not a float (at a = 0, or overflowing)."""
    if float(a) == 0.0 and float(b) <= 1.0:
        if getattr(a, "requires_grad", False) and getattr(b, "requires_grad", False):  # create_graph=True
            raise AutogradError(f"d(a^b)/da at a = 0, b = {float(b)!r}: its derivative with respect to b, "
                                "a^(b-1) (1 + b ln a), is unbounded there, so no second derivative exists")
        if float(b) == 0.0 or float(b) == 1.0:
            return float(b)  # a^0 = 1 has derivative 0; a^1 = a has derivative 1
        y = float(b) - 1.0  # b a^y with y < 0: infinite, negative at a = -0.0 for an odd integer y
        odd = y.is_integer() and y % 2 == 1
        return float(b) * math.copysign(math.inf, float(a) if odd else 1.0)
    try:
        return b * a ** (b - 1.0)
    except OverflowError:  # a tiny base: infinite, and an error only if backward needs it (a constant base never)
        y = float(b) - 1.0
        negative = float(a) < 0 and y.is_integer() and y % 2 == 1
        return float(b) * (-math.inf if negative else math.inf)
