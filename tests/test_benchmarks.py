"""The benchmark scripts run, on small sizes, and what they compare agrees (no timing is asserted)."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(script: str, *args: str) -> str:
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *args], check=True, capture_output=True,
                          text=True, timeout=600).stdout


@pytest.mark.skipif(importlib.util.find_spec("micrograd") is None, reason="micrograd (dev extras) not installed")
def test_bench_engine_engines_agree_on_every_gradient():
    out = run("bench_engine.py", "--nodes", "3000", "--chain", "2000", "--repeats", "2", "--sizes", "1000", "4000")
    differences = re.findall(r"largest gradient difference: (\S+)\)", out)
    assert len(differences) == 2 + (importlib.util.find_spec("torch") is not None), out  # micrograd, floor, torch
    assert all(float(d) < 1e-9 for d in differences), out
    number = r"[\d.]+"
    spread = rf"min {number}[^,]*, median {number}[^,]*, max {number}"
    assert re.search(rf"this engine: us/node build\+backward {spread} \(garbage collector {spread}\)", out), out
    assert re.search(rf"micrograd 0.1.0 / this engine, time: {spread}", out), out
    assert re.search(rf"micrograd 0.1.0 / floor, time: {spread}", out), out
    assert re.search(rf"the floor engine, for comparison: us/node at 1000 nodes {spread}; at 4000 nodes {spread}",
                     out), out
    assert re.search(rf"size scaling, this engine: us/node at 1000 nodes {spread}; at 4000 nodes {spread}; "
                     rf"large / small {spread}", out), out
    assert re.search(rf"a chain of 2000 multiplications built and backpropagated in {spread}", out), out
    assert re.search(rf"two-moons step: {spread}", out), out


def test_gc_layouts_counts_tracked_objects_per_node():
    out = run("gc_layouts.py", "--nodes", "3000", "--repeats", "1")
    tracked = dict(re.findall(r"^ *(.+?): build .*; ([\d.]+) tracked objects per node$", out, re.M))
    # Parents in a tuple leave the node and that tuple (a tuple of floats stops being tracked); the layouts
    # with parents in slots (the engine's is the second) leave the node alone.
    assert {k: round(float(v)) for k, v in tracked.items()} == {
        "tuples": 2, "parents in slots": 1, "both in slots": 1}, out


def test_chain_rule_forms_agree():
    out = run("chain_rule_forms.py", "--nodes", "3000", "--repeats", "2")
    assert re.search(r"one_line: [\d.]+ us/node", out) and re.search(r"unrolled / one line: [\d.]+", out), out
