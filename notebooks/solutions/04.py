"""Solutions of notebook 04's exercises, with math by hand."""

import math

z = [1.0, 2.0, 3.0]
e = [math.exp(v) for v in z]
y = [v / sum(e) for v in e]
t = [0.0, 1.0, 0.0]

SOLUTIONS = {
    "04.percent": round(100 * y[2], 1),  # 66.524... -> 66.5
    "04.ce_gradient": [y_i - t_i for y_i, t_i in zip(y, t)],  # eq 68
}
