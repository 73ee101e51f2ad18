"""What the chain rule's one line costs: the engine's loop against the same loop written out per parent slot.

    python benchmarks/chain_rule_forms.py [--nodes 200000] [--repeats 15]

Builds the benchmark's random graph (`bench_engine.make_program`) once, takes its topological order, and times
the chain-rule pass alone (garbage collector off, best of the repeats) in two forms:

- one line: `for parent, local_grad in zip(parents, node.local_grads): parent._grad += local_grad * node._grad`,
  the loop of `autograd.engine.backpropagate`;
- unrolled: the first and the second parent slot written out, with the loop only for nodes of more parents.

Both must give the same gradients (checked). The engine keeps the one line; this script says what that costs.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed copy

from bench_engine import build, make_program  # noqa: E402

from autograd import Value, topological_order  # noqa: E402
from autograd.engine import _run_hooks  # noqa: E402


def _start(order: list, root: Value) -> None:
    """What both forms do first, as `backpropagate` does: every gradient 0, the root's 1."""
    for node in order:
        node._grad = 0.0
    root._grad = 1.0


def one_line(order: list, root: Value) -> None:
    """The loop of `autograd.engine.backpropagate` (without its create_graph branch)."""
    _start(order, root)
    for node in order:
        if node._hooks:
            _run_hooks(node)
        parents = node._second if node._first is None else (node._first, node._second)
        for parent, local_grad in zip(parents, node.local_grads):
            if parent.requires_grad:
                parent._grad += local_grad * node._grad


def unrolled(order: list, root: Value) -> None:
    _start(order, root)
    for node in order:
        if node._hooks:
            _run_hooks(node)
        g = node._grad
        first = node._first
        if first is None:  # a leaf, or an operation of more than two operands
            for parent, local_grad in zip(node._second, node.local_grads):
                if parent.requires_grad:
                    parent._grad += local_grad * g
        else:
            local_grads = node.local_grads
            if first.requires_grad:
                first._grad += local_grads[0] * g
            second = node._second
            if second is not None and second.requires_grad:
                second._grad += local_grads[1] * g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    inputs, program = make_program(args.nodes)
    nodes, root = build(Value, inputs, program)
    gc.disable()
    best = {one_line: float("inf"), unrolled: float("inf")}
    grads = {}
    for _ in range(args.repeats):
        for form in best:
            order = topological_order(root)
            start = time.perf_counter()
            form(order, root)
            best[form] = min(best[form], time.perf_counter() - start)
            grads[form] = [node._grad for node in nodes[:len(inputs)]]
    assert grads[one_line] == grads[unrolled], "the two forms disagree"
    for form, seconds in best.items():
        print(f"{form.__name__:>9}: {seconds / len(nodes) * 1e6:.3f} us/node (best of {args.repeats}, "
              f"{len(nodes)} nodes)")
    print(f"unrolled / one line: {best[unrolled] / best[one_line]:.2f}")


if __name__ == "__main__":
    main()
