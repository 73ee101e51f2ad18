"""A scalar reverse-mode automatic differentiation engine for learning and checking backpropagation.

    from autograd import Value, grad

The engine (`autograd.engine`) imports nothing beyond the standard library. The other tools are loaded on
first use, so `import autograd` never needs graphviz, numpy, matplotlib or torch:

- `gradcheck`, `gradgradcheck`, `gradcheck_model`, `eps_sweep`, `GradcheckError`   (autograd.checking)
- `check_gradient`, `check_jacobian`, `check_backward` (hand-written derivatives)  (autograd.numeric)
- `hessian`, `jacobian`, `hvp`                                                    (autograd.functional)
- `jvp`, `Dual`, `count_operations`                                               (autograd.forward)
- `detect_anomaly`, `ieee_floats`, `check_graph`                                  (autograd.anomaly)
- `compiled` (a step recorded once, replayed with numpy), `GraphChanged`           (autograd.compiled_step)
- graph pictures: `from autograd.viz import draw_graph, ...`
"""

from importlib import import_module

from ._version import __version__ as __version__
from .engine import (AutogradError, Op, Value, backpropagate, cos, exp, grad, linear, log, no_grad, relu, sigmoid,
                     sin, softplus, sqrt, tanh, topological_order, zero_grad)

_LAZY = {
    "gradcheck": "checking", "gradgradcheck": "checking", "gradcheck_model": "checking",
    "eps_sweep": "checking", "GradcheckError": "checking",
    "check_gradient": "numeric", "check_jacobian": "numeric", "check_backward": "numeric",
    "hessian": "functional", "jacobian": "functional", "hvp": "functional",
    "jvp": "forward", "Dual": "forward", "count_operations": "forward",
    "detect_anomaly": "anomaly", "ieee_floats": "anomaly", "check_graph": "anomaly",
    "compiled": "compiled_step", "GraphChanged": "compiled_step",
}

__all__ = ["AutogradError", "Op", "Value", "backpropagate", "cos", "exp", "grad", "linear", "log", "no_grad", "relu", "sigmoid",
           "sin", "softplus", "sqrt", "tanh", "topological_order", "zero_grad", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
