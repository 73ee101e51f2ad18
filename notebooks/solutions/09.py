"""Solutions of notebook 09's exercises, by hand."""

import math

SOLUTIONS = {
    "09.sum_abs": abs(0.6 - 0.3) + abs(0.5 - 0.8),
    "09.valley_gradient": 2 * (0.3 + 0.5),  # dE/dw1 = 2 (w1 + w2) * 1
    "09.one_hot": -math.log(0.15),          # only the true class's term of -sum t_k ln p_k
}
