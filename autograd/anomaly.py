"""Safety nets: nothing breaks quietly.

Always on, at no extra cost: every value is a finite float (an operation whose result overflows or is not a
number raises `AutogradError` naming it), and backward raises where a gradient becomes inf or nan, naming the
edge it came through.

- `detect_anomaly()`: for debugging. Every node made inside it records where in your code it was made
  (file and line), error messages name that place, and `backward()` first checks the graph (`check_graph`).
  It costs nothing outside: it swaps in a recording constructor while it is on, and the engine looks at its
  switch only on error paths and once per backward.
- `ieee_floats()`: inf and nan are allowed and overflow gives inf, as IEEE 754 floating point (numpy,
  PyTorch) does, instead of an error. Also free outside: the engine looks at its switch only where a number
  is not finite or an operation has failed.
- `check_graph(root)`: call it yourself to find nodes whose `.data` no longer matches their parents'.

Changing `.data` of a node after it was used is your responsibility outside `detect_anomaly()`: the local
derivatives recorded when it was used are stale, and backward would silently use them. Optimisers change
the `.data` of parameters (leaves) between graphs, which is fine: the next forward pass builds a new graph
from the new values; only backward through an old graph would be wrong.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from typing import Iterator

from . import engine
from .engine import AutogradError, Op, Value, _about, _expression, _Modes, topological_order

# Frames in these folders are the library's own; a node's creation site is the first frame outside them.
_AUTOGRAD = os.path.dirname(os.path.abspath(__file__))
_LIBRARY = (_AUTOGRAD + os.sep, os.path.join(os.path.dirname(_AUTOGRAD), "nn") + os.sep)


def user_site() -> tuple[str, int]:
    """(file, line) of the innermost frame of the caller's stack that is not inside autograd/ or nn/."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY):
        frame = frame.f_back
    if frame is None:
        return "<unknown>", 0
    return frame.f_code.co_filename, frame.f_lineno


# Nodes are made in two places: `Value(...)` (a user's) and `engine._record` (the operations'). Inside
# detect_anomaly() both are replaced by versions that also record where the node was made.
_plain_init, _plain_record = Value.__init__, engine._record


def _recording_init(self, *args, **kwargs) -> None:
    """`Value.__init__` inside detect_anomaly(): the ordinary constructor, then where the node was made."""
    _plain_init(self, *args, **kwargs)
    _Modes.sites[id(self)] = user_site()


def _recording_record(*args, **kwargs) -> Value:
    """`engine._record` inside detect_anomaly(): the ordinary node, then where it was made."""
    node = _plain_record(*args, **kwargs)
    _Modes.sites[id(node)] = user_site()
    return node


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside it, an operation whose value or gradient is inf or nan raises at once (outside too), and the
    message also says where (file:line of your code) each node involved was created; `backward()` first
    checks the graph for nodes whose `.data` was changed after use (see `check_graph`). It overrides
    `ieee_floats()`. Nesting is allowed; the switch is for the whole process, not per thread.

        with autograd.detect_anomaly():
            loss = model_loss()
            loss.backward()
    """
    saved = _Modes.anomaly, _Modes.ieee, Value.__init__, engine._record
    _Modes.anomaly, _Modes.ieee, Value.__init__, engine._record = True, False, _recording_init, _recording_record
    try:
        yield
    finally:
        _Modes.anomaly, _Modes.ieee, Value.__init__, engine._record = saved
        if not _Modes.anomaly:
            _Modes.sites.clear()


@contextlib.contextmanager
def ieee_floats() -> Iterator[None]:
    """Inside it, values and gradients may be inf or nan, as in IEEE 754 arithmetic (numpy, PyTorch):
    `Value(1000.0).exp()` is inf, `Value(0.0).log()` is -inf, `Value(-1.0).sqrt()` is nan, `1 / Value(0.0)`
    is inf, `Value(-10.0) ** 309` is -inf, and backward passes inf and nan gradients on instead of raising.
    A local derivative that Python's float arithmetic cannot compute at such a point (d log(x)/dx = 1/x at
    x = 0) is nan. Comparisons with nan are false, so relu, step, leaky_relu and elu give their x <= 0 branch
    for nan (PyTorch gives nan). Outside it all of these are errors; inside `detect_anomaly()` too.
    """
    saved = _Modes.ieee
    _Modes.ieee = not _Modes.anomaly
    try:
        yield
    finally:
        _Modes.ieee = saved


def ieee_result(op: Op, xs: list) -> float:
    """op.forward(*xs), or, where Python raises instead, the IEEE 754 result (as C99's math library)."""
    try:
        return op.forward(*xs)
    except (ArithmeticError, ValueError):
        pass
    if op == "exp":  # exp raises only on overflow
        return math.inf
    if op == "log":  # log(0) = -inf; log(x < 0) = nan
        return -math.inf if xs[0] == 0 else math.nan
    if op == "/":  # a / (+-0) = +-inf, signed like a product; 0 / 0 = nan
        a, b = xs
        return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(1.0, b)
    if op == "**":  # 0 ** (b < 0) and overflow give inf, negative for a negative base and an odd integer b
        a, b = xs
        if a < 0 and not b.is_integer():
            return math.nan
        odd = b.is_integer() and b % 2 == 1
        return math.copysign(math.inf, a) if odd else math.inf
    return math.nan  # sqrt(x < 0), sin(+-inf), cos(+-inf)


def ieee_local_grads(op: Op, xs: list, out: float) -> tuple:
    """op's local derivatives at xs, or nan for each where Python's float arithmetic fails there."""
    try:
        return tuple(float(g) for g in op.derivative(*xs, out))
    except (ArithmeticError, ValueError, TypeError):  # TypeError: float() of a complex number
        return (math.nan,) * len(xs)


def ieee_node(op: Op, inputs: tuple, error: Exception) -> Value:
    """The node for `op` on `inputs` in IEEE 754 arithmetic (called by the engine inside `ieee_floats()`
    when the ordinary computation raised `error`)."""
    xs = [x.data for x in inputs]
    out = ieee_result(op, xs)
    requires_grad = any(x.requires_grad for x in inputs)
    local_grads = ieee_local_grads(op, xs, out) if requires_grad else ()
    return engine._record(out, local_grads, op, requires_grad, *inputs)


def _same(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)  # nan equals nan here


def _staleness(node: Value) -> str | None:
    """What no longer matches in `node` (its value, or a local derivative) when its operation is recomputed
    from its parents' `.data`, or None. Leaves and custom operations cannot be recomputed: None."""
    if not node.parents or not isinstance(node.op, Op) or node.op.forward is None:
        return None
    xs = [p.data for p in node.parents]
    out = ieee_result(node.op, xs)  # the ordinary result wherever there is one
    if not _same(out, node.data):
        return f"{_expression(node.op, node.parents)} is now {out!r}, but the node holds {node.data!r}"
    if node.requires_grad:  # a * b with b = 0 stays 0 when a changes, but d/db = a does not
        now = ieee_local_grads(node.op, xs, out)
        if not all(map(_same, now, node.local_grads)):
            return (f"{_expression(node.op, node.parents)}: its local derivatives are now {now!r}, but the node "
                    f"holds {node.local_grads!r}")
    return None


def check_graph(root: Value, raise_exception: bool = True) -> list[Value]:
    """The nodes of `root`'s graph whose `.data` or local derivatives are no longer what their operation
    gives on their parents' `.data`: someone changed a `.data` after the node was computed, so backward
    would use stale local derivatives. `detect_anomaly()` runs this at every `backward()`.

    Arguments:
        root: the output whose graph to check. The nodes that require a gradient are checked (a changed
            constant shows up in the nodes computed from it).
        raise_exception: raise `AutogradError` naming the stale nodes, if any (otherwise just return them).

    Returns the stale nodes (an empty list when the graph is consistent).
    """
    if not isinstance(root, Value):
        raise TypeError(f"check_graph(): root must be a Value, got {root!r}")
    return check_nodes(topological_order(root) if root.requires_grad else [root], raise_exception)


def check_nodes(nodes, raise_exception: bool = True) -> list[Value]:
    """`check_graph` on a list of nodes (backward passes its topological order)."""
    stale = []
    for node in nodes:
        why = _staleness(node)
        if why:
            stale.append((node, why))
    if stale and raise_exception:
        shown = "".join(f"\n  {why}{_about(node)}" for node, why in stale[:10])
        more = f"\n  ... and {len(stale) - 10} more" if len(stale) > 10 else ""
        raise AutogradError(f"stale graph: {len(stale)} node(s) no longer match their parents' .data (a .data "
                            "was changed after the node was computed), so the local derivatives recorded then "
                            f"are out of date; build the graph again:{shown}{more}")
    return [node for node, _ in stale]
