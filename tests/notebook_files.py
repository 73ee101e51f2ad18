"""The saved notebooks that the picture tests open: `notebooks/*.ipynb`, or the notebooks in the folder named by
the environment variable BACKPROP_LAB_NOTEBOOKS (for example copies just executed into a temporary folder, to
check a change to the pictures before the notebooks are re-executed and saved)."""

import os
from pathlib import Path

FOLDER = Path(os.environ.get("BACKPROP_LAB_NOTEBOOKS") or Path(__file__).resolve().parent.parent / "notebooks")
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
