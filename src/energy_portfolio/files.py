"""Writing a file so that readers see its old or its new content, never half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["replace_atomically"]


def replace_atomically(path: Path | str, write: Callable[[Path], None], mode: int = 0o644) -> Path:
    """Write ``path`` through ``write(temporary)`` and ``os.replace``.

    The temporary file ``.<name>.<random>.tmp`` lies beside ``path`` (same file system, so the
    rename is atomic on POSIX and Windows); it is synced to disk and given ``mode`` before the
    rename, and removed when anything fails (the error is raised again).

    Parameters
    ----------
    path : path-like
        The file to write; its folder must exist.
    write : callable
        Writes the whole content to the path it is given.
    mode : int
        Permission bits of the new file (``tempfile`` creates it 0600).
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb+") as synced:
            os.fsync(synced.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
