"""The engine's layout (issue 16): imports point one way, with no circle, and the chain rule is written once.

Read from the source with `ast`, so the test sees every import, also those inside functions.
"""

import ast
from pathlib import Path

AUTOGRAD = Path(__file__).resolve().parent.parent / "autograd"


def package_imports(module: str, runtime_only: bool = True) -> set[str]:
    """The autograd modules that autograd/<module>.py imports (relative or absolute), optionally skipping
    `if TYPE_CHECKING:` blocks (type hints only)."""
    tree = ast.parse((AUTOGRAD / f"{module}.py").read_text())
    skipped = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
                skipped.update(id(n) for n in ast.walk(node))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level == 1 and not base:
                found.update(alias.name for alias in node.names)
            elif node.level == 1:
                found.add(base.split(".")[0])
            elif base.startswith("autograd"):
                found.add(base.split(".")[1] if "." in base else "__init__")
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("autograd."))
    return found


def test_imports_point_one_way():
    assert package_imports("_modes", runtime_only=False) == set()  # imports nothing at all
    assert package_imports("_modes") == set()
    assert package_imports("_ops") == {"_modes"}  # the rule table does not import the engine
    assert package_imports("_errors") == {"_modes", "_ops"}
    assert package_imports("engine") == {"_errors", "_modes", "_ops"}
    assert "engine" in package_imports("anomaly") and "anomaly" not in package_imports("engine")
    for module in ("_modes", "_ops", "_errors", "engine"):
        assert not package_imports(module) & {"anomaly", "checking", "viz", "forward", "functional"}, module


def test_chain_rule_is_one_line_written_once():
    line = "parent._grad += local_grad * node._grad  # the chain rule"
    counts = {path.name: path.read_text().count(line) for path in AUTOGRAD.glob("*.py")}
    assert counts.pop("engine.py") == 1 and not any(counts.values()), counts


def test_anomaly_mode_replaces_no_constructor():
    source = (AUTOGRAD / "anomaly.py").read_text()
    assert "__init__ =" not in source and "_record =" not in source and "Value.__init__" not in source
