"""Gradient checking: the engine's derivatives against finite differences, input by input.

    from autograd import gradcheck
    gradcheck(lambda x, y: x * y.sin(), [1.5, 0.3])   # a table; raises GradcheckError if a derivative is wrong

The numeric derivative of f along a direction u (the unit vector e_i for input i) comes from evaluating f at
x - h u, x and x + h u, rebuilding the graph each time, in float64:

    left  = (f(x) - f(x - h u)) / h              right = (f(x + h u) - f(x)) / h
    central = (f(x + h u) - f(x - h u)) / (2 h)   (error O(h^2): the number compared with the engine)

and a derivative passes when |analytic - numeric| <= atol + rtol * |numeric| (as torch.autograd.gradcheck).

Kinks. Where f is smooth, right - left = f''(x) h + O(h^3): the gap between the one-sided slopes shrinks in
proportion to h. At a kink (relu or abs at 0) the gap is the jump in slope and does not shrink. So when left and
right differ by more than the tolerance, f is also evaluated at x -+ h/2, and the point is
- smooth if gap(h) = 2 gap(h/2) within the tolerance (just strong curvature): the central difference is used;
- a jump ("jump") if f itself jumps (step at 0): the one-sided slopes grow like 1/h when h halves, so there is
  no derivative to check, and the engine's value (a convention) passes;
- a kink ("kink") otherwise: the engine's value passes if it lies between the lowest and highest one-sided slope
  (a valid subgradient: relu'(0) = 0 lies in [0, 1]), and fails ("kink FAIL") outside them.
A kink less than h away from x is seen the same way, so near a kink the check only asks for a subgradient.

Also here: `gradgradcheck` (second derivatives), `gradcheck_model` (every parameter of a model), `eps_sweep`
(finite-difference error against the step size).
"""

from __future__ import annotations

import html
import inspect
import math
import numbers
import random
from dataclasses import dataclass
from typing import Callable, Sequence

from ._errors import real_number
from .engine import AutogradError, Value, grad, topological_order

PASSING_VERDICTS = ("ok", "kink", "jump")
ATOL, RTOL = 1e-5, 1e-3  # the default tolerance of every check


class GradcheckError(AssertionError):
    """A derivative disagrees with finite differences.

    An `AssertionError`, like `numpy.testing.assert_allclose`: a failed check is a failed assertion about the
    code under test, so pytest reports it as a test failure. The message names every failing derivative and
    ends with the whole table; `.result` is the `GradcheckResult`.
    """

    def __init__(self, result: GradcheckResult):
        self.result = result
        lines = [f"{result.title}: {len(result.failures)} of {_count(len(result.rows), 'derivative')} wrong"]
        for row in result.failures:
            lines.append(f"  {result.column} {row.index} ({row.name}): {row.explanation()}")
        if result.hint:
            lines.append(result.hint)
        super().__init__("\n".join(lines) + "\n\n" + str(result))


@dataclass
class Comparison:
    """One derivative compared: a row of the result table."""

    index: str                 # "1" for input 1 (or random direction 1), "0,1" for d2f/dx0 dx1
    name: str                  # "x1", "d2f/dx0 dx1", "u1" (random direction 1)
    value: float | None        # the input's value (None for a random direction)
    analytic: float            # the engine's derivative
    numeric: float             # the central difference
    one_sided: tuple[float, float] | None  # (lowest, highest) one-sided slope where f has a kink or a jump
    abs_error: float           # |analytic - numeric|; at a kink, the distance from the one-sided range
    rel_error: float           # abs_error / |numeric|
    tolerance: float           # atol + rtol * |numeric|
    verdict: str               # "ok", "FAIL", "kink", "kink FAIL" or "jump"
    note: str = ""

    @property
    def passed(self) -> bool:
        """True for the verdicts "ok", "kink" (a valid subgradient) and "jump" (nothing to check)."""
        return self.verdict in PASSING_VERDICTS

    def explanation(self) -> str:
        """Why this row failed, in a sentence for the error message: the two numbers and the tolerance, or
        the one-sided slopes at a kink; with the row's note."""
        if self.verdict == "kink FAIL" and self.one_sided is not None:
            low, high = self.one_sided
            return (f"f has a kink here, with one-sided slopes from {low:.8g} to {high:.8g}, and the analytic "
                    f"derivative {self.analytic:.8g} is not between them")
        text = (f"analytic {self.analytic:.8g}, numeric {self.numeric:.8g}, |difference| {self.abs_error:.3g} > "
                f"tolerance {self.tolerance:.3g}")
        return f"{text}; {self.note}" if self.note else text


class GradcheckResult:
    """The outcome of a check: truthy when every derivative passes; prints as a table, and as an HTML table
    in Jupyter.

    Attributes: `rows` (a list of `Comparison`), `failures` (the rows that failed), `title`, `column` (what a
    row is: "input", "second derivative", "direction", "parameter"), `hint` (advice printed after the table).
    """

    HEADERS = ("value", "analytic", "numeric", "abs error", "rel error", "verdict")

    def __init__(self, title: str, column: str, rows: list[Comparison], hint: str = ""):
        self.title = title
        self.column = column
        self.rows = rows
        self.hint = hint

    def __bool__(self) -> bool:
        """True when every derivative passed, so `assert gradcheck(...)` reads as it should."""
        return not self.failures

    @property
    def failures(self) -> list[Comparison]:
        """The rows whose verdict is "FAIL" or "kink FAIL", in table order."""
        return [row for row in self.rows if not row.passed]

    def summary(self) -> str:
        """One line: how many derivatives were checked, and the names of the wrong ones."""
        if self.failures:
            names = ", ".join(row.name for row in self.failures)
            return f"FAILED: {len(self.failures)} of {_count(len(self.rows), 'derivative')} wrong: {names}"
        return f"passed: {_count(len(self.rows), 'derivative')} checked, all agree with finite differences"

    def _cells(self) -> list[list[str]]:
        header = ["#", self.column, *self.HEADERS]
        body = [[row.index, row.name, _number(row.value), _number(row.analytic), _numeric_cell(row),
                 _error(row.abs_error), _error(row.rel_error), row.verdict] for row in self.rows]
        return [header, *body]

    def _notes(self) -> list[str]:
        return [f"{row.name}: {row.note}" for row in self.rows if row.note]

    def __str__(self) -> str:
        cells = self._cells()
        widths = [max(len(line[c]) for line in cells) for c in range(len(cells[0]))]
        lines = [self.title]
        for line in cells:
            padded = [text.ljust(w) if c in (1, 7) else text.rjust(w)
                      for c, (text, w) in enumerate(zip(line, widths))]
            lines.append("  ".join(padded).rstrip())
        lines.extend(self._notes())
        lines.append(self.summary())
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        cells = self._cells()
        head = "".join(f"<th>{html.escape(text)}</th>" for text in cells[0])
        body = []
        for row, line in zip(self.rows, cells[1:]):
            style = "" if row.passed else ' style="color:#b00;font-weight:bold"'
            body.append(f"<tr{style}>" + "".join(f"<td>{html.escape(text)}</td>" for text in line) + "</tr>")
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in self._notes())
        return (f"<div><p><b>{html.escape(self.title)}</b></p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>{f'<ul>{notes}</ul>' if notes else ''}"
                f"<p>{html.escape(self.summary())}</p></div>")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _number(x: float | None) -> str:
    return "-" if x is None else f"{x:.8g}"


def _error(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:.2e}"


def _numeric_cell(row: Comparison) -> str:
    if row.one_sided is None:
        return _number(row.numeric)
    low, high = row.one_sided
    return f"[{low:.6g}, {high:.6g}]"


# ---------------------------------------------------------------------------------------------------------
# Finite differences along one direction, and the verdict on one derivative.

class _Line:
    """f along the line point + t u: the outputs at t = -h, +h (and at -h/2, +h/2 when asked), remembered."""

    def __init__(self, who: str, evaluate: Callable, point: list[float], u: list[float], name: str,
                 value: float | None, at_zero: list[float]):
        self.who, self.evaluate, self.point, self.u = who, evaluate, point, u
        self.name, self.value = name, value
        self.outputs = {0.0: at_zero}

    def at(self, t: float) -> list[float]:
        if t not in self.outputs:
            moved = [x + t * d for x, d in zip(self.point, self.u)]
            try:
                self.outputs[t] = self.evaluate(moved)
            except (ArithmeticError, ValueError) as e:
                raise AutogradError(f"{self.who}: evaluating at {self._where(t)} failed: {e}\nThe finite-"
                                    "difference step leaves the domain of the function: use a smaller eps or "
                                    "a point farther from the boundary") from None
        return self.outputs[t]

    def _where(self, t: float) -> str:
        sign = "+" if t > 0 else "-"
        if self.value is None:
            return f"the point {sign} {abs(t):g} * {self.name}"
        return f"{self.name} = {self.value!r} {sign} {abs(t):g}"

    def slopes(self, h: float, k: int) -> tuple[float, float, float]:
        """(left, right, central) difference quotients of output k with step h."""
        minus, zero, plus = self.at(-h)[k], self.at(0.0)[k], self.at(h)[k]
        left = (zero - minus) / h  # (f(x) - f(x - h)) / h
        right = (plus - zero) / h  # (f(x + h) - f(x)) / h
        central = (plus - minus) / (2 * h)  # (f(x + h) - f(x - h)) / 2h
        return left, right, central


def _tolerance(reference: float, atol: float, rtol: float) -> float:
    return atol + rtol * abs(reference)  # |analytic - numeric| <= atol + rtol |numeric|


def _relative(abs_error: float, reference: float) -> float:
    if abs_error == 0:
        return 0.0
    return abs_error / abs(reference) if reference != 0 else math.inf


def _judge(analytic: float, line: _Line, k: int, h: float, atol: float, rtol: float, index: str,
           name: str, estimate: Callable | None = None) -> Comparison:
    """Compare one analytic derivative with the finite differences of output k along the line.

    `estimate(line, k) -> (numeric, note)` replaces the central difference where f is smooth (the more
    accurate methods of `autograd.numeric`). Whether f is smooth is judged with at least the default
    tolerance: the rounding noise of the one-sided slopes does not shrink with a tighter atol or rtol.
    """
    left, right, central = line.slopes(h, k)
    gap = right - left
    gap_tolerance = _tolerance(max(abs(left), abs(right)), max(atol, ATOL), max(rtol, RTOL))
    if abs(gap) > gap_tolerance:
        left2, right2, _ = line.slopes(h / 2, k)
        if abs(gap - 2 * (right2 - left2)) > gap_tolerance:  # the gap does not shrink like f'' h: not smooth
            slopes = (left, right, left2, right2)
            if max(abs(left2), abs(right2)) > 1.5 * max(abs(left), abs(right)):  # slopes grow like jump / h
                return Comparison(index, name, line.value, analytic, central, (min(slopes), max(slopes)),
                                  math.nan, math.nan, math.nan, "jump",
                                  "f jumps here: it has no derivative, so the analytic value is not checked")
            return _kink(analytic, central, slopes, atol, rtol, index, name, line.value)
    numeric, note = estimate(line, k) if estimate else (central, "")
    abs_error = abs(analytic - numeric)
    tolerance = _tolerance(numeric, atol, rtol)
    verdict = "ok" if abs_error <= tolerance else "FAIL"  # written so that a NaN analytic value fails
    return Comparison(index, name, line.value, analytic, numeric, None, abs_error, _relative(abs_error, numeric),
                      tolerance, verdict, note)


def _kink(analytic: float, central: float, slopes: tuple, atol: float, rtol: float, index: str, name: str,
          value: float | None) -> Comparison:
    """At a kink every value between the one-sided slopes is a valid subgradient."""
    low, high = min(slopes), max(slopes)
    tolerance = _tolerance(max(abs(low), abs(high)), atol, rtol)
    abs_error = max(low - analytic, analytic - high, 0.0)  # distance from [low, high]
    row = Comparison(index, name, value, analytic, central, (low, high), abs_error,
                     _relative(abs_error, max(abs(low), abs(high))), tolerance, "kink FAIL")
    if abs_error <= tolerance:
        row.verdict = "kink"
        row.note = (f"not differentiable here; the analytic value lies between the one-sided slopes {low:.6g} "
                    f"and {high:.6g}")
    return row


def _compare(who: str, evaluate: Callable, point: list[float], at_point: list[float], analytic: list[list[float]],
             directions: list[tuple], eps: float, atol: float, rtol: float,
             label: Callable | None = None, estimate: Callable | None = None) -> list[Comparison]:
    """Every output's analytic derivative along every direction against finite differences.

    Arguments:
        evaluate: list of floats (a point) -> list of floats (the outputs there), rebuilding the graph.
        at_point: evaluate(point), already computed.
        analytic: analytic[k][i] = d output k / d input i from the engine.
        directions: (index, name, value, u) per direction: u a unit vector, value the input's value or None.
        label: (output k, direction index, direction name) -> the row's (index, name), when there are
            several outputs (gradgradcheck); otherwise a row is labelled as its direction.
        estimate: (line, output k) -> (numeric derivative, note) where f is smooth; default the central
            difference.
    """
    rows_by_output: list[list[Comparison]] = [[] for _ in analytic]
    for index, name, value, u in directions:
        line = _Line(who, evaluate, point, u, name, value, at_point)
        for k, gradient in enumerate(analytic):
            along = sum(g * d for g, d in zip(gradient, u) if d)  # analytic derivative along u: gradient . u
            row_index, row_name = label(k, index, name) if label else (index, name)
            rows_by_output[k].append(_judge(along, line, k, eps, atol, rtol, row_index, row_name, estimate))
    return [row for rows in rows_by_output for row in rows]


def _directions(point: list[float], names: list[str], directions: int, seed: int) -> list[tuple]:
    """The unit vector of each input, or `directions` seeded random unit vectors."""
    n = len(point)
    if directions == 0:
        return [(str(i), names[i], point[i], [1.0 if j == i else 0.0 for j in range(n)]) for i in range(n)]
    rng = random.Random(seed)
    result = []
    for k in range(directions):
        u = [rng.gauss(0.0, 1.0) for _ in range(n)]
        length = math.sqrt(sum(d * d for d in u))
        result.append((str(k), f"u{k}", None, [d / length for d in u]))
    return result


# ---------------------------------------------------------------------------------------------------------
# Checking the arguments, and calling the user's function.

def _check_inputs(who: str, inputs) -> list[float]:
    if isinstance(inputs, (numbers.Real, Value)):
        inputs = [inputs]
    if hasattr(inputs, "tolist"):  # a numpy array
        inputs = inputs.tolist()
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"{who}: inputs must be a list of numbers, one per argument of f, not "
                        f"{type(inputs).__name__} {inputs!r}")
    if not inputs:
        raise ValueError(f"{who}: inputs is empty; give one number per argument of f")
    point = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            raise TypeError(f"{who}: inputs[{i}] is a Value ({x!r}); give plain numbers (its .data): {who} builds "
                            "new Values for each evaluation")
        point.append(real_number(x, f"{who}: inputs[{i}]", error=ValueError))
    return point


def _input_names(who: str, names, n: int) -> list[str]:
    if names is None:
        return [f"x{i}" for i in range(n)]
    names = list(names)
    if len(names) != n or not all(isinstance(name, str) for name in names):
        raise ValueError(f"{who}: names must be {n} strings, one per input; got {names!r}")
    return names


def _check_settings(who: str, eps: float, atol: float, rtol: float, directions: int) -> None:
    if real_number(eps, f"{who}: eps", error=ValueError) <= 0:
        raise ValueError(f"{who}: eps = {eps!r} must be a positive number (the finite-difference step)")
    for setting, x in (("atol", atol), ("rtol", rtol)):
        if real_number(x, f"{who}: {setting}", error=ValueError) < 0:
            raise ValueError(f"{who}: {setting} = {x!r} must be a number >= 0")
    if not isinstance(directions, int) or isinstance(directions, bool) or directions < 0:
        raise ValueError(f"{who}: directions = {directions!r} must be an int >= 0 (0 checks every input)")


def _check_function(who: str, what: str, f, n: int, names: Sequence[str]) -> None:
    """f must be callable with n positional arguments (one per input), checked before any call."""
    if not callable(f):
        raise TypeError(f"{who}: {what} must be a function, not {type(f).__name__} {f!r}")
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):  # a builtin without a signature: its own error will do
        return
    try:
        signature.bind(*range(n))
    except TypeError as e:
        given = ", ".join(names)
        raise TypeError(f"{who}: {what}{signature} cannot take the {_count(n, 'argument')} {given} ({e}); "
                        f"give it one parameter per input") from None


def _checked_output(who: str, out, what: str) -> Value:
    if not isinstance(out, Value):
        raise TypeError(f"{who}: {what} must return a Value, but it returned {type(out).__name__} {out!r}. "
                        "Build the result from the Values it is given, without float() or .data")
    return out


def _call(who: str, f: Callable, point: list[float], names: list[str]) -> tuple[list[Value], Value]:
    """Fresh leaf Values at the point, and f of them: a new graph for each evaluation."""
    values = [Value(x, label=name) for x, name in zip(point, names)]
    return values, _checked_output(who, f(*values), "f")


def _gradient(output: Value, inputs: list[Value]) -> list[float]:
    """d output / d input; all zeros when output is a constant."""
    if not output.requires_grad:
        return [0.0] * len(inputs)
    return grad(output, inputs)


LEFT_THE_GRAPH = ("a value left the graph: usually float() or the math module (math.exp(x) instead of x.exp()), "
                  "or .data or a new Value(...), turned a Value into a plain number the engine cannot "
                  "differentiate")


def _explain(rows: list[Comparison], directions: list[tuple], inputs: list[Value], output: Value,
             rebuild: Callable, point: list[float], eps: float) -> None:
    """Notes on inputs that the result does not depend on, and on failures caused by a value that left
    the graph.

    A value leaves the graph when f turns a Value into a plain number (math.exp(x) works through
    Value.__float__) and goes on with it: the number becomes a constant of the graph. So f is rebuilt one
    step along the failing row's direction: constants (and stray leaves) that change with the input carry
    a dependence that backpropagation cannot see.

    Arguments:
        rows, directions: the rows of `_compare` and their directions (one output).
        inputs, output: the graph at the point.
        rebuild: point -> (the input Values, the output Value), a new graph.
    """
    reached = set(topological_order(output)) if output.requires_grad else set()
    before = _outside_leaves(output, inputs)
    for i, (row, (_, name, value, u)) in enumerate(zip(rows, directions)):
        unreached = value is not None and inputs[i] not in reached  # value is None for a random direction
        if row.passed and unreached:
            row.note = "the result does not depend on this input (gradient 0)"
        if row.verdict != "FAIL":
            continue
        moved_inputs, moved = rebuild([p + eps * d for p, d in zip(point, u)])
        after = _outside_leaves(moved, moved_inputs)
        changed = [(a, b) for a, b in zip(before, after) if a != b] if len(after) == len(before) else []
        if not (changed or unreached):
            continue  # a wrong local derivative, most likely
        if unreached:
            text = f"the graph of the result does not contain {name}, yet the result changes with it"
        else:
            text = f"the result depends on {name} by fewer paths than the numeric derivative shows"
        if changed:
            a, b = changed[0]
            text += (f": {_count(len(changed), 'number')} in its graph not connected to {name} changed when "
                     f"{name} moved ({a:.8g} -> {b:.8g})")
        row.note = f"{text}; {LEFT_THE_GRAPH}"


def _outside_leaves(output: Value, inputs: list[Value]) -> list[float]:
    """The numbers of the leaves of output's graph other than the inputs (its constants), in the order of
    a depth-first walk, so that two graphs built by the same code list them in the same order."""
    seen, leaves, stack = set(inputs), [], [output]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if not node.parents:
            leaves.append(node.data)
        stack.extend(reversed(node.parents))
    return leaves


def _finish(result: GradcheckResult, raise_exception: bool) -> GradcheckResult:
    if raise_exception and not result:
        raise GradcheckError(result)
    return result


def _title(who: str, n: int, what: str, eps: float, atol: float, rtol: float, directions: int) -> str:
    where = _count(directions, "random direction") if directions else _count(n, what)
    return f"{who}: {where}, eps={eps:g}, atol={atol:g}, rtol={rtol:g}"


# ---------------------------------------------------------------------------------------------------------
# The public functions.

def gradcheck(f: Callable[..., Value], inputs: Sequence[float], *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, names: Sequence[str] | None = None,
              directions: int = 0, seed: int = 0) -> GradcheckResult:
    """Check the engine's gradient of `f` at `inputs` against central finite differences, input by input.

    Arguments:
        f: takes one `Value` per input number and returns a `Value`. It is called again for every evaluation,
            so it must rebuild its graph from the Values it is given.
        inputs: the point, a list of real numbers (one per argument of f), used as float64.
        eps: the finite-difference step h.
        atol, rtol: a derivative passes when |analytic - numeric| <= atol + rtol * |numeric|.
        raise_exception: raise `GradcheckError` (with the table) if a derivative fails; else return the result.
        names: labels of the inputs in the table and in f's graph (default x0, x1, ...).
        directions: 0 checks each input (2 evaluations per input); k > 0 checks k random unit directions u
            instead (2 evaluations each): the derivative along u against the gradient . u.
        seed: the seed of the random directions.

    Returns a `GradcheckResult`: truthy when all pass, printed as a table. At a kink (relu at 0) the check
    passes if the gradient lies between the one-sided slopes (see the module docstring). An input that the
    result does not depend on has gradient 0 and passes. A failure caused by a value that left the graph
    (`math.exp(x)` instead of `x.exp()`) is explained in the row's note.

    Cost: 2n + 1 evaluations of f for n inputs, each rebuilding the graph, so the time grows like n times
    the graph's size: 1,000 inputs of a 3,000-node graph mean 2,001 rebuilds (5.0 s measured on the 2-core
    development machine, against 0.05 s for the 21 rebuilds of `directions=10`). For many inputs, check a
    few random directions first (`directions=k`), and input by input only to find which input is wrong.
    """
    point = _check_inputs("gradcheck", inputs)
    names = _input_names("gradcheck", names, len(point))
    _check_settings("gradcheck", eps, atol, rtol, directions)
    _check_function("gradcheck", "f", f, len(point), names)
    values, out = _call("gradcheck", f, point, names)

    def evaluate(at: list[float]) -> list[float]:
        return [_call("gradcheck", f, at, names)[1].data]

    lines = _directions(point, names, directions, seed)
    rows = _compare("gradcheck", evaluate, point, [out.data], [_gradient(out, values)], lines, eps, atol, rtol)
    _explain(rows, lines, values, out, lambda at: _call("gradcheck", f, at, names), point, eps)
    title = _title("gradcheck", len(point), "input", eps, atol, rtol, directions)
    result = GradcheckResult(title, "direction" if directions else "input", rows, _cost_hint(len(point), directions))
    return _finish(result, raise_exception)


def _cost_hint(n: int, directions: int) -> str:
    if directions or n < 100:
        return ""
    return (f"Checking {n} inputs one by one needs {2 * n + 1} evaluations of f; directions=k checks k random "
            "directions with 2k + 1 (then check input by input only to find which one is wrong)")


def gradgradcheck(f: Callable[..., Value], inputs: Sequence[float], *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, raise_exception: bool = True, names: Sequence[str] | None = None,
                  directions: int = 0, seed: int = 0) -> GradcheckResult:
    """Check the engine's second derivatives of `f` against finite differences of its first derivatives.

    The analytic d2f/dxi dxj comes from differentiating `grad(f, inputs, create_graph=True)` again; the numeric
    one is the central difference of the engine's df/dxi when xj moves. Every custom operation in f must give
    its local_grads as Values (see `Value`) to take part.

    Arguments: as `gradcheck`; a row is one second derivative "d2f/dxi dxj" (or, with `directions`, the
    derivative of df/dxi along a random direction).
    """
    point = _check_inputs("gradgradcheck", inputs)
    names = _input_names("gradgradcheck", names, len(point))
    _check_settings("gradgradcheck", eps, atol, rtol, directions)
    _check_function("gradgradcheck", "f", f, len(point), names)
    values, out = _call("gradgradcheck", f, point, names)
    hessian = [_gradient(g, values) for g in _gradient_graph(out, values)]

    def evaluate(at: list[float]) -> list[float]:  # the engine's first derivatives at a moved point
        moved, moved_out = _call("gradgradcheck", f, at, names)
        return _gradient(moved_out, moved)

    def label(k: int, index: str, name: str) -> tuple[str, str]:
        return f"{k},{index}", f"d(df/d{names[k]}) along {name}" if directions else f"d2f/d{names[k]} d{name}"

    rows = _compare("gradgradcheck", evaluate, point, evaluate(point), hessian,
                    _directions(point, names, directions, seed), eps, atol, rtol, label)
    title = _title("gradgradcheck", len(point) ** 2, "second derivative", eps, atol, rtol, directions)
    return _finish(GradcheckResult(title, "second derivative", rows), raise_exception)


def _gradient_graph(output: Value, inputs: list[Value]) -> list[Value]:
    """d output / d input as Values that can be differentiated again; constant zeros for a constant output."""
    if not output.requires_grad:
        return [Value(0.0, requires_grad=False) for _ in inputs]
    return grad(output, inputs, create_graph=True)


def gradcheck_model(model, loss_fn: Callable, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                    raise_exception: bool = True, directions: int = 0, seed: int = 0) -> GradcheckResult:
    """Check the gradient of a loss with respect to every parameter of a model at once.

    Arguments:
        model: any object with a `parameters()` method returning its parameter `Value`s (an `nn.MLP`, or your
            own class). Parameters with requires_grad=False are left out; a parameter listed twice (a shared
            weight) is checked once.
        loss_fn: `loss_fn(model) -> Value`, e.g. `lambda m: F.mse_half(m(xs), ys)`; it is called for every
            evaluation, with one parameter's `.data` moved by +-eps (restored afterwards).
        eps, atol, rtol, raise_exception, directions, seed: as in `gradcheck`.

    Rows are named by the parameters' labels (e.g. "w13", "b3"), or p0, p1, ... for unlabelled ones.
    """
    params = _model_parameters(model)
    names = [p.label or f"p{i}" for i, p in enumerate(params)]
    _check_settings("gradcheck_model", eps, atol, rtol, directions)
    _check_function("gradcheck_model", "loss_fn", loss_fn, 1, ["model"])
    point = [p.data for p in params]
    out = _checked_output("gradcheck_model", loss_fn(model), "loss_fn(model)")

    def rebuild(at: list[float]) -> tuple[list[Value], Value]:  # the loss with the parameters moved to `at`
        for p, x in zip(params, at):
            p.data = x
        try:
            return params, _checked_output("gradcheck_model", loss_fn(model), "loss_fn(model)")
        finally:
            for p, x in zip(params, point):
                p.data = x

    def evaluate(at: list[float]) -> list[float]:
        return [rebuild(at)[1].data]

    lines = _directions(point, names, directions, seed)
    rows = _compare("gradcheck_model", evaluate, point, [out.data], [_gradient(out, params)], lines, eps, atol,
                    rtol)
    _explain(rows, lines, params, out, rebuild, point, eps)
    title = _title("gradcheck_model", len(params), "parameter", eps, atol, rtol, directions)
    result = GradcheckResult(title, "direction" if directions else "parameter", rows,
                             _cost_hint(len(params), directions))
    return _finish(result, raise_exception)


def _model_parameters(model) -> list[Value]:
    if not callable(getattr(model, "parameters", None)):
        raise TypeError(f"gradcheck_model: the model must have a parameters() method; got "
                        f"{type(model).__name__}")
    params = []
    for p in dict.fromkeys(model.parameters()):  # a shared weight appears once
        if not isinstance(p, Value):
            raise TypeError(f"gradcheck_model: model.parameters() must give Values; got {type(p).__name__} {p!r}")
        if not math.isfinite(p.data):
            raise ValueError(f"gradcheck_model: parameter {p.label or '(unlabelled)'} = {p.data!r} is not finite")
        if p.requires_grad:
            params.append(p)
    if not params:
        raise ValueError("gradcheck_model: the model has no parameters that require a gradient")
    return params


@dataclass
class EpsSweep:
    """The finite-difference estimate of one derivative for a range of steps eps, against the engine's value.

    Large eps: truncation error (about f''' eps^2 / 6 for central differences, f'' eps / 2 for forward ones).
    Small eps: rounding error (about ulp(f) / eps): the best eps lies in between.
    """

    name: str
    value: float
    analytic: float
    method: str
    eps: list[float]
    numeric: list[float]
    error: list[float]  # |numeric - analytic|

    def __str__(self) -> str:
        lines = [f"eps sweep of df/d{self.name} at {self.name} = {self.value!r} ({self.method} differences), "
                 f"analytic {self.analytic!r}", f"{'eps':>8}  {'numeric':>22}  {'error':>9}"]
        for eps, numeric, error in zip(self.eps, self.numeric, self.error):
            lines.append(f"{eps:8.0e}  {numeric:22.17g}  {error:9.2e}")
        return "\n".join(lines)

    def plot(self, ax=None):
        """Plot the error against eps on log-log axes (needs matplotlib); returns the axes.

        Arguments:
            ax: matplotlib axes to draw on (default: a new figure).
        """
        import matplotlib.pyplot as plt

        if ax is None:
            ax = plt.figure(figsize=(6, 4)).gca()
        errors = [e if e > 0 else math.nan for e in self.error]  # an exact 0 has no place on a log scale
        ax.loglog(self.eps, errors, "o-", label=f"{self.method} differences")
        ax.set_xlabel("eps (finite-difference step)")
        ax.set_ylabel("|numeric - analytic|")
        ax.set_title(f"{self.method} differences of df/d{self.name} at {self.name} = {self.value:g}")
        ax.grid(True, which="major", alpha=0.3)
        return ax


def eps_sweep(f: Callable[..., Value], inputs: Sequence[float], index: int = 0, *,
              eps_values: Sequence[float] | None = None, method: str = "central",
              names: Sequence[str] | None = None) -> EpsSweep:
    """The finite-difference error of df/d inputs[index] for eps from 1e-1 to 1e-12 (or `eps_values`).

    Arguments:
        f, inputs, names: as in `gradcheck`.
        index: which input's derivative to study.
        eps_values: the steps to try (default 1e-1, 1e-2, ..., 1e-12).
        method: "central" (f(x+h) - f(x-h)) / 2h, error O(h^2), or "forward" (f(x+h) - f(x)) / h, error O(h).

    Returns an `EpsSweep` with lists `eps`, `numeric` and `error` (against the engine's gradient), a printed
    table and `.plot()`.
    """
    point = _check_inputs("eps_sweep", inputs)
    names = _input_names("eps_sweep", names, len(point))
    if not isinstance(index, int) or not 0 <= index < len(point):
        raise ValueError(f"eps_sweep: index = {index!r} must be an input position, 0 to {len(point) - 1}")
    if method not in ("central", "forward"):
        raise ValueError(f"eps_sweep: method = {method!r} must be 'central' or 'forward'")
    eps_values = [10.0 ** -k for k in range(1, 13)] if eps_values is None else list(eps_values)
    for eps in eps_values:
        _check_settings("eps_sweep", eps, 0.0, 0.0, 0)
    _check_function("eps_sweep", "f", f, len(point), names)
    values, out = _call("eps_sweep", f, point, names)
    analytic = _gradient(out, values)[index]

    def evaluate(at: list[float]) -> list[float]:
        return [_call("eps_sweep", f, at, names)[1].data]

    _, name, value, u = _directions(point, names, 0, 0)[index]
    line = _Line("eps_sweep", evaluate, point, u, name, value, [out.data])
    numeric = []
    for eps in eps_values:
        left, right, central = line.slopes(eps, 0)
        numeric.append(central if method == "central" else right)
    return EpsSweep(name, value, analytic, method, eps_values, numeric, [abs(x - analytic) for x in numeric])
