"""nn.Neuron, Layer, MLP: numbering and labels as in the documents, forward values against numpy and PyTorch,
gradients against PyTorch (float64), and JSON saving and loading, including every way a file can be wrong."""

import json
import math
import random

import numpy as np
import pytest
import torch

from autograd import Value
from nn import MLP, Layer, Neuron
from nn._mlp import ACTIVATIONS

# The 2-3-2-1 network of the compilation of articles (file 002): inputs 1, 2; neurons 3-5, 6-7 and 8.
SIZES_2321 = [3, 2, 1]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _torch_activation(name):
    f = torch.nn.functional
    return {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
            "leaky_relu": lambda z: f.leaky_relu(z, 0.01), "elu": f.elu, "softplus": f.softplus,
            "silu": f.silu, "swish": f.silu, "mish": f.mish,
            "step": lambda z: (z > 0).to(torch.float64), "identity": lambda z: z}[name]


def _random_matrices(sizes, n_inputs, rng):
    widths = [n_inputs] + sizes
    weights = [rng.uniform(-1, 1, size=(widths[k + 1], widths[k])) for k in range(len(sizes))]
    biases = [rng.uniform(-1, 1, size=widths[k + 1]) for k in range(len(sizes))]
    return weights, biases


# ------------------------------------------------------------------------------------------------------
# Numbering, labels, parameter order

def test_numbering_of_the_2321_network():
    model = MLP(2, SIZES_2321, activation="sigmoid", output_activation="sigmoid", bias=False, seed=0)
    numbers = [[n.number for n in layer.neurons] for layer in model.layers]
    assert numbers == [[3, 4, 5], [6, 7], [8]]
    assert [p.label for p in model.parameters()] == [
        "w13", "w23", "w14", "w24", "w15", "w25",
        "w36", "w46", "w56", "w37", "w47", "w57",
        "w68", "w78"]
    assert all(n.b is None for layer in model.layers for n in layer.neurons)


def test_parameter_order_weights_then_bias_and_names_match_labels():
    model = MLP(2, [2, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["w13", "w23", "b3", "w14", "w24", "b4", "w35", "w45", "b5"]
    assert [p for _, p in model.named_parameters()] == model.parameters()
    first = model.layers[0].neurons[0]
    assert model.parameters()[:3] == [first.w[0], first.w[1], first.b]


def test_labels_with_numbers_of_ten_or_more_are_unique():
    model = MLP(2, [16, 16, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert len(set(labels)) == len(labels) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    assert [n.number for n in model.layers[2].neurons] == [35]
    assert model.layers[0].neurons[7].w[0].label == "w1_10"  # neuron 10
    assert model.layers[0].neurons[6].w[1].label == "w29"  # neuron 9
    assert model.layers[2].neurons[0].w[-1].label == "w34_35"
    assert model.layers[1].neurons[0].b.label == "b19"


def test_calling_labels_inputs_weighted_inputs_and_outputs():
    model = MLP(2, [2, 1], activation="tanh", output_activation="sigmoid", seed=0)
    (y,) = model([0.5, -1.0])
    assert y.label == "y5" and y.op == "sigmoid"
    z5 = y.parents[0]
    assert z5.label == "z5" and z5.op == "linear"
    w35, w45, y3, y4, b5 = z5.parents
    assert (w35.label, w45.label, y3.label, y4.label, b5.label) == ("w35", "w45", "y3", "y4", "b5")
    z3 = y3.parents[0]
    assert z3.label == "z3"
    x1, x2 = z3.parents[2:4]
    assert (x1.label, x1.data, x1.requires_grad) == ("x1", 0.5, False)
    assert (x2.label, x2.data) == ("x2", -1.0)


def test_identity_output_is_the_labelled_weighted_input():
    model = MLP(3, [1], seed=0)  # output_activation=None: a linear output
    (out,) = model([1, 2, 3])
    assert out.label == "z4" and out.op == "linear"
    assert model.layers[0].activation == "identity"


def test_output_is_always_a_list_and_values_pass_through():
    model = MLP(2, [3, 1], seed=1)
    x = [Value(0.3, label="a"), Value(-0.2, label="b")]
    out = model(x)
    assert isinstance(out, list) and len(out) == 1
    z3 = model.layers[0].neurons[0](x).parents[0]
    assert z3.parents[2] is x[0] and z3.parents[3] is x[1]
    assert len(MLP(2, [3, 4], seed=1)([0.0, 1.0])) == 4


def test_wrong_input_count_and_type():
    model = MLP(3, [2], seed=0)
    with pytest.raises(ValueError, match="MLP: expected 3 inputs, got 2"):
        model([1.0, 2.0])
    with pytest.raises(TypeError, match="input 2 is 'a'"):
        model([1.0, "a", 3.0])
    with pytest.raises(ValueError, match="Layer: expected 3 inputs, got 1"):
        model.layers[0]([1.0])


def test_standalone_neuron_and_layer():
    neuron = Neuron(3, activation="relu", rng=random.Random(0))
    assert neuron.number == 4 and [w.label for w in neuron.w] == ["w14", "w24", "w34"]
    assert neuron.b.label == "b4"
    y = neuron([1.0, 2.0, 3.0])
    expected = max(0.0, sum(w.data * x for w, x in zip(neuron.w, [1.0, 2.0, 3.0])) + neuron.b.data)
    assert y.data == pytest.approx(expected, abs=1e-15)
    layer = Layer(2, 3, activation=None, rng=random.Random(0), first_number=10, input_numbers=[4, 7])
    assert [n.number for n in layer.neurons] == [10, 11, 12]
    assert layer.neurons[2].w[1].label == "w7_12"
    assert len(layer([1.0, 2.0])) == 3


def test_initialisation_is_seeded_and_scaled_by_fan_in():
    a, b, c = MLP(4, [9, 1], seed=3), MLP(4, [9, 1], seed=3), MLP(4, [9, 1], seed=4)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]
    first = [p.data for p in a.layers[0].parameters()]
    last = [p.data for p in a.layers[1].parameters()]
    assert max(map(abs, first)) <= 1 / math.sqrt(4) and max(map(abs, last)) <= 1 / math.sqrt(9)
    assert max(map(abs, last)) > 0.5 / math.sqrt(9)  # uniform over the whole interval, not a smaller one


def test_constructor_errors():
    with pytest.raises(TypeError, match=r"layer_sizes must be a list.*\[3\]"):
        MLP(2, 3)
    with pytest.raises(ValueError, match="layer_sizes is empty"):
        MLP(2, [])
    with pytest.raises(ValueError, match=r"layer_sizes\[1\] must be a positive integer, got 0"):
        MLP(2, [3, 0])
    with pytest.raises(ValueError, match="2 activations for 3 layers"):
        MLP(2, [3, 3, 1], activation=["tanh", "relu"])
    with pytest.raises(ValueError, match="leave output_activation as None"):
        MLP(2, [3, 1], activation=["tanh", "relu"], output_activation="sigmoid")


def test_unknown_activation_lists_the_valid_names():
    with pytest.raises(ValueError, match="activation='tahn' is not a known activation; valid names: tanh, "
                                         "sigmoid, relu") as e:
        MLP(2, [1], activation="tahn", output_activation="tahn")
    assert "mish" in str(e.value) and "identity" in str(e.value)


# ------------------------------------------------------------------------------------------------------
# Forward values against independent references

@pytest.mark.parametrize("with_bias", [False, True])
def test_from_weights_forward_against_numpy(with_bias):
    rng = np.random.default_rng(0)
    weights, biases = _random_matrices([3, 2, 1], 2, rng)
    biases = biases if with_bias else None
    model = MLP.from_weights(weights, biases)  # sigmoid everywhere, as in the worked example
    x = np.array([0.6, 0.7])
    y = x
    for k, w in enumerate(weights):
        y = _sigmoid(w @ y + (biases[k] if with_bias else 0.0))  # z = W y + b (lecture note eq 40)
    out = model(list(x))
    assert [o.data for o in out] == pytest.approx(list(y), rel=1e-14)
    assert len(model.parameters()) == (6 + 6 + 2) + (6 if with_bias else 0)


def test_from_weights_entry_j_i_is_the_weight_from_input_i_to_neuron_j():
    model = MLP.from_weights([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], activation=None)
    assert [[w.data for w in n.w] for n in model.layers[0].neurons] == [[1, 2], [3, 4], [5, 6]]
    assert model.layers[0].neurons[1].w[0].label == "w14"  # from input 1 to neuron 4
    assert [o.data for o in model([1.0, 10.0])] == [21.0, 43.0, 65.0]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_named_activation_against_pytorch(name):
    rng = np.random.default_rng(1)
    weights, biases = _random_matrices([4, 3], 3, rng)
    model = MLP.from_weights(weights, biases, activation=[name, "identity"])
    assert model.layers[0].neurons[0].activation == name
    x = [0.5, -1.5, 2.0]
    f = _torch_activation(name)
    hidden = f(torch.tensor(weights[0]) @ torch.tensor(x, dtype=torch.float64) + torch.tensor(biases[0]))
    expected = torch.tensor(weights[1]) @ hidden + torch.tensor(biases[1])
    assert [o.data for o in model(x)] == pytest.approx(expected.tolist(), rel=1e-12, abs=1e-14)


def test_callable_activation_and_per_layer_list():
    square = lambda z: z * z  # noqa: E731
    model = MLP.from_weights([[[2.0]], [[3.0]]], [[1.0], [0.0]], activation=[square, "relu"])
    (y,) = model([1.5])
    assert y.data == 3.0 * (2.0 * 1.5 + 1.0) ** 2
    assert model.layers[0].activation is square
    assert model.layers[0].neurons[0](Value(1.5)).label == "y2"


def test_from_weights_shape_errors():
    with pytest.raises(ValueError, match=r"weights\[1\] .*row 0 has 2 entries; expected 3"):
        MLP.from_weights([np.ones((3, 2)), np.ones((1, 2))])
    with pytest.raises(ValueError, match=r"weights\[0\] .*row 1 has 1 entries; expected 2"):
        MLP.from_weights([[[1.0, 2.0], [3.0]]])
    with pytest.raises(ValueError, match=r"biases\[0\] has 2 entries; layer 0 has 3 neurons"):
        MLP.from_weights([np.ones((3, 2))], [np.ones(2)])
    with pytest.raises(ValueError, match="biases must be None or a list of 2 vectors"):
        MLP.from_weights([np.ones((3, 2)), np.ones((1, 3))], [np.ones(3)])
    with pytest.raises(ValueError, match=r"weights\[0\]\[0\]\[1\] must be a finite number, got nan"):
        MLP.from_weights([[[1.0, float("nan")]]])
    with pytest.raises(TypeError, match=r"weights\[0\]\[0\]\[0\] must be a finite number, got '1' \(str\)"):
        MLP.from_weights([[["1"]]])
    with pytest.raises(ValueError, match="weights must be a non-empty list of matrices"):
        MLP.from_weights([])
    with pytest.raises(ValueError, match=r"weights\[0\] must be a non-empty matrix"):
        MLP.from_weights([[]])


# ------------------------------------------------------------------------------------------------------
# Gradients against PyTorch

def test_gradients_against_pytorch_float64():
    model = MLP(3, [4, 4, 2], activation="tanh", output_activation="sigmoid", seed=7)
    x, t = [0.3, -1.2, 0.8], [0.25, 0.9]
    out = model(x)
    loss = 0.5 * ((t[0] - out[0]) ** 2 + (t[1] - out[1]) ** 2)
    loss.backward()

    tensors = [torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64,
                            requires_grad=True) for layer in model.layers]
    biases = [torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
              for layer in model.layers]
    y = torch.tensor(x, dtype=torch.float64)
    for k, (w, b) in enumerate(zip(tensors, biases)):
        y = w @ y + b
        y = torch.sigmoid(y) if k == len(tensors) - 1 else torch.tanh(y)
    torch_loss = 0.5 * ((torch.tensor(t, dtype=torch.float64) - y) ** 2).sum()
    torch_loss.backward()

    assert loss.data == pytest.approx(torch_loss.item(), rel=1e-14)
    for layer, w, b in zip(model.layers, tensors, biases):
        for j, neuron in enumerate(layer.neurons):
            assert [p.grad for p in neuron.w] == pytest.approx(w.grad[j].tolist(), rel=1e-10, abs=1e-15)
            assert neuron.b.grad == pytest.approx(b.grad[j].item(), rel=1e-10, abs=1e-15)
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# ------------------------------------------------------------------------------------------------------
# Saving and loading

def _data(model):
    return [p.data for p in model.parameters()]


def test_save_load_round_trip(tmp_path):
    model = MLP(3, [5, 4, 2], activation="elu", output_activation="sigmoid", seed=2)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    assert _data(loaded) == _data(model)  # exact: JSON keeps every float's digits
    assert [n.label for n in loaded.parameters()] == [n.label for n in model.parameters()]
    assert [layer.activation for layer in loaded.layers] == ["elu", "elu", "sigmoid"]
    assert [o.data for o in loaded([0.1, 0.2, 0.3])] == [o.data for o in model([0.1, 0.2, 0.3])]

    other = MLP(3, [5, 4, 2], activation="elu", output_activation="sigmoid", seed=99)
    other.load_parameters(path)
    assert _data(other) == _data(model)


def test_save_load_without_biases(tmp_path):
    model = MLP.from_weights([[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]])
    model.save(tmp_path / "m.json")
    content = json.loads((tmp_path / "m.json").read_text())
    assert content["biases"] is None and content["bias"] is False
    assert content["weights"] == [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]]
    loaded = MLP.load(tmp_path / "m.json")
    assert _data(loaded) == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    assert all(n.b is None for layer in loaded.layers for n in layer.neurons)


def test_save_refuses_callable_activations(tmp_path):
    model = MLP(2, [2, 1], activation=lambda z: z * 2, seed=0)
    with pytest.raises(ValueError, match="layer 0 has the activation <lambda>, a callable, which cannot be saved"):
        model.save(tmp_path / "m.json")


def _valid_content():
    return {"format": "nn.MLP/1", "n_inputs": 2, "layer_sizes": [2, 1], "activations": ["tanh", "identity"],
            "bias": True, "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]], "biases": [[0.7, 0.8], [0.9]]}


def _changed(**changes):
    content = _valid_content()
    for key, value in changes.items():
        if value is _DELETE:
            del content[key]
        else:
            content[key] = value
    return json.dumps(content)


_DELETE = object()

MALFORMED = {
    "not JSON": ("{not json", "not valid JSON"),
    "not an object": ("[1, 2]", "expected a JSON object"),
    "missing key": (_changed(biases=_DELETE), r"missing keys \['biases'\]"),
    "unexpected key": (_changed(extra=1), r"unexpected keys \['extra'\]"),
    "wrong format": (_changed(format="other"), "format is 'other'"),
    "ragged row": (_changed(weights=[[[0.1, 0.2], [0.3]], [[0.5, 0.6]]]), r"row 1 has 1 entries; expected 2"),
    "layers do not chain": (_changed(weights=[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6, 0.7]]]),
                            r"weights\[1\] .*row 0 has 3 entries; expected 2"),
    "NaN": (_changed(weights=[[[0.1, float("nan")], [0.3, 0.4]], [[0.5, 0.6]]]),
            r"\[0\]\[1\] must be a finite number, got nan"),
    "Infinity": (_changed(biases=[[0.7, float("inf")], [0.9]]), r"biases\[0\]\[1\] must be a finite number, got inf"),
    "string number": (_changed(biases=[[0.7, "0.8"], [0.9]]),
                      r"biases\[0\]\[1\] must be a finite number, got '0.8' \(str\)"),
    "boolean number": (_changed(weights=[[[0.1, True], [0.3, 0.4]], [[0.5, 0.6]]]),
                       r"weights\[0\]\[0\]\[1\] must be a finite number, got True \(bool\)"),
    "weights not a list": (_changed(weights={"a": 1}), "weights must be a non-empty list"),
    "bias count": (_changed(biases=[[0.7, 0.8, 0.1], [0.9]]), r"biases\[0\] has 3 entries; layer 0 has 2"),
    "bias flag": (_changed(bias=False), "bias is False but biases is given"),
    "bias flag type": (_changed(bias="yes"), "bias is 'yes', expected true or false"),
    "n_inputs": (_changed(n_inputs=3), "n_inputs is 3 but weights"),
    "layer_sizes": (_changed(layer_sizes=[2, 2]), r"layer_sizes is \[2, 2\] but the weights .* \[2, 1\]"),
    "activation count": (_changed(activations=["tanh"]), "activations must be a list of 2 names"),
    "unknown activation": (_changed(activations=["tanh", "gelu"]), r"activations\[1\] is 'gelu'; valid names"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_file_is_rejected_and_changes_nothing(tmp_path, case):
    text, message = MALFORMED[case]
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        MLP.load(path)
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    before = _data(model)
    with pytest.raises(ValueError, match=message):
        model.load_parameters(path)
    assert _data(model) == before


def test_the_valid_file_of_the_malformed_cases_loads(tmp_path):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(_valid_content()))
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    model.load_parameters(path)
    assert _data(model) == [0.1, 0.2, 0.7, 0.3, 0.4, 0.8, 0.5, 0.6, 0.9]


@pytest.mark.parametrize("model, message", [
    (lambda: MLP(2, [3, 1], seed=0), r"layer_sizes = \[2, 1\], this network has \[3, 1\]"),
    (lambda: MLP(3, [2, 1], seed=0), "n_inputs = 2, this network has 3"),
    (lambda: MLP(2, [2, 1], bias=False, seed=0), "bias = True, this network has False"),
    (lambda: MLP(2, [2, 1], activation="relu", seed=0), "layer 0 has the activation 'tanh' in the file, 'relu'"),
])
def test_load_parameters_into_a_different_network_changes_nothing(tmp_path, model, message):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(_valid_content()))
    model = model()
    before = _data(model)
    with pytest.raises(ValueError, match=message):
        model.load_parameters(path)
    assert _data(model) == before


def test_state_dict_maps_each_label_to_its_number_in_parameter_order():
    model = MLP.from_weights([[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]], [[0.7, 0.8], [0.9]], activation="tanh")
    state = model.state_dict()
    assert list(state.items()) == [("w13", 0.1), ("w23", 0.2), ("b3", 0.7), ("w14", 0.3), ("w24", 0.4),
                                   ("b4", 0.8), ("w35", 0.5), ("w45", 0.6), ("b5", 0.9)]
    state["w13"] = 5.0  # a copy: the model keeps its weight
    assert model.parameters()[0].data == 0.1


def test_load_state_dict_gives_the_other_networks_outputs():
    source = MLP(2, [3, 1], activation="elu", seed=1)
    target = MLP(2, [3, 1], activation="elu", seed=2)
    target.load_state_dict(source.state_dict())
    assert _data(target) == _data(source)
    assert target([0.3, -0.7])[0].data == source([0.3, -0.7])[0].data
    # numbers of other types are taken as floats: numpy's float64 and Python's int
    target.load_state_dict({label: np.float64(k) if k % 2 else k for k, label in enumerate(source.state_dict())})
    assert _data(target) == [float(k) for k in range(len(_data(target)))]
    assert all(type(x) is float for x in _data(target))
