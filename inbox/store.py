"""The store interface: durable tables of JSON documents.

The inbox keeps mentions, drafts, replies, source health and cursors as
documents in named tables. A batch of operations given to `apply` is durable
(fsync'd) and atomic when the call returns: after a crash either all of it is
there on reopening or none of it is. Reads come from memory.

`MemoryStore` is the reference implementation for tests; `JournalStore`
(inbox/journal_store.py) is the real one: TinyDB snapshot + fsync'd journal.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Op", "Store", "StoreError", "StoreLocked", "MemoryStore", "put", "patch", "delete"]

Doc = dict[str, Any]


class StoreError(Exception):
    """A store problem a user must see: names the file and what to do."""


class StoreLocked(StoreError):
    """Another veille process holds this data directory."""


@dataclass(frozen=True, slots=True)
class Op:
    kind: Literal["put", "patch", "del"]
    table: str
    key: str
    doc: Doc | None = None  # whole doc for put, changed fields for patch


def put(table: str, key: str, doc: Doc) -> Op:
    return Op("put", table, key, doc)


def patch(table: str, key: str, fields: Doc) -> Op:
    return Op("patch", table, key, fields)


def delete(table: str, key: str) -> Op:
    return Op("del", table, key)


class Store(ABC):
    @abstractmethod
    def apply(self, ops: Sequence[Op]) -> None:
        """Make the batch durable and visible; atomic as a whole."""

    @abstractmethod
    def get(self, table: str, key: str) -> Doc | None:
        """The document, or None. Callers must not mutate what they get."""

    @abstractmethod
    def items(self, table: str) -> Iterator[tuple[str, Doc]]:
        """Every live (not archived) document of a table."""

    @abstractmethod
    def count(self, table: str) -> int: ...

    @abstractmethod
    def archive(self, table: str, moves: dict[str, list[str]]) -> int:
        """Move documents to monthly archive files: {"2026-10": [key, ...]}.

        Durable when it returns; returns how many moved. Archived documents
        leave `items` and `get` and are read back by `iter_archive`.
        """

    @abstractmethod
    def iter_archive(self, table: str) -> Iterator[Doc]:
        """Every archived document of a table, oldest month first."""

    def compact(self) -> None:  # noqa: B027 - optional for stores without a journal
        """Fold the journal into a new snapshot. Safe to call from a thread."""

    def close(self) -> None:  # noqa: B027
        """Flush and release the data directory."""


class MemoryStore(Store):
    """Everything in memory: for tests and `--data-dir :memory:`."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[str, Doc]] = {}
        self._archive: dict[str, dict[str, list[Doc]]] = {}

    def apply(self, ops: Sequence[Op]) -> None:
        for op in ops:
            t = self._tables.setdefault(op.table, {})
            if op.kind == "put":
                t[op.key] = copy.deepcopy(op.doc or {})
            elif op.kind == "patch":
                cur = t.get(op.key)
                if cur is not None:
                    cur.update(copy.deepcopy(op.doc or {}))
            else:
                t.pop(op.key, None)

    def get(self, table: str, key: str) -> Doc | None:
        return self._tables.get(table, {}).get(key)

    def items(self, table: str) -> Iterator[tuple[str, Doc]]:
        yield from list(self._tables.get(table, {}).items())

    def count(self, table: str) -> int:
        return len(self._tables.get(table, {}))

    def archive(self, table: str, moves: dict[str, list[str]]) -> int:
        n = 0
        t = self._tables.get(table, {})
        for month, keys in moves.items():
            for k in keys:
                doc = t.pop(k, None)
                if doc is not None:
                    self._archive.setdefault(table, {}).setdefault(month, []).append(doc)
                    n += 1
        return n

    def iter_archive(self, table: str) -> Iterator[Doc]:
        for month in sorted(self._archive.get(table, {})):
            yield from self._archive[table][month]
