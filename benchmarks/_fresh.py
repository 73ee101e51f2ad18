"""What the benchmarks share: one measurement per fresh interpreter, and the spread of repeated measurements.

Each benchmark script runs itself again with internal arguments for every measurement (so no engine's garbage
collections also scan another engine's objects, and every run starts cold) and prints one JSON object last.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from typing import Mapping, Sequence


def in_fresh_interpreter(script: str, *args: str, env: Mapping[str, str] | None = None) -> dict:
    """Run `python script args...` in a new interpreter and return the JSON object it printed last."""
    out = subprocess.run([sys.executable, script, *args], check=True, capture_output=True, text=True,
                         env=None if env is None else dict(env)).stdout
    return json.loads(out.strip().splitlines()[-1])


def spread(xs: Sequence[float], scale: float = 1.0, digits: int = 2, unit: str = "", labelled: bool = False,
           thousands: bool = False) -> str:
    """min, median and max of the numbers times `scale`: '1.20 / 1.40 / 1.52', or with `labelled`
    'min 1.20, median 1.40, max 1.52' (a `unit` after each number; `thousands`: 2,610.3)."""
    comma = "," if thousands else ""
    low, mid, high = (f"{x * scale:{comma}.{digits}f}{unit}" for x in (min(xs), statistics.median(xs), max(xs)))
    return f"min {low}, median {mid}, max {high}" if labelled else f"{low} / {mid} / {high}"
