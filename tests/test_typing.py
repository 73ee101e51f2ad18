"""Typed operators (issue 16): mypy, with its default settings, sees `Value` where the engine gives a Value
and passes on both packages, `autograd` and `nn`; py.typed is shipped in the wheel for both, so users' type
checkers read the hints. Also the bugs mypy found, each pinned by its behaviour."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["autograd", "nn"]

pytest.importorskip("mypy")


def mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_mypy_passes_on_both_packages():
    """No configuration file sets mypy's options (so these are its defaults), and it finds no error at all."""
    assert "[tool.mypy]" not in (ROOT / "pyproject.toml").read_text()
    assert not any((ROOT / name).exists() for name in ("mypy.ini", ".mypy.ini", "setup.cfg"))
    result = mypy(*PACKAGES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^Success: no issues found in \d+ source files$", result.stdout, re.M), result.stdout


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
    names = zipfile.ZipFile(wheel).namelist()
    for package in PACKAGES:
        assert f"{package}/py.typed" in names, names


# The bugs mypy found, fixed (each an error from deep inside, or a wrong number, before).

def test_half_unit_refuses_a_number_without_a_last_digit():
    from nn.examples import half_unit
    assert half_unit("0.25") == 0.005  # half of one unit of the last printed digit, 0.01
    for printed in ("nan", "inf", "-Infinity"):
        with pytest.raises(ValueError, match=rf"half_unit\(\): printed = '{printed}' must be a finite decimal"):
            half_unit(printed)


def test_register_refuses_an_expected_answer_that_is_neither_numbers_nor_a_word():
    from nn.exercises._registry import Exercise, register
    with pytest.raises(ValueError, match=r"register\(\): exercise '99.typed': `expected` must be numbers or a word, "
                                         r"got \{'a': 1\}"):
        register(Exercise(key="99.typed", question="?", expected={"a": 1}, hint="-"))


def test_svg_size_names_what_is_missing():
    from autograd._picture import svg_size
    assert svg_size('<svg width="75pt" height="30pt" viewBox="0 0 75 30">') == (100.0, 40.0)  # 1 pt = 4/3 px
    with pytest.raises(ValueError, match=r"svg_size\(\): the SVG gives no width and height in points"):
        svg_size("<svg viewBox='0 0 10 10'></svg>")


def test_complex_step_keeps_the_imaginary_part_of_a_numpy_complex64():
    """f returns an np.complex64, which is not a Python complex: its imaginary part was dropped by float(),
    so the complex step saw a zero derivative. d/dx x^3 = 3 x^2 = 6.75 at 1.5."""
    np = pytest.importorskip("numpy")
    from autograd import check_gradient
    result = check_gradient(lambda x: np.complex64(x * x * x), lambda x: 3 * x * x, 1.5, method="complex-step",
                            eps=1e-2, atol=1e-4, rtol=1e-3)
    (row,) = result.rows
    assert row.numeric == pytest.approx(6.75, rel=1e-6)
