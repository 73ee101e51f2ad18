"""Pictures of backpropagation: the computation graph, the paths from a weight to the loss, backward step by step,
and the neuron-level picture of a network.

    from autograd.viz import draw_graph, explain_grad, backward_steps, draw_network, render

Every picture is a `graphviz.Digraph`: Jupyter displays it inline, `render(picture, "graph.svg")` writes a file,
and `picture.source` is its DOT text (available even without the Graphviz program `dot`).

The computation graph uses the words of the code. A box per `Value` shows its `label` (or `v<k>`, its position
in the drawing, when it has none), its `data` and its `grad`; an ellipse per operation shows its `op`; the edge
from each parent to the operation carries its local derivative (the `local_grads` entry), one edge per operand,
so `a * a` shows two. Box styles: parameters (leaves that require a gradient) blue, inputs (labelled constants)
green, constants grey and dashed, the output yellow, intermediate nodes white.

Only this module imports `graphviz` (and IPython, ipywidgets for `BackwardSteps.show`).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from .engine import Value, grad, topological_order

if TYPE_CHECKING:
    import graphviz

__all__ = ["draw_graph", "explain_grad", "backward_steps", "draw_network", "render",
           "GradExplanation", "GradPath", "BackwardSteps", "BackwardFrame", "FrameEdge"]

_INSTALL_DOT = (
    "the Graphviz program `dot` was not found on PATH, so the picture cannot be rendered. Install Graphviz: "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
    "`conda install -c conda-forge graphviz` (conda), or see https://graphviz.org/download/. "
    "The DOT source of the picture is still available as `picture.source`."
)

_KIND_STYLE = {  # box styles of the kinds of Value
    "parameter": {"style": "filled", "fillcolor": "#cfe2ff"},
    "input": {"style": "filled", "fillcolor": "#d1e7dd"},
    "constant": {"style": "filled,dashed", "fillcolor": "#eeeeee"},
    "intermediate": {},
    "output": {"style": "filled,bold", "fillcolor": "#fff3cd"},
}
_PATH_STYLE = {"class": "path", "color": "red", "fontcolor": "red", "penwidth": "2.5"}  # highlight=
_STEP_STYLE = {"class": "active", "color": "blue", "fontcolor": "blue", "penwidth": "2.5"}  # backward frames


# ---------------------------------------------------------------------------------------------------------
# Rendering.

def render(graph: graphviz.Digraph, path: str | os.PathLike, format: str = "svg") -> str:
    """Render a picture through the Graphviz program `dot` and write it to `path`; return the path.

    Arguments:
        graph: a picture from this module (any `graphviz.Digraph`).
        path: the file to write.
        format: "svg", "png", "pdf", or any other format `dot` knows.

    If `dot` is not installed, raises RuntimeError saying how to install it; `graph.source` still holds the
    DOT text.
    """
    data = _pipe(graph, format)
    with open(path, "wb") as f:
        f.write(data)
    return os.fspath(path)


def _pipe(graph: graphviz.Digraph, format: str) -> bytes:
    import graphviz
    try:
        return graph.pipe(format=format)
    except graphviz.ExecutableNotFound as e:
        raise RuntimeError(f"render(): {_INSTALL_DOT}") from e


# ---------------------------------------------------------------------------------------------------------
# The nodes of a graph, in drawing order.

def _forward_order(roots: Sequence[Value]) -> list[Value]:
    """Every node the roots depend on, constants included, each after all of its parents (leaves first).

    `topological_order` leaves out constants, which a picture shows; this is the same iterative depth-first
    search over all parents, taken in operand order so that the drawing follows the expression."""
    order: list[Value] = []
    expanded: set[Value] = set()
    emitted: set[Value] = set()
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node not in expanded:
            expanded.add(node)
            stack.append(node)
            for p in reversed(node.parents):
                if p not in expanded:
                    stack.append(p)
        elif node not in emitted:  # all its parents have been emitted
            emitted.add(node)
            order.append(node)
    return order


class _Drawing:
    """The nodes `root` depends on in drawing order, with deterministic ids and display names."""

    def __init__(self, root: Value):
        if not isinstance(root, Value):
            raise TypeError(f"the root of a picture must be a Value, got {root!r}")
        self.root = root
        self.nodes = _forward_order([root])
        self.position = {node: k for k, node in enumerate(self.nodes)}

    def id(self, node: Value) -> str:
        return f"v{self.position[node]}"

    def name(self, node: Value) -> str:
        """The node's label, or `v<k>` (its position in the drawing) when it has none."""
        return node.label or self.id(node)

    def kind(self, node: Value) -> str:
        if node is self.root:
            return "output"
        if not node.parents:
            if node.requires_grad:
                return "parameter"
            return "input" if node.label else "constant"
        return "intermediate" if node.requires_grad else "constant"

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


def _number(x, precision: int) -> str:
    x = float(x) + 0.0  # + 0.0 turns -0.0 into 0.0
    if x != 0.0 and not 10.0 ** -precision <= abs(x) < 1e6:
        return f"{x:.{precision}g}"  # too small or too large for fixed decimals
    return f"{x:.{precision}f}"


def _record_field(text: str) -> str:
    """Escape the characters that structure a Graphviz record label."""
    for ch in "\\{}|<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _with_class(base: str, extra: dict | None) -> dict:
    """Graphviz attributes: `extra` over a base SVG class (classes are joined, so tests and CSS see both)."""
    attrs = dict(extra or {})
    attrs["class"] = f"{base} {attrs['class']}" if "class" in attrs else base
    return attrs


@dataclass
class _Marks:
    """Extra Graphviz attributes for some nodes and edges. Keys: a Value (its box), (Value, "op") (its
    operation), (Value, i) (the edge from its i-th parent to its operation), (Value, None) (operation -> Value).
    `edge_labels` replaces the local derivative on some edges."""
    styles: dict
    edge_labels: dict


def _digraph(drawing: _Drawing, *, rankdir: str, precision: int, edge_labels: bool,
             grad_text: Callable[[Value], str | None], marks: _Marks) -> graphviz.Digraph:
    """The computation graph of `drawing`: a record per Value, an ellipse per operation, labelled edges."""
    import graphviz
    g = graphviz.Digraph(graph_attr={"rankdir": rankdir},
                         node_attr={"fontname": "Helvetica", "fontsize": "11"},
                         edge_attr={"fontname": "Helvetica", "fontsize": "10"})
    for node in drawing.nodes:
        kind = drawing.kind(node)
        fields = [drawing.name(node), f"data {_number(node.data, precision)}"]
        node_grad = grad_text(node)
        if node_grad is not None:
            fields.append(f"grad {node_grad}")
        label = "{" + " | ".join(_record_field(f) for f in fields) + "}"
        style = {**_KIND_STYLE[kind], **marks.styles.get(node, {})}
        g.node(drawing.id(node), label=label, shape="record", **_with_class(kind, style))
        if not node.parents:
            continue
        op_id = drawing.id(node) + "_op"
        g.node(op_id, label=str(node.op) or "op", shape="ellipse", **_with_class("op", marks.styles.get((node, "op"))))
        g.edge(op_id, drawing.id(node), **_with_class("result", marks.styles.get((node, None))))
        for i, parent in enumerate(node.parents):
            attrs = _with_class("local", marks.styles.get((node, i)))
            if (node, i) in marks.edge_labels:
                attrs["label"] = marks.edge_labels[node, i]
            elif edge_labels and node.local_grads and parent.requires_grad:
                # a constant records no local derivatives, and backward never uses those towards a constant
                attrs["label"] = _number(node.local_grads[i], precision)
            g.edge(drawing.id(parent), op_id, **attrs)
    return g


# ---------------------------------------------------------------------------------------------------------
# draw_graph and highlighted paths.

def draw_graph(root: Value, *, rankdir: str = "LR", precision: int = 4, edge_labels: bool = True,
               highlight: Value | None = None, group=None) -> graphviz.Digraph:
    """The computation graph of `root`: its values, operations and local derivatives.

    Arguments:
        root: the output `Value` (usually a loss, after `backward()` so that every `grad` is filled).
        rankdir: the layout direction: "LR" (left to right), "TB" (top to bottom), "RL" or "BT".
        precision: digits after the decimal point for data, grad and local derivatives.
        edge_labels: False hides the local derivatives on the edges.
        highlight: a node (usually a parameter): every path from it to `root` is drawn in red, the paths whose
            products of local derivatives sum to d root/d highlight (see `explain_grad`).
        group: a model with `.layers[*].neurons[*]` (an `nn.MLP`): the nodes computed inside each neuron (on a
            path from its weights and bias to its output node labelled `y<j>`, or `z<j>` when there is none)
            are drawn inside one box titled "neuron <j>".

    Nodes are laid out in a deterministic order: each after its parents, operands left to right.
    """
    drawing = _Drawing(root)
    marks = _Marks({}, {})
    if highlight is not None:
        drawing.check_member(highlight, "draw_graph(highlight=...)")
        _mark_paths(drawing, highlight, marks)

    def grad_text(node: Value) -> str | None:  # a constant has no gradient to show
        return _number(node.grad, precision) if node.requires_grad else None
    g = _digraph(drawing, rankdir=rankdir, precision=precision, edge_labels=edge_labels, grad_text=grad_text,
                 marks=marks)
    if group is not None:
        _add_neuron_boxes(g, drawing, group)
    return g


def _mark_paths(drawing: _Drawing, source: Value, marks: _Marks) -> None:
    """Style in red every node and edge on a path from `source` to the root."""
    on_path = drawing.depending_on(source)
    for node in on_path:
        marks.styles[node] = _PATH_STYLE
        if node is source:
            continue  # the edges into the source itself are not on a path from it
        marks.styles[node, "op"] = marks.styles[node, None] = _PATH_STYLE
        for i, parent in enumerate(node.parents):
            if parent in on_path:
                marks.styles[node, i] = _PATH_STYLE


def _add_neuron_boxes(g: graphviz.Digraph, drawing: _Drawing, model) -> None:
    """Draw the nodes computed inside each neuron of `model` inside one box (a Graphviz cluster)."""
    boxed: set[Value] = set()
    for k, (number, members) in enumerate(_neuron_members(drawing, model)):
        members = [node for node in members if node not in boxed]  # a node goes into one box only
        if not members:
            continue
        boxed.update(members)
        with g.subgraph(name=f"cluster_{k}") as box:
            box.attr(label=f"neuron {number}", style="rounded", color="gray40", fontname="Helvetica")
            for node in members:
                box.node(drawing.id(node))
                box.node(drawing.id(node) + "_op")


def _neuron_members(drawing: _Drawing, model) -> list[tuple[int, list[Value]]]:
    """For each neuron and each of its output nodes in the drawing: the computed nodes on a path from the
    neuron's parameters to that output node, in drawing order."""
    neurons = _neurons(model, "draw_graph(group=...)")
    result = []
    for neuron in neurons:
        number = neuron.number
        outputs = ([n for n in drawing.nodes if n.label == f"y{number}"]
                   or [n for n in drawing.nodes if n.label == f"z{number}"])
        parameters = [p for p in [*neuron.w, neuron.b] if p is not None and p in drawing.position]
        from_parameters = set().union(*(drawing.depending_on(p) for p in parameters))
        for output in outputs:
            upstream = _forward_order([output])
            members = [n for n in upstream if n.parents and n in from_parameters]
            result.append((number, members))
    if not result:
        raise ValueError("draw_graph(group=...): no node of this graph is labelled y<j> or z<j> for a neuron "
                         "number j of the model; was the graph computed by this model?")
    return result


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
        num = partial(_number, precision=self.precision)
        lines = [self._heading() + ":"]
        for k, path in enumerate(self.paths, 1):
            route = path.names[0] + "".join(f" -[{op}]-> {name}" for op, name in zip(path.ops, path.names[1:]))
            product = " * ".join(num(f) for f in path.factors) or "1 (the root itself)"
            lines.append(f"  path {k}: {route}:  {product} = {num(path.product)}")
        if self._omitted():
            lines.append("  " + self._omitted())
        lines.append(f"  sum = {num(self.total)}   (backpropagation, autograd.grad: {num(self.grad)})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        num = partial(_number, precision=self.precision)
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
        max_paths: list at most this many paths; the number of paths can grow exponentially with depth, so
            the sum is computed without listing them and is always exact.
        precision: digits after the decimal point in the text and HTML.

    `draw_graph(root, highlight=leaf)` draws the same paths in red.
    """
    drawing = _Drawing(root)
    drawing.check_member(leaf, "explain_grad(leaf, root)")
    backprop_grad = float(grad(root, leaf))  # also rejects a constant leaf
    total, n_paths = _path_sum(drawing, leaf)
    paths = [_grad_path(drawing, edges) for edges in _list_paths(drawing, leaf, max_paths)]
    return GradExplanation(drawing.name(leaf), drawing.name(root), paths, n_paths, total, backprop_grad, precision)


def _path_sum(drawing: _Drawing, leaf: Value) -> tuple[float, int]:
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


def _list_paths(drawing: _Drawing, leaf: Value, max_paths: int) -> list[list[tuple[Value, int]]]:
    """The first `max_paths` paths from leaf to root, each a list of edges (node, index of the parent), found
    by depth-first search along the uses of each node (in drawing order, operands in order)."""
    uses: dict[Value, list[tuple[Value, int]]] = {}
    for node in drawing.nodes:
        for i, parent in enumerate(node.parents):
            uses.setdefault(parent, []).append((node, i))
    paths = []
    stack = [(leaf, [])]
    while stack and len(paths) < max_paths:
        node, edges = stack.pop()
        if node is drawing.root:
            paths.append(edges)
            continue
        for child, i in reversed(uses.get(node, [])):
            stack.append((child, edges + [(child, i)]))
    return paths


def _grad_path(drawing: _Drawing, edges: list[tuple[Value, int]]) -> GradPath:
    names = [drawing.name(edges[0][0].parents[edges[0][1]])] if edges else [drawing.name(drawing.root)]
    factors = []
    product = 1.0
    for child, i in edges:
        names.append(drawing.name(child))
        factors.append(float(child.local_grads[i]))
        product *= factors[-1]
    return GradPath(names, [str(child.op) for child, _ in edges], factors, product)


# ---------------------------------------------------------------------------------------------------------
# backward_steps: backward one node at a time.

@dataclass
class FrameEdge:
    """One parent of the node being propagated (`index`: its operand position): what backward adds to its
    gradient. `added` = `local_grad` * the node's gradient; `total` is the parent's gradient after the addition."""
    parent: Value = field(repr=False)
    name: str
    index: int
    local_grad: float
    added: float
    total: float


@dataclass
class BackwardFrame:
    """One step of backward: `node` passes its complete gradient `grad` (d root/d node) to its parents.

    Attributes: `index` (0 for the root), `node`, `name`, `grad`, `edges` (a `FrameEdge` per parent that
    requires a gradient, in operand order), `grads` (every gradient computed so far, after this step: a dict
    Value -> float), `graph` (the picture, with this node and its edges in blue), `text`.
    """
    index: int
    node: Value
    name: str
    grad: float
    edges: list[FrameEdge]
    grads: dict = field(repr=False)
    _drawing: _Drawing = field(repr=False)
    _precision: int = field(repr=False)
    _rankdir: str = field(repr=False)

    @property
    def text(self) -> str:
        num = partial(_number, precision=self._precision)
        op = f" (op {self.node.op})" if self.node.op else ""
        lines = [f"step {self.index + 1}: {self.name}{op} has its complete gradient "
                 f"d {self._drawing.name(self._drawing.root)}/d {self.name} = {num(self.grad)}"]
        for e in self.edges:
            lines.append(f"  {e.name}.grad += {num(e.local_grad)} * {num(self.grad)} = {num(e.added)}"
                         f"   ->  {e.name}.grad = {num(e.total)}")
        if not self.node.parents:
            lines.append(f"  {self.name} is a leaf: nothing to pass on")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text

    @property
    def graph(self) -> graphviz.Digraph:
        num = partial(_number, precision=self._precision)
        marks = _Marks({self.node: _STEP_STYLE}, {})
        if self.edges:
            marks.styles[self.node, "op"] = marks.styles[self.node, None] = _STEP_STYLE
        for e in self.edges:
            marks.styles[self.node, e.index] = _STEP_STYLE
            marks.edge_labels[self.node, e.index] = f"{num(e.local_grad)} * {num(self.grad)} = {num(e.added)}"

        def grad_text(node: Value) -> str | None:
            if not node.requires_grad:
                return None
            return num(self.grads[node]) if node in self.grads else "—"  # not reached yet
        return _digraph(self._drawing, rankdir=self._rankdir, precision=self._precision, edge_labels=True,
                        grad_text=grad_text, marks=marks)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        svg = _pipe(self.graph, "svg").decode()
        return {"text/html": f"<pre>{html.escape(self.text)}</pre>{svg}", "text/plain": self.text}


class BackwardSteps(Sequence):
    """The frames of backward, one per node in the order backward visits them (`topological_order`).

    A sequence of `BackwardFrame`s; `str()` gives all steps as text; `save(folder)` writes numbered pictures;
    in Jupyter, `show()` (or just displaying the object) plays them with a slider."""

    def __init__(self, frames: list[BackwardFrame]):
        self.frames = frames

    def __len__(self) -> int:
        return len(self.frames)

    def __getitem__(self, k):
        return self.frames[k]

    def __str__(self) -> str:
        return "\n".join(frame.text for frame in self.frames)

    def save(self, folder: str | os.PathLike, format: str = "svg") -> list[str]:
        """Write one picture per frame, `step_001.svg`, `step_002.svg`, ..., into `folder` (created if needed);
        return the paths.

        Arguments:
            folder: the directory to write to.
            format: "svg", "png", "pdf", or any format the Graphviz program `dot` knows.
        """
        os.makedirs(folder, exist_ok=True)
        width = max(3, len(str(len(self.frames))))
        return [render(frame.graph, os.path.join(folder, f"step_{frame.index + 1:0{width}d}.{format}"), format)
                for frame in self.frames]

    def show(self) -> None:
        """Play the frames in Jupyter: a slider over the steps if ipywidgets is installed, otherwise every
        frame one after the other."""
        from IPython.display import HTML, display
        pages = [frame._repr_mimebundle_()["text/html"] for frame in self.frames]
        try:
            import ipywidgets
        except ImportError:
            for page in pages:
                display(HTML(page))
            return
        slider = ipywidgets.IntSlider(value=0, min=0, max=len(pages) - 1, description="step")
        view = ipywidgets.HTML(pages[0])

        def on_change(change):
            view.value = pages[change["new"]]
        slider.observe(on_change, names="value")
        display(ipywidgets.VBox([slider, view]))

    def _ipython_display_(self) -> None:
        self.show()


def backward_steps(root: Value, *, precision: int = 4, rankdir: str = "LR") -> BackwardSteps:
    """Backward one node at a time: a frame per node, in the order backward visits them.

    In each frame a node whose gradient is complete passes it to its parents: the parent's gradient grows by
    local derivative * the node's gradient (the chain rule). Gradients start from zero (a leaf's accumulated
    `.grad` from earlier `backward()` calls is not shown); `.grad` itself is not changed.

    Arguments:
        root: the output to differentiate (usually the loss); it must require a gradient.
        precision: digits after the decimal point in the pictures and text.
        rankdir: the layout direction of the pictures ("LR", "TB", ...).
    """
    drawing = _Drawing(root)
    order = topological_order(root)
    complete = grad(root, order)  # the engine's gradients: each node's is complete when its frame comes
    running: dict[Value, float] = {root: 1.0}
    frames = []
    for index, (node, node_grad) in enumerate(zip(order, complete)):
        node_grad = float(node_grad)
        edges = []
        for i, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            if parent.requires_grad:
                added = float(local) * node_grad  # what backward adds: local derivative * the node's gradient
                running[parent] = running.get(parent, 0.0) + added
                edges.append(FrameEdge(parent, drawing.name(parent), i, float(local), added, running[parent]))
        frames.append(BackwardFrame(index, node, drawing.name(node), node_grad, edges, dict(running),
                                    drawing, precision, rankdir))
    return BackwardSteps(frames)


# ---------------------------------------------------------------------------------------------------------
# draw_network: the neuron-level picture of the documents.

def draw_network(model, *, inputs: Sequence | None = None, root: Value | None = None, precision: int = 4,
                 rankdir: str = "LR") -> graphviz.Digraph:
    """The network as the documents draw it: input nodes 1..n, neurons numbered by `neuron.number`, and on
    each edge the weight's label and value.

    Arguments:
        model: a model with `.layers[*].neurons[*]` (an `nn.MLP`); each neuron has `.w`, `.b`, `.number`.
        inputs: run the model on these inputs and show them, and each neuron's z (weighted input) and y.
        root: instead of `inputs`, a value computed from the model (usually the loss): show the input values,
            z and y of each neuron found in its graph (nodes labelled x<i>, z<j>, y<j>), and each neuron's
            delta = d root/d z (the lecture note's error of the neuron, eq 14).
        precision: digits after the decimal point.
        rankdir: the layout direction ("LR", "TB", ...).
    """
    import graphviz
    if inputs is not None and root is not None:
        raise ValueError("draw_network(): give inputs (a forward pass) or root (a forward and backward pass), "
                         "not both")
    neurons = _neurons(model, "draw_network()")
    if not neurons:
        raise ValueError("draw_network(): the model has no neurons")
    n_inputs = len(model.layers[0].neurons[0].w)
    values = _network_values(model, neurons, n_inputs, inputs, root)
    num = partial(_number, precision=precision)
    g = graphviz.Digraph(graph_attr={"rankdir": rankdir, "ranksep": "1.2"},
                         node_attr={"fontname": "Helvetica", "fontsize": "11"},
                         edge_attr={"fontname": "Helvetica", "fontsize": "10"})
    for i in range(1, n_inputs + 1):
        lines = [str(i)] + ([f"x{i} = {num(values[f'x{i}'])}"] if f"x{i}" in values else [])
        g.node(f"n{i}", label="\n".join(lines), shape="circle", style="filled", fillcolor="#d1e7dd",
               **{"class": "input"})
    sources = list(range(1, n_inputs + 1))
    for layer in model.layers:
        for neuron in layer.neurons:
            j = neuron.number
            g.node(f"n{j}", label="\n".join(_neuron_lines(neuron, values, num)), shape="circle",
                   tooltip=f"neuron {j}, activation {_activation_name(neuron.activation)}", **{"class": "neuron"})
            for i, w in zip(sources, neuron.w):
                text = f"{w.label} = {num(w.data)}" if w.label else num(w.data)
                g.edge(f"n{i}", f"n{j}", label=text, **{"class": "weight"})
        sources = [neuron.number for neuron in layer.neurons]
    return g


def _neuron_lines(neuron, values: dict, num: Callable) -> list[str]:
    j = neuron.number
    lines = [str(j)]
    if neuron.b is not None:
        lines.append(f"{neuron.b.label or 'b'} = {num(neuron.b.data)}")
    for name in ("z", "y", "delta"):
        if f"{name}{j}" in values:
            lines.append(f"{name} = {num(values[f'{name}{j}'])}")
    return lines


def _activation_name(activation) -> str:
    return activation if isinstance(activation, str) else getattr(activation, "__name__", repr(activation))


def _network_values(model, neurons: list, n_inputs: int, inputs, root) -> dict[str, float]:
    """The numbers to show, by name: x<i>, z<j>, y<j> and delta<j>, read from the nodes with these labels in
    the graph of a forward pass on `inputs`, or in the graph of `root` (then with delta<j> = d root/d z<j>)."""
    if inputs is None and root is None:
        return {}
    outputs = list(model(inputs)) if inputs is not None else [root]
    wanted = {f"x{i}" for i in range(1, n_inputs + 1)} | {f"{v}{n.number}" for n in neurons for v in "zy"}
    found: dict[str, Value] = {}
    for node in _forward_order(outputs):
        if node.label in wanted:
            if node.label in found:
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
