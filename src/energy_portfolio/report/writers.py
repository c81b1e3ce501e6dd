"""Writing a report folder so that it is complete or absent, never half-written.

DESIGN.md, Report folder: a run writes into a temporary folder and moves it into place only
when complete; ``manifest.json`` is written last. A lock file beside the target makes a
second run into the same folder fail at once with a clear message. An existing report is
replaced as a whole, and only when the tool can prove it wrote it (:func:`check_report_target`:
its own manifest, nothing else in the folder); anything else is never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files import replace_atomically
from .manifest import GENERATOR

__all__ = ["ReportBusyError", "check_report_target", "report_lock", "write_report_folder", "write_files_atomic",
           "MANIFEST"]

MANIFEST = "manifest.json"


class ReportBusyError(InputError):
    """Another run is writing into the same report folder."""


def _lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.lock"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def report_lock(out_dir: Path | str) -> Iterator[Path]:
    """Hold the lock of a report folder for the duration of a run.

    The lock is a file ``.<name>.lock`` beside the folder, created exclusively and holding
    the owner's process id. A lock whose process no longer exists (a killed run) is taken
    over. Leftover temporary folders of killed runs are removed once the lock is held.

    Raises
    ------
    ReportBusyError
        When a live process holds the lock.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock_path(out_dir)
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                owner = int(lock.read_text().strip() or "0")
            except (OSError, ValueError):
                owner = 0
            if owner and _pid_alive(owner):
                raise ReportBusyError(
                    f"{out_dir}: another energy-portfolio run (process {owner}) is writing this report; "
                    f"wait for it to finish or choose another --out (lock file {lock})"
                ) from None
            lock.unlink(missing_ok=True)  # stale: its process is gone
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        break
    else:  # pragma: no cover - only when two runs race for a stale lock
        raise ReportBusyError(f"{out_dir}: could not take the lock {lock}")
    try:
        for leftover in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        yield out_dir
    finally:
        lock.unlink(missing_ok=True)


def check_report_target(out_dir: Path | str) -> None:
    """Refuse a report folder the tool cannot prove it wrote, before anything is computed.

    ``out_dir`` may be missing or an empty folder. An existing folder is replaced only when its
    ``manifest.json`` is this tool's (JSON with ``"generator": "energy-portfolio"``) and the folder
    holds nothing but that manifest and the files it lists; anything else a user keeps there would
    be lost with the old report.

    Raises
    ------
    InputError
        Naming the folder and what in it is not the tool's.
    """
    out_dir = Path(out_dir)
    if not out_dir.exists():
        return
    advice = "choose another --out, or move what you keep there elsewhere, so nothing of yours is overwritten"
    if not out_dir.is_dir():
        raise InputError(f"{out_dir}: exists and is not a folder; expected a report folder to write; {advice}")
    entries = sorted(p.name for p in out_dir.iterdir())
    if not entries:
        return
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("generator") != GENERATOR:
        raise InputError(
            f"{out_dir}: exists and is not a report folder written by energy-portfolio (no {MANIFEST} of its own); "
            f"{advice}"
        )
    ours = {MANIFEST, *(str(name) for name in manifest.get("files", []))}
    foreign = [name for name in entries if name not in ours]
    if foreign:
        raise InputError(
            f"{out_dir}: holds files the report did not write ({', '.join(foreign)}); replacing the report "
            f"would delete them; {advice}"
        )


def write_report_folder(
    out_dir: Path | str, files: Mapping[str, str | bytes], manifest: Mapping[str, Any]
) -> Path:
    """Write ``files`` and then ``manifest.json`` into a temporary folder, then move it into place.

    Parameters
    ----------
    out_dir : path-like
        The report folder. If it exists it must be a previous report of this tool and nothing
        else (:func:`check_report_target`); it is then replaced as a whole.
    files : mapping
        File name -> text or bytes.
    manifest : mapping
        JSON-ready manifest, written last.

    Returns
    -------
    Path
        The report folder.

    Raises
    ------
    InputError
        When ``out_dir`` exists and is not (only) a report folder of this tool, so nothing of the
        user's is lost.
    """
    out_dir = Path(out_dir).resolve()
    check_report_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a report folder is an ordinary folder
    try:
        for name, content in files.items():
            target = tmp / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        _write_synced(tmp / MANIFEST, json.dumps(manifest, indent=2, sort_keys=False) + "\n")
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.tmp-old-{os.getpid()}"
            out_dir.rename(old)
        tmp.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_files_atomic(out_dir: Path | str, files: Mapping[str, str]) -> list[Path]:
    """Write text files into an existing folder, each through a temporary file and ``os.replace``.

    Each file is either its old or its new content at any moment (the sweep report beside
    the sweep's results).
    """
    out_dir = Path(out_dir)
    written = []
    for name, text in files.items():
        replace_atomically(out_dir / name, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
        written.append(out_dir / name)
    return written
