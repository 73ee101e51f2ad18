"""Pictures of backpropagation: the computation graph, the paths from a weight to the loss, backward step by
step, and the neuron-level picture of a network.

    from autograd.viz import draw_graph, explain_grad, backward_steps, draw_network, render

Every picture is a `Picture`: a notebook shows it as PNG and SVG rendered by the Graphviz program `dot` (so it
shows trusted or not, in JupyterLab, VS Code, a code host or an HTML export), laid out to fit a notebook column;
`print(picture)` gives a one-line summary, `render(picture, "graph.svg")` writes a file, and `picture.source`
is its DOT text (available even without `dot`). What the boxes, ellipses and edges of the computation graph
mean is described in `autograd._drawing`; backward step by step (frames and the player) in `autograd._player`.
"""

from __future__ import annotations

import html
import numbers
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeAlias

from ._drawing import (MAX_NODES, PATH_STYLE, Drawing, Marks, check_max_nodes, check_precision, check_rankdir,
                       drawing_order, graph_source, number)
from ._picture import COLUMN_PX, Dot, Picture, write
from ._player import BackwardFrame, BackwardSteps, FrameEdge, backward_steps
from .engine import Value, grad

__all__ = ["draw_graph", "explain_grad", "backward_steps", "draw_network", "render", "Picture",
           "GradExplanation", "GradPath", "BackwardSteps", "BackwardFrame", "FrameEdge"]


def render(picture, path: str | os.PathLike, format: str = "svg") -> str:
    """Render a picture through the Graphviz program `dot` and write it to `path`; return the path.

    Arguments:
        picture: a picture from this module (or anything with `.pipe(format=...)`, like a `graphviz.Digraph`).
        path: the file to write.
        format: "svg", "png", "pdf", or any other format `dot` knows.

    If `dot` is not installed, raises RuntimeError saying how to install it; `picture.source` still holds the
    DOT text.
    """
    if not hasattr(picture, "pipe"):
        raise TypeError(f"render(): picture must be a picture from autograd.viz, got {picture!r}")
    if isinstance(picture, Picture):
        return write(picture.pipe(format), path)
    import graphviz  # type: ignore[import-untyped]  # (graphviz ships no type hints, and no stubs exist)
    try:
        return write(picture.pipe(format=format), path)
    except graphviz.ExecutableNotFound as e:
        from ._picture import INSTALL_DOT
        raise RuntimeError(f"render(): {INSTALL_DOT}") from e


# ---------------------------------------------------------------------------------------------------------
# draw_graph and highlighted paths.

def draw_graph(root: Value, *, rankdir: str | None = None, precision: int = 4, edge_labels: bool = True,
               highlight: Value | None = None, group=None, compact: bool = False, max_nodes: int = MAX_NODES,
               max_width: float = COLUMN_PX) -> Picture:
    """The computation graph of `root`: its values, operations and local derivatives.

    Arguments:
        root: the output `Value` (usually a loss, after `backward()` so that every `grad` is filled).
        rankdir: the layout direction: "LR" (left to right), "TB" (top to bottom), "RL" or "BT"; None (the
            default) takes left to right, or top to bottom when that fits a notebook column better.
        precision: digits after the decimal point for data, grad and local derivatives (0 to 17).
        edge_labels: False hides the local derivatives on the edges.
        highlight: a node (usually a parameter): every path from it to `root` is drawn in red, the paths whose
            products of local derivatives sum to d root/d highlight (see `explain_grad`).
        group: a model with `.layers[*].neurons[*]` (an `nn.MLP`): the nodes computed inside each neuron (on a
            path from its weights and bias to its output node labelled `y<j>`, or `z<j>` when there is none)
            are drawn inside one box titled "neuron <j>".
        compact: True draws unlabelled constants as plain numbers beside their edges instead of boxes, and a
            constant computed from constants as one number.
        max_nodes: refuse graphs with more values than this (they are unreadable and slow to lay out).
        max_width: the width to fit, in CSS pixels (a notebook column is about 1,100).

    Nodes are laid out in a deterministic order: each after its parents, operands left to right.
    """
    precision = check_precision(precision, "draw_graph")
    rankdir = check_rankdir(rankdir, "draw_graph")
    drawing = Drawing(root, "draw_graph", expand_constants=not compact)
    check_max_nodes(len(drawing.nodes), max_nodes, "draw_graph", drawing.name(root))
    marks = Marks()
    if highlight is not None:
        drawing.check_member(highlight, "draw_graph(highlight=...)")
        _mark_paths(drawing, highlight, marks)
    clusters = _neuron_boxes(drawing, group) if group is not None else ()

    def grad_text(node: Value) -> str | None:  # a constant has no gradient to show
        return number(node.grad, precision) if node.requires_grad else None

    def source(direction: str) -> str:
        return graph_source(drawing, direction, precision=precision, edge_labels=bool(edge_labels),
                            grad_text=grad_text, marks=marks, clusters=clusters)
    return Picture("draw_graph", source, rankdir, drawing.counts(), max_width)


def _mark_paths(drawing: Drawing, source: Value, marks: Marks) -> None:
    """Style in red every node and edge on a path from `source` to the root."""
    on_path = drawing.depending_on(source)
    for node in on_path:
        marks.styles[node] = PATH_STYLE
        if node is source:
            continue  # the edges into the source itself are not on a path from it
        marks.styles[node, "op"] = marks.styles[node, None] = PATH_STYLE
        for i, parent in enumerate(node.parents):
            if parent in on_path:
                marks.styles[node, i] = PATH_STYLE


def _neuron_boxes(drawing: Drawing, model) -> list[tuple[str, list[Value]]]:
    """For each neuron and each of its output nodes in the drawing, a box titled "neuron <j>" around the
    computed nodes on a path from the neuron's parameters to that output node; each node in one box only."""
    neurons = _neurons(model, "draw_graph(group=...)")
    boxes, boxed = [], set()
    for neuron in neurons:
        number_ = neuron.number
        outputs = ([n for n in drawing.nodes if n.label == f"y{number_}"]
                   or [n for n in drawing.nodes if n.label == f"z{number_}"])
        parameters = [p for p in [*neuron.w, neuron.b] if p is not None and p in drawing.position]
        from_parameters = set().union(*(drawing.depending_on(p) for p in parameters))
        for output in outputs:
            members = [n for n in drawing_order(output) if n.parents and n in from_parameters and n not in boxed]
            boxed.update(members)
            boxes.append((f"neuron {number_}", members))
    if not boxes:
        raise ValueError("draw_graph(group=...): no node of this graph is labelled y<j> or z<j> for a neuron "
                         "number j of the model; was the graph computed by this model?")
    return [box for box in boxes if box[1]]


def _neurons(model, what: str) -> list:
    try:
        return [neuron for layer in model.layers for neuron in layer.neurons]
    except (AttributeError, TypeError):
        raise TypeError(f"{what}: expected a model with .layers[*].neurons[*] (an nn.MLP), "
                        f"got {type(model).__name__}") from None


# ---------------------------------------------------------------------------------------------------------
# explain_grad: the chain rule as a sum over paths.

@dataclass
class GradPath:
    """One path from a node to the root. `names[k+1]` is computed by `ops[k]` from `names[k]`, with local
    derivative `factors[k]`; `product` is the product of the factors."""
    names: list[str]
    ops: list[str]
    factors: list[float]
    product: float


def _wrap(words: list[str], indent: str, width: int = 100) -> list[str]:
    """Words joined by spaces into lines of at most `width` characters, never breaking a word (a number)."""
    lines, line = [], indent
    for word in words:
        if len(line) + 1 + len(word) > width and line.strip():
            lines.append(line)
            line = indent
        line += ("" if line == indent else " ") + word
    return lines + [line]


@dataclass
class GradExplanation:
    """d root/d leaf as the sum over all paths from leaf to root of the product of the local derivatives along
    each path (the chain rule, lecture note eq 22-26). Prints as text; displays as an HTML table in Jupyter.

    Attributes: `leaf_name`, `root_name`, `paths` (the first `max_paths` paths, `GradPath`s), `n_paths` (how
    many paths there are), `total` (the sum over all of them, computed exactly by dynamic programming),
    `grad` (`autograd.grad(root, leaf)`, computed by backpropagation, for comparison), `precision`.
    """
    leaf_name: str
    root_name: str
    paths: list[GradPath]
    n_paths: int
    total: float
    grad: float
    precision: int

    def _heading(self) -> str:
        return (f"d {self.root_name} / d {self.leaf_name} = the sum over the {self.n_paths} path(s) from "
                f"{self.leaf_name} to {self.root_name} of the product of the local derivatives along each path")

    def _omitted(self) -> str:
        left = self.n_paths - len(self.paths)
        return (f"... and {left} more path(s), not listed (raise max_paths to list them); the sum covers all "
                f"{self.n_paths} paths, computed without listing them" if left else "")

    def __str__(self) -> str:
        num = partial(number, precision=self.precision)
        lines = [self._heading() + ":"]
        for k, path in enumerate(self.paths, 1):
            route = [path.names[0]] + [f"-[{op}]-> {name}" for op, name in zip(path.ops, path.names[1:])]
            lines += _wrap([f"path {k}:", *route], "  ")
            factors = " * ".join(num(f) for f in path.factors).split(" ") if path.factors else ["1", "(the root)"]
            lines += _wrap([*factors, "=", num(path.product)], "      ")
        if self._omitted():
            lines.append("  " + self._omitted())
        lines.append(f"  sum = {num(self.total)}   (backpropagation, autograd.grad: {num(self.grad)})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        num = partial(number, precision=self.precision)
        esc = html.escape
        rows = []
        for k, path in enumerate(self.paths, 1):
            route = esc(path.names[0]) + "".join(f" &rarr;<sub>{esc(op)}</sub> {esc(name)}"
                                                 for op, name in zip(path.ops, path.names[1:]))
            factors = " &times; ".join(num(f) for f in path.factors) or "1"
            rows.append(f"<tr><td>{k}</td><td>{route}</td><td>{factors}</td><td>{num(path.product)}</td></tr>")
        if self._omitted():
            rows.append(f"<tr><td colspan='4'>{esc(self._omitted())}</td></tr>")
        rows.append(f"<tr><th colspan='3'>sum (autograd.grad gives {num(self.grad)})</th>"
                    f"<th>{num(self.total)}</th></tr>")
        return (f"<p>{esc(self._heading())}</p><table><tr><th>#</th><th>path</th>"
                f"<th>local derivatives</th><th>product</th></tr>{''.join(rows)}</table>")


def explain_grad(leaf: Value, root: Value, *, max_paths: int = 20, precision: int = 4) -> GradExplanation:
    """d root/d leaf explained as a sum over paths: each path from `leaf` to `root`, the product of the local
    derivatives along it, and the sum of these products (the chain rule, lecture note eq 22-26).

    Arguments:
        leaf: the node to differentiate with respect to (a parameter, or any node that requires a gradient).
        root: the output (usually the loss).
        max_paths: list at most this many paths (an int >= 0); the number of paths can grow exponentially
            with depth, so the sum is computed without listing them and is always exact.
        precision: digits after the decimal point in the text and HTML (0 to 17).

    Time and memory are proportional to the size of the graph plus the length of the paths listed.
    `draw_graph(root, highlight=leaf)` draws the same paths in red.
    """
    if not isinstance(max_paths, numbers.Integral) or isinstance(max_paths, bool):
        raise TypeError(f"explain_grad(): max_paths must be an int (how many paths to list), got {max_paths!r}")
    if max_paths < 0:
        raise ValueError(f"explain_grad(): max_paths = {max_paths!r} must be >= 0")
    precision = check_precision(precision, "explain_grad")
    drawing = Drawing(root, "explain_grad")
    drawing.check_member(leaf, "explain_grad(leaf, root)")
    backprop_grad = float(grad(root, leaf))  # also rejects a constant leaf
    total, n_paths = _path_sum(drawing, leaf)
    paths = [_grad_path(drawing, edges) for edges in _list_paths(drawing, leaf, int(max_paths))]
    return GradExplanation(drawing.name(leaf), drawing.name(root), paths, n_paths, total, backprop_grad, precision)


def _path_sum(drawing: Drawing, leaf: Value) -> tuple[float, int]:
    """The sum over all paths from leaf to root of the products of local derivatives, and the number of paths,
    by dynamic programming in drawing order: for each node, the sum over its parents of (the parent's sum)
    times (the local derivative of the node with respect to that parent). Forward accumulation, from leaf."""
    path_sum = {leaf: 1.0}
    path_count = {leaf: 1}
    for node in drawing.nodes[drawing.position[leaf] + 1:]:
        for parent, local in zip(node.parents, node.local_grads):
            if parent in path_sum:
                path_sum[node] = path_sum.get(node, 0.0) + path_sum[parent] * float(local)
                path_count[node] = path_count.get(node, 0) + path_count[parent]
    return path_sum.get(drawing.root, 0.0), path_count.get(drawing.root, 0)


_Linked: TypeAlias = tuple[tuple[Value, int], "_Linked"] | None  # a path as (last edge, the rest), or None


def _list_paths(drawing: Drawing, leaf: Value, max_paths: int) -> list[list[tuple[Value, int]]]:
    """The first `max_paths` paths from leaf to root, each a list of edges (node, index of the parent), found
    by depth-first search along the uses of each node (in drawing order, operands in order). A path on the
    stack is a linked list (edge, rest), so extending it costs one step, not a copy of the path so far."""
    if max_paths == 0:
        return []
    uses: dict[Value, list[tuple[Value, int]]] = {}
    for node in drawing.nodes:
        for i, parent in enumerate(node.parents):
            uses.setdefault(parent, []).append((node, i))
    paths: list[list[tuple[Value, int]]] = []
    stack: list[tuple[Value, _Linked]] = [(leaf, None)]
    while stack and len(paths) < max_paths:
        node, linked = stack.pop()
        if node is drawing.root:
            edges: list[tuple[Value, int]] = []
            while linked is not None:
                edge, linked = linked
                edges.append(edge)
            paths.append(edges[::-1])
            continue
        for child, i in reversed(uses.get(node, [])):
            stack.append((child, ((child, i), linked)))
    return paths


def _grad_path(drawing: Drawing, edges: list[tuple[Value, int]]) -> GradPath:
    names = [drawing.name(edges[0][0].parents[edges[0][1]])] if edges else [drawing.name(drawing.root)]
    factors = []
    product = 1.0
    for child, i in edges:
        names.append(drawing.name(child))
        factors.append(float(child.local_grads[i]))
        product *= factors[-1]
    return GradPath(names, [str(child.op) for child, _ in edges], factors, product)


# ---------------------------------------------------------------------------------------------------------
# draw_network: the neuron-level picture of the documents.

def draw_network(model, *, inputs: Sequence | None = None, root: Value | None = None, precision: int = 4,
                 rankdir: str | None = None, article_delta: bool = False,
                 max_width: float = COLUMN_PX) -> Picture:
    """The network as the documents draw it: input nodes 1..n, neurons numbered by `neuron.number`, and on
    each edge the weight's label and value (each label joined to its edge by a line).

    Arguments:
        model: a model with `.layers[*].neurons[*]` (an `nn.MLP`); each neuron has `.w`, `.b`, `.number`.
        inputs: run the model on these inputs and show them, and each neuron's z (weighted input) and y.
        root: instead of `inputs`, a value computed from the model (usually the loss E): show the input
            values, z and y of each neuron found in its graph (nodes labelled x<i>, z<j>, y<j>), and each
            neuron's `dE/dz` (the lecture note's delta, eq 14; E is the root's label).
        precision: digits after the decimal point (0 to 17).
        rankdir: the layout direction ("LR", "TB", ...); None: left to right, or top to bottom if that fits.
        article_delta: also show -dE/dz, the delta of the article (seed file 002, delta_j = -dE/dI_j).
        max_width: the width to fit, in CSS pixels.
    """
    precision = check_precision(precision, "draw_network")
    rankdir = check_rankdir(rankdir, "draw_network")
    if inputs is not None and root is not None:
        raise ValueError("draw_network(): give inputs (a forward pass) or root (a forward and backward pass), "
                         "not both")
    neurons = _neurons(model, "draw_network()")
    if not neurons:
        raise ValueError("draw_network(): the model has no neurons")
    n_inputs = len(model.layers[0].neurons[0].w)
    values = _network_values(model, neurons, n_inputs, inputs, root)
    root_name = (root.label or "E") if root is not None else "E"
    num = partial(number, precision=precision)

    def source(direction: str) -> str:
        dot = Dot({"rankdir": direction, "ranksep": "1.6", "nodesep": "0.3", "fontname": "Helvetica"},
                  {"fontname": "Helvetica", "fontsize": "11"}, {"fontname": "Helvetica", "fontsize": "10"})
        for i in range(1, n_inputs + 1):
            lines = [str(i)] + ([f"x{i} = {num(values[f'x{i}'])}"] if f"x{i}" in values else [])
            dot.node(f"n{i}", {"label": "\\n".join(lines), "shape": _shape(lines), "style": "filled",
                               "fillcolor": "#d1e7dd", "class": "input"})
        sources = list(range(1, n_inputs + 1))
        for layer in model.layers:
            for neuron in layer.neurons:
                j = neuron.number
                lines = _neuron_lines(neuron, values, num, root_name, article_delta)
                dot.node(f"n{j}", {"label": "\\n".join(lines), "shape": _shape(lines), "class": "neuron",
                                   "tooltip": f"neuron {j}, activation {_activation_name(neuron.activation)}"})
                for i, w in zip(sources, neuron.w):
                    text = f"{w.label} = {num(w.data)}" if w.label else num(w.data)
                    dot.edge(f"n{i}", f"n{j}", {"label": text, "decorate": "true", "class": "weight"})
            sources = [neuron.number for neuron in layer.neurons]
        return dot.text()
    n_edges = sum(len(n.w) for n in neurons)
    counts = f"{n_inputs} inputs, {len(neurons)} neurons, {n_edges} weights"
    return Picture("draw_network", source, rankdir, counts, max_width)


def _shape(lines: list[str]) -> str:
    """A circle for a bare number (as the documents draw neurons); an ellipse, about half the size of the
    circle around them, for several lines of numbers."""
    return "circle" if len(lines) == 1 else "ellipse"


def _neuron_lines(neuron, values: dict, num, root_name: str, article_delta: bool) -> list[str]:
    j = neuron.number
    lines = [str(j)]
    if neuron.b is not None:
        lines.append(f"{neuron.b.label or 'b'} = {num(neuron.b.data)}")
    for name in ("z", "y"):
        if f"{name}{j}" in values:
            lines.append(f"{name} = {num(values[f'{name}{j}'])}")
    if f"delta{j}" in values:
        lines.append(f"d{root_name}/dz = {num(values[f'delta{j}'])}")
        if article_delta:
            lines.append(f"-d{root_name}/dz = {num(-values[f'delta{j}'])} (article)")
    return lines


def _activation_name(activation) -> str:
    return activation if isinstance(activation, str) else getattr(activation, "__name__", repr(activation))


def _network_values(model, neurons: list, n_inputs: int, inputs, root) -> dict[str, float]:
    """The numbers to show, by name: x<i>, z<j>, y<j> and delta<j>, read from the nodes with these labels in
    the graph of a forward pass on `inputs`, or in the graph of `root` (then with delta<j> = d root/d z<j>)."""
    if root is not None and not isinstance(root, Value):
        raise TypeError(f"draw_network(): root must be a Value computed from the model, got {root!r}")
    if inputs is not None:
        outputs = list(model(inputs))
    elif root is not None:
        outputs = [root]
    else:
        return {}
    wanted = {f"x{i}" for i in range(1, n_inputs + 1)} | {f"{v}{n.number}" for n in neurons for v in "zy"}
    found: dict[str, Value] = {}
    for output in outputs:
        for node in drawing_order(output):
            if node.label in wanted:
                if found.get(node.label, node) is not node:
                    raise ValueError(f"draw_network(): the graph holds several nodes labelled {node.label!r} (the "
                                     "model was called on several examples); draw the graph of one example")
                found[node.label] = node
    values = {label: node.data for label, node in found.items()}
    z_nodes = {n.number: found[f"z{n.number}"] for n in neurons if f"z{n.number}" in found}
    if root is not None and z_nodes:
        deltas = grad(root, list(z_nodes.values()))  # delta_j = d root/d z_j (lecture note eq 14)
        values.update({f"delta{j}": float(d) for j, d in zip(z_nodes, deltas)})
    for j in z_nodes:  # an identity activation may have no separate y node: y = z
        values.setdefault(f"y{j}", values[f"z{j}"])
    return values
