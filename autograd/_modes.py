"""The engine's switches and its error type. This module imports nothing, so every other module can import it.

The switches are module variables, read as `_modes.anomaly` (one of the cheapest lookups Python has: the engine
reads `watch` once per operation). The context managers that set them live elsewhere: `detect_anomaly()` and
`ieee_floats()` in `autograd.anomaly`, `no_grad()` in `autograd.engine`.
"""


class AutogradError(ValueError):
    """A mathematical error in an operation or in backward: the message names the operation, the offending
    value(s) and the labels of the nodes involved. Subclasses `ValueError`."""


# Inside detect_anomaly(): nodes record where they were made; backward checks the graph. Process-wide.
anomaly = False
# Inside ieee_floats() (and not detect_anomaly()): inf and nan allowed, overflow gives inf. Process-wide.
ieee = False
# Inside detect_anomaly(): id(node) -> (file, line) of the user's code that made it. Keyed by id, so no node is
# kept alive: an id is reused only after its node died, and a node made at a reused address overwrites the
# entry. Cleared when detect_anomaly() ends, so it never describes a later node.
sites: dict = {}
# How many threads are inside no_grad() now (no_grad() is per thread, as in PyTorch).
no_grad_threads = 0
# anomaly + no_grad_threads: while 0 (the usual case), an operation looks at no other switch.
watch = 0
