"""Re-execute every teaching notebook in place, saving its outputs:

    python notebooks/execute_all.py [NAME.ipynb ...]

Each notebook runs in a fresh kernel with `notebooks/` as its working folder, as the test suite runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parent
TIMEOUT = 300  # seconds per cell


def execute(path: Path, write: bool = True) -> nbformat.NotebookNode:
    """Run the notebook at `path` from top to bottom; save it with its outputs when `write` is true."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(FOLDER)}}).execute()
    if write:
        nbformat.write(notebook, path)
    return notebook


def main(argv: list[str]) -> None:
    paths = [FOLDER / name for name in argv] if argv else sorted(FOLDER.glob("*.ipynb"))
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        execute(path)
    print(f"{len(paths)} notebooks executed and saved")


if __name__ == "__main__":
    main(sys.argv[1:])
