"""The computation graph as DOT text: the nodes of a graph in drawing order, their names and kinds, and the
boxes, operation ellipses and labelled edges that `draw_graph` and the backward frames draw.

A box per `Value` shows its `label` (or an automatic name `v1`, `v2`, ... that no label of the graph uses),
its `data` and its `grad`; an ellipse per operation shows its `op`; the edge from each parent to the operation
carries its local derivative (the `local_grads` entry), one edge per operand, so `a * a` shows two. Box styles:
parameters (leaves that require a gradient) blue, inputs (labelled constants) green, constants grey and dashed,
the output yellow, intermediate nodes white.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

from ._picture import DIRECTIONS, Dot
from .engine import Value, topological_order

MAX_NODES = 5000  # more boxes than this are no longer a picture anyone can read, and take dot minutes

KIND_STYLE = {  # box styles of the kinds of Value
    "parameter": {"style": "filled", "fillcolor": "#cfe2ff"},
    "input": {"style": "filled", "fillcolor": "#d1e7dd"},
    "constant": {"style": "filled,dashed", "fillcolor": "#eeeeee"},
    "intermediate": {},
    "output": {"style": "filled,bold", "fillcolor": "#fff3cd"},
}
PATH_STYLE = {"class": "path", "color": "red", "fontcolor": "red", "penwidth": "2.5"}  # highlight=
STEP_STYLE = {"class": "active", "color": "blue", "fontcolor": "blue", "penwidth": "2.5"}  # backward frames
FONT = {"fontname": "Helvetica", "fontsize": "11"}
EDGE_FONT = {"fontname": "Helvetica", "fontsize": "10"}


# ---------------------------------------------------------------------------------------------------------
# Checking the options shared by the drawing functions.

def check_precision(precision, function: str) -> int:
    if not isinstance(precision, numbers.Integral) or isinstance(precision, bool):
        raise TypeError(f"{function}(): precision must be an int (digits after the decimal point), "
                        f"got {precision!r}")
    if not 0 <= int(precision) <= 17:
        raise ValueError(f"{function}(): precision = {precision!r} must be between 0 and 17 digits")
    return int(precision)


def check_rankdir(rankdir, function: str) -> str | None:
    if rankdir is None:
        return None
    if rankdir not in DIRECTIONS:
        raise ValueError(f"{function}(): rankdir = {rankdir!r} must be one of {', '.join(DIRECTIONS)} "
                         "(or None: the direction that fits a notebook column)")
    return rankdir


def check_max_nodes(n_nodes: int, max_nodes, function: str, root_name: str) -> None:
    if not isinstance(max_nodes, numbers.Integral) or isinstance(max_nodes, bool) or max_nodes < 1:
        raise ValueError(f"{function}(): max_nodes = {max_nodes!r} must be a positive int")
    if n_nodes > max_nodes:
        raise ValueError(
            f"{function}(): the graph of {root_name} has {n_nodes:,} nodes, more than max_nodes = {max_nodes:,}: "
            "too many to read in a picture, and Graphviz would take minutes to lay it out. Draw a sub-graph "
            "(the loss of one example, one neuron's output), the neuron-level picture "
            "(draw_network(model, root=...)), or draw_graph(..., group=model, compact=True); "
            "or raise max_nodes.")


def number(x, precision: int) -> str:
    x = float(x) + 0.0  # + 0.0 turns -0.0 into 0.0
    if x != 0.0 and math.isfinite(x) and not 10.0 ** -precision <= abs(x) < 1e6:
        return f"{x:.{precision}g}"  # too small or too large for fixed decimals
    return f"{x:.{precision}f}"


# ---------------------------------------------------------------------------------------------------------
# The nodes of a graph, in drawing order.

def drawing_order(root: Value, expand_constants: bool = True) -> list[Value]:
    """Every node `root` depends on, each after all of its parents (leaves first).

    The engine's `topological_order` gives the nodes that require a gradient; the constants among their parents
    are put in just before their first use. A constant computed from other constants (`1.0 - t` with a
    constant t) brings its own constant parents when `expand_constants`; otherwise it is drawn as a number."""
    order: list[Value] = []
    placed: set[Value] = set()
    for node in reversed(topological_order(root)):
        for parent in node.parents:
            if not parent.requires_grad and parent not in placed:
                _place_constant(parent, order, placed, expand_constants)
        if node not in placed:  # a constant root was placed by the loop above
            placed.add(node)
            order.append(node)
    return order


def _place_constant(constant: Value, order: list, placed: set, expand: bool) -> None:
    """Append `constant` after its own (constant) parents, if they are drawn: a depth-first walk over the
    constants only, which the engine's walk does not visit."""
    stack = [(constant, False)]
    while stack:
        node, parents_done = stack.pop()
        if node in placed:
            continue
        if parents_done or not expand or not node.parents:
            placed.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((p, False) for p in reversed(node.parents) if p not in placed)


class Drawing:
    """The nodes `root` depends on in drawing order, with deterministic ids, display names and kinds."""

    def __init__(self, root: Value, function: str, expand_constants: bool = True):
        if not isinstance(root, Value):
            raise TypeError(f"{function}(): the root must be a Value, got {root!r}")
        self.root = root
        self.function = function
        self.expand_constants = expand_constants
        self.nodes = drawing_order(root, expand_constants)
        self.position = {node: k for k, node in enumerate(self.nodes)}
        self.names = self._names()

    def _names(self) -> dict[Value, str]:
        """Labels, and for unlabelled nodes that require a gradient `v1`, `v2`, ... skipping every label the
        graph already uses, so no two nodes share a name unless the user gave them the same label."""
        used = {node.label for node in self.nodes if node.label}
        names, k = {}, 0
        for node in self.nodes:
            if node.label:
                names[node] = node.label
            elif node.requires_grad or node is self.root:
                k += 1
                while f"v{k}" in used:
                    k += 1
                names[node] = f"v{k}"
        return names

    def id(self, node: Value) -> str:
        return f"v{self.position[node]}"

    def name(self, node: Value) -> str:
        """The node's label, or its automatic name (an unlabelled constant is named by its value)."""
        return self.names.get(node) or repr(node.data)

    def kind(self, node: Value) -> str:
        if node is self.root:
            return "output"
        if not node.parents:
            if node.requires_grad:
                return "parameter"
            return "input" if node.label else "constant"
        return "intermediate" if node.requires_grad else "constant"

    def drawn_as_number(self, node: Value) -> bool:
        """In a compact picture an unlabelled constant is a number, not a box."""
        return not self.expand_constants and not node.requires_grad and not node.label and node is not self.root

    def depending_on(self, source: Value) -> set[Value]:
        """`source` and every node of the drawing computed from it: the nodes on the paths from it to root."""
        reached = {source}
        for node in self.nodes[self.position[source] + 1:]:
            if any(p in reached for p in node.parents):
                reached.add(node)
        return reached

    def check_member(self, node, what: str) -> None:
        if not isinstance(node, Value):
            raise TypeError(f"{what}: expected a Value, got {node!r}")
        if node not in self.position:
            raise ValueError(f"{what}: {node!r} is not in the graph of {self.name(self.root)} "
                             f"(the root does not depend on it)")

    def counts(self) -> str:
        n_ops = sum(1 for node in self.nodes if self.drawn_ops(node))
        n_edges = sum(len(node.parents) + 1 for node in self.nodes if self.drawn_ops(node))
        return (f"{len(self.nodes)} values, {n_ops} operations, {n_edges} edges, "
                f"root {self.name(self.root)}")

    def drawn_ops(self, node: Value) -> bool:
        """Whether the node's operation (and its parents) are drawn."""
        return bool(node.parents) and (node.requires_grad or self.expand_constants)


# ---------------------------------------------------------------------------------------------------------
# DOT text of the computation graph.

def record_field(text: str) -> str:
    """Escape the characters that structure a Graphviz record label."""
    for ch in "\\{}|<>\"":
        text = text.replace(ch, "\\" + ch)
    return text


def with_class(base: str, extra: dict | None) -> dict:
    """Graphviz attributes: `extra` over a base SVG class (classes are joined, so tests and CSS see both)."""
    attrs = dict(extra or {})
    attrs["class"] = f"{base} {attrs['class']}" if "class" in attrs else base
    return attrs


@dataclass
class Marks:
    """Extra Graphviz attributes for some nodes and edges. Keys: a Value (its box), (Value, "op") (its
    operation), (Value, i) (the edge from its i-th parent to its operation), (Value, None) (operation -> Value).
    `edge_labels` replaces the local derivative on some edges; `title` is a caption under the picture."""
    styles: dict = field(default_factory=dict)
    edge_labels: dict = field(default_factory=dict)
    title: str | None = None


def graph_source(drawing: Drawing, rankdir: str, *, precision: int, edge_labels: bool,
                 grad_text: Callable[[Value], str | None], marks: Marks, clusters=(), positions=None) -> str:
    """The DOT text of the computation graph: a record per Value, an ellipse per operation, labelled edges.

    `clusters` are (title, [Value]) boxes around groups of nodes; `positions` (from `_picture.layout`) pins
    every node, edge and label where an earlier layout put it, for `neato -n2`."""
    graph = {"rankdir": rankdir, "nodesep": "0.25", "ranksep": "0.35", **FONT}
    if marks.title:
        graph.update(label=marks.title, labelloc="b", labeljust="l")
    if positions:
        graph["bb"] = positions["bb"]
    dot = Dot(graph, FONT, EDGE_FONT)
    at = _Pins(positions)
    across = rankdir in ("LR", "RL")  # a record's fields run across the rank direction: stack them
    number_of = partial_number(precision)
    for node in drawing.nodes:
        kind = drawing.kind(node)
        node_id = drawing.id(node)
        style = {**KIND_STYLE[kind], **marks.styles.get(node, {})}
        if drawing.drawn_as_number(node):
            dot.node(node_id, at.node(node_id, {"label": number_of(node.data), "shape": "plaintext",
                                                 **with_class("constant", marks.styles.get(node))}))
            continue
        fields = [f"data {number_of(node.data)}"]
        if node in drawing.names:
            fields.insert(0, drawing.name(node))
        node_grad = grad_text(node)
        if node_grad is not None:
            fields.append(f"grad {node_grad}")
        label = " | ".join(record_field(f) for f in fields)
        dot.node(node_id, at.node(node_id, {"label": label if across else "{" + label + "}", "shape": "record",
                                            **with_class(kind, style)}))
        if not drawing.drawn_ops(node):
            continue
        op_id = node_id + "_op"
        dot.node(op_id, at.node(op_id, {"label": str(node.op) or "op", "shape": "ellipse",
                                        **with_class("op", marks.styles.get((node, "op")))}))
        dot.edge(op_id, node_id, at.edge(f"{node_id}_r", with_class("result", marks.styles.get((node, None)))))
        for i, parent in enumerate(node.parents):
            attrs = with_class("local", marks.styles.get((node, i)))
            if (node, i) in marks.edge_labels:
                attrs["label"] = marks.edge_labels[node, i]
            elif edge_labels and node.local_grads and parent.requires_grad:
                # a constant records no local derivatives, and backward never uses those towards a constant
                attrs["label"] = number_of(node.local_grads[i])
            dot.edge(drawing.id(parent), op_id, at.edge(f"{node_id}_{i}", attrs))
    for k, (title, members) in enumerate(clusters):
        name = f"cluster_{k}"
        dot.open_cluster(name, at.cluster(name, {"label": title, "style": "rounded", "color": "gray40", **FONT}))
        for node in members:
            dot.node(drawing.id(node), {})
            if drawing.drawn_ops(node):
                dot.node(drawing.id(node) + "_op", {})
        dot.close_cluster()
    return dot.text()


def partial_number(precision: int) -> Callable[[float], str]:
    return lambda x: number(x, precision)


class _Pins:
    """Adds an earlier layout's positions to attributes (nothing when there is no layout). Every edge gets an
    id, so that a layout's edges can be found again."""

    def __init__(self, positions):
        self.positions = positions

    def node(self, name: str, attrs: dict) -> dict:
        if self.positions and name in self.positions["nodes"]:
            laid = self.positions["nodes"][name]
            attrs.update(pos=laid["pos"], width=laid["width"], height=laid["height"])
        return attrs

    def edge(self, edge_id: str, attrs: dict) -> dict:
        attrs["id"] = edge_id
        if self.positions and edge_id in self.positions["edges"]:
            laid = self.positions["edges"][edge_id]
            attrs["pos"] = laid["pos"]
            if "lp" in laid:
                attrs["lp"] = laid["lp"]
        return attrs

    def cluster(self, name: str, attrs: dict) -> dict:
        if self.positions and name in self.positions["clusters"]:
            laid = self.positions["clusters"][name]
            attrs.update(bb=laid["bb"], lp=laid.get("lp"))
        return attrs
