"""Notebooks 08-11 (the documents' topics not covered by notebooks 01-07) and nn.activations.

Every number a notebook prints is checked here against an independent computation: exact arithmetic
(fractions), mpmath, numpy written independently, PyTorch float64, or the documents' printed numbers. The
notebooks print their numbers as `name = value` lines (a value is a number or a list of numbers); the test reads
the saved outputs, and each notebook's table below must name exactly the printed names, with the independent
value and the tolerance its printed digits allow.
"""

from __future__ import annotations

import ast
import math
import re
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
import torch

from autograd import Value, grad, gradcheck
from nn.activations import acon_a, acon_b, acon_c, smooth_max

nbformat = pytest.importorskip("nbformat")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LINE = re.compile(r"^(?P<name>\S.*) = (?P<value>[-\[\d][^=]*)$")  # the value after the last " = "


def printed_numbers(name: str) -> tuple[dict[str, object], list[str]]:
    """The `name = value` lines a saved notebook printed (stdout), and its stderr texts (warnings)."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    numbers, errors = {}, []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.get("output_type") != "stream":
                continue
            if output.name == "stderr":
                errors.append(output.text)
                continue
            for line in output.text.splitlines():
                if not line.strip():
                    continue
                match = LINE.match(line)
                assert match, f"{name}: a printed line is not 'name = value': {line!r}"
                assert match["name"] not in numbers, f"{name}: {match['name']!r} printed twice"
                numbers[match["name"]] = ast.literal_eval(match["value"])
    return numbers, errors


def assert_close(name: str, printed, expected, tol) -> None:
    """Printed numbers (a number or nested lists) agree with the independent values within tol (a number, or
    one per entry)."""
    got, want = np.asarray(printed, dtype=float), np.asarray(expected, dtype=float)
    assert got.shape == want.shape, f"{name}: printed shape {got.shape}, expected {want.shape}"
    excess = np.abs(got - want) - np.asarray(tol, dtype=float)
    assert np.all(excess <= 0), f"{name}: printed {printed}, independent {expected}, tolerance {tol}"


def check_notebook(name: str, expected: dict[str, tuple[object, float]]) -> dict[str, object]:
    numbers, _ = printed_numbers(name)
    assert sorted(numbers) == sorted(expected), (
        f"{name}: printed but not checked: {sorted(set(numbers) - set(expected))}; "
        f"checked but not printed: {sorted(set(expected) - set(numbers))}")
    for key, (value, tol) in expected.items():
        assert_close(key, numbers[key], value, tol)
    return numbers


# ------------------------------------------------------------------------------------------------------
# nn.activations against closed forms (mpmath), PyTorch float64 and finite differences

mpmath.mp.dps = 40


def _mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp_acon_c(x, a1, a2, beta):  # the lecture's closed form (a1 - a2) x sigma(beta (a1 - a2) x) + a2 x
    d = a1 - a2
    return d * x * _mp_sigmoid(beta * d * x) + a2 * x


def _mp_acon_c_slope(x, a1, a2, beta):
    return mpmath.diff(lambda t: _mp_acon_c(t, a1, a2, beta), x)


def _torch_acon_c(x, a1, a2, beta):
    t = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x, a1, a2, beta)]
    d = t[1] - t[2]
    y = d * t[0] * torch.sigmoid(t[3] * d * t[0]) + t[2] * t[0]
    return y.item(), [g.item() for g in torch.autograd.grad(y, t)]


POINTS = [-50.0, -7.0, -1.3, -0.2, 0.0, 0.4, 2.5, 9.0, 60.0]
SETTINGS = [(1.0, 0.25, 1.0), (1.2, -0.3, 3.0), (0.25, 1.0, 1.0), (1.0, 0.25, -2.0), (0.7, 0.7, 1.0),
            (1.0, 0.0, 0.0)]


@pytest.mark.parametrize("a1, a2, beta", SETTINGS)
def test_acon_c_value_and_all_four_gradients_against_pytorch(a1, a2, beta):
    for x0 in POINTS:
        x, p1, p2, b = Value(x0), Value(a1), Value(a2), Value(beta)
        y = acon_c(x, p1, p2, b)
        value, gradients = _torch_acon_c(x0, a1, a2, beta)
        assert y.data == pytest.approx(value, rel=1e-13, abs=1e-13)
        assert grad(y, [x, p1, p2, b]) == pytest.approx(gradients, rel=1e-11, abs=1e-12)


@pytest.mark.parametrize("a, beta", [(0.25, 1.0), (0.01, 5.0), (-0.5, 0.3), (0.25, 0.0)])
def test_acon_b_is_acon_c_with_a1_one_and_against_mpmath(a, beta):
    for x0 in POINTS:
        x = Value(x0)
        y = acon_b(x, a, beta)
        assert y.data == pytest.approx(float(_mp_acon_c(x0, 1, a, beta)), rel=1e-13, abs=1e-13)
        assert grad(y, x) == pytest.approx(float(_mp_acon_c_slope(x0, 1, a, beta)), rel=1e-11, abs=1e-12)


@pytest.mark.parametrize("beta", [0.0, 0.1, 1.0, 2.0, 10.0, -1.5])
def test_acon_a_is_swish_the_engines_silu_and_torchs(beta):
    for x0 in POINTS:
        x = Value(x0)
        y = acon_a(x, beta)
        t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        ty = t * torch.sigmoid(beta * t)
        (tg,) = torch.autograd.grad(ty, t)
        assert y.data == pytest.approx(ty.item(), rel=1e-13, abs=1e-13)
        assert grad(y, x) == pytest.approx(tg.item(), rel=1e-11, abs=1e-12)
        z = Value(x0)
        assert grad(y, x) == pytest.approx(grad(z.silu(beta), z), rel=1e-11, abs=1e-12)
    if beta == 1.0:
        t = torch.tensor(POINTS, dtype=torch.float64)
        assert [acon_a(x0).data for x0 in POINTS] == pytest.approx(torch.nn.functional.silu(t).tolist(), rel=1e-13,
                                                                   abs=1e-13)


def test_smooth_max_of_many_values_against_mpmath_and_its_limits():
    xs = [0.3, -1.2, 2.0, 1.9, 0.0]
    for beta in [-30.0, -1.0, 0.0, 0.5, 1.0, 4.0, 300.0]:
        weights = [mpmath.exp(beta * mpmath.mpf(x)) for x in xs]
        exact = sum(mpmath.mpf(x) * w for x, w in zip(xs, weights)) / sum(weights)
        values = [Value(x) for x in xs]
        s = smooth_max(values, beta)
        assert s.data == pytest.approx(float(exact), rel=1e-13, abs=1e-14)
        # dS/dx_i = w_i (1 + beta (x_i - S)) / sum w, differentiated by hand
        by_hand = [float(w * (1 + beta * (mpmath.mpf(x) - exact)) / sum(weights)) for x, w in zip(xs, weights)]
        assert grad(s, values) == pytest.approx(by_hand, rel=1e-11, abs=1e-13)
    assert smooth_max(xs, 0.0).data == pytest.approx(sum(xs) / len(xs), rel=1e-15)
    assert smooth_max(xs, 1e4).data == pytest.approx(max(xs), abs=1e-12)
    assert smooth_max(xs, -1e4).data == pytest.approx(min(xs), abs=1e-12)
    assert smooth_max([1e300, -1e300], 1.0).data == 1e300  # the shift: no overflow


def test_activations_pass_gradcheck_with_learnt_parameters():
    for x0 in [-3.0, -0.4, 0.0, 0.8, 3.5]:
        assert gradcheck(lambda x, a1, a2, b: acon_c(x, a1, a2, b), [x0, 1.1, 0.2, 1.7])
        assert gradcheck(lambda x, a, b: acon_b(x, a, b), [x0, 0.3, 2.0])
        assert gradcheck(lambda x, b: acon_a(x, b), [x0, 0.9])
        assert gradcheck(lambda x, y, z, b: smooth_max([x, y, z], b), [x0, 0.5, -1.0, 1.3])


def test_the_lectures_limits_of_acon_c_hold_only_when_beta_times_a1_minus_a2_is_positive():
    def slope(x0, a1, a2, beta):
        x = Value(x0)
        return grad(acon_c(x, a1, a2, beta), x)
    assert (slope(-60.0, 1.0, 0.25, 1.0), slope(60.0, 1.0, 0.25, 1.0)) == pytest.approx((0.25, 1.0), abs=1e-12)
    assert (slope(-60.0, 0.25, 1.0, 1.0), slope(60.0, 0.25, 1.0, 1.0)) == pytest.approx((0.25, 1.0), abs=1e-12)
    assert (slope(-60.0, 1.0, 0.25, -1.0), slope(60.0, 1.0, 0.25, -1.0)) == pytest.approx((1.0, 0.25), abs=1e-12)


@pytest.mark.parametrize("call, error, message", [
    (lambda: smooth_max([], 1.0), ValueError, "smooth_max(): values must be a non-empty list"),
    (lambda: smooth_max(3.0, 1.0), ValueError, "smooth_max(): values must be a non-empty list of numbers or "
                                                "Values, got 3.0"),
    (lambda: smooth_max([1.0, "a"], 1.0), TypeError, "smooth_max(): values[1] must be a finite number or a "
                                                      "Value, got 'a'"),
    (lambda: smooth_max([1.0], float("inf")), ValueError, "smooth_max(): beta must be a finite number or a Value, "
                                                           "got inf"),
    (lambda: acon_a(None), TypeError, "acon_a(): x must be a finite number or a Value, got None"),
    (lambda: acon_b(1.0, "0.25"), TypeError, "acon_b(): a must be a finite number or a Value, got '0.25'"),
    (lambda: acon_c(1.0, 1.0, True), TypeError, "acon_c(): a2 must be a finite number or a Value, got True"),
])
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


# ------------------------------------------------------------------------------------------------------
# Notebook 10: Swish with beta, S_beta, ACON

def _mp_swish(beta):
    return lambda x: x * _mp_sigmoid(beta * x)


def test_notebook_10_numbers():
    w = mpmath.lambertw(1 / mpmath.e).real  # the dip of x sigma(x) is at x = -1 - W(1/e), of depth W(1/e)
    x_peak = mpmath.findroot(lambda x: mpmath.diff(_mp_swish(1), x, 2), 2.4)
    expected = {
        "swish'(0) for beta = 0.1, 1, 2, 10": ([0.5] * 4, 1e-12),
        "x_min (beta = 1)": (float(-1 - w), 6e-13),
        "swish min (beta = 1)": (float(-w), 6e-13),
        "x of the largest slope (beta = 1)": (float(x_peak), 6e-13),
        "largest slope of swish (beta = 1)": (float(mpmath.diff(_mp_swish(1), x_peak)), 6e-13),
        "x_min (beta = 2)": (float((-1 - w) / 2), 6e-13),
        "swish min (beta = 2)": (float(-w / 2), 6e-13),
        "acon_a(1.5, beta = 2)": (float(_mp_swish(2)(mpmath.mpf(1.5))), 6e-13),
        "silu(1.5, beta = 2)": (float(_mp_swish(2)(mpmath.mpf(1.5))), 6e-13),
        "ACON-C(1.5; a1 = 1, a2 = 0.25, beta = 2)": (float(_mp_acon_c(mpmath.mpf(1.5), 1, 0.25, 2)), 6e-13),
        "[df/dx, df/da1, df/da2, df/dbeta]": (_torch_acon_c(1.5, 1.0, 0.25, 2.0)[1], 6e-13),
    }
    for beta in [-10, 0, 1, 10, 1000]:
        weights = [mpmath.exp(beta * x) for x in (1, 2, 3)]
        exact = sum(x * w for x, w in zip((1, 2, 3), weights)) / sum(weights)
        expected[f"S_beta(1, 2, 3), beta = {beta}"] = (float(exact), 6e-11)
    for beta in [1, 10, 100]:
        expected[f"acon_b(-2, a = 0.25, beta = {beta})"] = (float(_mp_acon_c(-2, 1, mpmath.mpf(0.25), beta)), 6e-11)
    for a1, a2, beta in [(1, 0.25, 1), (1, 0.25, 5), (1.2, -0.3, 1), (0.25, 1, 1), (1, 0.25, -1)]:
        slopes = [float(_mp_acon_c_slope(mpmath.mpf(x), mpmath.mpf(a1), mpmath.mpf(a2), beta)) for x in (-40, 0, 40)]
        expected[f"f'(-40), f'(0), f'(40) for a1 = {a1:g}, a2 = {a2:g}, beta = {beta:g}"] = (slopes, 6e-11)
    check_notebook("10_acon_swish.ipynb", expected)
    # the numbers in its text
    assert (round(float(-1 - w), 4), round(float(w), 4), round(float(mpmath.diff(_mp_swish(1), x_peak)), 4)) == (
        -1.2785, 0.2785, 1.0998)
    assert printed_numbers("10_acon_swish.ipynb")[1] == []  # no warnings


# ------------------------------------------------------------------------------------------------------
# Notebook 11: the perceptron, logistic regression, network paralysis, learning rates

def _perceptron(inputs, targets, epochs):
    """Rosenblatt's rule in plain Python: w <- w + t x (bias input 1) for each example with t w.x <= 0."""
    w = [0] * (len(inputs[0]) + 1)
    mistakes = []
    for _ in range(epochs):
        wrong = 0
        for x, t in zip(inputs, targets):
            x1 = list(x) + [1]
            if t * sum(a * b for a, b in zip(w, x1)) <= 0:
                wrong += 1
                w = [a + t * b for a, b in zip(w, x1)]
        mistakes.append(wrong)
    return w, mistakes


def _first_stall(history, window=20, rtol=1e-4):
    """The epoch at which train's documented rule first fires through its 'hardly fell' branch (checked every
    `window` epochs: the loss moved by at most rtol relative over the last `window` epochs and is still at least
    half of epoch 1's), or None."""
    for n in range(window, len(history) + 1, window):
        recent, last = history[n - window:n], history[n - 1]
        if max(recent) - min(recent) <= rtol * abs(last) and last >= 0.5 * history[0]:
            return n
    return None


def _stall_numbers(text):
    match = re.search(r"stopped moving: (\S+) in epoch (\d+), .*\(epoch 1: (\S+)\)", text)
    return float(match[1]), int(match[2]), float(match[3])


def _line_reference(inputs, targets, w, b, rates):
    """Online gradient descent on 1/2 (w x + b - t)^2 in plain Python, one rate per epoch."""
    for eta in rates:
        for (x,), (t,) in zip(inputs, targets):
            r = w * x + b - t
            w, b = w - eta * r * x, b - eta * r
    return w, b


def test_notebook_11_numbers():
    from nn import MLP, datasets
    from torch_reference import forward, torch_parameters, train_reference

    numbers, warnings_text = printed_numbers("11_perceptron_logistic_paralysis.ipynb")
    expected = {}
    # 1. the perceptron
    inputs, targets = datasets.three_inputs_table()
    w, mistakes = _perceptron([[int(v) for v in x] for x in inputs], [int(t[0]) for t in targets], 8)
    expected["mistakes per epoch, 3-input table"] = (mistakes, 0)
    expected["perceptron weights (w1, w2, w3, bias)"] = (w, 0)
    expected["signs of w x + b on the table"] = ([1 if np.dot(w[:3], x) + w[3] > 0 else -1 for x in inputs], 0)
    expected["targets"] = ([t[0] for t in targets], 0)
    xor_inputs, xor_targets = datasets.xor()
    expected["mistakes per epoch, XOR"] = (_perceptron(xor_inputs, [2 * t[0] - 1 for t in xor_targets], 12)[1], 0)
    assert mistakes[-1] == 0 and min(expected["mistakes per epoch, XOR"][0]) > 0
    # 2. logistic regression, against PyTorch float64
    moons, labels = datasets.two_moons(n=100, noise=0.1, seed=0)
    zero_one = [[(y[0] + 1) / 2] for y in labels]
    neuron = MLP(2, [1], output_activation="sigmoid", seed=0)
    (weight,), (bias,) = torch_parameters(neuron)
    loss = torch.nn.functional.binary_cross_entropy(
        torch.sigmoid(torch.tensor(moons, dtype=torch.float64) @ weight.T + bias)[:, 0],
        torch.tensor([t[0] for t in zero_one], dtype=torch.float64))
    gradient = torch.autograd.grad(loss, [weight, bias])
    expected["E at the initial weights"] = (loss.item(), 6e-11)
    expected["dE/d(w1, w2, b) at the initial weights"] = (gradient[0][0].tolist() + gradient[1].tolist(), 6e-11)
    history, outputs, (ws, bs) = train_reference(neuron, moons, zero_one, lr=1.0, epochs=300, loss="bce",
                                                 batch_size=100)
    expected["E after 300 steps"] = (history[-1], 6e-11)
    expected["learnt (w1, w2, b)"] = (ws[0][0].tolist() + bs[0].tolist(), 6e-9)
    expected["training accuracy"] = (np.mean([(o[0] > 0.5) == (t[0] == 1) for o, t in zip(outputs, zero_one)]), 0)
    # 3. paralysis: online binary cross-entropy on XOR
    stuck = {}
    for lr in [0.5, 0.1]:
        for seed in range(4):
            model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=seed)
            history, outputs, (ws, bs) = train_reference(model, xor_inputs, xor_targets, lr=lr, epochs=300)
            expected[f"outputs after 300 epochs, lr = {lr}, seed {seed}"] = ([o[0] for o in outputs], 5e-5)
            stuck[lr, seed] = max(o[0] for o in outputs) - min(o[0] for o in outputs) < 1e-3
            assert stuck[lr, seed] == (_first_stall(history) is not None)
            if (lr, seed) == (0.5, 0):
                parameters = torch.cat([ws[0].flatten(), bs[0], ws[1].flatten()])
                expected["largest |weight| at seed 0 (all but the output bias)"] = (
                    parameters.abs().max().item(), 5e-9)
                expected["output bias at seed 0"] = (bs[1].item(), 5e-7)
                value, epoch, first = _stall_numbers(warnings_text[0])
                assert epoch == _first_stall(history) == 120
                assert value == pytest.approx(history[epoch - 1], rel=1e-5)
                assert first == pytest.approx(history[0], rel=1e-5)
                assert [round(o[0], 3) for o in outputs] == [0.496] * 4  # the 0.496 for every input
    expected["seeds that warned at lr = 0.5"] = ([s for s in range(4) if stuck[0.5, s]], 0)
    expected["seeds that warned at lr = 0.1"] = ([s for s in range(4) if stuck[0.1, s]], 0)
    assert "network paralysis" not in warnings_text[0] and "local minim" in warnings_text[0]
    # the saturated network: 2-4-1 sigmoid, initial weights x 100
    big = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    for p in big.parameters():
        p.data *= 100
    history, _, (ws, bs) = train_reference(big, xor_inputs, xor_targets, lr=1.0, epochs=100, loss="mse",
                                           hidden="sigmoid")
    value, epoch, first = _stall_numbers(warnings_text[1])
    assert epoch == _first_stall(history) == 20
    assert (value, first) == pytest.approx((history[epoch - 1], history[0]), rel=1e-5)
    with torch.no_grad():  # the units on the last example, (1, 1), after training
        hidden = torch.sigmoid(ws[0] @ torch.tensor([1.0, 1.0], dtype=torch.float64) + bs[0])
        out = forward(ws, bs, [1.0, 1.0], hidden="sigmoid")
    slopes = torch.cat([hidden * (1 - hidden), out * (1 - out)]) / 0.25
    assert f"{int((slopes < 0.01).sum())} of the 5 tanh and sigmoid units" in warnings_text[1]
    assert "network paralysis" in warnings_text[1] and len(warnings_text) == 2
    # 4. learning rates: w <- (1 - 2 eta) w on E = w^2, exactly
    for eta in ["0.02", "0.3", "0.9", "1.05"]:
        expected[f"w after 20 steps, eta = {eta}"] = (float((1 - 2 * Fraction(eta)) ** 20), 1e-9 * 7)
    for lr, warned in [(0.05, 0), (1.0, 0), (20.0, 1)]:
        model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=1)
        history, outputs, _ = train_reference(model, xor_inputs, xor_targets, lr=lr, epochs=300, loss="mse")
        expected[f"loss epoch 1, epoch 300, lr = {lr}"] = ([history[0], history[-1]], 5e-7)
        expected[f"outputs, lr = {lr}"] = ([o[0] for o in outputs], 5e-5)
        expected[f"warnings, lr = {lr}"] = (int(_first_stall(history) is not None), 0)
        assert expected[f"warnings, lr = {lr}"][0] == warned
    line_inputs, line_targets = datasets.noisy_line()
    design = np.c_[np.array(line_inputs), np.ones(len(line_inputs))]
    best = np.linalg.solve(design.T @ design, design.T @ np.array(line_targets)[:, 0])  # the normal equations
    expected["least-squares (w, b)"] = (best.tolist(), 6e-11)
    line = MLP(1, [1], seed=0)
    w0, b0 = line.parameters()[0].data, line.parameters()[1].data
    for name, rates in [("constant", [0.3] * 40), ("decreasing", [0.3 / (1 + k / 2) for k in range(40)])]:
        w, b = _line_reference(line_inputs, line_targets, w0, b0, rates)
        expected[f"distance to least squares after 40 epochs, {name} rate"] = (math.hypot(w - best[0], b - best[1]),
                                                                              6e-9)
    check_notebook("11_perceptron_logistic_paralysis.ipynb", expected)
    assert len(printed_numbers("11_perceptron_logistic_paralysis.ipynb")[1]) == 2  # the two warnings above


# ------------------------------------------------------------------------------------------------------
# Notebook 09: the compilation's small examples

def _descend_exactly(start, samples, eta, steps):
    """Gradient descent on sum (t - x1 w1 - x2 w2)^2 in exact fractions."""
    w1, w2 = Fraction(start[0]), Fraction(start[1])
    eta = Fraction(eta)
    for _ in range(steps):
        g1 = sum(-2 * (Fraction(t) - x1 * w1 - x2 * w2) * x1 for x1, x2, t in samples)
        g2 = sum(-2 * (Fraction(t) - x1 * w1 - x2 * w2) * x2 for x1, x2, t in samples)
        w1, w2 = w1 - eta * g1, w2 - eta * g2
    return [float(w1), float(w2)]


def test_notebook_09_numbers():
    import random

    from nn import MLP, datasets
    from torch_reference import train_reference

    expected = {}
    # 1. error functions, exactly (file 002, lines 144-150: -0.4, 0.4, sum 0)
    o, t = [Fraction("0.9"), Fraction("0.2")], [Fraction("0.5"), Fraction("0.6")]
    e = [tk - ok for ok, tk in zip(o, t)]
    assert e == [Fraction("-0.4"), Fraction("0.4")] and sum(e) == 0
    expected["E_k = O_correct - O_net"] = ([float(v) for v in e], 1e-12)
    expected["E summed over the neurons, difference"] = (0.0, 1e-12)
    expected["dE/dO_net, difference"] = ([-1, -1], 0)
    expected["E summed over the neurons, absolute value"] = (float(sum(abs(v) for v in e)), 1e-12)
    expected["dE/dO_net, absolute value"] = ([1 if ok > tk else -1 for ok, tk in zip(o, t)], 0)
    expected["E summed over the neurons, square"] = (float(sum(v * v for v in e)), 1e-12)
    expected["dE/dO_net, square"] = ([float(-2 * v) for v in e], 1e-12)
    # 2. the linear neuron on (1, 1, 0): E = (w1 + w2)^2
    expected["E at (0.7, -0.2)"] = (float((Fraction("0.7") + Fraction("-0.2")) ** 2), 6e-13)
    expected["dE/d(w1, w2) at (0.7, -0.2)"] = ([float(2 * (Fraction("0.7") - Fraction("0.2")))] * 2, 1e-12)
    for start in [("0.7", "-0.2"), ("-1.0", "0.6"), ("0.2", "1.2")]:
        name = f"({float(start[0])}, {float(start[1])})"
        end = _descend_exactly(start, [(1, 1, 0)], "0.1", 30)
        d = (Fraction(start[0]) - Fraction(start[1])) / 2
        assert end == pytest.approx([float(d), float(-d)], abs=1e-6)  # the valley point ((w1-w2)/2, -(w1-w2)/2)
        expected[f"end point from {name}"] = (end, 5e-7)
        expected[f"end point with two samples from {name}"] = (
            _descend_exactly(start, [(1, 1, 0), (1, 0, 1)], "0.1", 150), 5e-5)
    # 3. one-hot: -ln 0.7, gradients p - t and -t/p, squared error 0.14
    expected["cross-entropy -ln 0.7"] = (float(-mpmath.log(mpmath.mpf("0.7"))), 6e-13)
    expected["softmax(ln p)"] = ([0.1, 0.7, 0.2], 1e-12)
    expected["dCE/dz"] = ([0.1, -0.3, 0.2], 1e-12)
    expected["dCE/dp"] = ([0.0, float(-1 / Fraction("0.7")), 0.0], 6e-13)
    expected["squared error for comparison"] = (float(Fraction("0.01") + Fraction("0.09") + Fraction("0.04")), 6e-13)
    # 4. the 3-input table with tanh, against PyTorch float64 (the same initial weights, the same visiting order)
    inputs, targets = datasets.three_inputs_table()
    rng = random.Random(0)
    W = [[[rng.uniform(-0.5, 0.5) for _ in range(3)] for _ in range(2)], [[rng.uniform(-0.5, 0.5) for _ in range(2)]]]
    B = [[rng.uniform(-0.5, 0.5) for _ in range(2)], [rng.uniform(-0.5, 0.5)]]
    for name, biases in [("without biases", None), ("with biases", B)]:
        model = MLP.from_weights(W, biases, activation="tanh")
        _, outputs, _ = train_reference(model, inputs, targets, lr=0.1, epochs=300, loss="mse", output="tanh",
                                        shuffle_seed=0)
        outputs = [v[0] for v in outputs]
        expected[f"outputs after 300 epochs, {name}"] = (outputs, 5e-4)
        expected[f"signs right, {name}"] = (sum((v > 0) == (tk[0] > 0) for v, tk in zip(outputs, targets)), 0)
        if biases is None:  # odd: the outputs at (-1, -1, -1) and (1, 1, 1) have opposite signs
            assert outputs[0] == pytest.approx(-outputs[7], abs=1e-12)
    expected["targets"] = ([tk[0] for tk in targets], 0)
    # 5. the sum of two inputs: the Hessian (1/M) sum x x^T exactly, eigenvalues by numpy, gradient descent by numpy
    xs, ts = datasets.sum_of_two_inputs()
    rows = [[Fraction(x1), Fraction(x2), Fraction(1)] for x1, x2 in xs]
    hessian = [[sum(r[i] * r[j] for r in rows) / len(rows) for j in range(3)] for i in range(3)]
    eigenvalues = np.linalg.eigvalsh(np.array(hessian, dtype=float))
    critical = 2 / eigenvalues[-1]
    expected["Hessian of E"] = ([[float(v) for v in row] for row in hessian], 0)
    expected["its eigenvalues"] = (eigenvalues.tolist(), 5e-6 * eigenvalues)
    expected["critical learning rate 2 / lambda_max"] = (critical, 5e-6 * critical)
    X = np.c_[np.array(xs), np.ones(4)]
    t = np.array(ts)[:, 0]
    start = MLP(2, [1], seed=0).parameters()
    for factor in [0.9, 1.1]:
        w = np.array([p.data for p in start])
        history = []
        for _ in range(40):
            r = X @ w - t
            history.append(float(np.mean(0.5 * r * r)))
            w = w - factor * critical * (X.T @ r) / len(t)
        losses = np.array([history[k] for k in (0, 9, 39)])
        expected[f"loss after epochs 1, 10, 40 at {factor} x critical"] = (losses.tolist(), 5e-6 * losses)
        expected[f"weights after 40 epochs at {factor} x critical"] = (w.tolist(), 5e-7)
    numbers = check_notebook("09_small_examples_002.ipynb", expected)
    assert printed_numbers("09_small_examples_002.ipynb")[1] == []
    # the numbers in its text
    assert (eigenvalues[-1] / eigenvalues[0] > 5e6, 0.9 * critical * eigenvalues[0] < 4e-7) == (True, True)
    assert numbers["weights after 40 epochs at 0.9 x critical"] == pytest.approx([0.94, 1.04, -0.11], abs=0.005)


# ------------------------------------------------------------------------------------------------------
# Notebook 08: matrices in row convention, Algorithms 1 and 2, the ReLU layer

def test_notebook_08_numbers():
    expected = {}
    # 1. Y = X W with L = 1/2 sum Y^2: integers, exactly
    X, W = np.array([[1, 2, -1], [0, 3, 2]]), np.array([[2, -1], [1, 0], [-2, 1]])
    Y = X @ W
    expected["Y = X W"] = (Y.tolist(), 0)
    expected["dL/dX (engine)"] = ((Y @ W.T).tolist(), 0)
    expected["dL/dW (engine)"] = ((X.T @ Y).tolist(), 0)
    # the elementwise and softmax rules, by PyTorch's autograd
    Xt = torch.tensor(X * 0.25, dtype=torch.float64)
    Wt = torch.tensor(W * 0.5, dtype=torch.float64)
    Z = (Xt @ Wt).requires_grad_()
    C = torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=torch.float64)
    (dZ,) = torch.autograd.grad((C * torch.sigmoid(Z)).sum(), Z)
    expected["dL/d(XW) = sigma'(XW) * C"] = (dZ.tolist(), 6e-11)
    Zs = torch.tensor([[0.2, -1.0, 0.5], [1.5, 0.3, -0.4]], dtype=torch.float64, requires_grad=True)
    C3 = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]], dtype=torch.float64)
    (dZs,) = torch.autograd.grad((C3 * torch.softmax(Zs, dim=1)).sum(), Zs)
    expected["dL/dZ through the row-wise softmax"] = (dZs.tolist(), 6e-11)
    # 2. the two-layer network and its log-likelihood
    X0 = torch.tensor([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [1.0, 1.0]], dtype=torch.float64)
    W1 = torch.tensor([[0.4, -0.6, 0.1], [0.3, 0.2, -0.5]], dtype=torch.float64, requires_grad=True)
    W2 = torch.tensor([[0.7], [-1.2], [0.5]], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([[1.0], [0.0], [1.0], [0.0]], dtype=torch.float64)
    X3 = torch.sigmoid(X0 @ W1) @ W2
    X3.retain_grad()
    y_hat = torch.sigmoid(X3)
    log_likelihood = (y * torch.log(y_hat) + (1 - y) * torch.log(1 - y_hat)).sum()
    log_likelihood.backward()
    expected["log-likelihood l"] = (log_likelihood.item(), 6e-13)
    expected["dl/dX3 = y - sigma(X3)"] = (X3.grad.tolist(), 6e-11)
    expected["dl/dW2"] = (W2.grad.tolist(), 6e-11)
    expected["dl/dW1"] = (W1.grad.tolist(), 6e-11)
    # 3. figure (d): J = (x.w - y)^2 + lambda sum w^2, every intermediate's gradient by PyTorch
    w = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    nodes = {}
    nodes["y_hat"] = torch.tensor([1.0, 2.0], dtype=torch.float64) @ w
    nodes["r = y_hat - y"] = nodes["y_hat"] - 1.0
    nodes["r^2"] = nodes["r = y_hat - y"] ** 2
    nodes["w1^2"] = w[0] * w[0]
    nodes["w2^2"] = w[1] * w[1]
    nodes["sum w^2"] = nodes["w1^2"] + nodes["w2^2"]
    nodes["lambda sum w^2"] = 0.1 * nodes["sum w^2"]
    nodes["J"] = nodes["r^2"] + nodes["lambda sum w^2"]
    for node in nodes.values():
        node.retain_grad()
    nodes["J"].backward()
    expected["J"] = (nodes["J"].item(), 6e-13)
    for name, node in nodes.items():
        expected[f"grad_table[{name}]"] = (node.grad.item(), 6e-13)
    expected["grad_table[w1]"] = (w.grad[0].item(), 6e-13)
    expected["grad_table[w2]"] = (w.grad[1].item(), 6e-13)
    # counted by hand: w1, w2, y_hat, r, r^2, w1^2, w2^2, sum, lambda*sum, J; the edges into nodes that need a
    # gradient: y_hat 2 (w1, w2), r 1, r^2 1, w1*w1 2, w2*w2 2, sum 2, lambda*sum 1, J 2
    expected["nodes n"] = (10, 0)
    expected["inputs n_i"] = (2, 0)
    expected["edges in the graph = multiply-adds of Algorithm 2"] = (2 + 1 + 1 + 2 + 2 + 2 + 1 + 2, 0)
    # 4. f(x, y) = x^2 + xy + (x + y)^2 + sin(y) e^y; nodes x, y, x^2, xy, x+y, (x+y)^2, sin y, e^y, sin y e^y and
    # three sums; with y a constant, sin y, e^y and their product drop out (and y itself)
    expected["nodes in the backward walk, both inputs"] = (12, 0)
    expected["edges in the backward walk, both inputs"] = (1 + 2 + 2 + 1 + 1 + 1 + 2 + 2 + 2 + 2, 0)
    expected["nodes in the backward walk, x only"] = (8, 0)
    expected["edges in the backward walk, x only"] = (1 + 1 + 1 + 1 + 2 + 2 + 1, 0)
    x0, y0 = 2.0, 3.0
    dfdx = 2 * x0 + y0 + 2 * (x0 + y0)
    dfdy = x0 + 2 * (x0 + y0) + math.exp(y0) * (math.cos(y0) + math.sin(y0))
    expected["df/dx, df/dy"] = ([dfdx, dfdy], 1e-12)
    expected["df/dx with y a constant"] = (dfdx, 0)
    # 5. the ReLU layer: integers, exactly
    Xr, Wr, br = np.array([[1, -2], [3, 1], [0, 2]]), np.array([[1, -1], [2, 1]]), np.array([-1, 2])
    Cr = np.array([[1, 2], [-1, 1], [3, -2]])
    U = Xr @ Wr + br
    M = U > 0
    expected["XW + b"] = (U.tolist(), 0)
    expected["H = max(0, XW + b)"] = (np.maximum(U, 0).tolist(), 0)
    expected["dL/dW, ReLU layer (engine)"] = ((Xr.T @ (Cr * M)).tolist(), 0)
    expected["dL/db, ReLU layer (engine)"] = ((Cr * M).sum(axis=0).tolist(), 0)
    expected["dL/dX, ReLU layer (engine)"] = (((Cr * M) @ Wr.T).tolist(), 0)
    check_notebook("08_matrices_grad_table.ipynb", expected)
    assert printed_numbers("08_matrices_grad_table.ipynb")[1] == []
