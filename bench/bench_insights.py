"""Insights at scale: the screen's figures and a report for 100,000 stored mentions,
and near-duplicate clustering throughput as the store grows (10k vs 100k).

Targets: the insights screen's figures in under 1 s, a report written in under
5 s, and clustering throughput at 100k within a small factor of 10k (the index
holds a bounded recent window, so it must not degrade with the store's size).
"""

from __future__ import annotations

import io
import random
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from inbox import Inbox, MemoryStore
from inbox.clusters import Clusterer
from inbox.model import Mention
from inbox.store import put
from rules.verdict import Reason, Sentiment, Verdict
from sources.models import Post

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
CATS = ("question", "complaint", "suggestion", "praise", "other")
SLA = {"question": 60, "complaint": 60}

_SUBJECTS = [
    "the app",
    "sync",
    "the dark mode",
    "billing",
    "the export",
    "login",
    "notifications",
    "the widget",
    "support",
    "the update",
]
_EN = [
    "{s} keeps crashing every time I open it",
    "why is {s} so slow today?",
    "love {s}, great work #nimbus",
    "would be nice if {s} had an offline option",
    "{s} is broken again, I want a refund",
    "how do I reset {s}?",
]
_FR = [
    "{s} plante à chaque ouverture",
    "j'adore {s}, bravo l'équipe",
    "comment configurer {s} ?",
    "ce serait bien que {s} fonctionne hors ligne",
]
_AR = ["التطبيق يتوقف عن العمل كل مرة", "أحب هذا التطبيق كثيرا", "كيف أغير كلمة المرور؟"]


class BenchRules:
    """Stands in for the rule packs: the bench measures insights, not classification."""

    categories = CATS

    def sla_minutes(self, category: str) -> int | None:
        return SLA.get(category)

    def classify(self, post: Any) -> Verdict:
        return _verdict("other", 0.0, "en")

    def urgency(self, verdict: Verdict, waited: float, followers: int = 0, seen_before: int = 0):
        return verdict.priority + waited / 60.0


def _verdict(cat: str, comp: float, lang: str) -> Verdict:
    label = "positive" if comp >= 0.05 else "negative" if comp <= -0.05 else "neutral"
    return Verdict(
        category=cat,
        labels=(cat,) if cat != "other" else (),
        sentiment=Sentiment(comp, label),
        language=lang,
        priority=1.0,
        sla_minutes=SLA.get(cat),
        reasons=(Reason("bench", f"label:{cat}"),),
    )


def synthetic(n: int, days: int = 30, seed: int = 7) -> list[Mention]:
    """`n` mentions spread over `days` days before NOW, in en/fr/ar, some answered."""
    rnd = random.Random(seed)
    out: list[Mention] = []
    span = days * 86400
    authors = max(50, n // 20)
    for i in range(n):
        created = NOW - timedelta(seconds=span * (1 - i / n) + rnd.random() * 60)
        lang = rnd.choices(("en", "fr", "ar"), (6, 3, 1))[0]
        pool = _EN if lang == "en" else _FR if lang == "fr" else _AR
        text = rnd.choice(pool).format(s=rnd.choice(_SUBJECTS)) + f" {rnd.randrange(10_000)}"
        cat = rnd.choice(CATS)
        comp = round(rnd.uniform(-1, 1), 3)
        a = rnd.randrange(authors)
        post = Post(
            id=f"bench:{i}",
            text=text,
            source=rnd.choice(("mastodon:#nimbus", "bluesky:nimbus", "feed:news", "hn")),
            source_kind=rnd.choice(("mastodon", "bluesky", "feed", "hackernews")),
            author=f"user{a}",
            created_at=created,
            followers=(a * 7919) % 50_000,
            url=f"https://example.test/{i}",
            remote_id=f"r{i}",
        )
        m = Mention(post=post, verdict=_verdict(cat, comp, lang), first_seen=created)
        if rnd.random() < 0.6:
            m.state = "done"
            m.first_response_at = created + timedelta(minutes=rnd.expovariate(1 / 45))
            m.closed_at = m.first_response_at
        if i > 10 and rnd.random() < 0.1:
            m.cluster = f"bench:{i - rnd.randrange(1, 10)}"
        out.append(m)
    return out


def make_inbox(mentions: list[Mention]) -> Inbox:
    store = MemoryStore()
    store.apply([put("mentions", m.id, m.to_doc()) for m in mentions])
    return Inbox(store, BenchRules(), clock=lambda: NOW)  # type: ignore[arg-type]


def _t(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def bench_screen(n: int) -> None:
    from inbox.metrics import TermCache, compute
    from inbox.report import render
    from inbox.rows import rows_of

    inbox = make_inbox(synthetic(n))
    since = NOW - timedelta(days=7)
    cache = TermCache()
    t_rows, rows = _t(lambda: rows_of(inbox))
    t_fig, _ = _t(
        lambda: compute(
            rows, since, NOW, now=NOW, categories=CATS, with_terms=False, brand="Nimbus"
        )
    )
    t_full, ins = _t(
        lambda: compute(
            rows, since, NOW, now=NOW, categories=CATS, term_cache=cache, brand="Nimbus"
        )
    )
    t_again, _ = _t(
        lambda: compute(
            rows, since, NOW, now=NOW, categories=CATS, term_cache=cache, brand="Nimbus"
        )
    )
    print(f"   {n:>7} mentions, 7-day period ({ins.total} in it)")
    print(f"   read rows from the store        {t_rows * 1000:7.0f} ms")
    print(f"   screen figures without terms    {t_fig * 1000:7.0f} ms")
    print(f"   screen figures with terms (1st) {t_full * 1000:7.0f} ms")
    print(f"   screen figures again (cached)   {t_again * 1000:7.0f} ms")
    for fmt in ("md", "html", "csv", "json"):

        def write(fmt: str = fmt) -> int:
            buf = io.StringIO()
            r = rows_of(inbox)
            render(compute(r, since, NOW, now=NOW, categories=CATS, brand="Nimbus"), fmt, buf)
            return len(buf.getvalue())

        t_rep, size = _t(write)
        print(f"   report --format {fmt:<5} total     {t_rep * 1000:7.0f} ms ({size // 1024} KiB)")


def bench_screen_paint(n: int) -> None:
    """Open the real screen in a headless app over `n` stored mentions: time to figures."""
    import asyncio

    from textual.app import App

    from tui.screens.insights import InsightsScreen

    inbox = make_inbox(synthetic(n))

    async def run() -> tuple[float, float, float]:
        app: App[None] = App()
        async with app.run_test(size=(150, 60)) as pilot:
            t0 = time.perf_counter()  # from the key press's push to figures on screen
            screen = InsightsScreen(inbox, clock=lambda: NOW)
            app.push_screen(screen)
            while screen.paints < 1:
                await pilot.pause(0.005)
            first = time.perf_counter() - t0
            await app.workers.wait_for_complete()
            await pilot.pause()
            full = time.perf_counter() - t0
            await pilot.press("escape")
            await pilot.pause()
            t1 = time.perf_counter()  # a second opening: rows and terms are cached
            again = InsightsScreen(inbox, clock=lambda: NOW)
            app.push_screen(again)
            while again.paints < 2:
                await pilot.pause(0.005)
            return first, full, time.perf_counter() - t1

    first, full, again = asyncio.run(run())
    print(f"   insights screen at {n} mentions: first figures painted {first * 1000:.0f} ms,")
    print(
        f"   terms and authors painted {full * 1000:.0f} ms; "
        f"opened again: all in {again * 1000:.0f} ms"
    )


def bench_clusters() -> None:
    texts = [m.post.text for m in synthetic(100_000, days=30, seed=3)]
    base = NOW - timedelta(days=30)
    step = timedelta(days=30) / len(texts)
    c = Clusterer()
    rates: dict[int, float] = {}
    done = 0
    for mark in (10_000, 100_000):
        t0 = time.perf_counter()
        start = done
        for i in range(done, mark):
            c.assign(f"c{i}", texts[i], "en", base + i * step)
        done = mark
        rates[mark] = (mark - start) / (time.perf_counter() - t0)
    print(
        f"   clustering: first 10k at {rates[10_000]:,.0f}/s; 10k->100k at {rates[100_000]:,.0f}/s"
    )
    print(
        f"   ratio 100k/10k throughput: {rates[100_000] / rates[10_000]:.2f} (index {len(c)} docs)"
    )


def main() -> None:
    bench_screen(100_000)
    bench_screen_paint(100_000)
    bench_clusters()


if __name__ == "__main__":
    main()
