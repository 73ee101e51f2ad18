"""The errata table (nn.errata) against the source documents and independent computations.

Every erratum is found at the line it cites (a fragment of the raw text, typed here from the files). Every number
is recomputed with mpmath at 30 digits, independently of the engine; every derived erratum that a number can show
is shown numerically here (finite differences by mpmath.diff): the printed formula disagrees, the corrected one
agrees.
"""

from pathlib import Path

import mpmath
import pytest

from nn.errata import DERIVED, FILES, RECOMPUTED, SOURCES, errata
from nn.examples import agrees_within_rounding

mpmath.mp.dps = 30
SEEDS = Path("/work/shared/seeds")
TABLE = errata()
BY_PLACE = {(e.document, e.lines[0], e.where): e for e in TABLE}

# (document, first line): a fragment of that line of the raw file, as printed.
FRAGMENTS = {
    ("001", 133): "смещение (bias)  $i$ -го нейрона слоя  $l$",
    ("001", 200): r"w_{ij}^{(l)} + b_i^{(l)}}{\partial w_{21}^{(l)}}",
    ("001", 263): r"$$\frac{\partial y_2^{(l)}}{\partial z_2^{(l)}} = \frac{\partial \mathcal{L}}",
    ("001", 275): r"\cdot \frac{\partial y_2^{(l)}}{\partial z_1^{(l)}} =",
    ("001", 326): "обязательно проходящие через  $z_i^{(l)}$",
    ("001", 471): r"столбцы матрицы  $\Delta^{(l+1)}$  будут рассчитаны в соответствии с (45)",
    ("001", 509): "[0.09, 0.244, 0.665]",
    ("001", 511): "с вероятностью 66% находится в третьей позиции",
    ("001", 582): r"4 \cdot 10^{-5}",
    ("002", 166): "E_k = (O_{correct, k} - O_{net, k})^2",
    ("002", 275): "I_1 = 0.6, I_1 = 0.7",
    ("002", 302): "= 2.288",
    ("002", 320): r"cdot w_{56}) cdot f{Large{prime}}(I_7)",
    ("002", 322): "= -0.0087",
    ("002", 342): "= -0.00183",
    ("002", 343): "= -0.00157",
    ("002", 359): "= 0.99817",
    ("002", 360): "= -1.00157",
    ("002", 559): "cdotfrac{-1}{1 + e^{-y(w_0 + w_1x_1 + w_2x_2)}}",
    ("002", 692): "nabla_{X_0} f = X^T cdot left[nabla_{XW_0} (g)right]",
    ("002", 786): "widehat{y} = sigma(X^1 W^2)",
    ("002", 796): "l = mathcal{L}(y, widehat{y}) = y log(widehat{y}) + (1-y) log(1-widehat{y})",
    ("002", 971): "уравнением для ошибки выходного слоя Eh",
    ("003", 18): "反向传播仅适用于多层神经网络",
    ("003", 55): r"\frac{\partial z}{\partial y_i}\frac{\partial y_i}{\partial x_i}",
    ("003", 92): "公式2的反向传播方法显然是较优的",
    ("003", 186): r"\text{grad\_table}[u^{(n)}] grad_table[u(n)]是存储",
    ("004", 245): "(Brison, Hoback, 1969)",
    ("004", 246): "(Hinton, 1974): переоткрыл backpropagation",
    ("004", 358): r"\max(x,px)",
    ("004", 371): r"\lim_{x\to\infty}\frac{\mathrm{d}f_{ACON-C}}{\mathrm{d}x}=a_1",
    ("004", 572): r"h\left((\mathbf{w}^{(l)})^{\top}\mathbf{a}^{(l-1)}",
    ("004", 582): r"\delta_j^{(L)} &= \frac{\partial C}{\partial a^{(L)}} h'",
    ("004", 589): "M.Sc. thesis (Linnainmaa, 1970)",
}


def _line(document: str, number: int) -> str:
    return (SEEDS / FILES[document]).read_text(encoding="utf-8").splitlines()[number - 1]


def test_every_erratum_is_at_the_line_it_cites():
    assert {(e.document, e.lines[0]) for e in TABLE} == set(FRAGMENTS)
    for (document, number), fragment in FRAGMENTS.items():
        assert fragment in _line(document, number), (document, number)
    # the other lines cited, spot-checked
    assert "b}^{(l+1)}. \\quad (40)" in _line("001", 360) and "(46)" in _line("001", 406)
    assert "\\mathbf{B}^{(l)}, \\quad (51)" in _line("001", 428) and "\\mathbf{B}^{(l+1)}" in _line("001", 432)
    assert "(Hinton, 1974) переоткрыл backprop" in _line("004", 590)
    assert "Bryson and Ho described it" in _line("002", 2050) and "Werbos" in _line("002", 2050)


def test_the_known_errata_of_the_issue_are_all_there():
    places = {(e.document, e.lines[0]) for e in TABLE}
    known = {("001", 511), ("001", 200), ("001", 263), ("001", 275), ("001", 133),  # 66%, eqs 11, 22, 25, bias
             ("002", 559), ("002", 692), ("002", 796),  # Yandex: sign, example 3, log-likelihood
             ("003", 55), ("003", 92), ("003", 18),  # y_i for y_j, store/recompute, "only multilayer"
             ("004", 245), ("004", 246), ("004", 572)}  # Bryson and Ho, Werbos, W^T
    assert known <= places
    assert {e.how for e in TABLE} == {RECOMPUTED, DERIVED, SOURCES}
    assert [e.document for e in TABLE] == sorted(e.document for e in TABLE)
    assert len(TABLE) == 34


def _softmax(z, temperature=1):
    e = [mpmath.exp(mpmath.mpf(x) / temperature) for x in z]
    return [x / sum(e) for x in e]


def test_the_softmax_numbers_of_001():
    p = _softmax([1, 2, 3])
    row = BY_PLACE["001", 511, "text under eq 59"]
    assert abs(row.exact - p[2]) < 1e-15
    assert mpmath.nstr(100 * p[2], 3) == "66.5" and round(float(100 * p[2])) == 67  # not 66
    second = BY_PLACE["001", 509, "softmax, softmax([1,2,3])_2"]
    assert abs(second.exact - p[1]) < 1e-15 and not agrees_within_rounding("0.244", float(p[1]))
    cold = _softmax([1, 2, 3], temperature=mpmath.mpf("0.1"))
    row = BY_PLACE["001", 582, "softmax, softmax_T=0.1([1,2,3])_2"]
    assert abs(row.exact - cold[1]) < 1e-18 and mpmath.nstr(cold[1], 1) == "5.0e-5"
    assert agrees_within_rounding("2e-9", float(cold[0]))  # the first entry of eq 71 is right


def _sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def test_the_wrong_numbers_of_the_worked_example_002():
    w = {(1, 3): -1, (2, 3): 1, (1, 4): 2.5, (2, 4): 0.4, (1, 5): 1, (2, 5): -1.5, (3, 6): 2.2, (4, 6): -1.4,
         (5, 6): 0.56, (3, 7): 0.34, (4, 7): 1.05, (5, 7): 3.1, (6, 8): 0.75, (7, 8): -0.22}
    w = {k: mpmath.mpf(str(v)) for k, v in w.items()}
    o = {1: mpmath.mpf("0.6"), 2: mpmath.mpf("0.7")}
    z = {}
    for layer, previous in (((3, 4, 5), (1, 2)), ((6, 7), (3, 4, 5)), ((8,), (6, 7))):
        for j in layer:
            z[j] = sum(w[i, j] * o[i] for i in previous)
            o[j] = _sigmoid(z[j])
    delta = {8: (mpmath.mpf("0.9") - o[8]) * o[8] * (1 - o[8])}  # the article's delta = -dE/dI
    for j in (6, 7):
        delta[j] = delta[8] * w[j, 8] * o[j] * (1 - o[j])
    for j in (3, 4, 5):
        delta[j] = (delta[6] * w[j, 6] + delta[7] * w[j, 7]) * o[j] * (1 - o[j])
    dw = {(i, 3): mpmath.mpf("0.3") * delta[3] * o[i] for i in (1, 2)}
    expected = {"I7": z[7], "delta3": delta[3], "dw13": dw[1, 3], "dw23": dw[2, 3],
                "w13 new": w[1, 3] + dw[1, 3], "w23 new": w[2, 3] + dw[2, 3]}
    rows = {e.where.split(", ")[1]: e for e in TABLE if e.where.startswith("worked example, ") and e.exact}
    assert set(rows) == set(expected)
    for name, value in expected.items():
        assert abs(rows[name].exact - value) < 1e-14, name
        assert not agrees_within_rounding(rows[name].printed, float(value)), name
    assert delta[3] > 0 > float(rows["delta3"].printed)  # the sign error


def test_002_logistic_regression_derivative_has_the_wrong_sign():
    y, x1, x2 = -1, mpmath.mpf("0.5"), mpmath.mpf("-2")
    w = [mpmath.mpf("0.3"), mpmath.mpf("-0.7"), mpmath.mpf("0.2")]

    def margin(w0):
        return w0 + w[1] * x1 + w[2] * x2

    def loss(w0):  # log(1 + e^(-y M)), the loss of logistic regression on one object
        return mpmath.log(1 + mpmath.exp(-y * margin(w0)))

    e = mpmath.exp(-y * margin(w[0]))
    printed = (-y) * e * (-1) / (1 + e)
    corrected = (-y) * e / (1 + e)
    numeric = mpmath.diff(loss, w[0])
    assert abs(numeric - corrected) < 1e-25 and abs(numeric + printed) < 1e-25 and abs(numeric) > 0.1


def test_002_the_two_layer_loss_is_a_log_likelihood():
    y, x3 = 1, mpmath.mpf("0.4")

    def l(x):  # the printed "loss" as a function of X^3, y_hat = sigma(X^3)
        p = _sigmoid(x)
        return y * mpmath.log(p) + (1 - y) * mpmath.log(1 - p)

    assert l(x3) < 0 and l(x3 + 1) > l(x3)  # <= 0, and it grows as y_hat approaches y: a likelihood
    assert abs(mpmath.diff(l, x3) - (y - _sigmoid(x3))) < 1e-25  # the printed gradient is l's
    assert abs(mpmath.diff(lambda x: -l(x), x3) - (_sigmoid(x3) - y)) < 1e-25  # the loss -l: sigma - y


def test_002_the_squared_error_without_one_half_doubles_the_derivative():
    t, o_j, w = mpmath.mpf("0.9"), mpmath.mpf("0.54"), mpmath.mpf("0.75")

    def out(weight):
        return _sigmoid(weight * o_j)

    printed = -(t - out(w)) * out(w) * (1 - out(w)) * o_j  # line 177
    assert abs(mpmath.diff(lambda v: (t - out(v)) ** 2, w) - 2 * printed) < 1e-25
    assert abs(mpmath.diff(lambda v: (t - out(v)) ** 2 / 2, w) - printed) < 1e-25


def test_001_eqs_22_and_25_on_a_small_network():
    # one hidden sigmoid neuron y2 = sigma(z2) feeding z_k = w_2k y2 (k = 1, 2), L = 1/2 sum (t_k - z_k)^2
    w21, w22, t = mpmath.mpf("1.5"), mpmath.mpf("-2"), (mpmath.mpf(1), mpmath.mpf(0))
    z2 = mpmath.mpf("0.5")

    def loss_of_y2(y2):
        return ((t[0] - w21 * y2) ** 2 + (t[1] - w22 * y2) ** 2) / 2

    y2 = _sigmoid(z2)
    paths = -(t[0] - w21 * y2) * w21 - (t[1] - w22 * y2) * w22  # the right-hand side of eq 22
    assert abs(mpmath.diff(loss_of_y2, y2) - paths) < 1e-25  # it is dL/dy2 ...
    assert abs(mpmath.diff(_sigmoid, z2) - paths) > 0.1  # ... not dy2/dz2, as printed
    delta2 = mpmath.diff(lambda z: loss_of_y2(_sigmoid(z)), z2)
    assert abs(delta2 - paths * y2 * (1 - y2)) < 1e-25  # eq 25 with dy2/dz2; dy2/dz1 = 0 would give 0


def test_003_the_vector_chain_rule():
    def g(x1, x2):
        return (x1 * x2, mpmath.sin(x1) + x2)

    def f(y1, y2):
        return y1 ** 2 + 3 * y2

    x = (mpmath.mpf("0.7"), mpmath.mpf("-1.2"))
    y = g(*x)
    dz_dy = (2 * y[0], mpmath.mpf(3))
    dy_dx1 = (x[1], mpmath.cos(x[0]))  # dy_j/dx_1
    numeric = mpmath.diff(lambda x1: f(*g(x1, x[1])), x[0])
    assert abs(numeric - sum(dz_dy[j] * dy_dx1[j] for j in range(2))) < 1e-25  # sum_j dz/dy_j dy_j/dx_1
    printed = sum(dz_dy[0] * dy_dx1[0] for j in range(2))  # sum_j dz/dy_i dy_i/dx_i with i = 1
    assert abs(numeric - printed) > 0.1


def test_003_recomputing_costs_more_evaluations():
    calls = []

    def f(v):
        calls.append(v)
        return mpmath.sin(v)

    def fprime(v):
        return mpmath.cos(v)

    w = mpmath.mpf("0.3")
    x = f(w); y = f(x); f(y)  # the forward pass: 3 evaluations, x and y stored
    forward = len(calls)
    formula_1 = fprime(y) * fprime(x) * fprime(w)  # uses the stored x, y: no more evaluations
    assert len(calls) == forward == 3
    formula_2 = fprime(f(f(w))) * fprime(f(w)) * fprime(w)  # recomputes f(w) twice and f(f(w)) once more
    assert len(calls) == forward + 3 and abs(formula_1 - formula_2) < 1e-25


def test_004_acon_c_limits_swap_when_beta_times_a1_minus_a2_is_negative():
    def acon_c(x, a1, a2, beta):
        return (a1 - a2) * x * _sigmoid(beta * (a1 - a2) * x) + a2 * x

    for a1, a2, beta in ((2, 0.5, 1), (0.5, 2, 1), (2, 0.5, -1)):
        right = mpmath.diff(lambda x: acon_c(x, a1, a2, beta), 60)
        left = mpmath.diff(lambda x: acon_c(x, a1, a2, beta), -60)
        if beta * (a1 - a2) > 0:
            assert abs(right - a1) < 1e-20 and abs(left - a2) < 1e-20  # as printed
        else:
            assert abs(right - a2) < 1e-20 and abs(left - a1) < 1e-20  # swapped


def test_004_the_vector_form_needs_w_not_w_transposed():
    w = [[1, 2], [3, 4]]  # w[j][k]: from neuron k of layer l-1 to neuron j of layer l
    a = [5, 7]
    by_sum = [sum(w[j][k] * a[k] for k in range(2)) for j in range(2)]  # line 568
    w_a = [sum(w[j][k] * a[k] for k in range(2)) for j in range(2)]
    wt_a = [sum(w[k][j] * a[k] for k in range(2)) for j in range(2)]
    assert by_sum == w_a == [19, 43] and wt_a == [26, 38]


def test_the_table_prints_and_shows_as_html():
    text = str(TABLE)
    assert text.startswith("34 errata (9 in 001, 14 in 002, 4 in 003, 7 in 004)")
    assert "004, line 245 (history) [sources]" in text and "(Bryson, Ho, 1969)" in text
    page = TABLE._repr_html_()
    assert page.count("<tr>") == 35 and "Werbos" in page
    assert [e.where for e in TABLE.of("003")] == ["introduction", "the vector chain rule",
                                                  "storing versus recomputing, z = f(f(f(w)))",
                                                  "Algorithm 2, the grad_table"]
    with pytest.raises(ValueError, match=r"ErrataTable.of\(\): document must be one of 001, 002, 003, 004"):
        TABLE.of("005")
