"""An `MLP` as a PyTorch model and back: the work behind `MLP.to_torch()` and `MLP.from_torch()`.

Layer l of an MLP is `torch.nn.Linear(inputs, outputs)` with weight[j][i] = the weight from input i to neuron j
(the convention of `MLP.from_weights`) and bias[j] = b_j, followed by the layer's activation module (none for
the identity). torch is imported inside the two functions only, so `import nn` never needs it.
"""

from __future__ import annotations

import math

# Each named activation that has a torch module of the same formula: (class in torch.nn, its arguments).
# The arguments are the engine's defaults (Value.leaky_relu slope 0.01, Value.elu alpha 1).
# torch's Softplus returns x itself when x > threshold (default 20), which differs from log(1 + e^x) by up to
# log(1 + e^-20) = 2e-9; from x = 37 on, log(1 + e^-x) < 1e-16 is below the rounding of x in float64, so with
# threshold=37 torch computes this library's formula.
TORCH_MODULES: dict[str, tuple[str, dict[str, float]]] = {
    "tanh": ("Tanh", {}),
    "sigmoid": ("Sigmoid", {}),
    "relu": ("ReLU", {}),
    "leaky_relu": ("LeakyReLU", {"negative_slope": 0.01}),
    "elu": ("ELU", {"alpha": 1.0}),
    "softplus": ("Softplus", {"beta": 1.0, "threshold": 37.0}),
    "silu": ("SiLU", {}),
    "swish": ("SiLU", {}),
    "mish": ("Mish", {}),
}
_SOFTPLUS_EXACT_FROM = 37.0
_NAMES = {"Identity": "identity", **{cls: name for name, (cls, _) in reversed(TORCH_MODULES.items())}}


def _import_torch(where: str):
    try:
        import torch
    except ImportError as e:
        raise ImportError(f"{where} needs PyTorch, an optional dependency: pip install torch ({e})") from None
    return torch


def to_torch(model):
    """A `torch.nn.Sequential` of `nn.Linear` (float64) and activation modules computing what `model` does.

    Arguments:
        model: an `MLP` whose activations are all named and have a torch module (see `TORCH_MODULES`).
    """
    where = "MLP.to_torch()"
    for k, layer in enumerate(model.layers):
        name = layer.activation
        if not isinstance(name, str):
            raise ValueError(f"{where}: layer {k} has the activation {getattr(name, '__name__', repr(name))}, a "
                             "callable (e.g. with a Value slope), which has no torch module; only named "
                             f"activations convert: {', '.join(TORCH_MODULES)} or identity")
        if name != "identity" and name not in TORCH_MODULES:
            raise ValueError(f"{where}: layer {k} has the activation {name!r}, which has no torch module of the "
                             f"same formula; convertible: {', '.join(TORCH_MODULES)} or identity")
    torch = _import_torch(where)
    modules = []
    for layer in model.layers:
        neurons = layer.neurons
        bias = neurons[0].b is not None
        linear = torch.nn.Linear(len(neurons[0].w), len(neurons), bias=bias, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64))
            if bias:
                linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
        modules.append(linear)
        if layer.activation != "identity":
            cls, arguments = TORCH_MODULES[layer.activation]
            modules.append(getattr(torch.nn, cls)(**arguments))
    return torch.nn.Sequential(*modules)


def _activation_name(torch, module, k: int, where: str) -> str:
    """The name of the activation a torch module computes, or ValueError saying why there is none."""
    cls = type(module).__name__
    name = _NAMES.get(cls)
    if name is None or type(module) is not getattr(torch.nn, cls):
        raise ValueError(f"{where}: module {k} ({module!r}) has no counterpart here; a model must be Linear "
                         f"layers, each followed by at most one of: {', '.join(sorted(_NAMES))}")
    for argument, value in TORCH_MODULES.get(name, (cls, {}))[1].items():
        theirs = getattr(module, argument)
        if argument == "threshold":
            if theirs < _SOFTPLUS_EXACT_FROM:
                gap = math.log1p(math.exp(-theirs))  # log(1 + e^x) - x at x = threshold
                raise ValueError(f"{where}: module {k} ({module!r}) returns x itself above x = {theirs}, which "
                                 f"differs from softplus(x) = log(1 + e^x) by up to {gap:.1e}; "
                                 f"use threshold >= {_SOFTPLUS_EXACT_FROM:g}, where the two agree in float64")
        elif theirs != value:
            raise ValueError(f"{where}: module {k} ({module!r}) has {argument}={theirs}; this library's {name} "
                             f"has {argument}={value}")
    return name


def from_torch(sequential) -> tuple[list, list | None, list[str]]:
    """(weights, biases, activations) of the network a `torch.nn.Sequential` computes, for `MLP.from_weights`.

    Arguments:
        sequential: `torch.nn.Sequential` of `nn.Linear` layers (all with biases or none), each followed by at
            most one activation module with this library's formula (see `TORCH_MODULES`; `nn.Identity` too).
    """
    where = "MLP.from_torch()"
    torch = _import_torch(where)
    if not isinstance(sequential, torch.nn.Sequential):
        raise TypeError(f"{where}: model must be a torch.nn.Sequential of nn.Linear and activation modules, "
                        f"got {type(sequential).__name__}")
    weights: list = []
    biases: list = []
    activations: list[str] = []
    for k, module in enumerate(sequential):
        if type(module) is torch.nn.Linear:
            if weights and module.in_features != len(weights[-1]):
                raise ValueError(f"{where}: module {k} ({module!r}) takes {module.in_features} inputs, but the "
                                 f"layer before it has {len(weights[-1])} outputs")
            if not module.weight.dtype.is_floating_point or module.weight.is_complex():
                raise ValueError(f"{where}: module {k} has weights of dtype {module.weight.dtype}; "
                                 "real floating-point weights only")
            if weights and (module.bias is None) != (biases[-1] is None):
                raise ValueError(f"{where}: module {k} ({module!r}) {'has no' if module.bias is None else 'has a'} "
                                 "bias unlike the layers before it; an MLP's layers all have biases or none")
            weights.append(module.weight.detach().cpu().double().tolist())
            biases.append(None if module.bias is None else module.bias.detach().cpu().double().tolist())
            activations.append("identity")
        elif not weights:
            raise ValueError(f"{where}: module {k} ({module!r}) comes before the first nn.Linear")
        elif activations[-1] != "identity":
            raise ValueError(f"{where}: module {k} ({module!r}) is a second activation after one Linear layer; "
                             "an MLP layer has one activation")
        else:
            activations[-1] = _activation_name(torch, module, k, where)
    if not weights:
        raise ValueError(f"{where}: the model has no nn.Linear layer")
    return weights, (None if biases[0] is None else biases), activations
