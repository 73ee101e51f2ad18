"""Derivatives beyond the gradient: `hessian`, `jacobian` and the Hessian-vector product `hvp`.

Each function takes a function `f` written with the `Value` API and the point as plain numbers:

    from autograd import hessian
    hessian(lambda x, y: x**2 + x*y + (x + y)**2, [1.0, 2.0])   # [[4.0, 3.0], [3.0, 2.0]]  (f = 2x^2 + 3xy + y^2)

They are built on `grad(output, inputs, create_graph=True)`, which returns the derivatives as `Value`s: the
backward pass adds nodes describing the derivative to the graph (the book's symbol-to-symbol approach, file
003), so the derivative can be evaluated, drawn (`autograd.viz.draw_graph`) and differentiated again. Each
operation's local derivative is re-evaluated from its single rule in the engine's table, this time on
`Value`s, so second, third, ... derivatives need no new rule.

Custom operations and higher-order derivatives. A custom operation takes part only if its local derivatives
are `Value`s computed from its parents, so that the engine can differentiate them again:

    def cube(x):
        return Value(x.data ** 3, parents=(x,), local_grads=(3 * x * x,), op="cube")   # Value: works

A custom operation recorded with plain-number local derivatives, `local_grads=(3 * x.data ** 2,)`, works
for first derivatives, but `create_graph=True` through it (and so `hessian`, `hvp`, third derivatives) raises
`AutogradError` naming the operation: the derivative of a number is unknown.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import _modes, forward
from ._errors import argument_count, is_real, number_list, real_number
from .engine import Value, grad, linear


def hessian(f: Callable, inputs: Sequence[float]) -> list[list[float]]:
    """The matrix of second derivatives H[i][j] = d^2 f / dx_i dx_j at `inputs`, as nested lists of floats.

    Arguments:
        f: a function taking one `Value` per input and returning one `Value`.
        inputs: the point, a sequence of n numbers.

    One backward sweep with `create_graph=True` gives the gradient as `Value`s; one more sweep per
    gradient component gives a row of H: n + 1 sweeps in all.
    """
    xs = _leaves(inputs, "hessian()")
    y = _scalar_output(f, xs, "hessian()")
    gradient = _gradient(y, xs, create_graph=True)
    return [_gradient(g, xs) for g in gradient]


def hvp(f: Callable, inputs: Sequence[float], vector: Sequence[float]) -> list[float]:
    """The Hessian-vector product H v at `inputs`, without building the whole Hessian.

    Arguments:
        f: a function taking one `Value` per input and returning one `Value`.
        inputs: the point, a sequence of n numbers.
        vector: v, a sequence of n numbers.

    H v = grad(grad f . v): the gradient is built as a graph (one sweep with create_graph=True), dotted with
    v into one scalar node, which is differentiated once more. Two sweeps whatever n is, where the whole
    Hessian takes n + 1.
    """
    xs = _leaves(inputs, "hvp()")
    v = number_list(vector, "hvp(): vector")
    if len(v) != len(xs):
        raise ValueError(f"hvp(): {len(xs)} inputs but a vector of length {len(v)}; they must be equally long")
    y = _scalar_output(f, xs, "hvp()")
    gradient = _gradient(y, xs, create_graph=True)
    directional = linear(gradient, v)  # grad f . v, one node
    return _gradient(directional, xs)


def jacobian(f: Callable, inputs: Sequence[float], mode: str = "reverse") -> list[list[float]]:
    """The m x n matrix J[i][j] = d f_i / d x_j at `inputs`, as nested lists of floats.

    Arguments:
        f: a function taking one `Value` per input and returning a list of m `Value`s (a single `Value`
            counts as a list of one).
        inputs: the point, a sequence of n numbers.
        mode: "reverse": one backward sweep per output gives a row of J (m sweeps);
            "forward": one `jvp` per input gives a column of J (n sweeps). Choose the one with fewer sweeps.
    """
    points = number_list(inputs, "jacobian(): inputs")
    if mode == "reverse":
        xs = _leaves(points, "jacobian()")
        argument_count(f, len(xs), "jacobian()")
        outputs = _output_list(f(*xs), f, Value, "a Value")
        return [_gradient(y, xs) for y in outputs]
    if mode == "forward":
        argument_count(f, len(points), "jacobian()")
        columns = []
        for j in range(len(points)):
            direction = [1.0 if k == j else 0.0 for k in range(len(points))]  # the j-th unit vector
            _, column = forward.jvp(lambda *duals: _output_list(f(*duals), f, forward.Dual, "a Dual"),
                                    points, direction)
            columns.append(column)
        return [[column[i] for column in columns] for i in range(len(columns[0]))]
    raise ValueError(f"jacobian(): mode must be 'reverse' or 'forward', got {mode!r}")


def _leaves(inputs, where: str) -> list[Value]:
    points = number_list(inputs, f"{where}: inputs")
    return [Value(x, label=f"x{i + 1}") for i, x in enumerate(points)]


def _scalar_output(f: Callable, xs: list[Value], where: str) -> Value:
    argument_count(f, len(xs), where)
    y = f(*xs)
    if isinstance(y, Value):
        return y
    name = getattr(f, "__name__", repr(f))
    if is_real(y):  # f ignored its inputs: a constant (inf and nan allowed inside ieee_floats() only)
        return Value(real_number(y, f"{where}: the output of {name}", finite=not _modes.ieee), requires_grad=False)
    hint = " (for several outputs use jacobian())" if isinstance(y, (list, tuple)) else ""
    raise TypeError(f"{where}: {name} returned {y!r}; it must return one Value{hint}")


def _output_list(result, f: Callable, kind: type, kind_name: str) -> list:
    outputs = list(result) if isinstance(result, (list, tuple)) else [result]
    for i, y in enumerate(outputs):
        if is_real(y):  # an output that ignores the inputs
            y = real_number(y, f"jacobian(): output {i}", finite=not _modes.ieee)
            outputs[i] = kind(y) if kind is forward.Dual else Value(y, requires_grad=False)
        elif not isinstance(y, kind):
            name = getattr(f, "__name__", repr(f))
            raise TypeError(f"jacobian(): {name} returned {y!r} as output {i}; it must return {kind_name} "
                            "or a list of them")
    if not outputs:
        raise ValueError("jacobian(): f returned an empty list; it must return at least one output")
    return outputs


def _gradient(y: Value, xs: list[Value], create_graph: bool = False) -> list:
    """d y / d x for each x (one backward sweep, counted), or zeros if y does not depend on any input."""
    if not y.requires_grad:
        return [Value(0.0, requires_grad=False) if create_graph else 0.0 for _ in xs]
    forward.record_backward_sweep(y)
    return grad(y, xs, create_graph=create_graph)
