"""Near-duplicate grouping as mentions arrive: one queue row for one complaint said many ways.

A crisis shows as the same complaint in other words, retweets with a comment and
copy-pasted posts. Each mention becomes a set of word stems; an inverted index from
stem to recent mentions finds the few candidates that share its rarest stems, and
each candidate is scored by IDF-weighted overlap plus rapidfuzz's `token_set_ratio`
on the sorted stems (which forgives typos and treats "quote + comment" as a superset).

The index only holds a recent window (hours and a document cap), so the cost of
one `assign` depends on the window, not on the size of the store; `bench_insights`
measures it at 10k and 100k mentions.

A cluster's id is its first member's mention id. A mention alone gets "" from
`assign`; when a second one joins, `assign` returns the first one's id and the
inbox stamps the first member with it too.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from inbox.model import Mention
from inbox.terms import content_words, stem

__all__ = ["Clusterer"]

MAX_TEXT = 2_000
"""Characters of a mention the clusterer reads."""


@dataclass(slots=True)
class _Doc:
    seq: int
    id: str
    at: float
    lang: str
    stems: frozenset[str]
    key: str  # sorted stems joined by spaces, for rapidfuzz


class Clusterer:
    """Assigns each new mention to the cluster of its nearest recent near-duplicate.

    `threshold` is the score (0..1) a candidate must reach; `window_hours` and
    `max_docs` bound the index; `probe` is how many of a mention's rarest stems are
    looked up; `max_postings` caps how far back one stem's list is read.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        window_hours: float = 72.0,
        max_docs: int = 50_000,
        probe: int = 6,
        max_postings: int = 300,
        candidates: int = 24,
    ) -> None:
        self.threshold = threshold
        self.window_s = window_hours * 3600.0
        self.max_docs = max_docs
        self.probe = probe
        self.max_postings = max_postings
        self.candidates = candidates
        self._lock = threading.Lock()
        self._docs: deque[_Doc] = deque()
        self._by_seq: dict[int, _Doc] = {}
        self._postings: dict[str, deque[int]] = {}
        self._cluster: dict[str, str] = {}  # mention id -> cluster id, for indexed mentions
        self._seq = 0
        self._latest = -math.inf

    def __len__(self) -> int:
        return len(self._docs)

    # -- public --------------------------------------------------------------
    def assign(self, mention_id: str, text: str, lang: str, at: datetime) -> str:
        """The cluster id for a new mention ("" when it has no near-duplicate yet)."""
        with self._lock:
            return self._add(mention_id, text, lang, at.timestamp(), None)

    def load(self, mentions: Iterable[Mention]) -> int:
        """Rebuild the index from stored mentions at start, keeping their clusters.

        Only the window before the newest mention is indexed; spam and muted
        mentions never joined clusters at ingest, so they stay out here too.
        """
        ms = [m for m in mentions if m.state not in ("spam", "muted")]
        if not ms:
            return 0
        ms.sort(key=lambda m: m.first_seen)
        newest = ms[-1].first_seen.timestamp()
        with self._lock:
            n = 0
            for m in ms:
                at = m.first_seen.timestamp()
                if at < newest - self.window_s:
                    continue
                text = f"{m.post.title}\n{m.post.text}" if m.post.title else m.post.text
                self._add(m.id, text, m.verdict.language, at, m.cluster)
                n += 1
            return n

    def cluster_of(self, mention_id: str) -> str:
        """The cluster id the index holds for a mention, "" when alone or not indexed."""
        return self._cluster.get(mention_id, "")

    # -- internals -------------------------------------------------------------
    def _add(self, mid: str, text: str, lang: str, at: float, known: str | None) -> str:
        # Near-duplicates show in their opening lines; reading a stranger's whole essay
        # (20,000 characters from a feed) made one assign cost tens of milliseconds.
        stems = frozenset(stem(w) for w in content_words(text[:MAX_TEXT]))
        if at > self._latest:
            self._latest = at
        self._evict()
        if known is None:
            cid = self._match(stems, lang) if stems else ""
        else:
            cid = known
        if not stems:
            return cid
        self._seq += 1
        doc = _Doc(self._seq, mid, at, lang, stems, " ".join(sorted(stems)))
        self._docs.append(doc)
        self._by_seq[doc.seq] = doc
        for s in stems:
            self._postings.setdefault(s, deque()).append(doc.seq)
        if cid:
            self._cluster[mid] = cid
            self._cluster.setdefault(cid, cid)
        return cid

    def _match(self, stems: frozenset[str], lang: str) -> str:
        n = len(self._docs)
        if n == 0:
            return ""
        post = self._postings
        probes = sorted((s for s in stems if s in post), key=lambda s: len(post[s]))
        if not probes:
            return ""
        hits: Counter[int] = Counter()
        for s in probes[: self.probe]:
            lst = post[s]
            for i in range(len(lst) - 1, max(-1, len(lst) - 1 - self.max_postings), -1):
                hits[lst[i]] += 1
        need = 1 if len(stems) <= 2 else 2
        best_score, best = 0.0, None
        idf: dict[str, float] = {}  # stem weights, computed once per assign
        key = " ".join(sorted(stems))
        for seq, h in hits.most_common(self.candidates):
            if h < need:
                break
            d = self._by_seq.get(seq)
            if d is None or (lang and d.lang and lang != d.lang and "und" not in (lang, d.lang)):
                continue
            sc = self._score(stems, key, d, idf)
            if sc > best_score:
                best_score, best = sc, d
        if best is None or best_score < self.threshold:
            return ""
        return self._cluster.get(best.id) or best.id

    def _weight(self, s: str, n: int, cache: dict[str, float]) -> float:
        w = cache.get(s)
        if w is None:
            df = len(self._postings.get(s, ()))
            w = math.log((n + 1) / (df + 1)) + 1.0
            cache[s] = w
        return w

    def _score(self, stems: frozenset[str], key: str, d: _Doc, cache: dict[str, float]) -> float:
        """IDF-weighted Jaccard and containment, blended with rapidfuzz's set ratio."""
        n = len(self._docs)
        shared = stems & d.stems
        if not shared:
            return 0.0
        w_shared = sum(self._weight(s, n, cache) for s in shared)
        w_a = sum(self._weight(s, n, cache) for s in stems)
        w_b = sum(self._weight(s, n, cache) for s in d.stems)
        jaccard = w_shared / (w_a + w_b - w_shared)
        if min(len(stems), len(d.stems)) >= 3:
            # one text holding most of the other: a quote with a comment, an echo
            contain = w_shared / min(w_a, w_b)
            fuzzy = fuzz.token_set_ratio(key, d.key) / 100.0
        else:  # two words in common say little: short texts must be near copies
            contain = jaccard
            fuzzy = fuzz.ratio(key, d.key) / 100.0
        return 0.4 * max(jaccard, 0.75 * contain) + 0.6 * fuzzy * (0.5 + 0.5 * contain)

    def _evict(self) -> None:
        floor_at = self._latest - self.window_s
        docs = self._docs
        while docs and (len(docs) >= self.max_docs or docs[0].at < floor_at):
            d = docs.popleft()
            self._by_seq.pop(d.seq, None)
            self._cluster.pop(d.id, None)  # members keep the head's id: it stays valid
            for s in d.stems:
                lst = self._postings.get(s)
                if lst is None:
                    continue
                while lst and lst[0] <= d.seq:
                    lst.popleft()
                if not lst:
                    del self._postings[s]
