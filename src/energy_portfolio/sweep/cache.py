"""The production cache: production (and the unchanged dispatch) stored on disk, keyed by its inputs.

Three kinds of entry, each a pickle named by a SHA-256 key and signed (see "Trust" below):

- a site's weather and production in one calendar year (a ``SiteRun``), keyed by the site spec
  (JSON dump), the year, the package version and the contents of every file the spec names
  (weather file, climatology);
- the weather years of a P50/P90 run (a ``WeatherYearsProduction``: each generating site's
  hourly net MW and annual MWh per weather year, and the warnings), one entry for all the
  generating sites of a portfolio because their synthetic weather is generated together. Its
  key covers every one of those sites (spec and the files it names, in the portfolio's order),
  the study year, the number of weather years and the package version;
- the dispatch of the system without the portfolio (a ``DispatchResult``, the counterfactual of
  gas saved and CO2 avoided), keyed by the package version and ``DispatchInputs.fingerprint()``
  (grid, options, demand, every plant's hourly availability, every battery).

So a sweep that varies only the battery or prices finds every production in the cache, and
solves only the dispatch with the portfolio in each scenario.
Entries are written to a temporary file in the same folder and moved into place with
``os.replace``, which is atomic on POSIX and Windows, so workers writing the same entry at
once are safe: the last rename wins and every reader sees a whole file. Where the system
supports it (POSIX ``flock``), an entry is computed under an exclusive lock on ``.<key>.lock``
beside it: a worker that finds another computing the same entry waits for it and reads it
instead of computing it again (the first two scenarios of a sweep both need the dispatch
without the portfolio). A lock dies with its process, so a killed worker leaves none held.

Trust: unpickling runs code, and a sweep folder may sit on a shared file system. Every entry is
therefore written as an HMAC-SHA256 tag (RFC 2104) over its bytes, with a secret key of the user
who runs the sweep, followed by the pickle; an entry is unpickled only when its tag verifies. An
entry written by anyone without the key (a crafted pickle, an entry of another user, a damaged
file) is never unpickled: it is computed again and replaced. The key is 32 random bytes in
``$XDG_CONFIG_HOME/energy-portfolio/cache.key`` (default ``~/.config``), created on first use
with mode 0600; workers on other machines read entries only where they see the same key file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # Windows: entries are still written atomically, only not computed once
    fcntl = None  # type: ignore[assignment]

from .. import __version__
from ..config import SiteSpec
from ..config.types import spec_files
from ..dispatch import DispatchInputs, DispatchResult
from ..portfolio import SiteRun, WeatherYearsProduction
from .scenarios import FileDigests

__all__ = ["DiskProductionCache"]

_Entry = TypeVar("_Entry", SiteRun, WeatherYearsProduction, DispatchResult)


class DiskProductionCache:
    """Production stored as ``<folder>/<key>.pkl``; implements ``portfolio.ProductionCache``.

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
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.digests = FileDigests()
        self.hits = 0
        self.misses = 0
        self.dispatch_hits = 0
        self.dispatch_misses = 0
        self._key = cache_key()

    def key(self, spec: SiteSpec, year: int) -> str:
        """Hex SHA-256 of the spec, the year, the package version and the files the spec names."""
        digest = hashlib.sha256(f"{__version__}\n{year}\n".encode())
        self._add_spec(digest, spec)
        return digest.hexdigest()

    def weather_years_key(self, specs: Sequence[SiteSpec], year: int, n_years: int) -> str:
        """Hex SHA-256 of the weather years of ``specs`` together (each as in :meth:`key`), in order."""
        digest = hashlib.sha256(f"weather-years\n{__version__}\n{year}\n{n_years}\n{len(specs)}\n".encode())
        for spec in specs:
            self._add_spec(digest, spec)
        return digest.hexdigest()

    def _add_spec(self, digest: Any, spec: SiteSpec) -> None:
        digest.update(spec.model_dump_json().encode())
        for path in spec_files(spec):
            digest.update(str(path).encode())
            digest.update(self.digests(path).encode())

    def path(self, spec: SiteSpec, year: int) -> Path:
        """Where the entry of ``spec`` in ``year`` is stored."""
        return self.folder / f"{self.key(spec, year)}.pkl"

    def site_run(self, spec: SiteSpec, year: int, compute: Callable[[], SiteRun]) -> SiteRun:
        """The stored run of ``spec`` in ``year``, or ``compute()`` stored and returned."""
        value, hit = self._entry(self.path(spec, year), SiteRun, compute)
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
        path = self.folder / f"{self.weather_years_key(specs, year, n_years)}.pkl"
        value, hit = self._entry(path, WeatherYearsProduction, compute)
        self._count(hit, len(specs) * n_years)
        return value

    def dispatch(self, inputs: DispatchInputs, compute: Callable[[], DispatchResult]) -> DispatchResult:
        """The stored dispatch of ``inputs`` (keyed by the package version and
        ``inputs.fingerprint()``), or ``compute()`` stored and returned."""
        key = hashlib.sha256(f"dispatch\n{__version__}\n{inputs.fingerprint()}".encode()).hexdigest()
        value, hit = self._entry(self.folder / f"{key}.pkl", DispatchResult, compute)
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

    def _entry(self, path: Path, kind: type[_Entry], compute: Callable[[], _Entry]) -> tuple[_Entry, bool]:
        """The stored value and True, or ``compute()`` stored and False."""
        stored = _read(path, kind, self._key)
        if stored is not None:
            return stored, True
        with _exclusive(path.with_name(f".{path.stem}.lock")):
            stored = _read(path, kind, self._key)  # written by another worker while this one waited
            if stored is not None:
                return stored, True
            value = compute()
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            _write_atomic(path, _tag(self._key, data) + data)
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


def cache_key() -> bytes:
    """The user's secret key for signing cache entries (module docstring, "Trust"), created once."""
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    path = base / "energy-portfolio" / "cache.key"
    with contextlib.suppress(FileNotFoundError):
        key = path.read_bytes()
        if len(key) == _TAG_BYTES:
            return key
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, tmp = tempfile.mkstemp(prefix=".cache.key.", dir=path.parent)  # created with mode 0600
    with os.fdopen(handle, "wb") as out:
        out.write(secrets.token_bytes(_TAG_BYTES))
    with contextlib.suppress(FileExistsError):
        os.link(tmp, path)  # the first process to create the key wins; the others read its key
    os.unlink(tmp)
    return path.read_bytes()


_TAG_BYTES = 32
"""Length of the key and of an entry's HMAC-SHA256 tag [bytes]."""


def _tag(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def _read(path: Path, kind: type[_Entry], key: bytes) -> _Entry | None:
    """The entry at ``path`` when its tag verifies with ``key``, else None (nothing is unpickled)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    tag, payload = data[:_TAG_BYTES], data[_TAG_BYTES:]
    if len(tag) < _TAG_BYTES or not hmac.compare_digest(tag, _tag(key, payload)):
        return None  # not written with this user's key: never unpickled, computed again and replaced
    try:
        value = pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # an entry of another version of the package: computed again and replaced
    return value if isinstance(value, kind) else None


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
