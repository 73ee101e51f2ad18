"""check_gradient, check_jacobian and check_backward: hand-written derivatives of numpy and plain Python code.

The references are independent of the checker: numdifftools for the numeric side, derivatives worked out by
hand (and written here) for the checked functions, and the lecture note's formulas (file 001, eqs 43-46 for
one example, 51-56 for a mini-batch). The bugs are the ones students make in those formulas; each must fail
and name exactly the elements it gets wrong.
"""

import math
import subprocess
import sys

import pytest

from autograd import GradcheckError, check_backward, check_gradient, check_jacobian

np = pytest.importorskip("numpy")
nd = pytest.importorskip("numdifftools")


def failing(result):
    return [row.name for row in result.failures]


# ---------------------------------------------------------------------------------------------------------
# The lecture note's network, by hand: tanh hidden layer, sigmoid output, mean over the batch of
# 1/2 sum (t - y)^2 (eq 6). Columns are examples (eq 51): X is N0 x M, W^(l) is N^(l+1) x N^(l).

RNG = np.random.default_rng(7)
N0, N1, N2, M = 3, 3, 2, 4  # a square W1, so that a transposed dW1 keeps its shape
X = RNG.normal(size=(N0, M))
T = RNG.uniform(0.1, 0.9, size=(N2, M))
PARAMS = (RNG.normal(size=(N1, N0)), RNG.normal(size=N1) * 0.5, RNG.normal(size=(N2, N1)), RNG.normal(size=N2) * 0.5)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(W1, b1, W2, b2, X=X):
    Z1 = W1 @ X + b1[:, None]  # Z^(1) = W^(0) Y^(0) + B, eq 51
    Y1 = np.tanh(Z1)
    Z2 = W2 @ Y1 + b2[:, None]
    return Y1, sigmoid(Z2)


def loss(W1, b1, W2, b2):
    return 0.5 * np.sum((T - forward(W1, b1, W2, b2)[1]) ** 2) / M  # 1/M sum_k 1/2 |t_k - y_k|^2


def loss_without_half(W1, b1, W2, b2):
    return np.sum((T - forward(W1, b1, W2, b2)[1]) ** 2) / M  # the same without the 1/2: dL/dy = 2 (y - t)


def gradients(W1, b1, W2, b2, bug=None):
    """The mini-batch backward pass, eqs 52-56, with one of the usual bugs when asked."""
    Y1, Y2 = forward(W1, b1, W2, b2)
    scale = 1.0 if bug == "no 1/M" else 1.0 / M
    D2 = (Y2 - T) * Y2 * (1.0 - Y2)  # Delta^(2) = dL/dY (.) sigmoid'(Z), sigmoid' = y (1 - y), eq 27
    D1 = W2.T @ D2  # eq 56 without the activation derivative ...
    if bug != "no activation derivative":
        D1 = D1 * (1.0 - Y1 ** 2)  # ... (.) tanh'(Z^(1)) = 1 - y^2
    dW1 = scale * D1 @ X.T  # grad W^(l) = 1/M Delta^(l+1) Y^(l)T, eq 52
    if bug == "transposed dW":
        dW1 = scale * X @ D1.T
    dW2 = scale * D2 @ Y1.T
    db1 = scale * D1.sum(axis=1)  # grad b = 1/M sum_k delta_k, eq 55
    db2 = scale * D2.sum(axis=1)
    if bug == "bias not summed":
        db2 = scale * D2
    if bug == "bias of one example":
        db2 = D2[:, 0]
    return dW1, db1, dW2, db2


def test_the_lecture_mini_batch_gradients_pass():
    result = check_gradient(loss, gradients, PARAMS)
    names = [row.name for row in result.rows]
    assert len(names) == 9 + 3 + 6 + 2 and names[:2] == ["W1[0, 0]", "W1[0, 1]"] and names[-1] == "b2[1]"
    assert {row.verdict for row in result.rows} == {"ok"}
    # tight with the accurate methods
    assert check_gradient(loss, gradients, PARAMS, method="richardson", rtol=1e-9, atol=1e-13)
    assert check_gradient(loss, gradients, PARAMS, method="complex-step", rtol=1e-12, atol=1e-15)


def test_the_lecture_one_example_gradients_pass():
    # eqs 40, 43, 45, 46: one example as vectors, dW = delta y^T, delta^(l) = W^T delta^(l+1) (.) f', db = delta
    x, t = X[:, 0], T[:, 0]

    def one_loss(W1, b1, W2, b2):
        y2 = sigmoid(W2 @ np.tanh(W1 @ x + b1) + b2)
        return 0.5 * np.sum((t - y2) ** 2)

    def one_gradients(W1, b1, W2, b2):
        y1 = np.tanh(W1 @ x + b1)
        y2 = sigmoid(W2 @ y1 + b2)
        d2 = (y2 - t) * y2 * (1 - y2)
        d1 = (W2.T @ d2) * (1 - y1 ** 2)  # eq 45
        return np.outer(d1, x), d1, np.outer(d2, y1), d2  # eq 43 and 46
    assert check_gradient(one_loss, one_gradients, PARAMS, method="complex-step", rtol=1e-12, atol=1e-15)


def all_elements(*names_and_shapes):
    return [f"{name}[{', '.join(map(str, index))}]" for name, shape in names_and_shapes for index in np.ndindex(shape)]


@pytest.mark.parametrize("bug, wrong", [
    ("no 1/M", all_elements(("W1", (3, 3)), ("b1", (3,)), ("W2", (2, 3)), ("b2", (2,)))),
    ("no activation derivative", all_elements(("W1", (3, 3)), ("b1", (3,)))),
    ("bias of one example", ["b2[0]", "b2[1]"]),
])
def test_student_bugs_fail_naming_exactly_the_wrong_elements(bug, wrong):
    with pytest.raises(GradcheckError) as caught:
        check_gradient(loss, lambda *p: gradients(*p, bug=bug), PARAMS)
    assert failing(caught.value.result) == wrong
    for name in wrong:
        assert f"({name}): analytic" in str(caught.value)
    if bug == "no 1/M":  # analytic = M times the numeric derivative in every row
        assert all(row.analytic == pytest.approx(M * row.numeric, rel=1e-6) for row in caught.value.result.rows)


def test_a_transposed_weight_gradient_fails_on_the_off_diagonal():
    result = check_gradient(loss, lambda *p: gradients(*p, bug="transposed dW"), PARAMS, raise_exception=False)
    right = gradients(*PARAMS)[0]
    expected = [f"W1[{i}, {j}]" for i in range(3) for j in range(3) if abs(right[i, j] - right[j, i]) > 1e-6]
    assert len(expected) == 6 and failing(result) == expected  # the diagonal is the same either way


def test_a_transposed_gradient_of_a_rectangular_matrix_is_a_shape_error():
    def f(W):
        return np.sum(np.tanh(W @ X))

    def wrong(W):
        return X @ (1 - np.tanh(W @ X) ** 2).T  # X G^T instead of G X^T
    with pytest.raises(ValueError, match=r"grad_f's derivative for W has shape \(3, 2\), but it must have shape "
                                         r"\(2, 3\) \(transposed\?\)"):
        check_gradient(f, wrong, RNG.normal(size=(2, 3)))
    assert check_gradient(f, lambda W: (1 - np.tanh(W @ X) ** 2) @ X.T, RNG.normal(size=(2, 3)))


def test_the_factor_two_of_the_squared_error_is_caught():
    # the gradient of 1/2 (t - y)^2 with the loss (t - y)^2: every derivative is half the true one
    with pytest.raises(GradcheckError) as caught:
        check_gradient(loss_without_half, gradients, PARAMS)
    result = caught.value.result
    assert len(result.failures) == len(result.rows) == 20
    assert all(row.analytic == pytest.approx(0.5 * row.numeric, rel=1e-6) for row in result.rows)


def test_a_bias_gradient_not_summed_over_the_batch_is_a_shape_error():
    with pytest.raises(ValueError, match=r"grad_f's derivative for b2 has shape \(2, 4\), but it must have shape "
                                         r"\(2,\)"):
        check_gradient(loss, lambda *p: gradients(*p, bug="bias not summed"), PARAMS)


# ---------------------------------------------------------------------------------------------------------
# nn.vector.VectorMLP's own gradients.

@pytest.mark.parametrize("activations, loss_name", [
    (["tanh", "sigmoid"], "mse_half"), (["sigmoid", "identity"], "mse"), (["elu", "softplus"], "mse_half"),
    (["silu", "tanh"], "mse"), (["relu", "identity"], "mse_half"),
])
def test_vector_mlp_gradients_pass(activations, loss_name):
    from nn.vector import VectorMLP
    inputs = RNG.normal(size=(5, 3))  # VectorMLP takes one example per row
    targets = RNG.normal(size=(5, 2))

    def mean_loss(W1, b1, W2, b2):  # independent of VectorMLP's backward: from its forward pass only
        Y = VectorMLP([W1, W2], [b1, b2], activations).forward(inputs)
        per_example = np.sum((targets - Y) ** 2, axis=1)
        return np.mean(0.5 * per_example if loss_name == "mse_half" else per_example / Y.shape[1])

    def vector_gradients(W1, b1, W2, b2):
        dW, db = VectorMLP([W1, W2], [b1, b2], activations).gradients(inputs, targets, loss=loss_name)
        return dW[0], db[0], dW[1], db[1]
    params = (RNG.normal(size=(4, 3)), RNG.normal(size=4), RNG.normal(size=(2, 4)), RNG.normal(size=2))
    result = check_gradient(mean_loss, vector_gradients, params, rtol=1e-5)
    assert len(result.rows) == 12 + 4 + 8 + 2


# ---------------------------------------------------------------------------------------------------------
# The numeric side against numdifftools, and the accuracy of each method against calculus.

SMOOTH = [  # f of a 2 x 2 array, its gradient by hand
    (lambda x: np.sum(np.sin(x) * np.exp(x[::-1, :])),
     lambda x: np.cos(x) * np.exp(x[::-1, :]) + (np.sin(x) * np.exp(x[::-1, :]))[::-1, :]),
    (lambda x: np.log(1 + np.sum(x ** 2)), lambda x: 2 * x / (1 + np.sum(x ** 2))),
    (lambda x: np.prod(np.tanh(x)), lambda x: np.prod(np.tanh(x)) / np.tanh(x) * (1 - np.tanh(x) ** 2)),
]
POINT = np.array([[0.3, -0.8], [1.1, 0.45]])


@pytest.mark.parametrize("case", range(len(SMOOTH)))
def test_numeric_derivatives_agree_with_numdifftools(case):
    f, gradient = SMOOTH[case]
    reference = nd.Gradient(lambda flat: f(flat.reshape(2, 2)))(POINT.ravel())
    central = check_gradient(f, gradient, POINT)
    assert [row.numeric for row in central.rows] == pytest.approx(reference, rel=1e-7)
    richardson = check_gradient(f, gradient, POINT, method="richardson", rtol=1e-10, atol=1e-13)
    assert [row.numeric for row in richardson.rows] == pytest.approx(reference, rel=1e-11)
    exact = gradient(POINT).ravel()
    complex_step = check_gradient(f, gradient, POINT, method="complex-step", rtol=1e-13, atol=0)
    assert [row.numeric for row in complex_step.rows] == pytest.approx(exact, rel=4e-15)


def test_the_error_each_method_reaches():
    # the figures in autograd.numeric's docstring (measured: 7.2e-9, 1.3e-13, 1.2e-16)
    functions = [(np.exp, np.exp, 1.0), (np.sin, np.cos, 0.7), (np.tanh, lambda x: 1 - np.tanh(x) ** 2, 0.3),
                 (np.log, lambda x: 1 / x, 0.5), (lambda x: x ** 5, lambda x: 5 * x ** 4, 2.0),
                 (np.arctan, lambda x: 1 / (1 + x * x), 10.0)]
    worst = {}
    for method in ("central", "richardson", "complex-step"):
        errors = []
        for f, derivative, x in functions:
            row = check_gradient(f, derivative, x, method=method, atol=0, rtol=1e-3).rows[0]
            errors.append(abs(row.numeric - derivative(x)) / abs(derivative(x)))
        worst[method] = max(errors)
    print("largest relative error:", ", ".join(f"{method} {error:.1e}" for method, error in worst.items()))
    assert 1e-12 < worst["central"] < 1e-8
    assert worst["richardson"] < 1e-12
    assert worst["complex-step"] < 3e-16


def test_accurate_methods_catch_what_central_differences_cannot():
    def f(x):
        return np.sum(np.exp(x))

    def slightly_wrong(x):
        return np.exp(x) * (1 + 1e-7)  # a relative error of 1e-7, below what central differences resolve
    x = np.array([0.2, -0.4, 1.3])
    assert check_gradient(f, slightly_wrong, x, rtol=1e-6)
    with pytest.raises(GradcheckError):
        check_gradient(f, slightly_wrong, x, method="richardson", rtol=1e-9, atol=0)
    with pytest.raises(GradcheckError):
        check_gradient(f, slightly_wrong, x, method="complex-step", rtol=1e-12, atol=0)


def test_complex_step_refuses_a_function_that_is_not_complex_safe():
    x = np.array([0.5, -1.5])
    with pytest.raises(ValueError, match=r"check_gradient: method='complex-step' needs f to be complex-safe.*"
                                         r"along x\[0\] the complex step gives 0, the central difference 1\b"):
        check_gradient(lambda x: np.sum(np.abs(x)), np.sign, x, method="complex-step")
    with pytest.raises(ValueError, match="complex-safe.*use method='central' or 'richardson'"):
        check_gradient(lambda x: np.vdot(x, x), lambda x: 2 * x, x, method="complex-step")  # conjugates
    with pytest.raises(ValueError, match=r"calls f with complex numbers, and f failed.*not complex-safe"):
        check_gradient(math.exp, math.exp, 0.5, method="complex-step")  # math takes only real numbers
    # the same functions pass with real differences
    assert check_gradient(lambda x: np.sum(np.abs(x)), np.sign, x, method="richardson")
    assert check_gradient(math.exp, math.exp, 0.5, method="richardson", rtol=1e-10)


def test_richardson_falls_back_near_a_kink():
    # relu has a kink 0.005 from x: the central difference at eps sees none, Richardson's steps of 0.01 do
    result = check_gradient(lambda x: max(x, 0.0), lambda x: 1.0, 0.005, method="richardson")
    assert result and result.rows[0].numeric == pytest.approx(1.0, rel=1e-6)
    assert "not smooth within 0.01" in result.rows[0].note


# ---------------------------------------------------------------------------------------------------------
# Jacobians and backward passes.

def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def softmax_jacobian(z):
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)  # d s_i / d z_j = s_i (delta_ij - s_j)


def test_softmax_jacobian_passes_and_agrees_with_numdifftools():
    z = np.array([1.0, 2.0, 3.0])  # softmax([1, 2, 3]) = [0.09, 0.244, 0.665], eq 59
    result = check_jacobian(softmax, softmax_jacobian, z)
    assert [row.name for row in result.rows][:4] == ["d y[0] / d z[0]", "d y[0] / d z[1]", "d y[0] / d z[2]",
                                                     "d y[1] / d z[0]"]
    assert [row.numeric for row in result.rows] == pytest.approx(nd.Jacobian(softmax)(z).ravel(), rel=1e-7,
                                                                 abs=1e-12)


def test_a_wrong_softmax_jacobian_fails_on_the_diagonal():
    def diagonal_only(z):  # the common shortcut s (1 - s), forgetting the off-diagonal -s_i s_j
        s = softmax(z)
        return np.diag(s * (1 - s))
    result = check_jacobian(softmax, diagonal_only, np.array([1.0, 2.0, 3.0]), raise_exception=False)
    assert failing(result) == [f"d y[{i}] / d z[{j}]" for i in range(3) for j in range(3) if i != j]


def test_jacobian_of_several_arguments_and_matrix_outputs():
    def f(A, v):
        return A * v  # y[i, j] = A[i, j] v[j]

    def jacobians(A, v):
        dA = np.zeros(A.shape + A.shape)
        dv = np.zeros(A.shape + v.shape)
        for i, j in np.ndindex(A.shape):
            dA[i, j, i, j] = v[j]
            dv[i, j, j] = A[i, j]
        return dA, dv
    A, v = RNG.normal(size=(2, 3)), RNG.normal(size=3)
    result = check_jacobian(f, jacobians, (A, v), method="complex-step", rtol=1e-13, atol=0)
    assert len(result.rows) == 6 * 6 + 6 * 3 and result.rows[-1].name == "d y[1, 2] / d v[2]"
    with pytest.raises(ValueError, match=r"jac_f's derivative for v has shape \(2, 3\), but it must have shape "
                                         r"\(2, 3, 3\)"):
        check_jacobian(f, lambda A, v: (jacobians(A, v)[0], A), (A, v))


def layer(W, Y):
    return np.tanh(W @ Y)  # a tanh layer on a batch: Y^(l+1) = tanh(W Y^(l))


def layer_backward(W, Y, G, bug=None):
    D = G * (1 - layer(W, Y) ** 2)  # dL/dZ = G (.) tanh'(Z)
    if bug == "no activation derivative":
        D = G
    dW = D @ Y.T  # dL/dW = Delta Y^T (eq 52 without the 1/M: the mean is the loss's business)
    dY = W.T @ D  # dL/dY = W^T Delta
    return dW, dY


def test_a_layer_backward_pass_passes_and_its_bug_fails():
    W, Y = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4))
    result = check_backward(layer, layer_backward, (W, Y), cotangents=3)
    assert len(result.rows) == 3 * (6 + 12) and result.rows[0].name == "d<g0, y>/d W[0, 0]"
    with pytest.raises(GradcheckError) as caught:
        check_backward(layer, lambda W, Y, G: layer_backward(W, Y, G, bug="no activation derivative"), (W, Y))
    assert len(caught.value.result.failures) == 2 * 18  # every element, for both g


def test_backward_gets_g_of_the_output_shape_and_seeded():
    seen = []

    def backward(x, g):
        seen.append(g.copy())
        return 2 * x * g
    x = RNG.normal(size=(2, 3))
    check_backward(lambda x: x ** 2, backward, x, seed=3)
    check_backward(lambda x: x ** 2, backward, x, seed=3)
    assert len(seen) == 4 and seen[0].shape == (2, 3)
    assert np.array_equal(seen[0], seen[2]) and not np.array_equal(seen[0], seen[1])


# ---------------------------------------------------------------------------------------------------------
# Shapes, names, kinks, directions, display.

def test_scalars_lists_and_tuples():
    assert check_gradient(math.sin, math.cos, 0.5).rows[0].name == "x"
    result = check_gradient(lambda a, b: a * math.exp(b), lambda a, b: (math.exp(b), a * math.exp(b)), (2.0, 0.5))
    assert [row.name for row in result.rows] == ["a", "b"]
    assert [row.analytic for row in result.rows] == [math.exp(0.5), 2 * math.exp(0.5)]
    lists = check_gradient(lambda v: sum(t ** 3 for row in v for t in row),
                           lambda v: [[3 * t * t for t in row] for row in v], [[1.0, 2.0], [3.0, 4.0]])
    assert [row.name for row in lists.rows] == ["v[0, 0]", "v[0, 1]", "v[1, 0]", "v[1, 1]"]


def test_names_come_from_names_or_from_f():
    result = check_gradient(lambda *p: loss(*p), gradients, PARAMS, names=["A", "a", "B", "b"])
    assert result.rows[0].name == "A[0, 0]" and result.rows[-1].name == "b[1]"
    assert check_gradient(lambda *p: loss(*p), gradients, PARAMS).rows[-1].name == "x3[1]"  # no parameter names

    def loss_with_data(W1, b1, W2, b2, X=X):  # parameters with defaults beyond the arguments are not named
        return loss(W1, b1, W2, b2)
    assert check_gradient(loss_with_data, gradients, PARAMS).rows[-1].name == "b2[1]"


def test_x_is_not_modified_even_if_f_writes_into_its_argument():
    x = np.array([1.0, 2.0])

    def f(v):
        v *= 2.0  # a function that scribbles on its input
        return float(np.sum(v ** 2))
    check_gradient(f, lambda v: 8 * v, x)
    assert x.tolist() == [1.0, 2.0]


def test_kinks_and_jumps_get_gradcheck_verdicts():
    x = np.array([0.0, 1.5, -2.0])
    result = check_gradient(lambda x: np.sum(np.maximum(x, 0)), lambda x: (x > 0).astype(float), x)
    assert [row.verdict for row in result.rows] == ["kink", "ok", "ok"]
    assert result.rows[0].one_sided == pytest.approx((0.0, 1.0), abs=1e-6)
    step = check_gradient(lambda x: float(x > 0), lambda x: 0.0, 0.0)
    assert step.rows[0].verdict == "jump"


def test_random_directions():
    big = RNG.normal(size=(30, 40))
    calls = []

    def f(x):
        calls.append(1)
        return np.sum(np.sin(x))
    result = check_gradient(f, np.cos, big, directions=3)
    assert result and [row.name for row in result.rows] == ["u0", "u1", "u2"] and len(calls) <= 1 + 2 * 3 * 2

    def wrong(x):
        g = np.cos(x)
        g[17, 3] *= 2.0  # one wrong element among 1,200
        return g
    with pytest.raises(GradcheckError, match=r"direction 0 \(u0\)"):
        check_gradient(f, wrong, big, directions=2)
    with pytest.raises(GradcheckError, match=r"1 of 1200 derivatives wrong\n  element 683 \(x\[17, 3\]\)"):
        check_gradient(f, wrong, big)


def test_failure_message_names_every_wrong_element_and_the_table_shows_them():
    with pytest.raises(AssertionError) as caught:
        check_gradient(loss, lambda *p: gradients(*p, bug="bias of one example"), PARAMS)
    message = str(caught.value)
    assert message.startswith("check_gradient: 20 elements, eps=1e-06, atol=1e-05, rtol=0.001, central: "
                              "2 of 20 derivatives wrong")
    assert "  element 18 (b2[0]): analytic" in message and "  element 19 (b2[1]): analytic" in message
    html = caught.value.result._repr_html_()
    assert "<td>b2[0]</td>" in html and 'style="color:#b00' in html


# ---------------------------------------------------------------------------------------------------------
# Bad input: a clear error that names the argument.

def square(x):
    return np.sum(x ** 2)


def double(x):
    return 2 * x


@pytest.mark.parametrize("call, error, message", [
    (lambda: check_gradient(square, double, None), TypeError, "check_gradient: x is NoneType None"),
    (lambda: check_gradient(square, double, np.array([1, 2])), TypeError,
     r"check_gradient: x has dtype int64; give float64 \(x.astype\(float\)\): the finite-difference steps"),
    (lambda: check_gradient(square, double, np.array([1.0], dtype=np.float32)), TypeError, "x has dtype float32"),
    (lambda: check_gradient(square, double, np.array([1.0, np.nan])), ValueError, r"x\[1\] = nan is not finite"),
    (lambda: check_gradient(square, double, [1.0, -10 ** 5000]), ValueError,
     r"check_gradient: x\[1\] is a negative integer of 5001 digits, too large for a float; derivatives are checked"),
    (lambda: check_gradient(lambda x: 10 ** 400, double, 1.0), ValueError,
     r"f returned a value that is not finite \(an integer of 401 digits, too large for a float\)"),
    (lambda: check_gradient(square, double, np.zeros((0, 3))), ValueError, r"x is empty \(shape \(0, 3\)\)"),
    (lambda: check_gradient(square, double, "abc"), TypeError, "x is str 'abc'"),
    (lambda: check_gradient(square, double, [1.0, [2.0]]), TypeError, "x is a ragged list"),
    (lambda: check_gradient(square, double, True), TypeError, "x is bool True"),
    (lambda: check_gradient(square, lambda x: None, np.ones(3)), TypeError,
     r"grad_f returned None \(a missing return\?\)"),
    (lambda: check_gradient(square, lambda x: np.ones(4), np.ones(3)), ValueError,
     r"grad_f's derivative for x has shape \(4,\), but it must have shape \(3,\)"),
    (lambda: check_gradient(square, lambda x: x * np.inf, np.ones(2)), ValueError,
     r"grad_f's derivative for x\[0\] = inf is not finite"),
    (lambda: check_gradient(square, lambda x: "1", 1.0), TypeError, "grad_f's derivative for x must be a number"),
    (lambda: check_gradient(loss, lambda *p: gradients(*p)[:3], PARAMS), ValueError,
     "grad_f returned 3 derivatives for the 4 arguments W1, b1, W2, b2; return one per argument"),
    (lambda: check_gradient(loss, lambda *p: gradients(*p)[0], PARAMS), TypeError,
     "grad_f must return a tuple of 4 derivatives, one for each of W1, b1, W2, b2; it returned ndarray"),
    (lambda: check_gradient(loss, lambda *p: (None,) * 4, PARAMS), TypeError, "grad_f returned None for W1"),
    (lambda: check_gradient(loss, double, PARAMS), TypeError,
     r"check_gradient: grad_f\(x\) cannot take the 4 arguments W1, b1, W2, b2"),
    (lambda: check_gradient(square, double, (np.ones(2), np.ones(2))), TypeError,
     r"check_gradient: f\(x\) cannot take the 2 arguments x0, x1"),
    (lambda: check_gradient("f", double, 1.0), TypeError, "check_gradient: f must be a function, not str 'f'"),
    (lambda: check_gradient(square, 3, 1.0), TypeError, "check_gradient: grad_f must be a function, not int 3"),
    (lambda: check_gradient(lambda x: x, double, np.ones(3)), ValueError,
     "f must return one number \\(a loss\\), but it returned 3 numbers; use check_jacobian or check_backward"),
    (lambda: check_gradient(lambda x: None, double, 1.0), TypeError, "f must return a number, a list of numbers"),
    (lambda: check_gradient(lambda x: np.log(x), lambda x: 1 / x, -1.0), ValueError,
     "f returned a value that is not finite"),
    (lambda: check_gradient(lambda x: np.log(x), lambda x: 1 / x, 1e-7), ValueError,
     r"evaluating at x = 1e-07 - 1e-06 failed: f returned a value that is not finite"),
    (lambda: check_gradient(square, double, 1.0, method="forward"), ValueError,
     "method = 'forward' must be one of 'central', 'richardson', 'complex-step'"),
    (lambda: check_gradient(square, double, 1.0, eps=True), TypeError,
     r"check_gradient: eps must be a finite number, got True \(bool\)"),
    (lambda: check_gradient(square, double, 1.0, names=["a", "b"]), ValueError,
     r"names = \['a', 'b'\] must be 1 name \(strings\)"),
    (lambda: check_jacobian(np.sin, lambda x: np.cos(x), np.ones(2)), ValueError,
     r"jac_f's derivative for x has shape \(2,\), but it must have shape \(2, 2\)"),
    (lambda: check_backward(np.sin, lambda x: np.cos(x), np.ones(2)), TypeError,
     r"check_backward: backward\(x\) cannot take the 2 arguments x, g"),
    (lambda: check_backward(np.sin, lambda x, g: g, np.ones(2), cotangents=0), ValueError,
     "cotangents = 0 must be an int >= 1"),
])
@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_works_without_numpy_for_floats_and_lists():
    program = """
import sys
sys.modules["numpy"] = None  # import numpy now fails
import cmath, math
from autograd import check_backward, check_gradient, check_jacobian, GradcheckError
assert check_gradient(math.sin, math.cos, 0.5)
assert check_gradient(lambda v: sum(t * t for t in v), lambda v: [2 * t for t in v], [1.0, -2.0, 3.0])
assert check_jacobian(lambda v: [v[0] * v[1], v[1]], lambda v: [[v[1], v[0]], [0.0, 1.0]], [2.0, 3.0])
assert check_backward(lambda v: [math.exp(t) for t in v], lambda v, g: [gi * math.exp(t) for t, gi in zip(v, g)],
                      [0.1, 0.2])
assert check_gradient(cmath.exp, cmath.exp, 0.3, method="complex-step", rtol=1e-13, atol=0)
try:
    check_gradient(lambda v: v[0] * v[1], lambda v: [v[1], v[1]], [2.0, 3.0])
except GradcheckError as e:
    assert "(v[1]): analytic 3, numeric 2" in str(e), str(e)
else:
    raise AssertionError("no failure")
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr
