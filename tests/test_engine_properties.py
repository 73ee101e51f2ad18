"""Property-based tests: random expressions mixing every operation, with numbers on either side, Value
exponents and parameters, `linear`, and shared subexpressions. The engine's gradients with respect to every
leaf must equal PyTorch float64's and central finite differences; second derivatives (create_graph=True)
must equal PyTorch's double backward.

An expression is generated as a program: each step applies one operation (a case of `ops_table.OPS`, or
`linear`) to earlier nodes (any earlier node, so subexpressions are reused) or to numbers. The program is
first run on plain floats to keep every operation inside its domain and away from its kink: an operand
outside the domain is first mapped into it (x -> x*x + 0.5 for a positive-only input, x -> x + 0.5 for an
input near a kink at 0), and a node larger than 10 is scaled down (x -> x * 0.125). The resulting tape of
steps is then run on three backends: engine Values, PyTorch float64 tensors and `math` floats.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value, grad, linear
from ops_table import NONZERO, OPS, OPS_BY_NAME, POS

torch = pytest.importorskip("torch")

OPERATORS = {"add", "sub", "mul", "div", "pow_value_exponent"}  # a number may be their first operand
NAMES = [case.name for case in OPS] + ["linear"]
MAX_LINEAR_TERMS = 3
LARGEST = 10.0  # nodes are kept within [-10, 10], so no operation can overflow
EPS = 1e-6  # central difference step

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                    suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------------------------
# Programs. An operand is an int (the index of an earlier node) or a float (a number).

plain_numbers = st.builds(lambda size, negative: -size if negative else size,
                          st.floats(0.25, 2.5), st.booleans())  # 0.25 <= |number| <= 2.5
operand_choice = st.one_of(st.integers(0, 1000), st.integers(0, 1000), plain_numbers)  # nodes twice as likely
step_choice = st.tuples(st.sampled_from(NAMES), st.lists(operand_choice, min_size=2 * MAX_LINEAR_TERMS + 1,
                                                         max_size=2 * MAX_LINEAR_TERMS + 1),
                        st.integers(1, MAX_LINEAR_TERMS), st.booleans())
programs = st.tuples(st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=4),  # leaf values
                     st.booleans(),  # is the last leaf a constant (requires_grad=False)?
                     st.lists(step_choice, min_size=3, max_size=16))


def reference(name: str, args: list):
    """The step on floats (math), as in ops_table."""
    if name.startswith("linear"):
        return linear_formula(args, name == "linear_bias")
    return OPS_BY_NAME[name].reference(*args)


def linear_formula(args: list, with_bias: bool):
    """z = sum_i w_i x_i (+ b) on floats or tensors; args = w_1..w_n, x_1..x_n (, b)."""
    n = len(args) // 2
    z = sum(w * x for w, x in zip(args[:n], args[n:2 * n]))
    return z + args[-1] if with_bias else z


def apply_engine(name: str, args: list) -> Value:
    if name.startswith("linear"):
        n = len(args) // 2
        return linear(args[:n], args[n:2 * n], args[-1] if name == "linear_bias" else None)
    return OPS_BY_NAME[name].apply(*args)


def apply_torch(name: str, args: list):
    if name.startswith("linear"):
        return linear_formula(args, name == "linear_bias")
    return OPS_BY_NAME[name].torch(*args)


class Tape:
    """The steps of an expression, built while evaluating it on floats."""

    def __init__(self, leaves: list[float]):
        self.leaves = leaves
        self.values = list(leaves)  # float value of every node, leaves first
        self.steps = []  # (name, operands): an operand is a node index (int) or a number (float)

    def add(self, name: str, operands: list) -> int:
        args = [self.values[o] if isinstance(o, int) else o for o in operands]
        self.values.append(reference(name, args))
        self.steps.append((name, operands))
        index = len(self.values) - 1
        while abs(self.values[index]) > LARGEST:
            index = self.add("mul", [index, 0.125])
        return index

    def into_domain(self, operand, intervals):
        """The operand, mapped into the domain of an input (positive, or away from the kink at 0)."""
        if intervals is POS:
            if isinstance(operand, float):
                return abs(operand)
            if self.values[operand] < 0.1:
                return self.add("add", [self.add("mul", [operand, operand]), 0.5])  # x*x + 0.5 >= 0.5
        if intervals is NONZERO and isinstance(operand, int) and abs(self.values[operand]) < 0.05:
            return self.add("add", [operand, 0.5])
        return operand


def build_tape(program) -> tuple[Tape, bool]:
    leaves, last_leaf_constant, step_choices = program
    tape = Tape(leaves)
    for name, choices, n_terms, with_bias in step_choices:
        count = len(tape.values)
        operands = [c % count if isinstance(c, int) else c for c in choices]
        if name == "linear":
            name = "linear_bias" if with_bias else "linear"
            operands = operands[:2 * n_terms + with_bias]
            if all(isinstance(o, float) for o in operands):
                operands[0] = count - 1  # at least one term must be a node
        else:
            case = OPS_BY_NAME[name]
            operands = operands[:case.arity]
            if isinstance(operands[0], float) and (name not in OPERATORS or isinstance(operands[-1], float)):
                operands[0] = count - 1  # the first operand must be a node here
            operands = [tape.into_domain(o, intervals) for o, intervals in zip(operands, case.domain)]
        tape.add(name, operands)
    return tape, last_leaf_constant


# ---------------------------------------------------------------------------------------------------------
# Running a tape. The output is the sum of every node, so every node takes part (and it needs a gradient).

def run(tape: Tape, leaves: list, apply) -> list:
    nodes = list(leaves)
    for name, operands in tape.steps:
        nodes.append(apply(name, [nodes[o] if isinstance(o, int) else o for o in operands]))
    return nodes


def output(nodes: list):
    return sum(nodes)


def engine_leaves(tape: Tape, last_leaf_constant: bool) -> list[Value]:
    n = len(tape.leaves)
    return [Value(x, label=f"x{i}", requires_grad=not (last_leaf_constant and i == n - 1))
            for i, x in enumerate(tape.leaves)]


def torch_leaves(tape: Tape, last_leaf_constant: bool) -> list:
    n = len(tape.leaves)
    return [torch.tensor(x, dtype=torch.float64, requires_grad=not (last_leaf_constant and i == n - 1))
            for i, x in enumerate(tape.leaves)]


def float_output(tape: Tape, leaves: list[float]) -> float:
    return output(run(tape, leaves, reference))


def finite_difference(tape: Tape, i: int, eps: float = EPS) -> float:
    """d output / d leaf i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)."""
    up, down = list(tape.leaves), list(tape.leaves)
    up[i] += eps
    down[i] -= eps
    return (float_output(tape, up) - float_output(tape, down)) / (2 * eps)


def stable_finite_difference(tape: Tape, i: int) -> float | None:
    """The central difference, or None where it is no reliable reference: where its rounding error,
    about machine epsilon * |f| / EPS, could reach the test's tolerance (a large output), or where it changes
    with the step (a kink, or cancellation, within EPS of the point)."""
    if 4 * 2.2e-16 * abs(float_output(tape, tape.leaves)) / EPS > 1e-6:
        return None
    numeric = finite_difference(tape, i)
    if math.isclose(numeric, finite_difference(tape, i, EPS / 4), rel_tol=1e-6, abs_tol=1e-7):  # 1/10 of the test's
        return numeric
    return None


def torch_grads(out, leaves: list, **options) -> list:
    variables = [t for t in leaves if t.requires_grad]
    grads = torch.autograd.grad(out, variables, allow_unused=True, **options)
    return [torch.zeros((), dtype=torch.float64) if g is None else g for g in grads]


# ---------------------------------------------------------------------------------------------------------
# The properties.

def check_program(program, finite_differences: bool = True) -> None:
    """The expression's value and every leaf's gradient equal PyTorch float64's (1e-9) and, where a central
    difference is a reliable reference, finite differences (1e-5)."""
    tape, last_leaf_constant = build_tape(program)

    values = engine_leaves(tape, last_leaf_constant)
    out = output(run(tape, values, apply_engine))
    variables = [v for v in values if v.requires_grad]
    grads = grad(out, variables)

    tensors = torch_leaves(tape, last_leaf_constant)
    torch_out = output(run(tape, tensors, apply_torch))
    expected = [g.item() for g in torch_grads(torch_out, tensors)]

    assert math.isclose(out.data, torch_out.item(), rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(out.data, float_output(tape, tape.leaves), rel_tol=1e-9, abs_tol=1e-9)
    for i, (got, want) in enumerate(zip(grads, expected, strict=True)):  # i: leaf i (only the last is constant)
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (i, got, want, tape.steps)
        numeric = stable_finite_difference(tape, i) if finite_differences else None
        if numeric is not None:  # PyTorch, above, is the sharp reference for every leaf
            assert math.isclose(got, numeric, rel_tol=1e-5, abs_tol=1e-5), (i, got, numeric, tape.steps)


@SETTINGS
@given(programs)
def test_gradients_equal_pytorch_and_finite_differences(program):
    check_program(program)


@settings(SETTINGS, max_examples=100)
@given(programs)
def test_backward_fills_leaf_grads_like_grad(program):
    tape, last_leaf_constant = build_tape(program)
    values = engine_leaves(tape, last_leaf_constant)
    out = output(run(tape, values, apply_engine))
    expected = grad(out, [v for v in values if v.requires_grad])
    out.backward()
    assert [v.grad for v in values if v.requires_grad] == expected
    if last_leaf_constant:
        assert values[-1].grad == 0.0


@settings(SETTINGS, max_examples=100)
@given(programs, st.lists(st.floats(-1.0, 1.0), min_size=4, max_size=4))
def test_second_derivatives_equal_pytorch(program, direction):
    """The Hessian times a vector: d/dx_j sum_i u_i d output/d x_i, with create_graph=True."""
    tape, last_leaf_constant = build_tape(program)

    values = engine_leaves(tape, last_leaf_constant)
    out = output(run(tape, values, apply_engine))
    variables = [v for v in values if v.requires_grad]
    first = grad(out, variables, create_graph=True)
    directional = sum(u * g for u, g in zip(direction, first))
    # the first derivatives are all constants when the output is linear in the leaves
    second = grad(directional, variables) if directional.requires_grad else [0.0] * len(variables)

    tensors = torch_leaves(tape, last_leaf_constant)
    torch_out = output(run(tape, tensors, apply_torch))
    torch_first = torch_grads(torch_out, tensors, create_graph=True)
    for got, want in zip(first, torch_first, strict=True):
        assert math.isclose(float(got), want.item(), rel_tol=1e-9, abs_tol=1e-9)
    torch_directional = sum(u * g for u, g in zip(direction, torch_first))
    if torch_directional.requires_grad:
        torch_second = [g.item() for g in torch_grads(torch_directional, tensors)]
    else:
        torch_second = [0.0] * len(variables)
    for got, want in zip(second, torch_second, strict=True):
        assert math.isclose(got, want, rel_tol=1e-8, abs_tol=1e-8), (got, want, tape.steps)


def test_generated_programs_cover_every_operation():
    """A check on the generator: every operation is reached; the operators with a number on either side;
    and slope, alpha and beta as Values (not only numbers) on the side of 0 where they matter."""
    seen = set()

    @settings(SETTINGS, max_examples=800)  # floats only; 300 missed a rare kind in some runs
    @given(programs)
    def collect(program):
        tape, _ = build_tape(program)
        for name, operands in tape.steps:
            kinds = tuple("number" if isinstance(o, float) else "node" for o in operands)
            negative = isinstance(operands[0], int) and tape.values[operands[0]] < 0
            seen.update({name, (name, kinds), (name, kinds, negative)})

    collect()
    assert seen >= set(OPS_BY_NAME) | {"linear", "linear_bias"}
    for name in OPERATORS:
        assert {(name, ("number", "node")), (name, ("node", "number")), (name, ("node", "node"))} <= seen, name
    for name in ["leaky_relu_value_slope", "elu_value_alpha", "swish_value_beta"]:
        assert (name, ("node", "node"), True) in seen, name
