"""The gradient checker: it passes every engine operation, catches wrong derivatives naming the input, treats
kinks as kinks, and reports bad input clearly.

Expected numbers come from calculus (the `derivatives` of tests/ops_table.py, formulas written here), never
from the checker itself.
"""

import math
import random

import pytest

from autograd import AutogradError, GradcheckError, Value, gradcheck, gradgradcheck
from autograd.checking import eps_sweep, gradcheck_model
from ops_table import OPS, sample


# ---------------------------------------------------------------------------------------------------------
# Every engine operation passes, and the numbers in the table are the right ones.

@pytest.mark.parametrize("case", OPS, ids=repr)
def test_every_operation_passes_gradcheck(case):
    rng = random.Random(3)
    for _ in range(5):
        point = sample(case, rng)
        result = gradcheck(case.apply, point)
        assert result and [row.verdict for row in result.rows] == ["ok"] * case.arity
        for row, expected in zip(result.rows, case.derivatives(*point)):
            assert row.analytic == pytest.approx(expected, rel=1e-9, abs=1e-12)
            assert row.numeric == pytest.approx(expected, rel=1e-6, abs=1e-8)  # the checker's own estimate


@pytest.mark.parametrize("case", OPS, ids=repr)
def test_every_operation_passes_gradgradcheck(case):
    rng = random.Random(4)
    for _ in range(3):
        point = sample(case, rng)
        result = gradgradcheck(case.apply, point)
        assert result and [row.verdict for row in result.rows] == ["ok"] * case.arity ** 2


def test_second_derivatives_of_the_lecture_function():
    # f(x, y) = x^2 + xy + (x + y)^2 (file 004): d2f/dx2 = 4, d2f/dxdy = 3, d2f/dy2 = 2
    result = gradgradcheck(lambda x, y: x * x + x * y + (x + y) ** 2, [1.0, -2.0])
    assert [row.name for row in result.rows] == ["d2f/dx0 dx0", "d2f/dx0 dx1", "d2f/dx1 dx0", "d2f/dx1 dx1"]
    assert [row.analytic for row in result.rows] == pytest.approx([4.0, 3.0, 3.0, 2.0])
    assert [row.numeric for row in result.rows] == pytest.approx([4.0, 3.0, 3.0, 2.0], rel=1e-6)


# ---------------------------------------------------------------------------------------------------------
# Wrong derivatives are caught, and the failing input is named.

def wrong_product(x, y):
    """x^2 y, recording d/dy as 2 x^2 instead of x^2."""
    return Value(x.data ** 2 * y.data, (x, y), (2 * x.data * y.data, 2 * x.data ** 2), "wrong_product")


def test_wrong_local_derivative_fails_naming_the_input():
    with pytest.raises(GradcheckError) as caught:
        gradcheck(wrong_product, [1.5, -0.7], names=["x", "y"])
    result = caught.value.result
    assert [row.name for row in result.failures] == ["y"]
    assert result.rows[0].verdict == "ok"
    assert result.failures[0].numeric == pytest.approx(1.5 ** 2, rel=1e-6)  # d(x^2 y)/dy = x^2
    assert "input 1 (y): analytic 4.5, numeric 2.25" in str(caught.value)


def test_wrong_derivative_deep_inside_a_graph_is_caught():
    def f(a, b, c):
        return (wrong_product(a.tanh(), b * c) + a * b).exp()
    result = gradcheck(f, [0.3, 0.5, -0.4], raise_exception=False)
    assert not result
    assert [row.name for row in result.failures] == ["x1", "x2"]  # b and c reach the wrong derivative; a not


def squared_error(t, o, half_rule):
    """(t - o)^2, with the local derivatives of (t - o)^2 or, the trap, of 1/2 (t - o)^2."""
    factor = 1.0 if half_rule else 2.0
    return Value((t.data - o.data) ** 2, (t, o), (factor * (t.data - o.data), -factor * (t.data - o.data)),
                 "squared_error")


def test_the_half_in_the_squared_error_is_caught():
    # Lecture note eq 6 puts 1/2 before the sum of squares so that its derivative is -(t - o);
    # without the 1/2, the derivative is -2 (t - o). Target 0.9 and output 0.6 as in the worked example.
    with pytest.raises(GradcheckError, match=r"input 0 \(o\): analytic -0.3, numeric -0.6"):
        gradcheck(lambda o: squared_error(Value(0.9, requires_grad=False), o, half_rule=True), [0.6],
                  names=["o"])
    assert gradcheck(lambda o: squared_error(Value(0.9, requires_grad=False), o, half_rule=False), [0.6])


def test_half_trap_with_both_inputs_fails_on_both():
    result = gradcheck(lambda t, o: squared_error(t, o, half_rule=True), [0.9, 0.6], names=["t", "o"],
                       raise_exception=False)
    assert [row.name for row in result.failures] == ["t", "o"]
    assert [row.numeric for row in result.rows] == pytest.approx([0.6, -0.6], rel=1e-6)  # +-2 (t - o)


def test_gradgradcheck_catches_a_wrong_second_derivative():
    def cube(x):  # x^3 whose first derivative 3x^2 is right but records d(3x^2)/dx as 3x instead of 6x
        slope = Value(3 * x.data ** 2, (x,), (3 * x.data,), "slope")
        return Value(x.data ** 3, (x,), (slope,), "cube")
    assert gradcheck(cube, [1.2])
    with pytest.raises(GradcheckError, match="d2f/dx0 dx0") as caught:
        gradgradcheck(cube, [1.2])
    assert caught.value.result.rows[0].numeric == pytest.approx(6 * 1.2, rel=1e-6)


# ---------------------------------------------------------------------------------------------------------
# Kinks.

@pytest.mark.parametrize("f, low, high", [
    (lambda x: x.relu(), 0.0, 1.0),
    (lambda x: abs(x), -1.0, 1.0),
    (lambda x: x.leaky_relu(0.1), 0.1, 1.0),
    (lambda x: -abs(x) + 2 * x, 1.0, 3.0),
], ids=["relu", "abs", "leaky_relu", "concave"])
def test_kinks_at_zero_are_reported_and_pass(f, low, high):
    result = gradcheck(f, [0.0])
    row = result.rows[0]
    assert result and row.verdict == "kink"
    assert row.one_sided == pytest.approx((low, high), abs=1e-6)
    assert "lies between the one-sided slopes" in str(result)


def test_a_kink_inside_a_larger_function():
    # relu(x) * y at x = 0: a kink in x (one-sided slopes 0 and y), smooth in y (derivative relu(0) = 0)
    result = gradcheck(lambda x, y: x.relu() * y + y * y, [0.0, 2.0])
    assert [row.verdict for row in result.rows] == ["kink", "ok"]
    assert result.rows[0].one_sided == pytest.approx((0.0, 2.0), abs=1e-6)


def test_a_kink_less_than_eps_away_passes():
    for x in (3e-7, -4e-7, 7e-7):  # eps = 1e-6: the stencil straddles the kink
        assert gradcheck(lambda v: v.relu(), [x])


def wrong_relu(x):
    """relu, recording the derivative 2 at x <= 0: outside [0, 1] at the kink."""
    return Value(max(x.data, 0.0), (x,), (1.0 if x.data > 0 else 2.0,), "wrong_relu")


def test_a_wrong_derivative_at_a_kink_fails():
    with pytest.raises(GradcheckError, match="not between them") as caught:
        gradcheck(lambda a, b: wrong_relu(b) + a, [1.0, 0.0], names=["a", "b"])
    result = caught.value.result
    assert [row.name for row in result.failures] == ["b"]
    assert result.failures[0].verdict == "kink FAIL"
    assert "kink FAIL" in str(result)


def test_a_strongly_curved_smooth_function_is_not_a_kink():
    # 1000 x^2 at 0: the one-sided slopes differ by 2000 eps = 2e-3 > atol, but the gap halves with eps
    result = gradcheck(lambda x: 1000 * x * x, [0.0])
    assert result.rows[0].verdict == "ok"
    with pytest.raises(GradcheckError):  # and a wrong derivative there is judged as a smooth one
        gradcheck(lambda x: Value(1000 * x.data ** 2, (x,), (0.01,), "sq"), [0.0])


def test_a_jump_is_reported_as_a_jump():
    result = gradcheck(lambda x: x.step(), [0.0])
    assert result and result.rows[0].verdict == "jump"
    assert "jumps" in str(result)


# ---------------------------------------------------------------------------------------------------------
# Random directions.

def many_inputs(*xs, wrong=False):
    total = Value(0.0, requires_grad=False)
    for i, x in enumerate(xs):
        total = total + (x * (i + 1)).sin()
    if wrong:  # x7^2 with the derivative 3 x7 instead of 2 x7
        total = total + Value(xs[7].data ** 2, (xs[7],), (3 * xs[7].data,), "wrong_square")
    return total


def test_random_direction_passes_a_right_gradient_with_two_evaluations():
    calls = []

    def f(*xs):
        calls.append(1)
        return many_inputs(*xs)
    result = gradcheck(f, [0.1 * i for i in range(20)], directions=1, seed=5)
    assert result and [row.name for row in result.rows] == ["u0"]
    assert len(calls) == 1 + 2  # the point, then one step each way: not 2 * 20


def test_random_direction_catches_a_wrong_gradient():
    point = [0.1 * i - 0.5 for i in range(20)]
    for seed in range(3):
        with pytest.raises(GradcheckError, match=r"direction 0 \(u0\)"):
            gradcheck(lambda *xs: many_inputs(*xs, wrong=True), point, directions=1, seed=seed)
    # checking input by input names the culprit
    result = gradcheck(lambda *xs: many_inputs(*xs, wrong=True), point, raise_exception=False)
    assert [row.name for row in result.failures] == ["x7"]


def test_random_directions_are_seeded_and_unit_length():
    def f(x, y, z):
        return x * 2 + y * 3 + z * 6  # the derivative along a unit u is 2 u0 + 3 u1 + 6 u2, at most 7
    first = gradcheck(f, [0.0, 0.0, 0.0], directions=4, seed=1)
    again = gradcheck(f, [0.0, 0.0, 0.0], directions=4, seed=1)
    other = gradcheck(f, [0.0, 0.0, 0.0], directions=4, seed=2)
    assert [row.numeric for row in first.rows] == [row.numeric for row in again.rows]
    assert [row.numeric for row in first.rows] != [row.numeric for row in other.rows]
    assert all(abs(row.analytic) <= 7.0 + 1e-12 for row in first.rows)


# ---------------------------------------------------------------------------------------------------------
# A whole model.

class TinyModel:
    """A stand-in for nn: y = w2 * tanh(w1 * x + b), parameters with labels."""

    def __init__(self, square=None):
        self.w1, self.b, self.w2 = Value(0.7, label="w1"), Value(-0.2, label="b"), Value(1.3, label="w2")
        self.square = square

    def parameters(self):
        return [self.w1, self.b, self.w2]

    def __call__(self, x):
        return self.w2 * (self.w1 * x + self.b).tanh()


def tiny_loss(model, half_rule=None):
    total = Value(0.0, requires_grad=False)
    for x, t in [(0.5, 0.9), (-1.0, 0.1), (2.0, -0.3)]:
        o = model(x)
        total = total + (squared_error(Value(t, requires_grad=False), o, half_rule) if half_rule is not None
                         else (o - t) ** 2)
    return total


def test_model_variant_checks_every_parameter_and_restores_them():
    model = TinyModel()
    result = gradcheck_model(model, tiny_loss)
    assert result and [row.name for row in result.rows] == ["w1", "b", "w2"]
    assert [p.data for p in model.parameters()] == [0.7, -0.2, 1.3]


def test_model_variant_catches_the_half_trap_in_a_loss():
    model = TinyModel()
    with pytest.raises(GradcheckError, match="w1") as caught:
        gradcheck_model(model, lambda m: tiny_loss(m, half_rule=True))
    assert [row.name for row in caught.value.result.failures] == ["w1", "b", "w2"]
    assert gradcheck_model(model, lambda m: tiny_loss(m, half_rule=False))
    assert [p.data for p in model.parameters()] == [0.7, -0.2, 1.3]


def test_model_variant_unused_and_frozen_parameters():
    model = TinyModel()
    extra, frozen = Value(5.0, label="unused"), Value(1.0, label="frozen", requires_grad=False)
    model.parameters = lambda: [model.w1, model.b, model.w2, model.w1, extra, frozen]  # w1 shared
    result = gradcheck_model(model, tiny_loss)
    assert [row.name for row in result.rows] == ["w1", "b", "w2", "unused"]
    assert result.rows[3].analytic == 0.0 and "does not depend" in result.rows[3].note


def test_model_variant_with_an_nn_mlp():
    nn = pytest.importorskip("nn")
    from nn import functional as F
    xs = [[0.6, 0.7], [-0.3, 0.2]]
    ys = [[0.9], [0.1]]
    for activation in ("tanh", "sigmoid", "relu"):
        model = nn.MLP(2, [3, 2, 1], activation=activation, seed=1)

        def loss(m):
            return sum((F.mse_half(m(x), y) for x, y in zip(xs, ys)), Value(0.0, requires_grad=False))
        result = gradcheck_model(model, loss)
        assert result and [row.name for row in result.rows] == [p.label for p in model.parameters()]
        assert gradcheck_model(model, loss, directions=2)


# ---------------------------------------------------------------------------------------------------------
# The eps sweep: truncation error, then rounding error.

def test_eps_sweep_shows_truncation_then_rounding_error():
    sweep = eps_sweep(lambda x: x.exp(), [1.0])
    assert sweep.eps == [10.0 ** -k for k in range(1, 13)]
    assert sweep.analytic == pytest.approx(math.e, rel=1e-15)
    best = sweep.error.index(min(sweep.error))
    assert 2 <= best <= 8
    assert all(a > b for a, b in zip(sweep.error[:4], sweep.error[1:5]))  # truncation: falls as eps^2
    assert sweep.error[0] > 1e4 * sweep.error[best] and sweep.error[-1] > 1e4 * sweep.error[best]
    # central difference of exp at 1: e sinh(h) / h - e = e h^2 / 6 + O(h^4)
    assert sweep.error[0] == pytest.approx(math.e * (math.sinh(0.1) / 0.1 - 1), rel=1e-6)
    assert "1e-12" in str(sweep)


def test_eps_sweep_forward_differences_have_first_order_error():
    sweep = eps_sweep(lambda x, y: x * y.exp(), [2.0, 1.0], index=1, method="forward", eps_values=[0.1, 0.01])
    # (2 e^(1+h) - 2 e) / h - 2 e = 2 e ((e^h - 1) / h - 1)
    assert sweep.error == pytest.approx([2 * math.e * (math.expm1(h) / h - 1) for h in (0.1, 0.01)], rel=1e-6)


def test_eps_sweep_plot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ax = eps_sweep(lambda x: x.sin(), [0.5]).plot()
    assert len(ax.lines) == 1 and ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert list(ax.lines[0].get_xdata()) == [10.0 ** -k for k in range(1, 13)]
    plt.close(ax.figure)


# ---------------------------------------------------------------------------------------------------------
# The result object.

def test_table_text_and_html():
    result = gradcheck(lambda a, b, c: wrong_product(a, b) + c.relu(), [1.0, 2.0, 0.0], names=["a", "<b>", "c"],
                       raise_exception=False)
    assert not result and [row.verdict for row in result.rows] == ["ok", "FAIL", "kink"]
    text = str(result)
    header = text.splitlines()[1].split()
    assert header[:3] == ["#", "input", "value"] and header[-1] == "verdict"
    assert "FAILED: 1 of 3 derivatives wrong: <b>" in text
    html = result._repr_html_()
    assert "<table>" in html and "<td>&lt;b&gt;</td>" in html and "<td><b></td>" not in html
    for verdict in ("ok", "FAIL", "kink"):
        assert f"<td>{verdict}</td>" in html
    assert repr(result) == text


def test_gradcheck_error_is_an_assertion_error_carrying_the_table():
    with pytest.raises(AssertionError) as caught:
        gradcheck(wrong_product, [1.0, 2.0])
    assert isinstance(caught.value, GradcheckError)
    assert str(caught.value.result) in str(caught.value)


# ---------------------------------------------------------------------------------------------------------
# Bad input.

@pytest.mark.parametrize("inputs, error, message", [
    ([1.0, "a"], TypeError, r"inputs\[1\] must be a finite number, got 'a' \(str\)"),
    ([True], TypeError, r"inputs\[0\] must be a finite number, got True \(bool\)"),
    ([1 + 2j], TypeError, r"inputs\[0\] must be a finite number, got \(1\+2j\) \(complex\)"),
    ([Value(1.0)], TypeError, r"inputs\[0\] is a Value .*give plain numbers"),
    ([math.nan], ValueError, r"inputs\[0\] must be a finite number, got nan"),
    ([1.0, math.inf], ValueError, r"inputs\[1\] must be a finite number, got inf"),
    ([10 ** 400], ValueError, r"inputs\[0\] must be a finite number, got an integer of 401 digits"),
    ([], ValueError, "inputs is empty"),
    ("1.0", TypeError, "inputs must be a list of numbers"),
    ({1.0}, TypeError, "inputs must be a list of numbers"),
])
def test_bad_inputs(inputs, error, message):
    with pytest.raises(error, match=message):
        gradcheck(lambda *xs: xs[0] * 2, inputs)


def test_a_single_number_ints_and_numpy_arrays_are_accepted():
    np = pytest.importorskip("numpy")
    assert gradcheck(lambda x: x * x, 3).rows[0].analytic == 6.0  # ints are used as float64 too
    result = gradcheck(lambda x, y: x * y, np.array([2.0, np.float32(0.5)]))
    assert [row.analytic for row in result.rows] == [0.5, 2.0]
    assert all(type(row.value) is float for row in result.rows)


@pytest.mark.parametrize("returned, shown", [(lambda x: x.data * 2, "float 2.0"), (lambda x: None, "NoneType"),
                                              (lambda x: [x], "list")])
def test_f_must_return_a_value(returned, shown):
    for check in (gradcheck, gradgradcheck, eps_sweep):
        with pytest.raises(TypeError, match=f"{check.__name__}: f must return a Value, but it returned {shown}"):
            check(returned, [1.0])


def test_f_that_ignores_an_input_gets_gradient_zero():
    result = gradcheck(lambda x, y: x * 3, [1.0, 2.0])
    assert result and result.rows[1].analytic == 0.0 and result.rows[1].numeric == 0.0
    assert "x1: the result does not depend on this input" in str(result)
    assert gradcheck(lambda x: Value(4.0, requires_grad=False), [1.0]).rows[0].analytic == 0.0


def test_f_that_leaves_the_graph_fails_with_an_explanation():
    with pytest.raises(GradcheckError, match=r"input 1 \(x1\).*does not contain x1.*float\(\) or the math"):
        gradcheck(lambda x, y: x * y.data, [1.0, 2.0])


def test_math_exp_instead_of_value_exp_is_explained():
    # x e^x has the derivative (1 + x) e^x = 5.4366 at 1; with math.exp the engine sees x * (a constant e^x)
    # and gives e = 2.7183: the input still reaches the result, by one path instead of two.
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x: x * math.exp(x), [1.0], names=["x"])
    row = caught.value.result.rows[0]
    assert row.analytic == pytest.approx(math.e) and row.numeric == pytest.approx(2 * math.e, rel=1e-6)
    message = str(caught.value)
    assert "depends on x by fewer paths than the numeric derivative shows" in message
    assert "float() or the math module (math.exp(x) instead of x.exp())" in message
    assert "(2.7182818 -> 2.7182845)" in message  # the constant e^x, and e^(1 + 1e-6) = 2.71828454657
    # the same through a model's loss, and for an input the graph does not reach at all
    with pytest.raises(GradcheckError, match="w1 by fewer paths"):
        gradcheck_model(TinyModel(), lambda m: m.w1 * math.tanh(m.w1) + m.b * m.w2)
    with pytest.raises(GradcheckError, match="does not contain x0, yet the result changes with it"):
        gradcheck(lambda x: Value(math.sin(x)) * 2, [0.5])


def test_a_wrong_custom_derivative_is_not_blamed_on_leaving_the_graph():
    with pytest.raises(GradcheckError) as caught:
        gradcheck(wrong_product, [1.5, -0.7])
    assert "left the graph" not in str(caught.value)


def test_steps_that_leave_the_domain_name_the_input_and_the_point():
    with pytest.raises(AutogradError, match=r"gradcheck: evaluating at x0 = 5e-07 - 1e-06 failed.*log"):
        gradcheck(lambda x: x.log(), [5e-7])
    with pytest.raises(AutogradError, match=r"evaluating at big = 709.78 \+ 0.01 failed.*overflow"):
        gradcheck(lambda x: x.exp(), [709.78], eps=0.01, names=["big"])
    with pytest.raises(AutogradError, match=r"evaluating at the point - 2 \* u0 failed.*log"):
        gradcheck(lambda x, y: (1 - x * x - y * y).log(), [0.0, 0.0], eps=2.0, directions=1)  # log(-3)


def test_bad_settings():
    f = lambda x: x * 2  # noqa: E731
    with pytest.raises(ValueError, match="eps = 0 must be a positive number"):
        gradcheck(f, [1.0], eps=0)
    with pytest.raises(ValueError, match="atol = -1 must be a number >= 0"):
        gradcheck(f, [1.0], atol=-1)
    with pytest.raises(ValueError, match="gradgradcheck: rtol must be a finite number, got nan"):
        gradgradcheck(f, [1.0], rtol=math.nan)
    with pytest.raises(ValueError, match="directions = -1"):
        gradcheck(f, [1.0], directions=-1)
    with pytest.raises(ValueError, match=r"names must be 1 strings, one per input; got \['a', 'b'\]"):
        gradcheck(f, [1.0], names=["a", "b"])
    with pytest.raises(ValueError, match="eps_sweep: index = 2 must be an input position, 0 to 0"):
        eps_sweep(f, [1.0], index=2)
    with pytest.raises(ValueError, match="method = 'backward'"):
        eps_sweep(f, [1.0], method="backward")


@pytest.mark.parametrize("call, error, message", [
    (lambda: gradcheck("str", [1.0]), TypeError, "gradcheck: f must be a function, not str 'str'"),
    (lambda: gradgradcheck(None, [1.0]), TypeError, "gradgradcheck: f must be a function, not NoneType"),
    (lambda: gradcheck(lambda x: x, [1.0], eps=True), TypeError, r"gradcheck: eps must be a finite number, got True"),
    (lambda: gradcheck(lambda x: x, [1.0], atol=False), TypeError,
     r"gradcheck: atol must be a finite number, got False \(bool\)"),
    (lambda: gradcheck(lambda x: x, [1.0], rtol="1"), TypeError, r"gradcheck: rtol must be a finite number, got '1'"),
    (lambda: gradcheck(lambda x: x, [1.0], eps=10 ** 400), ValueError,
     "gradcheck: eps must be a finite number, got an integer of 401 digits"),
    (lambda: gradcheck(lambda x, y: x * y, [1.0], names=["a"]), TypeError,
     r"gradcheck: f\(x, y\) cannot take the 1 argument a \(missing a required argument: 'y'\)"),
    (lambda: gradcheck(lambda x: x, [1.0, 2.0]), TypeError,
     r"gradcheck: f\(x\) cannot take the 2 arguments x0, x1 \(too many positional arguments\)"),
    (lambda: gradgradcheck(lambda x: x, [1.0, 2.0]), TypeError, r"gradgradcheck: f\(x\) cannot take"),
    (lambda: eps_sweep(lambda: Value(1.0), [1.0]), TypeError, r"eps_sweep: f\(\) cannot take the 1 argument"),
    (lambda: gradcheck_model(TinyModel(), lambda: 1.0), TypeError,
     r"gradcheck_model: loss_fn\(\) cannot take the 1 argument model"),
    (lambda: gradcheck_model(TinyModel(), 5), TypeError, "gradcheck_model: loss_fn must be a function, not int 5"),
])
def test_bad_functions_and_settings_name_the_function_argument_and_value(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_many_inputs_cost_two_evaluations_each_and_the_failure_points_to_directions():
    calls = []

    def f(*xs):  # sum of sin(x_i) (little curvature: no second look at any input), and the wrong x7^2
        calls.append(1)
        total = sum((x.sin() for x in xs), Value(0.0, requires_grad=False))
        return total + Value(xs[7].data ** 2, (xs[7],), (3 * xs[7].data,), "wrong_square")
    with pytest.raises(GradcheckError, match=r"Checking 120 inputs one by one needs 241 evaluations of f; "
                                             r"directions=k checks k random directions with 2k \+ 1"):
        gradcheck(f, [0.01 * i for i in range(120)])
    assert len(calls) == 1 + 2 * 120 + 1  # the point, two per input, and one to explain the failure of x7
    assert "directions=k" in gradcheck.__doc__ and "2,001 rebuilds" in gradcheck.__doc__


def test_gradgradcheck_needs_value_local_grads_in_custom_operations():
    with pytest.raises(AutogradError, match="custom operation 'wrong_product'.*local_grads"):
        gradgradcheck(wrong_product, [1.0, 2.0])


def test_bad_models():
    with pytest.raises(TypeError, match="gradcheck_model: the model must have a parameters\\(\\) method; got list"):
        gradcheck_model([Value(1.0)], tiny_loss)
    model = TinyModel()
    model.parameters = lambda: [model.w1, 2.0]
    with pytest.raises(TypeError, match="model.parameters\\(\\) must give Values; got float 2.0"):
        gradcheck_model(model, tiny_loss)
    model.parameters = lambda: [Value(1.0, requires_grad=False)]
    with pytest.raises(ValueError, match="no parameters that require a gradient"):
        gradcheck_model(model, tiny_loss)
    model = TinyModel()
    model.w2.data = math.nan
    with pytest.raises(ValueError, match="parameter w2 = nan is not finite"):
        gradcheck_model(model, tiny_loss)
    with pytest.raises(TypeError, match="loss_fn\\(model\\) must return a Value, but it returned float"):
        gradcheck_model(TinyModel(), lambda m: tiny_loss(m).data)
