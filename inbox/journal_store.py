"""The durable store: a TinyDB snapshot plus an fsync'd append-only journal.

TinyDB's own JSONStorage rewrites the whole file on every write and is not
atomic: at 100,000 mentions one insert costs seconds and a kill -9 mid-write
leaves a file that reads back as empty. So a data directory holds:

- ``store.json``: a TinyDB JSON snapshot at journal sequence S, replaced
  atomically by compaction (``store.json.prev`` keeps the one before it);
- ``journal-<base>.jsonl``: one checksummed line per `apply` batch after
  sequence ``base``, fsync'd before `apply` returns;
- ``archive/<table>-YYYY-MM.jsonl``: documents moved out of the live tables;
- ``veille.lock``: flock'd by the one process that may write.

Opening = snapshot + replay of newer journal lines. Every document is held
in memory as its compact JSON bytes and decoded when read; reads never touch
the disk. See docs/storage.md.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import itertools
import json
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from inbox import _journal_archive as arc
from inbox._journal_files import disk_error, fsync_dir, quarantine, sync_data, write_all
from inbox._journal_format import (
    META_TABLE,
    BadSnapshot,
    JournalCorrupt,
    Snapshot,
    Tables,
    apply_decoded,
    commit,
    decode,
    dumps,
    encode_line,
    plan,
    read_snapshot,
    scan_journal,
    write_snapshot,
)
from inbox.store import Doc, Op, Store, StoreError, StoreLocked

__all__ = ["JournalStore"]

log = logging.getLogger("veille.store")

SNAPSHOT = "store.json"
LOCK = "veille.lock"
ARCHIVE = "archive"
_JOURNAL_PREFIX = "journal-"
_JOURNAL_SUFFIX = ".jsonl"
_tmp_counter = itertools.count()


def _journal_name(base: int) -> str:
    return f"{_JOURNAL_PREFIX}{base:012d}{_JOURNAL_SUFFIX}"


def _journals(data_dir: Path) -> list[tuple[int, Path]]:
    out = []
    for name in os.listdir(data_dir):
        if name.startswith(_JOURNAL_PREFIX) and name.endswith(_JOURNAL_SUFFIX):
            digits = name[len(_JOURNAL_PREFIX) : -len(_JOURNAL_SUFFIX)]
            if digits.isdigit():
                out.append((int(digits), data_dir / name))
    return sorted(out)


def _check_name(what: str, name: object) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"{what} must be a non-empty string, not {name!r}")
    return name


def _check_table(name: object) -> str:
    table = _check_name("table", name)
    if table == META_TABLE or table.startswith(".") or any(c in table for c in "/\\\0"):
        raise ValueError(f"invalid table name {table!r}")
    return table


class _Loaded:
    """What recovery found: the state, where the journal continues, what to tell the user."""

    def __init__(self) -> None:
        self.tables: Tables = {}
        self.snap_seq = 0
        self.seq = 0
        self.notices: list[str] = []
        self.rewrite_snapshot = False
        self.upgrade_snapshot = False  # good, but in an older layout: rewrite if we can
        self.journal: tuple[int, Path] | None = None  # newest journal (base, path)
        self.journal_size = 0
        self.journal_batches = 0
        self.journal_last = 0  # seq of its last line (its base when empty)
        self.torn: tuple[Path, int] | None = None  # journal to truncate, good size


class JournalStore(Store):
    """Durable `Store`; one writer process per data directory."""

    def __init__(
        self,
        data_dir: Path,
        loaded: _Loaded,
        *,
        read_only: bool,
        lock_fd: int | None,
        compact_bytes: int,
        compact_batches: int,
        auto_compact: bool,
    ) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self.notices: list[str] = loaded.notices  # recovery messages the UI should show
        self.compaction_error: StoreError | None = None  # last background failure
        self.compactions = 0
        self.compact_bytes = compact_bytes
        self.compact_batches = compact_batches
        self._tables = loaded.tables
        self._seq = loaded.seq
        self._snap_seq = loaded.snap_seq
        self._lock = threading.Lock()  # held for a batch, a journal switch, a table copy
        # Held (inside _lock) only while a batch changes memory, so `items` never
        # waits for an fsync.
        self._mem_lock = threading.Lock()
        self._compact_mutex = threading.Lock()  # one compaction at a time
        self._lock_fd = lock_fd
        self._broken: str | None = None
        self._closed = False
        self._jfd: int | None = None
        self._jpath: Path | None = None
        self._jbase = 0
        self._jsize = loaded.journal_size
        self._jbatches = loaded.journal_batches
        self._wake = threading.Event()
        self._worker: threading.Thread | None = None
        if read_only:
            return
        if loaded.journal is not None and loaded.journal_last == loaded.seq:
            self._jbase, self._jpath = loaded.journal
            self._jfd = os.open(self._jpath, os.O_RDWR)
        # else: no journal yet, or the snapshot is ahead of the newest one
        # (journal files removed by hand): start a fresh one at our sequence.
        if loaded.rewrite_snapshot:
            self._write_snapshot_now()
        elif loaded.upgrade_snapshot:
            try:
                self._write_snapshot_now()
            except StoreError as exc:  # the old layout still opens; compaction retries
                log.warning("could not rewrite the snapshot in the current layout: %s", exc)
        if self._jfd is None:
            self._open_journal(self._seq)
        if auto_compact:
            self._worker = threading.Thread(
                target=self._compact_loop, name=f"veille-compact:{data_dir}", daemon=True
            )
            self._worker.start()
            self._maybe_wake()

    # ------------------------------------------------------------------ open

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        read_only: bool = False,
        compact_bytes: int = 16 << 20,
        compact_batches: int = 10_000,
        auto_compact: bool = True,
    ) -> JournalStore:
        """Open (creating it if needed) the store in `data_dir`.

        `read_only` takes no lock and never writes: for export and report while
        the console runs. Compaction starts in the background once the journal
        passes `compact_bytes` or `compact_batches`.
        """
        data_dir = Path(data_dir)
        # Documents load as bytes, which the cyclic GC does not track, but replaying
        # a journal decodes many dicts: no use collecting meanwhile. Freezing what
        # is loaded keeps later full passes from walking it again on a key press.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            loaded, lock_fd = cls._open_files(data_dir, read_only)
        finally:
            gc.freeze()
            if gc_was_enabled:
                gc.enable()
        try:
            return cls(
                data_dir,
                loaded,
                read_only=read_only,
                lock_fd=lock_fd,
                compact_bytes=compact_bytes,
                compact_batches=compact_batches,
                auto_compact=auto_compact,
            )
        except OSError as exc:
            if lock_fd is not None:
                os.close(lock_fd)
            raise disk_error(exc, data_dir, "could not open the store") from exc
        except BaseException:
            if lock_fd is not None:
                os.close(lock_fd)
            raise

    @classmethod
    def _open_files(cls, data_dir: Path, read_only: bool) -> tuple[_Loaded, int | None]:
        if read_only:
            return cls._load_read_only(data_dir), None
        lock_fd = cls._take_lock(data_dir)
        try:
            cls._clean_temp_files(data_dir)
            loaded = cls._load(data_dir, read_only=False)
            if loaded.torn is not None:
                path, good = loaded.torn
                arc.truncate(path, good)
            cls._rollback_archives(data_dir, loaded.seq)
        except OSError as exc:
            os.close(lock_fd)
            raise disk_error(exc, data_dir, "could not open the store") from exc
        except BaseException:
            os.close(lock_fd)
            raise
        return loaded, lock_fd

    @staticmethod
    def _take_lock(data_dir: Path) -> int:
        try:
            if not data_dir.exists():
                data_dir.mkdir(parents=True, exist_ok=True)
                fsync_dir(data_dir.parent)  # a new store's first change must not lose its folder
        except OSError as exc:
            raise disk_error(exc, data_dir, "could not create the data directory") from exc
        if not data_dir.is_dir():
            raise StoreError(f"{data_dir} is not a directory")
        if not os.access(data_dir, os.W_OK | os.X_OK):
            raise StoreError(
                f"{data_dir} is not writable: veille cannot save changes there. Fix its "
                "permissions, or use a read-only command (export, report)."
            )
        path = data_dir / LOCK
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise disk_error(exc, path, "could not lock the data directory") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES, errno.EAGAIN):
                raise StoreLocked(
                    f"{data_dir} is in use by another veille process (pid {holder}). Quit "
                    "it first, or give this one its own --data-dir."
                ) from None
            raise disk_error(exc, path, "could not lock the data directory") from exc
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # the pid is informative only
        return fd

    @staticmethod
    def _clean_temp_files(data_dir: Path) -> None:
        for folder in (data_dir, data_dir / ARCHIVE):
            try:
                names = os.listdir(folder)
            except FileNotFoundError:
                continue
            for name in names:
                if ".tmp-" in name:
                    try:
                        os.unlink(folder / name)
                        log.info("removed leftover temp file %s", folder / name)
                    except OSError:
                        pass

    @staticmethod
    def _rollback_archives(data_dir: Path, seq: int) -> None:
        root = data_dir / ARCHIVE
        try:
            names = sorted(os.listdir(root))
        except FileNotFoundError:
            return
        for name in names:
            if name.endswith(".jsonl"):
                dropped = arc.rollback_uncommitted(root / name, seq)
                if dropped:
                    log.info("archive %s: cut %d uncommitted bytes", name, dropped)

    @classmethod
    def _load_read_only(cls, data_dir: Path) -> _Loaded:
        if not data_dir.exists():
            loaded = _Loaded()
            loaded.notices.append(f"{data_dir} does not exist yet: the store is empty")
            return loaded
        # A writer may compact while we read: a journal can vanish under us.
        for attempt in range(5):
            try:
                return cls._load(data_dir, read_only=True)
            except (FileNotFoundError, _Retry):
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    @classmethod
    def _load(cls, data_dir: Path, *, read_only: bool) -> _Loaded:
        try:
            return cls._load_files(data_dir, read_only=read_only)
        except FileNotFoundError:
            if read_only:
                raise
            raise StoreError(f"files in {data_dir} vanished while opening it") from None
        except OSError as exc:
            raise disk_error(exc, data_dir, "could not read the store") from exc

    @classmethod
    def _load_files(cls, data_dir: Path, *, read_only: bool) -> _Loaded:
        loaded = _Loaded()
        snap = data_dir / SNAPSHOT
        prev = data_dir / f"{SNAPSHOT}.prev"
        problems: list[str] = []
        got: Snapshot | None = None
        used: Path | None = None
        for candidate in (snap, prev):
            try:
                got = read_snapshot(candidate)
                used = candidate
                if got.legacy and not read_only:
                    loaded.upgrade_snapshot = True  # read fast next time
                    log.info("%s is in an older layout; rewriting it", candidate)
                break
            except FileNotFoundError:
                continue
            except BadSnapshot as exc:
                problems.append(f"{candidate} is damaged: {exc}")
            except OSError as exc:
                raise disk_error(exc, candidate, "could not read the store") from exc
        journals = _journals(data_dir)
        if got is None:
            quarantined = sorted(p.name for p in data_dir.glob(f"{SNAPSHOT}.corrupt-*"))
            full_history = bool(journals) and journals[0][0] == 0
            if not full_history and (problems or quarantined or journals):
                moved = ""
                if snap.exists() and not read_only:
                    moved = f" It was moved to {quarantine(snap).name}."
                why = "; ".join(problems) or f"{snap} is missing"
                if quarantined and not problems:
                    why += f" (quarantined earlier as {', '.join(quarantined)})"
                if journals and not problems:
                    why += f" and the journal starts after sequence {journals[0][0]}"
                raise StoreError(
                    f"{why}.{moved} No earlier good copy can rebuild the store, and veille "
                    "will not start on an empty one in its place. Restore store.json from a "
                    f"backup, or move {data_dir} aside to start afresh."
                )
            got = Snapshot(0, {}, legacy=False)
        snap_seq, tables = got.seq, got.tables
        if used is not snap and (problems or used is not None):
            loaded.rewrite_snapshot = True
            source = used.name if used is not None else "the journal"
            if problems and snap.exists() and not read_only:
                moved_to = quarantine(snap)
                loaded.notices.append(
                    f"{problems[0]}; moved it to {moved_to.name} and restored the last good "
                    f"state from {source}."
                )
            elif problems:
                loaded.notices.append(f"{problems[0]}; read the last good state from {source}.")
            else:
                loaded.notices.append(f"{snap} was missing; restored from {source}.")
        for note in loaded.notices:
            log.warning("%s", note)
        loaded.tables = tables
        loaded.snap_seq = loaded.seq = snap_seq
        cls._replay(data_dir, journals, loaded, read_only=read_only)
        return loaded

    @staticmethod
    def _replay(
        data_dir: Path, journals: list[tuple[int, Path]], loaded: _Loaded, *, read_only: bool
    ) -> None:
        snap_seq = loaded.snap_seq
        # Journals wholly at or before the snapshot need not be read.
        start = 0
        for i, (base, _path) in enumerate(journals):
            if base <= snap_seq:
                start = i
        relevant = journals[start:]
        if relevant and relevant[0][0] > snap_seq:
            raise StoreError(
                f"{relevant[0][1]} continues from sequence {relevant[0][0]} but the snapshot "
                f"stops at {snap_seq}: journal files are missing. Restore them from a backup."
            )
        expected = relevant[0][0] if relevant else snap_seq
        for i, (base, path) in enumerate(relevant):
            newest = i == len(relevant) - 1
            if base != expected:
                if read_only:
                    raise _Retry()
                raise StoreError(
                    f"{path} starts after sequence {base} but the journal before it ends at "
                    f"{expected}: part of the journal is missing."
                )
            data = path.read_bytes()
            try:
                scan = scan_journal(data, max(snap_seq, base))
            except JournalCorrupt as exc:
                raise StoreError(
                    f"{path}: {exc}. Changes after that point cannot be trusted and veille "
                    "will not skip them silently. Restore the data directory from a backup, "
                    f"or move {path.name} aside to keep only what came before."
                ) from None
            if scan.first_seq is not None and scan.first_seq != base + 1:
                raise StoreError(f"{path}: first line is sequence {scan.first_seq}, not {base + 1}")
            if scan.torn is not None:
                if not newest:
                    raise StoreError(
                        f"{path}: {scan.torn}, but newer journal files follow it: the journal "
                        "is damaged. Restore the data directory from a backup."
                    )
                if not read_only:
                    loaded.torn = (path, scan.good_size)
                    note = (
                        f"{path.name}: dropped a torn last line ({scan.torn}); it was a change "
                        "that never completed."
                    )
                    loaded.notices.append(note)
                    log.warning("%s", note)
            for seq, ops in scan.batches:
                try:
                    apply_decoded(loaded.tables, ops)
                except (ValueError, TypeError, IndexError, KeyError) as exc:
                    raise StoreError(
                        f"{path}: the change with sequence {seq} cannot be applied ({exc!r}). "
                        "Restore the data directory from a backup."
                    ) from None
                loaded.seq = seq
            expected = scan.last_seq if scan.last_seq is not None else base
            if newest:
                loaded.journal = (base, path)
                loaded.journal_size = scan.good_size
                loaded.journal_batches = len(scan.batches)
                loaded.journal_last = expected
        if loaded.seq < snap_seq:
            loaded.seq = snap_seq

    # ----------------------------------------------------------------- reads

    def get(self, table: str, key: str) -> Doc | None:
        raw = self._tables.get(table, {}).get(key)
        return None if raw is None else decode(raw)

    def items(self, table: str) -> Iterator[tuple[str, Doc]]:
        """Decoded one at a time as the caller goes: a pass holds one dict, not 100,000."""
        with self._mem_lock:
            snapshot = list(self._tables.get(table, {}).items())
        for key, raw in snapshot:
            yield key, decode(raw)

    def count(self, table: str) -> int:
        return len(self._tables.get(table, ()))

    @property
    def seq(self) -> int:
        """Sequence number of the last durable batch."""
        return self._seq

    def iter_archive(self, table: str) -> Iterator[Doc]:
        max_seq = self._seq
        for _month, path in arc.month_files(self.data_dir / ARCHIVE, table):
            yield from arc.read_month(path, max_seq)

    # ---------------------------------------------------------------- writes

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.data_dir} was opened read-only: changes are refused")
        if self._closed:
            raise StoreError(f"the store in {self.data_dir} is closed")
        if self._broken is not None:
            raise StoreError(self._broken)

    @staticmethod
    def _encode(ops: Sequence[Op]) -> list[list[Any]]:
        enc: list[list[Any]] = []
        for op in ops:
            table = _check_table(op.table)
            key = _check_name("key", op.key)
            if op.kind == "del":
                enc.append(["del", table, key])
            elif op.kind in ("put", "patch"):
                doc = {} if op.doc is None else op.doc
                if not isinstance(doc, dict):
                    raise TypeError(f"{op.kind} {table}/{key}: document must be a dict")
                enc.append([op.kind, table, key, doc])
            else:
                raise ValueError(f"unknown op kind {op.kind!r}")
        return enc

    def apply(self, ops: Sequence[Op]) -> None:
        if not ops:
            return
        payload = dumps(self._encode(ops))
        # Decoding our own bytes and encoding the documents again is exactly what
        # replay does: memory after `apply` equals memory after a restart, byte
        # for byte, and the caller's dicts are not shared with the store.
        decoded = json.loads(payload)
        with self._lock:
            self._check_writable()
            changes = plan(self._tables, decoded)
            self._append(self._seq + 1, payload)
            with self._mem_lock:
                commit(self._tables, changes)
        self._maybe_wake()

    def _append(self, seq: int, payload: bytes) -> None:
        """Write one journal line durably; on failure leave the file as it was. Lock held."""
        assert self._jfd is not None and self._jpath is not None
        line = encode_line(seq, payload)
        offset = self._jsize
        try:
            write_all(self._jfd, line, offset)
            sync_data(self._jfd)
        except OSError as exc:
            try:
                os.ftruncate(self._jfd, offset)
            except OSError as exc2:
                self._broken = (
                    f"{self._jpath} could not be restored after a failed write "
                    f"({exc2.strerror}); reopen the store to recover it."
                )
            raise disk_error(exc, self._jpath, "could not save the change") from exc
        self._jsize = offset + len(line)
        self._jbatches += 1
        self._seq = seq

    def archive(self, table: str, moves: dict[str, list[str]]) -> int:
        table = _check_table(table)
        for month in moves:
            if not arc.MONTH.match(month):
                raise ValueError(f"archive month must be YYYY-MM, not {month!r}")
        root = self.data_dir / ARCHIVE
        with self._lock:
            self._check_writable()
            docs = self._tables.get(table, {})
            seq = self._seq + 1
            taken: set[str] = set()
            moving: list[tuple[Path, list[tuple[str, bytes]]]] = []
            for month in sorted(moves):
                entries = []
                for key in moves[month]:
                    doc = docs.get(key)
                    if doc is not None and key not in taken:
                        taken.add(key)
                        entries.append((key, doc))
                if entries:
                    moving.append((root / f"{table}-{month}.jsonl", entries))
            if not moving:
                return 0
            written: list[tuple[Path, int]] = []
            removal = [["del", table, key] for _p, entries in moving for key, _d in entries]
            try:
                if not root.exists():
                    root.mkdir()
                    fsync_dir(self.data_dir)
                for path, entries in moving:
                    written.append((path, arc.append_entries(path, seq, entries)))
                self._append(seq, dumps(removal))
            except OSError as exc:
                self._undo_archive(written)
                where = written[-1][0] if written else root
                raise disk_error(exc, where, "could not archive") from exc
            except StoreError:
                self._undo_archive(written)
                raise
            with self._mem_lock:
                apply_decoded(self._tables, removal)
        self._maybe_wake()
        return len(taken)

    def _undo_archive(self, written: list[tuple[Path, int]]) -> None:
        for path, size in written:
            try:
                arc.truncate(path, size)
            except OSError as exc:
                # The lines carry a sequence number the journal has not reached;
                # reusing it would make them look committed. Stop writing.
                self._broken = (
                    f"{path} could not be rolled back ({exc.strerror}); reopen the store to "
                    "recover it."
                )

    # ------------------------------------------------------------ compaction

    def _open_journal(self, base: int) -> None:
        """Start `journal-<base>.jsonl` and make its name durable. Lock held (or opening)."""
        path = self.data_dir / _journal_name(base)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if os.fstat(fd).st_size:
                raise StoreError(f"{path} already holds changes veille did not replay")
            fsync_dir(self.data_dir)
        except BaseException:
            os.close(fd)
            raise
        old = self._jfd
        self._jfd, self._jpath, self._jbase = fd, path, base
        self._jsize = 0
        self._jbatches = 0
        if old is not None:
            os.close(old)

    def _write_snapshot_now(self) -> None:
        try:
            write_snapshot(self.data_dir / SNAPSHOT, self._tables, self._seq, self._tmp_tag())
        except OSError as exc:
            raise disk_error(exc, self.data_dir / SNAPSHOT, "could not write the snapshot") from exc
        self._snap_seq = self._seq

    @staticmethod
    def _tmp_tag() -> str:
        return f"{os.getpid()}-{next(_tmp_counter)}"

    def compact(self) -> None:
        """Write a new snapshot and start a new journal; `apply` goes on meanwhile.

        The store lock is held only to copy the table dicts (documents are
        shared, never mutated) and to switch journal files; the big write runs
        without it.
        """
        with self._compact_mutex:
            with self._lock:
                self._check_writable()
                seq = self._seq
                if seq == self._snap_seq:
                    return
                tables = {name: dict(docs) for name, docs in self._tables.items()}
                if self._jbase != seq:
                    try:
                        self._open_journal(seq)
                    except OSError as exc:
                        raise disk_error(exc, self.data_dir, "could not start a journal") from exc
            path = self.data_dir / SNAPSHOT
            try:
                write_snapshot(path, tables, seq, self._tmp_tag())
            except OSError as exc:
                raise disk_error(exc, path, "could not write the snapshot") from exc
            prev_seq, self._snap_seq = self._snap_seq, seq
            self.compactions += 1
            self._prune_journals(prev_seq)

    def _prune_journals(self, keep_after: int) -> None:
        """Remove journals wholly covered by store.json.prev (kept for a fallback)."""
        journals = _journals(self.data_dir)
        for (_base, path), (next_base, _next) in zip(journals, journals[1:], strict=False):
            if next_base <= keep_after and path != self._jpath:
                try:
                    os.unlink(path)
                except OSError:
                    pass

    def _maybe_wake(self) -> None:
        if self._worker is not None and (
            self._jsize >= self.compact_bytes or self._jbatches >= self.compact_batches
        ):
            self._wake.set()

    def _compact_loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            try:
                self.compact()
                self.compaction_error = None
            except StoreError as exc:
                if self._closed:
                    return
                self.compaction_error = exc
                log.warning("background compaction failed: %s", exc)
            except Exception as exc:  # never let the thread die silently
                self.compaction_error = StoreError(f"background compaction failed: {exc!r}")
                log.exception("background compaction failed")

    # ----------------------------------------------------------------- close

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        if self._worker is not None:
            self._worker.join()
        with self._lock:
            if self._jfd is not None:
                os.close(self._jfd)
                self._jfd = None
            if self._lock_fd is not None:
                os.close(self._lock_fd)  # releases the flock
                self._lock_fd = None

    def __enter__(self) -> JournalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Retry(Exception):
    """A read-only reader saw the files change mid-read."""
