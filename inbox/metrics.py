"""The figures marketing, support and PR ask for, for one period, with their examples.

Volume over time per category, sentiment split, top terms and hashtags against the
previous period of the same length, top clusters, sources' share, response times
(median and p90 time to first response per category, share within the SLA, open
items breaching it) and the author lists. Every headline figure keeps two or
three example mentions: stakeholders trust numbers they can see.

Definitions a spreadsheet can redo from `veille export`:
- a mention is in the period when `since <= created_at < until`; spam is left out
  of every figure (counted apart);
- response time is `first_response_at - created_at` (as `response_minutes` in the
  export); p90 is the nearest-rank percentile (the ceil(0.9 n)-th smallest);
- the SLA runs from `first_seen`; a mention is judged when it was answered or is
  still open past its deadline; "within" is answered by the deadline;
- open items breaching are every open mention past its deadline now, whatever
  the period (a breach is a present fact).
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from operator import attrgetter

from inbox.authors import AuthorProfile, author_lists, profiles
from inbox.rows import Row, bulk
from inbox.terms import normalise, terms

__all__ = [
    "ClusterFigure",
    "Example",
    "Insights",
    "ResponseFigure",
    "TermCache",
    "TermChange",
    "add_later",
    "compute",
    "nearest_rank",
]

EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    author: str
    text: str
    created: datetime
    source: str
    url: str
    category: str
    sentiment: str


@dataclass(slots=True)
class TermChange:
    term: str
    count: int  # mentions carrying it in the period
    previous: int  # in the previous period of the same length
    examples: list[str] = field(default_factory=list)

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def change_pct(self) -> float | None:
        return None if self.previous == 0 else 100.0 * self.change / self.previous


@dataclass(slots=True)
class ClusterFigure:
    id: str
    count: int  # members in the period
    open: int
    text: str  # the first member's text (or the earliest in the period)
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ResponseFigure:
    category: str
    mentions: int
    answered: int
    median_minutes: float | None
    p90_minutes: float | None
    sla_minutes: int | None
    judged: int  # answered, or open past the deadline
    within: int  # answered by the deadline
    breaching_open: int  # open now and past the deadline (any period)
    examples: list[str] = field(default_factory=list)

    @property
    def share_within(self) -> float | None:
        return self.within / self.judged if self.judged else None


@dataclass
class Insights:
    since: datetime
    until: datetime
    now: datetime
    bucket: timedelta
    categories: list[str]
    total: int = 0
    previous_total: int = 0
    spam: int = 0
    volume: dict[str, list[int]] = field(default_factory=dict)
    sentiment: dict[str, int] = field(default_factory=dict)
    sources: list[tuple[str, int]] = field(default_factory=list)
    terms: list[TermChange] = field(default_factory=list)
    hashtags: list[TermChange] = field(default_factory=list)
    clusters: list[ClusterFigure] = field(default_factory=list)
    response: list[ResponseFigure] = field(default_factory=list)
    overall: ResponseFigure | None = None
    breaching: int = 0
    fans: list[AuthorProfile] = field(default_factory=list)
    detractors: list[AuthorProfile] = field(default_factory=list)
    influencers: list[AuthorProfile] = field(default_factory=list)
    vips: list[AuthorProfile] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)  # figure key -> mention ids
    mentions: dict[str, Example] = field(default_factory=dict)  # every example, by id
    terms_done: bool = False
    authors_done: bool = False

    def bucket_starts(self) -> list[datetime]:
        n = len(next(iter(self.volume.values()), []))
        return [self.since + i * self.bucket for i in range(n)]

    def share(self, n: int) -> float:
        return n / self.total if self.total else 0.0


def nearest_rank(sorted_values: Sequence[float], q: float) -> float | None:
    """The nearest-rank percentile: the ceil(q n)-th smallest value."""
    if not sorted_values:
        return None
    k = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[k - 1]


class TermCache:
    """Terms per mention id: a post's text never changes, so each is tokenised once."""

    def __init__(self, limit: int = 400_000) -> None:
        self.limit = limit
        self._d: dict[str, frozenset[str]] = {}

    def get(self, r: Row) -> frozenset[str]:
        t = self._d.get(r.id)
        if t is None:
            if len(self._d) >= self.limit:
                self._d.clear()
            t = frozenset(terms(f"{r.title}\n{r.text}" if r.title else r.text))
            self._d[r.id] = t
        return t


_TERMS = TermCache()


def choose_bucket(span: timedelta) -> timedelta:
    """Hours for a period of two days or less, days beyond: a readable chart either way."""
    return timedelta(hours=1) if span <= timedelta(days=2) else timedelta(days=1)


_CREATED = attrgetter("created")


def _newest(rows: list[Row], n: int = EXAMPLES) -> list[Row]:
    return heapq.nlargest(n, rows, key=_CREATED)


def compute(
    rows: Iterable[Row],
    since: datetime,
    until: datetime | None = None,
    *,
    now: datetime | None = None,
    categories: Sequence[str] = (),
    vip: Iterable[str] = (),
    brand: str = "",
    top: int = 10,
    with_terms: bool = True,
    with_authors: bool = True,
    term_cache: TermCache | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Insights:
    """Every figure for `[since, until)` from the given rows (all of the store's)."""
    with bulk():
        return _compute(
            rows,
            since,
            until,
            now,
            categories,
            vip,
            brand,
            top,
            with_terms,
            with_authors,
            term_cache,
            cancelled,
        )


def _compute(
    rows: Iterable[Row],
    since: datetime,
    until: datetime | None,
    now: datetime | None,
    categories: Sequence[str],
    vip: Iterable[str],
    brand: str,
    top: int,
    with_terms: bool,
    with_authors: bool,
    term_cache: TermCache | None,
    cancelled: Callable[[], bool],
) -> Insights:
    now = now or datetime.now(timezone.utc)
    until = until or now
    span = until - since
    # The period before a --since near year 1 would start before datetime.min.
    earliest = datetime.min.replace(tzinfo=timezone.utc)
    prev_since = since - span if since - earliest > span else earliest
    bucket = choose_bucket(span)
    nb = max(1, math.ceil(span / bucket))
    bsec = bucket.total_seconds()
    since_ts = since.timestamp()
    all_rows = rows if isinstance(rows, list) else list(rows)
    cats = list(categories)
    ins = Insights(since=since, until=until, now=now, bucket=bucket, categories=cats)
    volume: dict[str, list[int]] = {c: [0] * nb for c in cats}
    sentiment: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    period: list[Row] = []
    previous: list[Row] = []
    by_cat: dict[str, list[Row]] = {}
    by_sent: dict[str, list[Row]] = {}
    by_source: dict[str, list[Row]] = {}
    cluster_rows: dict[str, list[Row]] = {}
    heads: dict[str, Row] = {}
    breaching_rows: list[Row] = []
    breach_by_cat: Counter[str] = Counter()
    for r in all_rows:
        if r.state == "open" and r.sla_minutes is not None:
            d = r.sla_deadline
            if d is not None and d < now:
                breaching_rows.append(r)
                breach_by_cat[r.category] += 1
        c = r.created
        if r.state == "spam":
            if since <= c < until:
                ins.spam += 1
            continue
        if r.cluster == r.id:
            heads[r.id] = r
        if c < since:
            if c >= prev_since:
                previous.append(r)
            continue
        if c >= until:
            continue
        period.append(r)
        cat = r.category
        vol = volume.get(cat)
        if vol is None:
            vol = volume[cat] = [0] * nb
            cats.append(cat)
        vol[min(nb - 1, int((c.timestamp() - since_ts) // bsec))] += 1
        sentiment[r.sentiment] += 1
        kind = r.source_kind or r.source or "unknown"  # never an empty name in a table
        sources[kind] += 1
        by_cat.setdefault(cat, []).append(r)
        by_sent.setdefault(r.sentiment, []).append(r)
        by_source.setdefault(kind, []).append(r)
        if r.cluster:
            cluster_rows.setdefault(r.cluster, []).append(r)
    ins.total = len(period)
    ins.previous_total = len(previous)
    ins.volume = volume
    ins.sentiment = {k: sentiment.get(k, 0) for k in ("negative", "neutral", "positive")}
    ins.sources = sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))
    ex: dict[str, list[Row]] = {"total": _newest(period), "breaching": _newest(breaching_rows)}
    for k, lst in by_cat.items():
        ex[f"category:{k}"] = _newest(lst)
    for k, lst in by_sent.items():
        ex[f"sentiment:{k}"] = _newest(lst)
    for k, lst in by_source.items():
        ex[f"source:{k}"] = _newest(lst)

    # clusters: the first member may predate the period, or not carry the id yet
    figs: list[ClusterFigure] = []
    members_of: dict[str, list[Row]] = {}
    by_id = {r.id: r for r in period}
    for cid, members in cluster_rows.items():
        head = heads.get(cid) or by_id.get(cid)
        ms = members
        if head is not None and head.cluster != cid and head.id in by_id:
            ms = members + [head]
        if len(ms) < 2:
            continue
        first = head or min(ms, key=lambda r: r.created)
        figs.append(
            ClusterFigure(
                id=cid,
                count=len(ms),
                open=sum(1 for r in ms if r.state == "open"),
                text=first.text or first.title,
            )
        )
        members_of[cid] = ms
    figs.sort(key=lambda f: (-f.count, f.id))
    ins.clusters = figs[:top]
    for f in ins.clusters:
        ex[f"cluster:{f.id}"] = _newest(members_of[f.id])

    # response times per category, then overall
    ins.breaching = len(breaching_rows)
    resp: list[ResponseFigure] = []
    for cat in cats:
        lst = by_cat.get(cat, [])
        if not lst and not breach_by_cat.get(cat):
            continue
        resp.append(_response(cat, lst, now, breach_by_cat.get(cat, 0)))
        ex[f"response:{cat}"] = _newest([r for r in lst if r.first_response is not None])
    ins.response = resp
    ins.overall = _response("all", period, now, len(breaching_rows))

    if with_authors and not cancelled():
        _authors(ins, all_rows, by_id, vip, top, ex)
    if with_terms and not cancelled():
        _terms(ins, period, previous, brand, top, term_cache or _TERMS, ex)
    _keep_examples(ins, ex)
    for f in ins.clusters:
        f.examples = ins.examples.get(f"cluster:{f.id}", [])
    for rf in ins.response:
        rf.examples = ins.examples.get(f"response:{rf.category}", [])
    return ins


def _keep_examples(ins: Insights, ex: dict[str, list[Row]]) -> None:
    for k, lst in ex.items():
        ins.examples[k] = [r.id for r in lst]
        for r in lst:
            ins.mentions.setdefault(r.id, _example(r))


def _authors(
    ins: Insights,
    rows: list[Row],
    by_id: dict[str, Row],
    vip: Iterable[str],
    top: int,
    ex: dict[str, list[Row]],
) -> None:
    profs = profiles(rows, since=ins.since, until=ins.until, vip=vip)
    lists = author_lists(profs, top=top)
    ins.fans, ins.detractors = lists.fans, lists.detractors
    ins.influencers, ins.vips = lists.influencers, lists.vips
    for label, group in (
        ("fan", ins.fans),
        ("detractor", ins.detractors),
        ("influencer", ins.influencers),
        ("vip", ins.vips),
    ):
        for p in group:
            ex[f"{label}:{p.key}"] = [by_id[i] for i in p.example_ids if i in by_id]
    ins.authors_done = True


def add_later(
    ins: Insights,
    rows: list[Row],
    *,
    vip: Iterable[str] = (),
    brand: str = "",
    top: int = 10,
    term_cache: TermCache | None = None,
) -> Insights:
    """The slower stages (author lists, then terms) for a screen that paints the rest first."""
    with bulk():
        prev_since = ins.since - (ins.until - ins.since)
        period: list[Row] = []
        previous: list[Row] = []
        for r in rows:
            if r.state == "spam":
                continue
            c = r.created
            if ins.since <= c < ins.until:
                period.append(r)
            elif prev_since <= c < ins.since:
                previous.append(r)
        ex: dict[str, list[Row]] = {}
        if not ins.authors_done:
            _authors(ins, rows, {r.id: r for r in period}, vip, top, ex)
        if not ins.terms_done:
            _terms(ins, period, previous, brand, top, term_cache or _TERMS, ex)
        _keep_examples(ins, ex)
    return ins


def _terms(
    ins: Insights,
    period: list[Row],
    previous: list[Row],
    brand: str,
    top: int,
    cache: TermCache,
    ex: dict[str, list[Row]],
) -> None:
    stop = {normalise(w).lstrip("#@") for w in brand.split()}
    stop |= {"#" + w for w in stop}
    now_c: Counter[str] = Counter()
    prev_c: Counter[str] = Counter()
    get = cache.get
    for r in period:
        now_c.update(get(r))
    for r in previous:
        prev_c.update(get(r))
    for w in stop:
        now_c.pop(w, None)
    words = [(t, n) for t, n in now_c.items() if not t.startswith("#")]
    tags = [(t, n) for t, n in now_c.items() if t.startswith("#")]
    words.sort(key=lambda kv: (-kv[1], kv[0]))
    tags.sort(key=lambda kv: (-kv[1], kv[0]))
    ins.terms = [TermChange(t, n, prev_c.get(t, 0)) for t, n in words[:top]]
    ins.hashtags = [TermChange(t, n, prev_c.get(t, 0)) for t, n in tags[:top]]
    wanted = {tc.term: tc for tc in ins.terms + ins.hashtags}
    found: dict[str, list[Row]] = {t: [] for t in wanted}
    pending = set(wanted)
    for r in sorted(period, key=lambda r: r.created, reverse=True):
        if not pending:
            break
        for t in pending & get(r):
            found[t].append(r)
            if len(found[t]) >= EXAMPLES:
                pending.discard(t)
    for t, lst in found.items():
        ex[f"term:{t}"] = lst
        wanted[t].examples = [r.id for r in lst]
    ins.terms_done = True


def _response(cat: str, rows: list[Row], now: datetime, breaching: int) -> ResponseFigure:
    times: list[float] = []
    judged = within = 0
    sla: int | None = None
    for r in rows:
        rm = r.response_minutes
        if rm is not None:
            times.append(rm)
        if r.sla_minutes is None:
            continue
        sla = r.sla_minutes if sla is None else max(sla, r.sla_minutes)
        d = r.sla_deadline
        assert d is not None
        if r.first_response is not None:
            judged += 1
            if r.first_response <= d:
                within += 1
        elif r.state == "open" and d < now:
            judged += 1
    times.sort()
    return ResponseFigure(
        category=cat,
        mentions=len(rows),
        answered=len(times),
        median_minutes=statistics.median(times) if times else None,
        p90_minutes=nearest_rank(times, 0.9),
        sla_minutes=sla,
        judged=judged,
        within=within,
        breaching_open=breaching,
    )


def _example(r: Row) -> Example:
    return Example(
        id=r.id,
        author=r.author_name,
        text=(r.text or r.title)[:280],
        created=r.created,
        source=r.source_kind or r.source or "unknown",
        url=r.url,
        category=r.category,
        sentiment=r.sentiment,
    )
