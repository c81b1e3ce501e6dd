"""The manifest of a report folder: inputs with hashes, versions, solver status, warnings.

Written last into the folder (see writers.py), so a folder without it is incomplete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..provenance import GENERATOR, MODEL_LIBRARIES, package_version

__all__ = ["build_manifest", "file_sha256", "PACKAGES"]

PACKAGES = ("energy-portfolio", *MODEL_LIBRARIES, "matplotlib", "plotly", "numpy-financial")
"""Distributions whose versions the manifest lists (``provenance.MODEL_LIBRARIES`` and the report's own)."""


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(
    *,
    portfolio: str,
    inputs: Iterable[Path],
    solver: Mapping[str, Any],
    warnings: Iterable[str],
    corrections: Iterable[str],
    timings_s: Mapping[str, float],
    files: Iterable[str],
    root: Path | None = None,
    notes: Iterable[str] = (),
) -> dict[str, Any]:
    """The manifest.json document.

    Parameters
    ----------
    portfolio : str
        Portfolio name.
    inputs : iterable of Path
        Every file the run read (configs, weather, curves); hashed here.
    solver : mapping
        Solver name, version, status, message, seconds.
    warnings, corrections : iterable of str
        Every warning raised and every data correction made during the run.
    timings_s : mapping
        Seconds per stage.
    files : iterable of str
        The report files written before the manifest.
    root : Path, optional
        Paths are shown relative to this folder when below it.
    notes : iterable of str
        Facts about the inputs that need no action (e.g. a proxy weather's accepted distance).
    """
    def shown(path: Path) -> str:
        if root is not None and path.resolve().is_relative_to(root.resolve()):
            return str(path.resolve().relative_to(root.resolve()))
        return str(path)

    return {
        "generator": GENERATOR,
        "schema_version": 1,
        "portfolio": portfolio,
        "created_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": [
            {"path": shown(p), "sha256": file_sha256(p), "bytes": p.stat().st_size}
            for p in sorted(set(Path(p).resolve() for p in inputs))
        ],
        "versions": {
            "python": platform.python_version(),
            **{name: package_version(name) for name in PACKAGES},
        },
        "solver": dict(solver),
        "warnings": list(warnings),
        "corrections": list(corrections),
        "notes": list(notes),
        "timings_s": {k: round(float(v), 3) for k, v in timings_s.items()},
        "files": sorted(files),
    }
