"""nn.train: online and mini-batch updates against PyTorch (float64) written out step by step, the history
of losses, learning XOR and two moons, the datasets, train's errors, and its warning when the loss stalls."""

import math
import re
import warnings

import pytest
import torch

from autograd import Value
from nn import MLP, SGD, Adam, TrainingStalledWarning, datasets, train
from nn import functional as F
from torch_reference import train_reference


def _torch_copy(model):
    """The model's weight matrices and bias vectors as float64 tensors that require grad."""
    weights = [torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64,
                            requires_grad=True) for layer in model.layers]
    biases = [torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
              for layer in model.layers]
    return weights, biases


def _torch_loss(weights, biases, x, t):
    """1/2 sum (t - o)^2 of a tanh network with a sigmoid output, in PyTorch."""
    y = torch.tensor(x, dtype=torch.float64)
    for k, (w, b) in enumerate(zip(weights, biases)):
        y = w @ y + b
        y = torch.sigmoid(y) if k == len(weights) - 1 else torch.tanh(y)
    return 0.5 * ((torch.tensor(t, dtype=torch.float64) - y) ** 2).sum()


def _torch_train(model, inputs, targets, lr, batch_size):
    """One epoch of gradient descent: each update uses the average of the examples' gradients, computed one
    example at a time (lecture note eq 52). Returns the final tensors and the epoch's mean loss."""
    weights, biases = _torch_copy(model)
    tensors = weights + biases
    total = 0.0
    for start in range(0, len(inputs), batch_size):
        batch = range(start, min(start + batch_size, len(inputs)))
        gradients = [torch.zeros_like(p) for p in tensors]
        for k in batch:
            loss = _torch_loss(weights, biases, inputs[k], targets[k])
            total += loss.item()
            for g, d in zip(gradients, torch.autograd.grad(loss, tensors)):
                g += d
        with torch.no_grad():
            for p, g in zip(tensors, gradients):
                p -= lr * g / len(batch)
    return weights, biases, total / len(inputs)


def _flatten(weights, biases):
    """Parameters in the model's order: neuron by neuron, weights then bias."""
    flat = []
    for w, b in zip(weights, biases):
        for j in range(w.shape[0]):
            flat += w[j].tolist() + [b[j].item()]
    return flat


INPUTS = [[0.5, -0.2, 0.1], [-1.0, 0.3, 0.8], [0.2, 0.2, -0.6], [1.5, -0.7, 0.0], [0.0, 1.0, 1.0],
          [-0.4, -0.9, 0.3]]
TARGETS = [[0.1, 0.9], [0.8, 0.2], [0.5, 0.5], [0.0, 1.0], [1.0, 0.0], [0.3, 0.6]]


@pytest.mark.parametrize("batch_size", [None, 1, 4, 6])
def test_one_epoch_against_pytorch(batch_size):
    model = MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=5)
    weights, biases, mean_loss = _torch_train(model, INPUTS, TARGETS, lr=0.2, batch_size=batch_size or 1)
    history = train(model, INPUTS, TARGETS, F.mse_half, epochs=1, lr=0.2, batch_size=batch_size)
    assert [p.data for p in model.parameters()] == pytest.approx(_flatten(weights, biases), rel=1e-12, abs=1e-14)
    assert history == pytest.approx([mean_loss], rel=1e-12)


def test_minibatch_gradient_is_the_average_of_the_examples_gradients():
    # One update over a batch of 4 with rate 1: each parameter moves by minus its average gradient.
    model = MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=6)
    weights, biases = _torch_copy(model)
    tensors = weights + biases
    average = [torch.zeros_like(p) for p in tensors]
    for x, t in zip(INPUTS[:4], TARGETS[:4]):
        for a, g in zip(average, torch.autograd.grad(_torch_loss(weights, biases, x, t), tensors)):
            a += g / 4
    before = [p.data for p in model.parameters()]
    train(model, INPUTS[:4], TARGETS[:4], F.mse_half, epochs=1, lr=1.0, batch_size=4)
    moved = [b - p.data for b, p in zip(before, model.parameters())]
    assert moved == pytest.approx(_flatten(average[:2], average[2:]), rel=1e-10, abs=1e-14)


def test_history_has_one_mean_loss_per_epoch_and_falls():
    model = MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=5)
    first = [_torch_loss(*_torch_copy(model), x, t).item() for x, t in zip(INPUTS, TARGETS)]
    history = train(model, INPUTS, TARGETS, F.mse_half, epochs=30, lr=2.0, batch_size=6)
    assert len(history) == 30
    assert history[0] == pytest.approx(sum(first) / len(first), rel=1e-12)  # full batch: before any update
    assert all(later < earlier for earlier, later in zip(history, history[1:]))
    assert history[-1] < 0.5 * history[0]


def test_shuffle_is_seeded_and_changes_the_order():
    def run(**kwargs):
        model = MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=5)
        train(model, INPUTS, TARGETS, F.mse_half, epochs=2, lr=0.3, **kwargs)
        return [p.data for p in model.parameters()]
    assert run(shuffle=True, seed=1) == run(shuffle=True, seed=1)
    assert run(shuffle=True, seed=1) != run(shuffle=True, seed=2)
    assert run(shuffle=True, seed=1) != run()


def test_train_with_an_optimizer():
    model = MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=5)
    weights, biases = _torch_copy(model)
    optimizer = torch.optim.Adam(weights + biases, lr=0.05)
    for _ in range(3):
        optimizer.zero_grad()
        sum(_torch_loss(weights, biases, x, t) for x, t in zip(INPUTS, TARGETS)).div(len(INPUTS)).backward()
        optimizer.step()
    train(model, INPUTS, TARGETS, F.mse_half, epochs=3, optimizer=Adam(model.parameters(), lr=0.05),
          batch_size=len(INPUTS))
    assert [p.data for p in model.parameters()] == pytest.approx(_flatten(weights, biases), rel=1e-10, abs=1e-13)


def test_xor_is_learned_by_a_two_layer_network():
    inputs, targets = datasets.xor()
    model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = train(model, inputs, targets, F.mse_half, epochs=500, lr=1.0)
    predictions = [model(x)[0].data for x in inputs]
    assert [p > 0.5 for p in predictions] == [False, True, True, False]
    assert history[-1] < 0.01


def test_two_moons_reach_full_training_accuracy():
    # micrograd's demo: MLP(2, [16, 16, 1]) with ReLU, hinge loss on labels -1/+1, full-batch updates.
    inputs, targets = datasets.two_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    history = train(model, inputs, targets, F.hinge, epochs=60, optimizer=Adam(model.parameters(), lr=0.05),
                    batch_size=100, progress=False)
    correct = sum((model(x)[0].data > 0) == (t[0] > 0) for x, t in zip(inputs, targets))
    assert correct == 100
    assert history[-1] < 0.1 * history[0]


def test_progress_bar(capsys):
    model = MLP(1, [1], seed=0)
    train(model, [[1.0]], [[2.0]], F.mse_half, epochs=3, lr=0.1, progress=True)
    assert "3/3" in capsys.readouterr().err
    train(model, [[1.0]], [[2.0]], F.mse_half, epochs=150, lr=0.1, progress=False)
    train(model, [[1.0]], [[2.0]], F.mse_half, epochs=3, lr=0.1)  # short runs: no bar by default
    assert capsys.readouterr().err == ""


def test_progress_bar_by_default_only_in_a_terminal(capsys, monkeypatch):
    import sys
    model = MLP(1, [1], seed=0)
    train(model, [[1.0]], [[2.0]], F.mse_half, epochs=150, lr=0.1)  # captured stderr is no terminal
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    train(model, [[1.0]], [[2.0]], F.mse_half, epochs=150, lr=0.1)
    assert "150/150" in capsys.readouterr().err


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lr": 0.1, "optimizer": "given"}, ValueError, "give either lr (plain gradient descent) or an optimizer, "
                                                    "not both"),
    ({}, ValueError, "give either lr (plain gradient descent) or an optimizer, not neither"),
    ({"lr": 0.1, "batch_size": 0}, ValueError, "batch_size must be None or a positive integer, got 0"),
    ({"lr": 0.1, "epochs": -1}, ValueError, "epochs must be an integer >= 0, got -1"),
    ({"lr": 0.1, "targets": [[1.0]]}, ValueError, "2 inputs and 1 targets"),
    ({"lr": 0.1, "loss_fn": lambda o, t: 1.0}, TypeError,
     "loss_fn returned 1.0 for example 0; it must return a Value"),
])
def test_train_errors(kwargs, error, message):
    model = MLP(1, [1], seed=0)
    if kwargs.get("optimizer") == "given":
        kwargs["optimizer"] = SGD(model.parameters(), lr=0.1)
    arguments = {"inputs": [[1.0], [2.0]], "targets": [[1.0], [2.0]], "loss_fn": F.mse_half, **kwargs}
    with pytest.raises(error, match=re.escape(message)):
        train(model, **arguments)


# ------------------------------------------------------------------------------------------------------
# Datasets

def test_xor_table():
    assert datasets.xor() == ([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]])


def test_sum_of_two_inputs_is_the_articles_table():
    inputs, targets = datasets.sum_of_two_inputs()
    # The table of file 002 (lines 28-31): I1, I2, O_net.
    assert [x + t for x, t in zip(inputs, targets)] == [[1, 4, 5], [2, 7, 9], [3, 5, 8], [1000, 1500, 2500]]


def test_three_inputs_table_is_the_articles_table():
    inputs, targets = datasets.three_inputs_table()
    # file 002, lines 3244-3280: observation vector -> required response (1 yes, -1 no)
    assert list(zip(inputs, targets)) == [
        ([-1, -1, -1], [-1]), ([-1, -1, 1], [1]), ([-1, 1, -1], [-1]), ([-1, 1, 1], [1]),
        ([1, -1, -1], [-1]), ([1, -1, 1], [1]), ([1, 1, -1], [-1]), ([1, 1, 1], [-1])]


def test_two_moons_without_noise_lie_on_the_two_half_circles():
    inputs, targets = datasets.two_moons(51, noise=0.0, seed=0)
    assert len(inputs) == 51 and [t[0] for t in targets].count(-1.0) == 25
    for (x, y), (t,) in zip(inputs, targets):
        if t == -1.0:  # upper moon: the unit half circle centred at (0, 0), y >= 0
            assert math.hypot(x, y) == pytest.approx(1.0, abs=1e-12) and y >= -1e-12
        else:  # lower moon: the unit half circle centred at (1, 0.5), y <= 0.5
            assert math.hypot(x - 1.0, y - 0.5) == pytest.approx(1.0, abs=1e-12) and y <= 0.5 + 1e-12
    assert sorted(inputs) != inputs  # shuffled


def test_two_moons_is_seeded():
    assert datasets.two_moons(20, seed=3) == datasets.two_moons(20, seed=3)
    assert datasets.two_moons(20, seed=3) != datasets.two_moons(20, seed=4)
    with pytest.raises(ValueError, match="two_moons\\(\\): n must be an integer >= 2, got 1"):
        datasets.two_moons(1)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0, got -0.1"):
        datasets.two_moons(10, noise=-0.1)


# ------------------------------------------------------------------------------------------------------
# A stalled loss: "network paralysis" and "local minima" (file 002), said once

@pytest.mark.parametrize("seed", [0, 3])
def test_xor_with_binary_cross_entropy_at_rate_half_stalls_and_train_says_so_once(seed):
    inputs, targets = datasets.xor()
    model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=seed)
    _, expected, _ = train_reference(model, inputs, targets, lr=0.5, epochs=300, loss="bce")
    expected = [o[0] for o in expected]
    with pytest.warns(TrainingStalledWarning) as record:
        train(model, inputs, targets, F.binary_cross_entropy, epochs=300, lr=0.5)
    assert len(record) == 1
    message = str(record[0].message)
    for words in ["train(): the loss has stopped moving", "local minim", "file 002", "smaller learning rate",
                  "lr=0.5 now", "other initial weights"]:
        assert words in message
    outputs = [model(x)[0].data for x in inputs]
    assert outputs == pytest.approx(expected, abs=1e-9)  # PyTorch, the same 1200 updates
    assert [round(o, 3) for o in expected] == [0.496] * 4  # the 0.496 for every input


@pytest.mark.parametrize("seed, lr", [(1, 0.5), (2, 0.5), (0, 0.1), (1, 0.1), (2, 0.1), (3, 0.1)])
def test_xor_that_learns_gets_no_warning(seed, lr):
    inputs, targets = datasets.xor()
    model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingStalledWarning)
        train(model, inputs, targets, F.binary_cross_entropy, epochs=300, lr=lr)
    assert [model(x)[0].data > 0.5 for x in inputs] == [False, True, True, False]


def test_saturated_sigmoids_are_named_network_paralysis():
    # notebook 06's 2-4-1 sigmoid network with its initial weights multiplied by 100
    inputs, targets = datasets.xor()
    model = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    for p in model.parameters():
        p.data *= 100
    with pytest.warns(TrainingStalledWarning, match="network paralysis") as record:
        train(model, inputs, targets, F.mse_half, epochs=100, lr=1.0)
    assert len(record) == 1
    # independently: the slopes sigma'(z) of the five units on the last example, (1, 1), in numpy
    import numpy as np
    w1 = np.array([[w.data for w in n.w] for n in model.layers[0].neurons])
    b1 = np.array([n.b.data for n in model.layers[0].neurons])
    hidden = 1 / (1 + np.exp(-(w1 @ np.array([1.0, 1.0]) + b1)))
    out = model.layers[1].neurons[0]
    z_out = np.dot([w.data for w in out.w], hidden) + out.b.data
    slopes = np.append(hidden * (1 - hidden), np.exp(-z_out) / (1 + np.exp(-z_out)) ** 2) / 0.25
    saturated = int((slopes < 0.01).sum())
    assert saturated > len(slopes) / 2
    assert f"{saturated} of the 5 tanh and sigmoid units of the last batch are saturated" in str(record[0].message)


def test_the_warning_can_be_silenced_and_is_a_user_warning():
    assert issubclass(TrainingStalledWarning, UserWarning)
    inputs, targets = datasets.xor()
    model = MLP(2, [1], output_activation="sigmoid", seed=0)  # one neuron cannot learn XOR
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", TrainingStalledWarning)
        train(model, inputs, targets, F.mse_half, epochs=400, lr=1.0)
    assert record == []


def test_no_warning_when_the_loss_reaches_zero():
    # a linear neuron fits y = x1 + x2 exactly; a loss creeping towards 0 is nothing to warn about
    model = MLP(2, [1], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingStalledWarning)
        history = train(model, [[1.0, 4.0], [2.0, 7.0], [3.0, 5.0]], [[5.0], [9.0], [8.0]], F.mse_half,
                        epochs=3000, lr=0.04, batch_size=3)
    assert history[-1] < 1e-9 * history[0]


# ------------------------------------------------------------------------------------------------------
# Bad arguments: a TypeError or ValueError naming train(), the argument and its value

class _NoParameters:
    def __call__(self, x):
        return [Value(1.0)]


@pytest.mark.parametrize("change, error, message", [
    ({"model": 5}, TypeError, "train(): model must be callable (e.g. an nn.MLP), got 5"),
    ({"model": _NoParameters()}, TypeError, "has no parameters() method, which lr needs"),
    ({"inputs": 5}, TypeError, "train(): inputs must be a list with one entry per example, got 5"),
    ({"inputs": "ab"}, TypeError, "train(): inputs must be a list with one entry per example, got 'ab'"),
    ({"targets": None}, TypeError, "train(): targets must be a list with one entry per example, got None"),
    ({"targets": {0: 1}}, TypeError, "train(): targets must be a list with one entry per example, got {0: 1}"),
    ({"inputs": [], "targets": []}, ValueError, "train(): 0 inputs and 0 targets"),
    ({"loss_fn": "mse"}, TypeError, "train(): loss_fn must be a function loss_fn(outputs, target) -> Value "
                                    "(e.g. nn.functional.mse_half), got 'mse'"),
    ({"lr": -0.1}, ValueError, "train(): lr must be > 0, got -0.1"),
    ({"lr": 0}, ValueError, "train(): lr must be > 0, got 0"),
    ({"lr": float("nan")}, ValueError, "train(): lr must be a finite number, got nan"),
    ({"lr": 10 ** 400}, ValueError, "train(): lr must be a finite number, got an integer of 401 digits"),
    ({"lr": "0.1"}, TypeError, "train(): lr must be a finite number, got '0.1' (str)"),
    ({"lr": True}, TypeError, "train(): lr must be a finite number, got True (bool)"),
    ({"lr": None, "optimizer": "sgd"}, TypeError, "train(): optimizer must be an nn optimiser (SGD, Adam), "
                                                  "got 'sgd'"),
    ({"epochs": 2.5}, ValueError, "train(): epochs must be an integer >= 0, got 2.5"),
    ({"batch_size": -3}, ValueError, "train(): batch_size must be None or a positive integer, got -3"),
])
def test_bad_arguments_are_named(change, error, message):
    arguments = {"model": MLP(1, [1], seed=0), "inputs": [[1.0], [2.0]], "targets": [[1.0], [2.0]],
                 "loss_fn": F.mse_half, "lr": 0.1, **change}
    with pytest.raises(error, match=re.escape(message)):
        train(**arguments)


def test_numpy_arrays_are_accepted_as_inputs_and_targets():
    import numpy as np
    model = MLP(2, [1], seed=0)
    reference = MLP(2, [1], seed=0)
    inputs, targets = [[1.0, 4.0], [2.0, 7.0]], [[5.0], [9.0]]
    history = train(model, np.array(inputs), np.array(targets), F.mse_half, epochs=2, lr=0.01)
    assert history == train(reference, inputs, targets, F.mse_half, epochs=2, lr=0.01)


def test_noisy_line_is_the_line_plus_seeded_noise():
    import random
    inputs, targets = datasets.noisy_line(n=5, slope=2.0, intercept=-1.0, noise=0.5, seed=3)
    assert [x[0] for x in inputs] == [-1.0, -0.5, 0.0, 0.5, 1.0]
    rng = random.Random(3)
    assert [t[0] for t in targets] == [2.0 * x - 1.0 + rng.gauss(0.0, 0.5) for x in [-1.0, -0.5, 0.0, 0.5, 1.0]]
    assert datasets.noisy_line(noise=0.0)[1] == [[2.0 * x[0] - 1.0] for x in datasets.noisy_line()[0]]
    for bad in [{"n": 1}, {"n": 2.5}, {"noise": -1.0}, {"slope": float("nan")}, {"intercept": 10 ** 400}]:
        with pytest.raises(ValueError, match=r"noisy_line\(\): "):
            datasets.noisy_line(**bad)
    with pytest.raises(TypeError, match=r"noisy_line\(\): intercept must be a finite number, got '1' \(str\)"):
        datasets.noisy_line(intercept="1")
