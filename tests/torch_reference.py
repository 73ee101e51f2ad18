"""PyTorch float64 references for the tests: small fully connected networks trained by plain gradient descent,
written out step by step (independent of nn.train)."""

from __future__ import annotations

import random

import torch


def torch_parameters(model) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """An nn.MLP's weight matrices (outputs x inputs) and bias vectors as float64 tensors that require grad."""
    weights = [torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64,
                            requires_grad=True) for layer in model.layers]
    biases = [torch.tensor([n.b.data if n.b is not None else 0.0 for n in layer.neurons], dtype=torch.float64,
                           requires_grad=True) for layer in model.layers]
    return weights, biases


def forward(weights, biases, x, hidden: str = "tanh", output: str = "sigmoid") -> torch.Tensor:
    """Hidden layers with the activation `hidden`, the last layer with `output` ("tanh" or "sigmoid")."""
    y = torch.as_tensor(x, dtype=torch.float64)
    for k, (w, b) in enumerate(zip(weights, biases)):
        y = w @ y + b
        y = torch.sigmoid(y) if (output if k == len(weights) - 1 else hidden) == "sigmoid" else torch.tanh(y)
    return y


def loss_of(output, target, loss: str) -> torch.Tensor:
    t = torch.as_tensor(target, dtype=torch.float64)
    if loss == "bce":
        return torch.nn.functional.binary_cross_entropy(output, t)
    return 0.5 * ((t - output) ** 2).sum()  # "mse_half"


def train_reference(model, inputs, targets, lr: float, epochs: int, loss: str = "bce", hidden: str = "tanh",
                    output: str = "sigmoid", batch_size: int = 1, shuffle_seed: int | None = None):
    """Gradient descent, each update on the mean loss of a batch, as nn.train documents it: in order, or with
    `shuffle_seed` in a new order every epoch, `random.Random(shuffle_seed).shuffle` applied to the previous one.
    For a model without biases the biases are zero and stay so.

    Returns (history: the mean loss of each epoch, computed before each update; outputs for every input after
    training; the final weights and biases)."""
    weights, biases = torch_parameters(model)
    tensors = weights + biases if model.layers[0].neurons[0].b is not None else weights
    rng = random.Random(shuffle_seed)
    order = list(range(len(inputs)))
    history = []
    for _ in range(epochs):
        if shuffle_seed is not None:
            rng.shuffle(order)
        total = 0.0
        for start in range(0, len(inputs), batch_size):
            batch = order[start:start + batch_size]
            batch_loss = sum(loss_of(forward(weights, biases, inputs[k], hidden, output), targets[k], loss)
                             for k in batch) / len(batch)
            total += batch_loss.item() * len(batch)
            gradients = torch.autograd.grad(batch_loss, tensors)
            with torch.no_grad():
                for p, g in zip(tensors, gradients):
                    p -= lr * g
        history.append(total / len(inputs))
    with torch.no_grad():
        outputs = [forward(weights, biases, x, hidden, output).tolist() for x in inputs]
    return history, outputs, (weights, biases)
