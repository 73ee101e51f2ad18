"""Exercises of notebook 02, the worked example of file 002 (a 2-3-2-1 sigmoid network, one step of SGD).

The exact answers come from the engine's run of the example (`nn.examples.worked_example_002`); the article's
convention is delta_j = -dE/dI_j and dw_ij = alpha delta_j O_i.
"""

from __future__ import annotations

from .. import examples
from ._registry import Exercise, Mistake, register

_REPORT = examples.worked_example_002()
_STEP = _REPORT.steps[0]
_O = {**{f"O{i}": x for i, x in enumerate(examples.INPUTS_002, start=1)}, **_STEP.forward}
_D = _STEP.deltas
_W = {label: value for label, value, _ in examples.INITIAL_WEIGHTS_002}
_ALPHA = examples.LEARNING_RATE_002


def _fprime(j: int) -> float:  # f'(I_j) = O_j (1 - O_j) for the sigmoid
    return _O[f"O{j}"] * (1.0 - _O[f"O{j}"])


_BACK5 = _D["delta6"] * _W["w56"] + _D["delta7"] * _W["w57"]  # sum_k delta_k w_5k

register(Exercise(
    key="02.delta5",
    question="Compute the article's delta_5 (= -dE/dI_5) of the first step from the exact numbers of "
             "`step.forward`, `step.deltas` (delta6, delta7) and the initial weights.",
    expected=_D["delta5"],
    hint="Use the delta rule for a hidden neuron: the deltas of the neurons that neuron 5 feeds, each times "
         "the weight of the edge from 5 to it, summed, times the derivative of neuron 5's activation.",
    mistakes=[
        Mistake(-_D["delta5"], "Look at the sign: the article's delta is -dE/dI, the engine's z5.grad is +dE/dI."),
        Mistake(_BACK5 * _fprime(7), "The wrong neuron: line 320 writes f'(I_7), but the derivative factor "
                                     "belongs to neuron 5 itself, f'(I_5) = O_5 (1 - O_5)."),
        Mistake(_BACK5, "A factor is missing: the weighted sum of the next layer's deltas still has to be "
                        "multiplied by f'(I_5)."),
        Mistake((_D["delta6"] * _W["w36"] + _D["delta7"] * _W["w37"]) * _fprime(5),
                "The wrong weights: use the weights on the edges leaving neuron 5 (w56, w57)."),
    ],
    atol=1e-12, rtol=1e-6,
))

register(Exercise(
    key="02.dw13",
    question="Compute the first step's change of the weight w13, dw13 = alpha delta_3 O_1 (no momentum term "
             "yet), with the exact delta_3.",
    expected=_STEP.changes["w13"],
    hint="dw13 is the learning rate times the delta of the neuron the edge enters, times the output of the "
         "neuron it leaves.",
    mistakes=[
        Mistake(-_STEP.changes["w13"], "Look at the sign: the article prints delta_3 = -0.0087 (line 322), but "
                                       "its own product on that line is positive."),
        Mistake(_D["delta3"] * _O["O1"], "A factor is missing: the learning rate alpha = 0.3."),
        Mistake(_ALPHA * _D["delta3"] * _O["O3"], "The wrong neuron's output: the edge w13 leaves neuron 1 (the "
                                                  "input 0.6), not neuron 3."),
        Mistake(_ALPHA * _D["delta3"] * _O["O2"], "The wrong input: w13 leaves neuron 1, whose output is the "
                                                  "first input, not the second."),
    ],
    atol=1e-12, rtol=1e-6,
))

_WRONG_DELTAS = [row.name for row in _REPORT.comparison.rows
                 if row.name.startswith("delta") and row.verdict == examples.WRONG]
assert len(_WRONG_DELTAS) == 1, _WRONG_DELTAS

register(Exercise(
    key="02.wrong_delta",
    question="One of the six deltas the article prints (lines 317-322) has the wrong sign. Which one? "
             "Answer with its name, e.g. 'delta8'.",
    expected=_WRONG_DELTAS[0],
    hint="Compare the sign of each printed delta with the engine's (minus the .grad of z_j); rounding never "
         "changes a sign.",
    mistakes=[
        Mistake("dw13", "That is a weight change: it is wrong because it was computed from a wrong delta. "
                        "Which delta?"),
        Mistake("dw23", "That is a weight change: it is wrong because it was computed from a wrong delta. "
                        "Which delta?"),
        Mistake("delta6", "delta6 is computed from delta8 = 0.086 instead of 0.0863, but rounding does not "
                          "change a sign. Look further down."),
    ],
))
