"""On-disk formats of the journal store: journal lines and the TinyDB snapshot.

Journal: one JSON line per `apply` batch,
``{"seq":12,"crc":"1a2b3c4d","ops":[["put","mentions","k",{...}],...]}``.
The crc32 covers the exact bytes of the ``ops`` array, so a line is checked
without re-serialising it, and the sequence number makes replay idempotent and
gaps detectable. Only the last line of the newest journal may be torn (a crash
mid-append); anything bad before it is damage and is reported, never skipped.

Snapshot (``store.json``): a TinyDB JSON file, one TinyDB table per store
table, document ids being the store keys, plus a ``_veille`` table holding
``{"meta": {"format", "seq", "counts"}}``. It is written one chunk of
documents per line so that reading it back needs no copy of the whole file in
memory and writing it gives other threads the interpreter between chunks.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inbox._journal_files import fsync_dir

__all__ = [
    "FORMAT",
    "META_TABLE",
    "BadSnapshot",
    "JournalScan",
    "apply_decoded",
    "dumps",
    "encode_line",
    "read_snapshot",
    "scan_journal",
    "write_snapshot",
]

FORMAT = 1
META_TABLE = "_veille"
CHUNK = 64  # documents per snapshot line: small enough to hand the GIL back often

Doc = dict[str, Any]
Tables = dict[str, dict[str, Doc]]

_LINE = re.compile(rb'\{"seq":(\d+),"crc":"([0-9a-f]{8})","ops":')
_TABLE_OPEN = re.compile(rb'^("(?:[^"\\]|\\.)*"): \{\n$')


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON; lone surrogates pass through (json.loads reads them back)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def encode_line(seq: int, payload: bytes) -> bytes:
    crc = zlib.crc32(payload)
    return b'{"seq":%d,"crc":"%08x","ops":%s}\n' % (seq, crc, payload)


def apply_decoded(tables: Tables, ops: Iterable[Sequence[Any]]) -> None:
    """Apply decoded ops to in-memory tables.

    Documents are never mutated in place: a patch builds a new dict. A
    compaction can therefore snapshot the tables with a shallow copy and write
    it out while later batches land, and callers holding a document from
    `get` keep a stable value.
    """
    for op in ops:
        kind, table, key = op[0], op[1], op[2]
        docs = tables.get(table)
        if docs is None:
            docs = tables[table] = {}
        if kind == "put":
            docs[key] = op[3]
        elif kind == "patch":
            cur = docs.get(key)
            if cur is not None:
                docs[key] = {**cur, **op[3]}
        elif kind == "del":
            docs.pop(key, None)
        else:
            raise ValueError(f"unknown op kind {kind!r}")


@dataclass
class JournalScan:
    """What one journal file holds past a given sequence number."""

    batches: list[tuple[int, list[Any]]]  # (seq, decoded ops) with seq > after
    first_seq: int | None  # first line's seq, None when the file has no good line
    last_seq: int | None
    good_size: int  # bytes up to the end of the last good line
    torn: str | None  # why the tail past good_size was dropped, if it was


class JournalCorrupt(Exception):
    def __init__(self, line_no: int, reason: str) -> None:
        super().__init__(f"line {line_no}: {reason}")
        self.line_no = line_no
        self.reason = reason


def _parse_line(line: bytes, after: int) -> tuple[int, list[Any] | None]:
    """(seq, ops); ops decoded only past `after`, since older lines are in the snapshot."""
    m = _LINE.match(line)
    if m is None or not line.endswith(b"}"):
        raise ValueError("not a journal line")
    payload = line[m.end() : -1]
    if zlib.crc32(payload) != int(m.group(2), 16):
        raise ValueError("checksum mismatch")
    seq = int(m.group(1))
    if seq <= after:
        return seq, None
    ops = json.loads(payload)
    if not isinstance(ops, list):
        raise ValueError("ops is not a list")
    return seq, ops


def scan_journal(data: bytes, after: int) -> JournalScan:
    """Check every line of a journal; decode the batches with seq > `after`.

    Raises JournalCorrupt for a bad line that is not the last one, or for a
    break in the sequence: those mean lost data, which must be seen.
    """
    batches: list[tuple[int, list[Any]]] = []
    first: int | None = None
    last: int | None = None
    pos = 0
    line_no = 0
    end = len(data)
    while pos < end:
        nl = data.find(b"\n", pos)
        line_no += 1
        if nl < 0:
            rest = data[pos:]
            why = "trailing zero bytes" if not rest.strip(b"\0") else "incomplete last line"
            return JournalScan(batches, first, last, pos, f"{why} at line {line_no}")
        line = data[pos:nl]
        try:
            seq, ops = _parse_line(line, after)
        except ValueError as exc:
            if nl + 1 >= end or not data[nl + 1 :].strip(b"\0\n"):
                return JournalScan(batches, first, last, pos, f"{exc} at line {line_no}")
            raise JournalCorrupt(line_no, str(exc)) from None
        if last is not None and seq != last + 1:
            raise JournalCorrupt(line_no, f"sequence jumps from {last} to {seq}")
        if first is None:
            first = seq
        last = seq
        if seq > after:
            assert ops is not None
            batches.append((seq, ops))
        pos = nl + 1
    return JournalScan(batches, first, last, pos, None)


class BadSnapshot(Exception):
    """The snapshot file cannot be trusted; the message says why."""


def _dump_chunks(docs: dict[str, Doc]) -> Iterator[bytes]:
    items = list(docs.items())
    for start in range(0, len(items), CHUNK):
        # dumps of a {key: doc} dict is `{...}`: keep the inside as one line.
        yield dumps(dict(items[start : start + CHUNK]))[1:-1]


def write_snapshot(path: Path, tables: Tables, seq: int, tmp_tag: str) -> None:
    """Write `tables` at `seq` to a temp file, fsync, keep the old one as .prev, rename.

    At every instant `path` names a complete snapshot (the old or the new one).
    """
    tmp = path.with_name(f"{path.name}.tmp-{tmp_tag}")
    counts = {name: len(docs) for name, docs in tables.items()}
    meta: dict[str, Doc] = {"meta": {"format": FORMAT, "seq": seq, "counts": counts}}
    order: list[tuple[str, dict[str, Doc]]] = [(META_TABLE, meta)]
    order += sorted(tables.items())
    try:
        with open(tmp, "wb") as f:
            f.write(b"{\n")
            for i, (name, docs) in enumerate(order):
                f.write(dumps(name) + b": {\n")
                pending: bytes | None = None
                for chunk in _dump_chunks(docs):
                    if pending is not None:
                        f.write(pending + b",\n")
                    pending = chunk
                if pending is not None:
                    f.write(pending + b"\n")
                f.write(b"}\n" if i == len(order) - 1 else b"},\n")
            f.write(b"}\n")
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            prev_tmp = path.with_name(f"{path.name}.prev.tmp-{tmp_tag}")
            try:
                os.unlink(prev_tmp)
            except FileNotFoundError:
                pass
            try:
                os.link(path, prev_tmp)
            except OSError:  # no hard links here (some network or FAT file systems)
                shutil.copyfile(path, prev_tmp)
            os.replace(prev_tmp, path.with_name(f"{path.name}.prev"))
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _parse_fast(f: Any) -> Tables | None:
    """Read the layout `write_snapshot` produces, one line at a time.

    Returns None when the file is laid out otherwise (a hand-edited or foreign
    TinyDB file): the caller then parses it whole.
    """
    tables: Tables = {}
    if f.readline() != b"{\n":
        return None
    finished = False
    current: dict[str, Doc] | None = None
    for line in f:
        if finished:
            if line.strip():
                return None
            continue
        if current is None:
            if line in (b"}\n", b"}"):
                finished = True
                continue
            m = _TABLE_OPEN.match(line)
            if m is None:
                return None
            name = json.loads(m.group(1))
            if name in tables:
                return None
            current = tables[name] = {}
            continue
        if line in (b"}\n", b"},\n"):
            current = None
            continue
        body = line[:-2] if line.endswith(b",\n") else line.rstrip(b"\n")
        chunk = json.loads(b"{" + body + b"}")
        current.update(chunk)
    return tables if finished and current is None else None


def read_snapshot(path: Path) -> tuple[int, Tables]:
    """Load a snapshot; raise BadSnapshot (never return empty) when it is damaged."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise
    if size == 0:
        raise BadSnapshot("the file is empty (0 bytes)")
    enabled = gc.isenabled()
    gc.disable()  # 100k fresh dicts would otherwise trigger many useless collections
    try:
        with open(path, "rb") as f:
            try:
                tables = _parse_fast(f)
            except ValueError:
                tables = None
            if tables is None:
                f.seek(0)
                try:
                    whole = json.loads(f.read())
                except ValueError as exc:
                    raise BadSnapshot(f"not valid JSON ({exc})") from None
                if not isinstance(whole, dict):
                    raise BadSnapshot("not a TinyDB file (top level is not an object)")
                tables = whole
    finally:
        if enabled:
            gc.enable()
    meta_table = tables.pop(META_TABLE, None)
    meta = meta_table.get("meta") if isinstance(meta_table, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("seq"), int):
        raise BadSnapshot(f"no {META_TABLE} meta record: not a veille snapshot")
    if meta.get("format") != FORMAT:
        raise BadSnapshot(f"unknown snapshot format {meta.get('format')!r}")
    counts = meta.get("counts") or {}
    for name, docs in tables.items():
        if not isinstance(docs, dict):
            raise BadSnapshot(f"table {name!r} is not an object")
        if not all(type(doc) is dict for doc in docs.values()):
            raise BadSnapshot(f"table {name!r} holds a document that is not an object")
        if counts.get(name) != len(docs):
            raise BadSnapshot(
                f"table {name!r} holds {len(docs)} documents, meta says {counts.get(name)}"
            )
    missing = set(counts) - set(tables)
    if missing:
        raise BadSnapshot(f"tables missing: {', '.join(sorted(missing))}")
    return meta["seq"], tables
