"""The sweep's output folder: written only when the tool can prove it is its own.

A sweep folder holds ``sweep.json`` (the marker, written first: ``"generator": "energy-portfolio"``,
``"kind": "sweep"`` and the sweep's name), ``results.jsonl`` (a row per scenario as it finishes),
``results.parquet``, ``results.csv``, ``report.html``, ``report.md`` and ``cache/`` (the production
cache), and while a run writes them, temporary files ``.<name>.<random>.tmp`` that it moves into
place. A sweep resumes into a folder only when :func:`check_sweep_target` finds its marker, with the
same sweep name, and nothing else. A folder of an earlier version, without the marker, is refused
with a message saying how to resume it. Every write of the main process goes through
:func:`writing`, so a read-only folder or a full disk is an :class:`SweepFolderError` naming the
path (exit 2), not a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..files import replace_atomically
from ..provenance import GENERATOR

__all__ = ["MARKER", "SweepFolderError", "check_sweep_target", "mark_sweep_folder", "writing"]

MARKER = "sweep.json"
KIND = "sweep"
FOLDER_VERSION = 1
RESULT_FILES = ("results.jsonl", "results.parquet", "results.csv", "report.html", "report.md")
FOLDERS = ("cache",)
_TEMPORARY = re.compile(r"^\.(?:" + "|".join(re.escape(n) for n in (MARKER, *RESULT_FILES)) + r")\.[^/]+\.tmp$")
ADVICE = "choose another --out, or move what you keep there elsewhere, so nothing of yours is overwritten"


class SweepFolderError(InputError):
    """The output folder is not the sweep's own, or cannot be written."""


def _lexists(path: Path) -> bool:
    return os.path.lexists(path)


def check_sweep_target(out_dir: Path | str, name: str) -> None:
    """Refuse an output folder that is not this sweep's own, before anything is computed.

    ``out_dir`` may be missing or an empty folder. An existing folder is resumed only when it holds
    this tool's ``sweep.json`` of the sweep ``name`` and nothing but the files and folders a sweep
    writes (:data:`RESULT_FILES`, :data:`FOLDERS` and temporary files of theirs), as regular
    files and folders (no symbolic links).

    Raises
    ------
    SweepFolderError
        Naming the folder and what in it is not the sweep's.
    """
    out_dir = Path(out_dir)
    if not _lexists(out_dir):
        for parent in out_dir.absolute().parents:
            if _lexists(parent):
                if not parent.is_dir():
                    raise SweepFolderError(f"{out_dir}: --out lies under {parent}, which is a file, not a folder; "
                                           f"choose another --out")
                break
        return
    if out_dir.is_symlink() or not out_dir.is_dir():
        kind = "a symbolic link" if out_dir.is_symlink() else "a file, not a folder"
        raise SweepFolderError(f"{out_dir}: --out exists and is {kind}; expected a sweep folder to write; {ADVICE}")
    try:
        entries = sorted(os.listdir(out_dir))
    except OSError as error:
        raise SweepFolderError(f"{out_dir}: --out cannot be read ({error.strerror or error}); {ADVICE}") from error
    if not entries:
        return
    marker = _read_marker(out_dir / MARKER)
    if marker is None:
        ours = [e for e in entries if e in RESULT_FILES or e in FOLDERS or _TEMPORARY.match(e)]
        if "results.jsonl" in entries and len(ours) == len(entries):
            raise SweepFolderError(
                f"{out_dir}: looks like a sweep folder of an earlier version of energy-portfolio (it has results.jsonl "
                f"but no {MARKER}), so the tool cannot prove it wrote it and does not write into it. To start afresh, "
                f"choose another --out. To resume it, check that it holds only the sweep's own files and write "
                f"{out_dir / MARKER} with the line "
                f'{{"generator": "{GENERATOR}", "kind": "{KIND}", "name": "{name}"}}'
            )
        raise SweepFolderError(
            f"{out_dir}: exists and is not a sweep folder written by energy-portfolio (no {MARKER} of its own; "
            f"it holds {_listing(entries)}); {ADVICE}"
        )
    if marker.get("name") != name:
        raise SweepFolderError(
            f"{out_dir}: holds the results of the sweep {marker.get('name')!r}, not of {name!r}; its results and "
            f"report would be overwritten; choose another --out, or give this sweep the name {marker.get('name')!r} "
            f"to resume it"
        )
    foreign = [e for e in entries if e != MARKER and e not in RESULT_FILES and e not in FOLDERS
               and not _TEMPORARY.match(e)]
    odd = [e for e in entries if e not in foreign and not _is_plain(out_dir / e, folder=e in FOLDERS)]
    if foreign or odd:
        what = [*foreign, *(f"{e} (not a plain {'folder' if e in FOLDERS else 'file'})" for e in odd)]
        raise SweepFolderError(
            f"{out_dir}: holds files the sweep did not write ({', '.join(what)}); writing the sweep there could "
            f"overwrite or lose them; {ADVICE}"
        )


def _listing(entries: list[str], limit: int = 5) -> str:
    shown = ", ".join(entries[:limit])
    return shown + (f" and {len(entries) - limit} more" if len(entries) > limit else "")


def _is_plain(path: Path, *, folder: bool) -> bool:
    mode = path.lstat().st_mode
    return stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)


def _read_marker(path: Path) -> dict | None:
    """The marker's content when it is this tool's sweep marker (a regular file); None otherwise."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(marker, dict) and marker.get("generator") == GENERATOR and marker.get("kind") == KIND:
        return marker
    return None


def mark_sweep_folder(out_dir: Path, name: str, spec: Path) -> None:
    """Create ``out_dir`` when missing and write its marker unless it has one; remove leftover temporary files.

    Call after :func:`check_sweep_target`. Errors are :class:`SweepFolderError` naming the path.
    """
    with writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        for leftover in os.listdir(out_dir):
            if _TEMPORARY.match(leftover):  # of a run that was killed while it moved a file into place
                (out_dir / leftover).unlink(missing_ok=True)
    if _read_marker(out_dir / MARKER) is not None:
        return
    marker = {
        "generator": GENERATOR,
        "kind": KIND,
        "name": name,
        "folder_version": FOLDER_VERSION,
        "spec": str(spec),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "version": __version__,
    }
    write_text(out_dir / MARKER, json.dumps(marker, indent=2) + "\n")


def write_text(path: Path, text: str) -> None:
    """Write ``path`` through a temporary file beside it and ``os.replace`` (old or new content, never half)."""
    with writing(path):
        replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@contextlib.contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Turn an ``OSError`` while writing ``path`` (read-only, full disk, no folder) into a :class:`SweepFolderError`."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        where = f" ({error.filename})" if error.filename and str(error.filename) != str(path) else ""
        advice = _ADVICE_BY_ERRNO.get(error.errno, "choose another --out")
        raise SweepFolderError(f"{path}: cannot write the sweep's output there: {reason}{where}; {advice}") from error


_ADVICE_BY_ERRNO = {
    **dict.fromkeys((errno.ENOSPC, errno.EDQUOT), "free some space, or choose another --out on another disk"),
    **dict.fromkeys((errno.EACCES, errno.EPERM, errno.EROFS), "make it writable, or choose another --out"),
}
