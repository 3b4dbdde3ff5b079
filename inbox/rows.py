"""Flat rows the insights count: one per mention, read straight from store documents.

Metrics, author profiles and reports read a handful of fields from every stored
mention. Building full `Mention` objects for 100,000 of them costs most of a
second on its own, so `rows_of(inbox)` reads the fields it needs from the store's
documents, and `row_from_mention` gives the same row for tests and live objects.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from inbox.model import Mention
from inbox.store import Store

__all__ = [
    "Row",
    "RowCache",
    "author_of",
    "iter_rows",
    "bulk",
    "cached_rows",
    "row_from_doc",
    "row_from_mention",
    "rows_from",
    "rows_of",
]

MENTIONS = "mentions"  # the inbox's table (inbox/service.py)


@dataclass(slots=True, eq=False)
class Row:
    id: str
    created: datetime
    first_seen: datetime
    category: str
    labels: tuple[str, ...]
    compound: float
    sentiment: str  # negative | neutral | positive
    language: str
    source: str
    source_kind: str
    author: str  # author key: handle, case-folded, without @
    author_name: str
    followers: int
    state: str
    cluster: str
    sla_minutes: int | None
    first_response: datetime | None
    text: str
    title: str
    url: str
    remote_id: str
    in_reply_to: str
    repost_of: str

    @property
    def response_minutes(self) -> float | None:
        """Same measure as `Mention.response_minutes`: from the post's time."""
        if self.first_response is None:
            return None
        return (self.first_response - self.created).total_seconds() / 60.0

    @property
    def sla_deadline(self) -> datetime | None:
        """Same as `Mention.sla_deadline`: the SLA runs from when veille saw it."""
        if self.sla_minutes is None:
            return None
        return self.first_seen + timedelta(minutes=self.sla_minutes)


def author_of(author: str, author_id: str) -> str:
    """The inbox's author key (inbox.service.author_key) from raw fields."""
    return (author or author_id or "").strip().lstrip("@").casefold()


def row_from_mention(m: Mention) -> Row:
    p, v = m.post, m.verdict
    return Row(
        id=m.id,
        created=p.created_at,
        first_seen=m.first_seen,
        category=v.category,
        labels=tuple(v.labels),
        compound=v.sentiment.compound,
        sentiment=v.sentiment.label,
        language=v.language,
        source=p.source,
        source_kind=p.source_kind,
        author=author_of(p.author, p.author_id),
        author_name=p.author or p.author_id,
        followers=p.followers,
        state=m.state,
        cluster=m.cluster,
        sla_minutes=v.sla_minutes,
        first_response=m.first_response_at,
        text=p.text,
        title=p.title,
        url=p.url,
        remote_id=p.remote_id,
        in_reply_to=p.in_reply_to,
        repost_of=p.repost_of,
    )


_fromiso = datetime.fromisoformat


_AUTHORS: dict[tuple[str, str], str] = {}  # raw handle -> author key: handles repeat a lot


def row_from_doc(key: str, d: dict[str, Any]) -> Row:
    """A row from a stored mention document (the shape of `Mention.to_doc`).

    Positional on purpose: this runs 100,000 times when the insights open.
    """
    p = d.get("post") or {}
    v = d.get("verdict") or {}
    s = v.get("sentiment")
    if isinstance(s, list) and len(s) == 2:  # the compact form Mention.to_doc writes
        compound, slabel = float(s[0]), str(s[1])
    elif isinstance(s, dict):
        compound, slabel = float(s.get("compound", 0.0)), s.get("label", "neutral")
    else:
        compound, slabel = 0.0, "neutral"
    fr = d.get("first_response_at")
    created: str = p["created_at"]
    raw = (p.get("author", ""), p.get("author_id", ""))
    akey = _AUTHORS.get(raw)
    if akey is None:
        if len(_AUTHORS) > 200_000:
            _AUTHORS.clear()
        akey = _AUTHORS[raw] = author_of(*raw)
    return Row(
        key,
        _fromiso(created),
        _fromiso(d.get("first_seen") or created),
        v.get("category", "other"),
        tuple(v.get("labels", ())),
        compound,
        slabel,
        v.get("language", "und"),
        p.get("source", ""),
        p.get("source_kind", ""),
        akey,
        raw[0] or raw[1],
        int(p.get("followers") or 0),
        d.get("state") or "open",
        d.get("cluster") or "",
        v.get("sla_minutes"),
        _fromiso(fr) if fr else None,
        p.get("text", ""),
        p.get("title", ""),
        p.get("url", ""),
        p.get("remote_id", ""),
        p.get("in_reply_to", ""),
        p.get("repost_of", ""),
    )


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a pass builds many small objects.

    Rows hold no cycles; without the pause, CPython's collector rescans the whole
    heap again and again while 100,000 rows are made, doubling the time.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _HasStore(Protocol):
    store: Store


def rows_of(inbox: _HasStore, *, archive: bool = True) -> list[Row]:
    """Every stored mention as a row, archive first: what reports and the screen read."""
    return list(iter_rows(inbox, archive=archive))


def iter_rows(inbox: _HasStore, *, archive: bool = True) -> Iterator[Row]:
    """`rows_of` one row at a time, for a reader that keeps only some of them.

    Consume it whole: the collector is paused until the pass ends.
    """
    store = inbox.store
    try:
        with bulk():
            if archive:
                for d in store.iter_archive(MENTIONS):
                    key = (d.get("post") or {}).get("id", "")
                    yield row_from_doc(key, d)
            for k, d in store.items(MENTIONS):
                yield row_from_doc(k, d)
    finally:
        # The handle cache pays within one pass; kept after it, it would hold every
        # author string of the store alive for the life of the process.
        _AUTHORS.clear()


def rows_from(mentions: Iterable[Mention]) -> list[Row]:
    return [row_from_mention(m) for m in mentions]


class _Watched(Protocol):
    store: Store

    def subscribe(self, listener: Any) -> None: ...


class RowCache:
    """Rows of one inbox kept between looks: only mentions that changed are read again.

    The inbox tells its listeners which ids changed (from the ingesting thread);
    they are re-read from the store on the next `rows()`, so a second opening of
    the insights costs the figures, not another pass over 100,000 documents.
    """

    def __init__(self, inbox: _Watched) -> None:
        # weak: the inbox holds this cache through its listener, not the other way round
        self._inbox = weakref.ref(inbox)
        self._lock = threading.Lock()
        self._rows: list[Row] | None = None
        self._where: dict[str, int] = {}
        self._changed: set[str] = set()
        inbox.subscribe(self._on_change)

    def _on_change(self, ids: set[str]) -> None:
        with self._lock:
            self._changed |= ids

    def rows(self) -> list[Row]:
        """Every stored mention as a row (a new list: callers may keep it)."""
        inbox = self._inbox()
        if inbox is None:
            return []
        with self._lock:
            changed, self._changed = self._changed, set()
            if self._rows is None:
                self._rows = rows_of(inbox)
                self._where = {r.id: i for i, r in enumerate(self._rows)}
                return list(self._rows)
            store = inbox.store
            with bulk():
                for mid in changed:
                    doc = store.get(MENTIONS, mid)
                    if doc is None:  # archived or gone: the row we hold stays true
                        continue
                    row = row_from_doc(mid, doc)
                    i = self._where.get(mid)
                    if i is None:
                        self._where[mid] = len(self._rows)
                        self._rows.append(row)
                    else:
                        self._rows[i] = row
            return list(self._rows)


_CACHES: weakref.WeakKeyDictionary[Any, RowCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def cached_rows(inbox: _Watched) -> list[Row]:
    """`rows_of(inbox)` through the inbox's `RowCache` (made on first use)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(inbox)
        if cache is None:
            cache = _CACHES[inbox] = RowCache(inbox)
    return cache.rows()
