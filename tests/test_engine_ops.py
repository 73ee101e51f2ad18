"""Every engine operation, one parametrised check per operation and sample point.

Each operation of `ops_table.OPS` is checked at several seeded points of its domain: its value against the
`math` reference, every partial derivative against the hand-written formula, against central finite
differences in float64, and against PyTorch float64. Then `linear()` and the float/Value functions
(`autograd.exp`, ...) are checked the same way.
"""

import math
import random

import pytest

import autograd
from autograd import Value, grad, linear
from ops_table import OPS, OPS_BY_NAME, sample

torch = pytest.importorskip("torch")

SEEDS = range(5)
EPS = 1e-6  # central difference step: error ~ EPS^2 f''' (truncation) + 1e-16 |f| / EPS (rounding)


def close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-13) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def central_differences(f, xs: tuple) -> list[float]:
    """d f / d x_i ~ (f(x + EPS e_i) - f(x - EPS e_i)) / (2 EPS), for each input i."""
    result = []
    for i in range(len(xs)):
        up = list(xs)
        down = list(xs)
        up[i] += EPS
        down[i] -= EPS
        result.append((f(*up) - f(*down)) / (2 * EPS))
    return result


def torch_value_and_grads(case, xs: tuple) -> tuple[float, list[float]]:
    """PyTorch float64: the case's function and its gradient with respect to every input."""
    inputs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = case.torch(*inputs)
    grads = torch.autograd.grad(out, inputs, allow_unused=True)
    return out.item(), [0.0 if g is None else g.item() for g in grads]


CASES = [(case, seed) for case in OPS for seed in SEEDS]


def case_id(case_seed) -> str:
    return f"{case_seed[0].name}-{case_seed[1]}"


@pytest.fixture(params=CASES, ids=[case_id(cs) for cs in CASES])
def point(request):
    """(case, sample point, input Values, output Value) for one operation at one seeded point."""
    case, seed = request.param
    xs = sample(case, random.Random(f"{case.name}/{seed}"))
    inputs = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    return case, xs, inputs, case.apply(*inputs)


def test_value_matches_math_reference(point):
    case, xs, inputs, out = point
    assert close(out.data, case.reference(*xs)), (out.data, case.reference(*xs))


def test_node_records_parents_in_operand_order(point):
    case, xs, inputs, out = point
    # ops on a number (2.0 ** x, x ** 3) record the number as a constant parent
    value_parents = [p for p in out.parents if p.requires_grad]
    assert value_parents == inputs
    assert len(out.local_grads) == len(out.parents)


def test_local_grads_match_analytic_derivatives(point):
    case, xs, inputs, out = point
    expected = case.derivatives(*xs)
    local = [g for p, g in zip(out.parents, out.local_grads) if p.requires_grad]
    for got, want in zip(local, expected, strict=True):
        assert close(got, want), (got, want)


def test_grad_matches_analytic_derivatives(point):
    case, xs, inputs, out = point
    for got, want in zip(grad(out, inputs), case.derivatives(*xs), strict=True):
        assert close(got, want), (got, want)


def test_backward_matches_analytic_derivatives(point):
    case, xs, inputs, out = point
    out.backward()
    assert out.grad == 1.0
    for x, want in zip(inputs, case.derivatives(*xs), strict=True):
        assert close(x.grad, want), (x.label, x.grad, want)


def test_grad_matches_finite_differences(point):
    case, xs, inputs, out = point
    numeric = central_differences(case.reference, xs)
    for got, want in zip(grad(out, inputs), numeric, strict=True):
        assert close(got, want, rel=1e-6, abs_=1e-7), (got, want)


def test_matches_pytorch_float64(point):
    case, xs, inputs, out = point
    torch_out, torch_grads = torch_value_and_grads(case, xs)
    assert close(out.data, torch_out), (out.data, torch_out)
    for got, want in zip(grad(out, inputs), torch_grads, strict=True):
        assert close(got, want), (got, want)


# Large inputs: the numerically stable forms (sigmoid, softplus, mish, ...) must neither overflow nor
# lose their value. Only operations defined on all reals take part.
UNBOUNDED = [case for case in OPS if all(intervals == ((-3.0, 3.0),) for intervals in case.domain)]


@pytest.mark.parametrize("case", [c for c in UNBOUNDED if c.arity == 1], ids=repr)
@pytest.mark.parametrize("x", [-700.0, -40.0, 40.0, 700.0])
def test_large_inputs_match_pytorch(case, x):
    v = Value(x)
    out = case.apply(v)
    torch_out, (torch_grad,) = torch_value_and_grads(case, (x,))
    assert close(out.data, torch_out), (out.data, torch_out)
    assert close(grad(out, v), torch_grad), (grad(out, v), torch_grad)


# ---------------------------------------------------------------------------------------------------------
# linear(weights, inputs, bias): z = sum_i w_i x_i + b as one node.

def mixed_linear_inputs(n: int, with_bias: bool, seed: int):
    """Weights and inputs, every third one a plain number (a constant), the rest Values; and the bias."""
    rng = random.Random(seed)
    ws = [rng.uniform(-2, 2) for _ in range(n)]
    xs = [rng.uniform(-2, 2) for _ in range(n)]
    b = rng.uniform(-2, 2) if with_bias else None
    weights = [w if i % 3 == 2 else Value(w, label=f"w{i}") for i, w in enumerate(ws)]
    inputs = [x if i % 3 == 1 else Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    bias = Value(b, label="b") if with_bias else None
    return ws, xs, b, weights, inputs, bias


@pytest.mark.parametrize("n", [1, 2, 5])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_matches_formula_and_pytorch(n, with_bias):
    ws, xs, b, weights, inputs, bias = mixed_linear_inputs(n, with_bias, seed=n)
    z = linear(weights, inputs, bias)

    assert z.op == "linear"
    expected = math.fsum([w * x for w, x in zip(ws, xs)] + ([b] if with_bias else []))  # z = sum w x + b
    assert close(z.data, expected)

    z.backward()
    for i, (w, x) in enumerate(zip(weights, inputs)):
        if isinstance(w, Value):
            assert close(w.grad, xs[i])  # dz/dw_i = x_i
        if isinstance(x, Value):
            assert close(x.grad, ws[i])  # dz/dx_i = w_i
    if with_bias:
        assert bias.grad == 1.0  # dz/db = 1

    tw = torch.tensor(ws, dtype=torch.float64, requires_grad=True)
    tx = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    tz = (tw * tx).sum() + (b if with_bias else 0.0)
    tz.backward()
    assert close(z.data, tz.item())
    for i, (w, x) in enumerate(zip(weights, inputs)):
        if isinstance(w, Value):
            assert close(w.grad, tw.grad[i].item())
        if isinstance(x, Value):
            assert close(x.grad, tx.grad[i].item())


def test_linear_with_number_bias():
    w, x = Value(0.5, label="w"), Value(-1.5, label="x")
    z = linear([w], [x], 2.0)
    assert z.data == 0.5 * -1.5 + 2.0
    assert grad(z, [w, x]) == [-1.5, 0.5]


def test_linear_of_constants_is_constant():
    z = linear([1.0, 2.0], [3.0, Value(4.0, requires_grad=False)], 0.5)
    assert z.data == 1.0 * 3.0 + 2.0 * 4.0 + 0.5
    assert not z.requires_grad


# ---------------------------------------------------------------------------------------------------------
# autograd.exp, log, ...: the same functions on floats (plain math) and on Values (graph nodes).

def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


FUNCTIONS = [
    ("exp", math.exp, 1.3),
    ("log", math.log, 2.7),
    ("sqrt", math.sqrt, 2.7),
    ("sin", math.sin, 0.9),
    ("cos", math.cos, 0.9),
    ("tanh", math.tanh, -0.8),
    ("sigmoid", _sigmoid, -0.8),
    ("relu", lambda x: max(x, 0.0), -0.8),
    ("relu", lambda x: max(x, 0.0), 0.8),
    ("softplus", lambda x: math.log1p(math.exp(x)), 0.4),
]


@pytest.mark.parametrize("name, reference, x", FUNCTIONS)
def test_function_on_float_equals_math(name, reference, x):
    function = getattr(autograd, name)
    result = function(x)
    assert type(result) is float
    assert close(result, reference(x))


@pytest.mark.parametrize("name, reference, x", FUNCTIONS)
def test_function_on_value_builds_the_operation(name, reference, x):
    v = Value(x, label="v")
    result = getattr(autograd, name)(v)
    assert isinstance(result, Value)
    assert result.op == name
    assert result.parents == (v,)
    assert close(result.data, reference(x))


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "softplus"])
def test_function_derivative_matches_ops_table(name):
    case = OPS_BY_NAME[name]
    (x,) = sample(case, random.Random(name))
    v = Value(x)
    (want,) = case.derivatives(x)
    assert close(grad(getattr(autograd, name)(v), v), want)
