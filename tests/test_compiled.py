"""Compiled steps (`autograd.compiled`): the same results as `f().backward()`, from a recording replayed with numpy.

The references: the engine itself (whose every operation is checked against formulas, finite differences and
PyTorch in test_engine_ops.py), PyTorch float64 for a whole MLP step, and the engine's own errors.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings

import autograd
from autograd import AutogradError, GraphChanged, Value, compiled, linear
from autograd._numpy_groups import RULES
from nn import MLP, SGD, Adam, datasets, train
from nn.functional import mse_half
from ops_table import OPS, sample
from test_engine_properties import SETTINGS, apply_engine, build_tape, engine_leaves, output, programs, run

torch = pytest.importorskip("torch")


def hinge_step(model, X, labels):
    """micrograd's two-moons loss: mean hinge loss plus 1e-4 sum p^2 (as benchmarks/bench_engine.py)."""
    def f():
        scores = [model(x)[0] for x in X]
        loss = sum((1 - y * s).relu() for y, s in zip(labels, scores)) / len(X)
        return loss + 1e-4 * sum(p * p for p in model.parameters())
    return f


def moons(n=100):
    X, Y = datasets.two_moons(n, noise=0.1, seed=0)
    return X, [y[0] for y in Y]


def grads_of(values):
    return [v.grad for v in values]


def normwise_close(got, want, rel=1e-12):
    """max |got - want| <= rel * max |want|: the relative error of the whole gradient vector."""
    got, want = np.asarray(got, float), np.asarray(want, float)
    return np.max(np.abs(got - want), initial=0.0) <= rel * np.max(np.abs(want), initial=0.0)


# ---------------------------------------------------------------------------------------------------------
# The numpy rules against the engine, operation by operation.

def _kink_points():
    """Points where an operation's convention matters: the kinks at 0 and the edges of pow and sqrt."""
    zero = Value(0.0)
    return [zero.relu(), abs(zero), zero.step(), zero.leaky_relu(), zero.elu(), zero.sqrt(), zero ** 0.5,
            zero ** 2.0, zero ** 1.0, zero ** 0.0, Value(-2.0) ** 3.0, Value(-1.5).leaky_relu(Value(0.2)),
            Value(-0.5).elu(Value(2.0)), Value(0.0).silu(Value(1.5)), Value(-0.7).mish()]


def _engine_nodes():
    nodes = []
    for case in OPS:
        for seed in range(5):
            xs = sample(case, __import__("random").Random(f"{case.name}/{seed}"))
            nodes.append(case.apply(*[Value(x) for x in xs]))
    w, x = [Value(0.3), Value(-1.2), Value(2.0)], [Value(0.5), Value(1.5), Value(-0.25)]
    nodes += [linear(w, x), linear(w, x, Value(0.125)), linear(w[:1], [2.0], 1.0)]
    return nodes + _kink_points()


def test_every_engine_operation_has_a_numpy_rule():
    assert {str(node.op) for node in _engine_nodes()} == set(RULES)


@pytest.mark.parametrize("node", _engine_nodes(), ids=lambda n: f"{n.op}({', '.join(repr(p.data) for p in n.parents)})")
def test_numpy_rule_equals_the_engine(node):
    rule = RULES[str(node.op)]
    P = np.array([[p.data] for p in node.parents])
    with np.errstate(all="ignore"):  # as a compiled step runs them (0 ** -0.5 is inf, then not chosen)
        out = rule.forward(P)
        local = np.broadcast_to(rule.local_grads(P, out), P.shape)[:, 0]
    assert math.isclose(out[0], node.data, rel_tol=1e-15, abs_tol=1e-300), (out[0], node.data)
    for got, want in zip(local, node.local_grads, strict=True):
        assert got == want or math.isclose(got, want, rel_tol=1e-14), (list(local), node.local_grads)


# ---------------------------------------------------------------------------------------------------------
# Exactness.

@settings(SETTINGS, max_examples=200)
@given(programs)
def test_random_graphs_of_every_operation_give_the_engines_gradients(program):
    """Record on the program's leaves, move the leaves, and compare the replay with the engine there."""
    tape, last_leaf_constant = build_tape(program)
    leaves = engine_leaves(tape, last_leaf_constant)

    def f():
        return output(run(tape, leaves, apply_engine))

    step = compiled(f)
    step()
    for i, leaf in enumerate(leaves):
        leaf.data *= 1.0 + 1e-4 * (i + 1)  # the tape keeps operands 0.05 from kinks: these moves cross none
        leaf.grad = 0.0
    value = step()
    replayed = grads_of(leaves)
    for leaf in leaves:
        leaf.grad = 0.0
    root = f()
    root.backward()
    assert step.engine_runs == 0 and step.recordings == 1
    assert math.isclose(value, root.data, rel_tol=1e-12, abs_tol=1e-12 * max(1.0, abs(root.data)))
    assert normwise_close(replayed, grads_of(leaves)), (replayed, grads_of(leaves), tape.steps)


def test_one_hundred_two_moons_steps_end_at_the_engines_weights():
    X, labels = moons()
    engine_model, compiled_model = MLP(2, [16, 16, 1], "relu", seed=0), MLP(2, [16, 16, 1], "relu", seed=0)
    engine_f, step = hinge_step(engine_model, X, labels), compiled(hinge_step(compiled_model, X, labels))
    engine_opt, compiled_opt = SGD(engine_model.parameters(), lr=0.5), SGD(compiled_model.parameters(), lr=0.5)
    for _ in range(100):
        engine_opt.zero_grad()
        loss = engine_f()
        loss.backward()
        engine_opt.step()
        compiled_opt.zero_grad()
        value = step()
        compiled_opt.step()
        assert math.isclose(value, loss.data, rel_tol=1e-12)
    assert step.recordings == 1 and step.engine_runs == 0
    for a, b in zip(engine_model.parameters(), compiled_model.parameters(), strict=True):
        assert math.isclose(a.data, b.data, rel_tol=1e-9, abs_tol=1e-9)


def test_mlp_step_equals_pytorch_batched_float64():
    """An independent reference: the same loss and gradients from PyTorch's nn.Linear layers on the batch."""
    X, labels = moons()
    model = MLP(2, [16, 16, 1], "relu", seed=1)
    step = compiled(hinge_step(model, X, labels))
    step()
    for p in model.parameters():
        p.data += 0.01  # the replay, not the recording, is checked
    model.zero_grad()
    value = step()
    layers = []
    for layer in model.layers:
        W = torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        layers.append((W, b))
    h = torch.tensor(X, dtype=torch.float64)
    for k, (W, b) in enumerate(layers):
        h = h @ W.T + b
        h = h.relu() if k < len(layers) - 1 else h
    y = torch.tensor(labels, dtype=torch.float64)
    loss = (1 - y * h[:, 0]).relu().mean() + 1e-4 * sum((W * W).sum() + (b * b).sum() for W, b in layers)
    loss.backward()
    assert math.isclose(value, loss.item(), rel_tol=1e-12)
    want = [g for W, b in layers for row, bias in zip(W.grad.tolist(), b.grad.tolist()) for g in row + [bias]]
    assert normwise_close(grads_of(model.parameters()), want, rel=1e-11)


def test_gradients_accumulate_over_calls_as_backward_does():
    x, y = Value(1.5), Value(-0.5)
    step = compiled(lambda: (x * y).tanh() + x * x)
    for _ in range(3):
        step()
    local = (1 - math.tanh(-0.75) ** 2)
    assert math.isclose(x.grad, 3 * (local * -0.5 + 3.0), rel_tol=1e-14)
    assert math.isclose(y.grad, 3 * (local * 1.5), rel_tol=1e-14)


def test_a_leaf_as_the_root():
    x = Value(2.5)
    step = compiled(lambda: x)
    assert step() == 2.5 and step() == 2.5 and x.grad == 2.0


# ---------------------------------------------------------------------------------------------------------
# Leaves keep their identity: new data is seen, optimisers and saving work unchanged.

def test_new_data_written_into_input_values_is_seen():
    model = MLP(2, [4, 1], seed=0)
    inputs = [[Value(0.0, requires_grad=False) for _ in range(2)] for _ in range(3)]
    targets = [Value(0.0, requires_grad=False) for _ in range(3)]

    def f():
        return sum((model(x)[0] - t) ** 2 for x, t in zip(inputs, targets))

    step = compiled(f)
    X, T = datasets.two_moons(9, seed=3)
    for batch in range(3):
        for slots, target, x, t in zip(inputs, targets, X[3 * batch:], T[3 * batch:]):
            slots[0].data, slots[1].data, target.data = x[0], x[1], t[0]
        model.zero_grad()
        value = step()
        replayed = grads_of(model.parameters())
        model.zero_grad()
        reference = sum((model(x)[0] - t[0]) ** 2 for x, t in zip(X[3 * batch:3 * batch + 3], T[3 * batch:]))
        reference.backward()
        assert math.isclose(value, reference.data, rel_tol=1e-13)
        assert normwise_close(replayed, grads_of(model.parameters()))
    assert step.recordings == 1


def test_adam_zero_grad_and_save_work_on_a_compiled_model(tmp_path):
    X, labels = moons(20)
    model = MLP(2, [8, 1], "tanh", seed=2)
    twin = MLP(2, [8, 1], "tanh", seed=2)
    step, f = compiled(hinge_step(model, X, labels)), hinge_step(twin, X, labels)
    optimizer, twin_optimizer = Adam(model.parameters(), lr=0.01), Adam(twin.parameters(), lr=0.01)
    for _ in range(20):
        model.zero_grad()
        step()
        optimizer.step()
        twin_optimizer.zero_grad()
        f().backward()
        twin_optimizer.step()
    model.save(tmp_path / "model.json")
    loaded = MLP.load(tmp_path / "model.json")
    assert [p.data for p in loaded.parameters()] == [p.data for p in model.parameters()]
    assert normwise_close([p.data for p in model.parameters()], [p.data for p in twin.parameters()], rel=1e-12)


# ---------------------------------------------------------------------------------------------------------
# Guards, custom operations, errors.

def test_a_comparison_that_changes_records_again_and_says_so_once():
    x = Value(2.0)

    def f():
        return x * x if x > 0 else -x  # the graph's shape depends on the data

    step = compiled(f)
    step()
    x.data, x.grad = -3.0, 0.0
    with pytest.warns(UserWarning, match=r"x|comparison .* > 0 was True when recorded and is False now"):
        assert step() == 3.0
    assert x.grad == -1.0 and step.recordings == 2
    x.data, x.grad = 1.5, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once only
        assert step() == 2.25
    assert x.grad == 3.0 and step.recordings == 3


def test_rerecord_false_raises_and_leaves_grads_alone():
    values = [Value(0.5), Value(2.0), Value(1.0)]
    step = compiled(lambda: max(values) * 2.0, rerecord=False)  # max compares Values
    assert step() == 4.0 and values[1].grad == 2.0
    values[0].data = 3.0
    with pytest.raises(GraphChanged, match="was .* when recorded"):
        step()
    assert grads_of(values) == [0.0, 2.0, 0.0]


def test_guards_on_values_the_root_does_not_use():
    x = Value(1.0)

    def f():
        return x.exp() if (x * 2.0 - 1.0) > 0 else x.sin()

    step = compiled(f)
    step()
    x.data = 0.25
    with pytest.warns(UserWarning):
        assert math.isclose(step(), math.sin(0.25))
    assert step.recordings == 2


def test_a_leaf_whose_requires_grad_changes_is_recorded_again():
    w, x = Value(2.0), Value(3.0, requires_grad=False)
    step = compiled(lambda: w * x)
    step()
    w.requires_grad, x.requires_grad, w.grad = False, True, 0.0  # freeze w, learn x
    with pytest.warns(UserWarning, match="requires_grad was changed"):
        step()
    assert (w.grad, x.grad) == (0.0, 2.0) and step.recordings == 2


def test_a_custom_operation_runs_through_the_engine_with_one_warning():
    x = Value(0.3)

    def f():
        cube = Value(x.data ** 3, parents=(x,), local_grads=(3 * x.data ** 2,), op="cube")
        return cube * 2.0

    step = compiled(f)
    with pytest.warns(UserWarning, match="'cube'"):
        step()
    x.data = 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert step() == 0.25
    assert step.engine_only and math.isclose(x.grad, 6 * 0.09 + 6 * 0.25)


def test_a_value_that_is_not_finite_raises_the_engines_error():
    x = Value(2.0)
    step = compiled(lambda: (x - 1.0).log() * 3.0)
    step()
    x.data, x.grad = 0.5, 0.0
    with pytest.raises(AutogradError) as compiled_error:
        step()
    with pytest.raises(AutogradError) as engine_error:
        ((x - 1.0).log() * 3.0).backward()
    assert str(compiled_error.value) == str(engine_error.value) and "log" in str(compiled_error.value)
    assert x.grad == 0.0


def test_a_negative_base_with_a_value_exponent_raises_the_engines_error():
    a, b = Value(2.0), Value(3.0)
    step = compiled(lambda: a ** b)
    step()
    a.data = -2.0
    with pytest.raises(AutogradError, match="negative base"):
        step()
    assert (a.grad, b.grad) == (12.0, 8.0 * math.log(2.0))


def test_an_infinite_gradient_raises_the_engines_error_and_ieee_floats_keeps_its_meaning():
    x = Value(4.0)
    step = compiled(lambda: x.sqrt() * 1.0)
    step()
    x.data, x.grad = 0.0, 0.0
    with pytest.raises(AutogradError, match="sqrt"):
        step()
    assert x.grad == 0.0
    with autograd.ieee_floats():
        step()
    assert x.grad == math.inf


def test_a_gradient_hook_is_called():
    x = Value(1.0)
    step = compiled(lambda: x * 3.0)
    step()
    seen = []
    if not hasattr(x, "register_hook"):
        pytest.skip("the engine has no register_hook")
    x.register_hook(seen.append)
    step()
    assert seen == [3.0] and step.engine_runs == 1


def test_clear_errors():
    with pytest.raises(TypeError, match=r"compiled\(\): f must be"):
        compiled(3.0)
    with pytest.raises(TypeError, match="rerecord"):
        compiled(lambda: Value(1.0), rerecord="yes")
    with pytest.raises(TypeError, match=r"f\(\) returned 1.0"):
        compiled(lambda: 1.0)()
    step = compiled(lambda: Value(1.0, requires_grad=False) * 2.0)
    with pytest.raises(RuntimeError, match="nothing recorded yet"):
        step.schedule()
    with pytest.raises(AutogradError):  # backward() of a constant, as the engine says
        step()


# ---------------------------------------------------------------------------------------------------------
# The plan: for an MLP, the levels are its layers.

def test_the_levels_of_an_mlp_are_its_layers():
    X, labels = moons()
    step = compiled(hinge_step(MLP(2, [16, 16, 1], "relu", seed=0), X, labels))
    step()
    schedule = step.schedule()
    layers = [(g.level, g.nodes, g.parents_per_node, g.matrix) for g in schedule.groups if g.op == "linear"]
    assert layers == [(1, 1600, 5, (100, 16)), (3, 1600, 33, (100, 16)), (5, 100, 33, (100, 1))]
    activations = [(g.level, g.nodes) for g in schedule.groups if g.op == "relu"]
    assert activations == [(2, 1600), (4, 1600), (8, 100)]  # the last relu is the hinge's max(0, 1 - y s)
    sums = [g.parents_per_node for g in schedule.groups if g.op == "+" and g.parents_per_node > 2]
    assert sorted(sums) == [101, 338]  # 0 + the 100 hinge terms; 0 + the 337 squared parameters
    assert schedule.levels == 11 and schedule.nodes == 8318 and schedule.leaves == 741
    assert "as a matrix product: 100 input vectors x 16 weight vectors" in str(schedule)


def test_neurons_sharing_a_first_weight_are_still_a_matrix_product():
    """Two weight vectors that begin with the same Value are two neurons (the grid is found from whole
    rows, not from their first weights), and the replay gives the engine's gradients."""
    a, b, c = Value(0.5), Value(-1.5), Value(2.0)
    inputs = [[Value(1.0, requires_grad=False), Value(3.0, requires_grad=False)],
              [Value(-2.0, requires_grad=False), Value(0.25, requires_grad=False)]]

    def f():
        return sum(z * z for z in (linear(w, x) for x in inputs for w in ([a, b], [a, c])))

    step = compiled(f)
    value = step()
    replayed = grads_of([a, b, c])
    for leaf in (a, b, c):
        leaf.grad = 0.0
    root = f()
    root.backward()
    assert [g.matrix for g in step.schedule().groups if g.op == "linear"] == [(2, 2)]
    assert value == pytest.approx(root.data, rel=1e-12)
    assert normwise_close(replayed, grads_of([a, b, c]))


# ---------------------------------------------------------------------------------------------------------
# nn.train(compiled=True)

@pytest.mark.parametrize("batch_size", [40, 15])
def test_train_compiled_gives_the_engines_history_and_weights(batch_size):
    X, T = datasets.two_moons(40, seed=4)
    models = [MLP(2, [6, 1], "tanh", seed=5) for _ in range(2)]
    histories = [train(model, X, T, mse_half, epochs=30, lr=0.05, batch_size=batch_size, compiled=compiled)
                 for model, compiled in zip(models, (False, True))]
    assert normwise_close(histories[1], histories[0])
    assert normwise_close([p.data for p in models[1].parameters()], [p.data for p in models[0].parameters()],
                          rel=1e-9)


def test_train_compiled_needs_batches_that_repeat():
    X, T = datasets.two_moons(10, seed=4)
    with pytest.raises(ValueError, match="shuffle=False"):
        train(MLP(2, [3, 1]), X, T, mse_half, lr=0.1, shuffle=True, compiled=True)
    with pytest.raises(TypeError, match="compiled must be True or False"):
        train(MLP(2, [3, 1]), X, T, mse_half, lr=0.1, compiled="yes")


def test_the_benchmark_runs_and_its_four_ways_agree():
    """benchmarks/bench_compiled.py on a small network (no timing asserted): every way's first gradients."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_compiled.py"
    out = subprocess.run([sys.executable, str(script), "--repeats", "1", "--configs", "4,3:10"], check=True,
                         capture_output=True, text=True, timeout=600).stdout
    differences = re.findall(r"largest gradient difference (\S+)", out)
    assert len(differences) == 3 and all(float(d) < 1e-12 for d in differences), out
    assert re.search(r"ratio engine / compiled: [\d.]+ / ", out) and "recording (first call) / engine step" in out
