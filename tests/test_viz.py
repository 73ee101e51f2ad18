"""Pictures of backprop (autograd.viz), checked by rendering through the real Graphviz `dot` program to SVG
and reading the SVG back: nodes, edges, labels, values, colours and boxes.

Expected numbers come from hand calculations, the calculus formulas in tests/ops_table.py, and the 2-3-2-1
worked example of the source documents (seed 002), whose deltas are recomputed here with the documents' delta
rule in plain Python.
"""

import base64
import html
import io
import json
import math
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from autograd import AutogradError, Value, grad, topological_order
from autograd.viz import backward_steps, draw_graph, draw_network, explain_grad, render
from nn import MLP
from tests.ops_table import OPS, sample

SVG = "{http://www.w3.org/2000/svg}"


# ---------------------------------------------------------------------------------------------------------
# Reading the SVG that `dot` writes.

@dataclass
class Shape:
    id: str
    classes: list
    texts: list
    stroke: str
    fill: str
    center: tuple


@dataclass
class Edge:
    tail: str
    head: str
    classes: list
    texts: list
    stroke: str


@dataclass
class Picture:
    nodes: dict  # id -> Shape
    edges: list
    clusters: dict  # title -> (texts, bounding box)
    texts: list = None  # the caption: texts of the picture outside nodes, edges and clusters

    def name(self, node_id: str) -> str:
        """A Value box's first field (its label); an operation ellipse is named [<its Value's name>]."""
        if node_id.endswith("_op"):
            return f"[{self.nodes[node_id[:-3]].texts[0]}]"
        return self.nodes[node_id].texts[0]

    def by_name(self, name: str) -> Shape:
        (shape,) = [s for s in self.nodes.values() if self.name(s.id) == name]
        return shape

    def edge_names(self, edges=None) -> list:
        return sorted((self.name(e.tail), self.name(e.head)) for e in (self.edges if edges is None else edges))

    def by_id(self, node_id: str) -> Shape:
        return self.nodes[node_id]

    def values(self, kind: str) -> list:
        return [s for s in self.nodes.values() if kind in s.classes]


def _points(element) -> list:
    """The x,y pairs of a polygon's points or of a path's d (a rounded cluster box is a path)."""
    pairs = re.findall(r"(-?[\d.]+),(-?[\d.]+)", element.get("points") or element.get("d"))
    return [(float(x), float(y)) for x, y in pairs]


def _first(g, *tags):
    """The first element with one of these tags inside g (a tooltip wraps a node's shapes in a link)."""
    for tag in tags:
        found = next(g.iter(SVG + tag), None)
        if found is not None:
            return found
    return None


def _center(outline) -> tuple:
    if outline.tag == SVG + "ellipse":
        return float(outline.get("cx")), float(outline.get("cy"))
    xs, ys = zip(*_points(outline))
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def parse(graph, tmp_path, name="picture") -> Picture:
    """Render `graph` with `dot` (through viz.render) and read nodes, edges and clusters from the SVG."""
    root = ET.parse(render(graph, tmp_path / f"{name}.svg")).getroot()
    nodes, edges, clusters = {}, [], {}
    (picture,) = [g for g in root.iter(SVG + "g") if g.get("class") == "graph"]
    caption = [t.text for t in picture.findall(SVG + "text")]
    for g in root.iter(SVG + "g"):
        classes = g.get("class", "").split()
        if not {"node", "edge", "cluster"} & set(classes):
            continue  # the graph itself, or a tooltip's link inside a node
        title = g.find(SVG + "title").text
        texts = [t.text for t in g.iter(SVG + "text")]
        if "node" in classes:
            outline = _first(g, "ellipse", "polygon")
            if outline is None:  # a plain number (compact=True): its text only
                text = _first(g, "text")
                nodes[title] = Shape(title, classes, texts, None, None, (float(text.get("x")), float(text.get("y"))))
                continue
            nodes[title] = Shape(title, classes, texts, outline.get("stroke"), outline.get("fill"),
                                 _center(outline))
        elif "edge" in classes:
            tail, head = title.split("->")
            edges.append(Edge(tail, head, classes, texts, _first(g, "path").get("stroke")))
        elif "cluster" in classes:
            xs, ys = zip(*_points(_first(g, "path", "polygon")))
            clusters[title] = (texts, (min(xs), min(ys), max(xs), max(ys)))
    return Picture(nodes, edges, clusters, caption)


def field(shape: Shape, word: str) -> float:
    """The number in a Value box's field 'data ...' or 'grad ...'."""
    (text,) = [t for t in shape.texts if t.startswith(word + " ")]
    return float(text.split()[1])


# ---------------------------------------------------------------------------------------------------------
# Graphs used by several tests.

def diamond():
    """L = a*b + c with a = 2x, b = x*x, c = 3y at x = 3, y = -2: x reaches L along three paths.
    By hand: dL/dx = d(2x^3 + 3y)/dx = 6x^2 = 54, dL/dy = 3, dL/da = b = 9, dL/db = a = 6, dL/ds = dL/dc = 1."""
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    a = x * 2
    b = x * x
    c = y * 3
    s = a * b
    L = s + c
    for node, label in ((a, "a"), (b, "b"), (c, "c"), (s, "s"), (L, "L")):
        node.label = label
    return dict(x=x, y=y, a=a, b=b, c=c, s=s, L=L)


WORKED_WEIGHTS = [[[-1.0, 1.0], [2.5, 0.4], [1.0, -1.5]],  # w13 w23 / w14 w24 / w15 w25
                  [[2.2, -1.4, 0.56], [0.34, 1.05, 3.1]],  # w36 w46 w56 / w37 w47 w57
                  [[0.75, -0.22]]]                          # w68 w78
WORKED_INPUTS, WORKED_TARGET = [0.6, 0.7], 0.9


def worked_example():
    """The documents' 2-3-2-1 sigmoid network without biases, with its loss E = 1/2 (t - y8)^2 after backward."""
    model = MLP.from_weights(WORKED_WEIGHTS)
    (y8,) = model(WORKED_INPUTS)
    loss = 0.5 * (WORKED_TARGET - y8) ** 2
    loss.label = "E"
    loss.backward()
    return model, loss


def worked_example_by_hand():
    """z, y and delta = dE/dz of neurons 3..8, with the documents' formulas in plain floats: the forward pass
    I_j = sum_i O_i w_ij, O_j = f(I_j), and the delta rule delta_8 = -(t - O_8) f'(I_8),
    delta_j = (sum_k delta_k w_jk) f'(I_j) (seed 002 uses the opposite sign, t - O)."""
    sigmoid = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    outputs = {1: 0.6, 2: 0.7}
    layers = [[1, 2], [3, 4, 5], [6, 7], [8]]
    weight = {}
    z = {}
    for sources, targets, matrix in zip(layers, layers[1:], WORKED_WEIGHTS):
        for j, row in zip(targets, matrix):
            for i, w in zip(sources, row):
                weight[i, j] = w
            z[j] = sum(outputs[i] * weight[i, j] for i in sources)
            outputs[j] = sigmoid(z[j])
    delta = {8: -(WORKED_TARGET - outputs[8]) * outputs[8] * (1 - outputs[8])}
    for sources, targets in ((layers[2], layers[3]), (layers[1], layers[2])):
        for j in sources:
            delta[j] = sum(delta[k] * weight[j, k] for k in targets) * outputs[j] * (1 - outputs[j])
    return z, outputs, delta


# ---------------------------------------------------------------------------------------------------------
# draw_graph

def test_draw_graph_nodes_values_and_local_derivatives(tmp_path):
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = Value(10.0, label="c", requires_grad=False)  # an input
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = d * 0.25  # 0.25 is an unlabelled constant
    f.label = "f"
    L = f.tanh()
    L.label = "L"
    L.backward()
    pic = parse(draw_graph(L), tmp_path)

    values = [s for s in pic.nodes.values() if "op" not in s.classes]
    ops = pic.values("op")
    assert len(values) == 8 and len(ops) == 4  # a b c e d 0.25 f L; * + * tanh
    assert len(pic.edges) == 2 + 2 + 2 + 1 + 4  # one edge per operand, one from each operation to its Value
    assert sorted(s.texts[0] for s in ops) == ["*", "*", "+", "tanh"]

    # by hand: f = (ab + c)/4 = 1, dL/df = 1 - tanh(1)^2, dL/dd = dL/df / 4, dL/de = dL/dd, dL/da = b dL/de
    dL_df = 1 - math.tanh(1.0) ** 2
    expected = {"a": (2.0, -3 * dL_df / 4), "b": (-3.0, 2 * dL_df / 4), "e": (-6.0, dL_df / 4),
                "d": (4.0, dL_df / 4), "f": (1.0, dL_df), "L": (math.tanh(1.0), 1.0)}
    for name, (data, grad_) in expected.items():
        shape = pic.by_name(name)
        assert field(shape, "data") == pytest.approx(data, abs=5e-5)
        assert field(shape, "grad") == pytest.approx(grad_, abs=5e-5)
    assert pic.by_name("c").texts == ["c", "data 10.0000"]  # a constant has no grad field

    kinds = {name: next(k for k in ("parameter", "input", "constant", "intermediate", "output")
                        if k in pic.by_name(name).classes) for name in ("a", "b", "c", "e", "f", "L")}
    assert kinds == {"a": "parameter", "b": "parameter", "c": "input", "e": "intermediate", "f": "intermediate",
                     "L": "output"}
    (constant,) = pic.values("constant")
    assert field(constant, "data") == 0.25
    fills = {k: pic.values(k)[0].fill for k in ("parameter", "input", "constant", "intermediate", "output")}
    assert len(set(fills.values())) == 5  # five distinct styles

    local = {pair: [float(t) for e_ in pic.edges for t in e_.texts if (pic.name(e_.tail), pic.name(e_.head)) == pair]
             for pair in [("a", "[e]"), ("b", "[e]"), ("e", "[d]"), ("c", "[d]"), ("d", "[f]"), ("f", "[L]")]}
    # the edge from the constant c carries no label: backward never uses a derivative towards a constant
    assert local == {("a", "[e]"): [-3.0], ("b", "[e]"): [2.0], ("e", "[d]"): [1.0], ("c", "[d]"): [],
                     ("d", "[f]"): [0.25], ("f", "[L]"): [pytest.approx(dL_df, abs=5e-5)]}
    assert all(not e_.texts for e_ in pic.edges if e_.tail.endswith("_op"))  # operation -> Value: no label


def test_a_times_a_draws_two_edges(tmp_path):
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    pic = parse(draw_graph(y), tmp_path)
    into_op = [e for e in pic.edges if pic.name(e.head) == "[y]"]
    assert len(into_op) == 2
    assert all(pic.name(e.tail) == "a" and e.texts == ["3.0000"] for e in into_op)  # d(a*a)/da = a, per operand


def test_options_precision_direction_labels_and_special_characters(tmp_path):
    x = Value(1.23456, label="x{1}|<b>")
    y = x.exp()
    g = draw_graph(y, precision=2, rankdir="TB", edge_labels=False)
    assert 'rankdir="TB"' in g.source
    pic = parse(g, tmp_path)
    shape = pic.by_name("x{1}|<b>")  # record-label characters are escaped, shown as written
    assert shape.texts == ["x{1}|<b>", "data 1.23", f"grad {0.0:.2f}"]
    assert all(not e.texts for e in pic.edges)


def test_layout_is_deterministic_and_independent_of_object_ids():
    sources = []
    for _ in range(2):
        nodes = diamond()
        nodes["L"].backward()
        sources.append(draw_graph(nodes["L"], highlight=nodes["x"]).source)
    assert sources[0] == sources[1]


def test_every_operation_edge_carries_its_local_derivative(tmp_path):
    rng = random.Random(5)
    outputs, expected = [], {}
    for case in OPS:
        point = sample(case, rng)
        inputs = [Value(v, label=f"{case.name}_in{i}") for i, v in enumerate(point)]
        out = case.apply(*inputs)
        out.label = case.name
        outputs.append(out)
        expected.update({(f"{case.name}_in{i}", f"[{case.name}]"): d
                         for i, d in enumerate(case.derivatives(*point))})
    total = outputs[0]
    for out in outputs[1:]:
        total = total + out
    pic = parse(draw_graph(total), tmp_path)  # one graph, one run of dot, for every operation
    for (tail, head), derivative in expected.items():
        (edge,) = [e for e in pic.edges if (pic.name(e.tail), pic.name(e.head)) == (tail, head)]
        assert float(edge.texts[0]) == pytest.approx(derivative, rel=1e-3, abs=6e-5), (tail, head)


def test_highlight_colours_exactly_the_paths_to_the_root(tmp_path):
    nodes = diamond()
    nodes["L"].backward()
    pic = parse(draw_graph(nodes["L"], highlight=nodes["x"]), tmp_path)
    red = [e for e in pic.edges if e.stroke == "red"]
    assert pic.edge_names(red) == sorted([
        ("x", "[a]"), ("[a]", "a"), ("x", "[b]"), ("x", "[b]"), ("[b]", "b"),
        ("a", "[s]"), ("b", "[s]"), ("[s]", "s"), ("s", "[L]"), ("[L]", "L")])
    assert all("path" in e.classes for e in red)
    assert all(e.stroke == "black" and "path" not in e.classes for e in pic.edges if e not in red)
    red_nodes = sorted(pic.name(s.id) for s in pic.nodes.values() if s.stroke == "red")
    assert red_nodes == sorted(["x", "[a]", "a", "[b]", "b", "[s]", "s", "[L]", "L"])

    # from an intermediate node (the lecture note's figure 3): the edges into it are not on its paths
    pic = parse(draw_graph(nodes["L"], highlight=nodes["b"]), tmp_path, "from_b")
    red = [e for e in pic.edges if e.stroke == "red"]
    assert pic.edge_names(red) == sorted([("b", "[s]"), ("[s]", "s"), ("s", "[L]"), ("[L]", "L")])


def test_highlight_of_a_node_outside_the_graph_is_an_error():
    nodes = diamond()
    stranger = Value(1.0, label="stranger")
    with pytest.raises(ValueError, match="draw_graph\\(highlight=...\\).*stranger.*not in the graph of L"):
        draw_graph(nodes["L"], highlight=stranger)


# ---------------------------------------------------------------------------------------------------------
# explain_grad

def test_explain_grad_lists_the_paths_of_the_diamond():
    nodes = diamond()
    explanation = explain_grad(nodes["x"], nodes["L"])
    listed = sorted((p.names, p.ops, p.factors, p.product) for p in explanation.paths)
    assert listed == sorted([  # written by hand: x = 3, a = 6, b = 9
        (["x", "a", "s", "L"], ["*", "*", "+"], [2.0, 9.0, 1.0], 18.0),
        (["x", "b", "s", "L"], ["*", "*", "+"], [3.0, 6.0, 1.0], 18.0),  # b = x * x: one path per operand
        (["x", "b", "s", "L"], ["*", "*", "+"], [3.0, 6.0, 1.0], 18.0),
    ])
    assert explanation.n_paths == 3
    assert explanation.total == 54.0 == 6 * 3.0 ** 2
    assert explanation.total == grad(nodes["L"], nodes["x"])
    text = str(explanation)
    assert "x -[*]-> a -[*]-> s -[+]-> L\n      2.0000 * 9.0000 * 1.0000 = 18.0000" in text
    assert "sum = 54.0000" in text
    html = explanation._repr_html_()
    assert html.count("<tr>") == 1 + 3 + 1 and "54.0000" in html

    assert explain_grad(nodes["y"], nodes["L"]).total == 3.0  # one path: y -> c -> L


def test_explain_grad_caps_the_listed_paths_but_sums_all_of_them():
    x = Value(0.3, label="x")
    node, by_hand = x, 1.0
    for _ in range(40):  # x_{k+1} = sin(x_k) + x_k: two paths per step, 2^40 paths in all
        by_hand *= math.cos(node.data) + 1.0  # d x_{k+1}/d x_k
        node = node.sin() + node
    explanation = explain_grad(x, node, max_paths=5)
    assert len(explanation.paths) == 5
    assert explanation.n_paths == 2 ** 40
    assert explanation.total == pytest.approx(by_hand, rel=1e-12)
    assert explanation.total == pytest.approx(grad(node, x), rel=1e-12)
    assert f"and {2 ** 40 - 5} more path(s), not listed" in str(explanation)
    for path in explanation.paths:
        assert path.product == pytest.approx(math.prod(path.factors))
        assert len(path.names) == len(path.ops) + 1 == len(path.factors) + 1


def test_explain_grad_errors():
    nodes = diamond()
    with pytest.raises(ValueError, match="explain_grad.*not in the graph of L"):
        explain_grad(Value(1.0), nodes["L"])
    constant = Value(2.0, label="k", requires_grad=False)
    with pytest.raises(AutogradError, match="constant k"):
        explain_grad(constant, constant * nodes["x"])


# ---------------------------------------------------------------------------------------------------------
# backward_steps

def test_backward_frames_follow_topological_order_and_the_chain_rule():
    nodes = diamond()
    L = nodes["L"]
    frames = backward_steps(L)
    order = topological_order(L)
    assert len(frames) == 7  # by hand: x, y, a, b, c, s, L require gradients; the constants 2 and 3 do not
    assert [f.node for f in frames] == order
    by_hand = {"L": 1.0, "s": 1.0, "c": 1.0, "a": 9.0, "b": 6.0, "x": 54.0, "y": 3.0}
    assert {f.name: f.grad for f in frames} == by_hand
    for frame in frames:
        expected_edges = [(i, p) for i, p in enumerate(frame.node.parents) if p.requires_grad]
        assert [(e.index, e.parent) for e in frame.edges] == expected_edges
        for e in frame.edges:
            assert e.local_grad == frame.node.local_grads[e.index]
            assert e.added == e.local_grad * by_hand[frame.name]
    (b_frame,) = [f for f in frames if f.name == "b"]
    assert [(e.name, e.local_grad, e.added) for e in b_frame.edges] == [("x", 3.0, 18.0), ("x", 3.0, 18.0)]
    assert "x.grad += 3.0000 * 6.0000 = 18.0000" in b_frame.text
    assert {nodes[k]: v for k, v in by_hand.items()} == frames[-1].grads  # the running sums end complete
    assert all(node.grad == 0.0 for node in nodes.values())  # .grad is not touched


def test_backward_frame_picture(tmp_path):
    nodes = diamond()
    frames = backward_steps(nodes["L"])
    pic = parse(frames[0].graph, tmp_path)  # the root passes 1 to s and c
    blue = [e for e in pic.edges if e.stroke == "blue"]
    assert pic.edge_names(blue) == sorted([("s", "[L]"), ("c", "[L]"), ("[L]", "L")])
    assert sorted(t for e in blue for t in e.texts) == ["(1) 1.0000", "(2) 1.0000"]  # numbered as in the text
    caption = [" ".join(t.split()) for t in pic.texts if t.strip()]  # Graphviz keeps spaces as no-break spaces
    assert caption[:3] == ["step 1 of 7: L (op +) has its complete gradient dL/dL = 1.0000",
                           "(1) s.grad += 1.0000 * 1.0000 = 1.0000 -> s.grad = 1.0000",
                           "(2) c.grad += 1.0000 * 1.0000 = 1.0000 -> c.grad = 1.0000"]
    shown = {name: pic.by_name(name).texts[2] for name in "xyabcsL"}
    assert shown == {"L": "grad 1.0000", "s": "grad 1.0000", "c": "grad 1.0000", "x": "grad —",
                     "y": "grad —", "a": "grad —", "b": "grad —"}  # not reached yet


def test_backward_frames_save_numbered_files(tmp_path):
    a = Value(2.0, label="a")
    y = (a * a).exp()
    frames = backward_steps(y)
    paths = frames.save(tmp_path / "steps")
    assert [p.rsplit("/", 1)[1] for p in paths] == ["step_001.svg", "step_002.svg", "step_003.svg"]
    for path in paths:
        assert ET.parse(path).getroot().tag == SVG + "svg"


def test_backward_frames_keep_their_positions(tmp_path):
    nodes = diamond()
    frames = backward_steps(nodes["L"])
    pictures = [parse(frame.graph, tmp_path, f"frame{k}") for k, frame in enumerate(frames)]
    centers = [{pic.name(s.id): s.center for s in pic.nodes.values()} for pic in pictures]
    assert all(c == centers[0] for c in centers)  # laid out once: nothing moves between frames
    active = [sorted(pic.name(s.id) for s in pic.nodes.values() if s.stroke == "blue") for pic in pictures]
    # in each frame exactly the node being propagated and its operation are blue (a leaf has no operation)
    assert active == [sorted([f.name, f"[{f.name}]"]) if f.node.parents else [f.name] for f in frames]


def test_backward_steps_text_and_display():
    a = Value(2.0, label="a")
    steps = backward_steps(a.sin())
    assert str(steps) == "\n".join(f.text for f in steps)
    assert steps[0].text.startswith("step 1 of 2: v1 (op sin) has its complete gradient dv1/dv1 = 1.0000")
    assert steps[1].text.startswith("step 2 of 2: a has its complete gradient")
    assert repr(steps).startswith("backward_steps: steps 1 to 2 of 2 of backward through v1")
    assert "<svg" not in repr(steps) + str(steps)
    bundle = steps._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    page = bundle["text/html"]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded from the network
    frames = json.loads(re.search(r'<script type="application/json" class="bp-frames">(.*?)</script>', page,
                                  re.S).group(1))  # for the script: the frames as SVG, with their text
    assert frames["total"] == 2 and [f["step"] for f in frames["frames"]] == [1, 2]
    assert [f["text"] for f in frames["frames"]] == [steps[0].text, steps[1].text]
    assert all(f["svg"].startswith("<svg") for f in frames["frames"])
    for word in ("previous", "next", "play"):
        assert f'aria-label="{word}' in page
    # Without scripts (a sanitizer drops <script> and <svg>): an animated PNG of every step, and the text.
    static = re.search(r'<div class="bp-static">(.*?)</div>', page, re.S).group(1)
    assert "<svg" not in static and "<script" not in static
    assert html.escape(str(steps)) in static
    (image,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', static)
    assert image == bundle["image/png"]  # the same animation for viewers that show images but no HTML
    from PIL import Image
    animation = Image.open(io.BytesIO(base64.b64decode(image)))
    assert animation.n_frames == 2  # every step
    first = animation.convert("RGB").tobytes()
    animation.seek(1)
    assert animation.convert("RGB").tobytes() != first  # a different picture per step
    part = steps[1:]
    assert len(part) == 1 and part[0].text == steps[1].text
    assert repr(part).startswith("backward_steps: steps 2 to 2 of 2")


def test_pictures_display_as_png_and_svg_with_a_summary():
    nodes = diamond()
    nodes["L"].backward()
    bundle = draw_graph(nodes["L"])._repr_mimebundle_()
    assert set(bundle) == {"image/png", "image/svg+xml", "text/plain"}
    assert base64.b64decode(bundle["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml") and "<svg" in bundle["image/svg+xml"]
    # 7 values (x y a b c s L) + the constants 2 and 3, 5 operations, 5 + 10 edges (by hand)
    assert bundle["text/plain"].startswith("draw_graph: 9 values, 5 operations, 15 edges, root L; ")
    assert "0x" not in bundle["text/plain"] and "0x" not in repr(draw_graph(nodes["L"]))


# ---------------------------------------------------------------------------------------------------------
# Neurons: group= and draw_network (the documents' 2-3-2-1 worked example)

def _inside(point, box) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def test_group_draws_each_neuron_in_one_box(tmp_path):
    model, loss = worked_example()
    pic = parse(draw_graph(loss, group=model), tmp_path)
    boxes = {texts[0]: box for texts, box in pic.clusters.values()}
    assert sorted(boxes) == [f"neuron {j}" for j in range(3, 9)]
    for j in range(3, 9):
        members = {f"z{j}", f"[z{j}]", f"y{j}", f"[y{j}]"}  # the weighted input, the activation, their ops
        inside = {pic.name(s.id) for s in pic.nodes.values() if _inside(s.center, boxes[f"neuron {j}"])}
        assert inside == members


def test_group_with_identity_output_uses_the_z_node(tmp_path):
    model = MLP.from_weights([[[1.0, -1.0]]], activation="identity")
    (z3,) = model([2.0, 0.5])
    assert z3.label == "z3"
    pic = parse(draw_graph(z3 * z3, group=model), tmp_path)
    ((texts, box),) = pic.clusters.values()
    assert texts[0] == "neuron 3"
    assert {pic.name(s.id) for s in pic.nodes.values() if _inside(s.center, box)} == {"z3", "[z3]"}


def test_group_needs_a_model_of_this_graph():
    nodes = diamond()
    with pytest.raises(TypeError, match="layers"):
        draw_graph(nodes["L"], group=object())
    with pytest.raises(ValueError, match="y<j> or z<j>"):
        draw_graph(nodes["L"], group=MLP.from_weights(WORKED_WEIGHTS))


def _neuron_numbers(shape) -> dict:
    """{'z': ..., 'y': ..., 'dE/dz': ..., '-dE/dz': ...} from a neuron's lines 'z = 0.1000', ..."""
    pairs = [t.replace(" (article)", "").split(" = ") for t in shape.texts[1:]]
    return {k: float(v) for k, v in pairs}


def test_draw_network_of_the_worked_example(tmp_path):
    model, loss = worked_example()
    pic = parse(draw_network(model, root=loss, article_delta=True), tmp_path)
    neurons = {s.texts[0]: s for s in pic.values("neuron")}
    inputs = {s.texts[0]: s for s in pic.values("input")}
    assert sorted(neurons) == ["3", "4", "5", "6", "7", "8"] and len(pic.nodes) == 8
    assert {k: s.texts[1] for k, s in inputs.items()} == {"1": "x1 = 0.6000", "2": "x2 = 0.7000"}

    assert len(pic.edges) == 2 * 3 + 3 * 2 + 2 * 1
    weights = {(pic.nodes[e.tail].texts[0], pic.nodes[e.head].texts[0]): e.texts[0] for e in pic.edges}
    assert weights == {  # the documents' weights w_ij, from neuron i to neuron j
        ("1", "3"): "w13 = -1.0000", ("2", "3"): "w23 = 1.0000", ("1", "4"): "w14 = 2.5000",
        ("2", "4"): "w24 = 0.4000", ("1", "5"): "w15 = 1.0000", ("2", "5"): "w25 = -1.5000",
        ("3", "6"): "w36 = 2.2000", ("4", "6"): "w46 = -1.4000", ("5", "6"): "w56 = 0.5600",
        ("3", "7"): "w37 = 0.3400", ("4", "7"): "w47 = 1.0500", ("5", "7"): "w57 = 3.1000",
        ("6", "8"): "w68 = 0.7500", ("7", "8"): "w78 = -0.2200"}

    shown = {int(k): _neuron_numbers(s) for k, s in neurons.items()}
    z, y, delta = worked_example_by_hand()
    for j in range(3, 9):
        assert shown[j] == {"z": pytest.approx(z[j], abs=5e-5), "y": pytest.approx(y[j], abs=5e-5),
                            "dE/dz": pytest.approx(delta[j], abs=5e-5), "-dE/dz": pytest.approx(-delta[j], abs=5e-5)}
    # the article's delta is shown with its name: neuron 3's is +0.0087 (seed 002 prints -0.0087, a sign error)
    assert "-dE/dz = 0.0087 (article)" in pic.by_id("n3").texts
    # the numbers printed in seed 002 (rounded there; its delta has the opposite sign, t - O)
    document = {3: (0.1, 0.52), 4: (1.78, 0.86), 5: (-0.45, 0.39), 6: (0.158, 0.54), 7: (2.288, 0.908),
                8: (0.205, 0.551)}
    for j, (z_doc, y_doc) in document.items():
        assert shown[j]["z"] == pytest.approx(z_doc, abs=0.02) and shown[j]["y"] == pytest.approx(y_doc, abs=0.01)
    assert shown[8]["-dE/dz"] == pytest.approx(0.0863, abs=3e-4)
    assert shown[6]["-dE/dz"] == pytest.approx(0.016, abs=5e-4)
    assert shown[7]["-dE/dz"] == pytest.approx(-0.0016, abs=1e-4)


def test_draw_network_forward_only_and_errors():
    model = MLP.from_weights(WORKED_WEIGHTS)
    source = draw_network(model, inputs=WORKED_INPUTS).source
    assert "z = 0.1000" in source and "y = 0.5250" in source and "delta" not in source
    assert "delta" not in draw_network(model).source and "z =" not in draw_network(model).source
    (y8,) = model(WORKED_INPUTS)
    with pytest.raises(ValueError, match="not both"):
        draw_network(model, inputs=WORKED_INPUTS, root=y8)
    (other,) = model([0.1, 0.2])
    with pytest.raises(ValueError, match="several nodes labelled 'x1'.*several examples"):
        draw_network(model, root=y8 + other)  # two examples in one graph
    with pytest.raises(TypeError, match="layers"):
        draw_network([1, 2])


# ---------------------------------------------------------------------------------------------------------
# Without the Graphviz program, and without graphviz at import time.

def test_missing_dot_says_how_to_install_it(tmp_path, monkeypatch):
    nodes = diamond()
    g = draw_graph(nodes["L"])
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    with pytest.raises(RuntimeError) as error:
        render(g, tmp_path / "g.svg")
    message = str(error.value)
    for hint in ("dot", "apt-get install graphviz", "brew install graphviz", "conda install", ".source"):
        assert hint in message
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        backward_steps(nodes["L"]).save(tmp_path / "steps")
    assert g.source.startswith("digraph") and "data 54.0000" in g.source  # the DOT text is still there


def test_import_autograd_does_not_import_graphviz():
    code = ("import sys, autograd; "
            "assert 'graphviz' not in sys.modules and 'autograd.viz' not in sys.modules; "
            "import autograd.viz; assert 'graphviz' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------------------------------------
# Edge labels never overlap, pictures fit, big graphs are refused, bad options named.

HELVETICA_EM = {**dict.fromkeys("0123456789", 0.556), ".": 0.278, " ": 0.278, "-": 0.333, "(": 0.333,
                ")": 0.333, "=": 0.584, "*": 0.389, "e": 0.556, "+": 0.584}  # Helvetica's widths (its AFM file)


def _label_boxes(tmp_path, picture, name) -> list:
    """The box of every edge label of the rendered SVG: each character as wide as in Helvetica's metrics (0.65
    em for a character not in the table, wider than most letters); the box spans the font size above the
    baseline."""
    root = ET.parse(render(picture, tmp_path / f"{name}.svg")).getroot()
    boxes = []
    for g in root.iter(SVG + "g"):
        if "edge" not in g.get("class", "").split():
            continue
        for t in g.iter(SVG + "text"):
            size, x, y = float(t.get("font-size")), float(t.get("x")), float(t.get("y"))
            width = size * sum(HELVETICA_EM.get(ch, 0.65) for ch in t.text)
            left = {"middle": x - width / 2, "end": x - width}.get(t.get("text-anchor"), x)
            boxes.append((t.text, (left, y - size, left + width, y)))
    return boxes


def _overlaps(boxes) -> list:
    return [(a, b) for k, (a, p) in enumerate(boxes) for b, q in boxes[k + 1:]
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def test_no_two_edge_labels_overlap(tmp_path):
    model, loss = worked_example()
    w13 = model.layers[0].neurons[0].w[0]
    steps = backward_steps(loss)
    z6_frame = next(f for f in steps if f.name == "z6")  # six numbered edges into one linear node
    pictures = {"graph": draw_graph(loss, group=model, highlight=w13), "network": draw_network(model, root=loss),
                "frame": z6_frame.graph, "lr": draw_graph(loss, rankdir="LR")}
    for name, picture in pictures.items():
        boxes = _label_boxes(tmp_path, picture, name)
        assert len(boxes) >= 14, name
        assert _overlaps(boxes) == [], name


def test_pictures_fit_a_notebook_column(tmp_path):
    model, loss = worked_example()
    graph = draw_graph(loss, group=model)
    graph.pipe("png")
    assert graph.width <= 1100 and graph.rankdir == "TB"  # 4,700 px wide left to right
    from PIL import Image
    assert Image.open(io.BytesIO(graph.pipe("png"))).width <= 1100  # the PNG has the same width
    assert "laid out top to bottom to fit" in graph.summary()
    x = Value(0.3, label="x")
    y = x
    for k in range(60):  # a long chain: 60 boxes in a row are far wider than a column
        y = y.sin()
    chain = draw_graph(y)
    chain.pipe("svg")
    assert chain.width <= 1100


def test_compact_draws_constants_as_numbers(tmp_path):
    x = Value(2.0, label="x")
    y = (x * 0.25 + 3.0) * (Value(2.0, requires_grad=False) * 5.0)  # the last factor: a constant 10.0
    y.label = "y"
    full = parse(draw_graph(y), tmp_path, "full")
    compact = parse(draw_graph(y, compact=True), tmp_path, "compact")
    boxes = lambda pic: sorted(pic.name(s.id) for s in pic.nodes.values() if "op" not in s.classes)  # noqa: E731
    # by hand: full: x, 0.25, x*0.25, 3.0, +, 2.0, 5.0, 2*5 = 10, y: 9 values; compact: the constants are numbers
    assert len(boxes(full)) == 9
    numbers = sorted(s.texts[0] for s in compact.nodes.values() if "constant" in s.classes)
    assert numbers == ["0.2500", "10.0000", "3.0000"]  # 2.0 * 5.0 is one number, its operation not drawn
    assert len(compact.values("op")) == 3  # by hand: x * 0.25, + 3.0, and y = ... * 10.0


def test_automatic_names_avoid_the_labels_in_use():
    a = Value(1.0, label="v1")
    b = a * 2.0
    c = b + a
    c.label = "v3"
    names = {f.node: f.name for f in backward_steps(c)}
    assert names == {c: "v3", a: "v1", b: "v2"}
    d = (b * b).exp()  # two unlabelled nodes after b
    names = {f.node: f.name for f in backward_steps(d + c)}
    assert sorted(names.values()) == ["v1", "v2", "v3", "v4", "v5", "v6"]  # all different


def test_a_graph_too_big_to_draw_is_refused_with_advice():
    x = Value(1.0, label="x")
    y = x
    for _ in range(3000):
        y = y * 1.0001
    with pytest.raises(ValueError, match=r"draw_graph\(\): the graph of v3000 has 6,001 nodes, more than "
                                         r"max_nodes = 5,000.*sub-graph.*group=model"):
        draw_graph(y)
    # on request it is drawn: 3 edges per multiplication (2 operands, 1 result); not laid out here (slow)
    assert repr(draw_graph(y, max_nodes=7000)) == "draw_graph: 6001 values, 3000 operations, 9000 edges, root v3000"


@pytest.mark.parametrize("call, error, fragment", [
    (lambda L: draw_graph(L, precision=-1), ValueError, "draw_graph(): precision = -1 must be between 0 and 17"),
    (lambda L: draw_graph(L, precision="a"), TypeError, "draw_graph(): precision must be an int"),
    (lambda L: draw_graph(L, precision=2.5), TypeError, "got 2.5"),
    (lambda L: draw_graph(L, rankdir="XX"), ValueError, "draw_graph(): rankdir = 'XX' must be one of LR, TB, RL, BT"),
    (lambda L: draw_graph(L, max_nodes=0), ValueError, "draw_graph(): max_nodes = 0 must be a positive int"),
    (lambda L: draw_graph(5), TypeError, "draw_graph(): the root must be a Value, got 5"),
    (lambda L: explain_grad(L.parents[0], L, max_paths="a"), TypeError,
     "explain_grad(): max_paths must be an int (how many paths to list), got 'a'"),
    (lambda L: explain_grad(L.parents[0], L, max_paths=-1), ValueError, "explain_grad(): max_paths = -1 must be >= 0"),
    (lambda L: explain_grad(L.parents[0], L, precision=99), ValueError, "explain_grad(): precision = 99"),
    (lambda L: backward_steps(L, precision=None), TypeError, "backward_steps(): precision must be an int"),
    (lambda L: backward_steps(L, rankdir="up"), ValueError, "backward_steps(): rankdir = 'up'"),
    (lambda L: draw_network(MLP.from_weights(WORKED_WEIGHTS), precision=-3), ValueError,
     "draw_network(): precision = -3"),
    (lambda L: draw_network(MLP.from_weights(WORKED_WEIGHTS), rankdir=1), ValueError, "draw_network(): rankdir = 1"),
    (lambda L: draw_network(MLP.from_weights(WORKED_WEIGHTS), root=5), TypeError,
     "draw_network(): root must be a Value computed from the model, got 5"),
    (lambda L: render("not a picture", "x.svg"), TypeError, "render(): picture must be a picture"),
])
def test_bad_options_name_the_function_argument_and_value(call, error, fragment):
    nodes = diamond()
    with pytest.raises(error) as raised:
        call(nodes["L"])
    assert fragment in str(raised.value)


def test_a_notebook_plays_at_most_PLAYED_steps(monkeypatch):
    from autograd import _player
    monkeypatch.setattr(_player, "PLAYED", 3)
    x = Value(0.5, label="x")
    y = ((x * x).sin() + x).exp()  # by hand: exp, +, sin, *, x: 5 steps
    steps = backward_steps(y)
    assert len(steps) == 5
    bundle = steps._repr_mimebundle_()
    frames = json.loads(re.search(r'class="bp-frames">(.*?)</script>', bundle["text/html"], re.S).group(1))
    assert [f["step"] for f in frames["frames"]] == [1, 2, 3] and frames["total"] == 5
    assert "The first 3 of these 5 steps: <code>steps[3:6]</code> shows the next ones" in bundle["text/html"]
    from PIL import Image
    assert Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))).n_frames == 3
    assert bundle["text/plain"].startswith("backward_steps: steps 1 to 5 of 5")
    later = steps[3:]._repr_mimebundle_()["text/html"]  # a slice within the limit: all of it, no note
    assert "The first" not in later and '"step": 4' in later and '"step": 5' in later
