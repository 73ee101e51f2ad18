"""The pictures saved in the notebooks show wherever a notebook is read: every saved graph picture (an output
with SVG, or the backward player) also carries `image/png` (which Jupyter shows untrusted, and code hosts
show), no wider than a notebook column, and a text summary instead of an object's address; the player's HTML
shows, without its scripts, an <img> of every step (a sanitizer keeps that, and drops <svg> and <script>).

This reads the saved notebooks: it passes once they have been executed and saved with the current library
(`python notebooks/execute_all.py`).
"""

import base64
import re
import struct
from pathlib import Path

import nbformat
import pytest

from autograd._picture import COLUMN_PX
from notebook_files import NOTEBOOKS


def png_size(data: str) -> tuple[int, int]:
    """Width and height from a PNG's header (the IHDR chunk, bytes 16-24)."""
    png = base64.b64decode(data)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def pictures(notebook: Path) -> list[tuple[int, dict]]:
    found = []
    for k, cell in enumerate(nbformat.read(notebook, as_version=4).cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data or "bp-player" in data.get("text/html", ""):
                found.append((k, data))
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_saved_graph_pictures_have_a_png_that_fits(notebook):
    for cell, data in pictures(notebook):
        where = f"{notebook.name}, cell {cell}"
        assert "image/png" in data, f"{where}: a picture without image/png (re-execute the notebook)"
        width, height = png_size(data["image/png"])
        assert 0 < width <= COLUMN_PX, f"{where}: {width} px wide, more than a column ({COLUMN_PX} px)"
        text = "".join(data.get("text/plain", ""))
        assert not re.search(r"at 0x[0-9a-f]+", text), f"{where}: shows an object address: {text}"
        page = "".join(data.get("text/html", ""))
        if "bp-player" in page:  # what a notebook shows untrusted (sanitized HTML): the part before the scripts
            static = page.split("<script", 1)[0]
            assert "<svg" not in static, f"{where}: the player shows SVG without scripts (a sanitizer drops it)"
            images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', static)
            assert images, f"{where}: the player shows no image without scripts"
            assert all(0 < png_size(image)[0] <= COLUMN_PX for image in images), f"{where}: wider than a column"


def test_the_notebooks_have_pictures():
    assert sum(len(pictures(p)) for p in NOTEBOOKS) >= 15  # the graphs of 01, 02, 03, 04, 07 at least
