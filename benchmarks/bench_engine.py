"""Build+backward speed and memory per node: this engine against micrograd and PyTorch scalars, same run.

    python benchmarks/bench_engine.py [--nodes 200000] [--chain 1000000]

Installs nothing: micrograd (==0.1.0) and torch (==2.13.0) are measured when installed (the dev extras) and
skipped otherwise. Python's garbage collector keeps its default settings throughout. Every engine builds the
same random graph: `--nodes` operations (add, mul, tanh, relu) where each new node uses the previous one and,
for binary operations, a randomly chosen earlier node (shared subexpressions), then backpropagates from the last.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed copy

from autograd import Value  # noqa: E402


def make_program(n_nodes: int, n_inputs: int = 100, seed: int = 0) -> tuple[list[float], list[tuple]]:
    """A recipe for the graph, the same for every engine: (op, index of an earlier node or None)."""
    rng = random.Random(seed)
    inputs = [rng.uniform(-1, 1) for _ in range(n_inputs)]
    program = []
    for i in range(n_nodes):
        op = rng.choice(("add", "mul", "tanh", "relu", "mul", "add"))
        program.append((op, rng.randrange(n_inputs + i) if op in ("add", "mul") else None))
    return inputs, program


def build(leaf, inputs, program):
    nodes = [leaf(x) for x in inputs]
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
        if op in ("add", "mul") and abs(value_of(last)) > 4.0:  # keep numbers moderate
            last = last.tanh()
        nodes.append(last)
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


def value_of(v) -> float:
    return v.data if not hasattr(v, "item") else v.item()


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


def engines() -> dict:
    found = {"this engine": (lambda x: Value(x), lambda root: root.backward(), lambda v: v.grad)}
    try:
        from micrograd.engine import Value as MicroValue
        if not hasattr(MicroValue, "tanh"):
            MicroValue.tanh = _micrograd_tanh  # the PyPI release predates tanh; this is its GitHub version
        found["micrograd 0.1.0"] = (lambda x: MicroValue(x), _micrograd_backward, lambda v: v.grad)
    except ImportError:
        print("micrograd not installed: skipped (pip install micrograd==0.1.0)")
    try:
        import torch
        found[f"torch {torch.__version__} scalars"] = (
            lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True),
            lambda root: root.backward(), lambda v: v.grad.item())
    except ImportError:
        print("torch not installed: skipped (pip install torch==2.13.0)")
    return found


def time_engine(leaf, backward, inputs, program, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        nodes, root = build(leaf, inputs, program)
        backward(root)
        best = min(best, time.perf_counter() - start)
        del nodes, root
        gc.collect()
    return best


def memory_engine(leaf, backward, inputs, program) -> tuple[float, float]:
    gc.collect()
    tracemalloc.start()
    nodes, root = build(leaf, inputs, program)
    backward(root)
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del nodes, root
    gc.collect()
    return after, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--chain", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    inputs, program = make_program(args.nodes)
    found = engines()
    nodes, root = build(Value, inputs, program)
    n_total = sum(1 for _ in _all_nodes(root))
    del nodes, root
    print(f"graph: {args.nodes} operations, {n_total} nodes with the inputs, constants and moderating tanh; "
          f"gc enabled: {gc.isenabled()}")

    results = {}
    grads = {}
    for name, (leaf, backward, read_grad) in found.items():
        seconds = time_engine(leaf, backward, inputs, program, args.repeats)
        after, peak = memory_engine(leaf, backward, inputs, program)
        nodes, root = build(leaf, inputs, program)
        backward(root)
        grads[name] = [read_grad(v) for v in nodes[: len(inputs)]]
        del nodes, root
        results[name] = (seconds / n_total * 1e6, after / n_total, peak / n_total)
        print(f"{name:>26}: {results[name][0]:6.2f} us/node build+backward, "
              f"{results[name][1]:5.0f} bytes/node after backward, {results[name][2]:5.0f} peak")

    ours = results["this engine"]
    for name, r in results.items():
        if name != "this engine":
            print(f"ratio {name} / this engine: time {r[0] / ours[0]:.2f}x, memory after backward "
                  f"{r[1] / ours[1]:.2f}x")
            worst = max(abs(a - b) for a, b in zip(grads[name], grads["this engine"]))
            print(f"    largest gradient difference from this engine on the inputs: {worst:.2e}")

    x = Value(0.5)
    start = time.perf_counter()
    y = x
    for _ in range(args.chain):
        y = y * 1.0000001
    y.backward()
    print(f"chain of {args.chain} multiplications built and backpropagated in {time.perf_counter() - start:.2f} s "
          f"(recursion limit {sys.getrecursionlimit()}); d y/d x = {x.grad:.6f}")


if __name__ == "__main__":
    main()
