"""Bad input gets a clear error, never a silent NaN, an infinity, a complex number or a wrong result.

Each case gives the failing call, the exception type, and fragments its message must contain: the
operation, the offending value(s) and the label of the node involved (the tests give labels).
"""

import math

import pytest

from autograd import AutogradError, Value, grad, linear


def raises_naming(call, error_type, *fragments):
    """Run call(), expect error_type, and check that its message contains every fragment."""
    with pytest.raises(error_type) as error:
        call()
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from the message: {message}"


# ---------------------------------------------------------------------------------------------------------
# Value(data): data must be a finite real number. Booleans are refused too: Value(True) is a TypeError.

BAD_DATA = [
    ("str", lambda: Value("abc", label="name"), TypeError, ["Value", "'abc'", "name", "str"]),
    ("None", lambda: Value(None, label="name"), TypeError, ["Value", "None", "name"]),
    ("bool", lambda: Value(True, label="name"), TypeError, ["Value", "True", "name", "bool"]),
    ("list", lambda: Value([1.0], label="name"), TypeError, ["Value", "[1.0]", "name"]),
    ("complex", lambda: Value(1j, label="name"), TypeError, ["Value", "1j", "name"]),
    ("a Value", lambda: Value(Value(1.0)), TypeError, ["Value"]),
    ("nan", lambda: Value(float("nan"), label="name"), AutogradError, ["nan", "name"]),
    ("inf", lambda: Value(math.inf, label="name"), AutogradError, ["inf", "name"]),
    ("-inf", lambda: Value(-math.inf, label="name"), AutogradError, ["-inf", "name"]),
    ("huge int", lambda: Value(10 ** 400, label="name"), AutogradError, ["inf", "name"]),
]


@pytest.mark.parametrize("call, error_type, fragments", [case[1:] for case in BAD_DATA],
                         ids=[case[0] for case in BAD_DATA])
def test_bad_data(call, error_type, fragments):
    raises_naming(call, error_type, *fragments)


def test_autograd_error_is_a_value_error():
    assert issubclass(AutogradError, ValueError)


# ---------------------------------------------------------------------------------------------------------
# Mathematical errors in operations: AutogradError naming the operation, the values and the labels.

def v(x: float, label: str) -> Value:
    return Value(x, label=label)


MATH_ERRORS = [
    ("log(0)", lambda: v(0.0, "arg").log(), ["log", "0.0", "arg"]),
    ("log(-1)", lambda: v(-1.0, "arg").log(), ["log", "-1.0", "arg"]),
    ("sqrt(-1)", lambda: v(-1.0, "arg").sqrt(), ["sqrt", "-1.0", "arg"]),
    ("0 ** -1", lambda: v(0.0, "base") ** -1, ["**", "0.0", "-1.0", "base"]),
    ("number 0 ** Value -1", lambda: 0 ** v(-1.0, "expo"), ["**", "0.0", "-1.0", "expo"]),
    ("(-8) ** (1/3), complex", lambda: v(-8.0, "base") ** (1 / 3), ["**", "-8.0", "base"]),
    ("Value / 0", lambda: v(1.0, "num") / 0, ["/", "1.0", "0.0", "num"]),
    ("1 / Value(0)", lambda: 1 / v(0.0, "den"), ["/", "1.0", "0.0", "den"]),
    ("Value / Value(0)", lambda: v(2.0, "num") / v(0.0, "den"), ["/", "2.0", "0.0", "num", "den"]),
    ("negative base, Value exponent", lambda: v(-2.0, "base") ** v(2.0, "expo"),
     ["**", "-2.0", "2.0", "base", "expo", "negative"]),
    ("negative number base, Value exponent", lambda: (-2.0) ** v(3.0, "expo"), ["**", "-2.0", "3.0", "expo"]),
    # an infinite derivative is an error where backward needs it (sqrt(0) itself is fine: 0)
    ("sqrt(0) needing a gradient", lambda: v(0.0, "arg").sqrt().backward(), ["sqrt", "0.0", "arg", "derivative"]),
    ("0 ** 0.5 needing a gradient", lambda: (v(0.0, "base") ** 0.5).backward(),
     ["**", "0.0", "0.5", "base", "derivative"]),
    ("exp overflow", lambda: v(1000.0, "arg").exp(), ["exp", "1000.0", "arg", "overflow"]),
    ("2 ** Value overflow", lambda: 2.0 ** v(5000.0, "expo"), ["**", "5000.0", "expo", "overflow"]),
    ("pow overflow", lambda: v(10.0, "base") ** 400, ["**", "10.0", "400", "base", "overflow"]),
    ("mul overflow", lambda: v(1e200, "p") * v(1e200, "q"), ["*", "1e+200", "p", "q", "inf"]),
    ("add overflow", lambda: v(1.7e308, "p") + v(1.7e308, "q"), ["+", "1.7e+308", "p", "q", "inf"]),
    ("linear overflow", lambda: linear([v(1e200, "w")], [v(1e200, "x")]), ["linear", "1e+200", "w", "x"]),
]


@pytest.mark.parametrize("call, fragments", [case[1:] for case in MATH_ERRORS], ids=[c[0] for c in MATH_ERRORS])
def test_math_error(call, fragments):
    raises_naming(call, AutogradError, *fragments)


def test_negative_base_with_constant_exponent_is_fine():
    x = Value(-2.0)
    y = x ** Value(3.0, requires_grad=False)  # the exponent needs no gradient, so ln(-2) is not needed
    assert y.data == -8.0
    assert grad(y, x) == 12.0  # 3 x^2


def test_infinite_derivative_is_fine_for_constants():
    zero = Value(0.0, label="zero", requires_grad=False)
    assert zero.sqrt().data == 0.0
    assert (zero ** 0.5).data == 0.0
    raises_naming(lambda: zero.log(), AutogradError, "log", "zero")  # log(0) itself is still an error


# ---------------------------------------------------------------------------------------------------------
# backward() and grad() on the wrong things.

def test_backward_on_a_constant():
    c = Value(2.0, label="const", requires_grad=False)
    raises_naming(c.backward, AutogradError, "backward", "const", "2.0")


def test_backward_on_a_node_depending_only_on_constants():
    c = Value(2.0, label="const", requires_grad=False)
    raises_naming((c * 3.0).backward, AutogradError, "backward", "6.0")


def test_grad_with_respect_to_a_constant():
    c = Value(2.0, label="const", requires_grad=False)
    x = Value(1.0)
    raises_naming(lambda: grad(x * c, [x, c]), AutogradError, "grad", "const")


def test_grad_with_respect_to_a_number():
    x = Value(1.0)
    raises_naming(lambda: grad(x * 2.0, [x, 3.0]), TypeError, "grad", "3.0")


def test_grad_of_a_number():
    x = Value(1.0)
    raises_naming(lambda: grad(3.0, [x]), TypeError, "grad", "3.0")


# ---------------------------------------------------------------------------------------------------------
# Unsupported operand types: the operators return NotImplemented, so Python raises its usual TypeError.

UNSUPPORTED = [
    ("Value + str", lambda: Value(1.0) + "a"),
    ("str * Value", lambda: "a" * Value(1.0)),
    ("Value + None", lambda: Value(1.0) + None),
    ("None - Value", lambda: None - Value(1.0)),
    ("Value / list", lambda: Value(1.0) / [2.0]),
    ("Value ** str", lambda: Value(1.0) ** "2"),
    ("complex + Value", lambda: 1j + Value(1.0)),
    ("Value * bool", lambda: Value(1.0) * True),
    ("Value < str", lambda: Value(1.0) < "a"),
    ("str ** Value", lambda: "a" ** Value(1.0)),
    ("None ** Value", lambda: None ** Value(1.0)),
]


@pytest.mark.parametrize("call", [case[1] for case in UNSUPPORTED], ids=[case[0] for case in UNSUPPORTED])
def test_unsupported_operand_type(call):
    with pytest.raises(TypeError):
        call()


def test_unsupported_operand_returns_not_implemented():
    assert Value(1.0).__add__("a") is NotImplemented
    assert Value(1.0).__rmul__(None) is NotImplemented
    assert Value(1.0).__pow__("a") is NotImplemented


def test_unsupported_base_of_a_power_gets_pythons_message():
    assert Value(1.0).__rpow__("a") is NotImplemented
    raises_naming(lambda: "a" ** Value(1.0), TypeError, "unsupported operand type(s) for ** or pow()")


@pytest.mark.parametrize("method", ["leaky_relu", "elu", "silu"])
def test_parameter_of_unsupported_type(method):
    raises_naming(lambda: getattr(Value(-1.0), method)("a"), TypeError, method, "'a'")


# ---------------------------------------------------------------------------------------------------------
# linear() mistakes

def test_linear_with_different_lengths():
    raises_naming(lambda: linear([Value(1.0), Value(2.0)], [Value(3.0)]), ValueError, "linear", "2", "1")


def test_linear_with_no_terms():
    raises_naming(lambda: linear([], []), ValueError, "linear", "0")


def test_linear_with_a_non_number():
    raises_naming(lambda: linear([Value(1.0)], ["a"]), TypeError, "linear", "'a'")
    raises_naming(lambda: linear([Value(1.0)], [2.0], bias="b"), TypeError, "linear", "'b'")


# ---------------------------------------------------------------------------------------------------------
# Custom operations: constructor mistakes name the operation and the label.

def test_custom_op_parent_not_a_value():
    raises_naming(lambda: Value(1.0, parents=(1.0,), local_grads=(1.0,), op="myop", label="mine"),
                  TypeError, "myop", "mine")


def test_custom_op_parent_not_a_value_names_it():
    raises_naming(lambda: Value(1.0, parents=(Value(2.0), "oops"), local_grads=(1.0, 1.0), op="myop"),
                  TypeError, "myop", "'oops'")


def test_custom_op_wrong_number_of_local_grads():
    x, y = Value(1.0), Value(2.0)
    raises_naming(lambda: Value(3.0, parents=(x, y), local_grads=(1.0,), op="myop", label="mine"),
                  ValueError, "myop", "mine", "2 parents", "1 local_grads")


def test_custom_op_local_grads_without_parents():
    raises_naming(lambda: Value(3.0, local_grads=(1.0,), op="myop", label="mine"),
                  ValueError, "myop", "mine", "local_grads")


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_custom_op_non_finite_local_grad(bad):
    x = Value(1.0)
    raises_naming(lambda: Value(3.0, parents=(x,), local_grads=(bad,), op="myop", label="mine"),
                  ValueError, "myop", "mine", repr(bad))


def test_custom_op_local_grad_of_wrong_type():
    x = Value(1.0)
    raises_naming(lambda: Value(3.0, parents=(x,), local_grads=("a",), op="myop", label="mine"),
                  TypeError, "myop", "mine", "'a'")


def test_custom_op_requires_grad_true_is_checked_like_any_custom_op():
    # requires_grad=True used to skip every check of a custom operation (the engine's own operations passed it)
    x, y = Value(1.0), Value(2.0)
    raises_naming(lambda: Value(3.0, parents=(x, y), local_grads=(1.0,), op="myop", label="mine",
                                requires_grad=True), ValueError, "myop", "mine", "2 parents", "1 local_grads")
    raises_naming(lambda: Value(3.0, parents=(x,), local_grads=(math.inf,), op="myop", requires_grad=True),
                  ValueError, "myop", "inf")


def test_custom_op_requires_grad_true_with_constant_parents():
    c = Value(2.0, requires_grad=False)
    raises_naming(lambda: Value(4.0, parents=(c,), local_grads=(1.0,), op="myop", label="mine",
                                requires_grad=True), ValueError, "myop", "mine", "none of its parents")
    assert not Value(4.0, parents=(c,), local_grads=(1.0,), op="myop").requires_grad
    assert Value(4.0, parents=(c, Value(1.0)), local_grads=(1.0, 1.0), op="myop", requires_grad=True).requires_grad
    assert not Value(4.0, parents=(Value(1.0),), local_grads=(1.0,), op="myop", requires_grad=False).requires_grad


@pytest.mark.parametrize("bad", [1, "yes", None.__class__])
def test_requires_grad_must_be_a_bool(bad):
    raises_naming(lambda: Value(1.0, label="mine", requires_grad=bad), TypeError, "requires_grad", "mine")


@pytest.mark.parametrize("call", [lambda x: x * 10 ** 400, lambda x: 10 ** 400 + x, lambda x: x ** 10 ** 400],
                         ids=["mul", "radd", "pow"])
def test_operand_too_large_for_a_float(call):
    raises_naming(lambda: call(Value(2.0)), AutogradError, "too large for a float", "int")


@pytest.mark.parametrize("digits", [401, 5001])  # beyond 4,300 digits Python refuses str() of an int
def test_custom_op_huge_integer_local_grad(digits):
    raises_naming(lambda: Value(3.0, parents=(Value(1.0),), local_grads=(10 ** (digits - 1),), op="myop"),
                  ValueError, "myop", "local_grads[0] must be a finite number", f"integer of {digits} digits")


def test_operand_of_5001_digits_is_named_by_its_digits():
    raises_naming(lambda: Value(2.0) + 10 ** 5000, AutogradError, "int of 5001 digits", "too large for a float")


def test_custom_op_non_finite_data():
    x = Value(1.0, label="arg")
    raises_naming(lambda: Value(math.inf, parents=(x,), local_grads=(1.0,), op="myop"),
                  AutogradError, "myop", "arg", "inf")


# ---------------------------------------------------------------------------------------------------------
# Silent infinities and spurious errors found while writing these tests.

def test_overflowing_local_derivative_is_an_error_where_backward_uses_it():
    y = v(1.0, "num") / v(1e-200, "den")  # d/d den = -1e200 / 1e-200 = -inf: recorded, not yet used
    raises_naming(y.backward, AutogradError, "/", "num", "den", "derivative", "-inf")


def test_overflowing_gradient_in_backward_is_an_error():
    w = Value(1e-300, label="w")
    z = w.sqrt() * 1e200  # z = 1e50, dz/dw = 1e200 / (2 sqrt(1e-300)) = 5e349: not a float
    raises_naming(z.backward, AutogradError, "w")


def test_zero_number_base_with_value_exponent():
    b = Value(0.5, label="expo")
    y = 0.0 ** b  # 0^b = 0 for b > 0; d/db = 0^b ln 0 is 0 in the limit (the engine's documented convention)
    assert y.data == 0.0
    assert grad(y, b) == 0.0


def test_zero_power_at_zero():
    x = Value(0.0, label="x")
    y = x ** 0
    assert y.data == 1.0
    assert grad(y, x) == 0.0
