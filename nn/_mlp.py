"""Neuron, Layer and MLP: fully connected networks of `Value`s, numbered and labelled as in the documents.

Numbering (the figures of the compilation of articles, file 002): the inputs are neurons 1..n_inputs, then
every neuron gets the next number, layer by layer. In the 2-3-2-1 worked example the inputs are 1, 2, the
hidden neurons 3, 4, 5 and 6, 7, and the output neuron 8.

Labels: the weight from neuron i to neuron j is `w{i}{j}` (`w{i}_{j}` when i or j is 10 or more), the bias
of neuron j is `b{j}`. Called on inputs, neuron j computes its weighted input z_j = sum_i w_ij y_i + b_j as one
node labelled `z{j}` (lecture note eq 40) and its output y_j = f(z_j) labelled `y{j}`. Inputs given as
numbers become constants labelled `x{i}`.

Initialisation (seeded, `random.Random(seed)`): every weight and bias of a neuron with n inputs is drawn
from uniform(-1/sqrt(n), 1/sqrt(n)), as PyTorch's `nn.Linear` does.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import random
from typing import Callable, Mapping, Sequence

from autograd import Value, _modes, linear, zero_grad
from autograd._errors import is_real, real_number

from ._files import check_path, read_json, write_atomically

# The activations known by name: every activation of the engine. None and "identity" mean y = z.
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,
    "elu": Value.elu,
    "softplus": Value.softplus,
    "silu": Value.silu,
    "swish": Value.silu,
    "mish": Value.mish,
    "step": Value.step,
    "identity": None,
}

Activation = str | Callable[[Value], Value] | None


def _activation(activation: Activation, where: str,
                argument: str = "activation") -> tuple[str | Callable, Callable | None]:
    """(the activation as stored on a neuron: a name or a callable, the function to apply or None)."""
    if activation is None:
        return "identity", None
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"{where}: {argument}={activation!r} is not a known activation; valid names: "
                             f"{', '.join(ACTIVATIONS)} (or None, or a callable Value -> Value)")
        return activation, ACTIVATIONS[activation]
    if callable(activation):
        return activation, activation
    raise TypeError(f"{where}: {argument} must be a name, None or a callable Value -> Value, "
                    f"got {activation!r} ({type(activation).__name__})")


def _weight_label(i: int, j: int) -> str:
    return f"w{i}{j}" if i < 10 and j < 10 else f"w{i}_{j}"


def _name(activation) -> str:
    return repr(activation) if isinstance(activation, str) else getattr(activation, "__name__", repr(activation))


def _check_count(name: str, n, where: str) -> int:
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"{where}: {name} must be a positive integer, got {n!r} ({type(n).__name__})")
    if n < 1:
        raise ValueError(f"{where}: {name} must be a positive integer, got {n!r}")
    return int(n)


def _check_flag(name: str, flag, where: str) -> bool:
    if not isinstance(flag, bool):
        raise TypeError(f"{where}: {name} must be True or False, got {flag!r} ({type(flag).__name__})")
    return flag


def _check_list(name: str, items, where: str, example: str) -> list:
    """items as a list, if it is a list-like collection (a str, a dict or a single number is not)."""
    if isinstance(items, (str, bytes, dict)) or not hasattr(items, "__iter__"):
        raise TypeError(f"{where}: {name} must be a list, e.g. {example}, got {items!r} ({type(items).__name__})")
    return list(items)


def _as_inputs(xs, numbers_of_inputs: Sequence[int], where: str) -> list[Value]:
    """The inputs as Values; numbers become constants labelled x{i}. Checks their count."""
    if isinstance(xs, (Value, numbers.Real)):
        xs = [xs]
    xs = _check_list("the inputs", xs, where, "[0.5, -1.0]")
    if len(xs) != len(numbers_of_inputs):
        raise ValueError(f"{where}: expected {len(numbers_of_inputs)} inputs, got {len(xs)}")
    values = []
    for x, i in zip(xs, numbers_of_inputs):
        if isinstance(x, Value):
            values.append(x)
        elif is_real(x):  # inf and nan allowed inside autograd.ieee_floats() only
            values.append(Value(real_number(x, f"{where}: input {i}", finite=not _modes.ieee), label=f"x{i}",
                                requires_grad=False))
        else:
            raise TypeError(f"{where}: input {i} is {x!r}; inputs must be numbers or Values")
    return values


class Neuron:
    """One neuron: y = f(z), z = sum_i w_i x_i + b (lecture note eq 40).

    Arguments:
        n_inputs: the number of inputs.
        activation: a name (see `ACTIVATIONS`), None for y = z, or a callable Value -> Value.
        bias: whether the neuron has a bias b.
        rng: the `random.Random` that draws the initial weights (a fresh unseeded one if None).
        number: the neuron's number j (labels w_ij, b_j, z_j, y_j); by default n_inputs + 1.
        input_numbers: the numbers i of the neurons feeding it; by default 1..n_inputs.

    Attributes: `w` (list of Values), `b` (a Value or None), `activation` (a name or a callable), `number`,
    `input_numbers`.
    """

    def __init__(self, n_inputs: int, activation: Activation = "tanh", bias: bool = True,
                 rng: random.Random | None = None, number: int | None = None,
                 input_numbers: Sequence[int] | None = None):
        n_inputs = _check_count("n_inputs", n_inputs, "Neuron()")
        _check_flag("bias", bias, "Neuron()")
        rng = _check_rng(rng, "Neuron()")
        self.input_numbers = _check_numbers(input_numbers, n_inputs, "Neuron()")
        self.number = _check_count("number", number, "Neuron()") if number is not None else n_inputs + 1
        self.activation, self._f = _activation(activation, "Neuron()")
        bound = 1.0 / math.sqrt(n_inputs)  # uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), as torch.nn.Linear
        self.w = [Value(rng.uniform(-bound, bound), label=_weight_label(i, self.number))
                  for i in self.input_numbers]
        self.b = Value(rng.uniform(-bound, bound), label=f"b{self.number}") if bias else None
        self._z_label, self._y_label = f"z{self.number}", f"y{self.number}"  # made once, not at every call

    def __call__(self, xs) -> Value:
        """The neuron's output y for the inputs xs (numbers or Values)."""
        return self._forward(_as_inputs(xs, self.input_numbers, f"Neuron {self.number}"))

    def _forward(self, xs: list[Value]) -> Value:
        z = linear(self.w, xs, self.b)  # z_j = sum_i w_ij y_i + b_j, one node
        z.label = self._z_label
        if self._f is None:
            return z
        y = self._f(z)  # y_j = f(z_j)
        y.label = self._y_label
        return y

    def parameters(self) -> list[Value]:
        """The weights in input order, then the bias."""
        return self.w + ([self.b] if self.b is not None else [])

    def __repr__(self) -> str:
        return (f"Neuron({self.number}, inputs={self.input_numbers}, activation={_name(self.activation)}, "
                f"bias={self.b is not None})")


class Layer:
    """A fully connected layer of neurons that share an activation.

    Arguments:
        n_inputs: the number of inputs of each neuron.
        n_outputs: the number of neurons.
        activation: a name, None or a callable (see `Neuron`).
        bias: whether the neurons have biases.
        rng: the `random.Random` that draws the initial weights.
        first_number: the number of the layer's first neuron; by default n_inputs + 1.
        input_numbers: the numbers of the neurons feeding the layer; by default 1..n_inputs.

    Attributes: `neurons`, `activation`.
    """

    def __init__(self, n_inputs: int, n_outputs: int, activation: Activation = "tanh", bias: bool = True,
                 rng: random.Random | None = None, first_number: int | None = None,
                 input_numbers: Sequence[int] | None = None):
        n_inputs = _check_count("n_inputs", n_inputs, "Layer()")
        n_outputs = _check_count("n_outputs", n_outputs, "Layer()")
        _check_flag("bias", bias, "Layer()")
        _activation(activation, "Layer()")
        rng = _check_rng(rng, "Layer()")
        input_numbers = _check_numbers(input_numbers, n_inputs, "Layer()")
        first = _check_count("first_number", first_number, "Layer()") if first_number is not None else n_inputs + 1
        self.neurons = [Neuron(n_inputs, activation, bias, rng, first + k, input_numbers)
                        for k in range(n_outputs)]
        self.activation = self.neurons[0].activation

    def __call__(self, xs) -> list[Value]:
        """The outputs of the layer's neurons for the inputs xs (numbers or Values), as a list."""
        return self._forward(_as_inputs(xs, self.neurons[0].input_numbers, "Layer"))

    def _forward(self, xs: list[Value]) -> list[Value]:
        return [neuron._forward(xs) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        """Neuron by neuron, each neuron's weights then its bias."""
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        neuron_numbers = [n.number for n in self.neurons]
        return f"Layer(neurons {neuron_numbers}, activation={_name(self.activation)})"


class MLP:
    """A multilayer perceptron: fully connected layers applied one after another.

    Arguments:
        n_inputs: the number of inputs.
        layer_sizes: the number of neurons of each layer, the last being the output layer.
        activation: the hidden layers' activation: a name (see `ACTIVATIONS`), None for y = z, or a callable
            Value -> Value. A list gives one activation per layer, the output layer included.
        output_activation: the output layer's activation (None: y = z, a linear output). Only with a single
            `activation`.
        bias: whether the neurons have biases.
        seed: seeds the initial weights, drawn from uniform(-1/sqrt(n), 1/sqrt(n)) for a neuron with n inputs.

    Attributes: `layers` (list of `Layer`), `n_inputs`.

    `model(xs)` returns the outputs as a list of `Value`s (a list also for one output).
    `parameters()` lists layer by layer, neuron by neuron, each neuron's weights (in input order) then its
    bias; `named_parameters()` pairs each with its label (w13, b3, ...).
    """

    def __init__(self, n_inputs: int, layer_sizes: Sequence[int], activation: Activation | list = "tanh",
                 output_activation: Activation = None, bias: bool = True, seed: int | None = None):
        self.n_inputs = _check_count("n_inputs", n_inputs, "MLP()")
        example = f"[{layer_sizes}]" if isinstance(layer_sizes, numbers.Integral) else "[3, 1]"
        layer_sizes = _check_list("layer_sizes", layer_sizes, "MLP()", example)
        sizes = [_check_count(f"layer_sizes[{k}]", n, "MLP()") for k, n in enumerate(layer_sizes)]
        if not sizes:
            raise ValueError("MLP(): layer_sizes is empty; give at least the output layer's size")
        activations = _layer_activations(activation, output_activation, len(sizes))
        _check_flag("bias", bias, "MLP()")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f"MLP(): seed must be an integer or None, got {seed!r} ({type(seed).__name__})")
        rng = random.Random(seed)
        self.layers = []
        inputs = list(range(1, self.n_inputs + 1))
        for size, layer_activation in zip(sizes, activations):
            layer = Layer(len(inputs), size, layer_activation, bias, rng, inputs[-1] + 1, inputs)
            self.layers.append(layer)
            inputs = [neuron.number for neuron in layer.neurons]

    @classmethod
    def from_weights(cls, weights, biases=None, activation: Activation | list = "sigmoid") -> MLP:
        """A network with the given weights: `weights[l]` has shape (outputs of layer l, inputs of layer l),
        so that layer l computes z = W y + b (lecture note eq 40): `weights[l][j][i]` is the weight from
        input i to neuron j of the layer.

        Arguments:
            weights: one matrix (a list of rows, or a 2-D numpy array) per layer.
            biases: one vector per layer, or None for a network without bias terms.
            activation: every layer's activation (the output layer's too), or a list of one per layer.
        """
        return cls._build(weights, biases, activation, "MLP.from_weights()")

    @classmethod
    def _build(cls, weights, biases, activation, where: str) -> MLP:
        weights, biases = _check_weights(weights, biases, where)
        sizes = [len(w) for w in weights]
        if not isinstance(activation, (list, tuple)):
            activation = [activation] * len(sizes)
        model = cls(len(weights[0][0]), sizes, list(activation), bias=biases is not None, seed=0)
        model._assign(weights, biases)
        return model

    def to_torch(self):
        """The network as a PyTorch model: a `torch.nn.Sequential` of `torch.nn.Linear` layers (float64, same
        weights: `linear.weight[j][i]` is the weight from input i to neuron j) and activation modules
        (`nn.Tanh()`, ...; none for the identity), computing the same outputs and gradients to rounding.

        Every activation must be named and have a torch module of the same formula (all but "step"; softplus
        becomes `nn.Softplus(threshold=37)`, whose linear part starts where it agrees with log(1 + e^x) in
        float64); a callable activation (e.g. with a `Value` slope) is refused with ValueError. Needs torch.
        """
        from ._torch import to_torch
        return to_torch(self)

    @classmethod
    def from_torch(cls, model) -> MLP:
        """A network computing what a PyTorch model computes, from a `torch.nn.Sequential` of `nn.Linear`
        layers (all with biases or none), each followed by at most one activation module of the same formula
        as one of this library's (`nn.Tanh`, `nn.Sigmoid`, `nn.ReLU`, `nn.LeakyReLU(0.01)`, `nn.ELU(1.0)`,
        `nn.Softplus(threshold >= 37)`, `nn.SiLU`, `nn.Mish`, `nn.Identity`). Anything else (another module,
        other slopes, two activations in a row) is refused with a ValueError naming the module. Needs torch.

        Arguments:
            model: the torch model; its weights are read (as float64), not shared.
        """
        from ._torch import from_torch
        weights, biases, activations = from_torch(model)
        return cls._build(weights, biases, activations, "MLP.from_torch()")

    def __call__(self, xs) -> list[Value]:
        """The network's outputs for the inputs xs (a list of numbers or Values), as a list of Values."""
        values = _as_inputs(xs, range(1, self.n_inputs + 1), "MLP")
        for layer in self.layers:
            values = layer._forward(values)
        return values

    def parameters(self) -> list[Value]:
        """Layer by layer, neuron by neuron, each neuron's weights (in input order) then its bias."""
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, Value]]:
        """(label, parameter) pairs in the order of `parameters()`: ("w13", w13), ..., ("b3", b3), ..."""
        return [(p.label, p) for p in self.parameters()]

    def zero_grad(self) -> None:
        """Reset every parameter's `.grad` to 0."""
        zero_grad(self.parameters())

    def state_dict(self) -> dict[str, float]:
        """Every parameter's value by its label, in the order of `parameters()`: {"w13": 0.1, ..., "b3": 0.2}.

        As PyTorch's `state_dict()` (a name for each tensor), with a label for each number; the dict is a
        copy: changing it changes no parameter.
        """
        return {p.label: p.data for p in self.parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set every parameter from a dict of the form `state_dict()` returns. The dict must have exactly this
        network's labels and a finite number for each (checked as the numbers of a model file); otherwise
        ValueError or TypeError says what is wrong and no parameter changes.

        Arguments:
            state: label -> number, e.g. another network's `state_dict()` of the same architecture.
        """
        where = "MLP.load_state_dict()"
        if not isinstance(state, Mapping):
            raise TypeError(f"{where}: state must be a dict of label -> number (as state_dict() returns), "
                            f"got {state!r} ({type(state).__name__})")
        labels = [p.label for p in self.parameters()]
        missing = [label for label in labels if label not in state]
        unexpected = [key for key in state if key not in set(labels)]
        if missing or unexpected:
            raise ValueError(f"{where}: state has labels that do not fit this network {self!r}: "
                             f"missing {missing}, unexpected {unexpected!r}")
        self._set([real_number(state[label], f"{where}: state[{label!r}]", error=ValueError) for label in labels])

    def __repr__(self) -> str:
        sizes = [len(layer.neurons) for layer in self.layers]
        activations = ", ".join(_name(layer.activation) for layer in self.layers)
        bias = self.layers[0].neurons[0].b is not None
        return f"MLP({self.n_inputs}, {sizes}, activation=[{activations}], bias={bias})"

    # Saving and loading (JSON, never pickle).

    def _architecture(self) -> dict:
        return {"n_inputs": self.n_inputs,
                "layer_sizes": [len(layer.neurons) for layer in self.layers],
                "activations": [layer.activation for layer in self.layers],
                "bias": self.layers[0].neurons[0].b is not None}

    def save(self, path: str | os.PathLike) -> None:
        """Write the architecture (activations by name) and every parameter to a JSON file.

        An existing file at path survives every failure: the content is checked first (named activations,
        finite parameters), written to a temporary file in the same folder, flushed to the disk, and only
        then moved over path in one step (`os.replace`). A full disk or a killed process leaves the old file.

        Arguments:
            path: the file to write (a str or an os.PathLike).
        """
        check_path(path, "MLP.save()")
        for k, layer in enumerate(self.layers):
            if not isinstance(layer.activation, str):
                raise ValueError(f"MLP.save(): layer {k} has the activation {_name(layer.activation)}, a "
                                 "callable, which cannot be saved; only named activations can "
                                 f"({', '.join(ACTIVATIONS)})")
        for p in self.parameters():
            real_number(p.data, f"MLP.save(): parameter {p.label}", error=ValueError)
        architecture = self._architecture()
        content = {"format": _FORMAT, **architecture,
                   "weights": [[[w.data for w in n.w] for n in layer.neurons] for layer in self.layers],
                   "biases": ([[n.b.data for n in layer.neurons if n.b is not None] for layer in self.layers]
                              if architecture["bias"] else None)}
        write_atomically(path, json.dumps(content, allow_nan=False))

    @classmethod
    def load(cls, path: str | os.PathLike) -> MLP:
        """A new network from a file written by `save()`.

        Arguments:
            path: the JSON file to read (a str or an os.PathLike). A malformed file raises ValueError
                naming the file and saying what is wrong.
        """
        content = _read(path, "MLP.load()")
        return cls.from_weights(content["weights"], content["biases"], content["activations"])

    def load_parameters(self, path: str | os.PathLike) -> None:
        """Replace this network's parameters with those in a file written by `save()`. The file's
        architecture must match this network's; otherwise ValueError says what differs and nothing changes.

        Arguments:
            path: the JSON file to read (a str or an os.PathLike).
        """
        content = _read(path, "MLP.load_parameters()")
        mine = self._architecture()
        for key in ("n_inputs", "layer_sizes", "bias"):
            if content[key] != mine[key]:
                raise ValueError(f"MLP.load_parameters({str(path)!r}): the file has {key} = {content[key]!r}, "
                                 f"this network has {mine[key]!r}")
        for k, (theirs, ours) in enumerate(zip(content["activations"], mine["activations"])):
            if isinstance(ours, str) and theirs != ours:
                raise ValueError(f"MLP.load_parameters({str(path)!r}): layer {k} has the activation "
                                 f"{theirs!r} in the file, {ours!r} in this network")
        self._assign(content["weights"], content["biases"])

    def _assign(self, weights: list, biases: list | None) -> None:
        """Set every parameter from checked matrices of the right shapes."""
        self._set([value for k, matrix in enumerate(weights) for j, row in enumerate(matrix)
                   for value in (row + [biases[k][j]] if biases is not None else row)])

    def _set(self, values: list[float]) -> None:
        """Set every parameter, in the order of `parameters()`, from checked numbers."""
        for p, value in zip(self.parameters(), values, strict=True):
            p.data = value


_FORMAT = "nn.MLP/1"
_FILE_KEYS = {"format", "n_inputs", "layer_sizes", "activations", "bias", "weights", "biases"}


def _layer_activations(activation, output_activation, n_layers: int) -> list:
    """One activation per layer, each checked (also those a one-layer network does not use)."""
    if isinstance(activation, (list, tuple)):
        if output_activation is not None:
            raise ValueError("MLP(): with a list of activations (one per layer, the output layer included) "
                             f"leave output_activation as None, got {output_activation!r}")
        if len(activation) != n_layers:
            raise ValueError(f"MLP(): {len(activation)} activations for {n_layers} layers; give one per layer")
        for k, a in enumerate(activation):
            _activation(a, "MLP()", f"activation[{k}]")
        return list(activation)
    _activation(activation, "MLP()")
    _activation(output_activation, "MLP()", "output_activation")
    return [activation] * (n_layers - 1) + [output_activation]


def _check_rng(rng, where: str) -> random.Random:
    if rng is None:
        return random.Random()
    if not isinstance(rng, random.Random):
        raise TypeError(f"{where}: rng must be a random.Random or None, got {rng!r} ({type(rng).__name__})")
    return rng


def _check_numbers(input_numbers, n_inputs: int, where: str) -> list[int]:
    """The numbers of the neurons feeding a neuron or layer: n_inputs positive integers (default 1..n)."""
    if input_numbers is None:
        return list(range(1, n_inputs + 1))
    given = _check_list("input_numbers", input_numbers, where, str(list(range(1, n_inputs + 1))))
    if len(given) != n_inputs:
        raise ValueError(f"{where}: {n_inputs} inputs but {len(given)} input_numbers ({input_numbers!r})")
    return [_check_count(f"input_numbers[{k}]", i, where) for k, i in enumerate(given)]


def _vector(v, where: str) -> list[float]:
    if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__len__"):
        raise ValueError(f"{where} is {v!r}, not a list of numbers")
    return [real_number(x, f"{where}[{i}]", error=ValueError) for i, x in enumerate(v)]


def _check_weights(weights, biases, where: str) -> tuple[list, list | None]:
    """The weight matrices (and bias vectors) as lists of floats, after checking every shape and number."""
    if isinstance(weights, (str, bytes, dict)) or not hasattr(weights, "__len__") or len(weights) == 0:
        raise ValueError(f"{where}: weights must be a non-empty list of matrices, one per layer, "
                         f"got {weights!r}")
    matrices = []
    n_in = None
    for k, matrix in enumerate(weights):
        if isinstance(matrix, (str, bytes, dict)) or not hasattr(matrix, "__len__") or len(matrix) == 0:
            raise ValueError(f"{where}: weights[{k}] must be a non-empty matrix (a list of rows), got {matrix!r}")
        rows = [_vector(row, f"{where}: weights[{k}][{j}]") for j, row in enumerate(matrix)]
        width = len(rows[0]) if n_in is None else n_in
        for j, row in enumerate(rows):
            if len(row) != width or width == 0:
                expected = ("the previous layer's number of outputs" if n_in is not None
                            else "as many as row 0's")
                raise ValueError(f"{where}: weights[{k}] has shape ({len(rows)}, ...) but row {j} has "
                                 f"{len(row)} entries; expected {width} ({expected}); weights[l] has shape "
                                 "(outputs of layer l, inputs of layer l)")
        matrices.append(rows)
        n_in = len(rows)
    if biases is None:
        return matrices, None
    if isinstance(biases, (str, bytes, dict)) or not hasattr(biases, "__len__") or len(biases) != len(matrices):
        raise ValueError(f"{where}: biases must be None or a list of {len(matrices)} vectors (one per layer), "
                         f"got {biases!r}")
    vectors = []
    for k, vector in enumerate(biases):
        vector = _vector(vector, f"{where}: biases[{k}]")
        if len(vector) != len(matrices[k]):
            raise ValueError(f"{where}: biases[{k}] has {len(vector)} entries; layer {k} has "
                             f"{len(matrices[k])} neurons")
        vectors.append(vector)
    return matrices, vectors


def _read(path, function: str) -> dict:
    """The checked content of a file written by `MLP.save()`."""
    check_path(path, function)
    where = f"MLP file {str(path)!r}"
    content = read_json(path, where)
    if not isinstance(content, dict):
        raise ValueError(f"{where}: expected a JSON object with keys {sorted(_FILE_KEYS)}, "
                         f"got {type(content).__name__}")
    missing, unexpected = _FILE_KEYS - content.keys(), content.keys() - _FILE_KEYS
    if missing or unexpected:
        raise ValueError(f"{where}: missing keys {sorted(missing)}, unexpected keys {sorted(unexpected)}")
    if content["format"] != _FORMAT:
        raise ValueError(f"{where}: format is {content['format']!r}, expected {_FORMAT!r}")
    if not isinstance(content["bias"], bool):
        raise ValueError(f"{where}: bias is {content['bias']!r}, expected true or false")
    if content["bias"] != (content["biases"] is not None):
        raise ValueError(f"{where}: bias is {content['bias']!r} but biases is "
                         f"{'null' if content['biases'] is None else 'given'}")
    try:
        weights, biases = _check_weights(content["weights"], content["biases"], where)
    except TypeError as e:  # a weight that is not a number (null, "0.5", [0.6]): in a file, a malformed file
        raise ValueError(str(e)) from None
    n_inputs, sizes = len(weights[0][0]), [len(w) for w in weights]
    if type(content["n_inputs"]) is not int:
        raise ValueError(f"{where}: n_inputs is {content['n_inputs']!r}, not an integer")
    if content["n_inputs"] != n_inputs:
        raise ValueError(f"{where}: n_inputs is {content['n_inputs']!r} but weights[0] has {n_inputs} columns")
    if not isinstance(content["layer_sizes"], list) or [type(n) for n in content["layer_sizes"]] != [int] * len(sizes) \
            or content["layer_sizes"] != sizes:
        raise ValueError(f"{where}: layer_sizes is {content['layer_sizes']!r} but the weights have shapes "
                         f"giving {sizes}")
    activations = content["activations"]
    if not isinstance(activations, list) or len(activations) != len(sizes):
        raise ValueError(f"{where}: activations must be a list of {len(sizes)} names, got {activations!r}")
    for k, name in enumerate(activations):
        if not isinstance(name, str) or name not in ACTIVATIONS:
            raise ValueError(f"{where}: activations[{k}] is {name!r}; valid names: {', '.join(ACTIVATIONS)}")
    return {**content, "weights": weights, "biases": biases}
