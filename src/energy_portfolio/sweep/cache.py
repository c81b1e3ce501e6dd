"""The production cache: a site's weather and production stored on disk, keyed by its inputs.

The key is a SHA-256 of the site spec (JSON dump), the calendar year, the package version and
the contents of every file the spec names (weather file, climatology). Entries are pickles
written to a temporary file in the same folder and moved into place with ``os.replace``, which
is atomic on POSIX and Windows, so workers writing the same entry at once are safe: the last
rename wins and every reader sees a whole file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .. import __version__
from ..config import SiteSpec
from ..portfolio import SiteRun
from .scenarios import FileDigests

__all__ = ["DiskProductionCache", "spec_files"]


def spec_files(value: Any) -> list[Path]:
    """Every file path inside a spec, recursively."""
    if isinstance(value, Path):
        return [value]
    if isinstance(value, BaseModel):
        return [p for name in type(value).model_fields for p in spec_files(getattr(value, name))]
    if isinstance(value, (tuple, list)):
        return [p for item in value for p in spec_files(item)]
    if isinstance(value, dict):
        return [p for item in value.values() for p in spec_files(item)]
    return []


class DiskProductionCache:
    """Site runs stored as ``<folder>/<key>.pkl``; implements ``portfolio.ProductionCache``.

    Parameters
    ----------
    folder : path-like
        Created when missing.

    Attributes
    ----------
    hits, misses : int
        Site runs found in the cache and computed by this instance.
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.digests = FileDigests()
        self.hits = 0
        self.misses = 0

    def key(self, spec: SiteSpec, year: int) -> str:
        """Hex SHA-256 of the spec, the year, the package version and the files the spec names."""
        digest = hashlib.sha256(f"{__version__}\n{year}\n{spec.model_dump_json()}".encode())
        for path in spec_files(spec):
            digest.update(str(path).encode())
            digest.update(self.digests(path).encode())
        return digest.hexdigest()

    def path(self, spec: SiteSpec, year: int) -> Path:
        """Where the entry of ``spec`` in ``year`` is stored."""
        return self.folder / f"{self.key(spec, year)}.pkl"

    def site_run(self, spec: SiteSpec, year: int, compute: Callable[[], SiteRun]) -> SiteRun:
        """The stored run of ``spec`` in ``year``, or ``compute()`` stored and returned."""
        path = self.path(spec, year)
        stored = _read(path)
        if stored is not None:
            self.hits += 1
            return stored
        run = compute()
        self.misses += 1
        _write_atomic(path, pickle.dumps(run, protocol=pickle.HIGHEST_PROTOCOL))
        return run


def _read(path: Path) -> SiteRun | None:
    try:
        with open(path, "rb") as handle:
            value = pickle.load(handle)
    except FileNotFoundError:
        return None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # an entry from another version of the package: computed again and replaced
    return value if isinstance(value, SiteRun) else None


def _write_atomic(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
