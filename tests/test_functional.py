"""Tests of nn.functional: every loss and softmax against PyTorch float64, hand formulas, micrograd's demo,
and the lecture note's printed numbers."""

import math
import random
from decimal import Decimal

import pytest
import torch
from micrograd.engine import Value as MicrogradValue

from autograd import AutogradError, Value, grad
from nn import functional as F

# ---------------------------------------------------------------------------------------------------------
# The lecture note's numbers (seed file 001_ec797c54cd5e24e6.txt, section 8), transcribed as printed.
# A number's printed form fixes its rounding: "0.244" is given to 0.001, so it agrees with the exact value
# if they differ by at most 0.0005. Verdicts:
#   "agrees":    within its printed rounding;
#   "truncated": off by more than its rounding, and equal to the exact value cut off (not rounded) at the
#                printed digit.
# (nn/examples.py, softmax_examples(), shows the same numbers as a table.)

LECTURE_NOTE_SOFTMAX = [
    # (equation, line of file 001, temperature, logits, published numbers as printed, verdict of each)
    ("59", 509, 1.0, [1.0, 2.0, 3.0], ["0.09", "0.244", "0.665"], ["agrees", "truncated", "agrees"]),
    ("70", 578, 100.0, [1.0, 2.0, 3.0], ["0.33", "0.33", "0.34"], ["agrees", "agrees", "agrees"]),
    ("71", 582, 0.1, [1.0, 2.0, 3.0], ["2e-9", "4e-5", "0.99995"], ["agrees", "truncated", "agrees"]),
]
LECTURE_NOTE_LOGSUMEXP = [
    # (where, line of file 001, logits, published as printed ("log sum_j e^z_j ~ 3.408"), verdict)
    ("text before eq 59", 507, [1.0, 2.0, 3.0], "3.408", "agrees"),
]


def exact_softmax(logits, temperature):  # e^(z_i/T) / sum_j e^(z_j/T), directly (the numbers are small)
    exps = [math.exp(z / temperature) for z in logits]
    return [e / math.fsum(exps) for e in exps]


def verdict(published: str, exact: float) -> str:
    unit = 10.0 ** Decimal(published).as_tuple().exponent  # "0.244" -> 0.001, "4e-5" -> 1e-5
    if abs(exact - float(published)) <= unit / 2:
        return "agrees"
    if math.floor(exact / unit) == round(float(published) / unit):
        return "truncated"
    return "wrong"


@pytest.mark.parametrize("equation, line, temperature, logits, published, verdicts", LECTURE_NOTE_SOFTMAX)
def test_lecture_note_softmax_numbers(equation, line, temperature, logits, published, verdicts):
    exact = exact_softmax(logits, temperature)
    ours = [y.data for y in F.softmax(logits, temperature)]
    assert ours == pytest.approx(exact, rel=1e-12, abs=0)
    assert [verdict(p, e) for p, e in zip(published, exact)] == verdicts


def test_lecture_note_disagreements_are_truncations():
    # eq 59: softmax([1, 2, 3])_2 = 0.24473 is printed 0.244 (rounds to 0.245);
    # eq 71: softmax_0.1([1, 2, 3])_2 = 4.54e-5 is printed 4e-5 (rounds to 5e-5).
    y59 = exact_softmax([1.0, 2.0, 3.0], 1.0)[1]
    y71 = exact_softmax([1.0, 2.0, 3.0], 0.1)[1]
    assert abs(y59 - 0.244) > 0.0005 and round(y59, 3) == 0.245
    assert abs(y71 - 4e-5) > 0.5e-5 and round(y71, 5) == 5e-5


@pytest.mark.parametrize("where, line, logits, published, expected", LECTURE_NOTE_LOGSUMEXP)
def test_lecture_note_logsumexp(where, line, logits, published, expected):
    exact = math.log(math.fsum(math.exp(z) for z in logits))
    assert F.logsumexp(logits).data == pytest.approx(exact, rel=1e-15)
    assert verdict(published, exact) == expected


# ---------------------------------------------------------------------------------------------------------
# Helpers for comparisons with PyTorch.

def values(numbers):
    return [Value(x) for x in numbers]


def tensor(numbers, requires_grad=True):
    return torch.tensor(numbers, dtype=torch.float64, requires_grad=requires_grad)


def random_numbers(seed, n, scale=3.0):
    rng = random.Random(seed)
    return [rng.uniform(-scale, scale) for _ in range(n)]


def assert_close(ours, theirs, rel=1e-12, abs=1e-14):
    theirs = theirs.tolist() if isinstance(theirs, torch.Tensor) else theirs
    assert ours == pytest.approx(theirs, rel=rel, abs=abs)


# ---------------------------------------------------------------------------------------------------------
# Squared error.

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mse_half_value_and_gradient(seed):
    o_data, t_data = random_numbers(seed, 4), random_numbers(seed + 100, 4)
    o = values(o_data)
    loss = F.mse_half(o, t_data)
    loss.backward()
    o_t = tensor(o_data)
    expected = 0.5 * ((tensor(t_data, False) - o_t) ** 2).sum()
    expected.backward()
    assert_close(loss.data, expected.item())
    assert_close([v.grad for v in o], o_t.grad)
    assert_close([v.grad for v in o], [a - b for a, b in zip(o_data, t_data)])  # dL/do = o - t (eq 12)


@pytest.mark.parametrize("seed", [0, 1])
def test_mse_matches_torch_including_target_gradients(seed):
    o_data, t_data = random_numbers(seed, 5), random_numbers(seed + 100, 5)
    o, t = values(o_data), values(t_data)
    loss = F.mse(o, t)
    loss.backward()
    o_t, t_t = tensor(o_data), tensor(t_data)
    expected = torch.nn.functional.mse_loss(o_t, t_t)
    expected.backward()
    assert_close(loss.data, expected.item())
    assert_close([v.grad for v in o], o_t.grad)
    assert_close([v.grad for v in t], t_t.grad)


def test_losses_accept_a_single_value_and_plain_numbers():
    o = Value(0.3)
    assert F.mse_half(o, 1.0).data == pytest.approx(0.5 * 0.7 ** 2, rel=1e-15)
    constant = F.mse([0.5, 1.5], [1.0, 1.0])
    assert constant.data == pytest.approx(0.25, rel=1e-15) and not constant.requires_grad


# ---------------------------------------------------------------------------------------------------------
# Binary cross-entropy.

@pytest.mark.parametrize("targets", [[1.0, 0.0, 1.0, 0.0], [0.3, 0.9, 0.0, 1.0]])
def test_binary_cross_entropy_matches_torch(targets):
    p_data = [0.8, 0.25, 1e-6, 0.999]
    p = values(p_data)
    loss = F.binary_cross_entropy(p, targets)
    loss.backward()
    p_t = tensor(p_data)
    expected = torch.nn.functional.binary_cross_entropy(p_t, tensor(targets, False))
    expected.backward()
    assert_close(loss.data, expected.item())
    assert_close([v.grad for v in p], p_t.grad, rel=1e-10)


def test_binary_cross_entropy_saturated_correct_prediction_is_zero():
    p = [Value(1.0), Value(0.0)]
    loss = F.binary_cross_entropy(p, [1, 0])
    torch_loss = torch.nn.functional.binary_cross_entropy(tensor([1.0, 0.0], False), tensor([1.0, 0.0], False))
    assert loss.data == 0.0 == torch_loss.item()
    loss.backward()
    # For t = 1 the loss is -log(p) / n, for t = 0 it is -log(1 - p) / n: derivatives -1/(n p), 1/(n (1 - p)).
    assert [v.grad for v in p] == [-0.5, 0.5]


@pytest.mark.parametrize("p, t", [(1.0, 0.0), (0.0, 1.0), (1.0, 0.5)])
def test_binary_cross_entropy_infinite_loss_raises(p, t):
    with pytest.raises(ValueError, match=r"binary_cross_entropy\(\).*infinite loss.*with_logits"):
        F.binary_cross_entropy([Value(p)], [t])


@pytest.mark.parametrize("p", [1.5, -0.1])
def test_binary_cross_entropy_rejects_non_probabilities(p):
    with pytest.raises(ValueError, match=rf"binary_cross_entropy\(\): probabilities\[0\] = {p}"):
        F.binary_cross_entropy([Value(p)], [1.0])


@pytest.mark.parametrize("targets", [[1.0, 0.0, 1.0, 0.0, 0.5], [0.2, 0.9, 1.0, 0.0, 0.0]])
def test_binary_cross_entropy_with_logits_matches_torch(targets):
    z_data = [2.0, -1.5, 0.0, 1000.0, -1000.0]  # 0: sigmoid'(0) = 1/2; +-1000: e^1000 would overflow
    z = values(z_data)
    loss = F.binary_cross_entropy_with_logits(z, targets)
    loss.backward()
    z_t = tensor(z_data)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(z_t, tensor(targets, False))
    expected.backward()
    assert_close(loss.data, expected.item())
    assert_close([v.grad for v in z], z_t.grad)
    assert z[2].grad == pytest.approx((0.5 - targets[2]) / 5, rel=1e-15)  # (sigmoid(0) - t) / n


def test_binary_cross_entropy_with_logits_second_derivative():
    z = Value(0.7)
    first = grad(F.binary_cross_entropy_with_logits(z, 1.0), z, create_graph=True)
    s = 1.0 / (1.0 + math.exp(-0.7))
    assert first.data == pytest.approx(s - 1.0, rel=1e-14)  # sigmoid(z) - t
    assert grad(first, z) == pytest.approx(s * (1.0 - s), rel=1e-14)  # sigmoid'(z)


# ---------------------------------------------------------------------------------------------------------
# Hinge and L2, as in micrograd's demo (demo.ipynb: losses = [(1 + -yi*scorei).relu() ...],
# data_loss = sum(losses) * (1.0 / len(losses)), reg_loss = alpha * sum((p*p for p in model.parameters()))).

def test_hinge_and_l2_match_micrograd_demo():
    s_data, labels = [0.5, -2.0, 1.5, -0.2], [1, 1, -1, -1]
    s = values(s_data)
    loss = F.hinge(s, labels) + F.l2_penalty(s, alpha=1e-4)
    loss.backward()
    m = [MicrogradValue(x) for x in s_data]
    losses = [(1 + -y * score).relu() for y, score in zip(labels, m)]
    m_loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum((p * p for p in m))
    m_loss.backward()
    assert loss.data == pytest.approx(m_loss.data, rel=1e-14)
    assert [v.grad for v in s] == pytest.approx([v.grad for v in m], rel=1e-14)
    s_t = tensor(s_data)
    torch.clamp(1 - tensor(labels, False) * s_t, min=0).mean().backward()
    assert F.hinge(s_data, labels).data == pytest.approx(m_loss.data - 1e-4 * sum(x * x for x in s_data))
    assert_close([v.grad - 2e-4 * v.data for v in s], s_t.grad)


def test_hinge_rejects_labels_other_than_plus_minus_one():
    with pytest.raises(ValueError, match=r"hinge\(\): labels\[1\] = 0.0 must be -1 or \+1"):
        F.hinge([Value(1.0), Value(2.0)], [1, 0])


# ---------------------------------------------------------------------------------------------------------
# softmax, log_softmax, logsumexp.

LOGITS = [
    [1.0, 2.0, 3.0],
    [0.3, -1.2, 2.5, 0.0, -0.7],
    [1000.0, 1001.0],  # e^1000 overflows a float: the shift by the maximum (eq 61) is needed
    [-1000.0, 0.0, 1000.0],
    [5.0],
]


def backprop_weighted(outputs, weights):
    """Backpropagate sum_i w_i out_i: checks the whole Jacobian through one vector-Jacobian product."""
    total = outputs[0] * weights[0]
    for out, w in zip(outputs[1:], weights[1:]):
        total = total + out * w
    total.backward()


@pytest.mark.parametrize("logits", LOGITS)
@pytest.mark.parametrize("temperature", [1.0, 0.1, 100.0, 2.5])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_and_log_softmax_match_torch(logits, temperature, name):
    weights = random_numbers(len(logits), len(logits))
    z = values(logits)
    outputs = getattr(F, name)(z, temperature=temperature)
    backprop_weighted(outputs, weights)
    z_t = tensor(logits)
    expected = getattr(torch, name)(z_t / temperature, dim=0)
    (expected * tensor(weights, False)).sum().backward()
    assert_close([y.data for y in outputs], expected)
    assert_close([v.grad for v in z], z_t.grad, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("logits", LOGITS)
@pytest.mark.parametrize("temperature", [1.0, 0.1, 100.0])
def test_logsumexp_matches_torch(logits, temperature):
    z = values(logits)
    lse = F.logsumexp(z, temperature)
    lse.backward()
    z_t = tensor(logits)
    expected = torch.logsumexp(z_t / temperature, dim=0)
    expected.backward()
    assert_close(lse.data, expected.item())
    assert_close([v.grad for v in z], z_t.grad, abs=1e-12)


def test_large_logits_do_not_overflow():
    y = F.softmax([Value(1000.0), Value(1001.0)])
    e = math.exp(-1.0)  # softmax([1000, 1001]) = softmax([-1, 0]) (eq 60)
    assert [v.data for v in y] == pytest.approx([e / (1 + e), 1 / (1 + e)], rel=1e-15)
    assert F.logsumexp([1000.0, 1001.0]).data == pytest.approx(1001.0 + math.log1p(e), rel=1e-15)
    assert F.log_softmax([-1000.0, 1000.0])[0].data == pytest.approx(-2000.0, rel=1e-15)  # y_0 = e^-2000 = 0.0


def test_logsumexp_hessian_matches_torch():
    # The shift uses max(z) as a constant; it is exact, so second derivatives are right too.
    logits = [0.5, 2.0, -1.0]
    z = values(logits)
    first = grad(F.logsumexp(z, temperature=0.5), z, create_graph=True)
    hessian = [grad(g, z) for g in first]
    expected = torch.autograd.functional.hessian(lambda x: torch.logsumexp(x / 0.5, dim=0), tensor(logits))
    for row, expected_row in zip(hessian, expected):
        assert_close(row, expected_row, abs=1e-13)


def test_softmax_of_constants_is_constant():
    y = F.softmax([1.0, 2.0])
    assert not any(v.requires_grad for v in y)


# ---------------------------------------------------------------------------------------------------------
# cross_entropy: one fused node with local derivatives y - t (eq 68).

def torch_cross_entropy(logits, target, temperature=1.0):
    z_t = tensor(logits)
    torch_target = torch.tensor([target]) if isinstance(target, int) else tensor([target], False)
    loss = torch.nn.functional.cross_entropy((z_t / temperature).unsqueeze(0), torch_target)
    loss.backward()
    return loss.item(), z_t.grad.tolist()


CROSS_ENTROPY_CASES = [
    ([1.0, 2.0, 3.0], 0),
    ([1.0, 2.0, 3.0], 2),
    ([0.3, -1.2, 2.5, 0.0, -0.7], [0.0, 0.0, 1.0, 0.0, 0.0]),
    ([0.3, -1.2, 2.5, 0.0, -0.7], [0.1, 0.2, 0.3, 0.4, 0.0]),
    ([1000.0, 1001.0], 0),
    ([0.0, 1000.0], 0),  # loss 1000, y_0 = e^-1000 underflows to 0
    ([-1000.0, 0.0, 1000.0], [0.5, 0.25, 0.25]),
]


@pytest.mark.parametrize("logits, target", CROSS_ENTROPY_CASES)
@pytest.mark.parametrize("temperature", [1.0, 0.1, 3.0])
def test_cross_entropy_matches_torch(logits, target, temperature):
    z = values(logits)
    loss = F.cross_entropy(z, target, temperature=temperature)
    loss.backward()
    expected_loss, expected_grad = torch_cross_entropy(logits, target, temperature)
    assert_close(loss.data, expected_loss)
    assert_close([v.grad for v in z], expected_grad)


@pytest.mark.parametrize("logits, target", CROSS_ENTROPY_CASES)
def test_cross_entropy_is_one_node_with_local_derivatives_y_minus_t(logits, target):
    z = values(logits)
    loss = F.cross_entropy(z, target)
    assert loss.op == "cross_entropy" and loss.parents == tuple(z)
    # y - t by hand (eq 68), softmax computed with the shift by the maximum in exact arithmetic
    m = max(logits)
    exps = [math.exp(x - m) for x in logits]
    t = [1.0 if j == target else 0.0 for j in range(len(logits))] if isinstance(target, int) else target
    by_hand = [e / math.fsum(exps) - t_j for e, t_j in zip(exps, t)]
    assert_close(list(loss.local_grads), by_hand, rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("logits, target", CROSS_ENTROPY_CASES)
def test_fused_gradient_equals_backprop_through_log_softmax(logits, target):
    z_fused, z_unfused = values(logits), values(logits)
    F.cross_entropy(z_fused, target).backward()
    t = [1.0 if j == target else 0.0 for j in range(len(logits))] if isinstance(target, int) else target
    log_y = F.log_softmax(z_unfused)
    unfused = -sum((t_j * l for t_j, l in zip(t, log_y)), Value(0.0, requires_grad=False))
    unfused.backward()
    assert [v.grad for v in z_fused] == pytest.approx([v.grad for v in z_unfused], rel=0, abs=1e-12)


def test_cross_entropy_of_the_lecture_note_logits():
    # L = logsumexp([1, 2, 3]) - 3 for class 2 (eq 65); dL/dz = softmax([1, 2, 3]) - [0, 0, 1] (eq 68).
    z = values([1.0, 2.0, 3.0])
    loss = F.cross_entropy(z, 2)
    loss.backward()
    y = exact_softmax([1.0, 2.0, 3.0], 1.0)
    assert loss.data == pytest.approx(math.log(math.exp(1) + math.exp(2) + math.exp(3)) - 3.0, rel=1e-14)
    assert [v.grad for v in z] == pytest.approx([y[0], y[1], y[2] - 1.0], rel=1e-14)


def test_cross_entropy_second_derivative_raises():
    z = values([1.0, 2.0, 3.0])
    with pytest.raises(AutogradError, match="create_graph=True through the custom operation 'cross_entropy'"):
        grad(F.cross_entropy(z, 1), z, create_graph=True)


# ---------------------------------------------------------------------------------------------------------
# Input validation: clear messages naming the function and the value.

@pytest.mark.parametrize("call, error, message", [
    (lambda: F.mse_half([], []), ValueError, r"mse_half\(\): outputs is empty"),
    (lambda: F.mse([Value(1.0)], [1.0, 2.0]), ValueError, r"mse\(\): 1 outputs but 2 targets"),
    (lambda: F.binary_cross_entropy([0.5], [1.5]), ValueError, r"targets\[0\] = 1.5 must lie in \[0.0, 1.0\]"),
    (lambda: F.binary_cross_entropy_with_logits([0.5, 1.0], [1.0]), ValueError, r"2 outputs but 1 targets"),
    (lambda: F.hinge([Value(1.0)], [float("nan")]), ValueError,
     r"hinge\(\): labels\[0\] must be a finite number, got nan"),
    (lambda: F.softmax([]), ValueError, r"softmax\(\): logits is empty"),
    (lambda: F.log_softmax([1.0, "a"]), TypeError,
     r"log_softmax\(\): logits\[1\] must be a finite number, got 'a' \(str\)"),
    (lambda: F.softmax([1.0, 2.0], temperature=0.0), ValueError, r"softmax\(\): temperature = 0.0 must be > 0"),
    (lambda: F.logsumexp([1.0], temperature=-1), ValueError, r"logsumexp\(\): temperature = -1.0 must be > 0"),
    (lambda: F.softmax([1.0], temperature=Value(2.0)), TypeError, r"softmax\(\): temperature must be a number"),
    (lambda: F.cross_entropy([], 0), ValueError, r"cross_entropy\(\): logits is empty"),
    (lambda: F.cross_entropy([1.0, 2.0], 2), ValueError, r"target class 2 is out of range for 2 logits"),
    (lambda: F.cross_entropy([1.0, 2.0], -1), ValueError, r"target class -1 is out of range"),
    (lambda: F.cross_entropy([1.0, 2.0], [1.0, 1.0]), ValueError, r"sum to 2.0, not 1"),
    (lambda: F.cross_entropy([1.0, 2.0], [0.0, 0.0]), ValueError, r"sum to 0.0, not 1"),
    (lambda: F.cross_entropy([1.0, 2.0, 3.0], [0.0, 1.0]), ValueError, r"3 logits but 2 target probabilities"),
    (lambda: F.cross_entropy([1.0, 2.0], [1.5, -0.5]), ValueError, r"target\[0\] = 1.5 must lie in"),
    (lambda: F.cross_entropy([1.0, 2.0], 1.0), TypeError, r"target = 1.0 must be a class index"),
    (lambda: F.cross_entropy([1.0, 2.0], True), TypeError, r"target = True must be a class index"),
    (lambda: F.cross_entropy([1.0, 2.0], 0, temperature=0), ValueError, r"temperature = 0.0 must be > 0"),
    (lambda: F.l2_penalty(None), TypeError, r"l2_penalty\(\): parameters must be a list"),
])
def test_bad_input_is_rejected_with_a_clear_message(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_targets_with_a_gradient_are_rejected_where_none_flows():
    with pytest.raises(TypeError, match=r"binary_cross_entropy\(\): targets\[0\] = Value.*plain number"):
        F.binary_cross_entropy([Value(0.5)], [Value(1.0)])
