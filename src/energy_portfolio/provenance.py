"""Which code computes the figures: the package's own source and the versions of the libraries it runs on.

The report's manifest lists the library versions (``report/manifest.py``); the sweep's cache keys
its entries by :func:`code_fingerprint`, so a result computed by other code (another checkout,
an edited source tree, an upgraded model library or solver) is computed again, not reused.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path

__all__ = ["GENERATOR", "MODEL_LIBRARIES", "code_fingerprint", "code_versions", "package_version", "source_sha256"]

MODEL_LIBRARIES = (
    "numpy",
    "pandas",
    "scipy",
    "highspy",
    "pvlib",
    "windpowerlib",
    "py-wake",
    "turbine-models",
    "pydantic",
)
"""Distributions whose code or data make the figures: numerics, the solver, the production models and
their turbine tables, and spec validation (which fills defaults)."""

GENERATOR = "energy-portfolio"
"""The marker of every folder this tool writes (a report's manifest.json, a sweep's sweep.json): the tool
replaces or adds to a folder only when it carries this marker and holds nothing but what the tool wrote."""

_PACKAGE_DIR = Path(__file__).resolve().parent


def package_version(name: str) -> str | None:
    """Installed version of the distribution ``name``; None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def source_sha256() -> str:
    """Hex SHA-256 over every file of the package's own folder, each as its relative path and its bytes.

    The same for a source checkout, an editable install and a wheel, and it changes with any edit,
    committed or not (``energy_portfolio.__version__`` is a fixed string and says neither).
    ``__pycache__`` folders and hidden files (editor swap files) are left out. Computed once per
    process: a process keeps running the code it imported first, whatever happens to the files later.
    """
    digest = hashlib.sha256()
    files = {}
    for path in _PACKAGE_DIR.rglob("*"):
        relative = path.relative_to(_PACKAGE_DIR)
        if path.is_file() and not any(part == "__pycache__" or part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path
    for name in sorted(files):
        data = files[name].read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def code_versions() -> dict[str, str | None]:
    """The package's source hash (:func:`source_sha256`) and the version of every model library
    (:data:`MODEL_LIBRARIES`; None for one that is not installed)."""
    return {
        "energy-portfolio-source-sha256": source_sha256(),
        **{name: package_version(name) for name in MODEL_LIBRARIES},
    }


def code_fingerprint() -> str:
    """Hex SHA-256 of :func:`code_versions`: equal only where the same code computes the same figures."""
    return hashlib.sha256(json.dumps(code_versions(), sort_keys=True).encode()).hexdigest()
