"""Checking derivatives written by hand: gradients, Jacobians and backward passes of plain Python and numpy code.

    from autograd import check_gradient, check_jacobian, check_backward
    check_gradient(loss, loss_gradient, (W1, b1, W2, b2))   # a table; an AssertionError naming each wrong element

`gradcheck` checks the derivatives the engine computes. These functions check derivatives that someone wrote:
the gradient of a loss in numpy, the matrix formulas of a backward pass (lecture note eqs 43-46, 51-56), a
Jacobian. The functions take and return plain numbers, lists of numbers or float64 numpy arrays of any shape;
a tuple of them stands for several arguments, `f(*x)`. Rows are named by element: `x[1, 2]`, or `W1[0, 3]`
with the arguments named by `names=` or by the parameters of `f`.

The numeric side is gradcheck's: finite differences along each element (or `directions=k` random unit
directions), the same tolerance |analytic - numeric| <= atol + rtol |numeric|, the same kink and jump
verdicts, table and `GradcheckError` (see `autograd.checking`). Three ways to estimate a derivative where f is
smooth (`method=`), each with the largest relative error it reached on six smooth functions (exp, sin, tanh,
log, x^5, arctan at 10; tests/test_check_derivatives.py::test_the_error_each_method_reaches):

- "central": (f(x + h) - f(x - h)) / 2h with h = eps = 1e-6, error h^2 |f'''| / 6 + u |f| / h (u = 2^-53):
  7e-9 (2 evaluations per element).
- "richardson": central differences D(h) with h = 0.01 max(1, |x|), h/2 and h/4, combined to cancel the h^2
  and h^4 terms of their error (D(h/2) + (D(h/2) - D(h)) / 3, then again with 15): 1.3e-13 (6 more
  evaluations). Falls back to the central difference, with a note, where f is not smooth within h of x.
- "complex-step": Im f(x + i h) / h with h = 1e-20. There is no subtraction, so no cancellation: exact to
  rounding, 1.2e-16 (1 more evaluation). f must be complex-safe, i.e. compute with complex
  numbers as it does with real ones; `abs`, comparisons, `np.real`, `conj` or `np.vdot`, `float()` and the
  `math` module are not. A complex-step derivative that disagrees with the central difference is refused with
  a `ValueError`, never used.

With richardson and complex-step, tight tolerances (rtol = 1e-9 and 1e-12) make a check sharp. Kinks and
jumps are always judged from the central differences at eps and eps/2.
"""

from __future__ import annotations

import math
import numbers
import random
from dataclasses import dataclass
from typing import Callable

from ._errors import real_number, shown_value
from .checking import (ATOL, RTOL, GradcheckResult, _check_function, _check_settings, _compare, _cost_hint,
                       _count, _directions, _finish, _Line, _title, _tolerance)

METHODS = ("central", "richardson", "complex-step")
RICHARDSON_STEP, RICHARDSON_LEVELS = 0.01, 3  # steps 0.01 max(1, |x|), its half and its quarter
COMPLEX_STEP = 1e-20


# ---------------------------------------------------------------------------------------------------------
# Arguments and results: a number, a (nested) list or a numpy array, seen as a flat list of numbers.

@dataclass
class _Shaped:
    """What a number, list or array looks like: `kind` ("number", "list" or "array") and `shape`."""

    name: str
    kind: str
    shape: tuple

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def elements(self) -> list[str]:
        """The name of each element, in flat (row-major) order: "x", "x[3]", "W1[0, 2]"."""
        if not self.shape:
            return [self.name]
        indices: list[tuple[int, ...]] = [()]
        for n in self.shape:
            indices = [index + (i,) for index in indices for i in range(n)]
        return [f"{self.name}[{', '.join(map(str, index))}]" for index in indices]

    def build(self, flat: list):
        """The object of this kind and shape holding the numbers `flat` (float or complex)."""
        if self.kind == "number":
            return flat[0]
        if self.kind == "list":
            return _nest(list(flat), self.shape)
        import numpy as np
        dtype = np.complex128 if any(isinstance(x, complex) for x in flat) else np.float64
        return np.array(flat, dtype=dtype).reshape(self.shape)


def _nest(flat: list, shape: tuple) -> list:
    if len(shape) == 1:
        return flat
    step = len(flat) // shape[0]
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _flatten(value, allow_complex: bool = False) -> tuple[str, tuple, list]:
    """(kind, shape, flat numbers) of a number, nested list or array; raises TypeError(description)."""
    if value is None or isinstance(value, (bool, str, bytes)):
        raise TypeError(f"{type(value).__name__} {value!r}")
    if isinstance(value, numbers.Real) or (allow_complex and isinstance(value, numbers.Complex)):
        # float(value), but an int beyond 1.8e308 as +-inf: refused as not finite (_not_finite)
        return "number", (), [real_number(value, "the number", finite=False) if isinstance(value, numbers.Real)
                              else complex(value)]
    if hasattr(value, "dtype") and hasattr(value, "shape"):  # a numpy array or numpy scalar
        kind = value.dtype.kind
        if kind not in "fiu" + ("c" if allow_complex else ""):
            raise TypeError(f"an array of dtype {value.dtype}")
        flat = value.ravel().tolist() if hasattr(value, "ravel") else [value.item()]
        return ("array" if value.shape else "number"), tuple(value.shape), flat
    if isinstance(value, (list, tuple)):
        if not value:
            return "list", (0,), []
        parts = [_flatten(part, allow_complex) for part in value]
        if any(shape != parts[0][1] for _, shape, _ in parts):
            raise TypeError("a ragged list (its rows have different lengths)")
        return "list", (len(value), *parts[0][1]), [x for _, _, flat in parts for x in flat]
    raise TypeError(f"{type(value).__name__} {value!r}")


def _flatten_real(value) -> tuple[str, tuple, list]:
    """`_flatten`, taking complex numbers with imaginary part 0 as real (cmath's functions return those)."""
    kind, shape, flat = _flatten(value, allow_complex=True)
    if any(isinstance(y, complex) and y.imag != 0 for y in flat):
        raise TypeError(f"a complex number at a real point ({value!r})")
    return kind, shape, [y.real if isinstance(y, complex) else y for y in flat]


def _read_argument(who: str, name: str, value) -> tuple[_Shaped, list[float]]:
    """An input: real numbers only, float64 for arrays, finite, not empty."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None and (dtype.kind != "f" or dtype.itemsize != 8):
        raise TypeError(f"{who}: {name} has dtype {dtype}; give float64 ({name}.astype(float)): the "
                        "finite-difference steps must not be truncated or rounded to a coarser type")
    if isinstance(value, tuple):
        raise TypeError(f"{who}: {name} is a tuple; a tuple stands for several arguments only at the top level "
                        "of x: give each argument as a number, a list or a numpy array")
    try:
        kind, shape, flat = _flatten(value)
    except TypeError as e:
        raise TypeError(f"{who}: {name} is {e}; give a number, a list of numbers or a float64 numpy array") \
            from None
    shaped = _Shaped(name, kind, shape)
    if not flat:
        raise ValueError(f"{who}: {name} is empty (shape {shape}); there is nothing to differentiate")
    bad = _first_not_finite(flat)
    if bad is not None:
        raise ValueError(f"{who}: {shaped.elements()[bad]} {_not_finite(value, shape, bad, flat)}; derivatives are "
                         "checked at finite points")
    return shaped, flat


def _first_not_finite(flat: list) -> int | None:
    return next((i for i, x in enumerate(flat) if not math.isfinite(x)), None)


def _not_finite(value, shape: tuple, k: int, flat: list) -> str:
    """What is wrong with element k of a number, nested list or array (of this shape, flattened to `flat`):
    "= nan is not finite", or "is an integer of 401 digits, too large for a float"."""
    element, index, rest = value, [], k
    for n in reversed(shape):
        rest, i = divmod(rest, n)
        index.append(i)
    for i in reversed(index):
        element = element[i]
    return f"is {shown_value(element)}" if isinstance(element, numbers.Integral) else f"= {flat[k]!r} is not finite"


def _arguments(who: str, f: Callable, x, names) -> tuple[list[_Shaped], list[float]]:
    """The arguments of f (a tuple x means several) with their names, and the point as one flat list."""
    several = isinstance(x, tuple)
    values = list(x) if several else [x]
    if several and not values:
        raise ValueError(f"{who}: x is an empty tuple; give at least one argument")
    names = _argument_names(who, f, len(values), several, names)
    _check_function(who, "f", f, len(values), names)
    arguments, point = [], []
    for name, value in zip(names, values):
        shaped, flat = _read_argument(who, name, value)
        arguments.append(shaped)
        point.extend(flat)
    return arguments, point


def _argument_names(who: str, f: Callable, n: int, several: bool, names) -> list[str]:
    if names is not None:
        names = [names] if isinstance(names, str) else list(names)
        if len(names) != n or not all(isinstance(name, str) and name for name in names):
            raise ValueError(f"{who}: names = {names!r} must be {_count(n, 'name')} (strings), one per argument")
        return names
    try:
        import inspect
        parameters = [p for p in inspect.signature(f).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        parameters = []
    required = [p for p in parameters if p.default is p.empty]
    if len(required) <= n <= len(parameters):  # f(W1, b1, W2, b2, X=X): the first n parameters
        return [p.name for p in parameters[:n]]
    return [f"x{i}" for i in range(n)] if several else ["x"]


def _split(flat: list, arguments: list[_Shaped]) -> list:
    """The flat point as the objects passed to f: one per argument."""
    objects, start = [], 0
    for shaped in arguments:
        objects.append(shaped.build(flat[start:start + shaped.size]))
        start += shaped.size
    return objects


def _result(who: str, what: str, value, allow_complex: bool = False) -> tuple[_Shaped, list]:
    """A function's result (f's output) as its shape and flat numbers; complex numbers only when asked
    for, or with imaginary part 0 (cmath's functions return those for real input)."""
    prefix = f"{who}: " if who else ""
    try:
        kind, shape, flat = _flatten(value, allow_complex=True) if allow_complex else _flatten_real(value)
    except TypeError as e:
        raise TypeError(f"{prefix}{what} must return a number, a list of numbers or a numpy array; it returned "
                        f"{e}") from None
    if not allow_complex and _first_not_finite(flat) is not None:
        raise ValueError(f"{prefix}{what} returned a value that is not finite ({shown_value(value)})")
    return _Shaped("y", kind, shape), flat


def _derivatives(who: str, what: str, returned, arguments: list[_Shaped], prefix: tuple = ()) -> list[list]:
    """What grad_f, jac_f or backward returned, one flat list per argument, each checked against the shape
    `prefix + argument.shape` (prefix: the output's shape for a Jacobian)."""
    names = ", ".join(shaped.name for shaped in arguments)
    if returned is None:
        raise TypeError(f"{who}: {what} returned None (a missing return?); it must return the derivative with "
                        f"respect to {names}")
    if len(arguments) > 1:
        if not isinstance(returned, (tuple, list)):
            raise TypeError(f"{who}: {what} must return a tuple of {len(arguments)} derivatives, one for each of "
                            f"{names}; it returned {type(returned).__name__}")
        if len(returned) != len(arguments):
            raise ValueError(f"{who}: {what} returned {len(returned)} derivatives for the {len(arguments)} "
                             f"arguments {names}; return one per argument, in order")
    parts = returned if len(arguments) > 1 else [returned]
    flats = []
    for shaped, part in zip(arguments, parts):
        expected = prefix + shaped.shape
        if part is None:
            raise TypeError(f"{who}: {what} returned None for {shaped.name} (shape {expected})")
        try:
            _, shape, flat = _flatten_real(part)
        except TypeError as e:
            raise TypeError(f"{who}: {what}'s derivative for {shaped.name} must be a number, a list or an "
                            f"array; it is {e}") from None
        if shape != expected:
            hint = " (transposed?)" if len(expected) == 2 and shape == expected[::-1] else ""
            raise ValueError(f"{who}: {what}'s derivative for {shaped.name} has shape {shape}, but it must have "
                             f"shape {expected}{hint}")
        bad = _first_not_finite(flat)
        if bad is not None:
            element = _Shaped(f"{what}'s derivative for {shaped.name}", "array", expected).elements()[bad]
            raise ValueError(f"{who}: {element} {_not_finite(part, shape, bad, flat)}")
        flats.append(flat)
    return flats


# ---------------------------------------------------------------------------------------------------------
# The more accurate numeric derivatives: `estimate(line, k)` for checking._judge, where f is smooth.

class _Richardson:
    """Central differences at h, h/2, h/4 (h = 0.01 max(1, |x|)), extrapolated to h = 0."""

    def __init__(self, eps: float, point: list[float]):
        self.eps = eps
        self.largest = max([1.0] + [abs(x) for x in point])  # the scale of a random direction

    def __call__(self, line, k: int) -> tuple[float, str]:
        h = RICHARDSON_STEP * (max(1.0, abs(line.value)) if line.value is not None else self.largest)
        D = [line.slopes(h / 2 ** j, k)[2] for j in range(RICHARDSON_LEVELS)]
        for m in range(1, RICHARDSON_LEVELS):  # D(h) = f' + c h^2 + d h^4 + ...: cancel h^2, then h^4
            D = [fine + (fine - coarse) / (4 ** m - 1) for coarse, fine in zip(D, D[1:])]
        central = line.slopes(self.eps, k)[2]
        if abs(D[0] - central) > _tolerance(central, ATOL, RTOL):
            return central, (f"f is not smooth within {h:g} of this point (Richardson's steps give {D[0]:.8g}): "
                             f"the central difference at eps = {self.eps:g} is used")
        return D[0], ""


class _ComplexStep:
    """Im f(x + i h u) / h, h = 1e-20, refused where it disagrees with the central difference."""

    def __init__(self, who: str, evaluate: Callable, eps: float):
        self.who, self.evaluate, self.eps = who, evaluate, eps
        self.line: _Line | None = None  # the line whose complex outputs are kept
        self.outputs: list[complex] = []

    def __call__(self, line, k: int) -> tuple[float, str]:
        if line is not self.line:  # one complex evaluation per line serves all its outputs
            moved = [complex(x, COMPLEX_STEP * d) for x, d in zip(line.point, line.u)]
            try:
                self.outputs = self.evaluate(moved)
            except TypeError as e:
                raise ValueError(f"{self.who}: method='complex-step' calls f with complex numbers, and f failed "
                                 f"({e}): f is not complex-safe (math functions and float() take only real "
                                 "numbers); use numpy or cmath functions, or method='central' or 'richardson'") \
                    from None
            self.line = line
        numeric = self.outputs[k].imag / COMPLEX_STEP
        central = line.slopes(self.eps, k)[2]
        if not abs(numeric - central) <= _tolerance(central, ATOL, RTOL):
            raise ValueError(f"{self.who}: method='complex-step' needs f to be complex-safe, and it is not: along "
                             f"{line.name} the complex step gives {numeric:.8g}, the central difference "
                             f"{central:.8g}. abs, comparisons (max, where), np.real, conj or np.vdot, float() "
                             "and the math module drop or bend the imaginary part; use method='central' or "
                             "'richardson' for this f")
        return numeric, ""


def _estimate(who: str, method: str, eps: float, point: list[float], evaluate_complex: Callable):
    if method not in METHODS:
        raise ValueError(f"{who}: method = {method!r} must be one of {', '.join(map(repr, METHODS))}")
    if method == "richardson":
        return _Richardson(eps, point)
    if method == "complex-step":
        return _ComplexStep(who, evaluate_complex, eps)
    return None


# ---------------------------------------------------------------------------------------------------------
# The checks.

def _check(who: str, f: Callable, x, names, derivative: tuple[str, Callable, int], outputs: Callable,
           analytic: Callable, row_name: Callable | None, eps: float, atol: float, rtol: float, method: str,
           directions: int, seed: int, raise_exception: bool) -> GradcheckResult:
    """The common part of the three checks.

    Arguments:
        derivative: (its name, the user's derivative function, how many arguments it takes beyond f's).
        outputs: f's result at a point, as a flat list -> the numbers to differentiate (f's one number, its
            elements, or <g, f(x)> for each g).
        analytic: (arguments, a function giving a fresh copy of x, y's shape) -> analytic[k][i] = d output k /
            d element i, from the user's derivative function.
        row_name: (name of y's element k, k, direction name) -> the row's name, for several outputs.
    """
    _check_settings(who, eps, atol, rtol, directions)
    arguments, point = _arguments(who, f, x, names)
    what, function, extra = derivative
    _check_function(who, what, function, len(arguments) + extra,
                    [shaped.name for shaped in arguments] + ["g"] * extra)
    y_shape, y = _result(who, "f", f(*_split(point, arguments)))  # f and the derivative get copies of x

    def evaluate(at: list[float]) -> list[float]:  # its errors are reported by _Line.at, naming the point
        shape, flat = _result("", "f", f(*_split(at, arguments)))
        if shape.shape != y_shape.shape:
            raise ValueError(f"f returned shape {shape.shape} here but {y_shape.shape} at the point")
        return outputs(flat)

    def evaluate_complex(at: list[complex]) -> list[complex]:
        return outputs(_result(who, "f", f(*_split(at, arguments)), allow_complex=True)[1])

    estimate = _estimate(who, method, eps, point, evaluate_complex)
    element_names = [name for shaped in arguments for name in shaped.elements()]
    lines = _directions(point, element_names, directions, seed)
    y_names = y_shape.elements()

    label = None if row_name is None else (  # (output k, direction index, name) -> the row's (index, name)
        lambda k, index, name: (f"{k},{index}", row_name(y_names[k], k, name)))
    rows = _compare(who, evaluate, point, outputs(y), analytic(arguments, lambda: _split(point, arguments), y_shape),
                    lines, eps, atol, rtol, label, estimate)
    column = "derivative" if row_name else "direction" if directions else "element"
    title = _title(who, len(rows), "derivative" if row_name else "element", eps, atol, rtol, directions)
    result = GradcheckResult(f"{title}, {method}", column, rows, _cost_hint(len(point), directions))
    return _finish(result, raise_exception)


def check_gradient(f: Callable, grad_f: Callable, x, *, names=None, method: str = "central", eps: float = 1e-6,
                   atol: float = 1e-5, rtol: float = 1e-3, directions: int = 0, seed: int = 0,
                   raise_exception: bool = True) -> GradcheckResult:
    """Check a hand-written gradient `grad_f` of a function `f` with one number as result, element by element.

    The analytic df/dx[i] (from grad_f) is compared with finite differences of f; a derivative passes when
    |analytic - numeric| <= atol + rtol |numeric|. Kinks (relu at 0) ask for a subgradient, jumps are not
    checked (see `autograd.checking`).

        check_gradient(lambda x: np.sum(x ** 3), lambda x: 3 * x ** 2, np.array([[1.0, 2.0], [3.0, 4.0]]))
        check_gradient(loss, loss_gradient, (W1, b1, W2, b2))   # loss(W1, b1, W2, b2) -> float

    Arguments:
        f: f(x) -> a number (a float, or an array holding one number); with several arguments f(*x).
        grad_f: grad_f(x) -> the gradient, of x's shape (a float for a float x); with several arguments
            grad_f(*x) -> a tuple with one gradient per argument, in order.
        x: the point: a number, a list of numbers, a float64 numpy array of any shape, or a tuple of these for
            several arguments. Never modified: f and grad_f get copies.
        names: the arguments' names in the table (default: f's parameter names, else x or x0, x1, ...).
        method: "central", "richardson" or "complex-step" (see the module docstring).
        eps: the central-difference step h (also for the kink and jump test).
        atol, rtol: the tolerance.
        directions: 0 checks every element (2 evaluations of f each); k > 0 checks k random unit directions u
            (the derivative along u against gradient . u): cheap for big arrays, but it does not say which
            element is wrong.
        seed: the seed of the random directions.
        raise_exception: raise `GradcheckError` (an AssertionError naming every wrong element) on a failure;
            else return the result.

    Returns a `GradcheckResult`: truthy when every derivative passes; prints as a table (HTML in Jupyter).
    """
    def analytic(arguments, x_copy, y_shape):
        return [[g for flat in _derivatives("check_gradient", "grad_f", grad_f(*x_copy()), arguments) for g in flat]]

    def one_number(flat: list) -> list:
        if len(flat) != 1:
            raise ValueError(f"check_gradient: f must return one number (a loss), but it returned "
                             f"{len(flat)} numbers; use check_jacobian or check_backward for a vector result")
        return flat

    return _check("check_gradient", f, x, names, ("grad_f", grad_f, 0), one_number, analytic, None, eps, atol,
                  rtol, method, directions, seed, raise_exception)


def check_jacobian(f: Callable, jac_f: Callable, x, *, names=None, method: str = "central", eps: float = 1e-6,
                   atol: float = 1e-5, rtol: float = 1e-3, directions: int = 0, seed: int = 0,
                   raise_exception: bool = True) -> GradcheckResult:
    """Check a hand-written Jacobian `jac_f` of a function `f` with several numbers as result.

    J[i, j] = d y[i] / d x[j], with the shape y.shape + x.shape (as torch.autograd.functional.jacobian and
    jax.jacobian): for y of shape (2,) and x of shape (3, 4), J has shape (2, 3, 4). Each element is compared
    with finite differences; a row of the table is one `d y[i] / d x[j]`.

        check_jacobian(lambda x: np.tanh(x), lambda x: np.diag(1 - np.tanh(x) ** 2), np.array([0.1, 0.2]))

    Arguments:
        f: f(x) -> a number, a list or an array y; with several arguments f(*x).
        jac_f: jac_f(x) -> the Jacobian (nested lists or an array) of shape y.shape + x.shape; with several
            arguments a tuple with one Jacobian per argument.
        x, names, method, eps, atol, rtol, directions, seed, raise_exception: as in `check_gradient`.
    """
    def analytic(arguments, x_copy, y_shape):
        flats = _derivatives("check_jacobian", "jac_f", jac_f(*x_copy()), arguments, y_shape.shape)
        n = y_shape.size
        return [[d for shaped, flat in zip(arguments, flats) for d in flat[k * shaped.size:(k + 1) * shaped.size]]
                for k in range(n)]

    def row_name(y_name: str, k: int, name: str) -> str:
        return f"d {y_name} along {name}" if directions else f"d {y_name} / d {name}"

    return _check("check_jacobian", f, x, names, ("jac_f", jac_f, 0), lambda flat: flat, analytic, row_name, eps,
                  atol, rtol, method, directions, seed, raise_exception)


def check_backward(f: Callable, backward: Callable, x, *, names=None, cotangents: int = 2,
                   method: str = "central", eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                   directions: int = 0, seed: int = 0, raise_exception: bool = True) -> GradcheckResult:
    """Check a hand-written backward pass: `backward(x, g)` must return the gradient of <g, f(x)> with respect
    to x (a vector-Jacobian product g^T J, what a layer's backward computes from the gradient g arriving at
    its output).

    For `cotangents` seeded random g (standard normal, of y's shape), each element of backward(x, g) is
    compared with finite differences of <g, f(x)> = sum_i g[i] y[i]. A row is `d<g0, y>/d x[j]`. A bug that
    shows for every g (a missing 1/M, a transposed matrix) fails with the first g already.

        def f(W, X):    return W @ X                  # a linear layer, Z = W X
        def backward(W, X, G): return G @ X.T, W.T @ G   # dL/dW = G X^T, dL/dX = W^T G
        check_backward(f, backward, (W, X))

    Arguments:
        f: f(x) -> a number, a list or an array y; with several arguments f(*x).
        backward: backward(x, g) -> the gradient of <g, y> with respect to x, of x's shape; with several
            arguments backward(*x, g) -> a tuple with one gradient per argument.
        cotangents: how many random g (each costs one call of backward, no evaluation of f).
        x, names, method, eps, atol, rtol, directions, seed, raise_exception: as in `check_gradient`; seed
            also seeds the g.
    """
    if not isinstance(cotangents, int) or isinstance(cotangents, bool) or cotangents < 1:
        raise ValueError(f"check_backward: cotangents = {cotangents!r} must be an int >= 1 (the number of random g)")
    rng = random.Random(seed)
    gs: list[list[float]] = []

    def outputs(flat: list) -> list:
        if not gs:  # the first call, at the point: draw the g, now that y's size is known
            gs.extend([rng.gauss(0.0, 1.0) for _ in flat] for _ in range(cotangents))
        return [sum(gi * yi for gi, yi in zip(g, flat)) for g in gs]  # <g, y>

    def analytic(arguments, x_copy, y_shape):
        rows = []
        for g in gs:
            returned = backward(*x_copy(), y_shape.build(g))
            rows.append([d for flat in _derivatives("check_backward", "backward", returned, arguments)
                         for d in flat])
        return rows

    def row_name(y_name: str, k: int, name: str) -> str:
        return f"d<g{k}, y> along {name}" if directions else f"d<g{k}, y>/d {name}"

    return _check("check_backward", f, x, names, ("backward", backward, 1), outputs, analytic, row_name, eps,
                  atol, rtol, method, directions, seed, raise_exception)
