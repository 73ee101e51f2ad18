"""Loss functions and softmax, built from `autograd.Value` operations.

    from nn import functional as F
    loss = F.cross_entropy(model(x), target=2)

Equation numbers refer to the lecture note "The backpropagation algorithm" (seed file 001).
Every function here is numerically stable for large inputs:

- squared error: `mse_half` (1/2 sum, as the lecture note writes it, eq 6) and `mse` (mean, as PyTorch);
- binary cross-entropy on probabilities (`binary_cross_entropy`) and on logits
  (`binary_cross_entropy_with_logits`, stable for any logit);
- `hinge` and `l2_penalty`, as in micrograd's demo;
- `softmax`, `log_softmax`, `logsumexp` with a temperature (eq 69), shifted by the maximum (eq 61);
- `cross_entropy`: softmax and cross-entropy fused into one node whose local derivatives are y - t (eq 68).

Losses over several examples take lists and average (PyTorch's default `reduction="mean"`), except
`mse_half`, which sums as eq 6 does. A single number or `Value` counts as a list of one.
Targets are plain numbers (no gradient flows to them), except in `mse_half` and `mse`, where they may be
`Value`s as in PyTorch.

A loss's graph holds only the operations of its formula (no division by 1 for one example, no multiplication
by a target of 1), so its picture reads like the formula; the loss node is labelled with the function's name
(`mse_half`, `cross_entropy`, ...), which a graph picture shows (relabel it freely).
"""

from __future__ import annotations

import math
import numbers
from typing import Sequence, Union

from autograd import Value
from autograd._errors import real_number

Number = Union[int, float]
Scalars = Union[Value, Number, Sequence[Union[Value, Number]]]


# ---------------------------------------------------------------------------------------------------------
# Input checks: each error names the function and the offending value.

def _as_list(xs, function: str, what: str) -> list:
    """A single Value or number becomes a list of one; anything else must be a non-empty sequence."""
    if isinstance(xs, (Value, numbers.Real)):
        return [xs]
    try:
        xs = list(xs)
    except TypeError:
        raise TypeError(f"{function}(): {what} must be a list of Values or numbers, got {xs!r}") from None
    if not xs:
        raise ValueError(f"{function}(): {what} is empty; give at least one value")
    return xs


def _number(x, function: str, what: str) -> float:
    """A finite plain number (not a bool, not a Value), as a float."""
    if isinstance(x, Value):
        raise TypeError(f"{function}(): {what} = {x!r} must be a plain number (no gradient flows to it); "
                        f"use its .data")
    return real_number(x, f"{function}(): {what}", error=ValueError)


def _values(xs, function: str, what: str) -> list[Value]:
    """The inputs as Values; plain numbers become constants (requires_grad=False)."""
    result = []
    for i, x in enumerate(_as_list(xs, function, what)):
        if not isinstance(x, Value):
            x = Value(_number(x, function, f"{what}[{i}]"), requires_grad=False)
        result.append(x)
    return result


def _numbers(xs, function: str, what: str, low: float | None = None, high: float | None = None) -> list[float]:
    """The targets as floats, each checked to lie in [low, high] when given."""
    result = []
    for i, x in enumerate(_as_list(xs, function, what)):
        x = _number(x, function, f"{what}[{i}]")
        if (low is not None and x < low) or (high is not None and x > high):
            raise ValueError(f"{function}(): {what}[{i}] = {x!r} must lie in [{low}, {high}]")
        result.append(x)
    return result


def _same_length(outputs: list, targets: list, function: str) -> None:
    if len(outputs) != len(targets):
        raise ValueError(f"{function}(): {len(outputs)} outputs but {len(targets)} targets; "
                         "give one target per output")


def _temperature(temperature, function: str) -> float:
    if isinstance(temperature, Value):
        raise TypeError(f"{function}(): temperature must be a number; for a learnable temperature T "
                        f"divide the logits by it yourself: {function}([z / T for z in logits])")
    temperature = _number(temperature, function, "temperature")
    if temperature <= 0:
        raise ValueError(f"{function}(): temperature = {temperature!r} must be > 0 (eq 69 divides by it)")
    return temperature


def _sum(values: list[Value]) -> Value:
    return sum(values[1:], values[0])  # no leading constant 0 node, so graph pictures stay clean


def _mean(values: list[Value]) -> Value:
    return _sum(values) / len(values) if len(values) > 1 else values[0]  # no "/ 1" for one example


def _mean_of_sum(terms: list[Value], n: int) -> Value:
    """(1/n) sum of the terms (with no division for n = 1)."""
    return _sum(terms) / n if n > 1 else _sum(terms)


def _named(loss: Value, function: str) -> Value:
    """Label the loss node with the function's name (shown in graph pictures)."""
    loss.label = function
    return loss


# ---------------------------------------------------------------------------------------------------------
# Squared error.

def mse_half(outputs: Scalars, targets: Scalars) -> Value:
    """Squared error as the lecture note writes it (eq 6): L = 1/2 sum_i (t_i - o_i)^2.

    Its derivative is dL/do_i = o_i - t_i, the output error of the delta rule (eq 12).

    Arguments:
        outputs: the network's outputs o_i (Values or numbers), or a single one.
        targets: the targets t_i (numbers or Values), one per output.
    """
    outputs = _values(outputs, "mse_half", "outputs")
    targets = _values(targets, "mse_half", "targets")
    _same_length(outputs, targets, "mse_half")
    squares = [(t - o) ** 2 for o, t in zip(outputs, targets)]
    return _named(0.5 * _sum(squares), "mse_half")  # L = 1/2 sum (t - o)^2


def mse(outputs: Scalars, targets: Scalars) -> Value:
    """Mean squared error, as PyTorch's `MSELoss`: L = (1/n) sum_i (o_i - t_i)^2.

    Arguments:
        outputs: the outputs o_i (Values or numbers), or a single one.
        targets: the targets t_i (numbers or Values), one per output.
    """
    outputs = _values(outputs, "mse", "outputs")
    targets = _values(targets, "mse", "targets")
    _same_length(outputs, targets, "mse")
    return _named(_mean([(o - t) ** 2 for o, t in zip(outputs, targets)]), "mse")  # L = mean (o - t)^2


# ---------------------------------------------------------------------------------------------------------
# Binary classification.

def binary_cross_entropy(probabilities: Scalars, targets: Scalars) -> Value:
    """Binary cross-entropy on probabilities, as PyTorch's `binary_cross_entropy`:
    L = -(1/n) sum_i [t_i log p_i + (1 - t_i) log(1 - p_i)]  (the lecture note's eq 62 for two classes).

    A term whose weight is 0 is left out (0 log 0 = 0), so a saturated correct prediction (p = 1.0 for
    t = 1) gives a loss of 0. A saturated wrong one (p = 1.0 for t < 1) has an infinite loss: this raises a
    ValueError, where PyTorch would clamp log(0) to -100 (and give a gradient of 1e12). Working on logits with
    `binary_cross_entropy_with_logits` avoids the problem.

    Arguments:
        probabilities: predicted probabilities p_i in [0, 1] (Values or numbers), e.g. sigmoid outputs.
        targets: numbers t_i in [0, 1] (usually 0 or 1), one per probability.
    """
    function = "binary_cross_entropy"
    probabilities = _values(probabilities, function, "probabilities")
    targets = _numbers(targets, function, "targets", 0.0, 1.0)
    _same_length(probabilities, targets, function)
    terms = []
    for i, (p, t) in enumerate(zip(probabilities, targets)):
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(f"{function}(): probabilities[{i}] = {p.data!r} is not a probability (outside [0, 1])")
        if (p.data == 0.0 and t > 0.0) or (p.data == 1.0 and t < 1.0):
            raise ValueError(f"{function}(): probabilities[{i}] = {p.data!r} with target {t!r} gives an "
                             "infinite loss (log 0); PyTorch would clamp log to -100. Use "
                             "binary_cross_entropy_with_logits on the logits instead, which stays finite")
        # t lies in [0, 1], so at least one part is present; a weight of 1 is not multiplied
        if t > 0.0:
            terms.append(p.log() if t == 1.0 else t * p.log())  # t log p
        if t < 1.0:
            terms.append((1.0 - p).log() if t == 0.0 else (1.0 - t) * (1.0 - p).log())  # (1 - t) log(1 - p)
    return _named(-_mean_of_sum(terms, len(targets)), function)  # -(1/n) sum of the terms


def binary_cross_entropy_with_logits(logits: Scalars, targets: Scalars) -> Value:
    """Binary cross-entropy on logits z (p = sigmoid(z)), as PyTorch's `binary_cross_entropy_with_logits`:
    L = (1/n) sum_i [softplus(z_i) - z_i t_i],  which is -[t log sigmoid(z) + (1 - t) log(1 - sigmoid(z))].

    Stable for any z: the engine's softplus computes log(1 + e^z) as max(z, 0) + log(1 + e^-|z|), so no
    exponential overflows. Its derivative is dL/dz_i = (sigmoid(z_i) - t_i) / n: the same y - t as eq 68.

    Arguments:
        logits: the logits z_i (Values or numbers), or a single one.
        targets: numbers t_i in [0, 1], one per logit.
    """
    function = "binary_cross_entropy_with_logits"
    logits = _values(logits, function, "logits")
    targets = _numbers(targets, function, "targets", 0.0, 1.0)
    _same_length(logits, targets, function)
    terms = [z.softplus() if t == 0.0 else z.softplus() - (z if t == 1.0 else z * t)
             for z, t in zip(logits, targets)]  # softplus(z) - z t
    return _named(_mean(terms), function)


def hinge(scores: Scalars, labels: Scalars) -> Value:
    """The SVM hinge loss of micrograd's demo: L = (1/n) sum_i max(0, 1 - y_i s_i), labels y_i = -1 or +1.

    Arguments:
        scores: the scores s_i (Values or numbers), or a single one.
        labels: -1 or +1 for each score.
    """
    scores = _values(scores, "hinge", "scores")
    labels = _numbers(labels, "hinge", "labels")
    _same_length(scores, labels, "hinge")
    for i, y in enumerate(labels):
        if y not in (-1.0, 1.0):
            raise ValueError(f"hinge(): labels[{i}] = {y!r} must be -1 or +1")
    margins = [(1.0 - s if y == 1.0 else 1.0 + s).relu() for s, y in zip(scores, labels)]  # max(0, 1 - y s)
    return _named(_mean(margins), "hinge")


def l2_penalty(parameters: Sequence[Value], alpha: float = 1e-4) -> Value:
    """L2 regularisation as in micrograd's demo: alpha sum_p p^2 (add it to the loss).

    Arguments:
        parameters: the Values to penalise, e.g. `model.parameters()`.
        alpha: the strength (a number >= 0).
    """
    alpha = _number(alpha, "l2_penalty", "alpha")
    if alpha < 0:
        raise ValueError(f"l2_penalty(): alpha = {alpha!r} must be >= 0 (a negative penalty rewards large weights)")
    parameters = _values(parameters, "l2_penalty", "parameters")
    squares = _sum([p * p for p in parameters])
    return _named(squares if alpha == 1.0 else alpha * squares, "l2_penalty")  # alpha sum p^2


# ---------------------------------------------------------------------------------------------------------
# Softmax, with a temperature.

def _scaled_shifted(logits, temperature, function: str) -> tuple[list[Value], float]:
    """s_i = (z_i - m) / T with m = max_j z_j, and m / T: the shift of eq 61 applied to eq 69.

    m is read from the data, as a constant. That is exact, not an approximation: for every constant c,
    softmax(z - c) = softmax(z) (eq 60) and logsumexp(z) = c + logsumexp(z - c), so the results do not
    depend on c at all, and the derivative that would flow through c (were m a node) is zero. Leaving it
    out changes no gradient, of any order.
    """
    logits = _values(logits, function, "logits")
    temperature = _temperature(temperature, function)
    m = max(z.data for z in logits)
    shifted = [z - m for z in logits]  # every z_i - m <= 0, so e^(z_i - m) <= 1 cannot overflow
    if temperature != 1.0:  # dividing by T = 1 changes nothing; skipping it keeps the graph small
        shifted = [s / temperature for s in shifted]
    return shifted, m / temperature


def softmax(logits: Sequence[Value | Number], temperature: float = 1.0) -> list[Value]:
    """softmax_T(z)_i = e^(z_i/T) / sum_j e^(z_j/T)  (eq 57 and, with a temperature T, eq 69),
    computed as e^(s_i) / sum_j e^(s_j) with s_i = (z_i - max z) / T (eq 61), so large logits cannot overflow.

    T > 1 flattens the distribution towards uniform (eq 70); T < 1 sharpens it towards the maximum (eq 71).

    Arguments:
        logits: the logits z_i (Values or numbers).
        temperature: T > 0 (a number).
    """
    shifted, _ = _scaled_shifted(logits, temperature, "softmax")
    exps = [s.exp() for s in shifted]
    total = _sum(exps)
    return [e / total for e in exps]  # e^(s_i) / sum_j e^(s_j)


def log_softmax(logits: Sequence[Value | Number], temperature: float = 1.0) -> list[Value]:
    """log softmax_T(z)_i = z_i/T - log sum_j e^(z_j/T)  (eq 58 with a temperature), computed as
    s_i - log sum_j e^(s_j) with s_i = (z_i - max z) / T (eq 61): finite even where softmax underflows to 0.

    Arguments:
        logits: the logits z_i (Values or numbers).
        temperature: T > 0 (a number).
    """
    shifted, _ = _scaled_shifted(logits, temperature, "log_softmax")
    log_total = _sum([s.exp() for s in shifted]).log()
    return [s - log_total for s in shifted]  # s_i - log sum_j e^(s_j)


def logsumexp(logits: Sequence[Value | Number], temperature: float = 1.0) -> Value:
    """logsumexp_T(z) = log sum_j e^(z_j/T), the log of softmax's denominator (eq 58, 69), computed as
    max(z)/T + log sum_j e^((z_j - max z)/T) (eq 61). It is close to max(z)/T: 3.408 for [1, 2, 3] (after eq 58).
    T * logsumexp_T(z) is the "smooth maximum", which tends to max(z) as T -> 0.

    Arguments:
        logits: the logits z_i (Values or numbers).
        temperature: T > 0 (a number).
    """
    shifted, m_over_t = _scaled_shifted(logits, temperature, "logsumexp")
    return m_over_t + _sum([s.exp() for s in shifted]).log()  # m/T + log sum_j e^(s_j)


# ---------------------------------------------------------------------------------------------------------
# Cross-entropy: softmax and log fused into one node (eq 63-68).

def _target_distribution(target, n_classes: int) -> list[float]:
    """The target as a list of probabilities t_j: a class index becomes a one-hot list."""
    function = "cross_entropy"
    if isinstance(target, numbers.Integral) and not isinstance(target, bool):
        if not 0 <= int(target) < n_classes:
            raise ValueError(f"{function}(): target class {target!r} is out of range for {n_classes} logits "
                             f"(classes are 0..{n_classes - 1})")
        return [1.0 if j == target else 0.0 for j in range(n_classes)]
    if isinstance(target, (numbers.Real, Value)):
        raise TypeError(f"{function}(): target = {target!r} must be a class index (an int) or a list of "
                        f"{n_classes} probabilities (e.g. one-hot)")
    t = _numbers(target, function, "target", 0.0, 1.0)
    if len(t) != n_classes:
        raise ValueError(f"{function}(): {n_classes} logits but {len(t)} target probabilities")
    if abs(math.fsum(t) - 1.0) > 1e-9:
        raise ValueError(f"{function}(): the target probabilities {target!r} sum to {math.fsum(t)!r}, not 1; "
                         "the derivative y - t (eq 67-68) needs sum_j t_j = 1")
    return t


def cross_entropy(logits: Sequence[Value | Number], target, temperature: float = 1.0) -> Value:
    """Cross-entropy of softmax_T(z) against a target distribution t, as ONE node (eq 63-68):
    L = -sum_j t_j log softmax_T(z)_j = sum_j t_j (logsumexp(z/T) - z_j/T),
    with local derivatives dL/dz_i = (y_i - t_i) / T where y = softmax_T(z): y - t for T = 1 (eq 68).

    Like PyTorch's `cross_entropy` on one example (divide the logits by T to compare). The fused
    derivative y - t is exact and cheap: backpropagating through softmax and log separately takes more nodes
    and loses precision when y_i is close to 0 or 1 (the remark after eq 68). The values are computed with
    logsumexp shifted by the maximum (eq 61), so large logits do not overflow.

    Its local derivatives are numbers, so second derivatives (`create_graph=True`) cannot pass through this
    node: the engine raises an AutogradError. For them write it unfused,
    `-log_softmax(logits)[k]` (or `-sum(t_j * log_softmax(logits)[j])`), which is differentiable to any order.

    Arguments:
        logits: the logits z_j (Values or numbers), e.g. a model's outputs.
        target: the index of the true class (an int), or a list of probabilities t_j summing to 1 (one-hot).
        temperature: T > 0 (a number).
    """
    logits = _values(logits, "cross_entropy", "logits")
    t = _target_distribution(target, len(logits))
    temperature = _temperature(temperature, "cross_entropy")
    s = [z.data / temperature for z in logits]  # s_j = z_j / T
    m = max(s)
    exps = [math.exp(s_j - m) for s_j in s]  # e^(s_j - m) <= 1: no overflow (eq 61)
    total = math.fsum(exps)
    log_total = math.log(total)  # log sum_j e^(s_j) = m + log_total
    loss = math.fsum(t_j * (log_total - (s_j - m)) for t_j, s_j in zip(t, s))  # sum_j t_j (lse - s_j) (eq 65)
    y = [e / total for e in exps]  # softmax_T(z)
    local_grads = tuple((y_i - t_i) / temperature for y_i, t_i in zip(y, t))  # (y_i - t_i) / T  (eq 68)
    return Value(loss, parents=tuple(logits), local_grads=local_grads, op="cross_entropy", label="cross_entropy")
