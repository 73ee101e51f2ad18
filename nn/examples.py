"""The documents' worked examples, reproduced number by number and checked against what they print.

`worked_example_002()`: the compilation of articles (file 002) trains a 2-3-2-1 sigmoid network without
biases for one step on one sample (inputs 0.6 and 0.7, target 0.9, loss 1/2 (t - o)^2, learning rate 0.3,
momentum 0.1) and prints every intermediate number. We rebuild the network with `MLP.from_weights`, run it
with the engine and `SGD`, and put each printed number beside the exact value, with a verdict:

- "agrees within its rounding": |exact - printed| <= half a unit of the printed number's last digit;
- "off because rounding was carried forward": the printed number is what the article's own formula gives
  when fed the article's own rounded numbers (recomputed here, `article_chain_002`), and those numbers
  were themselves right;
- "wrong": neither (a sign error, a digit cut off instead of rounded, or a number computed from a wrong one).

The article's sign conventions (file 002, lines 193-222): its error of neuron j is
delta_j = (t - O_j) f'(I_j) at the output and delta_j = (sum_k delta_k w_jk) f'(I_j) in hidden layers, so
delta_j = -dE/dI_j: minus the `.grad` of the weighted-input node z_j. Its weight change is
dw_ij = alpha delta_j O_i + gamma dw_ij(previous) = -alpha dE/dw_ij + gamma dw_ij(previous), which is the
step `SGD(lr=alpha, momentum=gamma)` takes. The article's I_j is our z_j, its O_j our y_j.

The loss: the article writes E = (t - O)^2 (line 166), but its gradient dE/dw_jk = -(t - O) f'(I) O_j (line 176)
and so all its numbers are those of E = 1/2 (t - O)^2 (the lecture note's eq 6), which we use: with
(t - O)^2 every delta and weight change would be twice as large.

`softmax_examples()`: the lecture note's softmax numbers (file 001, eqs 58-59 and 69-71), the same way.

The published numbers are kept as printed (strings), each with the line of its source file.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal

from autograd import Value, sigmoid, topological_order

from . import functional as F
from ._mlp import MLP
from ._optim import SGD

# ---------------------------------------------------------------------------------------------------------
# The data of file 002 (002_bd57339dc95c1461.txt). Line numbers refer to the first copy of the article,
# lines 270-360; the compilation repeats it, word for word, at lines 1281-1371 (add 1011).

INPUTS_002 = [0.6, 0.7]  # line 275: "I_1 = 0.6, I_1 = 0.7" (the second is I_2, as line 285 confirms)
TARGET_002 = 0.9  # line 276: O_correct = 0.9
LEARNING_RATE_002 = 0.3  # line 278: alpha = 0.3
MOMENTUM_002 = 0.1  # line 278: gamma = 0.1

# The neurons, layer by layer, numbered as in the article's figure: inputs 1, 2; hidden 3, 4, 5 and 6, 7;
# output 8.
NEURONS_002 = [[1, 2], [3, 4, 5], [6, 7], [8]]

# The initial weights, read off the forward pass: (label, weight, line of file 002).
INITIAL_WEIGHTS_002 = [
    ("w13", -1.0, 289), ("w23", 1.0, 289),  # I_3 = 0.6 * (-1) + 0.7 * 1
    ("w14", 2.5, 290), ("w24", 0.4, 290),  # I_4 = 0.6 * 2.5 + 0.7 * 0.4
    ("w15", 1.0, 291), ("w25", -1.5, 291),  # I_5 = 0.6 * 1 + 0.7 * (-1.5)
    ("w36", 2.2, 301), ("w46", -1.4, 301), ("w56", 0.56, 301),  # I_6 = 0.52*2.2 + 0.86*(-1.4) + 0.39*0.56
    ("w37", 0.34, 302), ("w47", 1.05, 302), ("w57", 3.1, 302),  # I_7 = 0.52*0.34 + 0.86*1.05 + 0.39*3.1
    ("w68", 0.75, 308), ("w78", -0.22, 308),  # I_8 = 0.54 * 0.75 + 0.908 * (-0.22)
]

# Every number the article prints for the first step: (name, the number as printed, line of file 002).
# "dw78" is Delta w_78, "w78 new" is w_78 new.
PUBLISHED_002 = [
    ("I3", "0.1", 289), ("I4", "1.78", 290), ("I5", "-0.45", 291),
    ("O3", "0.52", 295), ("O4", "0.86", 296), ("O5", "0.39", 297),
    ("I6", "0.158", 301), ("I7", "2.288", 302),
    ("O6", "0.54", 303), ("O7", "0.908", 304),
    ("I8", "0.205", 308), ("O8", "0.551", 309),
    ("delta8", "0.0863", 317), ("delta7", "-0.0016", 318), ("delta6", "0.016", 319),
    ("delta5", "0.001", 320), ("delta4", "-0.003", 321), ("delta3", "-0.0087", 322),
    ("dw78", "0.0235", 330), ("dw68", "0.014", 331),
    ("dw57", "-0.00019", 332), ("dw47", "-0.0004", 333), ("dw37", "-0.00025", 334),
    ("dw56", "0.0019", 335), ("dw46", "0.0041", 336), ("dw36", "0.0025", 337),
    ("dw25", "0.00021", 338), ("dw15", "0.00018", 339),
    ("dw24", "-0.00063", 340), ("dw14", "-0.00054", 341),
    ("dw23", "-0.00183", 342), ("dw13", "-0.00157", 343),
    ("w78 new", "-0.1965", 347), ("w68 new", "0.764", 348),
    ("w57 new", "3.0998", 349), ("w47 new", "1.0496", 350), ("w37 new", "0.3398", 351),
    ("w56 new", "0.5619", 352), ("w46 new", "-1.3959", 353), ("w36 new", "2.2025", 354),
    ("w25 new", "-1.4998", 355), ("w15 new", "1.00018", 356),
    ("w24 new", "0.39937", 357), ("w14 new", "2.49946", 358),
    ("w23 new", "0.99817", 359), ("w13 new", "-1.00157", 360),
]

# What a reader should know about some of the printed numbers (shown in the table).
NOTES_002 = {
    "I7": "the article's own numbers give 2.2888, which rounds to 2.289: the last digit is cut off",
    "delta6": "line 319 uses delta_8 = 0.086, not the 0.0863 it printed",
    "delta5": "line 320 writes f'(I_7) but multiplies by f'(I_5) = 0.39 (1 - 0.39), as it should",
    "delta3": "sign error: line 322's own product (-0.0016*0.34 + 0.016*2.2) * 0.52 * 0.48 is +0.0087",
    "dw23": "computed from the wrong delta_3 = -0.0087: the sign is wrong",
    "dw13": "computed from the wrong delta_3 = -0.0087: the sign is wrong",
    "w23 new": "follows from the wrong delta_3: w23 should grow, not shrink",
    "w13 new": "follows from the wrong delta_3: w13 should grow, not shrink",
}

AGREES = "agrees within its rounding"
CARRIED = "off because rounding was carried forward"
WRONG = "wrong"

# ---------------------------------------------------------------------------------------------------------
# The lecture note's softmax numbers (file 001, 001_ec797c54cd5e24e6.txt): (name, printed, line of file 001).

SOFTMAX_LOGITS_001 = [1.0, 2.0, 3.0]
PUBLISHED_SOFTMAX_001 = [
    ("softmax([1,2,3])_1", "0.09", 509), ("softmax([1,2,3])_2", "0.244", 509),  # eq 59
    ("softmax([1,2,3])_3", "0.665", 509),
    ("logsumexp([1,2,3])", "3.408", 507),  # in the text above eq 59: log sum e^z_j ~ 3.408
    ("softmax_T=100([1,2,3])_1", "0.33", 578), ("softmax_T=100([1,2,3])_2", "0.33", 578),  # eq 70
    ("softmax_T=100([1,2,3])_3", "0.34", 578),
    ("softmax_T=0.1([1,2,3])_1", "2e-9", 582), ("softmax_T=0.1([1,2,3])_2", "4e-5", 582),  # eq 71
    ("softmax_T=0.1([1,2,3])_3", "0.99995", 582),
]
NOTES_SOFTMAX_001 = {
    "softmax([1,2,3])_2": "0.2447... rounds to 0.245: the last digit is cut off",
    "softmax_T=0.1([1,2,3])_2": "4.54e-5 rounds to 5e-5: the digit is cut off",
}


# ---------------------------------------------------------------------------------------------------------
# Verdicts.

def half_unit(printed: str) -> float:
    """Half a unit of the last digit of a number as printed: "0.0863" -> 0.00005, "2e-9" -> 5e-10.

    Arguments:
        printed: the number as a decimal string.
    """
    exponent = Decimal(printed).as_tuple().exponent
    if not isinstance(exponent, int):  # "n", "N" or "F": a NaN or an infinity has no last digit
        raise ValueError(f"half_unit(): printed = {printed!r} must be a finite decimal number")
    return 0.5 * 10.0 ** exponent


def agrees_within_rounding(printed: str, value: float) -> bool:
    """Whether `value` rounds to the printed number: |value - printed| <= half a unit of its last digit
    (with a relative slack of 1e-9 for binary floating point, so that 0.33975 rounds to 0.3398).

    Arguments:
        printed: the number as printed (a decimal string).
        value: the number to compare with it.
    """
    return abs(value - float(printed)) <= half_unit(printed) * (1.0 + 1e-9)


@dataclass(frozen=True)
class Row:
    """One printed number beside the exact value.

    Attributes: `name`, `published` (as printed), `line` (in the source file), `exact` (computed by the
    engine), `chain` (what the source's own formula gives on its own rounded numbers, or None),
    `verdict` (`AGREES`, `CARRIED` or `WRONG`), `note`.
    """

    name: str
    published: str
    line: int
    exact: float
    chain: float | None
    verdict: str
    note: str = ""


def compare(published: list[tuple[str, str, int]], exact: dict[str, float],
            chain: dict[str, tuple[float, list[str]]], notes: dict[str, str]) -> list[Row]:
    """Judge every printed number, in the order printed.

    A printed number is "off because rounding was carried forward" when it is not the exact value rounded,
    but is the source's own formula on its own rounded numbers, each of which was not itself wrong.

    Arguments:
        published: (name, number as printed, line) triples, in the order printed.
        exact: the exact value of each name.
        chain: {name: (value of the source's formula on its printed numbers, the names it used)}; a name
            without an entry has no chain (only "agrees" or "wrong" are possible).
        notes: remarks by name, shown with the table.
    """
    verdicts: dict[str, str] = {}
    rows = []
    for name, printed, line in published:
        chain_value, uses = chain.get(name, (None, []))
        if agrees_within_rounding(printed, exact[name]):
            verdict = AGREES
        elif (chain_value is not None and agrees_within_rounding(printed, chain_value)
              and all(verdicts.get(used) != WRONG for used in uses)):
            verdict = CARRIED
        else:
            verdict = WRONG
        verdicts[name] = verdict
        rows.append(Row(name, printed, line, exact[name], chain_value, verdict, notes.get(name, "")))
    return rows


# ---------------------------------------------------------------------------------------------------------
# Tables: aligned text for the terminal, HTML for notebooks.

def _format(x: float | None) -> str:
    return "" if x is None else f"{x:.8g}"


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """An aligned text table: the headers, a rule, then one line per row (cells are strings)."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in [headers, ["-" * width for width in widths], *rows]]
    return "\n".join(lines)


def html_table(caption: str, headers: list[str], rows: list[list[str]], wrong: list[bool]) -> str:
    """An HTML table with a caption; the rows where `wrong` is true are highlighted."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = []
    for row, is_wrong in zip(rows, wrong):
        style = ' style="background-color: #fdd"' if is_wrong else ""
        cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
        body.append(f"<tr{style}>{cells}</tr>")
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


class Comparison:
    """Printed numbers beside exact values, with verdicts. `print()` shows an aligned text table; in a
    notebook it shows as an HTML table (wrong numbers highlighted).

    Arguments:
        title: what is compared, and with which source file.
        rows: the `Row`s.
    """

    HEADERS = ["quantity", "line", "published", "exact", "from its rounded numbers", "verdict"]

    def __init__(self, title: str, rows: list[Row]):
        self.title = title
        self.rows = rows

    def row(self, name: str) -> Row:
        """The row of a quantity, e.g. "delta3" or "w13 new"."""
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"Comparison.row(): no quantity {name!r}; "
                       f"the quantities are {', '.join(r.name for r in self.rows)}")

    def _columns(self) -> tuple[list[str], list[list[str]]]:
        """The headers and cells; the chain column only if some row has a chain."""
        with_chain = any(r.chain is not None for r in self.rows)
        headers = [h for h in self.HEADERS if with_chain or h != "from its rounded numbers"]
        cells = [[r.name, str(r.line), r.published, _format(r.exact)] + ([_format(r.chain)] if with_chain else [])
                 + [r.verdict] for r in self.rows]
        return headers, cells

    def __str__(self) -> str:
        headers, cells = self._columns()
        notes = [f"  {r.name} (line {r.line}): {r.note}" for r in self.rows if r.note]
        counts = ", ".join(f"{sum(r.verdict == v for r in self.rows)} {v}" for v in (AGREES, CARRIED, WRONG))
        return "\n".join([self.title, "", text_table(headers, cells), "", counts,
                          *(["Notes:", *notes] if notes else [])])

    __repr__ = __str__  # so a notebook saves the table, not an address
    def _repr_html_(self) -> str:
        headers, cells = self._columns()
        cells = [row + [r.note] for row, r in zip(cells, self.rows)]
        return html_table(self.title, headers + ["note"], cells, [r.verdict == WRONG for r in self.rows])


# ---------------------------------------------------------------------------------------------------------
# The article's own chain of rounded numbers.

def _layer_pairs() -> list[tuple[list[int], list[int]]]:
    """(previous layer, layer) for each layer of neurons after the inputs."""
    return list(zip(NEURONS_002, NEURONS_002[1:]))


def _next_layer(j: int) -> list[int]:
    """The neurons that neuron j feeds."""
    for layer, following in zip(NEURONS_002, NEURONS_002[1:]):
        if j in layer:
            return following
    raise ValueError(f"neuron {j} feeds no neuron")


def article_chain_002(printed: dict[str, float]) -> dict[str, tuple[float, list[str]]]:
    """Recompute each quantity of file 002 with the article's formulas (lines 284-360) from the article's
    own printed, rounded numbers: {name: (value, names of the printed numbers it used)}.

    Arguments:
        printed: the article's numbers by name: {"O3": 0.52, "delta8": 0.0863, ...}.
    """
    w = {label: value for label, value, _ in INITIAL_WEIGHTS_002}
    n_inputs = len(INPUTS_002)

    def output(i: int) -> float:  # O_i as the article uses it: the inputs exactly, the rest as printed
        return INPUTS_002[i - 1] if i <= n_inputs else printed[f"O{i}"]

    def printed_outputs(neurons: list[int]) -> list[str]:
        return [f"O{i}" for i in neurons if i > n_inputs]

    chain: dict[str, tuple[float, list[str]]] = {}
    for previous, layer in _layer_pairs():
        for j in layer:
            i_j = sum(output(i) * w[f"w{i}{j}"] for i in previous)  # I_j = sum_i O_i w_ij
            chain[f"I{j}"] = (i_j, printed_outputs(previous))
            chain[f"O{j}"] = (sigmoid(printed[f"I{j}"]), [f"I{j}"])  # O_j = f(I_j)
    for previous, layer in reversed(_layer_pairs()):
        for j in layer:
            o_j = printed[f"O{j}"]
            if j in NEURONS_002[-1]:
                error, uses = TARGET_002 - o_j, []  # the output's error: O_correct - O_net
            else:
                error = sum(printed[f"delta{k}"] * w[f"w{j}{k}"] for k in _next_layer(j))  # sum_k delta_k w_jk
                uses = [f"delta{k}" for k in _next_layer(j)]
            chain[f"delta{j}"] = (error * o_j * (1.0 - o_j), uses + [f"O{j}"])  # times f'(I_j) = O_j (1 - O_j)
            for i in previous:
                dw = LEARNING_RATE_002 * printed[f"delta{j}"] * output(i)  # Delta w_ij = alpha delta_j O_i
                chain[f"dw{i}{j}"] = (dw, [f"delta{j}"] + printed_outputs([i]))
                chain[f"w{i}{j} new"] = (w[f"w{i}{j}"] + printed[f"dw{i}{j}"], [f"dw{i}{j}"])  # w + Delta w
    return chain


# ---------------------------------------------------------------------------------------------------------
# The network of file 002, run by the engine.

def weight_matrices_002() -> list[list[list[float]]]:
    """The initial weights as `MLP.from_weights` takes them: weights[l][j][i] is the weight from the i-th
    neuron of layer l's input to its j-th neuron (z = W y, lecture note eq 40)."""
    w = {label: value for label, value, _ in INITIAL_WEIGHTS_002}
    return [[[w[f"w{i}{j}"] for i in previous] for j in layer] for previous, layer in _layer_pairs()]


def network_002() -> MLP:
    """The 2-3-2-1 sigmoid network of file 002, without biases, with its initial weights."""
    return MLP.from_weights(weight_matrices_002(), biases=None, activation="sigmoid")


def loss_002(model: MLP) -> Value:
    """E = 1/2 (t - O_8)^2 for the article's sample (inputs 0.6, 0.7; target 0.9). The article writes
    (t - O)^2 (file 002, line 166) but differentiates 1/2 (t - O)^2 (line 176); see the module docstring.

    Arguments:
        model: a network with two inputs and one output, e.g. `network_002()`.
    """
    return F.mse_half(model(INPUTS_002), [TARGET_002])


@dataclass(frozen=True)
class Step:
    """One training step on the article's sample, every number by name.

    Attributes:
        loss: E = 1/2 (t - O_8)^2 before the step.
        forward: "I3".."I8" (weighted inputs z_j) and "O3".."O8" (outputs y_j).
        deltas: "delta3".."delta8", the article's delta_j = -dE/dI_j.
        gradients: dE/dw_ij by label ("w13", ...).
        changes: dw_ij = w_ij(after) - w_ij(before) by label.
        weights: w_ij after the step by label.
    """

    loss: float
    forward: dict[str, float]
    deltas: dict[str, float]
    gradients: dict[str, float]
    changes: dict[str, float]
    weights: dict[str, float]


def training_step_002(model: MLP, optimizer: SGD) -> Step:
    """Forward, backward and one optimiser step on the article's sample, recording every number.

    Arguments:
        model: the network (`network_002()`), changed in place.
        optimizer: the optimiser over `model.parameters()`.
    """
    optimizer.zero_grad()
    loss = loss_002(model)
    loss.backward()
    nodes = {node.label: node for node in topological_order(loss)}
    forward, deltas = {}, {}
    for layer in model.layers:
        for neuron in layer.neurons:
            j = neuron.number
            forward[f"I{j}"] = nodes[f"z{j}"].data  # the article's input I_j is the weighted input z_j
            forward[f"O{j}"] = nodes[f"y{j}"].data
            deltas[f"delta{j}"] = -nodes[f"z{j}"].grad  # the article's delta_j = -dE/dz_j
    params = model.parameters()
    before = [p.data for p in params]
    gradients = {p.label: p.grad for p in params}
    optimizer.step()
    changes = {p.label: p.data - old for p, old in zip(params, before)}
    return Step(loss.data, forward, deltas, gradients, changes, {p.label: p.data for p in params})


@dataclass
class WorkedExample:
    """The result of `worked_example_002()`. `print()` shows the comparison table and the second step; in a
    notebook both show as HTML tables.

    Attributes:
        comparison: every number the article prints beside the exact value and a verdict.
        steps: the two `Step`s: the article's, then the second step with momentum.
        model: the network after the two steps.
        optimizer: its `SGD` (it remembers the last changes, for momentum).
    """

    comparison: Comparison
    steps: list[Step]
    model: MLP
    optimizer: SGD = field(repr=False)

    def row(self, name: str) -> Row:
        """The comparison's row for a quantity, e.g. "delta3" or "w13 new"."""
        return self.comparison.row(name)

    def _second_step(self) -> tuple[str, list[str], list[list[str]]]:
        first, second = self.steps
        caption = (f"Second step on the same sample, with momentum (the article does not print it):\n"
                   f"E = {_format(first.loss)} before the first step, {_format(second.loss)} before the second; "
                   "dw = -alpha dE/dw + gamma dw(first step)")
        headers = ["weight", "-alpha dE/dw", "gamma dw(first step)", "dw", "new weight"]
        cells = [[label, _format(-self.optimizer.lr * second.gradients[label]),
                  _format(self.optimizer.momentum * first.changes[label]),
                  _format(second.changes[label]), _format(second.weights[label])]
                 for label in second.weights]
        return caption, headers, cells

    def __str__(self) -> str:
        caption, headers, cells = self._second_step()
        return f"{self.comparison}\n\n{caption}\n\n{text_table(headers, cells)}"

    __repr__ = __str__  # so a notebook saves the table, not an address
    def _repr_html_(self) -> str:
        caption, headers, cells = self._second_step()
        return self.comparison._repr_html_() + "<br>" + html_table(caption, headers, cells, [False] * len(cells))


def worked_example_002() -> WorkedExample:
    """Reproduce the worked example of the compilation of articles (file 002, lines 257-360): a 2-3-2-1
    sigmoid network without biases, inputs 0.6 and 0.7, target 0.9, loss 1/2 (t - o)^2, one step of
    `SGD(lr=0.3, momentum=0.1)`; then a second step on the same sample, which the article does not print.

    Every number the article prints is compared with the exact value; see the module docstring for the
    verdicts and the article's sign conventions.
    """
    model = network_002()
    optimizer = SGD(model.parameters(), lr=LEARNING_RATE_002, momentum=MOMENTUM_002)
    first = training_step_002(model, optimizer)
    second = training_step_002(model, optimizer)
    exact = {**first.forward, **first.deltas,
             **{f"d{label}": change for label, change in first.changes.items()},
             **{f"{label} new": weight for label, weight in first.weights.items()}}
    printed = {name: float(number) for name, number, _ in PUBLISHED_002}
    rows = compare(PUBLISHED_002, exact, article_chain_002(printed), NOTES_002)
    title = ("The worked example of file 002 (lines 257-360): 2-3-2-1 sigmoid network, inputs 0.6 and 0.7, "
             "target 0.9,\nalpha = 0.3, gamma = 0.1; delta_j = -dE/dI_j; dw = alpha delta_j O_i")
    return WorkedExample(Comparison(title, rows), [first, second], model, optimizer)


# ---------------------------------------------------------------------------------------------------------
# The lecture note's softmax numbers.

def softmax_examples() -> Comparison:
    """The lecture note's softmax numbers (file 001, eqs 58-59, 69-71) beside the exact values of
    `nn.functional.softmax` and `logsumexp`: softmax([1, 2, 3]), logsumexp([1, 2, 3]), and softmax with
    the temperatures T = 100 and T = 0.1."""
    logits = [Value(z, label=f"z{k}") for k, z in enumerate(SOFTMAX_LOGITS_001, start=1)]
    exact = {"logsumexp([1,2,3])": F.logsumexp(logits).data}
    for prefix, temperature in (("softmax", 1.0), ("softmax_T=100", 100.0), ("softmax_T=0.1", 0.1)):
        for k, y in enumerate(F.softmax(logits, temperature=temperature), start=1):
            exact[f"{prefix}([1,2,3])_{k}"] = y.data
    rows = compare(PUBLISHED_SOFTMAX_001, exact, {}, NOTES_SOFTMAX_001)
    return Comparison("The lecture note's softmax numbers (file 001, eqs 58-59, 69-71)", rows)
