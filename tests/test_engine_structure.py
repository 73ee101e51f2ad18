"""The shape of the graph and of backpropagation: fan-out, diamonds, repeated operands, constants,
gradient accumulation, `grad()`, second derivatives, custom operations, the topological order, very deep
and very wide graphs. Expected numbers are worked out by hand from calculus."""

import math
import random
import sys

import pytest

from autograd import AutogradError, Value, grad, linear, topological_order, zero_grad
from ops_table import OPS, OPS_BY_NAME, sample


def close(a: float, b: float, rel: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-13)


# ---------------------------------------------------------------------------------------------------------
# Several paths from a node to the output: their gradients are summed.

def test_fan_out_sums_the_gradients_of_all_uses():
    x = Value(0.7, label="x")
    y = x * 2.0 + x.sin() + x.exp()  # dy/dx = 2 + cos x + e^x
    y.backward()
    assert close(x.grad, 2.0 + math.cos(0.7) + math.exp(0.7))


def test_diamond():
    a = Value(0.3, label="a")
    b = a * 3.0
    c = a.tanh()
    d = b * c  # d = 3a tanh(a); dd/da = 3 tanh(a) + 3a (1 - tanh(a)^2)
    d.backward()
    t = math.tanh(0.3)
    assert close(a.grad, 3 * t + 3 * 0.3 * (1 - t * t))
    assert close(b.grad, t)  # dd/db = c
    assert close(c.grad, 0.9)  # dd/dc = b


def test_a_times_a_records_a_twice_and_gives_2a():
    a = Value(-1.25, label="a")
    y = a * a
    assert y.parents == (a, a)
    assert y.local_grads == (-1.25, -1.25)
    y.backward()
    assert a.grad == -2.5


def test_a_plus_a_records_a_twice():
    a = Value(4.0)
    y = a + a
    assert y.parents == (a, a)
    assert grad(y, a) == 2.0


def test_nested_diamonds_count_every_path():
    x = Value(1.0)
    y = x
    for _ in range(30):
        y = y + y  # 2^30 paths from the output to x
    y.backward()
    assert x.grad == 2.0 ** 30


# ---------------------------------------------------------------------------------------------------------
# Constants: plain numbers on either side of every operator, and Values with requires_grad=False.

OPERATORS = ["add", "sub", "mul", "div", "pow_value_exponent"]  # accept a number on either side
PARAMETRIC = ["leaky_relu_value_slope", "elu_value_alpha", "swish_value_beta"]  # a number as the parameter
BINARY = OPERATORS + PARAMETRIC
assert set(BINARY) == {case.name for case in OPS if case.arity == 2}, "a binary operation is not covered"


BINARY_CASES = [(name, position) for name in BINARY for position in (0, 1)
                if not (name in PARAMETRIC and position == 0)]  # x.leaky_relu(s) needs x to be a Value


@pytest.mark.parametrize("name, constant_position", BINARY_CASES)
@pytest.mark.parametrize("constant_kind", ["number", "constant Value"])
def test_constant_on_either_side(name, constant_position, constant_kind):
    case = OPS_BY_NAME[name]
    xs = sample(case, random.Random(name))
    variable_position = 1 - constant_position
    variable = Value(xs[variable_position], label="v")
    if constant_kind == "number":
        constant = xs[constant_position]
    else:
        constant = Value(xs[constant_position], label="c", requires_grad=False)
    operands = [None, None]
    operands[constant_position] = constant
    operands[variable_position] = variable

    out = case.apply(*operands)
    out.backward()

    assert close(out.data, case.reference(*xs))
    assert close(variable.grad, case.derivatives(*xs)[variable_position])
    recorded_constant = out.parents[constant_position]
    assert not recorded_constant.requires_grad
    assert recorded_constant.data == xs[constant_position]
    assert recorded_constant.grad == 0.0
    assert out.parents[variable_position] is variable


@pytest.mark.parametrize("case", OPS, ids=repr)
def test_every_operation_on_constants_is_a_constant(case):
    xs = sample(case, random.Random(case.name))
    constants = [Value(x, requires_grad=False) for x in xs]
    out = case.apply(*constants)
    assert close(out.data, case.reference(*xs))
    assert not out.requires_grad
    assert out.local_grads == ()
    with pytest.raises(AutogradError):
        out.backward()


def test_operation_on_constants_only_is_a_constant():
    c = Value(2.0, label="c", requires_grad=False)
    d = c * 3.0 + c.exp() - 1.0 / c
    assert not d.requires_grad
    assert d.local_grads == ()
    assert close(d.data, 6.0 + math.exp(2.0) - 0.5)


def test_mixed_graph_computes_no_gradient_for_constants():
    c = Value(2.0, label="c", requires_grad=False)
    d = c * c + 1.0  # depends only on constants: 5
    x = Value(1.5, label="x")
    y = x * d + (x * c).sin()  # dy/dx = d + c cos(x c)
    y.backward()
    assert close(x.grad, 5.0 + 2.0 * math.cos(3.0))
    assert c.grad == 0.0 and d.grad == 0.0
    order = topological_order(y)
    assert c not in order and d not in order and x in order


def test_requires_grad_false_stops_gradient_through_a_leaf():
    x = Value(3.0, label="x")
    y = Value(4.0, label="y", requires_grad=False)
    f = x * y + y * y  # "the gradient with respect to x but not y"
    f.backward()
    assert x.grad == 4.0
    assert y.grad == 0.0


def test_integer_data_is_stored_as_float():
    v = Value(3)
    assert type(v.data) is float and v.data == 3.0
    assert float(Value(2.5)) == 2.5


# ---------------------------------------------------------------------------------------------------------
# Accumulation: leaves accumulate over backward() calls (PyTorch), intermediate nodes are recomputed.

def test_accumulation_follows_pytorch_not_micrograd():
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad, c.grad) == (4.0, 2.0, 1.0)
    c.backward()
    assert (a.grad, b.grad, c.grad) == (8.0, 2.0, 1.0)  # micrograd would give a.grad == 12


def test_zero_grad_resets_leaves():
    a = Value(1.0)
    w = Value(2.0)
    y = a * w
    y.backward()
    y.backward()
    assert (a.grad, w.grad) == (4.0, 2.0)
    zero_grad([a, w])
    assert (a.grad, w.grad) == (0.0, 0.0)
    y.backward()
    assert (a.grad, w.grad) == (2.0, 1.0)


def test_accumulation_over_a_minibatch_sums_per_example_gradients():
    w = Value(0.5, label="w")
    for x, t in [(1.0, 2.0), (-2.0, 0.0), (3.0, 1.0)]:
        loss = (w * x - t) ** 2  # d loss/dw = 2 (w x - t) x
        loss.backward()
    assert close(w.grad, 2 * (0.5 - 2.0) * 1.0 + 2 * (-1.0 - 0.0) * -2.0 + 2 * (1.5 - 1.0) * 3.0)


# ---------------------------------------------------------------------------------------------------------
# grad(output, inputs)

def test_grad_leaves_dot_grad_untouched():
    x = Value(2.0)
    y = x * x * x
    x.grad = 7.0  # a previous, unrelated value
    assert grad(y, x) == 12.0
    assert x.grad == 7.0
    assert y.grad == 0.0


def test_grad_of_unrelated_input_is_zero():
    x, u = Value(2.0), Value(5.0)
    assert grad(x * 3.0, [x, u]) == [3.0, 0.0]


def test_grad_returns_one_number_for_one_value_and_a_list_for_a_sequence():
    x, y = Value(2.0), Value(3.0)
    f = x * y
    single = grad(f, x)
    assert isinstance(single, float) and single == 3.0
    assert grad(f, [x]) == [3.0]
    assert grad(f, (x, y)) == [3.0, 2.0]
    assert grad(f, (v for v in [y, x])) == [2.0, 3.0]
    assert grad(f, [f, x, x]) == [1.0, 3.0, 3.0]  # the output itself, and an input given twice


def test_grad_with_respect_to_an_intermediate_node():
    x = Value(0.5)
    h = x.exp()
    y = h * h  # dy/dh = 2h
    assert close(grad(y, h), 2 * math.exp(0.5))


# ---------------------------------------------------------------------------------------------------------
# create_graph: the derivative as a graph of Values, differentiated again.

def test_second_derivative_of_cube():
    x = Value(2.0)
    dy = grad(x ** 3, x, create_graph=True)  # 3 x^2
    assert isinstance(dy, Value) and dy.data == 12.0
    assert grad(dy, x) == 12.0  # 6 x


def test_third_derivative_of_cube():
    x = Value(-1.5)
    d1 = grad(x ** 3, x, create_graph=True)
    d2 = grad(d1, x, create_graph=True)
    assert close(d2.data, 6 * -1.5)
    assert grad(d2, x) == 6.0


def test_third_derivative_of_cube_at_zero_through_create_graph():
    x = Value(0.0)
    d1 = grad(x ** 3, x, create_graph=True)
    d2 = grad(d1, x, create_graph=True)
    d3 = grad(d2, x, create_graph=True)  # builds 6 x^0 and needs d(x^0)/dx = 0
    assert d3.data == 6.0
    assert grad(d3, x) == 0.0


def test_second_derivative_of_tanh():
    x = Value(0.4)
    d1 = grad(x.tanh(), x, create_graph=True)  # 1 - tanh^2
    t = math.tanh(0.4)
    assert close(d1.data, 1 - t * t)
    assert close(grad(d1, x), -2 * t * (1 - t * t))  # d/dx (1 - tanh^2) = -2 tanh (1 - tanh^2)


def test_mixed_second_derivatives_of_a_product():
    x, y = Value(1.5, label="x"), Value(-2.0, label="y")
    f = x * y * x  # f = x^2 y
    dfdx, dfdy = grad(f, [x, y], create_graph=True)
    assert close(dfdx.data, 2 * 1.5 * -2.0)  # 2 x y
    assert close(dfdy.data, 1.5 ** 2)  # x^2
    assert grad(dfdx, [x, y]) == [2 * -2.0, 2 * 1.5]  # d/dx 2xy = 2y, d/dy 2xy = 2x
    assert grad(dfdy, [x, y]) == [2 * 1.5, 0.0]


def test_backward_with_create_graph_gives_value_gradients():
    x = Value(0.8)
    y = x.sin() * x
    y.backward(create_graph=True)  # dy/dx = cos(x) x + sin(x)
    assert isinstance(x.grad, Value)
    assert close(x.grad.data, math.cos(0.8) * 0.8 + math.sin(0.8))
    assert close(grad(x.grad, x), -math.sin(0.8) * 0.8 + 2 * math.cos(0.8))


def test_create_graph_of_unrelated_input_is_zero():
    x, u = Value(2.0), Value(1.0)
    dx, du = grad(x * x, [x, u], create_graph=True)
    assert dx.data == 4.0
    assert float(du) == 0.0


def test_derivative_graph_through_linear():
    w, x = Value(0.5), Value(-3.0)
    z = linear([w], [x], 1.0)
    dzdw = grad(z * z, w, create_graph=True)  # 2 z x
    assert close(dzdw.data, 2 * (0.5 * -3.0 + 1.0) * -3.0)
    assert close(grad(dzdw, w), 2 * 9.0)  # 2 x^2


# ---------------------------------------------------------------------------------------------------------
# Custom operations built with the constructor.

def square(x: Value, symbolic: bool) -> Value:
    """x^2 as a custom operation; its local derivative 2x as a float or as a Value."""
    local = 2 * x if symbolic else 2 * x.data
    return Value(x.data ** 2, parents=(x,), local_grads=(local,), op="square", label="sq")


def test_custom_op_with_float_local_grads():
    x = Value(1.5)
    y = square(x, symbolic=False).sin()  # dy/dx = cos(x^2) 2x
    assert y.parents[0].op == "square"
    y.backward()
    assert close(x.grad, math.cos(2.25) * 3.0)


def test_custom_op_with_value_local_grads_has_second_derivatives():
    x = Value(1.5)
    y = square(x, symbolic=True) * x  # y = x^3
    d1 = grad(y, x, create_graph=True)
    assert close(d1.data, 3 * 1.5 ** 2)
    assert close(grad(d1, x), 6 * 1.5)


def test_create_graph_through_a_float_local_grad_op_names_the_op():
    x = Value(1.5)
    y = square(x, symbolic=False)
    y.backward()  # first derivatives work
    assert x.grad == 3.0
    with pytest.raises(AutogradError) as error:
        grad(y, x, create_graph=True)
    assert "square" in str(error.value) and "sq" in str(error.value)


def test_custom_op_with_several_parents():
    x, y = Value(2.0), Value(3.0)
    # f(x, y) = x y^2 written by hand
    f = Value(2.0 * 9.0, parents=(x, y), local_grads=(9.0, 12.0), op="xy2")
    g = f * x  # g = x^2 y^2
    assert grad(g, [x, y]) == [2 * 2.0 * 9.0, 2 * 4.0 * 3.0]


@pytest.mark.parametrize("n_parents", [1, 2, 3, 5])
def test_parents_of_every_arity_in_operand_order_with_gradients(n_parents):
    """A user's operation keeps its parents in a tuple, whatever their number (the built-in operations keep one
    or two in slots): `parents` and backward are the same for all. f = sum_i (i + 1) x_i^2 as one custom node,
    over x_0 = 1, x_1 = 2, ...; a constant is one more parent, to show that it gets no gradient; y = f * f
    (a built-in node, parents in slots) on top."""
    xs = [Value(float(i + 1), label=f"x{i}") for i in range(n_parents)]
    const = Value(7.0, requires_grad=False)
    parents = tuple(xs) + (const,)
    f = Value(sum((i + 1) * x.data ** 2 for i, x in enumerate(xs)), parents=parents,
              local_grads=[2 * (i + 1) * x.data for i, x in enumerate(xs)] + [100.0], op="f")
    assert f.parents == parents and type(f.parents) is tuple
    y = f * f  # dy/dx_i = 2 f (2 (i + 1) x_i)
    y.backward()
    assert [x.grad for x in xs] == [2 * f.data * 2 * (i + 1) * (i + 1.0) for i in range(n_parents)]
    assert const.grad == 0.0
    assert grad(y, xs) == [x.grad for x in xs]


def test_parents_of_leaves_and_built_in_operations():
    a, b = Value(2.0), Value(3.0)
    assert a.parents == () and (-a).parents == (a,) and (a - b).parents == (a, b) and (b ** a).parents == (b, a)
    assert (2 - a).parents[1] is a and (2 - a).parents[0].data == 2.0
    assert linear([a, b], [b, a], 1.0).parents[:4] == (a, b, b, a)


def test_parents_cannot_be_reassigned():
    a = Value(2.0)
    y = a * 3.0
    with pytest.raises(AttributeError):
        y.parents = (a,)


def test_a_node_is_one_object_for_the_garbage_collector():
    """The parents live in the node's slots, not in a tuple of their own, and a tuple of floats
    (local_grads) stops being tracked: a graph of n operations leaves about n tracked objects, not 2n
    (README, "Speed and memory")."""
    import gc

    x = Value(0.3)
    gc.collect()
    before = len(gc.get_objects())
    y, n = x, 20_000
    for i in range(n // 4):
        y = ((y * x).tanh() + x).relu() if i % 2 else ((y + x).tanh() * x).relu()
    gc.collect()
    per_node = (len(gc.get_objects()) - before) / n
    assert 0.99 < per_node < 1.01, per_node
    y.backward()  # and backward leaves none behind
    gc.collect()
    assert (len(gc.get_objects()) - before) / n < 1.01


# ---------------------------------------------------------------------------------------------------------
# topological_order

def shared_graph():
    """A graph with shared subexpressions, a repeated operand and constants."""
    x = Value(0.5, label="x")
    y = Value(-1.0, label="y")
    c = Value(2.0, label="c", requires_grad=False)
    a = x * y
    b = a.tanh() + a * c
    d = (b * b + x).exp()
    e = linear([d, b], [a, 3.0], c)
    return e, [x, y, c, a, b, d, e]


def reachable_requiring_grad(root: Value) -> set[int]:
    seen = {id(root)}
    todo = [root]
    while todo:
        node = todo.pop()
        for p in node.parents:
            if p.requires_grad and id(p) not in seen:
                seen.add(id(p))
                todo.append(p)
    return seen


def test_topological_order_properties():
    root, nodes = shared_graph()
    order = topological_order(root)
    assert order[0] is root
    assert len({id(n) for n in order}) == len(order), "a node appears twice"
    assert {id(n) for n in order} == reachable_requiring_grad(root)
    assert all(n.requires_grad for n in order)
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for p in node.parents:
            if p.requires_grad:
                assert position[id(node)] < position[id(p)], "a node comes after one of its parents"


def test_topological_order_of_a_leaf_is_the_leaf():
    x = Value(1.0)
    assert topological_order(x) == [x]


# ---------------------------------------------------------------------------------------------------------
# Very deep and very wide graphs.

def test_million_operation_chain_under_default_recursion_limit():
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default, whatever the test runner set
    try:
        n = 1_000_000
        x = Value(1.5, label="x")
        c = Value(1.0000001, label="c")
        y = x
        for _ in range(n):
            y = y * c  # y = x c^n
        y.backward()
        assert sys.getrecursionlimit() == 1000
    finally:
        sys.setrecursionlimit(previous_limit)
    assert close(y.data, 1.5 * 1.0000001 ** n, rel=1e-9)
    assert close(x.grad, 1.0000001 ** n, rel=1e-9)  # dy/dx = c^n
    assert close(c.grad, n * 1.5 * 1.0000001 ** (n - 1), rel=1e-9)  # dy/dc = n x c^(n-1)


def test_wide_fan_out_and_fan_in():
    n = 100_000
    x = Value(0.5, label="x")
    terms = [x * float(i) for i in range(n)]  # x used by 100,000 nodes
    total = sum(terms)  # added into one
    total.backward()
    assert x.grad == n * (n - 1) / 2  # sum of i
    assert total.data == 0.5 * n * (n - 1) / 2


def test_linear_with_100k_terms():
    n = 100_000
    weights = [Value(i / n) for i in range(n)]
    inputs = [Value(1.0 - i / n) for i in range(n)]
    z = linear(weights, inputs, 0.0)
    assert len(z.parents) == 2 * n + 1
    z.backward()
    assert all(w.grad == x.data for w, x in zip(weights, inputs))  # dz/dw_i = x_i
    assert all(x.grad == w.data for w, x in zip(weights, inputs))  # dz/dx_i = w_i


# ---------------------------------------------------------------------------------------------------------
# Determinism and repr

def test_repeated_runs_give_identical_results():
    results = []
    for _ in range(3):
        root, nodes = shared_graph()
        root.backward()
        order = topological_order(root)
        results.append(([n.grad for n in nodes], [(n.op, n.data) for n in order]))
    assert results[0] == results[1] == results[2]


def test_repr_shows_data_grad_label_op_and_constness():
    x = Value(2.0, label="x")
    text = repr(x)
    assert text.startswith("Value(") and "data=2.0" in text and "grad=0.0" in text and "label='x'" in text
    y = x * 3
    y.backward()
    assert "op='*'" in repr(y) and "data=6.0" in repr(y) and "grad=1.0" in repr(y)
    assert "requires_grad=False" in repr(Value(1.0, requires_grad=False))
    assert "requires_grad" not in repr(x)
