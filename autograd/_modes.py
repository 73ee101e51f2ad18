"""The engine's switches and its error type. This module imports nothing, so every other module can import it.

The context managers that set the switches live elsewhere: `detect_anomaly()` and `ieee_floats()` in
`autograd.anomaly`, `no_grad()` in `autograd.engine`.
"""


class AutogradError(ValueError):
    """A mathematical error in an operation or in backward: the message names the operation, the offending
    value(s) and the labels of the nodes involved. Subclasses `ValueError`."""


class Modes:
    """Process-wide switches. The engine reads `anomaly` and `ieee` only on paths that are already failing
    (an error, a non-finite number), once per walk, and once per node while `anomaly` is on."""

    anomaly = False  # inside detect_anomaly(): nodes record where they were made; backward checks the graph
    ieee = False  # inside ieee_floats() (and not detect_anomaly()): inf and nan allowed, overflow gives inf
    # Inside detect_anomaly(): id(node) -> (file, line) of the user's code that made it. Keyed by id, so no
    # node is kept alive: an id is reused only after its node died, and a node made at a reused address
    # overwrites the entry. Cleared when detect_anomaly() ends, so it never describes a later node.
    sites: dict = {}
    # How many threads are inside `no_grad()` now: while 0 (the usual case) the operations look no further;
    # otherwise they ask whether their own thread is one of them (no_grad() is per thread, as in PyTorch).
    no_grad_threads = 0
