"""The training loop: forward, loss, backward, update, batch after batch, epoch after epoch."""

from __future__ import annotations

import numbers
import random
import sys
from typing import Callable, Sequence

from autograd import Value

from ._optim import SGD, Optimizer


def train(model: Callable, inputs: Sequence, targets: Sequence, loss_fn: Callable, epochs: int = 1,
          lr: float | None = None, optimizer: Optimizer | None = None, batch_size: int | None = None,
          shuffle: bool = False, seed: int | None = None, progress: bool | None = None) -> list[float]:
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

    Returns the history: for every epoch, the mean over the examples of the loss computed during that epoch
    (each batch's loss before its update).
    """
    if len(inputs) != len(targets) or not inputs:
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
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr)
    rng = random.Random(seed)
    order = list(range(len(inputs)))
    history = []
    bar = _progress_bar(epochs, progress)
    for _ in range(epochs):
        if shuffle:
            rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            loss = _batch_loss(model, inputs, targets, loss_fn, batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.data * len(batch)
        history.append(total / len(order))
        if bar is not None:
            bar.update()
            bar.set_postfix(loss=history[-1], refresh=False)  # tqdm redraws at most every 0.1 s
    if bar is not None:
        bar.close()
    return history


def _batch_loss(model, inputs, targets, loss_fn, batch: list[int]) -> Value:
    """E = 1/M sum_k E_k over the M examples of the batch (lecture note eq 52)."""
    total = 0.0
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
