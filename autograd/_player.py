"""Backward step by step: a frame per node, in the order backward visits them, and a player for the frames.

    steps = backward_steps(loss)
    print(steps)              # every step as text
    steps[0].graph            # one frame's picture
    steps.to_html("steps.html")   # one self-contained page with previous / next / play buttons
    steps                     # in a notebook: the same player; where scripts cannot run, an animated
                              # picture of every step and their text

The graph is laid out once (by `dot`), and every frame is drawn at the same positions (by `neato -n2`), so
nothing moves from one frame to the next; only the colours, the gradients and the numbered edges change.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from ._drawing import (STEP_STYLE, Drawing, Marks, check_precision, check_rankdir, graph_source, number)
from ._picture import Picture, layout, write
from .engine import Value, grad, topological_order


PLAYED = 60  # at most this many frames in a notebook's display (the steps of a bigger graph: by slices)


@dataclass
class FrameEdge:
    """One parent of the node being propagated (`index`: its operand position; `number`: 1, 2, ... among the
    parents that get a gradient, the number drawn on its edge): what backward adds to its gradient.
    `added` = `local_grad` * the node's gradient; `total` is the parent's gradient after the addition."""
    parent: Value = field(repr=False)
    name: str
    index: int
    number: int
    local_grad: float
    added: float
    total: float


@dataclass
class BackwardFrame:
    """One step of backward: `node` passes its complete gradient `grad` (d root/d node) to its parents.

    Attributes: `index` (0 for the root; the text says "step index + 1 of n"), `node`, `name`, `grad`,
    `edges` (a `FrameEdge` per parent that requires a gradient, in operand order), `grads` (every gradient
    computed so far, after this step: a dict Value -> float), `graph` (the picture: this node and its edges
    in blue, its edges numbered as in the text), `text`.
    """
    index: int
    node: Value
    name: str
    grad: float
    edges: list[FrameEdge]
    _steps: BackwardSteps = field(repr=False)

    @property
    def grads(self) -> dict:
        """The gradients after this step: d root/d node for the nodes done, running sums for the others."""
        running = {self._steps.root: 1.0}
        for frame in self._steps.all_frames[:self.index + 1]:
            for e in frame.edges:
                running[e.parent] = e.total
        return running

    def lines(self) -> list[str]:
        """The step as lines of text: first "step k of n: <node> has its complete gradient d<root>/d<node> =
        ...", then one line per numbered edge, "(i) <parent>.grad += local derivative * the node's gradient =
        what is added  ->  <parent>.grad = the new running sum" (the chain rule, one edge at a time)."""
        steps = self._steps
        num = partial(number, precision=steps.precision)
        op = f" (op {self.node.op})" if self.node.op else ""
        lines = [f"step {self.index + 1} of {len(steps.all_frames)}: {self.name}{op} has its complete gradient "
                 f"d{steps.root_name}/d{self.name} = {num(self.grad)}"]
        for e in self.edges:
            lines.append(f"  ({e.number}) {e.name}.grad += {num(e.local_grad)} * {num(self.grad)} = {num(e.added)}"
                         f"   ->  {e.name}.grad = {num(e.total)}")
        if not self.node.parents:
            lines.append(f"  {self.name} is a leaf: nothing to pass on")
        return lines

    @property
    def text(self) -> str:
        """The step as one string: `lines()` joined by newlines (what `print(frame)` shows)."""
        return "\n".join(self.lines())

    def __str__(self) -> str:
        return self.text

    @property
    def graph(self) -> Picture:
        """The frame's picture: the whole graph at the positions shared by every frame, this node and the
        edges to its parents in blue, each edge numbered as in `text`, every gradient computed so far
        ("—" where none has arrived yet), and the text of the step below the graph."""
        return self._steps._frame_picture(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.graph._repr_mimebundle_(include, exclude)
        bundle["text/plain"] = self.text
        return bundle


class BackwardSteps(Sequence):
    """The frames of backward, one per node in the order backward visits them (`topological_order`).

    A sequence of `BackwardFrame`s (a slice, `steps[:5]`, is a `BackwardSteps` of those frames, numbered as
    in the whole). `print(steps)` gives every step as text; `save(folder)` writes numbered pictures;
    `to_html(path)` writes one page that plays them; in a notebook the same player shows, and where scripts
    cannot run (an untrusted notebook, a code host) an animated PNG of every step and every step's text.
    """

    def __init__(self, drawing: Drawing, precision: int, rankdir: str | None, frames: list[BackwardFrame] | None,
                 shared=None):
        self.drawing = drawing
        self.root = drawing.root
        self.root_name = drawing.name(drawing.root)
        self.precision = precision
        self.rankdir = rankdir
        self.all_frames: list[BackwardFrame] = frames if frames is not None else []
        self.frames = self.all_frames
        self._shared = shared if shared is not None else {}  # the layout, computed once for every slice
        self._memo: dict = {}  # this sequence's animated PNG, made once

    def __len__(self) -> int:
        return len(self.frames)

    def __getitem__(self, k):
        if isinstance(k, slice):
            part = BackwardSteps(self.drawing, self.precision, self.rankdir, self.all_frames, self._shared)
            part.frames = self.frames[k]
            return part
        return self.frames[k]

    def __str__(self) -> str:
        return "\n".join(frame.text for frame in self.frames)

    def __repr__(self) -> str:
        shown = (f"steps {self.frames[0].index + 1} to {self.frames[-1].index + 1} of {len(self.all_frames)}"
                 if self.frames else "no steps")
        return (f"backward_steps: {shown} of backward through {self.root_name} "
                "(print(steps) for the text, steps.to_html(path) for a page that plays them)")

    # Pictures: one layout, then every frame at its positions.
    def _layout(self) -> dict:
        if "layout" not in self._shared:
            num = partial(number, precision=self.precision)
            marks = Marks(edge_labels={(f.node, e.index): f"({e.number}) {num(e.local_grad)}"
                                       for f in self.all_frames for e in f.edges})  # room for the numbers

            def source(direction: str) -> str:
                return graph_source(self.drawing, direction, precision=self.precision, edge_labels=True,
                                    grad_text=lambda node: num(0.0) if node.requires_grad else None, marks=marks)
            fitted = Picture("backward_steps", source, self.rankdir, "")
            fitted._fit()
            positions = layout(source(fitted.rankdir))
            width_pt = float(positions["bb"].split(",")[2])
            self._shared["layout"] = dict(positions=positions, rankdir=fitted.rankdir, scale=fitted.scale,
                                          width=width_pt * 4 / 3, legend_chars=max(50, int(width_pt / 6)),
                                          legend_lines=1 + max((len(f.edges) for f in self.all_frames), default=0))
        return self._shared["layout"]

    def _frame_picture(self, frame: BackwardFrame) -> Picture:
        laid = self._layout()
        num = partial(number, precision=self.precision)
        marks = Marks({frame.node: STEP_STYLE})
        if frame.edges:
            marks.styles[frame.node, "op"] = marks.styles[frame.node, None] = STEP_STYLE
        for e in frame.edges:
            marks.styles[frame.node, e.index] = STEP_STYLE
            marks.edge_labels[frame.node, e.index] = f"({e.number}) {num(e.local_grad)}"
        legend = []
        for line in frame.lines():
            legend += textwrap.wrap(line, laid["legend_chars"], subsequent_indent="      ") or [""]
        legend += [" "] * (laid["legend_lines"] - len(legend))  # the same height in every frame
        marks.title = "".join(line.replace("\\", "\\\\") + "\\l" for line in legend)
        grads = frame.grads

        def grad_text(node: Value) -> str | None:
            if not node.requires_grad:
                return None
            return num(grads[node]) if node in grads else "—"  # not reached yet

        def source(direction: str) -> str:
            return graph_source(self.drawing, direction, precision=self.precision, edge_labels=True,
                                grad_text=grad_text, marks=marks, positions=laid["positions"])
        counts = f"step {frame.index + 1} of {len(self.all_frames)}, {self.drawing.counts()}"
        return Picture("backward frame", source, laid["rankdir"], counts, program="neato -n2",
                       preset=(laid["scale"], laid["width"]))

    def save(self, folder: str | os.PathLike, format: str = "svg") -> list[str]:
        """Write one picture per frame, `step_001.svg`, `step_002.svg`, ..., into `folder` (created if needed);
        return the paths.

        Arguments:
            folder: the directory to write to.
            format: "svg", "png", "pdf", or any format the Graphviz program `dot` knows.
        """
        os.makedirs(folder, exist_ok=True)
        width = max(3, len(str(len(self.all_frames))))
        return [write(frame.graph.pipe(format), os.path.join(folder, f"step_{frame.index + 1:0{width}d}.{format}"))
                for frame in self.frames]

    # The player.
    def html(self) -> str:
        """The player as an HTML fragment, nothing loaded from the network.

        What shows without scripts (an untrusted notebook, whose HTML is sanitized; a code host): the animated
        PNG of every step (`animated_png`; without Pillow, each frame's PNG one under the other) and every step
        as text, under "every step as text". With scripts (a trusted notebook, an HTML export, `to_html`), a
        script replaces those by the player: buttons "previous", "next", "play", the readout "step k of n",
        the step's text, and the frame as SVG, in a box that scrolls to keep the active node in view.
        """
        frames = []
        for frame in self.frames:
            svg = frame.graph.pipe("svg").decode()
            frames.append({"step": frame.index + 1, "node": frame.name, "text": frame.text,
                           "svg": svg[svg.index("<svg"):]})  # without the XML prolog: inline in HTML
        data = json.dumps({"total": len(self.all_frames), "frames": frames}).replace("</", "<\\/")
        ident = "bp-" + hashlib.sha1(data.encode()).hexdigest()[:12]
        return (f'<div class="bp-player" id="{ident}" style="max-width:100%">{self._static_html()}'
                f'<script type="application/json" class="bp-frames">{data}</script>'
                f'<script>{_PLAYER_SCRIPT.replace("@ID@", ident)}</script></div>')

    def _static_html(self) -> str:
        """What the player shows where scripts do not run: tags and attributes that notebook sanitizers keep
        (JupyterLab's keeps <img> with a data: URI, <details>, <pre>, but no <svg>, <script> or data-*)."""
        animation = self.animated_png()
        images = [animation] if animation is not None else [frame.graph.pipe("png") for frame in self.frames]
        shown = (f"steps {self.frames[0].index + 1} to {self.frames[-1].index + 1} of {len(self.all_frames)}"
                 if self.frames else "no steps")
        alt = html.escape(f"backward through {self.root_name}, {shown}"
                          + (", one frame per step, 1.5 s each" if animation is not None else ""))
        tags = "".join(f'<img src="data:image/png;base64,{base64.b64encode(image).decode("ascii")}" alt="{alt}" '
                       f'style="max-width:100%;height:auto;display:block;margin-bottom:6px">' for image in images)
        return (f'<div class="bp-static">{tags}<details><summary>every step as text</summary>'
                f'<pre>{html.escape(str(self))}</pre></details></div>')

    def to_html(self, path: str | os.PathLike) -> str:
        """Write the player as one self-contained HTML page (no network access: script and pictures inline),
        to open in any browser; return the path.

        Arguments:
            path: the file to write, e.g. "backward.html".
        """
        page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<title>backward through {html.escape(self.root_name)}</title></head>'
                f'<body style="font-family:sans-serif">{self.html()}</body></html>\n')
        return write(page.encode(), path)

    def animated_png(self) -> bytes | None:
        """Every frame as one animated PNG (one frame per step, 1.5 s each, in 64 colours), for viewers that
        show images but run no scripts; None without Pillow or without frames."""
        if "animation" in self._memo:
            return self._memo["animation"]
        try:
            from PIL import Image
        except ImportError:
            return None
        pngs = [frame.graph.pipe("png") for frame in self.frames]
        if not pngs:
            return None
        sizes = [Image.open(io.BytesIO(png)).size for png in pngs]
        width, height = max(w for w, _ in sizes), max(h for _, h in sizes)

        def canvas(png: bytes) -> Image.Image:  # every frame on a white page of the same size
            page = Image.new("RGB", (width, height), "white")
            page.paste(Image.open(io.BytesIO(png)).convert("RGB"), (0, 0))
            return page
        sample = Image.new("RGB", (width // 4, (height // 4) * len(pngs)), "white")  # every frame's colours
        for k, png in enumerate(pngs):
            sample.paste(canvas(png).resize((width // 4, height // 4), Image.Resampling.NEAREST), (0, k * (height // 4)))
        palette = sample.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
        images = [canvas(png).quantize(palette=palette, dither=Image.Dither.NONE) for png in pngs]
        out = io.BytesIO()
        images[0].save(out, format="PNG", save_all=True, append_images=images[1:], duration=1500, loop=0,
                       optimize=True)
        self._memo["animation"] = out.getvalue()
        return self._memo["animation"]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        shown = self if len(self.frames) <= PLAYED else self[:PLAYED]  # each frame shown costs two renderings
        try:
            bundle = {"text/html": shown.html()}
        except RuntimeError as e:  # no Graphviz
            return {"text/plain": f"{self!r}\n(not drawn: {e})\n{self}"}
        if shown is not self:
            first = self.frames[0].index
            bundle["text/html"] = (f"<p>The first {PLAYED} of these {len(self.frames)} steps: "
                                   f"<code>steps[{first + PLAYED}:{first + 2 * PLAYED}]</code> shows the next ones, "
                                   "<code>steps.to_html(path)</code> writes a page with all of them.</p>"
                                   + bundle["text/html"])
        animation = shown.animated_png()  # for viewers that show images but no HTML
        if animation is not None:
            bundle["image/png"] = base64.b64encode(animation).decode("ascii")
        bundle["text/plain"] = repr(self)
        return bundle

    def show(self) -> None:
        """Display the player in a notebook (the same as leaving `steps` as a cell's last expression)."""
        from IPython.display import display
        display(self)


# Runs where scripts may run: builds the player from the frames in the JSON beside it and removes the static
# pictures. The frames sit in a box at most 80% of the window high, scrolled so the active node is in view; the
# step's text shows above the box when the frame (whose text is at its bottom) is taller than the box.
_PLAYER_SCRIPT = """
(function start(script, tries) {
  // the player's element: the script's parent, or by its id where the script runs elsewhere (classic Notebook)
  var root = script && script.parentNode && script.parentNode.id === "@ID@" ? script.parentNode
             : document.getElementById("@ID@");
  if (!root) { if (tries < 50) setTimeout(function () { start(null, tries + 1); }, 100); return; }
  if (root.dataset.ready) return;
  root.dataset.ready = "1";
  var data = JSON.parse(root.querySelector(".bp-frames").textContent);
  root.querySelector(".bp-static").remove();
  root.insertAdjacentHTML("beforeend",
    '<div class="bp-controls" style="margin-bottom:6px">' +
    '<button type="button" class="bp-previous" aria-label="previous step">&#9664; previous</button> ' +
    '<button type="button" class="bp-next" aria-label="next step">next &#9654;</button> ' +
    '<button type="button" class="bp-play" aria-label="play the steps">play</button> ' +
    '<span class="bp-status" aria-live="polite"></span></div>' +
    '<pre class="bp-text" style="margin:0 0 6px 0;white-space:pre-wrap"></pre>' +
    '<div class="bp-view" style="max-height:80vh;overflow:auto"></div>');
  var view = root.querySelector(".bp-view"), status = root.querySelector(".bp-status");
  var text = root.querySelector(".bp-text"), play = root.querySelector(".bp-play");
  var frames = data.frames.map(function (f) {
    var figure = document.createElement("figure");
    figure.className = "bp-frame";
    figure.style.margin = "0";
    figure.innerHTML = f.svg;
    view.appendChild(figure);
    return figure;
  });
  var k = 0, timer = null;
  function reveal() {  // scroll the box (never the page) so the active node is in view
    var node = frames[k].querySelector("g.node.active");
    if (!node) return;
    var box = view.getBoundingClientRect(), r = node.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) view.scrollTop += (r.top + r.bottom - box.top - box.bottom) / 2;
    if (r.left < box.left || r.right > box.right) view.scrollLeft += (r.left + r.right - box.left - box.right) / 2;
  }
  function show(i) {
    k = Math.max(0, Math.min(frames.length - 1, i));
    for (var j = 0; j < frames.length; j++) frames[j].style.display = j === k ? "" : "none";
    status.textContent = "step " + data.frames[k].step + " of " + data.total;
    text.textContent = data.frames[k].text;
    text.hidden = view.scrollHeight <= view.clientHeight;  // the frame shows its text too, unless cut off
    root.dataset.current = data.frames[k].node;
    reveal();
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = "play"; } }
  root.querySelector(".bp-previous").onclick = function () { stop(); show(k - 1); };
  root.querySelector(".bp-next").onclick = function () { stop(); show(k + 1); };
  play.onclick = function () {
    if (timer) { stop(); return; }
    if (k === frames.length - 1) show(0);
    play.textContent = "pause";
    timer = setInterval(function () { if (k >= frames.length - 1) stop(); else show(k + 1); }, 900);
  };
  if (frames.length) show(0);
})(document.currentScript, 0);
"""


def backward_steps(root: Value, *, precision: int = 4, rankdir: str | None = None) -> BackwardSteps:
    """Backward one node at a time: a frame per node, in the order backward visits them.

    In each frame a node whose gradient is complete passes it to its parents: the parent's gradient grows by
    local derivative * the node's gradient (the chain rule). Gradients start from zero (a leaf's accumulated
    `.grad` from earlier `backward()` calls is not shown); `.grad` itself is not changed. Time and memory are
    proportional to the size of the graph; pictures are drawn only for the frames shown.

    Arguments:
        root: the output to differentiate (usually the loss); it must require a gradient.
        precision: digits after the decimal point in the pictures and text (0 to 17).
        rankdir: the layout direction of the pictures ("LR", "TB", ...); None: the one that fits.
    """
    precision = check_precision(precision, "backward_steps")
    rankdir = check_rankdir(rankdir, "backward_steps")
    drawing = Drawing(root, "backward_steps")
    order = topological_order(root)
    complete = grad(root, order)  # the engine's gradients: each node's is complete when its frame comes
    steps = BackwardSteps(drawing, precision, rankdir, None)
    running: dict[Value, float] = {root: 1.0}
    for index, (node, node_grad) in enumerate(zip(order, complete)):
        node_grad = float(node_grad)
        edges: list[FrameEdge] = []
        for i, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            if parent.requires_grad:
                added = float(local) * node_grad  # what backward adds: local derivative * the node's gradient
                running[parent] = running.get(parent, 0.0) + added
                edges.append(FrameEdge(parent, drawing.name(parent), i, len(edges) + 1, float(local), added,
                                       running[parent]))
        steps.all_frames.append(BackwardFrame(index, node, drawing.name(node), node_grad, edges, steps))
    return steps

