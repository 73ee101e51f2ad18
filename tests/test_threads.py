"""Walks from several threads over graphs that share parameters (issue 15): each thread gets exact gradients.

The threads switch as often as CPython allows (sys.setswitchinterval(1e-6)); the expected gradients are the
single-threaded ones of the same graphs, which the other engine tests check against PyTorch and calculus.
"""

import random
import sys
import threading

import pytest

from autograd import Value, grad, linear

N_THREADS = 8
ROUNDS = 20


@pytest.fixture
def fast_switching():
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def loss(params, k):
    """A small network's loss on example k; every example shares all parameters."""
    rng = random.Random(k)
    x = [rng.uniform(-1, 1) for _ in range(3)]
    hidden = [linear(params[3 * i:3 * i + 3], x).tanh() for i in range(4)]
    return (linear(params[12:16], hidden) - rng.uniform(-1, 1)) ** 2


def run_threads(target):
    errors = []

    def safe(k):
        try:
            target(k)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=safe, args=(k,)) for k in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_concurrent_grad_calls_each_get_their_own_gradient(fast_switching):
    params = [Value(random.Random(1).uniform(-1, 1) + 0.1 * i) for i in range(16)]
    expected = {k: grad(loss(params, k), params) for k in range(N_THREADS)}
    results = {}

    def work(k):
        for _ in range(ROUNDS):
            got = grad(loss(params, k), params)
            assert got == expected[k], k
        results[k] = True

    run_threads(work)
    assert len(results) == N_THREADS
    assert all(p.grad == 0.0 for p in params)  # grad() leaves .grad untouched


def test_concurrent_backward_accumulates_every_thread_exactly(fast_switching):
    params = [Value(0.05 * i - 0.3) for i in range(16)]
    single = [0.0] * 16
    for k in range(N_THREADS):
        for _ in range(ROUNDS):
            for i, g in enumerate(grad(loss(params, k), params)):
                single[i] += g

    def work(k):
        for _ in range(ROUNDS):
            loss(params, k).backward()

    run_threads(work)
    for p, want in zip(params, single):
        assert p.grad == pytest.approx(want, rel=1e-12, abs=1e-12)  # sums in another order: rounding only


def test_backward_and_grad_mixed_with_create_graph(fast_switching):
    x = Value(0.7)
    want_first = grad(x.tanh() * x, x)
    want_second = grad(grad(x.tanh() * x, x, create_graph=True), x)

    def work(k):
        for _ in range(ROUNDS):
            if k % 2:
                assert grad(x.tanh() * x, x) == want_first
            else:
                assert grad(grad(x.tanh() * x, x, create_graph=True), x) == want_second

    run_threads(work)
