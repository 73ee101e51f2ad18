"""The losses of nn.functional build only the operations of their formula (so their pictures read like the
formula), label their loss node with their name, and refuse bad arguments with a message naming the function,
the argument and the value. Values and gradients are compared with PyTorch in float64.
"""

import math

import pytest
import torch
import torch.nn.functional as TF

from autograd import Value
from nn import functional as F


def operations(root: Value) -> list:
    """The operations of the graph of root, each node once, in the order of a depth-first walk (leaves first)."""
    seen, order, stack = set(), [], [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node.op)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents))
    return [op for op in order if op]


def test_binary_cross_entropy_of_one_example_is_minus_log_p():
    p = Value(0.8, label="p")
    loss = F.binary_cross_entropy(p, 1.0)
    assert operations(loss) == ["log", "neg"]  # L = -log p: no "* 1.0", no "/ 1", one neg
    assert loss.label == "binary_cross_entropy"
    loss.backward()
    tp = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
    expected = TF.binary_cross_entropy(tp, torch.tensor(1.0, dtype=torch.float64))
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-15)
    assert p.grad == pytest.approx(tp.grad.item(), rel=1e-15)


def test_binary_cross_entropy_of_a_batch_has_one_mean_and_one_neg():
    ps = [Value(0.8), Value(0.3), Value(0.6)]
    ts = [1.0, 0.0, 0.25]
    loss = F.binary_cross_entropy(ps, ts)
    ops = operations(loss)
    # by hand: log p1; log(1 - p2); 0.25 log p3 and 0.75 log(1 - p3); four terms summed, / 3, neg
    assert ops.count("neg") == 1 and ops.count("/") == 1 and ops.count("log") == 4 and ops.count("*") == 2
    loss.backward()
    tps = torch.tensor([0.8, 0.3, 0.6], dtype=torch.float64, requires_grad=True)
    expected = TF.binary_cross_entropy(tps, torch.tensor(ts, dtype=torch.float64))
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-14)
    assert [p.grad for p in ps] == pytest.approx(tps.grad.tolist(), rel=1e-14)


@pytest.mark.parametrize("target, ops", [(1.0, ["softplus", "-"]), (0.0, ["softplus"]),
                                         (0.3, ["softplus", "*", "-"])])
def test_binary_cross_entropy_with_logits_builds_its_formula(target, ops):
    z = Value(0.7)
    loss = F.binary_cross_entropy_with_logits(z, target)
    assert operations(loss) == ops and loss.label == "binary_cross_entropy_with_logits"
    loss.backward()
    tz = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    expected = TF.binary_cross_entropy_with_logits(tz, torch.tensor(target, dtype=torch.float64))
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-15)
    assert z.grad == pytest.approx(tz.grad.item(), rel=1e-15)


@pytest.mark.parametrize("label, expected_ops", [(1.0, ["-", "relu"]), (-1.0, ["+", "relu"])])
def test_hinge_has_no_multiplication_by_a_label(label, expected_ops):
    s = Value(0.4)
    loss = F.hinge(s, label)
    assert operations(loss) == expected_ops and loss.label == "hinge"
    assert loss.data == max(0.0, 1.0 - label * 0.4)  # by hand


def test_mse_of_one_example_and_names_of_the_losses():
    o = Value(0.2)
    loss = F.mse(o, 0.5)
    assert operations(loss) == ["-", "**"] and loss.label == "mse"  # (o - t)^2, no "/ 1"
    assert loss.data == pytest.approx((0.2 - 0.5) ** 2, rel=1e-15)
    assert F.mse_half([o], [0.5]).label == "mse_half"
    assert F.cross_entropy([Value(1.0), Value(2.0)], 0).label == "cross_entropy"
    w = Value(3.0)
    penalty = F.l2_penalty([w], alpha=1.0)
    assert operations(penalty) == ["*"] and penalty.label == "l2_penalty"  # w * w, no "1.0 *"
    assert F.l2_penalty([w], alpha=0.5).data == 0.5 * 9.0


def test_mse_half_with_a_huge_target_names_the_argument():
    x = Value(1.0)
    with pytest.raises(ValueError, match=r"mse_half\(\): targets\[0\] must be a finite number, got an integer of 401 "
                                         "digits, too large for a float"):
        F.mse_half([x], [10 ** 400])
    with pytest.raises(ValueError, match=r"mse\(\): outputs\[0\] must be a finite number, got an integer of 5001 "
                                         "digits"):
        F.mse([10 ** 5000], [1.0])  # more digits than Python will print
    with pytest.raises(ValueError, match=r"mse_half\(\): targets\[0\] must be a finite number, got inf"):
        F.mse_half([x], [math.inf])


@pytest.mark.parametrize("alpha, error, fragment", [
    (-1, ValueError, "l2_penalty(): alpha = -1.0 must be >= 0"),
    ("a", TypeError, "l2_penalty(): alpha must be a finite number, got 'a' (str)"),
    (math.nan, ValueError, "l2_penalty(): alpha must be a finite number, got nan"),
    (True, TypeError, "l2_penalty(): alpha must be a finite number, got True (bool)"),
])
def test_l2_penalty_refuses_a_bad_alpha(alpha, error, fragment):
    with pytest.raises(error) as raised:
        F.l2_penalty([Value(1.0)], alpha=alpha)
    assert fragment in str(raised.value)
