"""Solutions of notebook 02's exercises, computed by hand from the article's data (file 002, lines 270-310)."""

import math

x1, x2 = 0.6, 0.7  # the inputs, neurons 1 and 2
w = {"13": -1.0, "23": 1.0, "14": 2.5, "24": 0.4, "15": 1.0, "25": -1.5,
     "36": 2.2, "46": -1.4, "56": 0.56, "37": 0.34, "47": 1.05, "57": 3.1, "68": 0.75, "78": -0.22}
t, alpha = 0.9, 0.3


def f(x):
    return 1 / (1 + math.exp(-x))


O = {1: x1, 2: x2}
for j in (3, 4, 5):
    O[j] = f(w[f"1{j}"] * O[1] + w[f"2{j}"] * O[2])
for j in (6, 7):
    O[j] = f(w[f"3{j}"] * O[3] + w[f"4{j}"] * O[4] + w[f"5{j}"] * O[5])
O[8] = f(w["68"] * O[6] + w["78"] * O[7])

delta = {8: (t - O[8]) * O[8] * (1 - O[8])}  # the article's delta = -dE/dI
for j in (6, 7):
    delta[j] = delta[8] * w[f"{j}8"] * O[j] * (1 - O[j])
for j in (3, 4, 5):
    delta[j] = (delta[6] * w[f"{j}6"] + delta[7] * w[f"{j}7"]) * O[j] * (1 - O[j])

SOLUTIONS = {
    "02.delta5": delta[5],
    "02.dw13": alpha * delta[3] * O[1],
    "02.wrong_delta": "delta3",  # printed -0.0087; the product on line 322 is +0.0087
}
