"""The distribution: named backprop-lab (not autograd, which is HIPS autograd's name on PyPI), shipping
both top-level packages with one version, classifiers, keywords and the demo as a command, and importing
without its optional dependencies."""

from __future__ import annotations

import re
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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    build = pytest.importorskip("hatchling.build")
    import os
    folder = tmp_path_factory.mktemp("wheel")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return folder / build.build_wheel(str(folder))
    finally:
        os.chdir(cwd)


def _wheel_file(wheel, suffix: str) -> str:
    archive = zipfile.ZipFile(wheel)
    return archive.read(next(n for n in archive.namelist() if n.endswith(suffix))).decode()


def test_wheel_contains_both_packages_and_is_not_named_autograd(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for module in ("autograd/__init__.py", "autograd/engine.py", "autograd/viz.py", "autograd/checking.py",
                   "autograd/_version.py", "nn/__init__.py", "nn/_mlp.py", "nn/functional.py", "nn/examples.py"):
        assert module in names, f"{module} missing from {wheel.name}"
    assert "Name: backprop-lab" in _wheel_file(wheel, "METADATA").splitlines()
    assert wheel.name.startswith("backprop_lab-")


def test_one_version_for_the_wheel_and_both_packages(wheel):
    import autograd
    import nn
    version = next(line.split(": ", 1)[1] for line in _wheel_file(wheel, "METADATA").splitlines()
                   if line.startswith("Version: "))
    assert autograd.__version__ == nn.__version__ == version
    assert wheel.name.startswith(f"backprop_lab-{version}-")
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert 'version = "' not in (ROOT / "pyproject.toml").read_text()  # written once, in autograd/_version.py


def test_metadata_has_classifiers_and_keywords(wheel):
    trove = pytest.importorskip("trove_classifiers")
    lines = _wheel_file(wheel, "METADATA").splitlines()
    classifiers = [line.split(": ", 1)[1] for line in lines if line.startswith("Classifier: ")]
    assert "Intended Audience :: Education" in classifiers
    assert set(classifiers) <= trove.classifiers, set(classifiers) - trove.classifiers
    keywords = next(line for line in lines if line.startswith("Keywords: "))
    assert "backpropagation" in keywords and "automatic differentiation" in keywords


def test_the_demo_command_is_an_entry_point_that_runs_the_demo(wheel, tmp_path):
    """The wheel declares `backprop-lab-demo = nn.demo:main`; loading that entry point as an installer's
    script would, and running it, prints the worked example and exits 0."""
    entry_points = _wheel_file(wheel, "entry_points.txt")
    assert "[console_scripts]" in entry_points
    line = next(line for line in entry_points.splitlines() if line.startswith("backprop-lab-demo"))
    value = line.split("=", 1)[1].strip()
    assert value == "nn.demo:main"
    code = ("import sys\n"
            "from importlib.metadata import EntryPoint\n"
            f"main = EntryPoint('backprop-lab-demo', {value!r}, 'console_scripts').load()\n"
            f"sys.exit(main(['--steps', '1', '--out', {str(tmp_path)!r}]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "E after 3 steps" in out.stdout


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
