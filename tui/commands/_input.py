"""FILE or `-` as lines of text, for `ingest` and `classify`, whatever made the bytes.

UTF-8 with bytes that do not decode replaced (one bad byte must not end a run
of thousands of lines), a byte-order mark before the first line dropped (Windows
editors write one, and it would hide the JSON behind it), and a line is what ends
in a newline, as `wc -l` counts: a carriage return alone does not split a line,
so classify's one-line-out-per-line-in holds.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import IO

__all__ = ["lines_of", "open_input"]


def open_input(name: str) -> IO[str]:
    """The named file, or stdin for `-`; raises OSError for a file that cannot be read."""
    if name == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # already text (a caller's own stream)
            return sys.stdin
        return io.TextIOWrapper(buffer, encoding="utf-8", errors="replace", newline="\n")
    return open(name, encoding="utf-8", errors="replace", newline="\n")


def lines_of(fh: IO[str]) -> Iterator[str]:
    """The stream's lines, the first without a byte-order mark."""
    first = True
    for line in fh:
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line
