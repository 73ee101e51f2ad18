"""Fuzzing (issue 8): tens of thousands of random expressions, every value and gradient compared with
PyTorch float64, and one expression in ten also with finite differences; zero mismatches allowed.

The expressions come from the engine property tests' generator (tests/test_engine_properties.py): they mix
every operation and `linear`, numbers on either side, Value exponents and parameters, and reuse earlier
nodes as operands. Hypothesis runs derandomized (a fixed seed), so CI sees the same expressions every time.

Where plain float arithmetic overflows (a huge quotient, a power too large), the engine must not return a
number: it must raise AutogradError; where PyTorch's gradient is inf or nan, the engine's backward must raise.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from autograd import AutogradError
from test_engine_properties import (build_tape, check_program, engine_leaves, output, programs, run, apply_engine,
                                    apply_torch, torch_grads, torch_leaves)

EXPRESSIONS = 20_000
OUTCOMES = Counter()


def torch_gradients(tape, last_leaf_constant) -> list[float]:
    tensors = torch_leaves(tape, last_leaf_constant)
    return [g.item() for g in torch_grads(output(run(tape, tensors, apply_torch)), tensors)]


@settings(derandomize=True, database=None, deadline=None, max_examples=EXPRESSIONS,
          suppress_health_check=[HealthCheck.too_slow])
@given(programs)
def test_random_expressions_match_pytorch(program):
    try:
        tape, last_leaf_constant = build_tape(program)
    except (ArithmeticError, ValueError):
        OUTCOMES["not computable in floats"] += 1  # the float reference itself fails: nothing to compare
        return
    if not all(math.isfinite(v) for v in tape.values):  # float arithmetic overflowed without an exception
        with pytest.raises(AutogradError):
            output(run(tape, engine_leaves(tape, last_leaf_constant), apply_engine))
        OUTCOMES["overflow refused"] += 1
        return
    try:
        check_program(program, finite_differences=sum(OUTCOMES.values()) % 10 == 0)
    except AutogradError as error:  # only a gradient too large for a float may stop backward
        assert "backward" in str(error), error
        assert not all(math.isfinite(g) for g in torch_gradients(tape, last_leaf_constant)), error
        OUTCOMES["gradient overflow refused"] += 1
        return
    OUTCOMES["compared"] += 1


def test_the_fuzzer_compared_tens_of_thousands_of_expressions():
    if not OUTCOMES:
        pytest.skip("the fuzz test did not run in this process")
    assert OUTCOMES["compared"] >= 10_000, OUTCOMES
    assert OUTCOMES["not computable in floats"] <= 0.01 * EXPRESSIONS, OUTCOMES
