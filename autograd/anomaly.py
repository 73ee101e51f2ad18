"""Safety nets: nothing breaks quietly.

Always on, at no extra cost: every value is a finite float (an operation whose result overflows or is not a
number raises `AutogradError` naming it), and backward raises where a gradient becomes inf or nan, naming the
edge it came through.

- `detect_anomaly()`: for debugging. Every node made inside it records where in your code it was made
  (file and line), error messages name that place, and `backward()` first checks the graph (`check_graph`).
  It costs almost nothing outside: the engine looks at its switch once per node made (to record the site),
  on error paths and once per backward.
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
from typing import Iterator

from . import _modes, engine
from ._errors import AnomalyWarning, about, expression, ieee_local_grads, ieee_result
from ._modes import AutogradError
from ._ops import Op, no_forward
from .engine import Value, topological_order

__all__ = ["AnomalyWarning", "check_graph", "check_nodes", "detect_anomaly", "ieee_floats"]


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside it, an operation whose value or gradient is inf or nan raises at once (outside too), and the
    message also says where (file:line of your code) each node involved was created; `backward()` first
    checks the graph for nodes whose `.data` was changed after use (see `check_graph`); and `float(v)` of a
    `Value` that requires a gradient (also through the `math` module: `math.exp(v)`) warns that the number
    has left the graph, so no gradient flows back through it (use `v.exp()`). It overrides `ieee_floats()`.
    Nesting is allowed; the switch is for the whole process, not per thread.

        with autograd.detect_anomaly():
            loss = model_loss()
            loss.backward()
    """
    saved = _modes.anomaly, _modes.ieee, engine._check_graph
    _modes.anomaly, _modes.ieee, engine._check_graph = True, False, check_nodes
    _modes.watch += not saved[0]  # operations look at the switches while watch is not 0
    try:
        yield
    finally:
        _modes.watch -= not saved[0]
        _modes.anomaly, _modes.ieee, engine._check_graph = saved
        if not _modes.anomaly:
            _modes.sites.clear()


@contextlib.contextmanager
def ieee_floats() -> Iterator[None]:
    """Inside it, values and gradients may be inf or nan, as in IEEE 754 arithmetic (numpy, PyTorch):
    `Value(1000.0).exp()` is inf, `Value(0.0).log()` is -inf, `Value(-1.0).sqrt()` is nan, `1 / Value(0.0)`
    is inf, `Value(-10.0) ** 309` is -inf, and backward passes inf and nan gradients on instead of raising.
    A local derivative that Python's float arithmetic cannot compute at such a point (d log(x)/dx = 1/x at
    x = 0) is nan. Comparisons with nan are false, so relu, step, leaky_relu and elu give their x <= 0 branch
    for nan (PyTorch gives nan). Outside it all of these are errors; inside `detect_anomaly()` too.
    """
    saved = _modes.ieee
    _modes.ieee = not _modes.anomaly
    try:
        yield
    finally:
        _modes.ieee = saved


def _same(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)  # nan equals nan here


def _staleness(node: Value) -> str | None:
    """What no longer matches in `node` (its value, or a local derivative) when its operation is recomputed
    from its parents' `.data`, or None. Leaves and custom operations cannot be recomputed: None."""
    if not node.parents or not isinstance(node.op, Op) or node.op.forward is no_forward:
        return None
    xs = [p.data for p in node.parents]
    out = ieee_result(node.op, xs)  # the ordinary result wherever there is one
    if not _same(out, node.data):
        return f"{expression(node.op, node.parents)} is now {out!r}, but the node holds {node.data!r}"
    if node.requires_grad:  # a * b with b = 0 stays 0 when a changes, but d/db = a does not
        now = ieee_local_grads(node.op, xs, out)
        if not all(map(_same, now, node.local_grads)):
            return (f"{expression(node.op, node.parents)}: its local derivatives are now {now!r}, but the node "
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
        shown = "".join(f"\n  {why}{about(node)}" for node, why in stale[:10])
        more = f"\n  ... and {len(stale) - 10} more" if len(stale) > 10 else ""
        raise AutogradError(f"stale graph: {len(stale)} node(s) no longer match their parents' .data (a .data "
                            "was changed after the node was computed), so the local derivatives recorded then "
                            f"are out of date; build the graph again:{shown}{more}")
    return [node for node, _ in stale]
