"""Every Python example in the README runs, and the numbers its comments promise are the ones it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 6


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(BLOCKS[index], f"README python block {index}", "exec"), {})


def test_first_example_prints_what_its_comment_says(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(BLOCKS[0], {})
    assert out.getvalue().splitlines()[0] == "35.0 17.0 12.0"


def test_higher_order_example_values():
    from autograd import hessian, hvp, jvp
    f = lambda x, y: x**2 + x*y + (x + y)**2  # noqa: E731
    assert hessian(f, [1.0, 2.0]) == [[4.0, 3.0], [3.0, 2.0]]  # f = 2x^2 + 3xy + y^2
    assert hvp(f, [1.0, 2.0], [1.0, 0.0]) == [4.0, 3.0]
    assert jvp(lambda x, y: x * y.exp(), [1.0, 0.0], [1.0, 1.0]) == (1.0, 2.0)  # e^y + x e^y at (1, 0)
