"""The scalar reverse-mode engine: `Value`, its operations, `backward()` and `grad()`.

Read this file top to bottom:

1. `Op`: an operation's name, its forward function on floats, and its derivative rule.
   Every derivative rule in the library is written exactly once, in the table of operations below.
2. `Value`: a node of the computation graph. It holds a float (`data`), the nodes it was computed from
   (`parents`), the local derivative of itself with respect to each parent (`local_grads`), the name of its
   operation (`op`), a `label`, and, after `backward()`, its `grad`.
3. `backpropagate()`: walks the graph from the output in topological order and applies the chain rule,
   which is written exactly once in this library:  grad(parent) += local_grad * grad(node).

Derivative rules are written in terms of arithmetic and the functions `exp`, `log`, `sin`, ... defined here,
which accept floats or `Value`s. Called with floats (the usual case) a rule gives numbers, stored in
`local_grads` when the operation runs. Called with `Value`s (`create_graph=True`) the same rule builds a graph
for the derivative, which can be differentiated again: the book's symbol-to-symbol approach (file 003).
"""

from __future__ import annotations

import math
import numbers
import operator
from typing import Callable, Iterable, Sequence


class Op(str):
    """The name of a built-in operation (a `str`, so `node.op == "tanh"`), which also carries:

    - `forward(*floats) -> float`: the operation on plain numbers;
    - `derivative(*inputs, out) -> tuple`: the local derivative of the output with respect to each input.
      `out` is the operation's output, which many rules reuse (d tanh(x)/dx = 1 - out^2).
    - `note`: conventions worth knowing (the value used at a kink), shown in docstrings and errors.
    """

    forward: Callable[..., float]
    derivative: Callable[..., tuple]
    note: str


def _op(name: str, forward: Callable[..., float], derivative: Callable[..., tuple], note: str = "") -> Op:
    op = Op(name)
    op.forward, op.derivative, op.note = forward, derivative, note
    return op


class AutogradError(ValueError):
    """A mathematical error in an operation or in backward: the message names the operation, the offending
    value(s) and the labels of the nodes involved. Subclasses `ValueError`."""


class _Modes:
    """Switches set by the context managers of `autograd.anomaly`. The engine reads them only on paths that
    are already failing (an error, a non-finite number) and once per backward, so they cost nothing else."""

    anomaly = False  # inside detect_anomaly(): errors say where nodes were made; backward checks the graph
    ieee = False  # inside ieee_floats() (and not detect_anomaly()): inf and nan allowed, overflow gives inf
    # Inside detect_anomaly(): id(node) -> (file, line) of the user's code that made it. Keyed by id, so no
    # node is kept alive: an id is reused only after its node died, and a node made at a reused address
    # overwrites the entry. Cleared when detect_anomaly() ends, so it never describes a later node.
    sites: dict = {}


# ---------------------------------------------------------------------------------------------------------
# Floating-point helpers for the forward functions (numerically stable versions).

def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # for x < 0, exp(-x) could overflow; exp(x) cannot
    return e / (1.0 + e)


def _softplus(x: float) -> float:  # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _pow(a: float, b: float) -> float:  # math.pow raises instead of returning a complex number
    return math.pow(a, b)


# ---------------------------------------------------------------------------------------------------------
# The operations. One line each: name, forward on floats, local derivatives (inputs..., out).
# (A tuple of constants, like (1.0, 1.0), is made once by Python, not at every call: no memory per node.)

ADD = _op("+", operator.add, lambda a, b, out: (1.0, 1.0))
SUB = _op("-", operator.sub, lambda a, b, out: (1.0, -1.0))
MUL = _op("*", operator.mul, lambda a, b, out: (b, a))
DIV = _op("/", operator.truediv, lambda a, b, out: (1.0 / b, -out / b))
NEG = _op("neg", operator.neg, lambda x, out: (-1.0,))
POW = _op("**", _pow, lambda a, b, out: (_pow_base_derivative(a, b), out * log(a) if a > 0 else 0.0),
          "d(a^b)/da = b a^(b-1) (at a = 0: 0 for b = 0 or b > 1, infinite for 0 < b < 1); "
          "d(a^b)/db = a^b ln a, taken as 0 at a = 0 and an error for a < 0")
EXP = _op("exp", math.exp, lambda x, out: (out,))
LOG = _op("log", math.log, lambda x, out: (1.0 / x,), "natural logarithm, defined for x > 0")
SQRT = _op("sqrt", math.sqrt, lambda x, out: (0.5 / out if out > 0 else math.inf,),
           "derivative 1/(2 sqrt x): infinite at 0")
ABS = _op("abs", abs, lambda x, out: (1.0,) if x > 0 else (-1.0,) if x < 0 else (0.0,),
          "derivative sign(x), taken as 0 at x = 0")
SIN = _op("sin", math.sin, lambda x, out: (cos(x),))
COS = _op("cos", math.cos, lambda x, out: (-sin(x),))
TANH = _op("tanh", math.tanh, lambda x, out: (1.0 - out * out,))
SIGMOID = _op("sigmoid", _sigmoid, lambda x, out: (out * (1.0 - out),), "1 / (1 + e^-x); derivative y(1 - y)")
RELU = _op("relu", lambda x: x if x > 0 else 0.0, lambda x, out: (1.0,) if x > 0 else (0.0,),
           "max(0, x); derivative 1 for x > 0 and 0 for x <= 0 (lecture note eq 28)")
STEP = _op("step", lambda x: 1.0 if x > 0 else 0.0, lambda x, out: (0.0,),
           "1 for x > 0, else 0; derivative taken as 0 everywhere (also at the jump)")
LEAKY_RELU = _op("leaky_relu", lambda x, s: x if x > 0 else s * x,
                 lambda x, s, out: (1.0, 0.0) if x > 0 else (s, x),
                 "x for x > 0, slope * x otherwise; derivative 1 for x > 0 and slope for x <= 0 (eq 29)")
ELU = _op("elu", lambda x, a: x if x > 0 else a * math.expm1(x),
          lambda x, a, out: (1.0, 0.0) if x > 0 else (out + a, exp(x) - 1.0),
          "x for x > 0, alpha (e^x - 1) otherwise; derivative 1 for x > 0 and alpha e^x for x <= 0")
SOFTPLUS = _op("softplus", _softplus, lambda x, out: (sigmoid(x),), "log(1 + e^x); derivative sigmoid(x)")
SILU = _op("silu", lambda x, b: x * _sigmoid(b * x),
           lambda x, b, out: _silu_derivative(x, b, sigmoid(b * x)),
           "x sigmoid(beta x) (swish; beta = 1 is SiLU)")
MISH = _op("mish", lambda x: x * math.tanh(_softplus(x)),
           lambda x, out: _mish_derivative(x, tanh(softplus(x))), "x tanh(softplus(x))")

LINEAR = _op("linear", lambda *args: _linear_forward(args), lambda *args: _linear_derivative(args[:-1]),
             "sum_i w_i x_i (+ b): a neuron's weighted input z (lecture note eq 40)")


def _linear_forward(args):  # args = (w_1..w_n, x_1..x_n) or (w_1..w_n, x_1..x_n, b)
    n = len(args) // 2
    z = sum(map(operator.mul, args[:n], args[n:2 * n]))
    return z + args[-1] if len(args) % 2 else z


def _linear_derivative(args):  # d z/d w_i = x_i, d z/d x_i = w_i, d z/d b = 1
    n = len(args) // 2
    return args[n:2 * n] + args[:n] + ((1.0,) if len(args) % 2 else ())


def _pow_base_derivative(a, b):  # d(a^b)/da = b a^(b-1), also where a^(b-1) itself is not a number
    if _data(a) == 0 and _data(b) <= 1:
        return 0.0 if _data(b) == 0 else (1.0 if _data(b) == 1 else math.inf)
    return b * a ** (b - 1)


def _silu_derivative(x, b, s):  # d/dx and d/dbeta of x s, where s = sigmoid(beta x) and s' = s (1 - s)
    ds = s * (1.0 - s)
    return s + b * x * ds, x * x * ds


def _mish_derivative(x, t):  # d/dx of x t, where t = tanh(softplus(x)): t + x sigmoid(x) (1 - t^2)
    return (t + x * sigmoid(x) * (1.0 - t * t),)


# ---------------------------------------------------------------------------------------------------------
# Running an operation: compute the output and the local derivatives, and record both in a new node.
# Each operator method of `Value` is made from its table entry by one of these functions.

def _unary_method(op: Op) -> Callable:
    forward, derivative = op.forward, op.derivative

    def method(self: Value) -> Value:
        x = self.data
        try:
            out = forward(x)
            local_grads = derivative(x, out) if self.requires_grad else ()
        except (ArithmeticError, ValueError) as e:
            return _failed(op, (self,), e)
        return _record(out, local_grads, op, self.requires_grad, self)

    method.__name__ = str(op)
    method.__doc__ = f"{op}: {op.note}" if op.note else str(op)
    return method


def _binary_method(op: Op, reflected: bool = False) -> Callable:
    """`self <op> other`, or `other <op> self` when reflected (Python calls `__radd__` for `2 + v`).
    A number becomes a constant; any other type gives NotImplemented, so Python raises its TypeError."""
    forward, derivative = op.forward, op.derivative

    def method(self: Value, other) -> Value:
        if type(other) is not Value:
            other = _constant(other)
            if other is NotImplemented:
                return NotImplemented
        if reflected:
            self, other = other, self
        x, y = self.data, other.data
        requires_grad = self.requires_grad or other.requires_grad
        try:
            out = forward(x, y)
            local_grads = derivative(x, y, out) if requires_grad else ()
        except (ArithmeticError, ValueError) as e:
            return _failed(op, (self, other), e)
        return _record(out, local_grads, op, requires_grad, self, other)

    method.__name__ = str(op)
    method.__doc__ = f"{op}: {op.note}" if op.note else str(op)
    return method


def _pow_method(reflected: bool) -> Callable:
    power = _binary_method(POW, reflected)

    def method(self: Value, other) -> Value:
        if _constant(other) is NotImplemented:
            return NotImplemented
        base, exponent = (other, self) if reflected else (self, other)
        if isinstance(exponent, Value) and exponent.requires_grad and _data(base) < 0:
            raise AutogradError(f"{_expression(POW, (_constant(base), exponent))}: a negative base with a Value "
                                "exponent; d(a^b)/db = a^b ln a needs a > 0 (make the exponent a number or a "
                                "constant, requires_grad=False)")
        return power(self, other)

    method.__doc__ = f"**: {POW.note}"
    return method


# ---------------------------------------------------------------------------------------------------------
# The node.

class Value:
    """A node of the computation graph, holding one float.

    Arguments:
        data: the number (int or float; stored as a finite float).
        parents: the `Value`s this one was computed from, in operand order (`a * a` records `a` twice).
        local_grads: d self / d parent for each parent, as numbers, or as `Value`s built from the parents
            if this operation should also take part in higher-order derivatives (`create_graph=True`).
        op: the operation's name, e.g. `"myop"`.
        label: a name shown in graph pictures and error messages.
        requires_grad: `False` makes a constant: no gradient is computed for it, nor for any node that
            depends only on constants. A node with parents requires a gradient if any of its parents does
            (`requires_grad=True` there is an error when none does).

    Attributes: `data`, `grad` (filled by `backward()`), `parents` (read-only), `local_grads`, `op`, `label`,
    `requires_grad`.

    A new operation needs no change to the engine:
    `Value(f(x.data, y.data), parents=(x, y), local_grads=(dfdx, dfdy), op="myop")`.
    (The built-in operations make their nodes with `_record`, which skips the checks of a user's input.)
    """

    # Where the parents are kept: the built-in operations of one or two operands (all but `linear`) keep them
    # in the slots `_first` and `_second`, with `_many = ()`; every other node (a leaf, `linear`, a user's
    # operation) keeps them in the tuple `_many`, with `_first = _second = None`. The `parents` property gives
    # them as a tuple either way. Slots instead of a tuple make a node one object instead of two for Python's
    # garbage collector, which scans every object that can hold others, cycles or not: it takes the
    # collector's share of build+backward from about 1 to about 0.55 us per node (README, "Speed and memory").
    # `_walk` is scratch space for backpropagation: a visit mark during the topological sort, then d root/d self.
    __slots__ = ("data", "grad", "_first", "_second", "_many", "local_grads", "op", "label", "requires_grad",
                 "_walk")
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * v is a Value

    def __init__(self, data, parents: tuple = (), local_grads: tuple = (), op: str = "", label: str = "",
                 requires_grad: bool | None = None):
        if type(data) is not float or data - data != 0.0:  # anything but a finite float is checked
            data = _check_data(data, op, label, parents)
        parents, local_grads, op, requires_grad = _check_user_node(parents, local_grads, op, label, requires_grad)
        self.data = data
        self.grad = 0.0
        self._first = self._second = None
        self._many = parents
        self.local_grads = local_grads
        self.op = op
        self.label = label
        self.requires_grad = requires_grad
        self._walk = None

    @property
    def parents(self) -> tuple:
        """The `Value`s this one was computed from, in operand order (`a * a` gives `(a, a)`)."""
        if self._first is None:
            return self._many
        return (self._first,) if self._second is None else (self._first, self._second)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        const = ", requires_grad=False" if not self.requires_grad else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op}{const})"

    def __float__(self) -> float:
        return self.data

    # Comparisons look at `data` and return a bool; they are not differentiable (like `if x > 0:`).
    def __lt__(self, other): return self.data < _data(other)
    def __le__(self, other): return self.data <= _data(other)
    def __gt__(self, other): return self.data > _data(other)
    def __ge__(self, other): return self.data >= _data(other)

    # Operators and functions, each made from its entry in the table of operations.
    __add__, __radd__ = _binary_method(ADD), _binary_method(ADD, reflected=True)
    __sub__, __rsub__ = _binary_method(SUB), _binary_method(SUB, reflected=True)
    __mul__, __rmul__ = _binary_method(MUL), _binary_method(MUL, reflected=True)
    __truediv__, __rtruediv__ = _binary_method(DIV), _binary_method(DIV, reflected=True)
    __pow__, __rpow__ = _pow_method(reflected=False), _pow_method(reflected=True)
    __neg__ = _unary_method(NEG)
    __abs__ = _unary_method(ABS)
    exp = _unary_method(EXP)
    log = _unary_method(LOG)
    sqrt = _unary_method(SQRT)
    sin = _unary_method(SIN)
    cos = _unary_method(COS)
    tanh = _unary_method(TANH)
    sigmoid = _unary_method(SIGMOID)
    relu = _unary_method(RELU)
    step = _unary_method(STEP)
    softplus = _unary_method(SOFTPLUS)
    mish = _unary_method(MISH)
    _leaky_relu, _elu, _silu = _binary_method(LEAKY_RELU), _binary_method(ELU), _binary_method(SILU)

    def leaky_relu(self, slope=0.01) -> Value:
        return _with_parameter(self._leaky_relu, "leaky_relu", "slope", slope)

    def elu(self, alpha=1.0) -> Value:
        return _with_parameter(self._elu, "elu", "alpha", alpha)

    def silu(self, beta=1.0) -> Value:
        return _with_parameter(self._silu, "silu", "beta", beta)

    swish = silu
    leaky_relu.__doc__, elu.__doc__, silu.__doc__ = LEAKY_RELU.note, ELU.note, SILU.note

    def backward(self, create_graph: bool = False) -> None:
        """Fill `.grad` of every node this one depends on with d self / d node.

        Gradients follow PyTorch: a leaf's `.grad` accumulates over calls (mini-batch training sums over
        examples) until reset with `zero_grad`; an intermediate node's `.grad` is recomputed by each call.
        With `create_graph=True` the gradients are `Value`s that can be differentiated again.

        If a gradient is inf or nan, `AutogradError` names where it became so; the leaves' `.grad` are then
        unchanged, and the intermediate nodes' `.grad` show this call's gradients (where the inf appeared).
        """
        _, leaves = backpropagate(self, create_graph, into_grad=True)
        _accumulate(leaves)


def _accumulate(leaves: list[Value]) -> None:
    """leaf.grad += d root/d leaf (held in `leaf._walk`) for every leaf, or for none: a sum that overflows
    (a gradient accumulated over many backward() calls) is an error, and every leaf keeps its `.grad`."""
    sums = [leaf.grad + leaf._walk for leaf in leaves]
    for leaf, total in zip(leaves, sums):
        if type(total) is float and total - total != 0.0 and not _Modes.ieee:
            error = AutogradError(f"backward: the gradient of {_describe(leaf)}, accumulated over backward() "
                                  f"calls, overflows: {leaf.grad!r} + {leaf._walk!r}; reset it with zero_grad()")
            for other in leaves:
                other._walk = None
            raise error
    for leaf, total in zip(leaves, sums):
        leaf.grad, leaf._walk = total, None


_new = object.__new__


def _record(data: float, local_grads: tuple, op: Op, requires_grad: bool, first: Value | None = None,
            second: Value | None = None, many: tuple = ()) -> Value:
    """The node for the result of a built-in operation: `Value(...)` without the checks of a user's input
    (the engine's own floats and tuples need none), so about twice as fast. Only the result is checked:
    an overflow to inf is an error (unless inside `ieee_floats()`)."""
    node = _new(Value)
    node._first = first
    node._second = second
    node._many = many
    if data - data != 0.0:  # inf or nan
        data = _check_data(data, op, "", node.parents)
    node.data = data
    node.grad = 0.0
    node.local_grads = local_grads
    node.op = op
    node.label = ""
    node.requires_grad = requires_grad
    node._walk = None
    return node


def _data(x) -> float:
    return x.data if isinstance(x, Value) else x


def _with_parameter(method: Callable, name: str, parameter: str, value) -> Value:
    out = method(value)
    if out is NotImplemented:
        raise TypeError(f"{name}(): {parameter} must be a number or a Value, got {value!r}")
    return out


def linear(weights: Sequence, inputs: Sequence, bias=None) -> Value:
    """z = sum_i weights[i] * inputs[i] (+ bias) as one node, with local derivatives d z/d w_i = x_i,
    d z/d x_i = w_i and d z/d b = 1: a neuron's weighted input (lecture note eq 40), drawn as one node.

    Arguments:
        weights, inputs: sequences of the same length of `Value`s or numbers (numbers become constants).
        bias: a `Value`, a number, or None for no bias term.
    """
    weights, inputs = list(weights), list(inputs)
    if len(weights) != len(inputs) or not weights:
        raise ValueError(f"linear(): {len(weights)} weights and {len(inputs)} inputs; they must be equally "
                         "many, and at least one")
    parents = weights + inputs + ([] if bias is None else [bias])
    for i, p in enumerate(parents):
        if type(p) is not Value:
            parents[i] = _constant(p)
            if parents[i] is NotImplemented:
                raise TypeError(f"linear(): {p!r} is neither a Value nor a number")
    parents = tuple(parents)
    out = LINEAR.forward(*[p.data for p in parents])
    requires_grad = any(p.requires_grad for p in parents)
    local_grads = LINEAR.derivative(*[p.data for p in parents], out) if requires_grad else ()
    return _record(out, local_grads, LINEAR, requires_grad, many=parents)


def _constant(x):
    """A number as a constant node; a Value as itself; NotImplemented for anything else."""
    if type(x) is float or type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, bool)):
        try:
            return _record(float(x), (), "", False)
        except OverflowError:  # float() of an int beyond 1.8e308
            raise AutogradError(f"an operand ({type(x).__name__}) too large for a float: its magnitude exceeds "
                                "1.8e308") from None
    return x if isinstance(x, Value) else NotImplemented


def _describe(x: Value) -> str:
    text = f"{x.label} = {x.data!r}" if x.label else repr(x.data)
    site = _Modes.sites.get(id(x))  # recorded inside detect_anomaly() only
    return f"{text} (created at {site[0]}:{site[1]})" if site else text


def _where() -> str:
    """Inside detect_anomaly(), the place in the user's code that is running the failing operation."""
    if not _Modes.anomaly:
        return ""
    from .anomaly import user_site
    file, line = user_site()
    return f" [at {file}:{line}]"


def _failed(op: Op, inputs: tuple, e: Exception) -> Value:
    """An operation raised: an AutogradError naming it, or, inside ieee_floats(), its IEEE 754 result."""
    if _Modes.ieee:
        from .anomaly import ieee_node
        return ieee_node(op, inputs, e)
    raise _domain_error(op, inputs, e) from None


_INFIX = {"+", "-", "*", "/", "**"}


def _expression(op: str, inputs: tuple, shown: int = 8) -> str:
    args = [_describe(x) for x in inputs[:shown]]
    if len(inputs) > shown:  # a linear node may have a million inputs
        args.append(f"... {len(inputs) - shown} more")
    if op in _INFIX and len(args) == 2:
        return f"({args[0]}) {op} ({args[1]})"
    return f"{op}({', '.join(args)})"


def _domain_error(op: Op, inputs: tuple, e: Exception) -> AutogradError:
    """The error for an operation that failed on these inputs, saying whether the function itself or only
    its derivative is undefined there."""
    try:
        op.forward(*[x.data for x in inputs])
        what = "its derivative"
    except (ArithmeticError, ValueError):
        what = "the result"
    if isinstance(e, OverflowError):
        why = f"{what} overflows a float (its magnitude would exceed 1.8e308)"
    elif isinstance(e, ZeroDivisionError) or "domain" in str(e) or "complex" in str(e):
        why = f"{what} is undefined (or infinite) there"
    else:
        why = str(e)
    note = f" [{op}: {op.note}]" if op.note else ""
    hint = (" If no gradient is needed through it, make the input a constant (requires_grad=False)."
            if what == "its derivative" else "")
    return AutogradError(f"{_expression(op, inputs)}: {why}.{note}{hint}{_where()}")


def _check_data(data, op: str, label: str, parents: tuple) -> float:
    if isinstance(data, Value):
        raise TypeError(f"Value({data!r}): data must be a number, not a Value; use the Value itself")
    if not isinstance(data, numbers.Real) or isinstance(data, bool):
        raise TypeError(f"Value(data={data!r}, label={label!r}): data must be a real number, "
                        f"not {type(data).__name__}")
    try:
        value = float(data)
    except OverflowError:
        value = math.inf
    if value - value != 0.0 and not _Modes.ieee:  # nan or inf (allowed inside ieee_floats())
        if op:
            if any(p.data - p.data != 0.0 for p in parents):  # made inside ieee_floats()
                why = "an input is not finite"
            else:
                why = "it overflows a float" if math.isinf(value) else "it is not a number"
            raise AutogradError(f"{_expression(op, parents)}: the result is {value!r}: {why}; values must be "
                                f"finite (autograd.ieee_floats() allows inf and nan){_where()}")
        raise AutogradError(f"Value({value!r}, label={label!r}): values must be finite numbers{_where()}")
    return value


def _check_user_node(parents, local_grads, op: str, label: str, requires_grad) -> tuple[tuple, tuple, str, bool]:
    """Check a node made by a user: a leaf, or a custom operation with one local derivative per parent.

    Local derivatives given as Values are stored as their numbers in `local_grads` (so ordinary backward
    stays numeric), and the Values themselves in an `Op` named like the user's op, whose derivative rule
    returns them: with `create_graph=True` they take part in higher-order derivatives."""
    if requires_grad is not None and type(requires_grad) is not bool:
        raise TypeError(f"Value(op={op!r}, label={label!r}): requires_grad must be True, False or None, "
                        f"got {requires_grad!r}")
    if not parents:
        if local_grads:
            raise ValueError(f"Value(op={op!r}, label={label!r}): local_grads given without parents")
        return (), (), op, requires_grad is not False
    parents, local_grads = tuple(parents), tuple(local_grads)
    for p in parents:
        if not isinstance(p, Value):
            raise TypeError(f"Value(op={op!r}, label={label!r}): parent {p!r} is not a Value")
    if len(local_grads) != len(parents):
        raise ValueError(f"Value(op={op!r}, label={label!r}): {len(parents)} parents but "
                         f"{len(local_grads)} local_grads; give one local derivative per parent")
    for g in local_grads:
        if isinstance(g, Value):
            continue
        if not isinstance(g, numbers.Real) or isinstance(g, bool):
            raise TypeError(f"Value(op={op!r}, label={label!r}): local derivative {g!r} must be a number or "
                            "a Value")
        try:
            finite = math.isfinite(g)
        except OverflowError:  # an int beyond 1.8e308
            finite = False
        if not finite and not _Modes.ieee:
            raise ValueError(f"Value(op={op!r}, label={label!r}): local derivative {g!r} must be finite")
    if all(isinstance(g, Value) for g in local_grads):
        symbolic = local_grads
        op = _op(op, None, lambda *args: symbolic, "a custom operation with Value local derivatives")
    numeric = tuple(g.data if isinstance(g, Value) else float(g) for g in local_grads)
    from_parents = any(p.requires_grad for p in parents)
    if requires_grad and not from_parents:
        raise ValueError(f"Value(op={op!r}, label={label!r}): requires_grad=True, but none of its parents "
                         "requires a gradient, so no gradient can flow through it")
    return parents, numeric, op, from_parents and requires_grad is not False


# Functions that work on plain numbers and on anything with the same method (a Value, a dual number):
# the derivative rules above are written with them.

def _function(op: Op) -> Callable:
    name = str(op)

    def f(x):
        return op.forward(x) if isinstance(x, numbers.Real) else getattr(x, name)()
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"{op} of a float or a Value. {op.note}".strip()
    return f


exp, log, sqrt, sin, cos, tanh, sigmoid, relu, softplus = map(
    _function, (EXP, LOG, SQRT, SIN, COS, TANH, SIGMOID, RELU, SOFTPLUS))


# ---------------------------------------------------------------------------------------------------------
# Backpropagation.

def topological_order(root: Value, _emitted: object = None) -> list[Value]:
    """The nodes `root` depends on that require a gradient, each before every node it was computed from
    (so `root` comes first). Iterative depth-first search: no recursion limit on deep graphs.

    A node is pushed once to be expanded, and once more, under its parents, to be emitted after them. Nodes
    are marked in `_walk` as they go (faster than a set), with marks made fresh for each call, so marks left
    by an earlier, interrupted walk mean nothing. The marks are cleared at the end, except when
    `backpropagate` passes its own `_emitted` mark, which it then reads as "no gradient yet"."""
    expanded = object()
    emitted = object() if _emitted is None else _emitted
    order: list[Value] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node._walk is expanded:  # second visit: all its parents have been emitted
            node._walk = emitted
            order.append(node)
        elif node._walk is not emitted:  # first visit: come back to it after its parents
            node._walk = expanded
            stack.append(node)
            for p in node._many or (node._first, node._second):  # node.parents, without a call
                if p is not None and p.requires_grad and p._walk is not expanded and p._walk is not emitted:
                    stack.append(p)
    order.reverse()
    if _emitted is None:
        for node in order:
            node._walk = None
    return order


def backpropagate(root: Value, create_graph: bool = False, into_grad: bool = False) -> tuple[list, list]:
    """Compute d root / d node for every node `root` depends on (that requires a gradient).

    Walks from `root` towards the leaves in topological order, so a node's gradient is complete, summed over
    all the nodes that use it (lecture note eq 22, 26), before it is passed on to its parents. With
    `create_graph=True` the derivatives are Values built from the rule table.

    Returns `(order, leaves)`: the nodes in the order visited, and the leaves among them. Each leaf holds its
    derivative in `leaf._walk`, for the caller (`backward`, `grad`) to collect and clear; so does every other
    node, unless `into_grad=True` (`backward`), which stores it in the node's `.grad` and clears `_walk`.

    A gradient that is inf or nan (outside `ieee_floats()`) raises `AutogradError` naming the edge where it
    became so. It is checked once, on the leaves: an inf or nan passes down every edge below it (times a
    local derivative it stays inf or nan, and so does any sum with it), and every path ends at a leaf.
    """
    if not root.requires_grad:
        raise AutogradError(f"backward() on a constant {_describe(root)}: it was made with requires_grad=False "
                            "or depends only on such constants, so it has no gradient to compute")
    no_gradient_yet = object()
    order = topological_order(root, no_gradient_yet)
    leaves = []
    try:
        if _Modes.anomaly:
            from .anomaly import check_nodes
            check_nodes(order)  # a .data changed after use would make the recorded local derivatives stale
        root._walk = Value(1.0, requires_grad=False) if create_graph else 1.0
        for node in order:
            g = node._walk  # complete: every node using this one came earlier in the order
            first = node._first
            if first is None and not node._many:
                leaves.append(node)
                continue
            if into_grad:
                node.grad, node._walk = g, None
            local_grads = _symbolic_local_grads(node) if create_graph else node.local_grads
            # (`node._many or (first, node._second)` is `node.parents` without the property's call; zip stops
            # after the last local derivative, so a unary node's `_second`, None, is never used.)
            for parent, local in zip(node._many or (first, node._second), local_grads):
                if parent.requires_grad:
                    # The chain rule, the one place it is written: d root/d parent += d node/d parent * d root/d node
                    before = parent._walk
                    parent._walk = local * g if before is no_gradient_yet else before + local * g
        if not create_graph and not _Modes.ieee:  # (Values check themselves)
            for leaf in leaves:
                if leaf._walk - leaf._walk != 0.0:  # inf or nan
                    raise _gradient_error(order, into_grad)
    except BaseException:
        for node in order:
            node._walk = None
        raise
    return order, leaves


def _gradient_error(order: list[Value], into_grad: bool) -> AutogradError:
    """The error for a gradient that became inf or nan: it names the first node in the order whose gradient
    did and the edge it came through, where either the local derivative is infinite (sqrt at 0) or the product
    local * grad overflowed; otherwise the sum of finite gradients overflowed."""
    def gradient(node):
        return node.grad if into_grad and node.parents else node._walk

    node = next(n for n in order if gradient(n) - gradient(n) != 0.0)
    for child in order:
        g = gradient(child)
        for parent, local in zip(child.parents, child.local_grads):
            if parent is node and (local - local != 0.0 or (local * g) - (local * g) != 0.0):
                why = (f"its local derivative with respect to {_describe(node)} is {local!r}" if local - local != 0.0
                       else f"local derivative {local!r} times gradient {g!r} overflows a float")
                note = f" [{child.op}: {child.op.note}]" if getattr(child.op, "note", "") else ""
                return AutogradError(f"backward: the gradient of {_describe(node)} is {gradient(node)!r}: it comes "
                                     f"through {_expression(child.op, child.parents)}{_about(child)}, where "
                                     f"{why}.{note}{_where()}")
    return AutogradError(f"backward: the gradient of {_describe(node)} is {gradient(node)!r}: the sum of the "
                         f"finite gradients reaching it from the nodes that use it overflows a float{_where()}")


def _about(node: Value) -> str:
    """' (labelled 'z', created at file:line)': a node's label and where it was made (detect_anomaly())."""
    parts = []
    if node.label:
        parts.append(f"labelled {node.label!r}")
    site = _Modes.sites.get(id(node))
    if site:
        parts.append(f"created at {site[0]}:{site[1]}")
    return f" ({', '.join(parts)})" if parts else ""


def _symbolic_local_grads(node: Value) -> tuple:
    """The local derivatives of `node` as Values that are functions of its parents (for create_graph)."""
    if isinstance(node.op, Op):
        return node.op.derivative(*node.parents, node)
    if not node.parents:  # a leaf passes nothing on
        return ()
    raise AutogradError(
        f"create_graph=True through the custom operation {node.op!r} (label {node.label!r}): its local_grads "
        "are plain numbers, so their own derivatives are unknown. Pass local_grads as Values computed from "
        "the parents (e.g. local_grads=(2 * x,)) to take part in higher-order derivatives")


def grad(output: Value, inputs: Value | Sequence[Value], create_graph: bool = False):
    """d output / d input for each input, leaving every `.grad` untouched.

    Arguments:
        output: the `Value` to differentiate.
        inputs: one `Value` (the result is one number) or a sequence of them (the result is a list).
        create_graph: return the derivatives as `Value`s whose graph can be differentiated again.

    An input that `output` does not depend on gets 0; so does every input when `output` is a constant (a
    third derivative of x^3 is the constant 6, whose derivative is 0), where `backward()` would raise.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad(): the output must be a Value, got {output!r}")
    single = isinstance(inputs, Value)
    inputs = [inputs] if single else list(inputs)
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad(): inputs must be Values, got {x!r}")
        if not x.requires_grad:
            raise AutogradError(f"grad() with respect to the constant {_describe(x)} (requires_grad=False)")
    for x in inputs:
        x._walk = None  # inputs that output does not depend on are not visited
    order = backpropagate(output, create_graph)[0] if output.requires_grad else []
    zero = Value(0.0, requires_grad=False) if create_graph else 0.0
    result = [zero if x._walk is None else x._walk for x in inputs]
    for node in order:
        node._walk = None
    return result[0] if single else result


def zero_grad(values: Iterable[Value]) -> None:
    """Reset `.grad` to 0 for each value (a leaf's gradient otherwise accumulates over backward calls)."""
    for v in values:
        v.grad = 0.0
