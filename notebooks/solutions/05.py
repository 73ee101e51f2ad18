"""Solutions of notebook 05's exercises, in floats."""

x, h = 2.0, 1e-3


def f(v):
    return v ** 3


SOLUTIONS = {
    "05.central": (f(x + h) - f(x - h)) / (2 * h),
    "05.forward_error": (f(x + h) - f(x)) / h - 3 * x ** 2,
}
