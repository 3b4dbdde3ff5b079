"""The row cache: a second look reads only what changed, and never goes stale."""

from __future__ import annotations

import gc
import weakref
from datetime import timedelta

from inbox import Inbox, MemoryStore
from inbox.rows import _CACHES, RowCache, cached_rows, rows_of
from sources.models import Post
from tests.insights.conftest import NOW, FakeRules


class CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.scans = 0
        self.gets = 0

    def items(self, table):  # type: ignore[no-untyped-def]
        if table == "mentions":
            self.scans += 1
        return super().items(table)

    def get(self, table, key):  # type: ignore[no-untyped-def]
        if table == "mentions":
            self.gets += 1
        return super().get(table, key)


def _post(i: int, text: str = "the export is slow") -> Post:
    return Post(id=f"p{i}", text=f"{text} {i}", author=f"u{i}", created_at=NOW,
                extra={"category": "question"})  # fmt: skip


def test_changes_are_read_again_and_nothing_else() -> None:
    store = CountingStore()
    inbox = Inbox(store, FakeRules(), clock=lambda: NOW)  # type: ignore[arg-type]
    inbox.ingest([_post(i) for i in range(50)])
    cache = RowCache(inbox)
    store.scans = 0
    first = cache.rows()
    assert len(first) == 50 and store.scans == 1
    store.gets = 0
    inbox.done(["p3", "p4"])
    inbox.ingest([_post(99)])
    rows = {r.id: r for r in cache.rows()}
    assert store.scans == 1 and store.gets <= 5  # three changed ids, no second scan
    assert rows["p3"].state == "done" and rows["p0"].state == "open" and "p99" in rows
    assert first[3].state == "open"  # a list handed out earlier is not changed under you
    assert sorted(r.id for r in cache.rows()) == sorted(r.id for r in rows_of(inbox))
    inbox.archive_closed(now=NOW + timedelta(days=365))
    assert {r.id: r.state for r in cache.rows()}["p3"] == "done"  # archived, still counted


def test_one_cache_per_inbox_and_it_dies_with_the_inbox() -> None:
    inbox = Inbox(MemoryStore(), FakeRules(), clock=lambda: NOW)  # type: ignore[arg-type]
    inbox.ingest([_post(1)])
    assert [r.id for r in cached_rows(inbox)] == ["p1"]
    inbox.ingest([_post(2)])
    assert [r.id for r in cached_rows(inbox)] == ["p1", "p2"]
    ref = weakref.ref(inbox)
    del inbox
    gc.collect()
    assert ref() is None and all(k is not None for k in _CACHES.keys())
