"""Optimisers: `SGD` (with the momentum of the compilation of articles, file 002) and `Adam`.

An optimiser holds a list of parameters (`Value`s). After `loss.backward()` has filled their `.grad`,
`step()` changes each parameter's `.data`; `zero_grad()` resets the gradients before the next backward.
"""

from __future__ import annotations

import math
from typing import Iterable

from autograd import AutogradError, Value
from autograd._errors import real_number, shown_value


def _check_rate(name: str, x, where: str, upper: float | None = None, positive: bool = False) -> float:
    """A rate or coefficient as a float: a finite number >= 0 (> 0 if positive, < upper if given)."""
    value = real_number(x, f"{where}: {name}", error=ValueError)
    if value < 0 or (positive and value == 0) or (upper is not None and value >= upper):
        bounds = f"{'> 0' if positive else '>= 0'}" + (f" and < {upper}" if upper is not None else "")
        raise ValueError(f"{where}: {name} must be {bounds}, got {x!r}")
    return value


class Optimizer:
    """What every optimiser shares: the checked list of parameters, `zero_grad()`, and `_apply()`, which
    changes no parameter unless every new value is finite. Subclasses define `step()`.

    Arguments:
        params: the parameters to update (`Value`s that require a gradient, each once).
    """

    def __init__(self, params: Iterable[Value]):
        where = type(self).__name__ + "()"
        if isinstance(params, (Value, str, bytes)) or not hasattr(params, "__iter__"):
            raise TypeError(f"{where}: params must be a list of Values, e.g. model.parameters() or [w], "
                            f"got {params!r} ({type(params).__name__})")
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{where}: the parameter list is empty")
        seen = set()
        for k, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"{where}: parameter {k} is {p!r}, not a Value")
            if not p.requires_grad or p.parents:
                raise ValueError(f"{where}: parameter {k} ({p!r}) must be a leaf Value that requires a gradient")
            if id(p) in seen:
                raise ValueError(f"{where}: parameter {k} ({p.label or repr(p)}) is listed twice; it would be "
                                 "updated twice per step")
            seen.add(id(p))

    def zero_grad(self) -> None:
        """Reset every parameter's `.grad` to 0 (gradients otherwise accumulate over backward calls)."""
        for p in self.params:  # checked once, at construction: every one is a leaf Value
            p.grad = 0.0

    # step() runs once per batch, so its checks are lean: the parameter list is checked once, at construction;
    # the gradients' types in one pass (the slow loop below only when one is not a float, to say which); the
    # new values' finiteness by their sum, which is finite only if every term is (and, when the sum overflows,
    # by the slow loop). Measured by `python benchmarks/bench_optim.py --baseline 659d942` (the checks per
    # parameter before): SGD.step() from 0.44-0.46 to 0.09 us per parameter, 4.5-5.3x faster, for 337 and
    # 4,417 parameters; Adam.step() from 0.55-0.60 to 0.21 us, 2.5-2.9x.

    def _gradients(self) -> list[float]:
        """Every parameter's gradient, which must be a number: after `backward(create_graph=True)` it is a
        `Value` (a graph for higher derivatives), which an update must not silently turn into a number."""
        grads = [p.grad for p in self.params]
        if set(map(type, grads)) == {float}:  # as backward() leaves them
            return grads
        where = f"{type(self).__name__}.step()"
        gradients = []
        for p in self.params:
            if isinstance(p.grad, Value):
                raise TypeError(f"{where}: the gradient of {p.label or repr(p)} is a Value "
                                "(left by backward(create_graph=True)); run backward() without create_graph "
                                "before a step")
            # One not finite (an int beyond 1.8e308 is inf): _apply names the parameter it would make inf or nan.
            gradients.append(real_number(p.grad, f"{where}: the gradient of {p.label or repr(p)}", finite=False))
        return gradients

    def _apply(self, new_values: list[float]) -> None:
        """Set every parameter's `.data` to its new value, or none of them if one is not finite."""
        if not math.isfinite(sum(new_values)):  # inf or nan in a term makes the sum inf or nan
            for p, value in zip(self.params, new_values):
                if not math.isfinite(value):
                    raise AutogradError(f"{type(self).__name__}.step(): parameter {p.label or repr(p)} would "
                                        f"become {value!r} (its gradient is {shown_value(p.grad)}); no parameter "
                                        "was changed")
        for p, value in zip(self.params, new_values):
            p.data = value


class SGD(Optimizer):
    """Gradient descent with momentum, as the compilation of articles (file 002) writes it:

        dw(t) = -lr * dE/dw + momentum * dw(t-1),    w <- w + dw(t)

    With momentum = 0 this is w <- w - lr dE/dw (lecture note eq 50). For a constant rate it is PyTorch's
    `torch.optim.SGD(momentum=...)`, which keeps a velocity v(t) = momentum * v(t-1) + dE/dw and does
    w <- w - lr v(t): multiplying by -lr, -lr v(t) = momentum * (-lr v(t-1)) - lr dE/dw, which is the
    recurrence above with dw(t) = -lr v(t). (If `lr` changes during training the two differ: here the
    stored change dw(t-1) carries the old rate.)

    Arguments:
        params: the parameters (`Value`s) to update.
        lr: the learning rate alpha (> 0). It may be changed between steps (`opt.lr = ...`).
        momentum: gamma (>= 0 and < 1): the fraction of the previous change added to this one.
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0):
        super().__init__(params)
        self.lr = _check_rate("lr", lr, "SGD()", positive=True)
        self.momentum = _check_rate("momentum", momentum, "SGD()", upper=1.0)
        self.changes = [0.0] * len(self.params)  # dw(t-1) per parameter

    def step(self) -> None:
        """w <- w + dw with dw = -lr dE/dw + momentum dw_prev, for every parameter."""
        lr = self.lr = _check_rate("lr", self.lr, "SGD.step()", positive=True)  # it may have been changed
        momentum = self.momentum
        if momentum:
            changes = [-lr * g + momentum * previous  # dw = -alpha dE/dw + gamma dw_prev
                       for g, previous in zip(self._gradients(), self.changes)]
        else:  # the same without adding 0 * dw_prev
            changes = [-lr * g for g in self._gradients()]
        self._apply([p.data + change for p, change in zip(self.params, changes)])
        self.changes = changes


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), as `torch.optim.Adam` without weight decay:

        m <- beta1 m + (1 - beta1) g,        v <- beta2 v + (1 - beta2) g^2        (g = dE/dw)
        w <- w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)      (t = the step number)

    Arguments:
        params: the parameters (`Value`s) to update.
        lr: the learning rate (> 0).
        betas: (beta1, beta2), the decay rates of the averages of g and g^2 (each >= 0 and < 1).
        eps: added to the denominator (> 0).
    """

    def __init__(self, params: Iterable[Value], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8):
        super().__init__(params)
        self.lr = _check_rate("lr", lr, "Adam()", positive=True)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam(): betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check_rate("betas[0]", betas[0], "Adam()", upper=1.0),
                      _check_rate("betas[1]", betas[1], "Adam()", upper=1.0))
        self.eps = _check_rate("eps", eps, "Adam()", positive=True)
        self.m = [0.0] * len(self.params)  # running average of g
        self.v = [0.0] * len(self.params)  # running average of g^2
        self.t = 0

    def step(self) -> None:
        """One Adam update of every parameter."""
        lr = self.lr = _check_rate("lr", self.lr, "Adam.step()", positive=True)  # it may have been changed
        beta1, beta2 = self.betas
        t = self.t + 1
        grads = self._gradients()
        rest1, rest2 = 1.0 - beta1, 1.0 - beta2
        m = [beta1 * m + rest1 * g for g, m in zip(grads, self.m)]
        v = [beta2 * v + rest2 * g * g for g, v in zip(grads, self.v)]
        correction1, correction2 = 1.0 - beta1 ** t, 1.0 - beta2 ** t  # the averages start at 0
        eps, sqrt = self.eps, math.sqrt
        self._apply([p.data - lr * (m_k / correction1) / (sqrt(v_k / correction2) + eps)
                     for p, m_k, v_k in zip(self.params, m, v)])
        self.m, self.v, self.t = m, v, t
