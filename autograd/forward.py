"""Forward-mode differentiation with dual numbers: `Dual`, `jvp`, and a counter of chain-rule products.

A dual number carries a value (`primal`) and its derivative along one chosen direction (`tangent`). Every
operation computes its output's value with the operation's forward function and its output's tangent with
the chain rule, written here once, in `_apply`:

    tangent(out) = sum_i  d out/d input_i * tangent(input_i)

The local derivatives d out/d input_i come from the same rule table as reverse mode: `Op.derivative` of
`ADD`, `MUL`, `TANH`, ... in `autograd/_ops.py`, called on floats. No derivative rule is written twice.

Reverse mode or forward mode? Both apply the chain rule once per edge of the graph: each sweep costs a
number of multiply-adds proportional to the number of edges, of the same order as evaluating the function
(the book, file 003: "the amount of computation is proportional to the number of edges in G"). What differs
is what one sweep gives:

- reverse mode (`backward`, `grad`): one backward sweep gives d output/d input for ALL inputs of ONE output,
  so f: R^n -> R needs 1 sweep for its whole gradient, and f: R -> R^m needs m sweeps (one per output);
- forward mode (`jvp`): one forward sweep gives d output/d input for ALL outputs along ONE input direction,
  so f: R^n -> R needs n sweeps (one per input), and f: R -> R^m needs 1.

Training a network is the first case (one loss, many weights): that is why backpropagation is reverse mode.
`count_operations()` counts sweeps and chain-rule products, to see this on any function.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence, final

from . import _ops, engine
from ._errors import is_real, number_list, real_number, sequence
from ._modes import AutogradError
from ._ops import Op
from .engine import Value


@dataclass
class OperationCount:
    """What differentiation cost while a `count_operations()` block ran.

    Attributes:
        forward_sweeps: evaluations of a function with dual numbers (one per `jvp`).
        backward_sweeps: reverse-mode backpropagations (one per output differentiated by `jacobian`,
            `hessian`, `hvp`).
        chain_rule_products: local derivative times tangent (forward) or times adjoint (backward) products:
            one per edge of the graph per sweep.
    """

    forward_sweeps: int = 0
    backward_sweeps: int = 0
    chain_rule_products: int = 0


_active_counts: list[OperationCount] = []


@contextmanager
def count_operations() -> Iterator[OperationCount]:
    """Count the sweeps and chain-rule products of `jvp`, `jacobian`, `hessian` and `hvp` inside the block.

        with count_operations() as count:
            jacobian(f, [1.0, 2.0, 3.0])
        count.backward_sweeps   # one per output of f

    Blocks may be nested; each counts everything done inside it.
    """
    count = OperationCount()
    _active_counts.append(count)
    try:
        yield count
    finally:
        _active_counts.remove(count)


def record_backward_sweep(root: Value) -> None:
    """Count one reverse-mode sweep from `root`: one chain-rule product per edge into a node needing a gradient.

    Arguments:
        root: the output the sweep starts from.
    """
    if not _active_counts:
        return
    edges = 0
    for node in engine.topological_order(root):
        for parent in node.parents:
            if parent.requires_grad:
                edges += 1
    for count in _active_counts:
        count.backward_sweeps += 1
        count.chain_rule_products += edges


@final
class Dual:
    """A dual number: a value and its derivative along one direction, for forward-mode differentiation.

    Arguments:
        primal: the value (a finite real number).
        tangent: its derivative along the chosen direction (a finite real number; 0 for a constant).

    A `Dual` supports the operators and methods of `Value` (+ - * / **, unary -, abs, exp, log, sqrt, sin,
    cos, tanh, sigmoid, relu, step, softplus, mish, leaky_relu, elu, silu/swish; comparisons of the primal),
    so a function written once for `Value`s runs on `Dual`s too. `autograd.exp`, `autograd.tanh`, ... work
    on it. For a neuron's weighted input use `autograd.forward.linear`.
    """

    __slots__ = ("primal", "tangent")
    __array_ufunc__ = None  # numpy defers to our reflected operators

    def __init__(self, primal: float, tangent: float = 0.0):
        self.primal = real_number(primal, "Dual(): primal")
        self.tangent = real_number(tangent, "Dual(): tangent")

    def __repr__(self) -> str:
        return f"Dual(primal={self.primal!r}, tangent={self.tangent!r})"

    def __float__(self) -> float:
        """float(d) = d.primal: the value alone; the tangent (the derivative) is dropped, so the number has
        left forward mode (as float(v) = v.data for a `Value`)."""
        return self.primal

    # Comparisons look at the primal and return a bool, as Value's do.
    def __lt__(self, other: Dual | float) -> bool: return self.primal < _primal(other)
    def __le__(self, other: Dual | float) -> bool: return self.primal <= _primal(other)
    def __gt__(self, other: Dual | float) -> bool: return self.primal > _primal(other)
    def __ge__(self, other: Dual | float) -> bool: return self.primal >= _primal(other)

    # Arithmetic: the same operations as Value's, from the engine's table; reflected ones swap the operands.
    def __add__(self, other: Dual | float) -> Dual: return _apply(_ops.ADD, self, other)
    def __radd__(self, other: Dual | float) -> Dual: return _apply(_ops.ADD, other, self)
    def __sub__(self, other: Dual | float) -> Dual: return _apply(_ops.SUB, self, other)
    def __rsub__(self, other: Dual | float) -> Dual: return _apply(_ops.SUB, other, self)
    def __mul__(self, other: Dual | float) -> Dual: return _apply(_ops.MUL, self, other)
    def __rmul__(self, other: Dual | float) -> Dual: return _apply(_ops.MUL, other, self)
    def __truediv__(self, other: Dual | float) -> Dual: return _apply(_ops.DIV, self, other)
    def __rtruediv__(self, other: Dual | float) -> Dual: return _apply(_ops.DIV, other, self)
    def __pow__(self, other: Dual | float) -> Dual: return _apply(_ops.POW, self, other)
    def __rpow__(self, other: Dual | float) -> Dual: return _apply(_ops.POW, other, self)
    def __neg__(self) -> Dual: return _apply(_ops.NEG, self)
    def __abs__(self) -> Dual: return _apply(_ops.ABS, self)

    def exp(self) -> Dual: return _apply(_ops.EXP, self)
    def log(self) -> Dual: return _apply(_ops.LOG, self)
    def sqrt(self) -> Dual: return _apply(_ops.SQRT, self)
    def sin(self) -> Dual: return _apply(_ops.SIN, self)
    def cos(self) -> Dual: return _apply(_ops.COS, self)
    def tanh(self) -> Dual: return _apply(_ops.TANH, self)
    def sigmoid(self) -> Dual: return _apply(_ops.SIGMOID, self)
    def relu(self) -> Dual: return _apply(_ops.RELU, self)
    def step(self) -> Dual: return _apply(_ops.STEP, self)
    def softplus(self) -> Dual: return _apply(_ops.SOFTPLUS, self)
    def mish(self) -> Dual: return _apply(_ops.MISH, self)
    def leaky_relu(self, slope: Dual | float = 0.01) -> Dual: return _apply(_ops.LEAKY_RELU, self, slope)
    def elu(self, alpha: Dual | float = 1.0) -> Dual: return _apply(_ops.ELU, self, alpha)
    def silu(self, beta: Dual | float = 1.0) -> Dual: return _apply(_ops.SILU, self, beta)
    swish = silu


# Each method computes what Value's method of the same name computes, on the primal, from the same table entry.
for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
              "__pow__", "__rpow__", "__neg__", "__abs__", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid",
              "relu", "step", "softplus", "mish", "leaky_relu", "elu", "silu"):
    _doc = (getattr(Value, _name).__doc__ or "").rstrip().replace("self", "x")
    getattr(Dual, _name).__doc__ = (f"{_doc}\n\nOn dual numbers: the value from the primals, and "
                                    "tangent(out) = sum_i d out/d x_i * tangent(x_i).")
for _name in ("__lt__", "__le__", "__gt__", "__ge__"):
    getattr(Dual, _name).__doc__ = getattr(Value, _name).__doc__.replace("self.data", "self.primal")


def linear(weights: Sequence, inputs: Sequence, bias=None) -> Dual:
    """z = sum_i weights[i] * inputs[i] (+ bias) on dual numbers: `autograd.linear` for forward mode.

    Arguments:
        weights, inputs: sequences of the same length of `Dual`s or numbers.
        bias: a `Dual`, a number, or None for no bias term.
    """
    weights = sequence(weights, "forward.linear(): weights")
    inputs = sequence(inputs, "forward.linear(): inputs")
    if len(weights) != len(inputs) or not weights:
        raise ValueError(f"linear(): {len(weights)} weights and {len(inputs)} inputs; they must be equally "
                         "many, and at least one")
    operands = weights + inputs + ([] if bias is None else [bias])
    return _apply(_ops.LINEAR, *operands)


def _primal(x) -> float:
    return x.primal if isinstance(x, Dual) else x


def _apply(op: Op, *operands: Any) -> Any:
    """One operation on dual numbers (and plain numbers, whose tangent is 0): the forward chain rule."""
    if not all(isinstance(x, Dual) or is_real(x) for x in operands):
        return NotImplemented  # Python then raises TypeError (or tries the other operand's method)
    primals = [_primal(x) for x in operands]
    if op is _ops.POW and primals[0] < 0 and isinstance(operands[1], Dual):
        raise _error(op, primals, "a negative base with a Dual exponent: d(a^b)/db = a^b ln a needs a > 0 "
                                  "(make the exponent a number)")
    try:
        out = op.forward(*primals)
    except (ArithmeticError, ValueError) as e:
        raise _error(op, primals, f"the result cannot be computed there ({e})") from None
    try:
        local_grads = op.derivative(*primals, out)
    except (ArithmeticError, ValueError) as e:
        raise _error(op, primals, f"its derivative cannot be computed there ({e})") from None
    tangent = 0.0
    products = 0
    for x, local in zip(operands, local_grads):
        if isinstance(x, Dual):
            # The chain rule, forward: d out = sum_i (d out/d input_i) * d input_i
            tangent += local * x.tangent
            products += 1
    for count in _active_counts:
        count.chain_rule_products += products
    if not math.isfinite(out) or not math.isfinite(tangent):
        raise _error(op, primals, f"the value {out!r} or its tangent {tangent!r} is not a finite number")
    return Dual(out, tangent)


def _error(op: Op, primals: list, why: str) -> AutogradError:
    """An error naming the operation, its inputs' values and the operation's note (as the engine's do)."""
    note = f" [{op}: {op.note}]" if op.note else ""
    inputs = ", ".join(repr(p) for p in primals)
    return AutogradError(f"{op}({inputs}) on dual numbers: {why}.{note}")


def jvp(f: Callable, inputs: Sequence[float], tangents: Sequence[float]):
    """The value of `f` and its directional derivative along `tangents`, by forward mode (one sweep).

    Arguments:
        f: a function taking one argument per input and written with the `Value` API (operators, methods,
            `autograd.exp`, ...); it returns one result or a list of results.
        inputs: the point, a sequence of numbers.
        tangents: the direction v, a sequence of numbers as long as `inputs`.

    Returns `(value, derivative)`: floats if `f` returns one result, where derivative = grad f(x) . v
    (the same number as reverse mode's gradient dotted with v); lists if `f` returns a list, where
    derivative = J(x) v, the Jacobian times v.
    """
    points = number_list(inputs, "jvp(): inputs")
    directions = number_list(tangents, "jvp(): tangents")
    if len(points) != len(directions):
        raise ValueError(f"jvp(): {len(points)} inputs but {len(directions)} tangents; give one tangent per "
                         "input")
    for count in _active_counts:
        count.forward_sweeps += 1
    result = f(*[Dual(x, t) for x, t in zip(points, directions)])
    if isinstance(result, (list, tuple)):
        outputs = [_as_dual(r, f) for r in result]
        return [d.primal for d in outputs], [d.tangent for d in outputs]
    output = _as_dual(result, f)
    return output.primal, output.tangent


def _as_dual(result, f) -> Dual:
    if isinstance(result, Dual):
        return result
    if is_real(result):  # f did not use its inputs
        return Dual(result, 0.0)
    name = getattr(f, "__name__", repr(f))
    raise TypeError(f"jvp(): {name} returned {result!r}; it must return the result of operations on its "
                    "arguments (a Dual in forward mode) or a list of them. Create no Values inside f: "
                    "write it with operators, methods and autograd.exp, autograd.tanh, ...")
