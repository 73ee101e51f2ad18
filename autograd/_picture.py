"""A graph picture: DOT text, drawn by the Graphviz program `dot`, shown wherever a notebook is read.

`Picture` is what `draw_graph`, `draw_network` and each backward frame return. Its rich display offers
`image/png` (shown by every notebook viewer, trusted or not, and by code hosts) and `image/svg+xml`, both
rendered by `dot`, and a one-line `text/plain` summary. It is laid out to fit a notebook column: when the
picture is wider than `COLUMN_PX` it is laid out in the other direction, then scaled down, but never below
`MIN_SCALE` (so the text stays readable); the summary says what was done.

The DOT text is written here directly (quoting a few attributes is all it needs), not through the `graphviz`
package, whose per-attribute quoting cost more than the rest of a drawing.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
from collections.abc import Callable

COLUMN_PX = 1100  # the width of a notebook's output column, in CSS pixels (Jupyter's is about 1,160)
MIN_SCALE = 0.6   # 11 pt text shrinks to no less than 6.6 pt = 8.8 CSS px
DPI = 96          # PNG pixels per inch: a PNG pixel is a CSS pixel, so PNG and SVG show at the same size

INSTALL_DOT = (
    "the Graphviz program `dot` was not found on PATH, so the picture cannot be rendered. Install Graphviz: "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
    "`conda install -c conda-forge graphviz` (conda), or see https://graphviz.org/download/. "
    "The DOT source of the picture is still available as `picture.source`."
)


# ---------------------------------------------------------------------------------------------------------
# Writing DOT text.

def quote(text) -> str:
    """A DOT string: backslash escapes inside are Graphviz's (\\n, \\l, \\{ ...), quotes are escaped."""
    return '"' + str(text).replace('"', '\\"') + '"'


def attributes(attrs: dict) -> str:
    return " [" + " ".join(f"{k}={quote(v)}" for k, v in attrs.items() if v is not None) + "]" if attrs else ""


class Dot:
    """DOT text, line by line: `node`, `edge`, `open_cluster` / `close_cluster`, then `text()`."""

    def __init__(self, graph: dict, node: dict, edge: dict):
        self.lines = ["digraph {", f"  graph{attributes(graph)}", f"  node{attributes(node)}",
                      f"  edge{attributes(edge)}"]

    def node(self, name: str, attrs: dict) -> None:
        self.lines.append(f"  {name}{attributes(attrs)}")

    def edge(self, tail: str, head: str, attrs: dict) -> None:
        self.lines.append(f"  {tail} -> {head}{attributes(attrs)}")

    def open_cluster(self, name: str, attrs: dict) -> None:
        self.lines.append(f"  subgraph {name} {{")
        self.lines.append(f"  graph{attributes(attrs)}")

    def close_cluster(self) -> None:
        self.lines.append("  }")

    def text(self) -> str:
        return "\n".join(self.lines + ["}"]) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Running Graphviz.

def run_graphviz(source: str, format: str, program: str = "dot", what: str = "render()") -> bytes:
    """`program -T<format>` on the DOT text; a RuntimeError saying how to install Graphviz if it is missing."""
    try:
        done = subprocess.run([*program.split(), f"-T{format}", f"-Gdpi={DPI}" if format == "png" else "-q"],
                              input=source.encode(), capture_output=True, check=False)
    except FileNotFoundError:
        raise RuntimeError(f"{what}: {INSTALL_DOT}") from None
    if done.returncode != 0:
        raise RuntimeError(f"{what}: Graphviz's `{program}` failed: {done.stderr.decode(errors='replace')[:500]}")
    return done.stdout


def svg_size(svg: bytes | str) -> tuple[float, float]:
    """Width and height of an SVG written by Graphviz, in CSS pixels (Graphviz writes points: 1 pt = 4/3 px)."""
    head = svg[:2000].decode() if isinstance(svg, bytes) else svg[:2000]
    match = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', head)
    if match is None:
        raise ValueError(f"svg_size(): the SVG gives no width and height in points; it begins {head[:80]!r}")
    return float(match.group(1)) * 4 / 3, float(match.group(2)) * 4 / 3


def layout(source: str) -> dict:
    """Run `dot` once and return the positions it chose: {"bb": ..., "nodes": {name: attrs},
    "edges": {id: attrs}, "clusters": {name: attrs}}, for drawing the same picture again with other styles
    (`neato -n2` keeps positions)."""
    data = json.loads(run_graphviz(source, "json0", what="backward_steps()"))
    nodes: dict[str, dict] = {}
    clusters: dict[str, dict] = {}
    for obj in data.get("objects", []):
        (clusters if obj["name"].startswith("cluster") else nodes)[obj["name"]] = obj
    edges = {edge["id"]: edge for edge in data.get("edges", []) if "id" in edge}
    return {"bb": data["bb"], "nodes": nodes, "edges": edges, "clusters": clusters}


# ---------------------------------------------------------------------------------------------------------
# The picture.

DIRECTIONS = ("LR", "TB", "RL", "BT")


class Picture:
    """A picture of a graph. In a notebook it shows as PNG and SVG (rendered by `dot`), laid out to fit a
    column of `COLUMN_PX` pixels; `print(picture)` gives a one-line summary; `picture.source` is the DOT text;
    `picture.pipe("png")` the rendered bytes; `autograd.viz.render(picture, "file.svg")` writes a file.

    Attributes (after the first rendering): `rankdir` (the direction chosen), `scale` (1.0, or how much it
    was shrunk to fit), `width` and `height` (in CSS pixels).
    """

    def __init__(self, what: str, make_source: Callable[[str], str], rankdir: str | None, counts: str,
                 max_width: float = COLUMN_PX, program: str = "dot", preset: tuple[float, float] | None = None):
        self.what = what  # e.g. "draw_graph"
        self.counts = counts  # e.g. "14 nodes, 17 edges, root L"
        self._make_source = make_source
        self._fixed_rankdir = rankdir
        self.max_width = max_width
        self.program = program
        self.rankdir = rankdir or "LR"
        self.scale = 1.0
        self._preset = preset  # (scale, natural width): chosen beforehand (backward frames share their layout's)
        self.width: float | None = None
        self.height: float | None = None
        self._source: str | None = None
        self._rendered: dict[str, bytes] = {}

    # The layout that fits, found on first use.
    def _fit(self) -> str:
        """Lay the picture out (once) and return its DOT text."""
        if self._source is not None:
            return self._source
        if self._preset is not None:
            self.scale, natural_width = self._preset
            rankdir, source = self.rankdir, scaled(self._make_source(self.rankdir), self.scale, natural_width)
            svg = run_graphviz(source, "svg", self.program, f"{self.what}()")
            width, height = svg_size(svg)
        else:
            candidates = [self._fixed_rankdir] if self._fixed_rankdir else ["LR", "TB"]
            best: tuple[str, str, bytes, float, float] | None = None
            for rankdir in candidates:
                source = self._make_source(rankdir)
                svg = run_graphviz(source, "svg", self.program, f"{self.what}()")
                width, height = svg_size(svg)
                if best is None or width < best[3]:
                    best = (rankdir, source, svg, width, height)
                if width <= self.max_width:
                    break
            assert best is not None  # (candidates is never empty)
            rankdir, source, svg, width, height = best
            if width > self.max_width:  # scale down, keeping the text readable
                self.scale = max(self.max_width / width, MIN_SCALE)
                source = scaled(source, self.scale, width)
                svg = run_graphviz(source, "svg", self.program, f"{self.what}()")
                width, height = svg_size(svg)
        self.rankdir, self._source, self.width, self.height = rankdir, source, width, height
        self._rendered["svg"] = svg
        return source

    @property
    def source(self) -> str:
        """The DOT text. (Without `dot`, the text of the first direction tried, not fitted.)"""
        try:
            return self._fit()
        except RuntimeError:
            return self._make_source(self.rankdir)

    def pipe(self, format: str = "svg") -> bytes:
        """The picture rendered by Graphviz in `format` ("svg", "png", "pdf", ...)."""
        source = self._fit()
        if format not in self._rendered:
            self._rendered[format] = run_graphviz(source, format, self.program, f"{self.what}()")
        return self._rendered[format]

    def summary(self) -> str:
        """One line: what drew the picture, its counts (values, operations, edges, root) and, once rendered,
        its size in CSS pixels and whether it was turned top to bottom or shrunk to fit the column."""
        text = f"{self.what}: {self.counts}"
        if self.width is None:
            return text
        text += f"; {self.width:,.0f} x {self.height:,.0f} px"
        if not self._fixed_rankdir and self.rankdir != "LR":
            text += ", laid out top to bottom to fit"
        if self.scale < 1.0:
            text += f", shrunk to {self.scale:.0%} to fit {self.max_width:,.0f} px"
        if self.width > self.max_width + 0.5:
            text += (f"; still wider than {self.max_width:,.0f} px: draw a sub-graph, "
                     "or group=model, to see it whole")
        return text

    def __repr__(self) -> str:
        return self.summary()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        try:
            png, svg = self.pipe("png"), self.pipe("svg")
        except RuntimeError as e:
            return {"text/plain": f"{self.summary()} (not drawn: {e})"}
        return {"image/png": base64.b64encode(png).decode("ascii"), "image/svg+xml": svg.decode(),
                "text/plain": self.summary()}


def scaled(source: str, scale: float, width: float) -> str:
    """DOT text drawn at `scale` times its natural `width` (CSS pixels), through Graphviz's `size` (inches)."""
    if scale == 1.0:
        return source
    inches = width * scale / DPI
    return source.replace("digraph {\n", f'digraph {{\n  graph [size="{inches:.3f},1000"]\n', 1)


def write(data: bytes, path: str | os.PathLike) -> str:
    with open(path, "wb") as f:
        f.write(data)
    return os.fspath(path)
