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


def assert_close(name: str, printed, expected, tol: float) -> None:
    """Printed numbers (a number or nested lists) agree with the independent values within tol."""
    got, want = np.asarray(printed, dtype=float), np.asarray(expected, dtype=float)
    assert got.shape == want.shape, f"{name}: printed shape {got.shape}, expected {want.shape}"
    worst = float(np.max(np.abs(got - want))) if got.size else 0.0
    assert worst <= tol, f"{name}: printed {printed}, independent {expected} (difference {worst:.3g} > {tol})"


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
    (lambda: smooth_max([1.0], float("inf")), TypeError, "smooth_max(): beta must be a finite number or a Value, "
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
