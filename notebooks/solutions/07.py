"""Solutions of notebook 07's exercises, by hand."""

import math

# f = x^2 y + y^3: df/dx = 2xy, d2f/dxdy = 2x
x = 1.0
w = 0.5
a = math.sin(w)  # x = f(w)
b = math.sin(a)  # y = f(x)
# dz/dw = cos(b) cos(a) cos(w); product rule, with da/dw = cos w and db/dw = cos(a) cos(w)
d2z = (-math.sin(b) * math.cos(a) * math.cos(w) * math.cos(a) * math.cos(w)
       + math.cos(b) * (-math.sin(a) * math.cos(w)) * math.cos(w)
       + math.cos(b) * math.cos(a) * (-math.sin(w)))

SOLUTIONS = {"07.hessian_xy": 2 * x, "07.second_derivative": d2z}
