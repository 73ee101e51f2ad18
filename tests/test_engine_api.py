"""PyTorch users' habits (issue 20): item, detach, requires_grad_, register_hook, no_grad, identity equality,
comparisons on .data with the compiled steps' hook, docstrings with formulas, and float() noticed in anomaly mode.

Expected numbers come from calculus by hand (derivatives of polynomials and tanh written out here).
"""

import math
import threading
import warnings

import pytest

import autograd
from autograd import AutogradError, Value, grad, linear, no_grad
from autograd import _ops, engine
from autograd.anomaly import AnomalyWarning, detect_anomaly
from autograd.forward import Dual


def test_item_is_the_float():
    x = Value(2.5)
    assert x.item() == 2.5 and type(x.item()) is float


def test_detach_is_a_constant_with_the_same_data_outside_the_graph():
    x = Value(3.0, label="x")
    c = (x * x).detach()
    assert (c.data, c.requires_grad, c.parents, c.op) == (9.0, False, (), "")
    y = c * x  # d/dx of (constant 9) * x is 9, not d(x^3)/dx = 27
    assert grad(y, x) == 9.0


def test_requires_grad_flag_on_leaves():
    x, w = Value(2.0), Value(5.0)
    assert w.requires_grad_(False) is w and not w.requires_grad
    y = x * w
    y.backward()
    assert (x.grad, w.grad) == (5.0, 0.0)
    w.requires_grad_(True)
    assert grad(x * w, w) == 2.0
    with pytest.raises(AutogradError, match="only a leaf"):
        y.requires_grad_(False)
    with pytest.raises(TypeError, match="requires_grad_"):
        x.requires_grad_("yes")


def test_hook_sees_the_complete_gradient_and_may_replace_it():
    x = Value(0.5, label="x")
    u = x * x  # used twice below: the hook sees the sum over both uses
    seen = []
    handle = u.register_hook(lambda g: seen.append(g))
    y = u.tanh() + 3.0 * u
    y.backward()
    du = (1 - math.tanh(0.25) ** 2) + 3.0
    assert seen == [pytest.approx(du, rel=1e-15)] and u.grad == pytest.approx(du, rel=1e-15)
    assert x.grad == pytest.approx(du * 2 * 0.5, rel=1e-15)
    handle.remove()
    u.register_hook(lambda g: 2.0 * g)  # doubles what flows to x, and what is stored in u.grad
    assert grad(y, x) == pytest.approx(2 * du * 2 * 0.5, rel=1e-15)
    x.grad = 0.0
    y.backward()
    assert u.grad == pytest.approx(2 * du, rel=1e-15) and x.grad == pytest.approx(2 * du, rel=1e-15)


def test_hook_on_a_leaf_replaces_what_is_accumulated_and_sees_values_with_create_graph():
    x = Value(3.0)
    x.register_hook(lambda g: g + 1.0)
    (x * x).backward()
    assert x.grad == 7.0  # 2x + 1
    kinds = []
    y = Value(2.0)
    y.register_hook(lambda g: kinds.append(type(g)))
    (dy,) = [grad(y ** 3, [y], create_graph=True)[0]]
    assert kinds == [Value] and grad(dy, y) == 12.0  # d/dy 3y^2 = 6y


def test_hook_errors():
    x = Value(1.0)
    with pytest.raises(TypeError, match="callable"):
        x.register_hook(5)
    x.register_hook(lambda g: "abc")
    with pytest.raises(TypeError, match="register_hook"):
        (x * 2.0).backward()


def test_no_grad_builds_constants_and_computes_no_local_derivatives(monkeypatch):
    calls = []
    rule = _ops.MUL.derivative
    monkeypatch.setattr(_ops.MUL, "derivative", lambda *args: calls.append(1) or rule(*args))
    x, w = Value(2.0), Value(-3.0)
    y = x * w
    assert y.parents == (x, w) and y.local_grads == (-3.0, 2.0)
    with no_grad():  # every operation takes the general path (which reads the patched rule) and skips the rule
        z = x * w + 1.0
        t = linear([w], [x]).tanh()
        with no_grad():  # nested
            n = x * x
    assert calls == []  # no local derivative computed: the cheaper part PyTorch's no_grad saves too
    for node in (z, t, n):
        assert not node.requires_grad and node.parents == () and node.local_grads == ()
    assert z.data == -5.0 and t.data == math.tanh(-6.0)
    assert (x * w).requires_grad  # on again after the block


def test_no_grad_ends_after_an_error_and_is_per_thread():
    x = Value(2.0)
    with pytest.raises(AutogradError):
        with no_grad():
            x.log() * Value(0.0).log()
    assert (x * x).requires_grad
    results = {}
    inside, done = threading.Event(), threading.Event()

    def other_thread():
        inside.wait()
        results["other"] = (x * x).requires_grad
        done.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with no_grad():
        inside.set()
        done.wait()
        results["here"] = (x * x).requires_grad
    thread.join()
    assert results == {"other": True, "here": False}


def test_equality_is_identity_and_comparisons_use_data():
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a and len({a, b}) == 2
    assert a <= b and a >= b and not a < b and b > 0.5 and 2 > a
    assert isinstance(a < 2, bool)


def test_compare_hook_sees_every_comparison(monkeypatch):
    seen = []
    monkeypatch.setattr(engine, "_compare_hook", lambda self, other, op, result: seen.append((self, other, op, result)))
    a, b = Value(1.0), Value(2.0)
    assert (a < b, a <= 1.0, a > b, b >= a) == (True, True, False, True)
    assert seen == [(a, b, "<", True), (a, 1.0, "<=", True), (a, b, ">", False), (b, a, ">=", True)]
    assert (3.0 < a) is False and seen[-1] == (a, 3.0, ">", False)  # Python reflects 3.0 < a to a > 3.0


NAMES = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
         "__pow__", "__rpow__", "__neg__", "__abs__", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
         "step", "softplus", "mish", "leaky_relu", "elu", "silu"]


@pytest.mark.parametrize("cls", [Value, Dual])
@pytest.mark.parametrize("name", NAMES)
def test_every_operation_documents_its_formula_and_derivative(cls, name):
    doc = getattr(cls, name).__doc__ or ""
    assert len(doc) > 20 and ("derivative" in doc.lower() or "d/d" in doc), (cls, name, doc)


def test_public_functions_have_docstrings():
    for name in autograd.__all__:
        if name not in ("AutogradError",):
            assert (getattr(autograd, name).__doc__ or "").strip(), name
    for name in ("item", "detach", "requires_grad_", "register_hook", "backward"):
        assert getattr(Value, name).__doc__.strip(), name


def test_float_of_a_variable_warns_in_anomaly_mode_only():
    x = Value(1.0, label="x")
    with detect_anomaly():
        with pytest.warns(AnomalyWarning, match="left the graph"):
            math.exp(x)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            float(Value(1.0, requires_grad=False))  # a constant: nothing can flow back anyway
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.exp(x) == math.e  # outside: float() works silently, as in PyTorch
