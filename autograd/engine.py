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

ADD = _op("+", lambda a, b: a + b, lambda a, b, out: (1.0, 1.0))
SUB = _op("-", lambda a, b: a - b, lambda a, b, out: (1.0, -1.0))
MUL = _op("*", lambda a, b: a * b, lambda a, b, out: (b, a))
DIV = _op("/", lambda a, b: a / b, lambda a, b, out: (1.0 / b, -out / b))
NEG = _op("neg", lambda x: -x, lambda x, out: (-1.0,))
POW = _op("**", _pow, lambda a, b, out: (b * a ** (b - 1), out * log(a) if a > 0 else 0.0),
          "d(a^b)/db = a^b ln a; it is 0 at a = 0 (where a^b is 0 for all b > 0) and an error for a < 0")
EXP = _op("exp", math.exp, lambda x, out: (out,))
LOG = _op("log", math.log, lambda x, out: (1.0 / x,), "natural logarithm, defined for x > 0")
SQRT = _op("sqrt", math.sqrt, lambda x, out: (0.5 / out,), "derivative 1/(2 sqrt x): infinite at 0")
ABS = _op("abs", abs, lambda x, out: (float((x > 0) - (x < 0)),), "derivative sign(x), taken as 0 at x = 0")
SIN = _op("sin", math.sin, lambda x, out: (cos(x),))
COS = _op("cos", math.cos, lambda x, out: (-sin(x),))
TANH = _op("tanh", math.tanh, lambda x, out: (1.0 - out * out,))
SIGMOID = _op("sigmoid", _sigmoid, lambda x, out: (out * (1.0 - out),), "1 / (1 + e^-x); derivative y(1 - y)")
RELU = _op("relu", lambda x: x if x > 0 else 0.0, lambda x, out: (1.0 if x > 0 else 0.0,),
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


def _silu_derivative(x, b, s):  # d/dx and d/dbeta of x s, where s = sigmoid(beta x) and s' = s (1 - s)
    ds = s * (1.0 - s)
    return s + b * x * ds, x * x * ds


def _mish_derivative(x, t):  # d/dx of x t, where t = tanh(softplus(x)): t + x sigmoid(x) (1 - t^2)
    return (t + x * sigmoid(x) * (1.0 - t * t),)


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
            depends only on constants. By default a leaf requires a gradient and an operation does if any
            of its parents does.

    Attributes: `data`, `grad` (filled by `backward()`), `parents`, `local_grads`, `op`, `label`,
    `requires_grad`.

    A new operation needs no change to the engine:
    `Value(f(x.data, y.data), parents=(x, y), local_grads=(dfdx, dfdy), op="myop")`.
    """

    __slots__ = ("data", "grad", "parents", "local_grads", "op", "label", "requires_grad")
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * v is a Value

    def __init__(self, data, parents: tuple = (), local_grads: tuple = (), op: str = "", label: str = "",
                 requires_grad: bool | None = None):
        if type(data) is not float or data - data != 0.0:  # fast path: a finite float
            data = _check_data(data, op, label, parents)
        if parents and requires_grad is None:  # a user's own operation: check what it recorded
            parents, local_grads = _check_custom(parents, local_grads, op, label)
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self.local_grads = local_grads
        self.op = op
        self.label = label
        if requires_grad is None:
            requires_grad = not parents or any(p.requires_grad for p in parents)
        self.requires_grad = requires_grad

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

    # Arithmetic. Each operator names its operation in the table above; reflected ones swap the operands.
    def __add__(self, other): return _binary(ADD, self, other)
    def __radd__(self, other): return _binary(ADD, other, self)
    def __sub__(self, other): return _binary(SUB, self, other)
    def __rsub__(self, other): return _binary(SUB, other, self)
    def __mul__(self, other): return _binary(MUL, self, other)
    def __rmul__(self, other): return _binary(MUL, other, self)
    def __truediv__(self, other): return _binary(DIV, self, other)
    def __rtruediv__(self, other): return _binary(DIV, other, self)
    def __pow__(self, other): return _binary(POW, self, other)
    def __rpow__(self, other): return _binary(POW, other, self)
    def __neg__(self): return _unary(NEG, self)
    def __abs__(self): return _unary(ABS, self)

    # Functions. The docstring of each is its operation's note.
    def exp(self) -> Value: return _unary(EXP, self)
    def log(self) -> Value: return _unary(LOG, self)
    def sqrt(self) -> Value: return _unary(SQRT, self)
    def sin(self) -> Value: return _unary(SIN, self)
    def cos(self) -> Value: return _unary(COS, self)
    def tanh(self) -> Value: return _unary(TANH, self)
    def sigmoid(self) -> Value: return _unary(SIGMOID, self)
    def relu(self) -> Value: return _unary(RELU, self)
    def step(self) -> Value: return _unary(STEP, self)
    def softplus(self) -> Value: return _unary(SOFTPLUS, self)
    def mish(self) -> Value: return _unary(MISH, self)
    def leaky_relu(self, slope=0.01) -> Value: return _binary(LEAKY_RELU, self, slope)
    def elu(self, alpha=1.0) -> Value: return _binary(ELU, self, alpha)
    def silu(self, beta=1.0) -> Value: return _binary(SILU, self, beta)
    swish = silu

    def backward(self, create_graph: bool = False) -> None:
        """Fill `.grad` of every node this one depends on with d self / d node.

        Gradients follow PyTorch: a leaf's `.grad` accumulates over calls (mini-batch training sums over
        examples) until reset with `zero_grad`; an intermediate node's `.grad` is recomputed by each call.
        With `create_graph=True` the gradients are `Value`s that can be differentiated again.
        """
        adjoints = backpropagate(self, create_graph)
        for node, g in adjoints.items():
            node.grad = node.grad + g if not node.parents else g


_METHOD_OPS = {"exp": EXP, "log": LOG, "sqrt": SQRT, "sin": SIN, "cos": COS, "tanh": TANH, "sigmoid": SIGMOID,
               "relu": RELU, "step": STEP, "softplus": SOFTPLUS, "mish": MISH, "leaky_relu": LEAKY_RELU,
               "elu": ELU, "silu": SILU, "__abs__": ABS, "__pow__": POW}
for _name, _method_op in _METHOD_OPS.items():
    getattr(Value, _name).__doc__ = f"{_method_op}: {_method_op.note}" if _method_op.note else str(_method_op)


def _data(x) -> float:
    return x.data if isinstance(x, Value) else x


def _unary(op: Op, x: Value) -> Value:
    try:
        out = op.forward(x.data)
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(op, (x,), e, "") from None
    if not x.requires_grad:
        return Value(out, (x,), (), op, "", False)
    try:
        local_grads = op.derivative(x.data, out)
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(op, (x,), e, "its derivative ") from None
    return Value(out, (x,), local_grads, op, "", True)


def _binary(op: Op, a, b) -> Value:
    """Numbers on either side become constants; other types give NotImplemented (Python's TypeError)."""
    if type(a) is not Value:
        a = _constant(a)
    if type(b) is not Value:
        b = _constant(b)
    if a is NotImplemented or b is NotImplemented:
        return NotImplemented
    x, y = a.data, b.data
    try:
        out = op.forward(x, y)
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(op, (a, b), e, "") from None
    requires_grad = a.requires_grad or b.requires_grad
    if not requires_grad:
        return Value(out, (a, b), (), op, "", False)
    if op is POW and x < 0 and b.requires_grad:
        raise _domain_error(op, (a, b), ValueError("a negative base with a Value exponent: d(a^b)/db = "
                                                   "a^b ln a needs a > 0 (make the exponent a number)"), "")
    try:
        local_grads = op.derivative(x, y, out)
    except (ArithmeticError, ValueError) as e:
        raise _domain_error(op, (a, b), e, "its derivative ") from None
    return Value(out, (a, b), local_grads, op, "", True)


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
    return Value(out, parents, local_grads, LINEAR, "", requires_grad)


def _constant(x):
    if isinstance(x, Value):
        return x
    if not isinstance(x, numbers.Real) or isinstance(x, bool):
        return NotImplemented
    return Value(float(x), (), (), "", "", False)


def _describe(x: Value) -> str:
    return f"{x.label} = {x.data!r}" if x.label else repr(x.data)


_INFIX = {"+", "-", "*", "/", "**"}


def _expression(op: str, inputs: tuple) -> str:
    args = [_describe(x) for x in inputs]
    if op in _INFIX and len(args) == 2:
        return f"({args[0]}) {op} ({args[1]})"
    return f"{op}({', '.join(args)})"


def _domain_error(op: Op, inputs: tuple, e: Exception, what: str) -> AutogradError:
    if isinstance(e, OverflowError):
        why = f"{what}overflows a float (its magnitude exceeds 1.8e308)"
    elif isinstance(e, ZeroDivisionError) or "domain" in str(e) or "complex" in str(e):
        why = f"{what}is undefined (or infinite) there"
    else:
        why = str(e)
    note = f" [{op}: {op.note}]" if op.note else ""
    hint = (" If no gradient is needed through it, make the input a constant (requires_grad=False)."
            if what else "")
    return AutogradError(f"{_expression(op, inputs)}: {why}.{note}{hint}")


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
    if value - value != 0.0:  # nan or inf
        where = _expression(op, parents) if op else f"Value(label={label!r})"
        raise AutogradError(f"{where}: the value is {value!r}; values must be finite numbers")
    return value


def _check_custom(parents, local_grads, op, label):
    parents, local_grads = tuple(parents), tuple(local_grads)
    if not all(isinstance(p, Value) for p in parents):
        raise TypeError(f"Value(op={op!r}, label={label!r}): every parent must be a Value")
    if len(local_grads) != len(parents):
        raise ValueError(f"Value(op={op!r}, label={label!r}): {len(parents)} parents but "
                         f"{len(local_grads)} local_grads; give one local derivative per parent")
    for g in local_grads:
        if isinstance(g, Value):
            continue
        if not isinstance(g, numbers.Real) or isinstance(g, bool) or not math.isfinite(g):
            raise ValueError(f"Value(op={op!r}, label={label!r}): local derivative {g!r} must be a finite "
                             f"number or a Value")
    return parents, tuple(g if isinstance(g, Value) else float(g) for g in local_grads)


# Functions that work on plain numbers and on anything with the same method (a Value, a dual number):
# the derivative rules above are written with them.

def _function(op: Op) -> Callable:
    name = str(op)

    def f(x):
        return op.forward(x) if isinstance(x, numbers.Real) else getattr(x, name)()
    f.__name__ = f.__qualname__ = str(op)
    f.__doc__ = f"{op} of a float or a Value. {op.note}".strip()
    return f


exp, log, sqrt, sin, cos, tanh, sigmoid, relu, softplus = map(
    _function, (EXP, LOG, SQRT, SIN, COS, TANH, SIGMOID, RELU, SOFTPLUS))


# ---------------------------------------------------------------------------------------------------------
# Backpropagation.

def topological_order(root: Value) -> list[Value]:
    """The nodes `root` depends on that require a gradient, each before every node it was computed from
    (so `root` comes first). Iterative depth-first search: no recursion limit on deep graphs.

    A node is pushed once to be expanded and once more, under its parents, to be emitted after them."""
    order: list[Value] = []
    expanded: set[Value] = set()
    emitted: set[Value] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node not in expanded:
            expanded.add(node)
            stack.append(node)
            for p in node.parents:
                if p.requires_grad and p not in expanded:
                    stack.append(p)
        elif node not in emitted:  # all its parents have been emitted
            emitted.add(node)
            order.append(node)
    order.reverse()
    return order


def backpropagate(root: Value, create_graph: bool = False) -> dict[Value, float | Value]:
    """d root / d node for every node root depends on (that requires a gradient), as a dict.

    Walks the nodes from `root` towards the leaves, so a node's gradient is complete, summed over all the
    nodes that use it (lecture note eq 22, 26), before it is passed on to its parents.
    """
    if not root.requires_grad:
        raise AutogradError(f"backward() on a constant {_describe(root)}: it was made with requires_grad=False "
                            "or depends only on such constants, so it has no gradient to compute")
    adjoint: dict = {root: Value(1.0, requires_grad=False) if create_graph else 1.0}
    for node in topological_order(root):
        g = adjoint[node]
        local_grads = _symbolic_local_grads(node) if create_graph else node.local_grads
        for parent, local in zip(node.parents, local_grads):
            if parent.requires_grad:
                # The chain rule, the one place it is written: d root/d parent += d node/d parent * d root/d node
                before = adjoint.get(parent)
                adjoint[parent] = local * g if before is None else before + local * g
    return adjoint


def _symbolic_local_grads(node: Value) -> tuple:
    """The local derivatives of `node` as Values that are functions of its parents (for create_graph)."""
    if isinstance(node.op, Op):
        return node.op.derivative(*node.parents, node)
    if all(isinstance(g, Value) for g in node.local_grads):
        return node.local_grads
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

    An input that `output` does not depend on gets 0.
    """
    single = isinstance(inputs, Value)
    inputs = [inputs] if single else list(inputs)
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad(): inputs must be Values, got {x!r}")
        if not x.requires_grad:
            raise AutogradError(f"grad() with respect to the constant {_describe(x)} (requires_grad=False)")
    adjoint = backpropagate(output, create_graph)
    zero = Value(0.0, requires_grad=False) if create_graph else 0.0
    result = [adjoint.get(x, zero) for x in inputs]
    return result[0] if single else result


def zero_grad(values: Iterable[Value]) -> None:
    """Reset `.grad` to 0 for each value (a leaf's gradient otherwise accumulates over backward calls)."""
    for v in values:
        v.grad = 0.0
