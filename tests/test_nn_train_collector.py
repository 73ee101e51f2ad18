"""nn.train pauses Python's garbage collector while it trains and restores the user's setting exactly, after
success and after an error; no collection runs during training (counted with `gc.callbacks`, not timed)."""

import gc
import warnings

import pytest

from nn import MLP, TrainingStalledWarning, datasets, train
from nn import functional as F


@pytest.fixture
def collections():
    """The list of the generations collected while the test runs (gc.callbacks)."""
    seen = []

    def callback(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(callback)
    enabled = gc.isenabled()
    try:
        yield seen
    finally:
        gc.callbacks.remove(callback)
        gc.enable() if enabled else gc.disable()


def _train_moons(epochs=3, **kwargs):
    inputs, targets = datasets.two_moons(40, noise=0.1, seed=0)
    model = MLP(2, [8, 1], activation="tanh", seed=0)
    return train(model, inputs, targets, F.mse_half, epochs=epochs, lr=0.1, **kwargs)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_setting_is_restored_after_training(collections, enabled):
    gc.enable() if enabled else gc.disable()
    history = _train_moons()
    assert len(history) == 3
    assert gc.isenabled() is enabled


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_setting_is_restored_after_an_error(collections, enabled):
    calls = []

    def failing_loss(outputs, target):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("the user's loss failed")
        return F.mse_half(outputs, target)

    gc.enable() if enabled else gc.disable()
    inputs, targets = datasets.two_moons(10, noise=0.1, seed=0)
    with pytest.raises(RuntimeError, match="the user's loss failed"):
        train(MLP(2, [4, 1], seed=0), inputs, targets, failing_loss, epochs=1, lr=0.1)
    assert gc.isenabled() is enabled


def test_no_collection_runs_during_training(collections):
    gc.enable()
    inputs, targets = datasets.two_moons(60, noise=0.1, seed=0)
    model = MLP(2, [16, 1], activation="tanh", seed=0)
    # The same work outside train() (one batch of all examples: a graph of some 2,000 nodes alive at once)
    # does trigger collections, so the count below says something.
    sum(F.mse_half(model(x), t) for x, t in zip(inputs, targets)).backward()
    assert len(collections) > 0
    collections.clear()
    train(model, inputs, targets, F.mse_half, epochs=3, lr=0.1, batch_size=len(inputs))
    assert collections == []
    assert gc.isenabled()


def test_the_stall_warning_still_points_at_the_callers_line():
    inputs, targets = datasets.xor()
    model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always", TrainingStalledWarning)
        train(model, inputs, targets, F.binary_cross_entropy, epochs=300, lr=0.5)
    assert [w.filename for w in record if w.category is TrainingStalledWarning] == [__file__]
