"""Speed and memory: this engine against micrograd and PyTorch scalars, in one run.

    python benchmarks/bench_engine.py [--nodes 200000] [--chain 1000000] [--repeats 5] [--sizes 10000 1000000]

1. Build+backward time and memory per node of a random graph (this engine, micrograd, PyTorch 0-dim tensors,
   and the floor: `floor_engine.py`, about the least a pure-Python engine can do per node, as a yardstick of
   what CPython itself costs on this machine; the ratios against it show the most any pure-Python engine
   could show here).
2. Size scaling: this engine's cost per node on the same kind of graph at a small and a large size, with the
   full garbage collections during the build counted, the floor engine's at the same sizes, and this engine's
   again with the collector paused (as only the caller can pause it), which separates the collector's share
   from that of memory access.
3. A chain of 1,000,000 multiplications built and backpropagated (no recursion limit involved).
4. One two-moons training step: 100 samples, MLP(2, [16, 16, 1]) with ReLU, forward + hinge loss + L2 +
   backward + SGD update, as in micrograd's demo (this engine's nn against micrograd's nn).

Every measurement runs in a fresh interpreter; the repeats are interleaved (engine A, engine B, ..., then again),
and each ratio is taken within one repeat, so a busy moment of a shared machine hits both sides of a ratio alike.
Ratios and times are printed as min / median / max over the repeats.

Installs nothing: micrograd (==0.1.0) and torch (==2.13.0) are measured when installed (the dev extras) and
skipped otherwise. Python's garbage collector keeps its default settings throughout. Every engine builds the
same random graph: `--nodes` operations (add, mul, tanh, relu) where each new node uses the previous one and,
for binary operations, a randomly chosen earlier node (shared subexpressions), then backpropagates from the last.
The time each engine spends in the garbage collector is printed too (timed with `gc.callbacks`).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed copy

from _fresh import in_fresh_interpreter, spread as _spread  # noqa: E402
from autograd import Value  # noqa: E402


def make_program(n_ops: int, n_inputs: int = 100, seed: int = 0) -> tuple[list[float], list[tuple]]:
    """A recipe for the graph, the same for every engine: a list of (op, index of an earlier node or -1).

    Each operation uses the previous node and, for add and mul, a random earlier node. Where the running value
    would leave [-4, 4] a tanh follows (decided here on plain floats, so no engine pays for the check)."""
    rng = random.Random(seed)
    inputs = [rng.uniform(-1, 1) for _ in range(n_inputs)]
    values = list(inputs)
    program = []
    for _ in range(n_ops):
        op = rng.choice(("add", "mul", "tanh", "relu", "mul", "add"))
        j = rng.randrange(len(values)) if op in ("add", "mul") else -1
        last = values[-1]
        last = {"add": lambda: last + values[j], "mul": lambda: last * values[j],
                "tanh": lambda: math.tanh(last), "relu": lambda: max(last, 0.0)}[op]()
        program.append((op, j))
        values.append(last)
        if abs(last) > 4.0:
            program.append(("tanh", -1))
            values.append(math.tanh(last))
    return inputs, program


def build(leaf, inputs, program):
    """Run the recipe with `leaf` making the input nodes; returns every node and the last one."""
    nodes = [leaf(x) for x in inputs]
    append = nodes.append
    last = nodes[-1]
    for op, j in program:
        if op == "add":
            last = last + nodes[j]
        elif op == "mul":
            last = last * nodes[j]
        elif op == "tanh":
            last = last.tanh()
        else:
            last = last.relu()
        append(last)
    return nodes, last


def _all_nodes(root):
    seen, stack = {root}, [root]
    while stack:
        node = stack.pop()
        yield node
        for p in node.parents:
            if p not in seen:
                seen.add(p)
                stack.append(p)


def _micrograd_tanh(self):
    import math
    t = math.tanh(self.data)
    out = type(self)(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t * t) * out.grad
    out._backward = _backward
    return out


def _micrograd_backward(root) -> None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10 * len(root._prev) + 10_000_000)  # its topological sort is recursive
    try:
        root.backward()
    finally:
        sys.setrecursionlimit(limit)


def _ours():
    return lambda x: Value(x), lambda root: root.backward(), lambda v: v.grad


def _micrograd():
    from micrograd.engine import Value as MicroValue
    if not hasattr(MicroValue, "tanh"):
        MicroValue.tanh = _micrograd_tanh  # the PyPI release predates tanh; this is its GitHub version
    return lambda x: MicroValue(x), _micrograd_backward, lambda v: float(v.grad)


def _torch():
    import torch
    return (lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True),
            lambda root: root.backward(), lambda v: 0.0 if v.grad is None else v.grad.item())


def _floor():
    import floor_engine
    return floor_engine.leaf, floor_engine.backward, lambda v: v.grad


# name -> (module that must be installed, loader). A loader imports its engine only when called, in the
# engine's own interpreter: importing torch adds some 160,000 objects that every garbage collection of a
# full generation would then scan, slowing whichever engine happened to share the interpreter with it.
ENGINES = {"this engine": ("autograd", _ours), "micrograd": ("micrograd", _micrograd), "torch": ("torch", _torch),
           "floor": ("floor_engine", _floor)}


def engines() -> list[str]:
    """The engines that are installed (found without importing them)."""
    import importlib.util
    found = []
    for name, (module, _) in ENGINES.items():
        if importlib.util.find_spec(module) is None:
            print(f"{module} not installed: skipped (pip install micrograd==0.1.0 torch==2.13.0, or the dev extras)")
        else:
            found.append(name)
    return found


def display_name(name: str) -> str:
    """'micrograd 0.1.0', 'torch 2.13.0+cpu scalars': the installed version, read without importing it."""
    from importlib.metadata import version
    if name == "this engine":
        return name
    if name == "floor":
        return "floor (benchmarks/floor_engine.py)"
    return f"{name} {version(name)}" + (" scalars" if name == "torch" else "")


class CollectorTimer:
    """A `gc.callbacks` entry that adds up the seconds spent in the garbage collector, and counts the full
    collections (of the oldest generation, which scan every tracked object) and their seconds."""

    def __init__(self):
        self.seconds, self._started = 0.0, 0.0
        self.full, self.full_seconds = 0, 0.0

    def __call__(self, phase: str, info: dict) -> None:  # called before and after each collection
        if phase == "start":
            self._started = time.perf_counter()
        else:
            seconds = time.perf_counter() - self._started
            self.seconds += seconds
            if info["generation"] == 2:
                self.full += 1
                self.full_seconds += seconds


def measure(name: str, n_ops: int, memory: bool = True, collector: bool = True) -> dict:
    """Time build+backward of the graph in engine `name`, then measure its memory (tracemalloc) separately.
    `collector=False` pauses the garbage collector during build+backward (only for the size-scaling comparison)."""
    leaf, backward, read_grad = ENGINES[name][1]()
    inputs, program = make_program(n_ops)
    gc.collect()
    timer = CollectorTimer()
    gc.callbacks.append(timer)
    start = time.perf_counter()
    if not collector:
        gc.disable()
    nodes, root = build(leaf, inputs, program)
    backward(root)
    seconds = time.perf_counter() - start
    gc.enable()
    gc.callbacks.remove(timer)
    n_nodes = len(nodes)
    grads = [read_grad(v) for v in nodes[: len(inputs)]]
    del nodes, root
    after = peak = 0
    if memory:
        gc.collect()
        tracemalloc.start()
        nodes, root = build(leaf, inputs, program)
        backward(root)
        after, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"us_per_node": seconds / n_nodes * 1e6, "gc_us_per_node": timer.seconds / n_nodes * 1e6,
            "full_collections": timer.full, "full_gc_us_per_node": timer.full_seconds / n_nodes * 1e6,
            "bytes_after": after / n_nodes, "bytes_peak": peak / n_nodes,
            "nodes": n_nodes, "grads": grads}


def moons_step_seconds(engine: str, steps: int) -> float:
    """Median seconds of one two-moons training step in `engine` ("this engine" or "micrograd")."""
    import statistics

    from nn import datasets
    X, Y = datasets.two_moons(100, noise=0.1, seed=0)
    labels = [y[0] for y in Y]
    if engine == "this engine":
        from nn import MLP, SGD
        model = MLP(2, [16, 16, 1], activation="relu", seed=0)
        optimizer = SGD(model.parameters(), lr=0.5)

        def step():
            scores = [model(x)[0] for x in X]
            loss = sum((1 - y * s).relu() for y, s in zip(labels, scores)) / len(X)
            loss = loss + 1e-4 * sum(p * p for p in model.parameters())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    else:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP
        random.seed(0)
        model = MicroMLP(2, [16, 16, 1])

        def step():  # micrograd's demo.ipynb, with its learning rate held at 0.5
            scores = [model([MicroValue(a), MicroValue(b)]) for a, b in X]
            loss = sum((1 + -y * s).relu() for y, s in zip(labels, scores)) * (1.0 / len(X))
            loss = loss + 1e-4 * sum(p * p for p in model.parameters())
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= 0.5 * p.grad
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def chain(n: int) -> float:
    """Seconds to build y = x * c * c * ... (n multiplications by one constant) and backpropagate."""
    x, c = Value(0.5), Value(1.0000001, requires_grad=False)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * c
    y.backward()
    seconds = time.perf_counter() - start
    assert abs(x.grad - 1.0000001 ** n) < 1e-6 * x.grad, x.grad
    return seconds


def spread(values: list[float], digits: int = 2, unit: str = "") -> str:
    """'min 1.23, median 1.40, max 1.52' (with a unit after each number)."""
    return _spread(values, digits=digits, unit=unit, labelled=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000, help="operations in the random graph")
    parser.add_argument("--chain", type=int, default=1_000_000, help="length of the deep chain")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved runs per engine")
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 1_000_000], help="size scaling: small, large")
    parser.add_argument("--engine", help=argparse.SUPPRESS)  # internal: measure one engine, print JSON
    parser.add_argument("--no-memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--collector-off-in-build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine == "chain":
        print(json.dumps({"seconds": chain(args.chain)}))
        return
    if args.engine.startswith("moons:") if args.engine else False:
        name = args.engine.split(":", 1)[1]
        print(json.dumps({"seconds": moons_step_seconds(name, 10 if name == "this engine" else 3)}))
        return
    if args.engine:
        print(json.dumps(measure(args.engine, args.nodes, memory=not args.no_memory,
                                 collector=not args.collector_off_in_build)))
        return

    names = engines()
    print(f"engines: {', '.join(map(display_name, names))}; garbage collector on (default settings); "
          f"{args.repeats} interleaved repeats, each run in a fresh interpreter")
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for _ in range(args.repeats):
        for name in names:
            runs[name].append(run_alone(name, "--nodes", str(args.nodes)))
    ours = runs["this engine"]
    print(f"graph: {ours[0]['nodes']} nodes (add, mul, tanh, relu; shared subexpressions)")
    for name, rs in runs.items():
        memory = (f"{min(r['bytes_after'] for r in rs):.0f} bytes/node after backward, "
                  f"{min(r['bytes_peak'] for r in rs):.0f} peak" if not name.startswith("torch")
                  else "memory: not comparable (tracemalloc sees no C++ allocations)")
        print(f"{display_name(name):>26}: us/node build+backward {spread([r['us_per_node'] for r in rs])} "
              f"(garbage collector {spread([r['gc_us_per_node'] for r in rs])}); {memory}")
    for name, rs in runs.items():
        if name == "this engine":
            continue
        worst = max(abs(a - b) for r, o in zip(rs, ours) for a, b in zip(r["grads"], o["grads"]))
        line = (f"{display_name(name)} / this engine, time: "
                f"{spread([r['us_per_node'] / o['us_per_node'] for r, o in zip(rs, ours)], 2, 'x')}")
        if not name.startswith("torch"):
            line += f"; memory after backward {rs[0]['bytes_after'] / ours[0]['bytes_after']:.2f}x"
        print(f"ratio {line} (largest gradient difference: {worst:.1e})")
    if "floor" in runs:  # what the same ratios are for the least a pure-Python engine can do, on this machine
        for name, rs in runs.items():
            if name not in ("this engine", "floor"):
                ratios = [r["us_per_node"] / f["us_per_node"] for r, f in zip(rs, runs["floor"])]
                print(f"ratio {display_name(name)} / floor, time: {spread(ratios, 2, 'x')}")

    small, large = args.sizes
    sized: dict[tuple[int, bool], list[dict]] = {(size, on): [] for size in (small, large) for on in (True, False)}
    for _ in range(args.repeats):
        for size, on in sized:
            sized[size, on].append(run_alone("this engine", "--nodes", str(size), "--no-memory",
                                             *([] if on else ["--collector-off-in-build"])))
    per_node = {key: [r["us_per_node"] for r in rs] for key, rs in sized.items()}
    ratios = [b / a for a, b in zip(per_node[small, True], per_node[large, True])]
    print(f"size scaling, this engine: us/node at {small} nodes {spread(per_node[small, True])}; at {large} nodes "
          f"{spread(per_node[large, True])}; large / small {spread(ratios, 2, 'x')}")
    for size in (small, large):
        rs = sized[size, True]
        print(f"  full collections during the build at {size} nodes (in the caller's loop; backward() pauses the "
              f"collector): {spread([r['full_collections'] for r in rs], 0)}, costing "
              f"{spread([r['full_gc_us_per_node'] for r in rs], 2, ' us/node')}")
    floor = {size: [run_alone("floor", "--nodes", str(size), "--no-memory")["us_per_node"]
                    for _ in range(args.repeats)] for size in (small, large)} if "floor" in names else {}
    if floor:
        ratios = [b / a for a, b in zip(floor[small], floor[large])]
        print(f"  the floor engine, for comparison: us/node at {small} nodes {spread(floor[small])}; at {large} "
              f"nodes {spread(floor[large])}; large / small {spread(ratios, 2, 'x')}")
    ratios = [b / a for a, b in zip(per_node[small, False], per_node[large, False])]
    print(f"  the same with the collector paused during the build (which only the caller can do): us/node at "
          f"{small} nodes {spread(per_node[small, False])}; at {large} nodes {spread(per_node[large, False])}; "
          f"large / small {spread(ratios, 2, 'x')}")

    seconds = [run_alone("chain", "--chain", str(args.chain))["seconds"] for _ in range(args.repeats)]
    print(f"this engine: a chain of {args.chain} multiplications built and backpropagated in "
          f"{spread(seconds, 2, ' s')} under the default recursion limit ({sys.getrecursionlimit()})")

    moons: dict[str, list[float]] = {n: [] for n in names if n in ("this engine", "micrograd")}
    for _ in range(args.repeats):
        for name in moons:
            moons[name].append(run_alone(f"moons:{name}")["seconds"])
    for name, times in moons.items():
        print(f"two-moons training step, {display_name(name):>16}: {spread([t * 1000 for t in times], 1, ' ms')}")
    for name, times in moons.items():
        if name != "this engine":
            ratio = [t / o for t, o in zip(times, moons["this engine"])]
            print(f"ratio {display_name(name)} / this engine, two-moons step: {spread(ratio, 1, 'x')}")


def run_alone(engine: str, *more: str) -> dict:
    """This script in a fresh interpreter, measuring one engine; what it printed (JSON)."""
    return in_fresh_interpreter(__file__, "--engine", engine, *more)


if __name__ == "__main__":
    main()
