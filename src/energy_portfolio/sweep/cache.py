"""The production cache: production (and the unchanged dispatch) stored on disk, keyed by its inputs.

Three kinds of entry, each a file ``<key>.zip`` named by a SHA-256 key:

- a site's weather and production in one calendar year (a ``SiteRun``), keyed by the site spec
  (JSON dump), the year and the contents of every file the spec names (weather file,
  climatology);
- the weather years of a P50/P90 run (a ``WeatherYearsProduction``: each generating site's
  hourly net MW and annual MWh per weather year, and the warnings), one entry for all the
  generating sites of a portfolio because their synthetic weather is generated together. Its
  key covers every one of those sites (spec and the files it names, in the portfolio's order),
  the study year and the number of weather years;
- the dispatch of the system without the portfolio (a ``DispatchResult``, the counterfactual of
  gas saved and CO2 avoided), keyed by ``DispatchInputs.fingerprint()`` (grid, options, demand,
  every plant's hourly availability, every battery).

Every key also covers the code that computes the entry (``provenance.code_fingerprint``: a hash of
the package's source files and the versions of numpy, pandas, scipy, HiGHS, pvlib, windpowerlib,
PyWake, turbine-models and pydantic), so an entry computed by another checkout or before an
upgrade is not reused. So a sweep that varies only the battery or prices finds every production
in the cache, and solves only the dispatch with the portfolio in each scenario.

Format: data, never code. An entry is an uncompressed zip of parquet and ``.npy`` files and an
``entry.json`` that holds the rest of the value as JSON (:mod:`.codec`, which rebuilds the value
along the declared types of its dataclass fields), the entry's kind, its key, the schema version
(:data:`SCHEMA_VERSION`), the code versions that computed it, and the SHA-256 of every data file.
Nothing in an entry is unpickled, imported or run (``.npy`` files are read with
``allow_pickle=False``; parquet needs pyarrow >= 14.0.1, which reads no pickled extension
types), so entries may be shared between users. An entry that is not one (a pickle of an older
version, a damaged file, a hash mismatch, an unreadable parquet or npy, an unknown schema
version, another kind or key) is reported with a :class:`CacheEntryWarning` naming its file and
the fault, computed again and written afresh. The warning comes after the computation: if that
fails, its own error is raised (with a note on the entry), never the entry's.

Entries are written to a temporary file in the same folder and moved into place with
``os.replace``, which is atomic on POSIX and Windows, so workers writing the same entry at
once are safe: the last rename wins and every reader sees a whole file. Where the system
supports it (POSIX ``flock``), an entry is computed under an exclusive lock on ``.<key>.lock``
beside it: a worker that finds another computing the same entry waits for it and reads it
instead of computing it again (the first two scenarios of a sweep both need the dispatch
without the portfolio). A lock dies with its process, so a killed worker leaves none held.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
import warnings
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # Windows: entries are still written atomically, only not computed once
    fcntl = None  # type: ignore[assignment]

from ..config import SiteSpec
from ..config.types import spec_files
from ..dispatch import DispatchInputs, DispatchResult
from ..files import replace_atomically
from ..portfolio import SiteRun, WeatherYearsProduction
from ..provenance import code_fingerprint, code_versions
from .codec import EntryError, decode, encode
from .scenarios import FileDigests

__all__ = ["CacheEntryWarning", "DiskProductionCache", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1
"""Version of the entry layout (``entry.json`` and :mod:`.codec`); an entry of another is computed again."""

FORMAT = "energy-portfolio cache entry"
SUFFIX = ".zip"
METADATA = "entry.json"

_Entry = TypeVar("_Entry", SiteRun, WeatherYearsProduction, DispatchResult)


class CacheEntryWarning(UserWarning):
    """A cache entry could not be used (damaged, foreign, of another version); it was computed again."""


class DiskProductionCache:
    """Production stored as ``<folder>/<key>.zip``; implements ``portfolio.ProductionCache``.

    Parameters
    ----------
    folder : path-like
        Created when missing.

    Attributes
    ----------
    hits, misses : int
        Site productions (one site in one weather year) found in the cache and computed by
        this instance: a site run counts 1, a weather-years entry sites x years.
    dispatch_hits, dispatch_misses : int
        Dispatch results (the system without the portfolio) found and computed.
    code : str
        ``provenance.code_fingerprint()`` when the cache was made, part of every key.
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.digests = FileDigests()
        self.hits = 0
        self.misses = 0
        self.dispatch_hits = 0
        self.dispatch_misses = 0
        self.code = code_fingerprint()

    def key(self, spec: SiteSpec, year: int) -> str:
        """Hex SHA-256 of the code, the spec, the year and the files the spec names."""
        digest = hashlib.sha256(f"site-run\n{self.code}\n{year}\n".encode())
        self._add_spec(digest, spec)
        return digest.hexdigest()

    def weather_years_key(self, specs: Sequence[SiteSpec], year: int, n_years: int) -> str:
        """Hex SHA-256 of the weather years of ``specs`` together (each as in :meth:`key`), in order."""
        digest = hashlib.sha256(f"weather-years\n{self.code}\n{year}\n{n_years}\n{len(specs)}\n".encode())
        for spec in specs:
            self._add_spec(digest, spec)
        return digest.hexdigest()

    def dispatch_key(self, inputs: DispatchInputs) -> str:
        """Hex SHA-256 of the code and ``inputs.fingerprint()``."""
        return hashlib.sha256(f"dispatch\n{self.code}\n{inputs.fingerprint()}".encode()).hexdigest()

    def _add_spec(self, digest: Any, spec: SiteSpec) -> None:
        digest.update(spec.model_dump_json().encode())
        for path in spec_files(spec):
            digest.update(str(path).encode())
            digest.update(self.digests(path).encode())

    def entry_path(self, key: str) -> Path:
        """Where the entry of ``key`` (:meth:`key`, :meth:`weather_years_key`, :meth:`dispatch_key`) is stored."""
        return self.folder / f"{key}{SUFFIX}"

    def path(self, spec: SiteSpec, year: int) -> Path:
        """Where the entry of ``spec`` in ``year`` is stored."""
        return self.entry_path(self.key(spec, year))

    def site_run(self, spec: SiteSpec, year: int, compute: Callable[[], SiteRun]) -> SiteRun:
        """The stored run of ``spec`` in ``year``, or ``compute()`` stored and returned."""
        value, hit = self._entry(self.key(spec, year), SiteRun, compute)
        self._count(hit, 1)
        return value

    def weather_years(
        self,
        specs: Sequence[SiteSpec],
        year: int,
        n_years: int,
        compute: Callable[[], WeatherYearsProduction],
    ) -> WeatherYearsProduction:
        """The stored weather-years production of ``specs``, or ``compute()`` stored and returned."""
        value, hit = self._entry(self.weather_years_key(specs, year, n_years), WeatherYearsProduction, compute)
        self._count(hit, len(specs) * n_years)
        return value

    def dispatch(self, inputs: DispatchInputs, compute: Callable[[], DispatchResult]) -> DispatchResult:
        """The stored dispatch of ``inputs`` (keyed by :meth:`dispatch_key`), or ``compute()`` stored and returned."""
        value, hit = self._entry(self.dispatch_key(inputs), DispatchResult, compute)
        if hit:
            self.dispatch_hits += 1
        else:
            self.dispatch_misses += 1
        return value

    def _count(self, hit: bool, productions: int) -> None:
        if hit:
            self.hits += productions
        else:
            self.misses += productions

    def _entry(self, key: str, kind: type[_Entry], compute: Callable[[], _Entry]) -> tuple[_Entry, bool]:
        """The stored value and True, or ``compute()`` stored and False."""
        path = self.entry_path(key)
        with contextlib.suppress(EntryError):  # looked at again under the lock, and reported there
            stored = _read(path, kind, key)
            if stored is not None:
                return stored, True
        problem = None
        with _exclusive(path.with_name(f".{key}.lock")):
            try:
                stored = _read(path, kind, key)  # written by another worker while this one waited
            except EntryError as error:
                problem = str(error)
            else:
                if stored is not None:
                    return stored, True
            try:
                value = compute()
            except BaseException as error:
                if problem is not None:
                    error.add_note(f"(the cache entry {path} could not be used either: {problem})")
                raise
            _write(path, key, kind, value)
        if problem is not None:
            warnings.warn(
                f"cache entry {path}: {problem}; discarded, computed again and written afresh",
                CacheEntryWarning,
                stacklevel=3,
            )
        return value, False


@contextlib.contextmanager
def _exclusive(lock: Path):
    """Hold an exclusive ``flock`` on ``lock`` (blocking); nothing where the system has none."""
    if fcntl is None:
        yield
        return
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): compute unlocked
            pass
        yield
    finally:
        os.close(handle)  # releases the lock


def _read(path: Path, kind: type[_Entry], key: str) -> _Entry | None:
    """The entry at ``path``; None when there is none.

    Raises
    ------
    EntryError
        The file is not a whole entry of ``kind`` and ``key`` in this schema version (the message
        says what is wrong). Nothing in it has been run.
    """
    data = _read_file(path)
    if data is None:
        return None
    try:
        container = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in container.infolist()}
        if len(members) != len(container.infolist()) or any(
            info.compress_type != zipfile.ZIP_STORED for info in members.values()
        ):
            raise EntryError("not an entry of this cache (repeated or compressed members)")
        blobs = {name: container.read(name) for name in members}
    except EntryError:
        raise
    except Exception as error:  # whatever the zip reader finds wrong in bytes that are not an entry
        raise EntryError(f"not a zip of data files (a pickle of an older version, or damaged): {error}") from error
    try:
        meta = json.loads(blobs.pop(METADATA))
    except KeyError:
        raise EntryError(f"no {METADATA}") from None
    except Exception as error:  # not JSON, or nested beyond the parser's recursion limit
        raise EntryError(f"unreadable {METADATA}: {error}") from error
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise EntryError(f"{METADATA} is not the metadata of a cache entry")
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise EntryError(f"unknown schema version {meta.get('schema_version')!r} (this version reads {SCHEMA_VERSION})")
    if meta.get("kind") != kind.__name__ or meta.get("key") != key:
        raise EntryError(f"holds a {meta.get('kind')!r} of key {meta.get('key')!r}, not this entry's {kind.__name__}")
    hashes = meta.get("sha256")
    if not isinstance(hashes, dict) or set(hashes) != set(blobs):
        raise EntryError(f"data files {sorted(blobs)} are not the ones {METADATA} lists")
    for name, blob in blobs.items():
        if hashlib.sha256(blob).hexdigest() != hashes[name]:
            raise EntryError(f"hash mismatch in {name}")
    return decode(meta.get("value"), blobs, kind, kind.__name__)


def _read_file(path: Path) -> bytes | None:
    """The bytes of the regular file at ``path`` (not followed when a link; a FIFO is not waited on); None if absent."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:  # a symbolic link (ELOOP) or unreadable
        raise EntryError(f"cannot be opened as a regular file: {error}") from error
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise EntryError("not a regular file")
        return stream.read()


def _write(path: Path, key: str, kind: type[_Entry], value: _Entry) -> None:
    """Store ``value`` as the entry ``key`` at ``path`` (atomically: a temporary file moved into place)."""
    tree, files = encode(value, kind, kind.__name__)
    meta = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "kind": kind.__name__,
        "key": key,
        "computed_by": code_versions(),
        "sha256": {name: hashlib.sha256(blob).hexdigest() for name, blob in files.items()},
        "value": tree,
    }
    text = json.dumps(meta, allow_nan=False, ensure_ascii=False, separators=(",", ":")).encode()

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as container:
            for name, blob in [*files.items(), (METADATA, text)]:
                container.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), blob)

    replace_atomically(path, write)
