"""Small datasets, generated in code (no files, no downloads).

Each function returns `(inputs, targets)`: `inputs[k]` is the list of input numbers of example k and
`targets[k]` the list of its target numbers, one per output of the network, ready for
`train(model, inputs, targets, ...)`.
"""

from __future__ import annotations

import math
import random

from autograd._errors import real_number


def xor() -> tuple[list[list[float]], list[list[float]]]:
    """The XOR table: the output is 1 when exactly one input is 1. No single neuron can learn it (the two
    classes are not linearly separable, 2024 lecture, file 004); a network with a hidden layer can.

    Inputs (0, 0), (0, 1), (1, 0), (1, 1); targets 0, 1, 1, 0.
    """
    inputs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    targets = [[0.0], [1.0], [1.0], [0.0]]
    return inputs, targets


def _noise(noise, where: str) -> float:
    """The standard deviation of the noise as a float: a finite number >= 0."""
    value = real_number(noise, f"{where}: noise", error=ValueError)
    if value < 0:
        raise ValueError(f"{where}: noise must be a finite number >= 0, got {noise!r}")
    return value


def two_moons(n: int = 100, noise: float = 0.1,
              seed: int | None = 0) -> tuple[list[list[float]], list[list[float]]]:
    """Two interleaving half circles, as scikit-learn's `make_moons` draws them (and micrograd's demo uses).

    The upper moon is (cos t, sin t), the lower one (1 - cos t, 1/2 - sin t), for t evenly spaced in
    [0, pi]; Gaussian noise of standard deviation `noise` is added to every coordinate, and the examples are
    shuffled. Targets are -1 (upper moon) and +1 (lower moon), the labels of the hinge loss.

    Arguments:
        n: the number of points (the upper moon gets n // 2, the lower moon the rest).
        noise: the standard deviation of the noise (>= 0).
        seed: seeds the noise and the shuffle (`random.Random(seed)`); None draws a fresh one.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"two_moons(): n must be an integer >= 2, got {n!r}")
    noise = _noise(noise, "two_moons()")
    rng = random.Random(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    examples = []
    for k in range(n_upper):
        t = math.pi * k / (n_upper - 1) if n_upper > 1 else 0.0
        examples.append(([math.cos(t), math.sin(t)], [-1.0]))
    for k in range(n_lower):
        t = math.pi * k / (n_lower - 1) if n_lower > 1 else 0.0
        examples.append(([1.0 - math.cos(t), 0.5 - math.sin(t)], [1.0]))
    rng.shuffle(examples)
    inputs = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for (x, y), _ in examples]
    targets = [target for _, target in examples]
    return inputs, targets


def sum_of_two_inputs() -> tuple[list[list[float]], list[list[float]]]:
    """The table of a network that adds its two inputs, from the compilation of articles (file 002,
    lines 26-31: "suppose the network sums the values at its input, then the dataset may be like this"):

        I1     I2     O
        1      4      5
        2      7      9
        3      5      8
        1000   1500   2500
    """
    inputs = [[1.0, 4.0], [2.0, 7.0], [3.0, 5.0], [1000.0, 1500.0]]
    targets = [[5.0], [9.0], [8.0], [2500.0]]
    return inputs, targets


def three_inputs_table() -> tuple[list[list[float]], list[list[float]]]:
    """Every vector of three +-1 inputs with its required response, from the compilation of articles
    (file 002, lines 3237-3280, a lesson on back propagation with a Python program: "1 means yes, -1 means
    no"), learnt there by a small tanh network:

        [-1, -1, -1] -> -1      [1, -1, -1] -> -1
        [-1, -1,  1] ->  1      [1, -1,  1] ->  1
        [-1,  1, -1] -> -1      [1,  1, -1] -> -1
        [-1,  1,  1] ->  1      [1,  1,  1] -> -1

    The response is "yes" when the third input is yes, unless both of the others are too.
    """
    inputs = [[-1.0, -1.0, -1.0], [-1.0, -1.0, 1.0], [-1.0, 1.0, -1.0], [-1.0, 1.0, 1.0],
              [1.0, -1.0, -1.0], [1.0, -1.0, 1.0], [1.0, 1.0, -1.0], [1.0, 1.0, 1.0]]
    targets = [[-1.0], [1.0], [-1.0], [1.0], [-1.0], [1.0], [-1.0], [-1.0]]
    return inputs, targets


def noisy_line(n: int = 40, slope: float = 2.0, intercept: float = -1.0, noise: float = 0.5,
               seed: int | None = 0) -> tuple[list[list[float]], list[list[float]]]:
    """Points of the line t = slope * x + intercept with Gaussian noise: a regression problem whose best
    weights (least squares) are not an exact fit, so online gradient descent with a constant learning rate
    keeps jumping around them, and a decreasing rate settles (file 002, the learning rate).

    The inputs x are n evenly spaced numbers in [-1, 1]; each target gets noise of standard deviation `noise`.

    Arguments:
        n: the number of points (>= 2).
        slope, intercept: the line.
        noise: the standard deviation of the noise (>= 0).
        seed: seeds the noise (`random.Random(seed)`); None draws a fresh one.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"noisy_line(): n must be an integer >= 2, got {n!r}")
    slope = real_number(slope, "noisy_line(): slope", error=ValueError)
    intercept = real_number(intercept, "noisy_line(): intercept", error=ValueError)
    noise = _noise(noise, "noisy_line()")
    rng = random.Random(seed)
    xs = [-1.0 + 2.0 * k / (n - 1) for k in range(n)]
    return [[x] for x in xs], [[slope * x + intercept + rng.gauss(0.0, noise)] for x in xs]
