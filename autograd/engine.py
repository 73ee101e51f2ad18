"""The scalar reverse-mode engine: `Value`, the topological order of its graph, and backpropagation.

Read this file top to bottom (after the two small functions that make `Value`'s operator methods):

1. `Value`: a node of the computation graph. It holds a float (`data`), the nodes it was computed from
   (`parents`), the local derivative of itself with respect to each parent (`local_grads`), the name of its
   operation (`op`), a `label`, and, after `backward()`, its `grad`. Each operation (`a * b`, `x.tanh()`)
   computes its output and its local derivatives from its entry in the table of operations,
   `autograd/_ops.py`, where every derivative rule of the library is written once.
2. `topological_order(root)`: the nodes `root` depends on, each before the nodes it was computed from.
3. `backpropagate(root)`: walks that order and applies the chain rule, written once in this library
   (lecture note eq 22, 26):   grad(parent) += local_grad * grad(node).
4. `backward()` and `grad()`: backpropagation into `.grad`, or returned.

Error messages and the checks of a user's input are in `autograd/_errors.py`; the switches of
`detect_anomaly()`, `ieee_floats()` and `no_grad()` in `autograd/_modes.py`.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from operator import countOf
from typing import Any, Callable, Iterable, Iterator, Literal, Sequence, Union, final, overload

from . import _errors, _modes
from ._modes import AutogradError
from ._ops import (ABS, ADD, COS, DIV, ELU, EXP, LEAKY_RELU, LINEAR, LOG, MISH, MUL, NEG, POW, RELU, SIGMOID,
                   SILU, SIN, SOFTPLUS, SQRT, STEP, SUB, TANH, Op, _linear_parts, cos, exp, linear_derivative,
                   linear_forward, log, relu, sigmoid, sin, softplus, sqrt, tanh)

__all__ = ["AutogradError", "Op", "Value", "backpropagate", "cos", "exp", "grad", "linear", "log", "no_grad",
           "relu", "sigmoid", "sin", "softplus", "sqrt", "tanh", "topological_order", "zero_grad"]

Operand = Union["Value", float]  # what an operator accepts besides a Value: an int or a float

# Set by `autograd.compiled`: called as _compare_hook(self, other, "<", result) by every comparison of a Value.
_compare_hook: Callable[[Value, Any, str, bool], None] | None = None
# Set by `autograd.anomaly.detect_anomaly()` while it is on: checks the graph for stale nodes before a walk.
_check_graph: Callable[[list[Value]], object] | None = None


# ---------------------------------------------------------------------------------------------------------
# Running an operation: compute the output and the local derivatives from the operation's entry in the table,
# and record both in a new node. Each operator method of `Value` is made by one of these two functions.
# (A function made per operator, rather than `def __mul__(self, other): return _apply(MUL, (self, other))`,
# saves a call, a tuple and a few lookups per operation: 15-20% of the build's instructions, callgrind.)

def _unary_method(op: Op, doc: str) -> Callable[[Value], Value]:
    forward, derivative = op.forward, op.derivative

    def method(self: Value) -> Value:
        if _modes.watch:  # inside no_grad() or detect_anomaly()
            return _apply(op, (self,))
        x = self.data
        try:
            out = forward(x)
            local_grads = derivative(x, out) if self.requires_grad else ()
        except (ArithmeticError, ValueError) as e:
            return _failed(op, (self,), e)
        return _record(out, local_grads, op, self.requires_grad, self)

    method.__name__, method.__doc__ = str(op), doc
    return method


def _binary_method(op: Op, doc: str, reflected: bool = False,
                   parameter: str = "") -> Callable[[Value, Any], Value]:
    """`self <op> other`, or `other <op> self` when reflected. A number becomes a constant; any other type
    gives NotImplemented, so that Python raises its TypeError (or a TypeError naming `parameter`)."""
    forward, derivative = op.forward, op.derivative

    def method(self: Value, other: Any) -> Value:
        if type(other) is not Value:
            other = _constant(other, op, self, parameter)
            if other is NotImplemented:
                return NotImplemented
        if reflected:
            self, other = other, self
        if _modes.watch:  # inside no_grad() or detect_anomaly()
            return _apply(op, (self, other))
        x, y = self.data, other.data
        requires_grad = self.requires_grad or other.requires_grad
        try:
            out = forward(x, y)
            local_grads = derivative(x, y, out) if requires_grad else ()
        except (ArithmeticError, ValueError) as e:
            return _failed(op, (self, other), e)
        return _record(out, local_grads, op, requires_grad, self, other)

    method.__name__, method.__doc__ = str(op), doc
    return method


def _pow_method(doc: str, reflected: bool = False) -> Callable[[Value, Any], Value]:
    """`**`, which first refuses a negative base with a Value exponent: d(a^b)/db = a^b ln a needs a > 0."""
    power = _binary_method(POW, doc, reflected)

    def method(self: Value, other: Any) -> Value:
        base, exponent = (other, self) if reflected else (self, other)
        if type(exponent) is Value and exponent.requires_grad and (type(base) is Value or _errors.is_real(base)) \
                and _data(base) < 0:
            return _apply(POW, (_constant(base, POW, exponent), exponent))  # raises, naming both
        return power(self, other)

    method.__name__, method.__doc__ = "**", doc
    return method


@final
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

    `==` is identity, as for any Python object (`a == b` is `a is b`): graphs are keyed by node, and two
    nodes holding the same number are still two nodes. `<`, `<=`, `>`, `>=` compare `.data` and give a bool,
    through which no gradient flows (like `if x > 0:`).
    """

    # Where the parents are: `_first` and `_second` hold those of an operation of one or two operands (all
    # but `linear`; `_second` is None for one); otherwise `_first` is None and `_second` is the tuple of all
    # parents (`()` for a leaf). The `parents` property gives a tuple either way. Slots instead of a tuple make
    # a node one object for the garbage collector instead of two: build 1.30 instead of 1.63 us per node
    # (benchmarks/gc_layouts.py); no third slot for the tuple keeps a node at 112 bytes instead of 128.
    # `_grad` is d root/d node during a walk; `_hooks` the functions given to register_hook(), or None.
    __slots__ = ("data", "grad", "_first", "_second", "local_grads", "op", "label", "requires_grad", "_grad",
                 "_hooks")
    __array_ufunc__ = None  # numpy defers to our reflected operators: np.float64(2) * v is a Value

    def __init__(self, data: float, parents: Sequence[Value] = (), local_grads: Sequence[Value | float] = (),
                 op: str = "", label: str = "", requires_grad: bool | None = None):
        data, parents, local_grads, op, requires_grad = _errors.check_node(
            self, data, parents, local_grads, op, label, requires_grad)
        self.data = data
        self.grad: Any = 0.0  # a float, or a Value after backward(create_graph=True)
        self._first: Value | None = None
        self._second: Any = parents
        self.local_grads = local_grads
        self.op = op
        self.label = label
        self.requires_grad = requires_grad
        self._grad: Any = 0.0
        self._hooks: tuple | None = None
        if _modes.anomaly:
            _modes.sites[id(self)] = _errors.user_site()

    @property
    def parents(self) -> tuple[Value, ...]:
        """The `Value`s this one was computed from, in operand order (`a * a` gives `(a, a)`)."""
        if self._first is None:
            return self._second
        return (self._first,) if self._second is None else (self._first, self._second)

    def backward(self, create_graph: bool = False) -> None:
        """Fill `.grad` of every node this one depends on with d self / d node.

        Arguments:
            create_graph: make the gradients `Value`s that can be differentiated again.

        Gradients follow PyTorch: a leaf's `.grad` accumulates over calls (mini-batch training sums over
        examples) until reset with `zero_grad`; an intermediate node's `.grad` is recomputed by each call
        (and always kept: no `retain_grad()` is needed).

        If a gradient is inf or nan, `AutogradError` names where it became so; the leaves' `.grad` are then
        unchanged, and the intermediate nodes' `.grad` show this call's gradients (where the inf appeared).
        """
        with _walking():
            order = backpropagate(self, create_graph)
            leaves = []
            for node in order:  # an intermediate node's .grad is this call's gradient; a leaf's accumulates
                if node._first is None and not node._second:
                    leaves.append(node)
                else:
                    node.grad = node._grad
            _check_gradients(order, leaves)
            totals = [leaf.grad + leaf._grad for leaf in leaves]
            for leaf, total in zip(leaves, totals):
                if type(total) is float and total - total != 0.0 and not _modes.ieee:
                    raise _errors.accumulated_overflow(leaf, leaf._grad)
            for leaf, total in zip(leaves, totals):
                leaf.grad = total

    # -----------------------------------------------------------------------------------------------------
    # PyTorch's small helpers.

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        const = ", requires_grad=False" if not self.requires_grad else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op}{const})"

    def __float__(self) -> float:
        """float(v) = v.data: a number that has left the graph (so has math.exp(v): use v.exp()). Inside
        `detect_anomaly()` this warns when the Value requires a gradient and the caller is outside the library."""
        if _modes.anomaly and self.requires_grad:
            _errors.left_the_graph(self)
        return self.data

    def item(self) -> float:
        """The number held, `self.data` (as PyTorch's `tensor.item()`): it has left the graph."""
        return self.data

    def detach(self) -> Value:
        """A constant (requires_grad=False) with the same data and label, outside this node's graph."""
        return _record(self.data, (), "", False, label=self.label)

    def requires_grad_(self, requires_grad: bool = True) -> Value:
        """Make this leaf a variable (True) or a constant (False), in place; returns the leaf.

        Arguments:
            requires_grad: True or False. Only a leaf (a node without parents) can be changed: an operation's
                result requires a gradient exactly when one of its parents does.
        """
        if type(requires_grad) is not bool:
            raise TypeError(f"requires_grad_(): requires_grad must be True or False, got {requires_grad!r}")
        if self._first is not None or self._second:
            raise AutogradError(f"requires_grad_() on {self.op}(...) {_errors.describe(self)}: only a leaf can be "
                                "changed; detach() gives a constant copy of any node")
        self.requires_grad = requires_grad
        return self

    def register_hook(self, hook: Callable[[Any], Any]) -> _HookHandle:
        """Call `hook(gradient)` when backpropagation reaches this node, with d root/d self (complete: summed
        over every use); if it returns something other than None, that replaces the gradient passed on to the
        parents (and stored in `.grad` by `backward()`). Runs in `backward()` and `grad()`.

        Arguments:
            hook: a function of one argument (a float, or a `Value` with create_graph=True).

        Returns a handle whose `remove()` unregisters the hook.
        """
        if not callable(hook):
            raise TypeError(f"register_hook(): hook must be callable, got {hook!r}")
        self._hooks = (self._hooks or ()) + (hook,)
        return _HookHandle(self, hook)

    # -----------------------------------------------------------------------------------------------------
    # Comparisons look at `data` and return a bool; they are not differentiable (like `if x > 0:`).

    def __lt__(self, other: Operand) -> bool:
        """self.data < other (a number or a Value's data): a bool, through which no gradient flows."""
        result = self.data < _data(other)
        if _compare_hook is not None:
            _compare_hook(self, other, "<", result)
        return result

    def __le__(self, other: Operand) -> bool:
        """self.data <= other (a number or a Value's data): a bool, through which no gradient flows."""
        result = self.data <= _data(other)
        if _compare_hook is not None:
            _compare_hook(self, other, "<=", result)
        return result

    def __gt__(self, other: Operand) -> bool:
        """self.data > other (a number or a Value's data): a bool, through which no gradient flows."""
        result = self.data > _data(other)
        if _compare_hook is not None:
            _compare_hook(self, other, ">", result)
        return result

    def __ge__(self, other: Operand) -> bool:
        """self.data >= other (a number or a Value's data): a bool, through which no gradient flows."""
        result = self.data >= _data(other)
        if _compare_hook is not None:
            _compare_hook(self, other, ">=", result)
        return result

    # -----------------------------------------------------------------------------------------------------
    # Operations, each made from its entry in the table (autograd/_ops.py) by `_binary_method` or
    # `_unary_method` (above the class), with its docstring. A number operand becomes a constant node;
    # reflected operators (Python calls `__radd__` for `2 + v`) swap the operands.

    __add__ = _binary_method(ADD, "self + other. Local derivatives: 1, 1.")
    __radd__ = _binary_method(ADD, "other + self. Local derivatives: 1, 1.", reflected=True)
    __sub__ = _binary_method(SUB, "self - other. Local derivatives: 1, -1.")
    __rsub__ = _binary_method(SUB, "other - self. Local derivatives: 1 (other), -1 (self).", reflected=True)
    __mul__ = _binary_method(MUL, "self * other. Local derivatives: d/dself = other, d/dother = self.")
    __rmul__ = _binary_method(MUL, "other * self. Local derivatives: d/dother = self, d/dself = other.",
                              reflected=True)
    __truediv__ = _binary_method(DIV, "self / other. Local derivatives: d/dself = 1/other, "
                                      "d/dother = -self/other^2.")
    __rtruediv__ = _binary_method(DIV, "other / self. Local derivatives: d/dother = 1/self, "
                                       "d/dself = -other/self^2.", reflected=True)
    __pow__ = _pow_method("self ** other. Local derivatives: d/dself = other self^(other-1) (at self = 0: "
                                  "0 for other = 0 or > 1, infinite for 0 < other < 1); d/dother = self^other "
                                  "ln(self), taken as 0 at self = 0 and an error for self < 0.")
    __rpow__ = _pow_method("other ** self. Local derivatives: d/dother = self other^(self-1); d/dself = "
                                   "other^self ln(other), taken as 0 at other = 0 and an error for other < 0.",
                              reflected=True)
    __neg__ = _unary_method(NEG, "-self. Local derivative: -1.")
    __abs__ = _unary_method(ABS, "|self|. Local derivative: sign(self), taken as 0 at 0.")
    exp = _unary_method(EXP, "e^self. Local derivative: e^self.")
    log = _unary_method(LOG, "ln(self), the natural logarithm, for self > 0. Local derivative: 1/self.")
    sqrt = _unary_method(SQRT, "sqrt(self), for self >= 0. Local derivative: 1/(2 sqrt(self)), infinite at 0.")
    sin = _unary_method(SIN, "sin(self). Local derivative: cos(self).")
    cos = _unary_method(COS, "cos(self). Local derivative: -sin(self).")
    tanh = _unary_method(TANH, "tanh(self). Local derivative: 1 - tanh(self)^2.")
    sigmoid = _unary_method(SIGMOID, "sigma(self) = 1 / (1 + e^-self). Local derivative: sigma(self) sigma(-self) "
                                     "= y (1 - y).")
    relu = _unary_method(RELU, "max(0, self). Local derivative: 1 for self > 0, 0 for self <= 0 (lecture note "
                               "eq 28).")
    step = _unary_method(STEP, "1 for self > 0, else 0. Local derivative taken as 0 everywhere (also at the "
                               "jump).")
    softplus = _unary_method(SOFTPLUS, "ln(1 + e^self). Local derivative: sigma(self).")
    mish = _unary_method(MISH, "self tanh(softplus(self)). Local derivative: t + self sigma(self) (1 - t^2), "
                               "t = tanh(softplus(self)).")
    _leaky_relu = _binary_method(LEAKY_RELU, "leaky_relu", parameter="slope")
    _elu = _binary_method(ELU, "elu", parameter="alpha")
    _silu = _binary_method(SILU, "silu", parameter="beta")

    def leaky_relu(self, slope: Operand = 0.01) -> Value:
        """self for self > 0, slope * self otherwise (lecture note eq 29).

        Arguments:
            slope: a number, or a `Value` to learn it (PReLU). Local derivatives: d/dself = 1 for self > 0 and
                slope for self <= 0; d/dslope = 0 for self > 0 and self otherwise.
        """
        return self._leaky_relu(slope)

    def elu(self, alpha: Operand = 1.0) -> Value:
        """self for self > 0, alpha (e^self - 1) otherwise.

        Arguments:
            alpha: a number or a `Value`. Local derivatives: d/dself = 1 for self > 0 and alpha e^self for
                self <= 0; d/dalpha = 0 for self > 0 and e^self - 1 otherwise.
        """
        return self._elu(alpha)

    def silu(self, beta: Operand = 1.0) -> Value:
        """self sigma(beta self) (swish; beta = 1 is SiLU).

        Arguments:
            beta: a number or a `Value`. With s = sigma(beta self): d/dself = s + beta self s (1 - s),
                d/dbeta = self^2 s (1 - s).
        """
        return self._silu(beta)

    swish = silu


class _HookHandle:
    """What `Value.register_hook` returns: `remove()` unregisters the hook."""

    def __init__(self, node: Value, hook: Callable):
        self.node, self.hook = node, hook

    def remove(self) -> None:
        """Unregister the hook (nothing happens if it was removed already)."""
        hooks = tuple(h for h in self.node._hooks or () if h is not self.hook)
        self.node._hooks = hooks or None


# ---------------------------------------------------------------------------------------------------------
# Running an operation, the general case (also used inside no_grad() and detect_anomaly()).

def _apply(op: Op, inputs: tuple[Value, ...]) -> Value:
    """Run `op` on `inputs`: compute the output, and the local derivatives if a gradient is needed, and record
    both in a new node. Inside no_grad() the result is a constant without a graph (and no local derivative is
    computed); inside detect_anomaly() the node records where in the user's code it was made."""
    xs = [x.data for x in inputs]
    graph = not (_modes.no_grad_threads and _no_grad_here())
    requires_grad = graph and any(x.requires_grad for x in inputs)
    if op is POW and inputs[1].requires_grad and xs[0] < 0:  # d(a^b)/db = a^b ln a needs a > 0
        raise _errors.negative_base(POW, inputs)
    try:
        out = op.forward(*xs)
        local_grads = op.derivative(*xs, out) if requires_grad else ()
    except (ArithmeticError, ValueError) as e:
        return _failed(op, inputs, e)
    if not graph:
        return _record(out, (), "", False)
    node = _record_of(out, local_grads, op, requires_grad, inputs)
    if _modes.anomaly:
        _modes.sites[id(node)] = _errors.user_site()
    return node


def _record(data: float, local_grads: tuple, op: str, requires_grad: bool, first: Value | None = None,
            second: Value | None = None, many: tuple = (), label: str = "") -> Value:
    """The node for the result of a built-in operation: `Value(...)` without the checks of a user's input
    (the engine's own floats and tuples need none), so about twice as fast. Only the result is checked:
    an overflow to inf is an error (unless inside `ieee_floats()`)."""
    node = _new(Value)
    node._first = first
    node._second = many if first is None else second
    if data - data != 0.0 and not _modes.ieee:  # inf or nan
        raise _errors.not_finite(data, op, node.parents)
    node.data = data
    node.grad = 0.0
    node.local_grads = local_grads
    node.op = op
    node.label = label
    node.requires_grad = requires_grad
    node._grad = 0.0
    node._hooks = None
    return node


_new = object.__new__


def _record_of(data: float, local_grads: tuple, op: str, requires_grad: bool, inputs: tuple[Value, ...]) -> Value:
    """`_record` for any number of inputs: one or two go in the node's slots, more in its tuple."""
    if len(inputs) > 2:
        return _record(data, local_grads, op, requires_grad, many=inputs)
    return _record(data, local_grads, op, requires_grad, inputs[0], inputs[1] if len(inputs) == 2 else None)


def _constant(x: Any, op: str, other: Any, parameter: str = "") -> Any:
    """A number as a constant node; a Value as itself; NotImplemented for anything else."""
    if type(x) is Value:
        return x
    if type(x) is float or type(x) is int or (isinstance(x, (int, float)) and not isinstance(x, bool)) or \
            _errors.is_real(x):
        try:
            value = float(x)
        except OverflowError:  # float() of an int beyond 1.8e308
            _errors.bad_operand(op, x, other)
        if value - value != 0.0 and not _modes.ieee:
            _errors.bad_operand(op, x, other)
        return _record(value, (), "", False)
    if parameter:
        raise TypeError(f"{op}(): {parameter} must be a number or a Value, got {x!r}")
    return NotImplemented


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Value) else x


def _failed(op: Op, inputs: tuple, e: Exception) -> Value:
    """An operation raised: an AutogradError naming it, or, inside ieee_floats(), its IEEE 754 result."""
    if not _modes.ieee:
        raise _errors.domain_error(op, inputs, e) from None
    xs = [x.data for x in inputs]
    out = _errors.ieee_result(op, xs)
    requires_grad = any(x.requires_grad for x in inputs)
    local_grads = _errors.ieee_local_grads(op, xs, out) if requires_grad else ()
    return _record_of(out, local_grads, op, requires_grad, inputs)


def linear(weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand | None = None) -> Value:
    """z = sum_i weights[i] * inputs[i] (+ bias) as one node, with local derivatives d z/d w_i = x_i,
    d z/d x_i = w_i and d z/d b = 1: a neuron's weighted input (lecture note eq 40), drawn as one node.

    Arguments:
        weights, inputs: sequences of the same length of `Value`s or numbers (numbers become constants).
        bias: a `Value`, a number, or None for no bias term.
    """
    if type(weights) is not list or type(inputs) is not list:
        weights = _errors.sequence(weights, "linear(): weights")
        inputs = _errors.sequence(inputs, "linear(): inputs")
    if len(weights) != len(inputs) or not weights:
        raise ValueError(f"linear(): {len(weights)} weights and {len(inputs)} inputs; they must be equally "
                         "many, and at least one")
    parents = (*weights, *inputs) if bias is None else (*weights, *inputs, bias)
    if countOf(map(type, parents), Value) != len(parents):  # numbers become constants
        converted = tuple(p if type(p) is Value else _constant(p, "linear", None) for p in parents)
        for p, c in zip(parents, converted):
            if c is NotImplemented:
                raise TypeError(f"linear(): {p!r} is neither a Value nor a number")
        parents = converted
        weights, inputs, bias = _linear_parts(parents)
    if _modes.watch:  # inside no_grad() or detect_anomaly()
        return _apply(LINEAR, parents)
    # (The table's LINEAR rule called on two lists of floats, not on the operands unpacked into arguments,
    # nor on one list that it slices; the first parent, usually a weight, asked before all others: linear()
    # of 16 inputs 3.4 us, against 3.9 with one list and 4.3 unpacked, of 2 inputs 1.9 against 2.3, timeit.)
    ws = [w.data for w in weights]  # type: ignore[union-attr]  # all Values by now
    xs = [x.data for x in inputs]  # type: ignore[union-attr]
    b = None if bias is None else bias.data  # type: ignore[union-attr]
    out = linear_forward(ws, xs, b)
    requires_grad = parents[0].requires_grad or any(p.requires_grad for p in parents)
    local_grads = linear_derivative(ws, xs, b) if requires_grad else ()
    return _record(out, local_grads, LINEAR, requires_grad, None, None, parents)


# ---------------------------------------------------------------------------------------------------------
# Backpropagation.

def topological_order(root: Value) -> list[Value]:
    """The nodes `root` depends on that require a gradient, each before every node it was computed from
    (so `root` comes first). Iterative depth-first search: no recursion limit on deep graphs.

    Arguments:
        root: the output; if it is a constant, the order is just [root].

    Each node is pushed once to be expanded (its parents pushed above it), and once more, below its parents,
    to be emitted when they all have been; a leaf is emitted as soon as it is found. The nodes are marked in
    their scratch slot `_grad` (made fresh for each call, so marks left by an earlier walk mean nothing):
    23% fewer instructions than a set of visited nodes (callgrind, benchmarks' graph).
    """
    if not isinstance(root, Value):
        raise TypeError(f"topological_order(): root must be a Value, got {root!r}")
    with _walking():
        expanded, emitted = object(), object()
        order: list[Value] = []
        stack = [root]
        while stack:
            node = stack.pop()
            if node._grad is expanded:  # second visit: all its parents have been emitted
                node._grad = emitted
                order.append(node)
            elif node._grad is not emitted:  # first visit: come back to it after its parents
                node._grad = expanded
                stack.append(node)
                # (node.parents written out: without the property's call the sort takes 58 instead of 77 ms on
                # the 200,000-node graph of benchmarks/bench_engine.py)
                for parent in (node._second if node._first is None else (node._first,) if node._second is None
                               else (node._first, node._second)):
                    if parent._grad is not emitted and parent.requires_grad:
                        if parent._first is None and not parent._second:  # a leaf: done as soon as found
                            parent._grad = emitted
                            order.append(parent)
                        else:
                            stack.append(parent)
        order.reverse()
        return order


def backpropagate(root: Value, create_graph: bool = False) -> list[Value]:
    """Compute d root / d node for every node `root` depends on (that requires a gradient), into `node._grad`.

    Walks from `root` towards the leaves in topological order, so a node's gradient is complete, summed over
    all the nodes that use it (lecture note eq 22, 26), before it is passed on to its parents. With
    `create_graph=True` the derivatives are Values built from the rule table. `backward()` and `grad()` call
    it, and read the results from `_grad` (one walk at a time: see `_walking`).

    Returns the order walked.
    """
    if not root.requires_grad:
        raise _errors.constant_root(root)
    with _walking():
        order = topological_order(root)
        if _modes.anomaly and _check_graph is not None:
            _check_graph(order)  # a .data changed after use would make the recorded local derivatives stale
        for node in order:
            node._grad = 0.0
        root._grad = Value(1.0, requires_grad=False) if create_graph else 1.0
        for node in order:  # every node comes after all the nodes that use it: its _grad is complete
            if node._hooks:
                _run_hooks(node)
            local_grads = _symbolic_local_grads(node) if create_graph else node.local_grads
            # (`parents` is node.parents without the property's call: 0.19 us per node faster; zip stops after
            # the last local derivative, so a unary node's `_second`, None, is never used)
            parents = node._second if node._first is None else (node._first, node._second)
            for parent, local_grad in zip(parents, local_grads):
                if parent.requires_grad:
                    parent._grad += local_grad * node._grad  # the chain rule
        return order


def _check_gradients(order: list[Value], leaves: list[Value]) -> None:
    """After a walk: an AutogradError if a gradient became inf or nan, naming the edge where it did. Checked
    on the leaves only: an inf or nan passes down every edge below it (times a local derivative it stays inf
    or nan, and so does any sum with it), and every path ends at a leaf."""
    if _modes.ieee:
        return
    for leaf in leaves:
        if type(leaf._grad) is float and leaf._grad - leaf._grad != 0.0:
            raise _errors.gradient_error(order, lambda n: n._grad)


def _run_hooks(node: Value) -> None:
    for hook in node._hooks or ():
        replaced = hook(node._grad)
        if replaced is not None:
            if not isinstance(replaced, (int, float, Value)) or isinstance(replaced, bool):
                raise TypeError(f"register_hook(): the hook {hook!r} of {_errors.describe(node)} returned "
                                f"{replaced!r}; it must return a number (the new gradient) or None")
            node._grad = float(replaced) if not isinstance(replaced, Value) else replaced


def _symbolic_local_grads(node: Value) -> tuple:
    """The local derivatives of `node` as Values that are functions of its parents (for create_graph)."""
    if not isinstance(node.op, Op):
        if not node.parents:  # a leaf passes nothing on
            return ()
        raise _errors.numeric_custom_op(node)
    local_grads = node.op.derivative(*node.parents, node)
    if any(type(g) is float and g - g != 0.0 for g in local_grads) and not _modes.ieee:
        raise _errors.infinite_symbolic(node, local_grads)
    return local_grads


@overload
def grad(output: Value, inputs: Value, create_graph: Literal[False] = False) -> float: ...
@overload
def grad(output: Value, inputs: Sequence[Value], create_graph: Literal[False] = False) -> list[float]: ...
@overload
def grad(output: Value, inputs: Value, create_graph: Literal[True]) -> Value: ...
@overload
def grad(output: Value, inputs: Sequence[Value], create_graph: Literal[True]) -> list[Value]: ...
@overload
def grad(output: Value, inputs: Value | Sequence[Value], create_graph: bool = False) -> Any: ...


def grad(output: Value, inputs: Value | Sequence[Value], create_graph: bool = False) -> Any:
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
    xs: list[Value] = [inputs] if isinstance(inputs, Value) else _errors.sequence(inputs, "grad(): inputs")
    for x in xs:
        if not isinstance(x, Value):
            raise TypeError(f"grad(): inputs must be Values, got {x!r}")
        if not x.requires_grad:
            raise _errors.constant_input(x)
    with _walking():
        for x in xs:
            x._grad = 0.0  # an input that output does not depend on is not visited
        if output.requires_grad:
            order = backpropagate(output, create_graph)
            _check_gradients(order, [node for node in order if node._first is None and not node._second])
        zero = Value(0.0, requires_grad=False)
        result = [zero if create_graph and type(x._grad) is float else x._grad for x in xs]
    return result[0] if single else result


def zero_grad(values: Iterable[Value]) -> None:
    """Reset `.grad` to 0 for each value (a leaf's gradient otherwise accumulates over backward calls).

    Arguments:
        values: the Values to reset, e.g. `model.parameters()`.
    """
    values = _errors.sequence(values, "zero_grad(): values")
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"zero_grad(): values must be Values, got {v!r}")
    for v in values:
        v.grad = 0.0


# ---------------------------------------------------------------------------------------------------------
# One walk at a time, and no_grad().

_walk_lock = threading.RLock()


@contextmanager
def _walking() -> Iterator[None]:
    """Held by every walk that uses the nodes' `_grad`: walks from several threads over graphs that share
    nodes (parameters) take turns, so each gets its own gradients (the interpreter lock lets only one thread
    compute at a time anyway). The garbage collector is paused meanwhile: a walk creates no cycles, and
    collections would only rescan the graph (restored to the user's setting, also after an error)."""
    with _walk_lock:
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if enabled:
                gc.enable()


_thread = threading.local()  # per thread: how many no_grad() blocks are open
_no_grad_count_lock = threading.Lock()


def _no_grad_here() -> bool:
    return getattr(_thread, "no_grad_depth", 0) > 0


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside it, operations build constants only: no graph is recorded and no local derivative is computed,
    so evaluation and optimiser steps are cheaper (as PyTorch's `torch.no_grad()`). Per thread; nesting is
    allowed.

        with autograd.no_grad():
            accuracy = evaluate(model)
    """
    depth = getattr(_thread, "no_grad_depth", 0)
    _thread.no_grad_depth = depth + 1
    if depth == 0:
        with _no_grad_count_lock:
            _modes.no_grad_threads += 1
            _modes.watch += 1
    try:
        yield
    finally:
        _thread.no_grad_depth = depth
        if depth == 0:
            with _no_grad_count_lock:
                _modes.no_grad_threads -= 1
                _modes.watch -= 1
