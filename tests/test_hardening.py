"""Hardening (issue 8): nothing breaks quietly.

- Non-finite gradients in backward and grad are errors naming the edge they came through; detect_anomaly()
  adds where (file:line of this file) each node was created; it costs nothing after it exits.
- ieee_floats(): inf and nan as IEEE 754 gives them (numpy, with warnings off, is the reference).
- Stale graphs: a .data changed after use is caught by check_graph() and by backward in anomaly mode.
- 1,000,000-node graphs, deep and wide: exact gradients, and the memory is given back when dropped.
- Determinism: the same training gives bit-identical losses and gradients in fresh interpreters with
  different hash seeds.
- Model files: the malformed files tests/test_nn_model.py does not already cover.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import subprocess
import sys

import pytest

import autograd
from autograd import AutogradError, Value, check_graph, detect_anomaly, grad, ieee_floats, linear

HERE = os.path.abspath(__file__)


def line_of_next_statement() -> int:
    """The line number just after the caller's current line (where the node under test is made)."""
    return sys._getframe(1).f_lineno + 1


def message_of(call, error_type=AutogradError) -> str:
    with pytest.raises(error_type) as error:
        call()
    return str(error.value)


def contains_all(message: str, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from the message: {message}"


# ---------------------------------------------------------------------------------------------------------
# Non-finite gradients: always an error, naming the edge; detect_anomaly() adds the creation sites.

def overflowing_chain():
    """w = ((x * 1e200) * 1e200) * 1e200 with x = 1e-300: every value is finite (w = 1e300), but
    dw/dy = 1e400 for y = x * 1e200 is not a float."""
    x = Value(1e-300, label="x")
    y = x * 1e200
    y.label = "y"
    z = y * 1e200
    z.label = "z"
    w = z * 1e200
    w.label = "w"
    return x, y, z, w


@pytest.mark.parametrize("run", [lambda x, w: w.backward(), lambda x, w: grad(w, x)], ids=["backward", "grad"])
def test_overflowing_gradient_is_an_error_naming_the_edge(run):
    x, y, z, w = overflowing_chain()
    message = message_of(lambda: run(x, w))
    contains_all(message, "gradient of y = 1e-100 is inf", "(y = 1e-100) * (1e+200)", "labelled 'z'",
                 "local derivative 1e+200 times gradient 1e+200 overflows")
    assert "created at" not in message and "[at " not in message  # no anomaly mode: no sites recorded


def test_overflowing_gradient_in_anomaly_mode_names_where_nodes_were_created():
    with detect_anomaly():
        x = Value(1e-300, label="x")
        line = line_of_next_statement()
        y = x * 1e200
        y.label = "y"
        z = y * 1e200
        z.label = "z"
        w = z * 1e200
        with pytest.raises(AutogradError) as error:
            backward_line = line_of_next_statement()
            w.backward()
    message = str(error.value)
    contains_all(message, "gradient of y = 1e-100", f"(created at {HERE}:{line})", "is inf",
                 f"labelled 'z', created at {HERE}:{line + 2}", "overflows", f"[at {HERE}:{backward_line}]")


def test_nan_gradient_from_an_infinite_local_derivative_times_zero():
    x = Value(0.0, label="x")
    y = x.sqrt() * 0.0  # d sqrt(x)/dx = inf at 0; inf * 0 = nan
    contains_all(message_of(y.backward), "gradient of x = 0.0 is nan", "sqrt(x = 0.0)",
                 "its local derivative with respect to x = 0.0 is inf", "infinite at 0")


def test_gradient_summed_from_two_uses_overflows():
    x = Value(1e-10, label="x")
    y = x * 1e308 + x * 1e308  # each use contributes 1e308 to dy/dx; their sum is not a float
    contains_all(message_of(y.backward), "gradient of x = 1e-10 is inf", "sum of the finite gradients")


def test_leaf_gradient_accumulated_over_backward_calls_overflows():
    x = Value(1.0, label="x")
    y = x * 1e308
    y.backward()
    assert x.grad == 1e308
    contains_all(message_of(y.backward), "gradient of x = 1.0", "accumulated over backward() calls",
                 "1e+308 + 1e+308", "zero_grad")
    autograd.zero_grad([x])
    y.backward()
    assert x.grad == 1e308


def test_failed_backward_leaves_every_leaf_gradient_as_it_was():
    # Gradients are checked once, on the leaves, after the walk; a failing call accumulates into no leaf.
    x, y, z, w = overflowing_chain()
    a = Value(2.0, label="a")
    out = w + a * 3.0  # a's gradient (3) is finite and would be accumulated first
    x.grad, a.grad = 5.0, 7.0
    message_of(out.backward)
    assert (x.grad, a.grad) == (5.0, 7.0)
    assert z.grad == 1e200 and math.isinf(y.grad)  # intermediate nodes show this call's gradients


def test_leaf_overflow_across_calls_accumulates_into_no_leaf():
    x, a = Value(1.0, label="x"), Value(1.0, label="a")
    y = x * 1e308 + a
    y.backward()
    message_of(y.backward)
    assert (x.grad, a.grad) == (1e308, 1.0)


def test_a_walk_interrupted_by_an_error_leaves_no_marks_behind():
    # create_graph=True through a custom operation with numeric local derivatives raises in the middle of the
    # walk; later walks through the same nodes must be unaffected.
    x = Value(3.0, label="x")
    u = x * x
    custom = Value(u.data * 2.0, parents=(u,), local_grads=(2.0,), op="double")
    out = custom * x + u
    with pytest.raises(AutogradError, match="double"):
        grad(out, x, create_graph=True)
    with pytest.raises(AutogradError, match="double"):
        out.backward(create_graph=True)
    assert grad(out, x) == 3 * 2 * 9.0 + 2 * 3.0  # out = 2x^3 + x^2
    out.backward()
    assert x.grad == 60.0 and u.grad == 7.0 and custom.grad == 3.0


# ---------------------------------------------------------------------------------------------------------
# detect_anomaly(): forward errors name the operation, the labels and values of the inputs and the line.

def test_anomaly_mode_names_operation_inputs_and_creation_sites_of_an_overflowing_product():
    with detect_anomaly():
        line = line_of_next_statement()
        a = Value(1e200, label="a")
        b = Value(3e200, label="b")
        with pytest.raises(AutogradError) as error:
            error_line = line_of_next_statement()
            a * b
    message = str(error.value)
    contains_all(message, f"(a = 1e+200 (created at {HERE}:{line})) * (b = 3e+200 (created at {HERE}:{line + 1}))",
                 "the result is inf", "overflows", f"[at {HERE}:{error_line}]")


@pytest.mark.parametrize("make, fragments", [
    (lambda x: (x * 1000.0).exp(), ["exp(", "overflows"]),
    (lambda x: (x - 2.0).log(), ["log(", "undefined"]),
    (lambda x: x / (x - 2.0), ["/", "undefined"]),
    (lambda x: Value(math.inf, parents=(x,), local_grads=(1.0,), op="myop"), ["myop(x = 2.0", "inf"]),
], ids=["exp", "log", "div", "custom"])
def test_anomaly_mode_forward_errors_say_where(make, fragments):
    x = Value(2.0, label="x")  # made outside: no site recorded for x itself
    with detect_anomaly():
        message = message_of(lambda: make(x))
    contains_all(message, *fragments, f"[at {HERE}:{make.__code__.co_firstlineno}]")  # the line doing it


def test_anomaly_mode_records_sites_only_while_on_and_replaces_nothing():
    plain_init, plain_record = Value.__init__, autograd.engine._record
    x = Value(1.0, label="x")
    before = x * 2.0
    with detect_anomaly():
        assert (Value.__init__, autograd.engine._record) == (plain_init, plain_record)  # a switch, not a swap
        line = line_of_next_statement()
        inside = x * 3.0
        with detect_anomaly():  # nesting is fine
            pass
        x.data = 5.0
        contains_all(message_of(lambda: check_graph(inside)), f"created at {HERE}:{line}")
        assert "created at" not in message_of(lambda: check_graph(before))  # made before: no record
    after = x * 2.0
    x.data = 6.0
    assert "created at" not in message_of(lambda: check_graph(after))
    assert "created at" not in message_of(lambda: check_graph(inside))  # forgotten when the mode ended


def test_anomaly_mode_is_switched_off_after_an_error():
    with pytest.raises(AutogradError):
        with detect_anomaly():
            Value(0.0).log()
    assert not autograd._modes.anomaly and not autograd._modes.sites


def test_training_under_anomaly_mode_gives_the_same_numbers():
    """No false alarms on a real graph (linear nodes, activations, a loss), and identical results."""
    from nn import MLP, datasets, train
    from nn import functional as F

    X, Y = datasets.xor()

    def run():
        model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=0)
        history = train(model, X, Y, F.mse_half, epochs=20, lr=1.0, progress=False)
        return history, [p.data for p in model.parameters()]

    plain = run()
    with detect_anomaly():
        checked = run()
    assert checked == plain
    assert plain[0][-1] < plain[0][0]  # it did train


# ---------------------------------------------------------------------------------------------------------
# Stale graphs: a .data changed after the node was used.

def test_changed_leaf_is_caught_by_check_graph_and_by_backward_in_anomaly_mode():
    x = Value(2.0, label="x")
    y = x.exp()
    y.label = "y"
    assert check_graph(y) == []
    x.data = 3.0  # y and its local derivative e^2 are now stale
    stale = check_graph(y, raise_exception=False)
    assert stale == [y]
    contains_all(message_of(lambda: check_graph(y)), "stale graph: 1 node", "exp(x = 3.0) is now 20.08",
                 "holds 7.38", "labelled 'y'")
    with detect_anomaly():
        contains_all(message_of(y.backward), "stale graph", "exp(x = 3.0)")
    y.backward()  # outside anomaly mode it is the user's responsibility: the stale local derivative is used
    assert x.grad == math.exp(2.0)


def test_changed_value_with_an_unchanged_result_is_caught_by_its_local_derivatives():
    a, b = Value(3.0, label="a"), Value(0.0, label="b")
    y = a * b  # 0 for any a, but d y/d b = a
    a.data = 5.0
    contains_all(message_of(lambda: check_graph(y)), "local derivatives are now (0.0, 5.0)", "holds (0.0, 3.0)")


def test_changed_intermediate_node_and_constant_are_caught():
    x = Value(1.5, label="x")
    c = Value(2.0, label="c", requires_grad=False)
    h = x * c
    h.label = "h"
    out = h.tanh() + x
    h.data = 0.0  # h = x * c and tanh(h) are both stale now
    assert check_graph(out, raise_exception=False) == [out.parents[0], h]
    h.data = 3.0
    c.data = 4.0
    assert check_graph(out, raise_exception=False) == [h]  # h = x * c no longer matches c


def test_optimiser_changing_leaves_between_graphs_is_fine():
    w = Value(1.0, label="w")
    for _ in range(3):
        loss = (w * 2.0 - 1.0) ** 2  # a new graph from the current w
        with detect_anomaly():
            loss.backward()
        assert check_graph(loss) == []
        w.data -= 0.1 * w.grad  # the step changes a leaf after its graph is done with
        w.grad = 0.0
    assert check_graph(loss, raise_exception=False) == [loss.parents[0].parents[0]]  # the old graph is stale


def test_check_graph_skips_custom_operations_and_accepts_ieee_nodes():
    x = Value(2.0, label="x")
    custom = Value(x.data ** 3, parents=(x,), local_grads=(3 * x.data ** 2,), op="cube")
    assert check_graph(custom * 2.0) == []
    with ieee_floats():
        y = Value(0.0).log() + x  # -inf, made by the IEEE rules rather than by math.log
    assert check_graph(y) == []
    with pytest.raises(TypeError, match="root must be a Value"):
        check_graph(3.0)


# ---------------------------------------------------------------------------------------------------------
# ieee_floats(): the IEEE 754 results, numpy as the reference.

IEEE_CASES = {
    "exp overflow": (lambda: Value(1000.0).exp(), lambda np: np.exp(1000.0)),
    "log(0)": (lambda: Value(0.0).log(), lambda np: np.log(0.0)),
    "log(-1)": (lambda: Value(-1.0).log(), lambda np: np.log(-1.0)),
    "sqrt(-1)": (lambda: Value(-1.0).sqrt(), lambda np: np.sqrt(-1.0)),
    "1 / 0": (lambda: 1.0 / Value(0.0), lambda np: np.divide(1.0, 0.0)),
    "-1 / 0": (lambda: -1.0 / Value(0.0), lambda np: np.divide(-1.0, 0.0)),
    "1 / -0": (lambda: 1.0 / Value(-0.0), lambda np: np.divide(1.0, -0.0)),
    "0 / 0": (lambda: Value(0.0) / 0.0, lambda np: np.divide(0.0, 0.0)),
    "(-10) ** 309": (lambda: Value(-10.0) ** 309, lambda np: np.power(-10.0, 309.0)),
    "(-10) ** 310": (lambda: Value(-10.0) ** 310, lambda np: np.power(-10.0, 310.0)),
    "0 ** -1": (lambda: Value(0.0) ** -1, lambda np: np.power(0.0, -1.0)),
    "(-0) ** -1": (lambda: Value(-0.0) ** -1, lambda np: np.power(-0.0, -1.0)),
    "(-0) ** -2": (lambda: Value(-0.0) ** -2, lambda np: np.power(-0.0, -2.0)),
    "(-8) ** (1/3)": (lambda: Value(-8.0) ** (1 / 3), lambda np: np.power(-8.0, 1 / 3)),
    "2 ** Value(2000)": (lambda: 2.0 ** Value(2000.0), lambda np: np.power(2.0, 2000.0)),
    "sin(inf)": (lambda: Value(math.inf).sin(), lambda np: np.sin(np.inf)),
    "cos(-inf)": (lambda: Value(-math.inf).cos(), lambda np: np.cos(-np.inf)),
    "1e200 * 1e200": (lambda: Value(1e200) * 1e200, lambda np: np.multiply(1e200, 1e200)),
    "inf - inf": (lambda: Value(math.inf) - math.inf, lambda np: np.subtract(np.inf, np.inf)),
    "linear overflow": (lambda: linear([1e308, 1e308], [Value(1.0), Value(1.0)]), lambda np: np.add(1e308, 1e308)),
    "tanh(inf)": (lambda: Value(math.inf).tanh(), lambda np: np.tanh(np.inf)),
}


@pytest.mark.parametrize("case", list(IEEE_CASES))
def test_ieee_floats_give_what_numpy_gives(case):
    np = pytest.importorskip("numpy")
    make, reference = IEEE_CASES[case]
    with np.errstate(all="ignore"):
        want = float(reference(np))
    with ieee_floats():
        got = make().data
    assert got == want or (math.isnan(got) and math.isnan(want)), (got, want)
    with pytest.raises(AutogradError):
        make()  # the ordinary mode refuses every case (an inf or nan result or input)


def test_ieee_gradients_pass_inf_and_nan_on_like_pytorch():
    torch = pytest.importorskip("torch")
    with ieee_floats():
        x = Value(1000.0, label="x")
        y = x.exp() * 2.0 + x
        y.backward()
        z = Value(-1.0, label="z")
        s = z.sqrt() + z
        s.backward()
    tx = torch.tensor(1000.0, dtype=torch.float64, requires_grad=True)
    (tx.exp() * 2.0 + tx).backward()
    tz = torch.tensor(-1.0, dtype=torch.float64, requires_grad=True)
    (tz.sqrt() + tz).backward()
    assert y.data == math.inf and x.grad == tx.grad.item() == math.inf
    assert math.isnan(s.data) and math.isnan(tz.grad.item()) and math.isnan(z.grad)  # as PyTorch


def test_ieee_local_derivative_that_float_arithmetic_cannot_compute_is_nan():
    with ieee_floats():
        y = Value(0.0).log()  # d log(x)/dx = 1/x: Python's 1 / 0.0 raises
    assert y.data == -math.inf and math.isnan(y.local_grads[0])


def test_anomaly_mode_overrides_ieee_floats_and_both_restore_on_exit():
    with ieee_floats():
        with detect_anomaly():
            message = message_of(lambda: Value(1000.0).exp())
        assert Value(1000.0).exp().data == math.inf  # IEEE again after anomaly mode exits
        with detect_anomaly(), ieee_floats():  # inside anomaly mode ieee_floats() has no effect
            with pytest.raises(AutogradError):
                Value(1000.0).exp()
    assert "exp(1000.0" in message
    with pytest.raises(AutogradError, match="values must be finite"):
        Value(math.inf)


def test_an_infinite_value_leaving_ieee_floats_is_refused_when_used():
    with ieee_floats():
        y = Value(0.0).log()
    contains_all(message_of(lambda: y * 2.0), "(-inf) * (2.0)", "an input is not finite")


def test_error_about_a_node_with_a_million_inputs_stays_short():
    n = 1000
    message = message_of(lambda: linear([1e308] * n, [Value(1.0)] * n))
    contains_all(message, "linear(", f"... {2 * n - 8} more", "the result is inf")
    assert len(message) < 1000


# ---------------------------------------------------------------------------------------------------------
# 1,000,000-node graphs: no recursion limit, exact gradients, memory given back when the graph is dropped.

N = 1_000_000


def memory_around(build) -> tuple[int, int]:
    """(memory blocks held after build() returned its graph, blocks held after the graph is dropped), both
    above the baseline, counted by Python's allocator (sys.getallocatedblocks: every node, float and tuple
    is a block; tracemalloc would count the same but makes building 5 times slower). No gc.collect() after
    the drop: the graph has no reference cycles, so dropping the last reference frees it at once."""
    gc.collect()
    baseline = sys.getallocatedblocks()
    graph = build()
    held = sys.getallocatedblocks() - baseline
    del graph
    left = sys.getallocatedblocks() - baseline
    return held, left


def test_deep_chain_of_a_million_operations():
    a = 1.0 + 1e-7
    results = {}

    def build():
        x = Value(1.0, label="x")
        y = x
        for _ in range(N):
            y = y * a  # y = x a^n
        y.backward()
        results["value"], results["grad"] = y.data, x.grad
        return y

    held, left = memory_around(build)
    assert sys.getrecursionlimit() <= 10_000  # no deep recursion was needed
    assert math.isclose(results["value"], a ** N, rel_tol=1e-9)  # each step rounds: n ulps at most
    assert math.isclose(results["grad"], a ** N, rel_tol=1e-9)  # d y/d x = a^n
    assert held > N * 2  # the graph was really held (a node, its tuples and floats: several blocks each) ...
    assert left < held / 100, (held, left)  # ... and released when dropped (but free lists of tuples)


def test_wide_node_with_a_million_parents():
    n = N // 2
    results = {}

    def build():
        x = Value(0.5, label="x")
        ws = [Value((i % 7 - 3) * 0.25) for i in range(n)]
        z = linear(ws, [x] * n)  # z = x sum_i w_i: one node, 1,000,000 parents (x half of them)
        z.backward()
        results["x"], results["w"] = x.grad, [w.grad for w in ws[:7]]
        return z

    held, left = memory_around(build)
    exact = sum((i % 7 - 3) for i in range(n)) * 0.25  # integer arithmetic: the exact sum of the w_i
    assert results["x"] == exact  # dz/dx = sum_i w_i, every partial sum a multiple of 1/4: exact in floats
    assert results["w"] == [0.5] * 7  # dz/dw_i = x
    assert held > n * 2
    assert left < held / 100, (held, left)


# ---------------------------------------------------------------------------------------------------------
# Determinism: fresh interpreters with different hash seeds give bit-identical numbers.

TRAINING = """
import json
from nn import MLP, SGD, datasets
from nn import functional as F
X, Y = datasets.two_moons(n=40, noise=0.1, seed=0)
model = MLP(2, [8, 8, 1], activation="relu", seed=1)
optimizer = SGD(model.parameters(), lr=0.05, momentum=0.9)
losses = []
for step in range(5):
    scores = [model(x)[0] for x in X]
    loss = F.hinge(scores, [y[0] for y in Y]) + F.l2_penalty(model.parameters(), 1e-4)
    optimizer.zero_grad()
    loss.backward()
    losses.append(loss.data)
    grads = [p.grad for p in model.parameters()]
    optimizer.step()
print(json.dumps({"losses": [repr(v) for v in losses], "grads": [repr(g) for g in grads],
                  "params": [repr(p.data) for p in model.parameters()]}))
"""


def test_training_is_bit_identical_across_processes_and_hash_seeds():
    root = os.path.dirname(os.path.dirname(HERE))
    runs = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}
        done = subprocess.run([sys.executable, "-c", TRAINING], env=env, capture_output=True, text=True,
                              timeout=300, check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    losses = [float(v) for v in runs[0]["losses"]]
    assert losses[-1] != losses[0] and any(float(g) != 0.0 for g in runs[0]["grads"])  # it did something


# ---------------------------------------------------------------------------------------------------------
# Model files: cases tests/test_nn_model.py does not cover. The model must stay unchanged.

GOOD_FILE = {"format": "nn.MLP/1", "n_inputs": 2, "layer_sizes": [2, 1], "activations": ["tanh", "identity"],
             "bias": True, "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]], "biases": [[0.7, 0.8], [0.9]]}
GOOD_TEXT = json.dumps(GOOD_FILE)

MODEL_FILES = {
    "empty file": ("", "not valid JSON"),
    "truncated file": (GOOD_TEXT[:-12], "not valid JSON"),
    "literal overflowing to inf": (GOOD_TEXT.replace("0.6", "1e999"),
                                   r"weights\[1\]\[0\]\[1\] must be a finite number, got inf"),
    "-Infinity": (GOOD_TEXT.replace("0.6", "-Infinity"), r"weights\[1\]\[0\]\[1\] must be a finite number, got -inf"),
    "null for a number": (GOOD_TEXT.replace("0.6", "null"),
                          r"weights\[1\]\[0\]\[1\] must be a finite number, got None \(NoneType\)"),
    "list for a number": (GOOD_TEXT.replace("0.6", "[0.6]"),
                          r"weights\[1\]\[0\]\[1\] must be a finite number, got \[0.6\] \(list\)"),
    "string for layer_sizes": (GOOD_TEXT.replace("[2, 1]", '"2,1"', 1), "layer_sizes is '2,1'"),
    "integer too large for a float": (GOOD_TEXT.replace("0.6", "1" + "0" * 400).encode(),
                                      r"weights\[1\]\[0\]\[1\] must be a finite number, got an integer of 401 digits"),
    "not UTF-8": (b"\xff\xfe{}", "MLP file .*: not UTF-8"),
    "float n_inputs": (GOOD_TEXT.replace('"n_inputs": 2', '"n_inputs": 2.0', 1), "n_inputs is 2.0"),
    "float layer size": (GOOD_TEXT.replace("[2, 1]", "[2.0, 1]", 1), r"layer_sizes is \[2.0, 1\]"),
}


@pytest.mark.parametrize("text, message", list(MODEL_FILES.values()), ids=list(MODEL_FILES))
def test_malformed_model_file_is_rejected_and_changes_nothing(tmp_path, text, message):
    from nn import MLP

    path = tmp_path / "model.json"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    before = [p.data for p in model.parameters()]
    for load in (lambda: MLP.load(path), lambda: model.load_parameters(path)):
        with pytest.raises(ValueError) as error:
            load()
        assert str(path) in str(error.value)
        assert re.search(message, str(error.value)), str(error.value)
    assert [p.data for p in model.parameters()] == before


def test_graphs_made_in_anomaly_mode_are_released_while_still_inside():
    """A training loop under detect_anomaly() does not pile up graphs: the creation sites are kept by node
    id, not with the nodes, so each dropped graph is freed; the table of sites stays about one graph big
    (the addresses of dropped nodes are reused by the next graph's)."""
    def build():
        x = Value(0.5, label="x")
        y = x
        for _ in range(50_000):
            y = (y * 1.5).tanh()
        y.backward()
        return y

    def build_seven():
        for _ in range(6):
            build()
        return build()

    with detect_anomaly():
        held, after_one = memory_around(build)  # one graph built and dropped
        _, after_seven_more = memory_around(build_seven)  # seven more, each dropped before the next
    assert held > 100_000 * 2
    # seven graphs piled up would hold seven times `held`; the table of sites may grow by a resize
    assert after_one < held / 2 and after_seven_more < min(held, 1.5 * after_one), (held, after_one, after_seven_more)
