"""MLP.to_torch() and MLP.from_torch(): the torch model computes our outputs and our parameter gradients on a
batch to 1e-12 (PyTorch float64 as the independent reference), a model trained here continues training in
PyTorch, models come back from PyTorch, and what cannot be represented is refused, naming the module."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from autograd import Value
from nn import MLP, SGD
from nn._torch import TORCH_MODULES

ROOT = Path(__file__).resolve().parent.parent
CONVERTIBLE = [*TORCH_MODULES, "identity"]


def _batch(n_inputs, size=8, seed=0):
    rng = random.Random(seed)
    return [[rng.uniform(-3, 3) for _ in range(n_inputs)] for _ in range(size)]


def _our_loss(model, inputs, targets):
    """E = sum over the batch and the outputs of 1/2 (y - t)^2, built from our Values."""
    loss = Value(0.0)
    for x, t in zip(inputs, targets):
        for y, t_k in zip(model(x), t):
            loss = loss + 0.5 * (y - t_k) ** 2
    return loss


def _in_our_order(sequential, gradients=False):
    """The torch Linears' parameters (or their gradients) in our order: layer by layer, neuron by neuron,
    each neuron's weights (row j of the weight matrix) then its bias."""
    values = []
    for linear in (m for m in sequential if isinstance(m, torch.nn.Linear)):
        weight, bias = linear.weight, linear.bias
        if gradients:
            weight, bias = weight.grad, (bias.grad if bias is not None else None)
        for j in range(linear.out_features):
            values += weight[j].tolist() + ([bias[j].item()] if bias is not None else [])
    return values


@pytest.mark.parametrize("hidden", CONVERTIBLE)
@pytest.mark.parametrize("bias", [True, False])
def test_outputs_and_gradients_on_a_batch_equal_pytorch(hidden, bias):
    output = "sigmoid" if hidden != "sigmoid" else "tanh"
    model = MLP(3, [5, 4, 2], activation=hidden, output_activation=output, bias=bias, seed=7)
    sequential = model.to_torch()
    inputs, targets = _batch(3), [[0.3, -0.2]] * 8

    loss = _our_loss(model, inputs, targets)
    loss.backward()
    x = torch.tensor(inputs, dtype=torch.float64)
    torch_outputs = sequential(x)
    torch_loss = (0.5 * (torch_outputs - torch.tensor(targets, dtype=torch.float64)) ** 2).sum()
    torch_loss.backward()

    ours = [y.data for row in inputs for y in model(row)]
    assert ours == pytest.approx(torch_outputs.reshape(-1).tolist(), rel=1e-12, abs=1e-12)
    assert loss.data == pytest.approx(torch_loss.item(), rel=1e-12, abs=1e-12)
    our_grads = [p.grad for p in model.parameters()]
    assert our_grads == pytest.approx(_in_our_order(sequential, gradients=True), rel=1e-12, abs=1e-12)
    assert any(g != 0.0 for g in our_grads)


def test_the_torch_model_is_linear_float64_layers_and_activation_modules():
    model = MLP(2, [3, 3, 1], activation=["relu", "softplus", "identity"], seed=1)
    sequential = model.to_torch()
    assert [type(m).__name__ for m in sequential] == ["Linear", "ReLU", "Linear", "Softplus", "Linear"]
    assert all(p.dtype == torch.float64 for p in sequential.parameters())
    assert sequential[0].weight.shape == (3, 2)  # (outputs, inputs), as MLP.from_weights
    w = model.layers[0].neurons[2].w[1]  # from input 2 to neuron 5
    assert w.label == "w25" and sequential[0].weight[2, 1].item() == w.data
    assert _in_our_order(sequential) == [p.data for p in model.parameters()]


def test_softplus_agrees_with_torch_far_out_where_torch_switches_to_x():
    """torch's default Softplus (threshold 20) returns x above 20; ours is log(1 + e^x) (2e-9 more at 20)."""
    model = MLP.from_weights([[[1.0]]], [[0.0]], activation="softplus")
    sequential = model.to_torch()
    for x in [-40.0, -1.0, 0.5, 19.0, 25.0, 36.0, 38.0, 700.0]:
        assert model([x])[0].data == pytest.approx(sequential(torch.tensor([[x]], dtype=torch.float64)).item(),
                                                   rel=1e-15, abs=1e-300)
    assert torch.nn.Softplus()(torch.tensor(25.0, dtype=torch.float64)).item() != model([25.0])[0].data


def test_a_model_trained_here_continues_training_in_pytorch():
    """Ten SGD steps here then ten in PyTorch give the parameters of twenty steps here (to 1e-12)."""
    inputs, targets = _batch(2, size=6, seed=3), [[0.5], [-0.5], [0.2], [0.9], [-0.1], [0.0]]
    model = MLP(2, [4, 1], activation="tanh", seed=5)
    optimizer = SGD(model.parameters(), lr=0.05)

    def train_here(steps):
        for _ in range(steps):
            optimizer.zero_grad()
            _our_loss(model, inputs, targets).backward()
            optimizer.step()

    train_here(10)
    sequential = model.to_torch()
    torch_optimizer = torch.optim.SGD(sequential.parameters(), lr=0.05)
    x, t = torch.tensor(inputs, dtype=torch.float64), torch.tensor(targets, dtype=torch.float64)
    for _ in range(10):
        torch_optimizer.zero_grad()
        (0.5 * (sequential(x) - t) ** 2).sum().backward()
        torch_optimizer.step()
    train_here(10)
    assert _in_our_order(sequential) == pytest.approx(
        [p.data for p in model.parameters()], rel=1e-12, abs=1e-12)
    back = MLP.from_torch(sequential)
    assert [p.data for p in back.parameters()] == _in_our_order(sequential)


@pytest.mark.parametrize("bias", [True, False])
def test_round_trip_keeps_every_weight_and_activation(bias):
    model = MLP(3, [4, 4, 2], activation=["elu", "leaky_relu", "mish"], bias=bias, seed=2)
    back = MLP.from_torch(model.to_torch())
    assert [p.data for p in back.parameters()] == [p.data for p in model.parameters()]
    assert [p.label for p in back.parameters()] == [p.label for p in model.parameters()]
    assert [layer.activation for layer in back.layers] == ["elu", "leaky_relu", "mish"]
    assert all((n.b is not None) == bias for layer in back.layers for n in layer.neurons)


def test_a_model_made_in_pytorch_float32_comes_here():
    torch.manual_seed(0)
    sequential = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.SiLU(), torch.nn.Linear(4, 4),
                                     torch.nn.Identity(), torch.nn.Linear(4, 2), torch.nn.Sigmoid())
    model = MLP.from_torch(sequential)
    assert [layer.activation for layer in model.layers] == ["silu", "identity", "sigmoid"]
    inputs = _batch(3)
    expected = sequential.double()(torch.tensor(inputs, dtype=torch.float64))  # float32 -> 64 is exact
    assert [y.data for row in inputs for y in model(row)] == pytest.approx(expected.reshape(-1).tolist(),
                                                                             rel=1e-12, abs=1e-12)


def _sequential(*modules):
    return lambda: torch.nn.Sequential(*modules)


L = torch.nn.Linear
REFUSED_FROM_TORCH = {
    "not a Sequential": (lambda: L(2, 1), TypeError, "model must be a torch.nn.Sequential .* got Linear"),
    "empty": (_sequential(), ValueError, "the model has no nn.Linear layer"),
    "GELU": (_sequential(L(2, 3), torch.nn.GELU(), L(3, 1)), ValueError, r"module 1 \(GELU.*\) has no counterpart"),
    "Dropout": (_sequential(L(2, 3), torch.nn.Dropout(0.5)), ValueError, r"module 1 \(Dropout.*\) has no counterpart"),
    "nested Sequential": (_sequential(L(2, 3), torch.nn.Sequential(torch.nn.Tanh())), ValueError,
                          "module 1 .* has no counterpart"),
    "LeakyReLU slope 0.2": (_sequential(L(2, 1), torch.nn.LeakyReLU(0.2)), ValueError,
                            "negative_slope=0.2; this library's leaky_relu has negative_slope=0.01"),
    "ELU alpha 2": (_sequential(L(2, 1), torch.nn.ELU(alpha=2.0)), ValueError, "alpha=2.0; this library's elu"),
    "Softplus default threshold": (_sequential(L(2, 1), torch.nn.Softplus()), ValueError,
                                   r"returns x itself above x = 20.0, .* by up to 2.1e-09; use threshold >= 37"),
    "Softplus beta 2": (_sequential(L(2, 1), torch.nn.Softplus(beta=2.0, threshold=40)), ValueError, "beta=2.0"),
    "two activations": (_sequential(L(2, 1), torch.nn.Tanh(), torch.nn.ReLU()), ValueError,
                        "module 2 .* is a second activation after one Linear layer"),
    "activation first": (_sequential(torch.nn.Tanh(), L(2, 1)), ValueError, "comes before the first nn.Linear"),
    "shapes do not chain": (_sequential(L(2, 3), L(4, 1)), ValueError,
                            "module 1 .* takes 4 inputs, but the layer before it has 3 outputs"),
    "bias in some layers": (_sequential(L(2, 3), L(3, 1, bias=False)), ValueError,
                            "module 1 .* has no bias unlike the layers before it"),
    "NaN weight": (lambda: _with_nan(torch.nn.Sequential(L(2, 1))), ValueError,
                   r"weights\[0\]\[0\]\[1\] must be a finite number, got nan"),
}


def _with_nan(sequential):
    with torch.no_grad():
        sequential[0].weight[0, 1] = float("nan")
    return sequential


@pytest.mark.parametrize("make, error, message", list(REFUSED_FROM_TORCH.values()), ids=list(REFUSED_FROM_TORCH))
def test_from_torch_refuses_what_an_mlp_cannot_represent(make, error, message):
    with pytest.raises(error) as raised:
        MLP.from_torch(make())
    assert str(raised.value).startswith("MLP.from_torch(): ")
    assert re.search(message, str(raised.value), re.DOTALL), str(raised.value)


@pytest.mark.parametrize("model, message", [
    (lambda: MLP(2, [1], output_activation=lambda z: z.leaky_relu(Value(0.1, label="slope")), seed=0),
     r"layer 0 has the activation <lambda>, a callable \(e.g. with a Value slope\), which has no torch module"),
    (lambda: MLP(2, [3, 1], activation="step", seed=0),
     "layer 0 has the activation 'step', which has no torch module of the same formula"),
], ids=["Value slope", "step"])
def test_to_torch_refuses_activations_without_a_torch_module(model, message):
    with pytest.raises(ValueError, match=r"MLP.to_torch\(\): " + message):
        model().to_torch()


def test_torch_is_imported_only_by_the_two_conversions(tmp_path):
    code = ("import sys\n"
            "from nn import MLP, SGD\n"
            f"m = MLP(2, [3, 1], seed=0); m.save({str(tmp_path / 'm.json')!r}); MLP.load({str(tmp_path / 'm.json')!r})\n"
            "m.load_state_dict(m.state_dict()); SGD(m.parameters(), 0.1)\n"
            "assert 'torch' not in sys.modules\n"
            "m.to_torch()\n"
            "assert 'torch' in sys.modules\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
