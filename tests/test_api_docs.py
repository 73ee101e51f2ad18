"""The API reference: docs/build.py (pdoc) builds it with every warning an error, and every public name of
autograd and nn (each module's public functions, classes, their methods and properties, and the operators of
the public classes) has a docstring that says more than its name or its operator symbol."""

from __future__ import annotations

import importlib.util
import inspect
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pdoc_doc = pytest.importorskip("pdoc.doc")

ROOT = Path(__file__).resolve().parent.parent


def _build_script():
    spec = importlib.util.spec_from_file_location("docs_build", ROOT / "docs" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_builds_with_no_warning(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "docs" / "build.py"), str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    pages = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")}
    for page in ("index.html", "autograd.html", "autograd/engine.html", "autograd/viz.html", "nn.html",
                 "nn/functional.html"):
        assert page in pages, sorted(pages)
    nn_page = (tmp_path / "nn.html").read_text()
    assert 'id="MLP.to_torch"' in nn_page and 'id="MLP.state_dict"' in nn_page
    assert '<h6 id="arguments">Arguments:</h6>' in nn_page  # the Arguments: lists rendered as sections


# The operators a user meets through symbols; pdoc does not list them, help() and an editor do.
OPERATORS = {"__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
             "__pow__", "__rpow__", "__neg__", "__pos__", "__abs__", "__lt__", "__le__", "__gt__", "__ge__",
             "__eq__", "__ne__", "__float__", "__int__", "__bool__", "__call__"}


def _public_objects():
    """(name where it is defined, its object, its docstring) for every public name, each object once."""
    seen: set[int] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the build test reports warnings
        public = _build_script().public_modules()
        for module_name in public:
            module = pdoc_doc.Module.from_name(module_name)
            yield module.fullname, module.obj, module.docstring
            for member in module.members.values():
                defined_in = member.taken_from[0]
                if member.name.startswith("_") or id(member.obj) in seen or (
                        defined_in != module.fullname and defined_in in public):
                    continue  # private, or re-exported from a public module: checked there
                if isinstance(member, pdoc_doc.Variable) and not callable(member.obj):
                    continue  # constants are documented in their module's docstring
                seen.add(id(member.obj))
                yield member.fullname, member.obj, member.docstring
                if isinstance(member, pdoc_doc.Class):
                    yield from _class_members(member)


def _written_by_hand(function) -> bool:
    """Not made by @dataclass or namedtuple (their code comes from a string)."""
    code = getattr(inspect.unwrap(function), "__code__", None)
    return code is None or not code.co_filename.startswith("<")


def _class_members(cls):
    for member in cls.own_members:
        if member.name.startswith("_"):
            continue
        if isinstance(member, pdoc_doc.Variable) and not isinstance(
                inspect.getattr_static(cls.obj, member.name, None), property):
            continue  # attributes: listed in the class's docstring
        yield member.fullname, member.obj, member.docstring
    for name in sorted(OPERATORS & vars(cls.obj).keys()):
        method = vars(cls.obj)[name]
        if callable(method) and _written_by_hand(method):
            yield f"{cls.fullname}.{name}", method, inspect.getdoc(method) or ""


def _trivial(name: str, docstring: str) -> bool:
    """No docstring, or one that only repeats the name or an operator symbol: fewer than three words."""
    words = re.findall(r"[A-Za-z]{2,}", docstring)
    short_name = name.rsplit(".", 1)[-1].strip("_")
    return len([w for w in words if w.lower() != short_name.lower()]) < 3


def test_every_public_name_has_a_docstring_that_says_what_it_computes():
    objects = list(_public_objects())
    assert len(objects) > 100  # the walk found the library
    missing = sorted(name for name, _, docstring in objects if _trivial(name, docstring or ""))
    assert not missing, f"{len(missing)} public names without a real docstring:\n" + "\n".join(missing)


@pytest.mark.parametrize("name, docstring, trivial", [
    ("autograd.engine.Value.__add__", "+", True),
    ("autograd.engine.Value.tanh", "tanh", True),
    ("autograd.forward.Dual.sin", None, True),
    ("autograd.engine.Value.__add__", "self + other; d/dself = 1 and d/dother = 1.", False),
    ("nn.MLP.zero_grad", "Reset every parameter's `.grad` to 0.", False),
])
def test_what_counts_as_trivial(name, docstring, trivial):
    assert _trivial(name, docstring or "") is trivial
