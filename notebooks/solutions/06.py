"""Solutions of notebook 06's exercises."""

import math

z = 30.0
sigma = 1 / (1 + math.exp(-z))
sigma_minus = 1 / (1 + math.exp(z))  # sigma(-z) = 1 - sigma(z), computed without subtracting

alpha, gamma = 0.1, 0.9
dw1 = -alpha * 0.5
dw2 = -alpha * 0.3 + gamma * dw1

SOLUTIONS = {"06.sigmoid_slope_30": sigma * sigma_minus, "06.momentum": dw2}
