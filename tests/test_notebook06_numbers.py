"""Notebook 06's numbers for one sigmoid neuron trained online on XOR, recomputed by PyTorch float64.

The notebook trains y = sigmoid(w1 x1 + w2 x2 + b) with `nn.train` (E = 1/2 (t - y)^2 per example, one update
per example, lr = 1, 2000 epochs, seeds 0, 1, 2) and prints two losses: the mean of the losses computed during
the last epoch (0.1421) and the loss at the final weights (0.1259). Here the same training is replayed in
PyTorch (tests/torch_reference.py, which writes the updates out step by step, independently of nn.train),
starting from the same initial weights, on XOR typed here, and the notebook's saved output is compared with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from nn import MLP

torch = pytest.importorskip("torch")
from torch_reference import train_reference  # noqa: E402  (needs torch)

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06_training.ipynb"
XOR_INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_TARGETS = [[0.0], [1.0], [1.0], [0.0]]
PRINTED = re.compile(r"seed (\d): mean loss during the last epoch (\d\.\d{4}), loss at the final weights "
                     r"(\d\.\d{4}), outputs \[([-\d. ]+)\], accuracy ([\d.]+)")


def printed_rows() -> dict[int, tuple[str, str, list[float], float]]:
    """The notebook's saved lines for the single neuron, by seed: (last epoch's mean, final loss, outputs,
    accuracy), the losses as printed (strings)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    text = "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) if output.get("name") == "stdout")
    return {int(seed): (last, final, [float(o) for o in outputs.split()], float(accuracy))
            for seed, last, final, outputs, accuracy in PRINTED.findall(text)}


@pytest.fixture(scope="module")
def replayed() -> dict[int, tuple[float, float, list[float]]]:
    """By seed: (mean loss during the last epoch, loss at the final weights, final outputs), by PyTorch."""
    results = {}
    for seed in range(3):
        neuron = MLP(2, [1], output_activation="sigmoid", seed=seed)   # only its initial weights are used
        history, outputs, _ = train_reference(neuron, XOR_INPUTS, XOR_TARGETS, lr=1.0, epochs=2000,
                                              loss="mse_half", output="sigmoid")
        outputs = [o[0] for o in outputs]
        at_final = sum(0.5 * (t[0] - o) ** 2 for o, t in zip(outputs, XOR_TARGETS)) / len(XOR_TARGETS)
        results[seed] = (history[-1], at_final, outputs)
    return results


def test_the_notebook_prints_the_losses_pytorch_finds(replayed):
    rows = printed_rows()
    assert sorted(rows) == [0, 1, 2], "notebook 06's single-neuron lines were not found in its saved output"
    for seed, (last, final, outputs, accuracy) in rows.items():
        torch_last, torch_final, torch_outputs = replayed[seed]
        assert last == f"{torch_last:.4f}" == "0.1421", seed
        assert final == f"{torch_final:.4f}" == "0.1259", seed
        assert outputs == pytest.approx(torch_outputs, abs=5e-4), seed
        right = sum((o > 0.5) == (t[0] == 1.0) for o, t in zip(torch_outputs, XOR_TARGETS)) / 4
        assert accuracy == right <= 0.75, seed


def test_the_final_weights_are_better_than_the_last_epochs_mean(replayed):
    # The notebook's explanation: online updates pull the neuron back and forth, so the mean of the losses
    # measured before each of the last epoch's four updates is above the loss of the weights training ends with.
    for torch_last, torch_final, _ in replayed.values():
        assert torch_final < torch_last - 0.01
