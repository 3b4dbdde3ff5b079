"""Monthly archive files: ``archive/<table>-YYYY-MM.jsonl``.

Each line is ``{"seq":N,"key":"k","doc":{...}}`` where N is the journal
sequence number of the batch that removes those documents from the live
tables. Lines are appended and fsync'd *before* that batch is journaled, so a
crash in between leaves lines whose seq the journal never reached: they are
cut off on the next open (or skipped by a read-only reader), and the documents
are still live. Nothing is lost and nothing is counted twice. A key archived
again later (it came back to life and closed again) is read back once per
move, like MemoryStore; a line repeated with the same key and seq counts once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from inbox._journal_files import fsync_dir, sync_data, write_all
from inbox._journal_format import dumps
from inbox.store import StoreError

__all__ = [
    "MONTH",
    "append_entries",
    "month_files",
    "read_month",
    "rollback_uncommitted",
    "truncate",
]

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SEQ = re.compile(rb'^\{"seq":(\d+),')
_BLOCK = 1 << 16

Doc = dict[str, Any]


def month_files(root: Path, table: str) -> list[tuple[str, Path]]:
    """(month, path) of a table's archive files, oldest month first."""
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return []
    prefix = f"{table}-"
    out = []
    for name in names:
        if name.startswith(prefix) and name.endswith(".jsonl"):
            month = name[len(prefix) : -len(".jsonl")]
            if MONTH.match(month):
                out.append((month, root / name))
    return sorted(out)


def _tail_cut(fd: int, size: int, max_seq: int) -> int:
    """Offset where the uncommitted tail starts (lines with seq > max_seq, a torn line)."""
    start = size
    buf = b""

    def grow() -> None:
        nonlocal start, buf
        n = min(_BLOCK, start)
        start -= n
        buf = os.pread(fd, n, start) + buf

    if size == 0:
        return 0
    grow()
    cut = size
    if not buf.endswith(b"\n"):
        while True:
            i = buf.rfind(b"\n")
            if i >= 0:
                cut = start + i + 1
                break
            if start == 0:
                return 0
            grow()
    while cut > 0:
        while True:
            i = buf.rfind(b"\n", 0, max(cut - 1 - start, 0))
            if i >= 0:
                line_start = start + i + 1
                break
            if start == 0:
                line_start = 0
                break
            grow()
        m = _SEQ.match(buf[line_start - start : cut - 1 - start])
        if m is None or int(m.group(1)) <= max_seq:
            break  # committed, or damage that read_month will report
        cut = line_start
    return cut


def rollback_uncommitted(path: Path, max_seq: int) -> int:
    """Cut lines the journal never committed; return how many bytes went."""
    fd = os.open(path, os.O_RDWR)
    try:
        size = os.fstat(fd).st_size
        cut = _tail_cut(fd, size, max_seq)
        if cut < size:
            os.ftruncate(fd, cut)
            os.fsync(fd)
        return size - cut
    finally:
        os.close(fd)


def truncate(path: Path, size: int) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)


def append_entries(path: Path, seq: int, entries: list[tuple[str, bytes]]) -> int:
    """Append (key, encoded document) lines durably; return the size before, for a
    rollback if the journal write fails."""
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        good = _tail_cut(fd, size, 1 << 62)  # never append after a torn line
        if good < size:
            os.ftruncate(fd, good)
            size = good
        data = b"".join(
            b'{"seq":%d,"key":%s,"doc":%s}\n' % (seq, dumps(key), doc) for key, doc in entries
        )
        try:
            write_all(fd, data, size)
            sync_data(fd)
        except OSError:
            try:
                os.ftruncate(fd, size)
            except OSError:
                pass  # the uncommitted lines are cut on the next open
            raise
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)
    return size


def read_month(path: Path, max_seq: int) -> Iterator[Doc]:
    """Committed documents of one archive file, in the order they were archived."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    docs: dict[tuple[str, int], Doc] = {}
    lines = data.split(b"\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if not line:
            continue
        try:
            entry = json.loads(line)
            seq, key, doc = entry["seq"], entry["key"], entry["doc"]
        except (ValueError, KeyError, TypeError) as exc:
            if i == last:  # torn: an append that never completed
                break
            raise StoreError(
                f"{path}: line {i + 1} is damaged ({exc}); the archived documents after it "
                "cannot be trusted. Restore this file from a backup."
            ) from None
        if seq <= max_seq:
            docs[(key, seq)] = doc
    yield from docs.values()
