"""Build the API reference from the docstrings, as HTML pages in docs/api/ (not committed):

    .venv/bin/python docs/build.py [FOLDER]

pdoc (https://pdoc.dev, in the dev extras) renders every public module, class and function of `autograd` and
`nn`, reading the docstrings' `Arguments:` lists as Google-style sections. Any warning (a module that fails to
import, a name in `__all__` that does not resolve, a docstring pdoc cannot render) stops the build as an
error, so tests/test_api_docs.py, which runs this script, fails CI on a broken docstring.
"""

from __future__ import annotations

import pkgutil
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["autograd", "nn"]


def public_modules() -> list[str]:
    """The packages and every module in them whose dotted name has no part starting with an underscore."""
    names = list(PACKAGES)
    for package in PACKAGES:
        found = pkgutil.walk_packages([str(ROOT / package)], prefix=package + ".")
        names += sorted(m.name for m in found if not any(part.startswith("_") for part in m.name.split(".")))
    return names


def build(folder: Path) -> list[Path]:
    """Write the reference into folder; return the pages written."""
    import pdoc
    import pdoc.extract
    import pdoc.render

    sys.path.insert(0, str(ROOT))
    import autograd

    # autograd loads most tools on first use (a module __getattr__); pdoc looks names up in the module's
    # __dict__, so load them first.
    for name in autograd.__all__:
        setattr(autograd, name, getattr(autograd, name))
    pdoc.render.configure(docformat="google", show_source=True,
                          footer_text=f"backprop-lab {autograd.__version__}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # pdoc adds a package's submodules named in its __all__; give it each other public module once.
        specs: list[str] = []
        covered: set[str] = set()
        for name in public_modules():
            if name not in covered:
                specs.append(name)
                covered.update(pdoc.extract.walk_specs([name]))
        pdoc.pdoc(*specs, output_directory=folder)
    return sorted(folder.rglob("*.html"))


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "api"
    pages = build(folder)
    print(f"{len(pages)} pages; open {folder / 'index.html'}")
