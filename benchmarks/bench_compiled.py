"""Compiled steps against the engine, PyTorch and the vector form: one training step on a fixed batch.

    python benchmarks/bench_compiled.py [--repeats 5] [--configs 16,16:100 64,64:1000]

A step: forward over the batch, the loss (mean over the examples of 1/2 (t - y)^2, eq 6), backward, and an
update of plain gradient descent (lr 0.01), for MLP(2, sizes, relu, linear output) on two moons (targets
-1 and +1). Four ways, each in a fresh interpreter that imports only what it needs, repeats interleaved:

- engine:   `f().backward()`, f building the scalar graph (nn.MLP, nn.functional.mse_half)
- compiled: `autograd.compiled(f)`, the same f, recorded at the first call and replayed with numpy
- torch:    PyTorch batched: `torch.nn.Linear` layers in float64 on the batch as one matrix, torch.optim.SGD
- vector:   `nn.vector.VectorMLP.train_step`, the lecture note's vector form written with numpy

Every run uses one thread (torch.set_num_threads(1); OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=1 for numpy's
BLAS), the fair setting on a shared machine. Each run times its steps and keeps the median; the table gives
min / median / max over the runs. The
compiled run also times the engine's step and the recording (the first call; numpy already imported, whose
own import is timed apart). All four must agree on the first step's loss and gradients (largest difference
printed). Installs nothing: torch (==2.13.0, the dev extras) is skipped when missing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed copy

from _fresh import in_fresh_interpreter, spread  # noqa: E402

LR = 0.01
WAYS = ["engine", "compiled", "torch", "vector"]


def problem(sizes: list[int], batch: int):
    """The batch, the targets and the initial network (seeded), as plain lists and an nn.MLP."""
    from nn import MLP, datasets
    X, T = datasets.two_moons(batch, noise=0.1, seed=0)
    return X, T, MLP(2, sizes, activation="relu", seed=0)


def engine_loss(model, X, T):
    """f: the mean over the batch of mse_half, built as a scalar graph from the model's current weights."""
    from nn.functional import mse_half

    def f():
        return sum(mse_half(model(x), t) for x, t in zip(X, T)) / len(X)
    return f


def flat_gradients(model) -> list[float]:
    """Layer by layer, neuron by neuron: the weights' gradients, then the biases' (VectorMLP's layout)."""
    grads = []
    for layer in model.layers:
        grads += [w.grad for neuron in layer.neurons for w in neuron.w]
        grads += [neuron.b.grad for neuron in layer.neurons]
    return grads


def measure(way: str, sizes: list[int], batch: int, steps: int) -> dict:
    """Time `steps` steps of one way; also return the first step's loss and gradients."""
    X, T, model = problem(sizes, batch)
    result: dict = {}
    if way in ("engine", "compiled"):
        from nn import SGD
        optimizer = SGD(model.parameters(), lr=LR)
        f = engine_loss(model, X, T)
        if way == "compiled":
            started = time.perf_counter()
            import numpy  # noqa: F401  (imported once per process; timed apart from the recording)
            import numpy.ma  # noqa: F401  (numpy 2 loads it on the first np.unique: once per process too)
            result["numpy_import"] = time.perf_counter() - started
            from autograd import compiled
            twin = problem(sizes, batch)[2]
            twin_f = engine_loss(twin, X, T)
            engine_times = []
            for _ in range(2):
                started = time.perf_counter()
                twin_f().backward()
                engine_times.append(time.perf_counter() - started)
            result["engine_step"] = min(engine_times)
            step = compiled(f)
            started = time.perf_counter()
            step()
            result["record"] = time.perf_counter() - started
            optimizer.zero_grad()
            loss = step()  # replayed: the first step's loss and gradients, for the comparison
            result["loss"], result["grads"] = loss, flat_gradients(model)

            def gradient_step():
                optimizer.zero_grad()
                step()
        else:
            optimizer.zero_grad()
            loss = f()
            loss.backward()
            result["loss"], result["grads"] = loss.data, flat_gradients(model)

            def gradient_step():
                optimizer.zero_grad()
                f().backward()
    elif way == "torch":
        import torch
        torch.set_num_threads(1)  # as numpy's BLAS (OMP_NUM_THREADS=1): a shared machine, one core each
        network = model.to_torch()  # nn.Linear layers (float64) with the MLP's weights, and ReLU modules
        linears = [module for module in network if isinstance(module, torch.nn.Linear)]
        optimizer = torch.optim.SGD(network.parameters(), lr=LR)
        inputs, targets = torch.tensor(X, dtype=torch.float64), torch.tensor(T, dtype=torch.float64)

        def loss_of():
            return ((targets - network(inputs)) ** 2).sum() / (2 * len(X))

        def gradient_step():
            optimizer.zero_grad()
            loss_of().backward()
        loss = loss_of()
        loss.backward()
        result["loss"] = loss.item()
        result["grads"] = [g for linear in linears
                           for g in linear.weight.grad.ravel().tolist() + linear.bias.grad.tolist()]
    else:
        import numpy as np

        from nn.vector import VectorMLP
        vector = VectorMLP.from_mlp(model)
        inputs, targets = np.array(X), np.array(T)
        dW, db = vector.gradients(inputs, targets)
        result["loss"] = float(vector.train_step(inputs, targets, lr=0.0))  # the loss, weights unchanged
        result["grads"] = [g for W, b in zip(dW, db) for g in W.ravel().tolist() + b.tolist()]

        def gradient_step():
            vector.gradients(inputs, targets)

        def update():
            vector.train_step(inputs, targets, lr=LR)
    if way != "vector":
        def update():
            gradient_step()
            optimizer.step()
    for name, one_step in (("gradients", gradient_step), ("step", update)):
        times = []
        for _ in range(steps):
            started = time.perf_counter()
            one_step()
            times.append(time.perf_counter() - started)
        result[name] = statistics.median(times)
    return result


def run_alone(way: str, sizes: str, batch: int, steps: int) -> dict:
    """This script in a fresh interpreter, measuring one way; what it printed (JSON)."""
    one_thread = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return in_fresh_interpreter(__file__, "--way", way, "--sizes", sizes, "--batch", str(batch),
                                "--steps", str(steps), env={**os.environ, **one_thread})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="fresh runs of each way, interleaved")
    parser.add_argument("--configs", nargs="+", default=["16,16:100", "64,64:1000"],
                        help="hidden layer sizes and batch size, e.g. 16,16:100")
    parser.add_argument("--way", help=argparse.SUPPRESS)  # internal: measure one way, print JSON
    parser.add_argument("--sizes", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.way:
        sizes = [int(n) for n in args.sizes.split(",")] + [1]
        print(json.dumps(measure(args.way, sizes, args.batch, args.steps)))
        return

    import importlib.util
    ways = [w for w in WAYS if w != "torch" or importlib.util.find_spec("torch") is not None]
    if "torch" not in ways:
        print("torch not installed: skipped (pip install torch==2.13.0, or the dev extras)")
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, {_cores()} cores; "
          f"Python {platform.python_version()}; {args.repeats} fresh runs of each way, interleaved")
    for config in args.configs:
        sizes, batch = config.split(":")
        batch = int(batch)
        nodes = batch * sum(int(n) for n in sizes.split(","))
        results: dict[str, list[dict]] = {w: [] for w in ways}
        for _ in range(args.repeats):
            for way in ways:
                slow = way == "engine"
                steps = (3 if nodes < 10_000 else 1) if slow else (200 if nodes < 10_000 else 20)
                results[way].append(run_alone(way, sizes, batch, steps))
        print(f"\nMLP(2, [{sizes}, 1]) relu, batch {batch}: ms, min / median / max over {args.repeats} runs")
        for what, key in (("gradients (zero_grad, forward, backward)", "gradients"),
                          ("training step (gradients, then the update: nn.SGD, torch.optim.SGD)", "step")):
            print(f"  {what}")
            for way in ways:
                print(f"{way:>12}: {spread([r[key] for r in results[way]], 1000)}")
            times = {w: [r[key] for r in results[w]] for w in ways}
            ratios = [("engine / compiled", "engine", "compiled")]
            if "torch" in ways:
                ratios.append(("compiled / torch batched", "compiled", "torch"))
            ratios.append(("compiled / vector form", "compiled", "vector"))
            for name, a, b in ratios:  # run k of one way against run k of the other (interleaved)
                print(f"  ratio {name}: {spread([x / y for x, y in zip(times[a], times[b])])}")
        compiled_runs = results["compiled"]
        print(f"recording (first call) / engine step: "
              f"{spread([r['record'] / r['engine_step'] for r in compiled_runs])} "
              f"(recording {spread([r['record'] for r in compiled_runs], 1000, 1)} ms; numpy's import with numpy.ma, "
              f"once per process: {spread([r['numpy_import'] for r in compiled_runs], 1000, 1)} ms)")
        reference = results["engine"][0]
        for way in ways[1:]:
            r = results[way][0]
            worst = max(abs(a - b) for a, b in zip(r["grads"], reference["grads"], strict=True))
            print(f"{way} vs engine, first step: loss difference {abs(r['loss'] - reference['loss']):.1e}, "
                  f"largest gradient difference {worst:.1e}")


def _cores() -> int:
    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
