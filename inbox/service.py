"""The inbox: ingest, triage actions, drafts and the ordered views the panes read.

Every change goes through `Store.apply` first (durable when the call returns)
and then into an in-memory index, so the queue and the panes never scan the
store. All public methods are thread-safe: the poller ingests from its own
thread while the console acts on the UI thread (through thread workers).
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from inbox.config import Config
from inbox.model import CLOSED_STATES, Mention, Reply
from inbox.store import Op, Store, patch, put
from rules import RuleSet
from sources.models import Post

__all__ = ["IngestResult", "Inbox", "QueueItem", "author_key"]

Listener = Callable[[set[str]], None]

MENTIONS = "mentions"
DRAFTS = "drafts"
SOURCE_STATE = "source_state"
SOURCE_HEALTH = "source_health"
MUTED = "muted_authors"
ARCHIVED = "archived_ids"  # what was archived stays known to dedupe
_CACHE = 5000  # closed mentions kept as objects
_URGENCY_TTL = 5.0  # seconds an urgency score is reused by queue()
_ARCHIVE_CHUNK = 500  # mentions moved per store call: what a key press may wait for


def _author_key_raw(author: str, author_id: str) -> str:
    return (author or author_id or "").strip().lstrip("@").casefold()


def author_key(post: Post) -> str:
    """One author across polls: the handle, case-folded, without a leading @."""
    return _author_key_raw(post.author, post.author_id)


class Clusterer(Protocol):
    """Groups near-duplicates as they arrive (inbox/clusters.py)."""

    def assign(self, mention_id: str, text: str, lang: str, at: datetime) -> str: ...


@dataclass
class IngestResult:
    added: list[str] = field(default_factory=list)
    duplicates: int = 0
    filtered: int = 0
    woken: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One queue row: a mention, or a cluster standing for its open members."""

    mention: Mention
    members: tuple[str, ...]  # open mention ids this row acts on (itself first)
    urgency: float
    rank: int  # category position in queue order

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass
class _Undo:
    label: str
    before: list[tuple[str, dict[str, Any]]]  # (mention id, fields to restore)
    extra_ops: list[Op] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(timezone.utc)


_STATE_FIELDS = (
    "state",
    "snooze_until",
    "snooze_until_author",
    "assignee",
    "closed_at",
    "state_by",
)


class Inbox:
    def __init__(
        self,
        store: Store,
        rules: RuleSet,
        config: Config | None = None,
        *,
        clock: Callable[[], datetime] = _now,
        clusterer: Clusterer | None = None,
    ) -> None:
        self.store = store
        self.rules = rules
        self.config = config or Config()
        self.clock = clock
        self.clusterer = clusterer
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._vip_cache: tuple[list[str] | None, frozenset[str]] = (None, frozenset())
        self._urg: dict[str, float] = {}  # urgency scores of open mentions, see queue()
        self._urg_at: datetime | None = None
        self._undo: list[_Undo] = []
        self._archive_lock = threading.Lock()  # one archive pass at a time
        self._touched: set[str] | None = None  # see archive_closed
        # Only mentions still in play (open, snoozed, muted) live as objects; closed
        # ones stay as store documents, materialised on demand through a small cache,
        # so 100,000 stored mentions cost an index, not 100,000 object graphs.
        self._live: dict[str, Mention] = {}
        self._cache: OrderedDict[str, Mention] = OrderedDict()
        self._ids: set[str] = set()
        self._by_url: dict[str, str] = {}
        self._authors: dict[str, int] = {}
        self._author_ids: dict[str, list[str]] = {}
        self._muted: set[str] = {k for k, _ in store.items(MUTED)}
        self._clusters: dict[str, list[str]] = {}
        self._arrivals: list[tuple[str, str]] = []  # (first_seen iso, id), oldest first
        self._load_index()
        # Rebuilding the near-duplicate index takes about a second at 10,000 open
        # mentions: it runs in the background so the console paints first. Ingest
        # takes the cluster lock before the inbox lock, so it waits for the rebuild
        # without holding up the panes' reads.
        self._cluster_lock = threading.Lock()
        self.clusters_ready = threading.Event()
        if getattr(clusterer, "load", None) is not None and self._live:
            threading.Thread(target=self._load_clusters, name="clusters", daemon=True).start()
        else:
            self.clusters_ready.set()

    def _load_clusters(self) -> None:
        try:
            with self._cluster_lock:
                with self._lock:
                    live = list(self._live.values())
                self.clusterer.load(live)  # type: ignore[union-attr]
        finally:
            self.clusters_ready.set()

    # -- index -------------------------------------------------------------
    def _load_index(self) -> None:
        """Index every stored mention, building objects only for those in play.

        One pass decodes 100,000 documents: the cyclic collector is kept off
        meanwhile (it would walk the growing index again and again) and what
        the index holds is frozen afterwards, as the store does with its own.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            stamps: dict[str, str] = {}  # one string per ingest batch's first_seen
            for key, doc in self.store.items(MENTIONS):
                self._index_doc(key, doc, stamps)
            for key, doc in self.store.items(ARCHIVED):
                self._ids.add(key)
                if doc.get("u"):
                    self._by_url.setdefault(doc["u"], key)
            self._arrivals.sort()
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()

    def _index_doc(self, key: str, doc: dict[str, Any], stamps: dict[str, str]) -> None:
        """Index one stored mention without building its objects unless it is in play."""
        post = doc.get("post") or {}
        self._ids.add(key)
        url = post.get("url")
        if url:
            self._by_url.setdefault(url, key)
        extra = post.get("extra")
        if extra and extra.get("canonical_url"):
            self._by_url.setdefault(extra["canonical_url"], key)
        a = _author_key_raw(post.get("author", ""), post.get("author_id", ""))
        if a:
            self._authors[a] = self._authors.get(a, 0) + 1
            self._author_ids.setdefault(a, []).append(key)
        c = doc.get("cluster", "")
        if c:
            self._clusters.setdefault(c, []).append(key)
        seen = doc.get("first_seen", "")
        self._arrivals.append((stamps.setdefault(seen, seen), key))
        if doc.get("state", "open") not in CLOSED_STATES:
            self._live[key] = Mention.from_doc(doc)

    def _index(self, m: Mention) -> None:
        self._ids.add(m.id)
        for u in (m.post.url, m.post.extra.get("canonical_url", "")):
            if u:
                self._by_url.setdefault(u, m.id)
        a = author_key(m.post)
        if a:
            self._authors[a] = self._authors.get(a, 0) + 1
            self._author_ids.setdefault(a, []).append(m.id)
        if m.cluster:
            self._clusters.setdefault(m.cluster, []).append(m.id)
        self._arrivals.append((m.first_seen.isoformat(), m.id))
        self._home(m)

    def _home(self, m: Mention) -> None:
        """Keep a mention among the live objects while in play, else in the cache."""
        if self._touched is not None:
            self._touched.add(m.id)
        if m.state in CLOSED_STATES:
            self._live.pop(m.id, None)
            self._cache[m.id] = m
            self._cache.move_to_end(m.id)
            while len(self._cache) > _CACHE:
                self._cache.popitem(last=False)
        else:
            self._cache.pop(m.id, None)
            self._live[m.id] = m

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(changed_ids)` after every change, from the changing thread."""
        self._listeners.append(listener)

    def _notify(self, ids: set[str]) -> None:
        for i in ids:
            self._urg.pop(i, None)
        for fn in list(self._listeners):
            try:
                fn(ids)
            except Exception:  # a broken listener must not undo a durable change
                pass

    # -- reads ---------------------------------------------------------------
    def get(self, mention_id: str) -> Mention | None:
        m = self._live.get(mention_id)
        if m is not None:
            return m
        m = self._cache.get(mention_id)
        if m is not None:
            self._cache.move_to_end(mention_id)
            return m
        if mention_id not in self._ids:
            return None
        doc = self.store.get(MENTIONS, mention_id)
        if doc is None:
            return None
        m = Mention.from_doc(doc)
        self._home(m)
        return m

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, mention_id: object) -> bool:
        return mention_id in self._ids

    def mentions(self) -> Iterator[Mention]:
        """Every live (not archived) mention, in no particular order."""
        for key, doc in self.store.items(MENTIONS):
            m = self._live.get(key) or self._cache.get(key)
            yield m if m is not None else Mention.from_doc(doc)

    def archived(self) -> Iterator[Mention]:
        for doc in self.store.iter_archive(MENTIONS):
            yield Mention.from_doc(doc)

    def all_mentions(self) -> Iterator[Mention]:
        """Archive first, then live: what exports and reports read."""
        yield from self.archived()
        yield from self.mentions()

    def author_count(self, post: Post) -> int:
        return self._authors.get(author_key(post), 0)

    def author_mentions(self, post: Post, limit: int | None = None) -> list[Mention]:
        """The author's mentions, oldest first; `limit` keeps the newest (read only those)."""
        ids = self._author_ids.get(author_key(post), [])
        if limit is not None:
            ids = ids[-limit:]
        return [m for m in map(self.get, ids) if m is not None]

    def cluster_members(self, cluster: str) -> list[Mention]:
        return [m for m in map(self.get, self._clusters.get(cluster, [])) if m is not None]

    def urgency(self, m: Mention, now: datetime | None = None) -> float:
        now = now or self.clock()
        waited = max(0.0, (now - m.first_seen).total_seconds() / 60.0)
        a = author_key(m.post)
        seen = self._authors.get(a, 1) - 1
        u = self.rules.urgency(m.verdict, waited, followers=m.post.followers, seen_before=seen)
        if a in self._vip:
            u += 10.0
        return u

    @property
    def _vip(self) -> frozenset[str]:
        vip = self.config.vip
        if self._vip_cache[0] is not vip:
            self._vip_cache = (vip, frozenset(v.lstrip("@").casefold() for v in vip))
        return self._vip_cache[1]

    def rank(self, category: str) -> int:
        cats = self.rules.categories
        return cats.index(category) if category in cats else len(cats)

    def queue(
        self,
        where: Callable[[Mention], bool] | None = None,
        *,
        group: bool = True,
        now: datetime | None = None,
    ) -> list[QueueItem]:
        """Open mentions by category in queue order, then most urgent first.

        Mentions of one cluster collapse into the row of its most urgent member.
        """
        now = now or self.clock()
        with self._lock:
            open_ms = [m for m in self._live.values() if m.state == "open"]
            # Urgency drifts by minutes, so scores younger than a few seconds are reused
            # and only mentions that changed since are scored again: with thousands open
            # and mentions arriving every second, a refresh stays a sort, not a rescoring.
            if self._urg_at is None or abs((now - self._urg_at).total_seconds()) > _URGENCY_TTL:
                self._urg.clear()
                self._urg_at = now
            cache = self._urg
            for m in open_ms:
                if m.id not in cache:
                    cache[m.id] = self.urgency(m, now)
        if where is not None:
            open_ms = [m for m in open_ms if where(m)]
        ranks = {c: i for i, c in enumerate(self.rules.categories)}
        last = len(ranks)
        scored = [(ranks.get(m.verdict.category, last), -cache.get(m.id, 0.0), m) for m in open_ms]
        scored.sort(key=lambda t: (t[0], t[1], t[2].first_seen))
        heads: list[tuple[Mention, list[str], float, int]] = []
        seen_clusters: dict[str, int] = {}
        for rank, neg_u, m in scored:
            if group and m.cluster:
                idx = seen_clusters.get(m.cluster)
                if idx is not None:
                    heads[idx][1].append(m.id)
                    continue
                seen_clusters[m.cluster] = len(heads)
            heads.append((m, [m.id], -neg_u, rank))
        return [QueueItem(m, tuple(ids), u, r) for m, ids, u, r in heads]

    def incoming(self, limit: int = 500) -> list[Mention]:
        """Newest first, every state: what arrived."""
        with self._lock:
            ids = [i for _, i in self._arrivals[-limit:]]
        ids.reverse()
        return [m for m in map(self.get, ids) if m is not None]

    def counts(self) -> dict[str, int]:
        """Open mentions per category."""
        out = {c: 0 for c in self.rules.categories}
        for m in list(self._live.values()):
            if m.state == "open":
                out[m.verdict.category] = out.get(m.verdict.category, 0) + 1
        return out

    def breaches(self, now: datetime | None = None) -> int:
        now = now or self.clock()
        n = 0
        for m in list(self._live.values()):
            d = m.sla_deadline()
            if m.state == "open" and d is not None and d < now:
                n += 1
        return n

    # -- ingest --------------------------------------------------------------
    def _filtered(self, post: Post) -> bool:
        t = self.config.topic
        hay = f"{post.title}\n{post.text}".casefold()
        if any(p.casefold() in hay for p in t.exclude_phrases):
            return True
        if author_key(post) in {a.lstrip("@").casefold() for a in t.exclude_authors}:
            return True
        if t.active and post.source_kind not in ("demo", "ingest"):
            terms = [k.casefold() for k in t.keywords + t.hashtags]
            return not any(term in hay for term in terms)
        return False

    def _duplicate_of(self, post: Post) -> str | None:
        if post.id in self._ids:
            return post.id
        for u in (post.extra.get("canonical_url", ""), post.url, post.repost_of):
            if u and u in self._by_url:
                return self._by_url[u]
        if post.repost_of and post.repost_of in self._ids:
            return post.repost_of
        return None

    def ingest(self, posts: Iterable[Post]) -> IngestResult:
        """Classify and store new posts as one durable batch; dedupe across sources."""
        res = IngestResult()
        ops: list[Op] = []
        new: list[Mention] = []
        now = self.clock()
        heads: set[str] = set()  # stored mentions that became a cluster's first member
        with self._cluster_lock, self._lock:
            batch_ids: dict[str, Mention] = {}
            for post in posts:
                if self._filtered(post):
                    res.filtered += 1
                    continue
                dup = self._duplicate_of(post) or (post.id if post.id in batch_ids else None)
                if dup is not None:
                    res.duplicates += 1
                    held = batch_ids.get(dup) or self.get(dup)
                    if held is not None and post.source not in held.sources:
                        held.sources.append(post.source)
                        if dup in self._ids:
                            ops.append(patch(MENTIONS, dup, {"sources": list(held.sources)}))
                    continue
                verdict = self.rules.classify(post)
                m = Mention(post=post, verdict=verdict, first_seen=now, sources=[post.source])
                a = author_key(post)
                if verdict.spam:
                    m.state, m.state_by, m.closed_at = "spam", "rule", now
                elif verdict.muted:
                    m.state, m.state_by = "muted", "rule"
                elif a and a in self._muted:
                    m.state, m.state_by = "muted", "author-muted"
                if self.clusterer is not None and m.state == "open":
                    m.cluster = self.clusterer.assign(m.id, post.text, verdict.language, now)
                    head = batch_ids.get(m.cluster) or (self.get(m.cluster) if m.cluster else None)
                    if head is not None and not head.cluster:
                        # a second member joined: the first one now carries the cluster id
                        head.cluster = head.id
                        if head.id not in batch_ids:
                            self._clusters.setdefault(head.id, []).insert(0, head.id)
                            ops.append(patch(MENTIONS, head.id, {"cluster": head.id}))
                            heads.add(head.id)
                batch_ids[m.id] = m
                new.append(m)
                ops.append(put(MENTIONS, m.id, m.to_doc()))
                # the author wrote again: wake what was snoozed until then
                for other_id in self._author_ids.get(a, []) if a else []:
                    o = self._live.get(other_id)
                    if o is not None and o.state == "snoozed" and o.snooze_until_author:
                        ops.append(
                            patch(
                                MENTIONS,
                                o.id,
                                {
                                    "state": "open",
                                    "snooze_until": None,
                                    "snooze_until_author": False,
                                },
                            )
                        )
                        res.woken.append(o.id)
            if not ops:
                return res
            self.store.apply(ops)
            for wid in res.woken:
                w = self._live[wid]
                w.state, w.snooze_until, w.snooze_until_author = "open", None, False
            for m in new:
                self._index(m)
                res.added.append(m.id)
        self._notify(set(res.added) | set(res.woken) | heads)
        return res

    # -- triage actions --------------------------------------------------------
    def _change(
        self, label: str, ids: Iterable[str], fields: dict[str, Any], *, undoable: bool = True
    ) -> list[str]:
        """Apply the same field changes to many mentions as one durable batch."""
        with self._lock:
            targets = [m for m in map(self.get, dict.fromkeys(ids)) if m is not None]
            if not targets:
                return []
            before = [(m.id, {k: m.state_doc()[k] for k in fields}) for m in targets]
            doc_fields = {
                k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items()
            }
            self.store.apply([patch(MENTIONS, m.id, doc_fields) for m in targets])
            for m in targets:
                for k, v in fields.items():
                    setattr(m, k, v)
                self._home(m)
            if undoable:
                self._undo.append(_Undo(label, before))
                del self._undo[:-100]
        changed = {m.id for m in targets}
        self._notify(changed)
        return sorted(changed)

    def done(self, ids: Iterable[str]) -> list[str]:
        return self._change(
            "done", ids, {"state": "done", "closed_at": self.clock(), "state_by": "user"}
        )

    def spam(self, ids: Iterable[str]) -> list[str]:
        return self._change(
            "spam", ids, {"state": "spam", "closed_at": self.clock(), "state_by": "user"}
        )

    def reopen(self, ids: Iterable[str]) -> list[str]:
        return self._change("reopen", ids, {"state": "open", "closed_at": None, "state_by": ""})

    def snooze(
        self, ids: Iterable[str], until: datetime | None = None, *, until_author: bool = False
    ) -> list[str]:
        if until is None and not until_author:
            until = self.clock() + timedelta(hours=1)
        return self._change(
            "snooze",
            ids,
            {
                "state": "snoozed",
                "snooze_until": until,
                "snooze_until_author": until_author,
                "state_by": "user",
            },
        )

    def assign(self, ids: Iterable[str], who: str) -> list[str]:
        return self._change(f"assign to {who}", ids, {"assignee": who})

    def mute_author(self, mention_id: str) -> list[str]:
        m = self.get(mention_id)
        if m is None:
            return []
        a = author_key(m.post)
        if not a:
            return []
        ids = [
            i
            for i in self._author_ids.get(a, [])
            if i in self._live and self._live[i].state == "open"
        ]
        with self._lock:
            self.store.apply([put(MUTED, a, {"at": self.clock().isoformat()})])
            self._muted.add(a)
        changed = self._change(f"mute {a}", ids, {"state": "muted", "state_by": "author-muted"})
        if self._undo and self._undo[-1].label == f"mute {a}":
            self._undo[-1].extra_ops.append(Op("del", MUTED, a))
        elif not changed:
            self._undo.append(_Undo(f"mute {a}", [], [Op("del", MUTED, a)]))
        return changed

    def is_muted(self, post: Post) -> bool:
        return author_key(post) in self._muted

    def wake_due(self, now: datetime | None = None) -> list[str]:
        """Snoozed mentions whose time has come go back to the queue."""
        now = now or self.clock()
        due = [
            m.id
            for m in list(self._live.values())
            if m.state == "snoozed" and m.snooze_until is not None and m.snooze_until <= now
        ]
        if not due:
            return []
        return self._change(
            "wake", due, {"state": "open", "snooze_until": None, "state_by": ""}, undoable=False
        )

    def undo(self) -> str | None:
        """Revert the last action; returns what was undone, or None."""
        with self._lock:
            if not self._undo:
                return None
            u = self._undo.pop()
            ops: list[Op] = [patch(MENTIONS, mid, f) for mid, f in u.before if mid in self._ids]
            ops += u.extra_ops
            if ops:
                self.store.apply(ops)
            for mid, f in u.before:
                m = self.get(mid)
                if m is None:
                    continue
                restored = Mention.from_doc({**m.to_doc(), **f})
                for k in f:
                    setattr(m, k, getattr(restored, k))
                self._home(m)
            for op in u.extra_ops:
                if op.table == MUTED and op.kind == "del":
                    self._muted.discard(op.key)
        self._notify({mid for mid, _ in u.before})
        return u.label

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    # -- drafts and replies -------------------------------------------------------
    def draft(self, mention_id: str) -> str:
        d = self.store.get(DRAFTS, mention_id)
        return str(d.get("text", "")) if d else ""

    def drafts(self) -> dict[str, str]:
        return {k: str(d.get("text", "")) for k, d in self.store.items(DRAFTS)}

    def save_draft(self, mention_id: str, text: str) -> None:
        """Durable on return. An empty draft is removed."""
        with self._lock:
            if text.strip():
                self.store.apply(
                    [put(DRAFTS, mention_id, {"text": text, "at": self.clock().isoformat()})]
                )
            elif self.store.get(DRAFTS, mention_id) is not None:
                self.store.apply([Op("del", DRAFTS, mention_id)])
        self._notify({mention_id})

    def record_reply(self, ids: Iterable[str], reply: Reply) -> list[str]:
        """A reply went out: keep it, close the mentions, drop the drafts."""
        with self._lock:
            targets = [m for m in map(self.get, dict.fromkeys(ids)) if m is not None]
            ops: list[Op] = []
            for m in targets:
                first = m.first_response_at or reply.at
                m.replies.append(reply)
                ops.append(
                    patch(
                        MENTIONS,
                        m.id,
                        {
                            "replies": [r.to_doc() for r in m.replies],
                            "first_response_at": first.isoformat(),
                            "state": "done",
                            "closed_at": reply.at.isoformat(),
                            "state_by": "reply",
                        },
                    )
                )
                ops.append(Op("del", DRAFTS, m.id))
            if ops:
                self.store.apply(ops)
            for m in targets:
                m.first_response_at = m.first_response_at or reply.at
                m.state, m.closed_at, m.state_by = "done", reply.at, "reply"
                self._home(m)
        ids_done = {m.id for m in targets}
        self._notify(ids_done)
        return sorted(ids_done)

    # -- sources' state and health --------------------------------------------
    def get_source_state(self, name: str) -> dict[str, Any]:
        return dict(self.store.get(SOURCE_STATE, name) or {})

    def set_source_state(self, name: str, state: dict[str, Any]) -> None:
        with self._lock:
            self.store.apply([put(SOURCE_STATE, name, dict(state))])

    def set_source_health(self, name: str, health: dict[str, Any]) -> None:
        with self._lock:
            self.store.apply([put(SOURCE_HEALTH, name, dict(health))])
        self._notify(set())

    def source_health(self) -> dict[str, dict[str, Any]]:
        return {k: dict(v) for k, v in self.store.items(SOURCE_HEALTH)}

    # -- rules and housekeeping -----------------------------------------------
    def set_rules(self, rules: RuleSet) -> int:
        """New rules: reclassify open mentions. Returns how many changed category."""
        self.rules = rules
        changed = 0
        with self._lock:
            ops: list[Op] = []
            for m in list(self._live.values()):
                if m.state != "open":
                    continue
                v = rules.classify(m.post)
                if v != m.verdict:
                    changed += v.category != m.verdict.category
                    m.verdict = v
                    ops.append(patch(MENTIONS, m.id, {"verdict": v.to_dict()}))
            if ops:
                self.store.apply(ops)
        self._notify(set())
        return changed

    def archive_closed(self, now: datetime | None = None) -> int:
        """Mentions closed more than `archive_after_days` ago move to monthly files.

        Reading every stored mention costs ~0.5 s at 100,000 (each is decoded),
        so the scan runs without the inbox lock and the moves go a few hundred
        at a time: key presses wait for one chunk, never for the whole pass.
        Mentions that changed meanwhile (`_home` notes them) are judged again,
        from their current objects, before they move.
        """
        now = now or self.clock()
        limit = (now - timedelta(days=self.config.archive_after_days)).isoformat()
        touched: set[str] = set()  # ids changed while the archive runs
        with self._archive_lock:
            with self._lock:
                self._touched = touched
            try:
                found: dict[str, tuple[str, str]] = {}  # id -> (closed_at, url)
                for key, doc in self.store.items(MENTIONS):
                    closed = doc.get("closed_at")
                    if doc.get("state") in CLOSED_STATES and closed and closed < limit:
                        found[key] = (closed, (doc.get("post") or {}).get("url", ""))
                keys = list(found)
                moved = 0
                gone: set[str] = set()
                for start in range(0, len(keys), _ARCHIVE_CHUNK):
                    with self._lock:
                        chunk = {}
                        for k in keys[start : start + _ARCHIVE_CHUNK]:
                            if k in touched:
                                m = self.get(k)
                                closed = m.closed_at.isoformat() if m and m.closed_at else ""
                                if m is None or m.state not in CLOSED_STATES or not closed:
                                    continue
                                if closed >= limit:
                                    continue
                                found[k] = (closed, found[k][1])
                            chunk[k] = found[k]
                        moved += self._archive_chunk(chunk)
                        gone.update(chunk)
                    time.sleep(0)  # let a waiting key press take the lock before the next chunk
                if gone:
                    with self._lock:
                        self._arrivals = [a for a in self._arrivals if a[1] not in gone]
            finally:
                with self._lock:
                    self._touched = None
        return moved

    def _archive_chunk(self, chunk: dict[str, tuple[str, str]]) -> int:
        """Move these closed mentions (id -> (closed_at, url)) to the archive. Lock held."""
        if not chunk:
            return 0
        moves: dict[str, list[str]] = {}
        for k, (closed, _url) in chunk.items():
            moves.setdefault(closed[:7], []).append(k)
        # ids stay known (dedupe must still see them); author counts keep history
        self.store.apply(
            [put(ARCHIVED, k, {"u": url} if url else {}) for k, (_c, url) in chunk.items()]
        )
        n = self.store.archive(MENTIONS, moves)
        for k in chunk:
            self._cache.pop(k, None)
        return n
