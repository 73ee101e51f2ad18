"""What CPython's garbage collector costs per node, for three ways of storing a node's edges.

    python benchmarks/gc_layouts.py [--nodes 200000] [--repeats 5]

Builds the graph of bench_engine.py (same recipe, same operations) with three toy node classes, each in a fresh
interpreter with the collector at its default settings, and prints the collector's time per node (from
`gc.callbacks`) and the tracked objects each node leaves behind:

- tuples: `parents` and `local_grads` both tuples, as in Karpathy's microgpt `Value` (and this engine's first
  version);
- parents in slots: the parents in two slots of the node, the local derivatives still a tuple: this engine's
  layout (`Value.parents` is a property that makes the tuple when asked; backward reads the slots);
- both in slots: parents and local derivatives in slots of the node, no tuple per node.

A tuple that holds only floats (like `local_grads`) stops being tracked by the collector; one that holds nodes
does not, so the first layout leaves two tracked objects per node and the others one.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import CollectorTimer, make_program  # noqa: E402

ONE_ONE, ONE, ZERO = (1.0, 1.0), (1.0,), (0.0,)


class Tuples:
    __slots__ = ("data", "grad", "parents", "local_grads", "op", "label", "requires_grad", "_walk")

    def __init__(self, data, parents=(), local_grads=()):
        self.data, self.grad, self.op, self.label, self.requires_grad, self._walk = data, 0.0, "", "", True, None
        self.parents, self.local_grads = parents, local_grads


class ParentsInSlots:
    __slots__ = ("data", "grad", "p0", "p1", "local_grads", "op", "label", "requires_grad", "_walk")

    def __init__(self, data, parents=(), local_grads=()):
        self.data, self.grad, self.op, self.label, self.requires_grad, self._walk = data, 0.0, "", "", True, None
        self.p0 = parents[0] if parents else None
        self.p1 = parents[1] if len(parents) > 1 else None
        self.local_grads = local_grads


class BothInSlots:
    __slots__ = ("data", "grad", "p0", "p1", "g0", "g1", "op", "label", "requires_grad", "_walk")

    def __init__(self, data, parents=(), local_grads=()):
        self.data, self.grad, self.op, self.label, self.requires_grad, self._walk = data, 0.0, "", "", True, None
        self.p0 = parents[0] if parents else None
        self.p1 = parents[1] if len(parents) > 1 else None
        self.g0 = local_grads[0] if local_grads else None
        self.g1 = local_grads[1] if len(local_grads) > 1 else None


LAYOUTS = {"tuples": Tuples, "parents in slots": ParentsInSlots, "both in slots": BothInSlots}


def measure(layout: str, n_ops: int) -> dict:
    """Build the graph with one layout; seconds spent in the collector and tracked objects left, per node."""
    node = LAYOUTS[layout]
    inputs, program = make_program(n_ops)
    nodes = [node(x) for x in inputs]
    last = nodes[-1]
    gc.collect()
    tracked_before = len(gc.get_objects())
    timer = CollectorTimer()
    gc.callbacks.append(timer)
    start = time.perf_counter()
    for op, j in program:  # the operations' values and local derivatives, as the engine computes them
        if op == "add":
            last = node(last.data + nodes[j].data, (last, nodes[j]), ONE_ONE)
        elif op == "mul":
            last = node(last.data * nodes[j].data, (last, nodes[j]), (nodes[j].data, last.data))
        elif op == "tanh":
            t = math.tanh(last.data)
            last = node(t, (last,), (1.0 - t * t,))
        else:
            last = node(max(last.data, 0.0), (last,), ONE if last.data > 0 else ZERO)
        nodes.append(last)
    seconds = time.perf_counter() - start
    gc.callbacks.remove(timer)
    gc.collect()  # so that tuples of floats, which the collector stops tracking, are not counted
    n = len(program)
    return {"build_us": seconds / n * 1e6, "gc_us": timer.seconds / n * 1e6,
            "tracked_per_node": (len(gc.get_objects()) - tracked_before) / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5, help="runs per layout, interleaved; the fastest counts")
    parser.add_argument("--layout", help=argparse.SUPPRESS)  # internal: measure one layout, print JSON
    args = parser.parse_args()
    if args.layout:
        print(json.dumps(measure(args.layout, args.nodes)))
        return
    best: dict = {}
    for _ in range(args.repeats):
        for layout in LAYOUTS:
            out = subprocess.run([sys.executable, __file__, "--layout", layout, "--nodes", str(args.nodes)],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            if layout not in best or r["build_us"] < best[layout]["build_us"]:
                best[layout] = r
    print(f"{args.nodes} operations (bench_engine's graph); garbage collector on (default settings); "
          f"best of {args.repeats}")
    for layout, r in best.items():
        print(f"{layout:>17}: build {r['build_us']:.2f} us/node, of which garbage collector {r['gc_us']:.2f}; "
              f"{r['tracked_per_node']:.2f} tracked objects per node")


if __name__ == "__main__":
    main()
