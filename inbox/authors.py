"""Author profiles across sources: who writes often, how they feel, who they move.

A community manager answers people, not posts: the same handle on Mastodon and
Bluesky is one author (the inbox's author key). Fans and detractors are frequent
authors whose mentions lean positive or negative. Influence is not follower count
alone: an author whose complaint started a cluster others joined, or whose post
drew replies and quotes, moved the conversation whatever their reach.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from inbox.rows import Row

__all__ = ["AuthorProfile", "AuthorLists", "author_lists", "profiles"]

FREQUENT = 2  # mentions an author needs to be called a fan or a detractor
LEAN = 0.25  # mean compound sentiment beyond which an author leans one way


@dataclass
class AuthorProfile:
    key: str
    name: str
    count: int = 0
    in_period: int = 0
    positive: int = 0
    negative: int = 0
    sentiment_sum: float = 0.0
    reach: int = 0  # the most followers seen on any source
    sources: set[str] = field(default_factory=set)
    answered: int = 0
    unanswered_open: int = 0
    drew: int = 0  # others' mentions this author's mentions drew (cluster joins, replies, quotes)
    first: datetime | None = None
    last: datetime | None = None
    vip: bool = False
    rows: list[Row] = field(default_factory=list, repr=False)

    @property
    def example_ids(self) -> list[str]:
        """The author's three newest mentions, newest first."""
        return [r.id for r in heapq.nlargest(3, self.rows, key=lambda r: r.created)]

    @property
    def mean_sentiment(self) -> float:
        return self.sentiment_sum / self.count if self.count else 0.0

    @property
    def influence(self) -> float:
        """Reach on a log scale plus what the author drew, so a small account whose
        complaint twenty people echoed outranks a silent large one."""
        return math.log10(1 + self.reach) + 2.0 * math.log2(1 + self.drew)

    def timeline(self) -> list[tuple[str, float]]:
        """Mean sentiment per day, oldest first (worked out only for authors shown)."""
        days: dict[str, list[float]] = {}
        for r in self.rows:
            acc = days.setdefault(r.created.date().isoformat(), [0.0, 0.0])
            acc[0] += r.compound
            acc[1] += 1
        return [(d, s / n) for d, (s, n) in sorted(days.items())]


@dataclass
class AuthorLists:
    fans: list[AuthorProfile]
    detractors: list[AuthorProfile]
    influencers: list[AuthorProfile]
    vips: list[AuthorProfile]


def profiles(
    rows: Iterable[Row],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    vip: Iterable[str] = (),
) -> dict[str, AuthorProfile]:
    """One profile per author from every row before `until`; `in_period` counts [since, until)."""
    vips = {v.strip().lstrip("@").casefold() for v in vip}
    groups: dict[str, list[Row]] = {}
    pointed: set[str] = set()  # remote ids and urls other posts reply to or quote
    heads: dict[str, str] = {}  # cluster id -> author of its first member
    for r in rows:
        if not r.author or r.state == "spam" or (until is not None and r.created >= until):
            continue
        lst = groups.get(r.author)
        if lst is None:
            groups[r.author] = [r]
        else:
            lst.append(r)
        if r.in_reply_to:
            pointed.add(r.in_reply_to)
        if r.repost_of:
            pointed.add(r.repost_of)
        if r.cluster and r.cluster == r.id:
            heads[r.id] = r.author
    out: dict[str, AuthorProfile] = {}
    by_remote: dict[str, str] = {}
    for a, lst in groups.items():
        p = out[a] = AuthorProfile(a, lst[-1].author_name, vip=a in vips)
        _fill(p, lst, since)
        if pointed:
            for r in lst:
                for k in (r.remote_id, r.url):
                    if k and k in pointed:
                        by_remote[k] = a
    if pointed or heads:  # what each author's mentions drew from others
        for a, lst in groups.items():
            for r in lst:
                drawn_by = set()
                if r.cluster and r.cluster != r.id:
                    drawn_by.add(heads.get(r.cluster, ""))
                for k in (r.in_reply_to, r.repost_of):
                    if k:
                        drawn_by.add(by_remote.get(k, ""))
                for b in drawn_by:
                    if b and b != a:
                        out[b].drew += 1
    return out


def _fill(p: AuthorProfile, lst: list[Row], since: datetime | None) -> None:
    p.rows = lst
    p.count = len(lst)
    p.in_period = p.count if since is None else sum(1 for r in lst if r.created >= since)
    p.sentiment_sum = sum(r.compound for r in lst)
    sent = [r.sentiment for r in lst]
    p.positive = sent.count("positive")
    p.negative = sent.count("negative")
    p.reach = max(r.followers for r in lst)
    p.sources = {r.source_kind or r.source for r in lst}
    p.answered = sum(1 for r in lst if r.first_response is not None)
    p.unanswered_open = sum(1 for r in lst if r.first_response is None and r.state == "open")
    p.first = min(r.created for r in lst)
    p.last = max(r.created for r in lst)


def author_lists(profs: dict[str, AuthorProfile], top: int = 10) -> AuthorLists:
    """Fans, detractors and influencers among authors active in the period, and the VIPs."""
    active = [p for p in profs.values() if p.in_period > 0]
    fans = [
        p
        for p in active
        if p.count >= FREQUENT and p.mean_sentiment >= LEAN and p.positive > p.negative
    ]
    fans.sort(key=lambda p: (-p.positive, -p.mean_sentiment, p.key))
    det = [
        p
        for p in active
        if p.count >= FREQUENT and p.mean_sentiment <= -LEAN and p.negative > p.positive
    ]
    det.sort(key=lambda p: (-p.negative, p.mean_sentiment, p.key))
    infl = [p for p in active if p.reach > 0 or p.drew > 0]
    infl.sort(key=lambda p: (-p.influence, -p.reach, p.key))
    vips = sorted((p for p in active if p.vip), key=lambda p: (-p.in_period, p.key))
    return AuthorLists(fans[:top], det[:top], infl[:top], vips[:top])
