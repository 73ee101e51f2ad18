"""nn.SGD and nn.Adam against torch.optim (float64) step by step, SGD's momentum against the formula of the
compilation of articles (file 002) written out here, and their errors."""

import random
import re

import pytest
import torch

from autograd import AutogradError, Value
from nn import SGD, Adam

N_PARAMS, N_STEPS = 5, 6


def _gradients(seed):
    rng = random.Random(seed)
    return [[rng.uniform(-2, 2) for _ in range(N_PARAMS)] for _ in range(N_STEPS)]


def _run_ours(make_optimizer, start, gradients):
    params = [Value(x, label=f"p{k}") for k, x in enumerate(start)]
    optimizer = make_optimizer(params)
    history = []
    for step_gradients in gradients:
        optimizer.zero_grad()
        for p, g in zip(params, step_gradients):
            p.grad = g
        optimizer.step()
        history.append([p.data for p in params])
    return history


def _run_torch(make_optimizer, start, gradients):
    params = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([params])
    history = []
    for step_gradients in gradients:
        optimizer.zero_grad()
        params.grad = torch.tensor(step_gradients, dtype=torch.float64)
        optimizer.step()
        history.append(params.detach().tolist())
    return history


START = [0.5, -1.0, 2.0, 0.0, -0.25]


@pytest.mark.parametrize("lr, momentum", [(0.1, 0.0), (0.3, 0.1), (0.05, 0.9)])
def test_sgd_against_torch(lr, momentum):
    gradients = _gradients(1)
    ours = _run_ours(lambda p: SGD(p, lr=lr, momentum=momentum), START, gradients)
    theirs = _run_torch(lambda p: torch.optim.SGD(p, lr=lr, momentum=momentum), START, gradients)
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-13, abs=1e-15)


def test_sgd_momentum_is_the_articles_formula():
    # Delta w(t) = -alpha dE/dw + gamma Delta w(t-1);  w <- w + Delta w(t)   (file 002)
    alpha, gamma = 0.3, 0.1
    gradients = _gradients(2)
    ours = _run_ours(lambda p: SGD(p, lr=alpha, momentum=gamma), START, gradients)
    w, previous = list(START), [0.0] * N_PARAMS
    for step, step_gradients in enumerate(gradients):
        change = [-alpha * g + gamma * d for g, d in zip(step_gradients, previous)]
        w = [x + d for x, d in zip(w, change)]
        previous = change
        assert ours[step] == pytest.approx(w, rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("kwargs", [{}, {"lr": 0.1}, {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-3}])
def test_adam_against_torch(kwargs):
    gradients = _gradients(3)
    gradients[2][0] = 0.0  # a zero gradient on one step
    ours = _run_ours(lambda p: Adam(p, **kwargs), START, gradients)
    theirs = _run_torch(lambda p: torch.optim.Adam(p, **kwargs), START, gradients)
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-14)


def test_adam_first_step_moves_each_parameter_by_lr():
    # After one step m_hat = g and v_hat = g^2, so the change is lr g / (|g| + eps): about lr against g's sign.
    params = [Value(1.0), Value(1.0)]
    params[0].grad, params[1].grad = 3.0, -0.5
    Adam(params, lr=0.01).step()
    assert params[0].data == pytest.approx(1.0 - 0.01 * 3.0 / (3.0 + 1e-8), rel=1e-15)
    assert params[1].data == pytest.approx(1.0 + 0.01 * 0.5 / (0.5 + 1e-8), rel=1e-15)


def test_zero_grad_after_backward():
    w = Value(2.0, label="w")
    optimizer = SGD([w], lr=0.1)
    (w * w).backward()
    assert w.grad == 4.0
    optimizer.zero_grad()
    assert w.grad == 0.0
    (w * 3.0).backward()
    optimizer.step()
    assert w.data == pytest.approx(2.0 - 0.1 * 3.0, rel=1e-15)


@pytest.mark.parametrize("make, message", [
    (lambda p: SGD(p, lr=0), "SGD(): lr must be > 0, got 0"),
    (lambda p: SGD(p, lr=-0.1), "SGD(): lr must be > 0, got -0.1"),
    (lambda p: SGD(p, lr=float("nan")), "SGD(): lr must be a finite number, got nan"),
    (lambda p: SGD(p, lr=0.1, momentum=-0.5), "SGD(): momentum must be >= 0 and < 1.0, got -0.5"),
    (lambda p: SGD(p, lr=0.1, momentum=1.0), "SGD(): momentum must be >= 0 and < 1.0, got 1.0"),
    (lambda p: Adam(p, lr=0), "Adam(): lr must be > 0"),
    (lambda p: Adam(p, betas=0.9), "Adam(): betas must be a pair"),
    (lambda p: Adam(p, betas=(0.9, 1.0)), "Adam(): betas[1] must be >= 0 and < 1.0, got 1.0"),
    (lambda p: Adam(p, eps=0.0), "Adam(): eps must be > 0, got 0.0"),
])
def test_hyperparameter_errors(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make([Value(1.0)])


def test_parameter_list_errors():
    w = Value(1.0, label="w")
    with pytest.raises(ValueError, match="SGD\\(\\): the parameter list is empty"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="parameter 0 .* must be a leaf Value that requires a gradient"):
        SGD([w * 2], lr=0.1)
    with pytest.raises(ValueError, match="parameter 0 .* must be a leaf Value that requires a gradient"):
        SGD([Value(1.0, requires_grad=False)], lr=0.1)
    with pytest.raises(ValueError, match="parameter 1 \\(w\\) is listed twice"):
        SGD([w, w], lr=0.1)


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=1e308), lambda p: Adam(p, lr=1e308)],
                         ids=["SGD", "Adam"])
def test_a_step_to_a_non_finite_value_changes_nothing(make):
    a, b = Value(1.0, label="a"), Value(-1e308, label="b")
    optimizer = make([a, b])
    a.grad, b.grad = 1.0, 1.0  # b - 1e308 * 1.0 overflows
    with pytest.raises(AutogradError, match="parameter b would become -inf"):
        optimizer.step()
    assert (a.data, b.data) == (1.0, -1e308)


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps)])
def test_a_value_gradient_from_create_graph_is_refused(make):
    w = Value(2.0, label="w")
    optimizer = make([w])
    (w * w).backward(create_graph=True)  # w.grad is the Value 2w, a graph for second derivatives
    with pytest.raises(TypeError, match=r"gradient of w is a Value .*create_graph"):
        optimizer.step()
    assert w.data == 2.0


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.5), lambda p: SGD(p, lr=0.5, momentum=0.5)],
                         ids=["SGD", "SGD momentum"])
def test_finite_new_values_whose_sum_overflows_are_applied(make):
    # step() checks the new values' finiteness by their sum first; here the sum overflows although every
    # new value is finite, so the values must still be applied: 1e308 - 0.5 * 2e300 and 1e308 - 0.5 * 4e300.
    a, b = Value(1e308, label="a"), Value(1e308, label="b")
    optimizer = make([a, b])
    a.grad, b.grad = 2e300, 4e300
    optimizer.step()
    assert (a.data, b.data) == (1e308 - 1e300, 1e308 - 2e300) and b.data < a.data < 1e308


def test_gradients_that_are_not_floats_but_numbers_are_used_as_floats():
    # An int, a Fraction and a numpy float64 gradient take step()'s slower path, which converts them.
    from fractions import Fraction
    np = pytest.importorskip("numpy")
    params = [Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")]
    optimizer = SGD(params, lr=0.25)
    params[0].grad, params[1].grad, params[2].grad = 2, Fraction(1, 2), np.float64(-4.0)
    optimizer.step()
    assert [p.data for p in params] == [1.0 - 0.5, 2.0 - 0.125, 3.0 + 1.0]
    assert all(type(p.data) is float for p in params)


def test_zero_grad_resets_every_parameter():
    params = [Value(float(k), label=f"p{k}") for k in range(5)]
    for p in params:
        p.grad = 7.0
    Adam(params).zero_grad()
    assert [p.grad for p in params] == [0.0] * 5
