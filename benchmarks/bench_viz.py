"""How the cost of the picture tools grows with the graph: explain_grad, backward_steps and draw_graph's DOT text
on chains of n multiplications, each size in its own fresh interpreter, sizes interleaved, repeated.

    python benchmarks/bench_viz.py [--sizes 5000 20000] [--repeats 3]

Prints, per tool and size, the time (min / median / max over the repeats) and the peak memory the tool added
(tracemalloc), then the ratio of the largest size's median time to the smallest's: linear cost gives the ratio
of the sizes (4 for 5,000 -> 20,000), quadratic cost its square (16). Layout by Graphviz is not timed (it runs
outside Python, only when a picture is shown).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
from autograd import Value
from autograd._drawing import Drawing, Marks, graph_source
from autograd.viz import backward_steps, explain_grad
tool, n = sys.argv[2], int(sys.argv[3])
x = Value(0.5, label="x")
y = x
for k in range(n):
    y = y * 1.0001
def run():
    if tool == "explain_grad":
        explain_grad(x, y, max_paths=1)
    elif tool == "backward_steps":
        steps = backward_steps(y)
        steps[len(steps) // 2].grads  # the gradients of one frame, as drawing it needs
    else:  # draw_graph's DOT text, without running Graphviz
        drawing = Drawing(y, "draw_graph")
        graph_source(drawing, "LR", precision=4, edge_labels=True, grad_text=lambda v: "0.0", marks=Marks())
start = time.perf_counter()
run()
seconds = time.perf_counter() - start
tracemalloc.start()  # a second run for the memory: tracemalloc slows Python down several times
run()
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1e6}))
"""


def measure(tool: str, n: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), tool, str(n)], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    tools = ["explain_grad", "backward_steps", "dot_text"]
    results = {(tool, n): [] for tool in tools for n in args.sizes}
    for _ in range(args.repeats):  # interleaved: every tool and size once per round
        for tool in tools:
            for n in args.sizes:
                results[tool, n].append(measure(tool, n))
    print(f"{'tool':<16}{'n':>8}{'min s':>9}{'median s':>10}{'max s':>9}{'peak MB':>9}")
    for tool in tools:
        for n in args.sizes:
            times = [r["seconds"] for r in results[tool, n]]
            peak = max(r["peak_mb"] for r in results[tool, n])
            print(f"{tool:<16}{n:>8}{min(times):>9.3f}{statistics.median(times):>10.3f}{max(times):>9.3f}"
                  f"{peak:>9.1f}")
    small, large = min(args.sizes), max(args.sizes)
    for tool in tools:
        ratio = (statistics.median(r["seconds"] for r in results[tool, large])
                 / statistics.median(r["seconds"] for r in results[tool, small]))
        print(f"{tool}: time at n = {large} / time at n = {small} = {ratio:.2f} "
              f"(linear: {large / small:.0f}, quadratic: {(large / small) ** 2:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
