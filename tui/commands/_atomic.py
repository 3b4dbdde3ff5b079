"""`--out FILE`: the file appears whole or not at all, and a bad place is one line.

The text goes to a temporary file beside FILE, is fsync'd, then renamed over FILE,
so a reader (or a crash) never sees half an export. A directory that does not
exist or cannot be written, or FILE naming a directory, is an `OutError` the
command prints as `veille: FILE: reason` and turns into exit status 1.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

__all__ = ["OutError", "write_atomic"]

T = TypeVar("T")


class OutError(Exception):
    """FILE could not be written; the message names it and says why."""


def write_atomic(out: Path, write: Callable[[IO[str]], T]) -> T:
    """Call `write` on a temporary file, then put that file in `out`'s place."""
    if out.is_dir():
        raise OutError(f"{out}: is a directory")
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutError(f"{out}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            result = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutError(f"{out}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result
