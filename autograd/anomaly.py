"""Safety nets: nothing breaks quietly.

Always on, at no extra cost: every value is a finite float (an operation whose result overflows or is not a
number raises `AutogradError` naming it), and backward raises where a gradient becomes inf or nan, naming the
edge it came through.

- `detect_anomaly()`: while debugging. Every node records where in your code it was created, error messages
  name that place, and `backward()` first checks that no node's `.data` was changed after it was used.
  Outside the context manager nothing is recorded or checked: it swaps in a recording constructor and the
  engine looks at its switch only on error paths and once per backward.
- `ieee_floats()`: inf and nan are allowed and overflow gives inf, as IEEE 754 floating point does (numpy's
  behaviour), instead of an error.
- `check_graph(root)`: call it yourself to find nodes whose `.data` no longer matches their parents.

Changing `.data` of a node that has already been used in a graph is your responsibility outside
`detect_anomaly()`: the local derivatives recorded when it was used would be stale, and backward would
silently use them. Optimisers change the `.data` of parameters (leaves) between graphs, which is fine: the
next forward pass builds a new graph from the new values.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator

from .engine import AutogradError, Op, Value, _expression, _Modes, topological_order

# Frames in these folders are the library's own; a node's creation site is the first frame outside them.
_AUTOGRAD = os.path.dirname(os.path.abspath(__file__))
_LIBRARY = (_AUTOGRAD + os.sep, os.path.join(os.path.dirname(_AUTOGRAD), "nn") + os.sep)


def user_site() -> str:
    """'file:line' of the innermost frame of the caller's stack that is not inside autograd/ or nn/."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY):
        frame = frame.f_back
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside it, any operation whose value or gradient is inf or nan raises at once, naming the operation,
    its label, its inputs and where (file:line) each node was created; `backward()` also checks the graph for
    nodes whose `.data` was changed after use (`check_graph`). Nodes created inside are kept alive (for their
    creation sites) until it exits. Nesting is allowed.

        with autograd.detect_anomaly():
            loss = model_loss()
            loss.backward()
    """
    _Modes.anomaly += 1
    if _Modes.anomaly == 1:
        original_init = Value.__init__

        def recording_init(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
            _Modes.sites[self] = user_site()

        Value.__init__ = recording_init
    try:
        yield
    finally:
        _Modes.anomaly -= 1
        if _Modes.anomaly == 0:
            Value.__init__ = original_init
            _Modes.sites.clear()


@contextlib.contextmanager
def ieee_floats() -> Iterator[None]:
    """Inside it, values may be inf or nan and a result too large for a float becomes inf, as in IEEE 754
    arithmetic (and numpy): `Value(1000.0).exp()` is inf, `Value(-1.0).log()` is nan, `1 / Value(0.0)` is inf,
    and backward passes inf and nan gradients on instead of raising. Outside it they are errors."""
    _Modes.ieee += 1
    try:
        yield
    finally:
        _Modes.ieee -= 1


# numpy's versions of the operations that can overflow or leave their domain: they return inf or nan.
_IEEE_FORWARD = {"exp": "exp", "log": "log", "sqrt": "sqrt", "**": "power", "/": "divide"}


def ieee_node(op: Op, inputs: tuple, error: Exception) -> Value:
    """The node for `op` on `inputs` computed in IEEE 754 arithmetic (called by the engine inside
    `ieee_floats()` when the ordinary computation raised `error`)."""
    import numpy as np

    args = [np.float64(x.data) for x in inputs]
    forward = getattr(np, _IEEE_FORWARD[op]) if op in _IEEE_FORWARD else op.forward
    requires_grad = any(x.requires_grad for x in inputs)
    with np.errstate(all="ignore"):
        try:
            out = np.float64(forward(*args))
            local_grads = tuple(float(g) for g in op.derivative(*args, out)) if requires_grad else ()
        except (ArithmeticError, ValueError):
            raise AutogradError(f"{_expression(op, inputs)}: {error} (also in IEEE 754 arithmetic)") from None
    return Value(float(out), inputs, local_grads, op, "", requires_grad)


def check_nodes(nodes) -> None:
    """Raise `AutogradError` naming every node (of `nodes`) whose `.data` is no longer its operation applied
    to its parents' `.data`: a `.data` was changed after the node was computed."""
    stale = []
    for node in nodes:
        if not node.parents or not isinstance(node.op, Op) or node.op.forward is None:
            continue  # leaves and custom operations cannot be recomputed
        try:
            expected = node.op.forward(*[p.data for p in node.parents])
        except (ArithmeticError, ValueError):
            continue  # made inside ieee_floats(); the engine could not compute it either
        if expected != node.data and not (expected != expected and node.data != node.data):  # nan == nan here
            stale.append(f"{_expression(node.op, node.parents)} was {node.data!r} when computed, but is now "
                         f"{expected!r}")
    if stale:
        raise AutogradError("stale graph: a .data changed after it was used, so the local derivatives recorded "
                            "at the time are out of date; build the graph again.\n  " + "\n  ".join(stale))


def check_graph(root: Value) -> None:
    """Check that every node `root` depends on still equals its operation applied to its parents' data
    (nobody changed a `.data` after use); raise `AutogradError` listing the stale nodes otherwise.

    Arguments:
        root: the output whose graph to check (only nodes that require a gradient are visited, but a changed
            constant shows up in the nodes computed from it).
    """
    if not isinstance(root, Value):
        raise TypeError(f"check_graph(): root must be a Value, got {root!r}")
    check_nodes(topological_order(root) if root.requires_grad else [root])

