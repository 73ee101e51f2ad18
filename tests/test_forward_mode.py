"""Forward mode (dual numbers): jvp against reverse mode and hand-written derivatives; operation counts."""

import math
import random

import pytest

import autograd
from autograd import AutogradError, Value, grad, jacobian, jvp
from autograd import engine
from autograd.forward import Dual, count_operations, linear
from ops_table import OPS


def close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-13) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def reverse_directional(f, point, tangent) -> float:
    """grad f(point) . tangent by the engine's reverse mode."""
    xs = [Value(x) for x in point]
    return sum(g * t for g, t in zip(grad(f(*xs), xs), tangent))


@pytest.mark.parametrize("case", OPS, ids=repr)
def test_jvp_of_every_operation(case):
    rng = random.Random(case.name)
    for _ in range(5):
        point = tuple(rng.uniform(*rng.choice(intervals)) for intervals in case.domain)
        tangent = [rng.uniform(-2, 2) for _ in point]
        value, derivative = jvp(case.apply, point, tangent)
        assert close(value, case.reference(*point))
        by_hand = sum(d * t for d, t in zip(case.derivatives(*point), tangent))  # the table's calculus
        assert close(derivative, by_hand, rel=1e-11)
        assert close(derivative, reverse_directional(case.apply, point, tangent))


UNARY = ["sin", "cos", "tanh", "sigmoid", "softplus", "mish", "silu", "elu", "leaky_relu", "exp_of_tanh"]


def random_program(rng: random.Random, n_inputs: int, length: int) -> list:
    program = []
    for i in range(length):
        if rng.random() < 0.5:
            program.append((rng.choice(UNARY), n_inputs + i - 1, None))
        else:
            program.append((rng.choice("+-*"), rng.randrange(n_inputs + i), rng.randrange(n_inputs + i)))
    return program


def run_program(program, *inputs):
    """Evaluates the program on Values or Duals (written once, as a user's function would be)."""
    nodes = list(inputs)
    for op, i, j in program:
        a = nodes[i]
        if op == "+":
            out = a + nodes[j]
        elif op == "-":
            out = a - nodes[j]
        elif op == "*":
            out = (a * nodes[j]).tanh()  # keeps the numbers moderate
        elif op == "exp_of_tanh":
            out = autograd.exp(autograd.tanh(a))
        else:
            out = getattr(a, op)()
        nodes.append(out)
    return nodes[-1]


@pytest.mark.parametrize("seed", range(10))
def test_jvp_equals_reverse_mode_on_random_compositions(seed):
    rng = random.Random(seed)
    program = random_program(rng, 3, 25)
    point = [rng.uniform(-1.5, 1.5) for _ in range(3)]
    tangent = [rng.uniform(-1, 1) for _ in range(3)]
    value, derivative = jvp(lambda *xs: run_program(program, *xs), point, tangent)
    assert close(value, run_program(program, *[Value(x) for x in point]).data, rel=0, abs_=0)
    assert close(derivative, reverse_directional(lambda *xs: run_program(program, *xs), point, tangent))


def test_jvp_uses_the_engine_rule_table(monkeypatch):
    # Forward mode reads each local derivative from the engine's table entry (Op.derivative): a
    # (deliberately wrong) replacement of tanh's rule there shows up in jvp.
    monkeypatch.setattr(engine.TANH, "derivative", lambda x, out: (2.0 * x,))
    _, derivative = jvp(lambda x: x.tanh(), [0.5], [3.0])
    assert derivative == 2.0 * 0.5 * 3.0


def test_generic_functions_and_linear_on_duals():
    _, derivative = jvp(lambda x: autograd.sqrt(autograd.exp(x) + autograd.sin(x) ** 2), [0.4], [1.0])
    s = math.sqrt(math.exp(0.4) + math.sin(0.4) ** 2)
    assert close(derivative, (math.exp(0.4) + 2 * math.sin(0.4) * math.cos(0.4)) / (2 * s))
    point, tangent = [0.5, -1.0, 2.0, 0.3, 0.7], [1.0, 0.5, -0.5, 2.0, 1.5]
    value, derivative = jvp(lambda w1, w2, x1, x2, b: linear([w1, w2], [x1, x2], b), point, tangent)
    assert close(value, 0.5 * 2.0 + -1.0 * 0.3 + 0.7)
    assert close(derivative, reverse_directional(lambda w1, w2, x1, x2, b: autograd.linear([w1, w2], [x1, x2], b),
                                                 point, tangent))
    no_bias = jvp(lambda w, x: linear([w], [x]), [2.0, 3.0], [1.0, 0.0])
    assert no_bias == (6.0, 3.0)


def test_jvp_of_several_outputs_is_jacobian_times_vector():
    def f(a, b, c):
        return [a * b, (b + c).sin(), a.exp() / c]
    point, tangent = [0.3, 1.2, -0.7], [1.0, -2.0, 0.5]
    values, derivatives = jvp(f, point, tangent)
    J = jacobian(f, point)
    assert close(values[1], math.sin(1.2 - 0.7))
    for i in range(3):
        assert close(derivatives[i], sum(J[i][j] * tangent[j] for j in range(3)))


def test_dual_behaves_like_a_number():
    d = Dual(2.0, 1.0)
    assert float(d) == 2.0 and d > 1 and d <= 2.0 and not d < 2
    assert repr(Dual(1.5, -1)) == "Dual(primal=1.5, tangent=-1.0)"
    out = 3 - 1 / d  # reflected operators: d(3 - 1/d) = 1/d^2
    assert (out.primal, out.tangent) == (2.5, 0.25)
    out = 2.0 ** d  # d 2^d = 2^d ln 2
    assert close(out.tangent, 4.0 * math.log(2.0))


def test_operation_counts_many_inputs_one_output():
    # f: R^5 -> R, drawn as 8 edges: x1*x2 (2), x3*x4 (2), + (2), + x5 (2)
    def f(x1, x2, x3, x4, x5):
        return x1 * x2 + x3 * x4 + x5
    point = [1.0, 2.0, 3.0, 4.0, 5.0]
    with count_operations() as reverse:
        J_reverse = jacobian(f, point, mode="reverse")
    with count_operations() as forward:
        J_forward = jacobian(f, point, mode="forward")
    assert J_reverse == J_forward == [[2.0, 1.0, 4.0, 3.0, 1.0]]
    assert (reverse.backward_sweeps, reverse.forward_sweeps, reverse.chain_rule_products) == (1, 0, 8)
    assert (forward.backward_sweeps, forward.forward_sweeps, forward.chain_rule_products) == (0, 5, 5 * 8)


def test_operation_counts_one_input_many_outputs():
    # f: R -> R^4, each output 2 edges: x*x and x+x use x twice, cos(sin x), 3*exp(x) (3 is a constant)
    def f(x):
        return [x * x, x + x, x.sin().cos(), 3 * x.exp()]
    with count_operations() as reverse:
        J_reverse = jacobian(f, [0.5], mode="reverse")
    with count_operations() as forward:
        J_forward = jacobian(f, [0.5], mode="forward")
    for row_r, row_f in zip(J_reverse, J_forward):
        assert close(row_r[0], row_f[0])
    assert close(J_reverse[2][0], -math.sin(math.sin(0.5)) * math.cos(0.5))
    assert (reverse.backward_sweeps, reverse.forward_sweeps, reverse.chain_rule_products) == (4, 0, 8)
    assert (forward.backward_sweeps, forward.forward_sweeps, forward.chain_rule_products) == (0, 1, 8)


def test_nested_counters_both_count():
    with count_operations() as outer:
        jvp(lambda x: x * x, [1.0], [1.0])
        with count_operations() as inner:
            jvp(lambda x: x.sin(), [1.0], [1.0])
    assert (outer.forward_sweeps, outer.chain_rule_products) == (2, 3)
    assert (inner.forward_sweeps, inner.chain_rule_products) == (1, 1)
    jvp(lambda x: x * x, [1.0], [1.0])  # outside any block: nothing counted
    assert outer.forward_sweeps == 2


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="2 inputs but 1 tangents"):
        jvp(lambda x, y: x * y, [1.0, 2.0], [1.0])
    with pytest.raises(AutogradError, match=r"jvp\(\): tangents\[0\].*nan"):
        jvp(lambda x: x, [1.0], [float("nan")])
    with pytest.raises(TypeError, match=r"jvp\(\): inputs\[0\].*Value"):
        jvp(lambda x: x, [Value(1.0)], [1.0])
    with pytest.raises(TypeError, match="returned None"):
        jvp(lambda x: None, [1.0], [1.0])
    with pytest.raises(TypeError):
        jvp(lambda x: x + Value(1.0), [1.0], [1.0])  # mixing Values into forward mode
    with pytest.raises(AutogradError, match=r"log\(-1.0\)"):
        jvp(lambda x: x.log(), [-1.0], [1.0])
    with pytest.raises(AutogradError, match=r"sqrt\(0.0\).*derivative"):
        jvp(lambda x: x.sqrt(), [0.0], [1.0])
    with pytest.raises(AutogradError, match="negative base"):
        jvp(lambda x, y: x ** y, [-2.0, 1.0], [1.0, 1.0])
    with pytest.raises(AutogradError, match="not a finite number"):
        jvp(lambda x: x * 1e300, [1e10], [1.0])
    with pytest.raises(TypeError, match=r"Dual\(\): primal must be a finite number, got '1' \(str\)"):
        Dual("1")
    with pytest.raises(AutogradError, match=r"Dual\(\): tangent must be a finite number, got a negative integer of "
                                            "5001 digits, too large for a float"):
        Dual(1.0, -10 ** 5000)  # more digits than Python will print
