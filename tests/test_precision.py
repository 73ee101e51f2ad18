"""Precision at the edges and errors that name the operation (issue 15, the engine's part).

Every expected number comes from mpmath at 50 digits (derivatives by mpmath.diff of the formula written here)
or from PyTorch float64.
"""

import math

import mpmath
import pytest

from autograd import AutogradError, Value, grad, hessian, ieee_floats, jacobian, linear, zero_grad

mpmath.mp.dps = 50


def rel(a: float, b) -> float:
    b = float(b)
    return abs(a - b) / abs(b) if b else abs(a)


@pytest.mark.parametrize("x", [-40.0, -30.0, -1.0, -1e-10])
def test_elu_derivatives_without_cancellation(x):
    alpha = 1.5
    xv, av = Value(x), Value(alpha)
    got_x, got_alpha = grad(xv.elu(av), [xv, av])
    assert rel(got_x, alpha * mpmath.exp(x)) < 1e-14
    assert rel(got_alpha, mpmath.expm1(x)) < 1e-14


@pytest.mark.parametrize("x", [30.0, 35.0, -30.0, 0.5])
def test_sigmoid_derivative_without_cancellation(x):
    exact = mpmath.diff(lambda t: 1 / (1 + mpmath.exp(-t)), x)
    xv = Value(x)
    assert rel(grad(xv.sigmoid(), xv), exact) < 1e-14


def _silu(x, b):
    return x / (1 + mpmath.exp(-b * x))


@pytest.mark.parametrize("x, b", [(30.0, 1.0), (-30.0, 1.0), (1e9, 1e-8), (-2e9, 3e-9), (0.7, -1.2)])
def test_silu_hessian_with_a_value_beta(x, b):
    h = hessian(lambda xv, bv: xv.silu(bv), [x, b])
    for (i, j), got in zip([(0, 0), (0, 1), (1, 0), (1, 1)], [h[0][0], h[0][1], h[1][0], h[1][1]]):
        exact = mpmath.diff(_silu, (x, b), (int(i == 0) + int(j == 0), int(i == 1) + int(j == 1)))
        assert abs(got - float(exact)) <= 1e-12 * max(1.0, abs(float(exact))), (i, j, got, exact)


@pytest.mark.parametrize("x", [1e200, -1e200, 2e154])
def test_silu_gradient_at_huge_x_is_exact(x):
    xv, bv = Value(x), Value(1.0)
    dx, db = grad(xv.silu(bv), [xv, bv])
    assert (dx, db) == ((1.0, 0.0) if x > 0 else (0.0, 0.0))


def test_negative_powers_at_zero_inside_ieee_floats_match_pytorch():
    torch = pytest.importorskip("torch")
    for exponent in (-1.0, -2.0, -3.0):
        with ieee_floats():
            x = Value(0.0)
            d = grad(x ** exponent, x)
        t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        (t ** exponent).backward()
        assert d == t.grad.item() == -math.inf, exponent


def test_sqrt_of_minus_one_has_a_nan_gradient_inside_ieee_floats():
    with ieee_floats():
        x = Value(-1.0)
        assert math.isnan(grad(x.sqrt(), x))


def test_tiny_constant_base_with_a_value_exponent():
    a, b = Value(1e-300, requires_grad=False), Value(-0.5)
    y = a ** b  # d/da overflows, but a is a constant: never needed
    assert rel(y.data, mpmath.mpf(1e-300) ** -0.5) < 1e-15
    assert rel(grad(y, b), mpmath.mpf(1e-300) ** -0.5 * mpmath.log(1e-300)) < 1e-14
    base = Value(1e-300, label="base")
    with pytest.raises(AutogradError, match=r"\*\*.*base.*inf"):  # where the base needs it, backward says so
        (base ** b).backward()


def test_singular_mixed_second_derivative_of_a_power_raises():
    # d^2(x^b)/dx db = x^(b-1) (1 + b ln x) is unbounded at x = 0, b = 1: no finite answer is right
    with pytest.raises(AutogradError, match="unbounded"):
        hessian(lambda x, b: x ** b, [0.0, 1.0])
    h = hessian(lambda x, b: x ** b, [2.0, 1.5])  # an ordinary point still works
    exact = mpmath.diff(lambda x, b: x ** b, (2.0, 1.5), (1, 1))
    assert rel(h[0][1], exact) < 1e-13 and rel(h[1][0], exact) < 1e-13


# ---------------------------------------------------------------------------------------------------------
# Errors that name the operation, and TypeErrors instead of bare errors from deep inside.

NAMED = [
    ("x ** nan", lambda x: x ** float("nan"), AutogradError, ["**", "nan"]),
    ("silu(nan)", lambda x: x.silu(float("nan")), AutogradError, ["silu", "nan"]),
    ("leaky_relu(inf)", lambda x: x.leaky_relu(float("inf")), AutogradError, ["leaky_relu", "inf"]),
    ("elu('a')", lambda x: x.elu("a"), TypeError, ["elu", "alpha", "'a'"]),
    ("linear([nan], [x])", lambda x: linear([float("nan")], [x]), AutogradError, ["linear", "nan"]),
    ("create_graph through sqrt(0)", lambda x: grad((x - 2.0).sqrt(), x, create_graph=True), AutogradError,
     ["create_graph", "sqrt", "inf"]),
    ("Value(1, parents=x)", lambda x: Value(1.0, parents=x, local_grads=(1.0,)), TypeError, ["parents", "tuple"]),
    ("Value(1, parents=5)", lambda x: Value(1.0, parents=5), TypeError, ["parents", "5"]),
    ("linear(5, [x])", lambda x: linear(5, [x]), TypeError, ["linear", "weights", "5"]),
    ("linear([x], 'ab')", lambda x: linear([x], "ab"), TypeError, ["linear", "inputs", "'ab'"]),
    ("grad(y, 5)", lambda x: grad(x * x, 5), TypeError, ["grad", "inputs", "5"]),
    ("grad(5, x)", lambda x: grad(5, x), TypeError, ["grad", "output", "5"]),
    ("zero_grad(5)", lambda x: zero_grad(5), TypeError, ["zero_grad", "5"]),
    ("zero_grad([1.0])", lambda x: zero_grad([1.0]), TypeError, ["zero_grad", "1.0"]),
    ("Value(1.0, label=5)", lambda x: Value(1.0, label=5), TypeError, ["label", "5"]),
    ("Value(1.0, op=5)", lambda x: Value(1.0, op=5), TypeError, ["op", "5"]),
    ("hessian, f with 1 argument", lambda x: hessian(lambda a: a * a, [1.0, 2.0]), TypeError, ["hessian", "2"]),
    ("hessian, f with 3 arguments", lambda x: hessian(lambda a, b, c: a, [1.0, 2.0]), TypeError, ["hessian"]),
    ("jacobian, f with 1 argument", lambda x: jacobian(lambda a: [a], [1.0, 2.0]), TypeError, ["jacobian", "2"]),
    ("jacobian forward, 1 argument", lambda x: jacobian(lambda a: [a], [1.0, 2.0], mode="forward"), TypeError,
     ["jacobian"]),
]


@pytest.mark.parametrize("call, error_type, fragments", [case[1:] for case in NAMED], ids=[c[0] for c in NAMED])
def test_bad_input_gets_an_error_naming_it(call, error_type, fragments):
    x = Value(2.0, label="x")
    with pytest.raises(error_type) as error:
        call(x)
    for fragment in fragments:
        assert fragment in str(error.value), (fragment, str(error.value))
