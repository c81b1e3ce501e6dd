"""Shared set-up of the dispatch benchmarks: the default problem of tests/dispatch/default_problem.py."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from tests.dispatch.default_problem import default_inputs  # noqa: E402

__all__ = ["ROOT", "default_inputs"]
