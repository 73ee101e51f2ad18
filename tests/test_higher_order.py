"""Higher-order derivatives: grad(create_graph=True), hessian, hvp and jacobian.

Expected numbers come from sympy (exact symbolic derivatives of each operation, written here from its
mathematical definition), finite differences of the engine's lower-order derivative, hand-derived formulas,
and PyTorch float64.
"""

import math
import random

import pytest
import sympy as sp

from autograd import AutogradError, Value, grad, hessian, hvp, jacobian, topological_order
from autograd.forward import count_operations
from ops_table import OPS

# Every operation of tests/ops_table.py written in sympy, from its mathematical definition. A kinked
# operation is written as the branch that holds at the sampled point (the domain stays clear of the kink).
# (symbols..., point) -> sympy expression.
SYMPY = {
    "add": lambda a, b, p: a + b,
    "sub": lambda a, b, p: a - b,
    "mul": lambda a, b, p: a * b,
    "div": lambda a, b, p: a / b,
    "neg": lambda x, p: -x,
    "pow_number_exponent": lambda x, p: x ** 3,
    "pow_fractional_exponent": lambda x, p: x ** sp.Rational(3, 2),
    "pow_value_exponent": lambda a, b, p: a ** b,
    "rpow_number_base": lambda x, p: sp.Integer(2) ** x,
    "exp": lambda x, p: sp.exp(x),
    "log": lambda x, p: sp.log(x),
    "sqrt": lambda x, p: sp.sqrt(x),
    "abs": lambda x, p: x if p[0] > 0 else -x,
    "sin": lambda x, p: sp.sin(x),
    "cos": lambda x, p: sp.cos(x),
    "tanh": lambda x, p: sp.tanh(x),
    "sigmoid": lambda x, p: 1 / (1 + sp.exp(-x)),
    "relu": lambda x, p: x if p[0] > 0 else sp.Integer(0),
    "step": lambda x, p: sp.Integer(1) if p[0] > 0 else sp.Integer(0),
    "leaky_relu": lambda x, p: x if p[0] > 0 else sp.Rational(1, 100) * x,
    "leaky_relu_value_slope": lambda x, s, p: x if p[0] > 0 else s * x,
    "elu": lambda x, p: x if p[0] > 0 else sp.exp(x) - 1,
    "elu_value_alpha": lambda x, a, p: x if p[0] > 0 else a * (sp.exp(x) - 1),
    "softplus": lambda x, p: sp.log(1 + sp.exp(x)),
    "silu": lambda x, p: x / (1 + sp.exp(-x)),
    "swish_value_beta": lambda x, b, p: x / (1 + sp.exp(-b * x)),
    "mish": lambda x, p: x * sp.tanh(sp.log(1 + sp.exp(x))),
}


def close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-10) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def sympy_derivatives(case, point):
    """(H[i][j], T[i][j][k]) of the case at the point, from sympy."""
    symbols = sp.symbols(f"u0:{case.arity}")
    expr = SYMPY[case.name](*symbols, point)
    at = dict(zip(symbols, point))
    n = case.arity
    second = [[float(sp.diff(expr, symbols[i], symbols[j]).evalf(30, subs=at)) for j in range(n)]
              for i in range(n)]
    third = [[[float(sp.diff(expr, symbols[i], symbols[j], symbols[k]).evalf(30, subs=at)) for k in range(n)]
              for j in range(n)] for i in range(n)]
    return second, third


def graph_grad(y: Value, xs: list) -> list:
    """d y/d x as Values (create_graph=True), zeros if y is a constant."""
    if not y.requires_grad:
        return [Value(0.0, requires_grad=False) for _ in xs]
    return grad(y, xs, create_graph=True)


def engine_third(case, point):
    """T[i][j][k] from three nested grad(create_graph=True) calls."""
    xs = [Value(x) for x in point]
    first = graph_grad(case.apply(*xs), xs)
    second = [graph_grad(g, xs) for g in first]
    return [[[t.data for t in graph_grad(h, xs)] for h in row] for row in second]


def first_derivatives(case, point):
    xs = [Value(x) for x in point]
    return grad(case.apply(*xs), xs)


def points(case, count=3, seed=0):
    rng = random.Random(f"{case.name}-{seed}")
    return [tuple(rng.uniform(*rng.choice(intervals)) for intervals in case.domain) for _ in range(count)]


@pytest.mark.parametrize("case", OPS, ids=repr)
def test_second_and_third_derivatives_match_sympy(case):
    for point in points(case):
        second, third = sympy_derivatives(case, point)
        engine_second = hessian(case.apply, point)
        engine_3 = engine_third(case, point)
        n = case.arity
        for i in range(n):
            for j in range(n):
                assert close(engine_second[i][j], second[i][j]), (case.name, point, i, j)
                for k in range(n):
                    assert close(engine_3[i][j][k], third[i][j][k]), (case.name, point, i, j, k)


@pytest.mark.parametrize("case", OPS, ids=repr)
def test_second_and_third_derivatives_match_finite_differences(case):
    h = 1e-5
    for point in points(case, count=2, seed=1):
        n = case.arity
        engine_second = hessian(case.apply, point)
        engine_3 = engine_third(case, point)
        for j in range(n):
            up = list(point)
            down = list(point)
            up[j] += h
            down[j] -= h
            # d/dx_j of the first derivative: (g(x + h e_j) - g(x - h e_j)) / 2h
            first_up, first_down = first_derivatives(case, up), first_derivatives(case, down)
            second_up, second_down = hessian(case.apply, up), hessian(case.apply, down)
            for i in range(n):
                estimate = (first_up[i] - first_down[i]) / (2 * h)
                assert close(engine_second[i][j], estimate, rel=1e-6, abs_=1e-7), (case.name, point, i, j)
                for k in range(n):
                    estimate = (second_up[i][k] - second_down[i][k]) / (2 * h)
                    assert close(engine_3[i][k][j], estimate, rel=1e-6, abs_=1e-6), (case.name, point, i, k, j)


def test_every_operation_has_a_sympy_definition():
    assert {case.name for case in OPS} <= set(SYMPY)


def test_hessian_of_the_lecture_graph():
    # f = x^2 + xy + (x + y)^2 = 2x^2 + 3xy + y^2 (lecture 004), so H = [[4, 3], [3, 2]] everywhere
    def f(x, y):
        return x ** 2 + x * y + (x + y) ** 2
    for point in ([1.0, 2.0], [-0.5, 3.0], [0.0, 0.0]):
        H = hessian(f, point)
        assert H == [[4.0, 3.0], [3.0, 2.0]]


def test_hessian_of_a_mixed_function_against_hand_derivation():
    # f = x y^2 + sin(x) y: f_xx = -sin(x) y, f_xy = 2y + cos(x), f_yy = 2x
    x, y = 0.7, -1.3
    H = hessian(lambda a, b: a * b ** 2 + a.sin() * b, [x, y])
    expected = [[-math.sin(x) * y, 2 * y + math.cos(x)], [2 * y + math.cos(x), 2 * x]]
    for i in range(2):
        for j in range(2):
            assert close(H[i][j], expected[i][j], rel=1e-12)


def test_book_chain_z_f_f_f_w_derivative_is_a_graph():
    # z = f(f(f(w))) with f = sin (book, file 003): dz/dw = f'(y) f'(x) f'(w) with x = f(w), y = f(x)
    w = Value(0.8, label="w")
    x = w.sin()
    y = x.sin()
    z = y.sin()
    dz_dw = grad(z, w, create_graph=True)
    xv, yv = math.sin(0.8), math.sin(math.sin(0.8))
    assert close(dz_dw.data, math.cos(yv) * math.cos(xv) * math.cos(0.8), rel=1e-13)
    # symbol-to-symbol: the derivative graph is built from the forward graph's nodes
    nodes = set(topological_order(dz_dw))
    assert {w, x, y} <= nodes
    # and can be differentiated again: compare with a finite difference of dz/dw
    h = 1e-6
    d2 = grad(dz_dw, w)

    def first(at):
        v = Value(at)
        return grad(v.sin().sin().sin(), v)
    assert close(d2, (first(0.8 + h) - first(0.8 - h)) / (2 * h), rel=1e-7)


def test_backward_create_graph_gives_differentiable_grads():
    x = Value(1.5)
    y = x ** 3 + x.tanh()
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value)
    assert close(x.grad.data, 3 * 1.5 ** 2 + 1 - math.tanh(1.5) ** 2, rel=1e-13)
    t = math.tanh(1.5)
    # d/dx (3x^2 + 1 - tanh^2 x) = 6x - 2 tanh x (1 - tanh^2 x)
    assert close(grad(x.grad, x), 6 * 1.5 - 2 * t * (1 - t * t), rel=1e-12)


def test_fourth_derivative_of_sin():
    x = Value(0.3)
    d = x.sin()
    for _ in range(4):
        d = grad(d, x, create_graph=True)
    assert close(d.data, math.sin(0.3), rel=1e-13)  # sin'''' = sin


def cube_with_value_grads(x: Value) -> Value:
    return Value(x.data ** 3, parents=(x,), local_grads=(3 * x * x,), op="cube")


def cube_with_float_grads(x: Value) -> Value:
    return Value(x.data ** 3, parents=(x,), local_grads=(3 * x.data ** 2,), op="cube")


def test_custom_operation_with_value_local_grads_has_higher_derivatives():
    assert close(hessian(lambda x: cube_with_value_grads(x), [2.0])[0][0], 12.0, rel=1e-15)  # 6x
    assert close(engine_third_of(cube_with_value_grads, 2.0), 6.0, rel=1e-15)


def engine_third_of(f, at):
    x = Value(at)
    d = f(x)
    for _ in range(3):
        d = grad(d, x, create_graph=True)
    return d.data


def test_custom_operation_with_float_local_grads_explains_itself():
    x = Value(2.0)
    assert grad(cube_with_float_grads(x), x) == 12.0  # first derivatives still work
    with pytest.raises(AutogradError, match="cube"):
        hessian(cube_with_float_grads, [2.0])


def test_hvp_matches_full_hessian_and_uses_two_sweeps():
    def f(a, b, c, d):
        return (a * b).sin() + c ** 2 * d.exp() + (a + d).tanh() * b
    point = [0.3, -0.8, 1.1, 0.4]
    v = [0.5, -1.0, 2.0, 0.25]
    with count_operations() as full:
        H = hessian(f, point)
    with count_operations() as product:
        Hv = hvp(f, point, v)
    for i in range(4):
        assert close(Hv[i], sum(H[i][j] * v[j] for j in range(4)), rel=1e-12)
    assert full.backward_sweeps == 4 + 1
    assert product.backward_sweeps == 2


def torch_function(f):
    import torch

    def wrapped(t):
        out = f(*t.unbind())
        return torch.stack(out) if isinstance(out, (list, tuple)) else out
    return wrapped


def vector_function(a, b, c):
    return [a * b.sin() + c.exp(), (a - c).tanh() * b ** 2, (b / (1 + a * a)).sigmoid(), a.cos() * c]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_jacobian_matches_torch(mode):
    torch = pytest.importorskip("torch")
    for point in ([0.2, -1.1, 0.7], [1.5, 0.3, -0.4]):
        J = jacobian(vector_function, point, mode=mode)
        expected = torch.autograd.functional.jacobian(torch_function(vector_function),
                                                      torch.tensor(point, dtype=torch.float64))
        assert len(J) == 4 and all(len(row) == 3 for row in J)
        for i in range(4):
            for j in range(3):
                assert close(J[i][j], expected[i, j].item(), rel=1e-12, abs_=1e-14)


def test_jacobian_row_of_a_constant_output_is_zero():
    J = jacobian(lambda x, y: [x * y, Value(2.0, requires_grad=False), 5.0], [3.0, 4.0])
    assert J == [[4.0, 3.0], [0.0, 0.0], [0.0, 0.0]]


def test_hvp_and_hessian_match_torch():
    torch = pytest.importorskip("torch")

    def f(a, b, c):
        return a * b * c + (a - b).sigmoid() * c.exp() + (b * c).cos()
    point, v = [0.4, -0.6, 0.9], [1.0, 0.3, -2.0]
    tensor = torch.tensor(point, dtype=torch.float64)
    _, expected_hv = torch.autograd.functional.hvp(torch_function(f), tensor, torch.tensor(v, dtype=torch.float64))
    expected_h = torch.autograd.functional.hessian(torch_function(f), tensor)
    Hv, H = hvp(f, point, v), hessian(f, point)
    for i in range(3):
        assert close(Hv[i], expected_hv[i].item(), rel=1e-12)
        for j in range(3):
            assert close(H[i][j], expected_h[i, j].item(), rel=1e-12)


def test_bad_inputs_get_clear_errors():
    f = lambda x, y: x * y  # noqa: E731
    with pytest.raises(TypeError, match="hessian.*one Value.*jacobian"):
        hessian(lambda x, y: [x, y], [1.0, 2.0])
    with pytest.raises(TypeError, match="hessian.*returned None"):
        hessian(lambda x, y: None, [1.0, 2.0])
    with pytest.raises(TypeError, match=r"hessian\(\): inputs\[1\].*'a'"):
        hessian(f, [1.0, "a"])
    with pytest.raises(AutogradError, match=r"hvp\(\): inputs\[0\].*nan"):
        hvp(f, [float("nan"), 1.0], [1.0, 1.0])
    with pytest.raises(AutogradError, match=r"vector\[1\].*inf"):
        hvp(f, [1.0, 1.0], [1.0, float("inf")])
    with pytest.raises(ValueError, match="2 inputs but a vector of length 3"):
        hvp(f, [1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="jacobian.*output 1"):
        jacobian(lambda x, y: [x, "y"], [1.0, 2.0])
    with pytest.raises(ValueError, match="mode"):
        jacobian(f, [1.0, 2.0], mode="sideways")
    with pytest.raises(ValueError, match="empty"):
        hessian(f, [])
    with pytest.raises(TypeError, match="sequence of numbers"):
        hessian(f, 3.0)
