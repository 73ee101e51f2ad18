"""Error messages and the checks of a user's input, for the engine and the modules built on it.

The engine reaches this module by one call on each failing path (and for the checks of a node a user makes
with `Value(...)`), so none of this stands between a reader of `engine.py` and the algorithm. Messages name
the operation, the values and labels of the nodes involved, and, inside `detect_anomaly()`, where in the
user's code each node was made.

It does not import the engine: the node class is taken from the node being checked (`type(node)`).
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from types import FrameType
from typing import Any, Callable, NoReturn

from . import _modes
from ._modes import AutogradError
from ._ops import Op, _op, no_forward

# Frames in these folders are the library's own; a node's creation site is the first frame outside them.
_AUTOGRAD = os.path.dirname(os.path.abspath(__file__))
_LIBRARY = (_AUTOGRAD + os.sep, os.path.join(os.path.dirname(_AUTOGRAD), "nn") + os.sep)


# ---------------------------------------------------------------------------------------------------------
# Validators shared by the library's public functions (nn uses them too).

def real_number(x: Any, what: str, finite: bool = True, error: type[ValueError] = AutogradError,
                also: str = "") -> float:
    """`x` as a float, or a clear error naming `what` and the value: the one check of a number argument in
    autograd and nn (their callers add only context, and range checks such as lr > 0).

    Arguments:
        x: the value to check: an int or float (or another real number type: a Fraction, a numpy float), not a
            bool.
        what: the function and the argument, as the messages name them, e.g. "Dual(): primal" or "SGD(): lr".
        finite: also refuse inf, nan and integers beyond the float range (1.8e308); when False those give
            inf, -inf or nan.
        error: the class of the error for a number that is not finite: AutogradError (a ValueError, autograd's
            default) or ValueError (nn's).
        also: what else the caller accepts, for the message: "a Value" gives "must be a finite number or a
            Value".

    Raises TypeError for anything that is not a real number (a str, None, a bool, a complex, a Value).
    """
    if not isinstance(x, numbers.Real) or isinstance(x, bool):
        raise TypeError(f"{what} must be a {'finite' if finite else 'real'} number{' or ' + also if also else ''}"
                        f", got {shown_value(x)} ({type(x).__name__})")
    try:
        value = float(x)
    except OverflowError:  # an int (or a Fraction) beyond 1.8e308
        value = -math.inf if x < 0 else math.inf
    if finite and value - value != 0.0:  # inf or nan
        raise error(f"{what} must be a finite number{' or ' + also if also else ''}, got {shown_value(x)}")
    return value


def shown_value(x: Any) -> str:
    """repr(x) as an error message shows a value, but an integer too large for a float by its number of digits
    (its repr would fill the screen, and Python refuses one of more than 4,300 digits)."""
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        try:
            float(x)
        except OverflowError:
            return f"{'a negative' if x < 0 else 'an'} integer of {decimal_digits(int(x))} digits, too large " \
                   "for a float"
    try:
        return repr(x)
    except ValueError:  # a Fraction or a list holding an int of more than 4,300 digits
        return f"a {type(x).__name__} too large to show"


def decimal_digits(n: int) -> int:
    """The number of decimal digits of |n|, without str(n) (refused beyond 4,300 digits)."""
    n = abs(n)
    digits = max(1, int((n.bit_length() - 1) * 0.30102999566398120) + 1)  # 2^(bits - 1) <= n < 2^bits
    while n >= 10 ** digits:
        digits += 1
    while digits > 1 and n < 10 ** (digits - 1):
        digits -= 1
    return digits


def number_list(values: Any, what: str) -> list[float]:
    """`values` (a list, tuple or 1-D array of finite real numbers) as a list of floats, or a clear error.

    Arguments:
        values: the numbers to check.
        what: how to name them in an error message, e.g. "hessian(): inputs".
    """
    if isinstance(values, (numbers.Real, str, bytes)) or hasattr(values, "local_grads") or \
            not hasattr(values, "__iter__"):
        raise TypeError(f"{what} must be a sequence of numbers, got {values!r}")
    values = list(values)
    if not values:
        raise ValueError(f"{what} is empty; give at least one number")
    return [real_number(v, f"{what}[{i}]") for i, v in enumerate(values)]


def sequence(values: Any, what: str) -> list:
    """`values` as a list if it is a list-like collection (a str, a dict, a number or a Value is not)."""
    if isinstance(values, (str, bytes, dict, numbers.Number)) or hasattr(values, "local_grads") or \
            not hasattr(values, "__iter__"):
        raise TypeError(f"{what} must be a list or tuple, got {values!r} ({type(values).__name__})")
    return list(values)


def argument_count(f: Callable, n: int, where: str) -> None:
    """A TypeError naming `where` if `f` cannot be called with `n` positional arguments."""
    import inspect
    try:
        inspect.signature(f).bind(*range(n))
    except TypeError as e:
        name = getattr(f, "__name__", repr(f))
        raise TypeError(f"{where}: f = {name} cannot take the {n} input(s) as {n} arguments ({e})") from None
    except ValueError:  # a builtin without a signature: let the call itself tell
        pass


# ---------------------------------------------------------------------------------------------------------
# Where things happened, and how nodes are shown.

def user_site() -> tuple[str, int]:
    """(file, line) of the innermost frame of the caller's stack that is not inside autograd/ or nn/."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY):
        frame = frame.f_back
    if frame is None:
        return "<unknown>", 0
    return frame.f_code.co_filename, frame.f_lineno


def where() -> str:
    """Inside detect_anomaly(), the place in the user's code that is running the failing operation."""
    if not _modes.anomaly:
        return ""
    file, line = user_site()
    return f" [at {file}:{line}]"


def left_the_graph(node) -> None:
    """Inside detect_anomaly(): warn that float() (or the math module) took a number out of the graph."""
    frame = sys._getframe(2)
    if frame.f_code.co_filename.startswith(_LIBRARY):  # the library's own float() calls (printing a loss)
        return
    import warnings
    warnings.warn(f"float() of {describe(node)}, which requires a gradient: the number has left the graph, so "
                  "no gradient flows back through what is computed from it. Functions of the math module call "
                  "float() (math.exp(v)): use the Value's methods (v.exp()) or autograd.exp(v) instead",
                  AnomalyWarning, stacklevel=3)


class AnomalyWarning(UserWarning):
    """Warned inside detect_anomaly(): something that is not an error but probably a mistake."""


def describe(x) -> str:
    """'label = 2.0 (created at file:line)', or '2.0': a node as error messages show it."""
    text = f"{x.label} = {x.data!r}" if x.label else repr(x.data)
    site = _modes.sites.get(id(x))  # recorded inside detect_anomaly() only
    return f"{text} (created at {site[0]}:{site[1]})" if site else text


def about(node) -> str:
    """' (labelled 'z', created at file:line)': a node's label and where it was made (detect_anomaly())."""
    parts = []
    if node.label:
        parts.append(f"labelled {node.label!r}")
    site = _modes.sites.get(id(node))
    if site:
        parts.append(f"created at {site[0]}:{site[1]}")
    return f" ({', '.join(parts)})" if parts else ""


_INFIX = {"+", "-", "*", "/", "**"}


def expression(op: str, inputs: tuple, shown: int = 8) -> str:
    """'(a = 1.0) * (b = 2.0)' or 'tanh(x = 0.5)': an operation on its inputs, as messages show it."""
    args = [describe(x) for x in inputs[:shown]]
    if len(inputs) > shown:  # a linear node may have a million inputs
        args.append(f"... {len(inputs) - shown} more")
    if op in _INFIX and len(args) == 2:
        return f"({args[0]}) {op} ({args[1]})"
    return f"{op}({', '.join(args)})"


def _note(op) -> str:
    return f" [{op}: {op.note}]" if getattr(op, "note", "") else ""


# ---------------------------------------------------------------------------------------------------------
# Operations that fail, and bad operands.

def domain_error(op: Op, inputs: tuple, e: Exception) -> AutogradError:
    """The error for an operation that failed on these inputs, saying whether the function itself or only
    its derivative is undefined there."""
    try:
        op.forward(*[x.data for x in inputs])
        what = "its derivative"
    except (ArithmeticError, ValueError):
        what = "the result"
    if isinstance(e, AutogradError):
        return AutogradError(f"{expression(op, inputs)}: {e}{where()}")
    if isinstance(e, OverflowError):
        why = f"{what} overflows a float (its magnitude would exceed 1.8e308)"
    elif isinstance(e, ZeroDivisionError) or "domain" in str(e) or "complex" in str(e):
        why = f"{what} is undefined (or infinite) there"
    else:
        why = str(e)
    hint = (" If no gradient is needed through it, make the input a constant (requires_grad=False)."
            if what == "its derivative" else "")
    return AutogradError(f"{expression(op, inputs)}: {why}.{_note(op)}{hint}{where()}")


def bad_operand(op: str, x: Any, node) -> NoReturn:
    """A number operand of `op` (with the node `node`, if any) that is not finite, or too large for a float."""
    with_node = f" (with {describe(node)})" if node is not None and hasattr(node, "label") else ""
    if isinstance(x, int):
        raise AutogradError(f"{op}: an operand (int of {decimal_digits(x)} digits{with_node}) too large for "
                            f"a float: its magnitude exceeds 1.8e308{where()}")
    raise AutogradError(f"{op}: the operand {x!r}{with_node} is not a finite number; values must "
                        f"be finite (autograd.ieee_floats() allows inf and nan){where()}")


def negative_base(op: Op, inputs: tuple) -> AutogradError:
    return AutogradError(f"{expression(op, inputs)}: a negative base with a Value exponent; d(a^b)/db = a^b ln a "
                         "needs a > 0 (make the exponent a number or a constant, requires_grad=False)")


def not_finite(value: float, op: str, inputs: tuple) -> AutogradError:
    """The error for an operation whose result is inf or nan (outside `ieee_floats()`)."""
    if any(p.data - p.data != 0.0 for p in inputs):  # made inside ieee_floats()
        why = "an input is not finite"
    else:
        why = "it overflows a float" if math.isinf(value) else "it is not a number"
    return AutogradError(f"{expression(op, inputs)}: the result is {value!r}: {why}; values must be finite "
                         f"(autograd.ieee_floats() allows inf and nan){where()}")


# ---------------------------------------------------------------------------------------------------------
# A node made by a user with Value(...).

def check_node(node, data: Any, parents: Any, local_grads: Any, op: Any, label: Any,
               requires_grad: Any) -> tuple[float, tuple, tuple, str, bool]:
    """The arguments of `Value(...)` checked: (data, parents, local_grads, op, requires_grad) as the node
    stores them, or a TypeError / ValueError naming the argument and the value."""
    if type(data) is float and data - data == 0.0 and not parents and not local_grads and op == "" and \
            type(label) is str and (requires_grad is None or type(requires_grad) is bool):  # the usual leaf
        return data, (), (), "", requires_grad is not False
    parents, local_grads, op, requires_grad = check_user_node(node, parents, local_grads, op, label,
                                                              requires_grad)
    if isinstance(data, type(node)):
        raise TypeError(f"Value({data!r}): data must be a number, not a Value; use the Value itself")
    if not is_real(data):
        raise TypeError(f"Value(data={data!r}, label={label!r}): data must be a real number, "
                        f"not {type(data).__name__}")
    try:
        value = float(data)
    except OverflowError:
        value = math.inf
    if value - value != 0.0 and not _modes.ieee:  # nan or inf (allowed inside ieee_floats())
        if parents:
            raise not_finite(value, op, parents)
        raise AutogradError(f"Value({value!r}, label={label!r}): values must be finite numbers{where()}")
    return value, parents, local_grads, op, requires_grad


def is_real(x: Any) -> bool:
    """A real number (int, float, numpy float, Fraction, ...), not a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def check_user_node(node, parents: Any, local_grads: Any, op: Any, label: Any,
                    requires_grad: Any) -> tuple[tuple, tuple, str, bool]:
    """Check a node made by a user: a leaf, or a custom operation with one local derivative per parent.
    Returns (parents, local_grads, op, requires_grad) as the node stores them.

    Local derivatives given as Values are stored as their numbers in `local_grads` (so ordinary backward
    stays numeric), and the Values themselves in an `Op` named like the user's op, whose derivative rule
    returns them: with `create_graph=True` they take part in higher-order derivatives."""
    if not isinstance(label, str):
        raise TypeError(f"Value(label={label!r}): label must be a str, not {type(label).__name__}")
    if not isinstance(op, str):
        raise TypeError(f"Value(op={op!r}, label={label!r}): op must be a str, not {type(op).__name__}")
    if requires_grad is not None and type(requires_grad) is not bool:
        raise TypeError(f"Value(op={op!r}, label={label!r}): requires_grad must be True, False or None, "
                        f"got {requires_grad!r}")
    Node = type(node)
    if isinstance(parents, Node):
        raise TypeError(f"Value(op={op!r}, label={label!r}): parents must be a tuple of Values, got the Value "
                        f"{parents!r}; write parents=({parents.label or 'x'},)")
    parents = sequence(parents, f"Value(op={op!r}, label={label!r}): parents")
    local_grads = sequence(local_grads, f"Value(op={op!r}, label={label!r}): local_grads")
    if not parents:
        if local_grads:
            raise ValueError(f"Value(op={op!r}, label={label!r}): local_grads given without parents")
        return (), (), op, requires_grad is not False
    for p in parents:
        if not isinstance(p, Node):
            raise TypeError(f"Value(op={op!r}, label={label!r}): parent {p!r} is not a Value")
    if len(local_grads) != len(parents):
        raise ValueError(f"Value(op={op!r}, label={label!r}): {len(parents)} parents but "
                         f"{len(local_grads)} local_grads; give one local derivative per parent")
    numeric = tuple(g.data if isinstance(g, Node) else
                    real_number(g, f"Value(op={op!r}, label={label!r}): local derivative local_grads[{i}]",
                                finite=not _modes.ieee, error=ValueError, also="a Value")
                    for i, g in enumerate(local_grads))
    if all(isinstance(g, Node) for g in local_grads):
        symbolic = tuple(local_grads)
        op = _op(op, no_forward, lambda *args: symbolic, "a custom operation with Value local derivatives")
    from_parents = any(p.requires_grad for p in parents)
    if requires_grad and not from_parents:
        raise ValueError(f"Value(op={op!r}, label={label!r}): requires_grad=True, but none of its parents "
                         "requires a gradient, so no gradient can flow through it")
    return tuple(parents), numeric, op, from_parents and requires_grad is not False


# ---------------------------------------------------------------------------------------------------------
# Backpropagation that fails.

def constant_root(root) -> AutogradError:
    return AutogradError(f"backward() on a constant {describe(root)}: it was made with requires_grad=False "
                         "or depends only on such constants, so it has no gradient to compute")


def numeric_custom_op(node) -> AutogradError:
    return AutogradError(
        f"create_graph=True through the custom operation {node.op!r} (label {node.label!r}): its local_grads "
        "are plain numbers, so their own derivatives are unknown. Pass local_grads as Values computed from "
        "the parents (e.g. local_grads=(2 * x,)) to take part in higher-order derivatives")


def infinite_symbolic(node, local_grads: tuple) -> AutogradError:
    """create_graph=True through a node whose local derivative is inf or nan (sqrt at 0)."""
    bad = next(g for g in local_grads if float(g) - float(g) != 0.0)
    return AutogradError(f"create_graph=True through {expression(node.op, node.parents)}{about(node)}: its "
                         f"local derivative is {float(bad)!r}, so the derivative graph cannot be built "
                         f"there.{_note(node.op)}{where()}")


def gradient_error(order: list, gradient: Callable) -> AutogradError:
    """The error for a gradient that became inf or nan: it names the first node in the order whose gradient
    did and the edge it came through, where either the local derivative is infinite (sqrt at 0) or the product
    local * grad overflowed; otherwise the sum of finite gradients overflowed. `gradient(node)` reads the
    walk's gradient of a node."""
    node = next(n for n in order if gradient(n) - gradient(n) != 0.0)
    for child in order:
        g = gradient(child)
        for parent, local in zip(child.parents, child.local_grads):
            if parent is node and (local - local != 0.0 or (local * g) - (local * g) != 0.0):
                why = (f"its local derivative with respect to {describe(node)} is {local!r}" if local - local != 0.0
                       else f"local derivative {local!r} times gradient {g!r} overflows a float")
                return AutogradError(f"backward: the gradient of {describe(node)} is {gradient(node)!r}: it comes "
                                     f"through {expression(child.op, child.parents)}{about(child)}, where "
                                     f"{why}.{_note(child.op)}{where()}")
    return AutogradError(f"backward: the gradient of {describe(node)} is {gradient(node)!r}: the sum of the "
                         f"finite gradients reaching it from the nodes that use it overflows a float{where()}")


def accumulated_overflow(leaf, this_call: float) -> AutogradError:
    return AutogradError(f"backward: the gradient of {describe(leaf)}, accumulated over backward() calls, "
                         f"overflows: {leaf.grad!r} + {this_call!r}; reset it with zero_grad()")


def constant_input(x) -> AutogradError:
    return AutogradError(f"grad() with respect to the constant {describe(x)} (requires_grad=False)")


# ---------------------------------------------------------------------------------------------------------
# Inside ieee_floats(): the IEEE 754 results of operations that Python refuses.

def ieee_result(op: Op, xs: list) -> float:
    """op.forward(*xs), or, where Python raises instead, the IEEE 754 result (as C99's math library)."""
    try:
        return op.forward(*xs)
    except (ArithmeticError, ValueError):
        pass
    if op == "exp":  # exp raises only on overflow
        return math.inf
    if op == "log":  # log(0) = -inf; log(x < 0) = nan
        return -math.inf if xs[0] == 0 else math.nan
    if op == "/":  # a / (+-0) = +-inf, signed like a product; 0 / 0 = nan
        a, b = xs
        return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(1.0, b)
    if op == "**":  # 0 ** (b < 0) and overflow give inf, negative for a negative base and an odd integer b
        a, b = xs
        if a < 0 and not b.is_integer():
            return math.nan
        odd = b.is_integer() and b % 2 == 1
        return math.copysign(math.inf, a) if odd else math.inf
    return math.nan  # sqrt(x < 0), sin(+-inf), cos(+-inf)


def ieee_local_grads(op: Op, xs: list, out: float) -> tuple:
    """op's local derivatives at xs, or nan for each where Python's float arithmetic fails there."""
    try:
        return tuple(float(g) for g in op.derivative(*xs, out))
    except (ArithmeticError, ValueError, TypeError):  # TypeError: float() of a complex number
        return (math.nan,) * len(xs)
