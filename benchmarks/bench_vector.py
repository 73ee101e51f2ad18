"""One training step on two moons: the vector form (numpy) vs the scalar engine vs PyTorch, same run.

    python benchmarks/bench_vector.py [--steps 300] [--engine-steps 5]

The step is the same everywhere: MLP(2, [16, 16, 1]) with tanh hidden layers and a linear output, the 100
examples of `nn.datasets.two_moons(100)` as one mini-batch, forward, loss = 1/M sum 1/2 (t - y)^2
(lecture note eq 6, 52), backward, and a gradient-descent update (eq 49, 50). All three compute in float64
(PyTorch with `torch.nn.Linear(..., dtype=torch.float64)`), start from the same weights, and the script
prints how far apart their weights are after one step.

Installs nothing: PyTorch (==2.13.0, the dev extras) is measured when installed and skipped otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed copy

import numpy as np  # noqa: E402

import nn  # noqa: E402
from nn import functional as F  # noqa: E402
from nn.vector import VectorMLP  # noqa: E402

LR = 0.1


def vector_step(vector: VectorMLP, X, T) -> None:
    vector.train_step(X, T, lr=LR)


def engine_step(model: nn.MLP, X, T) -> None:
    model.zero_grad()
    loss = sum((F.mse_half(model(x), t) for x, t in zip(X, T)), start=0.0) * (1.0 / len(X))
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad


def torch_network(model: nn.MLP):
    """torch.nn.Sequential of Linear (float64) and Tanh layers with the MLP's weights."""
    import torch
    layers = []
    for k, layer in enumerate(model.layers):
        linear = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        layers.append(linear)
        if k < len(model.layers) - 1:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def torch_step(network, X, T) -> None:
    import torch
    network.zero_grad()
    Y = network(X)
    loss = 0.5 * ((T - Y) ** 2).sum() / X.shape[0]
    loss.backward()
    with torch.no_grad():
        for p in network.parameters():
            p -= LR * p.grad


def ms_per_step(step, state, X, T, steps: int, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step(state, X, T)
        best = min(best, (time.perf_counter() - start) / steps)
    return best * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="steps per timing of numpy and PyTorch")
    parser.add_argument("--engine-steps", type=int, default=5, help="steps per timing of the scalar engine")
    args = parser.parse_args()
    inputs, targets = nn.datasets.two_moons(100)
    X, T = np.array(inputs), np.array(targets)
    model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=0)

    # Agreement after one step from the same weights.
    vector = VectorMLP.from_mlp(model)
    vector_step(vector, X, T)
    engine_model = VectorMLP.from_mlp(model).to_mlp()
    engine_step(engine_model, inputs, targets)
    after_engine = VectorMLP.from_mlp(engine_model)
    print("largest weight difference after one step, vector form vs scalar engine: "
          f"{max(np.abs(a - b).max() for a, b in zip(vector.weights, after_engine.weights)):.1e}")

    results = {
        "vector form (numpy float64)": ms_per_step(vector_step, VectorMLP.from_mlp(model), X, T, args.steps),
        "scalar engine (Value)": ms_per_step(engine_step, VectorMLP.from_mlp(model).to_mlp(), inputs, targets,
                                             args.engine_steps, repeats=2),
    }
    try:
        import torch
        network = torch_network(model)
        X_t, T_t = torch.tensor(X), torch.tensor(T)
        torch_step(network, X_t, T_t)
        torch_weights = [network[2 * k].weight.detach().numpy() for k in range(len(model.layers))]
        print("                                           vector form vs PyTorch: "
              f"{max(np.abs(a - b).max() for a, b in zip(vector.weights, torch_weights)):.1e}")
        results[f"PyTorch {torch.__version__} nn.Linear float64, batched "
                f"({torch.get_num_threads()} threads)"] = ms_per_step(torch_step, torch_network(model), X_t, T_t,
                                                                    args.steps)
    except ImportError:
        print("torch not installed: skipped (pip install torch==2.13.0)")

    print("two moons, 100 examples, MLP(2, [16, 16, 1]), one step = forward + loss + backward + update:")
    for name, ms in results.items():
        print(f"{name:>58}: {ms:9.3f} ms/step")
    vector_ms = results["vector form (numpy float64)"]
    for name, ms in results.items():
        if not name.startswith("vector"):
            print(f"ratio {name} / vector form: {ms / vector_ms:.2f}x")


if __name__ == "__main__":
    main()
