"""The training loop: forward, loss, backward, update, batch after batch, epoch after epoch."""

from __future__ import annotations

import functools
import gc
import numbers
import random
import sys
import warnings
from typing import Callable, Sequence

import autograd
from autograd import Value, topological_order

from ._optim import SGD, Optimizer, _check_rate


class TrainingStalledWarning(UserWarning):
    """`train` says once per call, with this warning, that the loss has stopped moving before it fell far:
    the "network paralysis" of the compilation of articles (file 002: saturated units whose derivative is
    near 0, so the weights hardly change) or a flat region of the error surface (its "local minima" and
    plateaus). Silence it with `warnings.simplefilter("ignore", nn.TrainingStalledWarning)`."""


STALL_WINDOW = 20      # epochs over which the loss is looked at; checked every STALL_WINDOW epochs
STALL_RTOL = 1e-4      # the loss "has stopped moving" if it changed by less than this, relative, over the window
SATURATED = 0.01       # a tanh or sigmoid is saturated where its derivative is below 1% of its largest value


def train(model: Callable, inputs: Sequence, targets: Sequence, loss_fn: Callable, epochs: int = 1,
          lr: float | None = None, optimizer: Optimizer | None = None, batch_size: int | None = None,
          shuffle: bool = False, seed: int | None = None, progress: bool | None = None,
          compiled: bool = False) -> list[float]:
    """Train `model` on the examples (inputs[k], targets[k]) and return the mean loss of every epoch.

    Each update takes a batch of examples, averages their losses, E = 1/M sum_k E_k (so the gradient is the
    average of the examples' gradients, lecture note eq 52), runs backward and lets the optimiser step.
    `batch_size=None` (or 1) is online training, one update per example, as in the worked example of the
    compilation of articles (file 002); `batch_size=len(inputs)` is one update per epoch.

    Arguments:
        model: a callable taking one example's inputs and returning a list of Values (e.g. an `MLP`).
        inputs: one list of input numbers per example.
        targets: one target per example, as `loss_fn` expects it (e.g. a list of numbers).
        loss_fn: `loss_fn(outputs, target) -> Value`, one example's loss (e.g. `nn.functional.mse_half`).
        epochs: the number of passes over the examples.
        lr: the learning rate of plain gradient descent (`SGD(model.parameters(), lr)`), if no optimizer.
        optimizer: an optimiser over the model's parameters (`SGD`, `Adam`), instead of `lr`.
        batch_size: the number of examples per update; None means 1 (online training).
        shuffle: visit the examples in a new random order every epoch (seeded by `seed`).
        seed: seeds the shuffling.
        progress: show a progress bar (tqdm) over the epochs; None shows one in a terminal for runs of 100
            epochs or more (if tqdm is installed), and none in a notebook or a log, where it would only clutter.
        compiled: record each batch's step once and replay it with numpy (`autograd.compiled`): the same
            numbers, much faster for large batches. Needs batches that repeat (shuffle=False).

    Returns the history: for every epoch, the mean over the examples of the loss computed during that epoch
    (each batch's loss before its update).

    Warns once (`TrainingStalledWarning`) when the loss has stopped moving (over 20 epochs, by less than 1
    part in 10^4) while it is still at least half its first epoch's value, or while most tanh and sigmoid
    units are saturated: the compilation of articles' "network paralysis" and "local minima" (file 002).

    Python's garbage collector is paused while it trains (`gc.disable()`), and its setting is restored when
    `train` returns or raises.
    """
    _check_arguments(model, inputs, targets, loss_fn, lr, optimizer)
    if len(inputs) != len(targets) or len(inputs) == 0:
        raise ValueError(f"train(): {len(inputs)} inputs and {len(targets)} targets; they must be equally many, "
                         "and at least one")
    if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"train(): epochs must be an integer >= 0, got {epochs!r}")
    batch_size = 1 if batch_size is None else batch_size
    if not isinstance(batch_size, numbers.Integral) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"train(): batch_size must be None or a positive integer, got {batch_size!r}")
    if (lr is None) == (optimizer is None):
        raise ValueError("train(): give either lr (plain gradient descent) or an optimizer, not "
                         f"{'both' if optimizer is not None else 'neither'}")
    if not isinstance(compiled, bool):
        raise TypeError(f"train(): compiled must be True or False, got {compiled!r}")
    if compiled and shuffle:
        raise ValueError("train(): compiled=True records each batch's step once and replays it, so the batches "
                         "must be the same every epoch: use shuffle=False")
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr)
    # The garbage collector is paused while training: the graphs hold no cycles (each batch's graph is freed
    # when the next replaces it), so its collections would only rescan the model and the graph. Restored to the
    # user's setting, also after an error. Two moons, 100 examples in one batch, MLP(2, [16, 16, 1]): 25.6-26.3
    # instead of 29.1-30.5 ms per epoch (online training: no change, its graphs are too small to set it off).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _train(model, inputs, targets, loss_fn, epochs, lr, optimizer, batch_size, shuffle, seed, progress,
                      compiled)
    finally:
        if enabled:
            gc.enable()


def _train(model, inputs, targets, loss_fn, epochs, lr, optimizer, batch_size, shuffle, seed, progress,
           compiled) -> list[float]:
    """The loop of `train`, on checked arguments."""
    steps: dict = {}  # compiled=True: batch -> its recorded step
    rng = random.Random(seed)
    order = list(range(len(inputs)))
    history = []
    stalled = False
    bar = _progress_bar(epochs, progress)
    for _ in range(epochs):
        if shuffle:
            rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            if compiled:
                loss: Value | Callable[[], Value] = functools.partial(  # builds the graph
                    _batch_loss, model, inputs, targets, loss_fn, batch)
                if tuple(batch) not in steps:
                    steps[tuple(batch)] = autograd.compiled(loss)
                value = steps[tuple(batch)]()  # = loss().backward(), returning the loss's value
            else:
                loss = _batch_loss(model, inputs, targets, loss_fn, batch)
                loss.backward()
                value = loss.data
            optimizer.step()
            total += value * len(batch)
        history.append(total / len(order))
        if not stalled and len(history) % STALL_WINDOW == 0:
            stalled = _warn_if_stalled(history, loss, lr)
        if bar is not None:
            bar.update()
            bar.set_postfix(loss=history[-1], refresh=False)  # tqdm redraws at most every 0.1 s
    if bar is not None:
        bar.close()
    return history


def _check_arguments(model, inputs, targets, loss_fn, lr, optimizer) -> None:
    """TypeError or ValueError naming the argument and its value, before anything deep inside fails."""
    if not callable(model):
        raise TypeError(f"train(): model must be callable (e.g. an nn.MLP), got {model!r}")
    for name, value in (("inputs", inputs), ("targets", targets)):
        if isinstance(value, (str, bytes, dict)) or not (hasattr(value, "__len__") and hasattr(value, "__getitem__")):
            raise TypeError(f"train(): {name} must be a list with one entry per example, got {value!r}")
    if not callable(loss_fn):
        raise TypeError(f"train(): loss_fn must be a function loss_fn(outputs, target) -> Value "
                        f"(e.g. nn.functional.mse_half), got {loss_fn!r}")
    if lr is not None:
        _check_rate("lr", lr, "train()", positive=True)  # as SGD() checks it
        if not callable(getattr(model, "parameters", None)):
            raise TypeError(f"train(): model {model!r} has no parameters() method, which lr needs; give "
                            "optimizer=SGD(parameters, lr) instead")
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise TypeError(f"train(): optimizer must be an nn optimiser (SGD, Adam), got {optimizer!r}")


def _warn_if_stalled(history: list[float], loss: Value | Callable[[], Value], lr: float | None) -> bool:
    """Warn (TrainingStalledWarning) and return True if the loss has stopped moving over the last
    STALL_WINDOW epochs while it is still at least half its first value, or while most tanh and sigmoid units
    of the last batch are saturated; `loss` is the last batch's loss, whose graph shows the units."""
    recent = history[-STALL_WINDOW:]
    last = history[-1]
    if max(recent) - min(recent) > STALL_RTOL * abs(last) or last <= 1e-3 * history[0]:
        return False  # still moving, or it has fallen a thousandfold: nothing to say
    loss = loss() if callable(loss) else loss  # (compiled=True passes the function that builds it)
    units = [node for node in topological_order(loss) if node.op in ("tanh", "sigmoid")]
    slopes = [node.local_grads[0] / (1.0 if node.op == "tanh" else 0.25) for node in units]
    saturated = sum(slope < SATURATED for slope in slopes)
    if last < 0.5 * history[0] and 2 * saturated <= len(units):
        return False  # it has learnt something and its units still pass gradients: a minimum, perhaps the one
    if 2 * saturated > len(units):
        cause = (f"{saturated} of the {len(units)} tanh and sigmoid units of the last batch are saturated "
                 f"(derivative below {SATURATED:.0%} of its largest value), and the error sent back is proportional "
                 "to that derivative, so the weights hardly change: the \"network paralysis\" of file 002.")
    else:
        cause = ("The error surface is flat here: gradient descent has stopped on a plateau or in a local "
                 "minimum (file 002, \"local minima\"), or the network cannot represent the data at all (one "
                 "neuron cannot learn XOR).")
    rate = f"lr={lr:g} now" if lr is not None else "the optimiser's"
    warnings.warn(f"train(): the loss has stopped moving: {last:.6g} in epoch {len(history)}, the same to "
                  f"1 part in 10^4 over the last {STALL_WINDOW} epochs (epoch 1: {history[0]:.6g}). {cause} Try a "
                  f"smaller learning rate ({rate}), other initial weights (another seed, or smaller ones), or "
                  "momentum.", TrainingStalledWarning, stacklevel=4)
    return True


def _batch_loss(model, inputs, targets, loss_fn, batch: list[int]) -> Value:
    """E = 1/M sum_k E_k over the M examples of the batch (lecture note eq 52)."""
    total = Value(0.0, requires_grad=False)  # (the constant that `loss + 0.0` would make)
    for k in batch:
        loss = loss_fn(model(inputs[k]), targets[k])
        if not isinstance(loss, Value):
            raise TypeError(f"train(): loss_fn returned {loss!r} for example {k}; it must return a Value")
        total = loss + total
    return total if len(batch) == 1 else total / len(batch)


def _progress_bar(epochs: int, progress: bool | None):
    """A tqdm bar over the epochs, or None."""
    if progress is False or (progress is None and (epochs < 100 or not sys.stderr.isatty())):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress:
            raise
        return None  # no bar without tqdm, unless one was asked for
    return tqdm(total=epochs, desc="train", unit="epoch")
