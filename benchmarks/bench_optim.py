"""The optimisers' update alone: `nn.SGD.step()`, with momentum, and `nn.Adam.step()`, against torch.optim.

    python benchmarks/bench_optim.py [--repeats 5] [--baseline REV]

For the parameters of MLP(2, [16, 16, 1]) (337) and MLP(2, [64, 64, 1]) (4,417), the networks of
bench_compiled.py, each way runs in a fresh interpreter, the runs interleaved: every step gets fresh
gradients (set before the clock starts), each run keeps the median of its steps, and the table gives
min / median / max over the runs in microseconds per step and nanoseconds per parameter.

- nn:       this checkout's nn/_optim.py
- baseline: nn/_optim.py as it was at git revision REV (`--baseline`), to measure a change to the optimisers
- torch:    torch.optim.SGD / Adam (float64, one thread) on the same network as `MLP.to_torch()`; skipped
            when torch (==2.13.0, the dev extras) is missing
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout, not an installed copy

from _fresh import in_fresh_interpreter, spread as _spread  # noqa: E402

SIZES = {"337": [16, 16, 1], "4417": [64, 64, 1]}
UPDATES = ["sgd", "sgd_momentum", "adam"]


def optimiser_module(way: str, baseline_file: str | None):
    """nn._optim, or the baseline's copy of it loaded as a module of the nn package."""
    if way == "baseline":
        spec = importlib.util.spec_from_file_location("nn._optim_baseline", baseline_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    from nn import _optim
    return _optim


def measure(way: str, size: str, steps: int, baseline_file: str | None) -> dict:
    """Median seconds per step of each update for one way and one network size."""
    from nn import MLP
    model = MLP(2, SIZES[size], activation="relu", seed=0)
    rng = random.Random(0)
    result = {}
    if way == "torch":
        import torch
        torch.set_num_threads(1)
        net = model.to_torch()
        tensors = list(net.parameters())
        makers = {"sgd": lambda: torch.optim.SGD(tensors, lr=1e-6),
                  "sgd_momentum": lambda: torch.optim.SGD(tensors, lr=1e-6, momentum=0.9),
                  "adam": lambda: torch.optim.Adam(tensors, lr=1e-6)}

        def set_gradients():
            for t in tensors:
                t.grad = torch.empty_like(t).uniform_(-1, 1)
    else:
        optim = optimiser_module(way, baseline_file)
        params = model.parameters()
        makers = {"sgd": lambda: optim.SGD(params, lr=1e-6),
                  "sgd_momentum": lambda: optim.SGD(params, lr=1e-6, momentum=0.9),
                  "adam": lambda: optim.Adam(params, lr=1e-6)}

        def set_gradients():
            for p in params:
                p.grad = rng.uniform(-1.0, 1.0)
    for update in UPDATES:
        optimizer = makers[update]()
        times = []
        for _ in range(steps):
            set_gradients()
            start = time.perf_counter()
            optimizer.step()
            times.append(time.perf_counter() - start)
        result[update] = statistics.median(times)
    return result


def run_alone(way: str, size: str, steps: int, baseline_file: str | None) -> dict:
    """This script in a fresh interpreter, measuring one way; what it printed (JSON)."""
    more = ["--baseline-file", baseline_file] if baseline_file else []
    return in_fresh_interpreter(__file__, "--way", way, "--size", size, "--steps", str(steps), *more)


def spread(xs: list[float], scale: float = 1.0, digits: int = 1) -> str:
    """'min / median / max' of the numbers times scale, with thousands separated (2,610.3)."""
    return _spread(xs, scale, digits, thousands=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="fresh runs of each way, interleaved")
    parser.add_argument("--steps", type=int, default=200, help="timed steps per update and run")
    parser.add_argument("--baseline", metavar="REV", help="also time nn/_optim.py as at this git revision")
    parser.add_argument("--way", help=argparse.SUPPRESS)  # internal: measure one way, print JSON
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.way:
        print(json.dumps(measure(args.way, args.size, args.steps, args.baseline_file)))
        return

    ways = ["nn"]
    baseline_file = None
    if args.baseline:
        source = subprocess.run(["git", "show", f"{args.baseline}:nn/_optim.py"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
        folder = tempfile.TemporaryDirectory()  # removed when the script ends
        baseline_file = str(Path(folder.name) / "_optim_baseline.py")
        Path(baseline_file).write_text(source)
        ways.append("baseline")
    if importlib.util.find_spec("torch") is not None:
        ways.append("torch")
    else:
        print("torch not installed: skipped (pip install torch==2.13.0, or the dev extras)")
    print(f"{args.repeats} fresh runs of each way, interleaved; each the median of {args.steps} steps")
    for size in SIZES:
        results: dict[str, list[dict]] = {w: [] for w in ways}
        for _ in range(args.repeats):
            for way in ways:
                results[way].append(run_alone(way, size, args.steps, baseline_file))
        print(f"\n{size} parameters (MLP(2, {SIZES[size]})): min / median / max over {args.repeats} runs")
        for update in UPDATES:
            print(f"  {update}")
            times = {w: [r[update] for r in results[w]] for w in ways}
            for way in ways:
                print(f"{way:>12}: {spread(times[way], 1e6)} us per step, "
                      f"{spread(times[way], 1e9 / int(size))} ns per parameter")
            for other in ways[1:]:  # run k of one way against run k of the other (interleaved)
                print(f"  ratio {other} / nn: {spread([a / b for a, b in zip(times[other], times['nn'])], 1, 2)}")


if __name__ == "__main__":
    main()
