"""Typed operators (issue 16): mypy, with its default settings, sees `Value` where the engine gives a Value
and passes on the engine's modules; py.typed is shipped in the wheel, so users' type checkers read the hints."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE_MODULES = ["autograd/__init__.py", "autograd/_modes.py", "autograd/_ops.py", "autograd/_errors.py",
                  "autograd/engine.py", "autograd/anomaly.py", "autograd/forward.py", "autograd/functional.py"]

pytest.importorskip("mypy")


def mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_mypy_passes_on_the_engine_modules():
    result = mypy(*ENGINE_MODULES)
    assert result.returncode == 0 and "Success" in result.stdout, result.stdout + result.stderr


def test_reveal_type_of_operators_and_functions(tmp_path):
    code = {
        "v + v": "autograd.engine.Value", "2 * v": "autograd.engine.Value", "v ** 2": "autograd.engine.Value",
        "1 - v": "autograd.engine.Value", "-v": "autograd.engine.Value", "v.tanh()": "autograd.engine.Value",
        "v.leaky_relu(v)": "autograd.engine.Value", "autograd.exp(v)": "autograd.engine.Value",
        "autograd.exp(2.0)": "builtins.float", "autograd.tanh(1)": "builtins.float",
        "autograd.sigmoid(d)": "autograd.forward.Dual", "d * 2": "autograd.forward.Dual",
        "grad(v, v)": "builtins.float", "grad(v, [v])": "builtins.list[builtins.float]",
        "grad(v, v, create_graph=True)": "autograd.engine.Value", "v < 2": "builtins.bool",
        "linear([v], [1.0])": "autograd.engine.Value", "v.item()": "builtins.float",
    }
    lines = ["import autograd", "from autograd import Value, grad, linear", "from autograd.forward import Dual",
             "v = Value(1.0)", "d = Dual(1.0, 1.0)", *[f"reveal_type({expr})" for expr in code]]
    script = tmp_path / "reveal.py"
    script.write_text("\n".join(lines) + "\n")
    out = mypy(str(script)).stdout
    revealed = re.findall(r'Revealed type is "([^"]+)"', out)
    assert len(revealed) == len(code), out
    for (expr, want), got in zip(code.items(), revealed):
        assert got.replace("builtins.", "") == want.replace("builtins.", ""), (expr, got)


def test_py_typed_is_in_the_wheel(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("*.whl")
    assert "autograd/py.typed" in zipfile.ZipFile(wheel).namelist()
