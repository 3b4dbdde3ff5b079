"""Durable file primitives for the journal store.

Everything the store promises (a change is there after a crash once `apply`
returned) rests on three habits kept in one place: write every byte or report
why, fsync the data before saying it is stored, and fsync the directory after
creating or renaming a file so the name itself survives a power cut.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from inbox.store import StoreError

__all__ = [
    "disk_error",
    "fsync_dir",
    "quarantine",
    "sync_data",
    "write_all",
]

_NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NO_WRITE = {errno.EACCES, errno.EPERM, errno.EROFS}


def fsync_dir(path: Path) -> None:
    """Make created, renamed or removed names in `path` durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_data(fd: int) -> None:
    """fdatasync where it exists: the data and the size, not the timestamps."""
    sync = getattr(os, "fdatasync", os.fsync)
    sync(fd)


def write_all(fd: int, data: bytes, offset: int) -> None:
    """pwrite every byte of `data` at `offset`; a short write is retried, not ignored."""
    view = memoryview(data)
    while view:
        n = os.pwrite(fd, view, offset)
        if n <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[n:]
        offset += n


def disk_error(exc: OSError, path: Path, what: str) -> StoreError:
    """Turn an OSError into the sentence a user needs: which file, why, what to do."""
    reason = exc.strerror or str(exc)
    if exc.errno in _NO_SPACE:
        return StoreError(
            f"{what}: no space left to write {path} ({reason}). Nothing already stored "
            "was lost; free some disk space and try again."
        )
    if exc.errno in _NO_WRITE:
        return StoreError(
            f"{what}: {path} is not writable ({reason}). Fix the permissions of the data "
            "directory, or use a read-only command (export, report)."
        )
    return StoreError(f"{what}: {path}: {reason}")


def quarantine(path: Path) -> Path:
    """Rename a damaged file aside (`NAME.corrupt-<UTC time>`) so nobody reads it as good."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    fsync_dir(path.parent)
    return target
