"""The distribution: named backprop-lab (not autograd, which is HIPS autograd's name on PyPI), shipping
both top-level packages, and importing without its optional dependencies."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_autograd_is_this_repository():
    import autograd
    import nn
    assert Path(autograd.__file__).resolve().parent == ROOT / "autograd"
    assert Path(nn.__file__).resolve().parent == ROOT / "nn"


def test_wheel_contains_both_packages_and_is_not_named_autograd(tmp_path):
    build = pytest.importorskip("hatchling.build")
    import os
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        wheel = tmp_path / build.build_wheel(str(tmp_path))
    finally:
        os.chdir(cwd)
    names = zipfile.ZipFile(wheel).namelist()
    for module in ("autograd/__init__.py", "autograd/engine.py", "autograd/viz.py", "autograd/checking.py",
                   "nn/__init__.py", "nn/_mlp.py", "nn/functional.py", "nn/examples.py"):
        assert module in names, f"{module} missing from {wheel.name}"
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Name: backprop-lab" in text.splitlines()
    assert wheel.name.startswith("backprop_lab-")


def test_imports_need_no_optional_dependency():
    # Block the optional dependencies, then import everything `import autograd` and `import nn` load.
    code = ("import sys\n"
            "for name in ('graphviz', 'numpy', 'matplotlib', 'torch', 'tqdm', 'IPython', 'ipywidgets'):\n"
            "    sys.modules[name] = None  # makes `import name` fail\n"
            "import autograd, nn\n"
            "from autograd import Value, grad, gradcheck, hessian, jvp\n"
            "from nn import MLP, SGD, Adam, functional\n"
            "import nn.examples\n"
            "x = Value(2.0); y = MLP(1, [2, 1], seed=0)([x])[0]; y.backward()\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
