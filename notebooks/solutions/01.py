"""Solutions of notebook 01's exercises."""

x, y = 2.0, -1.0
# paths from x to f: through a = x^2 (2x), through b = xy (y), through c = x + y then d = c^2 (1 * 2c)
df_dx = 2 * x + y + 2 * (x + y)


def softsign_derivative(x):
    # (u/v)' = (u'v - uv')/v^2 with u = x, v = 1 + |x|, v' = sign(x): (1 + |x| - |x|) / (1 + |x|)^2
    return 1 / (1 + abs(x)) ** 2


SOLUTIONS = {"01.df_dx": df_dx, "01.softsign_derivative": softsign_derivative}
