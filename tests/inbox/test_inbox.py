"""The inbox service: dedupe, topic filter, triage actions, undo, drafts, replies, archive."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from inbox import Inbox, MemoryStore, Reply
from inbox.config import Config, Topic
from rules.verdict import Reason, Sentiment, Verdict
from sources.models import Post

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


class FakeRules:
    """Deterministic rules so these tests watch the inbox, not the rule packs."""

    categories = ("question", "complaint", "suggestion", "praise", "other")

    def sla_minutes(self, category: str) -> int | None:
        return 15 if category in ("question", "complaint") else None

    def classify(self, post: Any) -> Verdict:
        t = post.text.lower()
        cat = (
            "question"
            if "?" in t
            else "complaint"
            if "broken" in t
            else "praise"
            if "love" in t
            else "other"
        )
        return Verdict(
            category=cat,
            labels=(cat,) if cat != "other" else (),
            sentiment=Sentiment(0.0, "neutral"),
            language="en",
            priority=1.0,
            sla_minutes=self.sla_minutes(cat),
            reasons=(Reason("fake", f"label:{cat}"),),
            spam="buy followers" in t,
        )

    def urgency(
        self, verdict: Verdict, waited_minutes: float, followers: int = 0, seen_before: int = 0
    ) -> float:
        return verdict.priority + waited_minutes / (verdict.sla_minutes or 60) + followers / 1e6


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def post(pid: str, text: str, **kw: Any) -> Post:
    kw.setdefault("author", "ana")
    kw.setdefault("source", "test:a")
    kw.setdefault("source_kind", "mastodon")
    return Post(id=pid, text=text, created_at=T0, **kw)


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store() -> MemoryStore:
    return MemoryStore()


def make(store: MemoryStore, clock: Clock, config: Config | None = None) -> Inbox:
    return Inbox(store, FakeRules(), config, clock=clock)  # type: ignore[arg-type]


def test_queue_orders_by_category_then_urgency(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    ib.ingest([post("a", "I love it"), post("b", "it is broken"), post("c", "how?")])
    clock.now += timedelta(minutes=1)
    ib.ingest([post("d", "why?", followers=5_000_000)])
    q = ib.queue()
    assert [i.mention.id for i in q] == ["d", "c", "b", "a"]
    assert ib.counts()["question"] == 2


def test_dedupe_by_id_url_and_repost_remembers_sources(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    r1 = ib.ingest([post("a", "how?", url="https://x.example/1")])
    assert r1.added == ["a"]
    r2 = ib.ingest(
        [
            post("a", "how?", source="test:b"),
            post("z", "how? (copy)", url="https://x.example/1", source="test:c"),
            post("boost", "RT how?", repost_of="https://x.example/1", source="test:d"),
            post("new", "new thing?"),
            post("new", "new thing?", source="test:e"),  # twice in one batch
        ]
    )
    assert r2.added == ["new"] and r2.duplicates == 4
    a = ib.get("a")
    assert a is not None and a.sources == ["test:a", "test:b", "test:c", "test:d"]
    # the merge is durable
    again = make(store, clock)
    got = again.get("a")
    assert got is not None and got.sources == ["test:a", "test:b", "test:c", "test:d"]


def test_topic_filter_and_exclusions(store: MemoryStore, clock: Clock) -> None:
    cfg = Config(
        topic=Topic(
            keywords=["nimbus"], exclude_phrases=["nimbus 2000"], exclude_authors=["@troll"]
        )
    )
    ib = make(store, clock, cfg)
    r = ib.ingest(
        [
            post("1", "Nimbus is broken", source_kind="feed"),
            post("2", "unrelated blog post", source_kind="feed"),
            post("3", "my nimbus 2000 broom", source_kind="feed"),
            post("4", "nimbus again", author="Troll"),
        ]
    )
    assert r.added == ["1"] and r.filtered == 3


def test_actions_undo_and_restart(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    ib.ingest([post("a", "how?"), post("b", "broken"), post("c", "love")])
    assert ib.done(["a"]) == ["a"]
    assert ib.spam(["b"]) == ["b"]
    assert [i.mention.id for i in ib.queue()] == ["c"]
    assert ib.undo() == "spam"
    assert [i.mention.id for i in ib.queue()] == ["b", "c"]
    reopened = make(store, clock)
    assert [i.mention.id for i in reopened.queue()] == ["b", "c"]
    a = reopened.get("a")
    assert a is not None and a.state == "done" and a.closed_at == T0
    assert reopened.undo() is None  # undo history is per session


def test_spam_rule_never_reaches_queue(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    ib.ingest([post("s", "buy followers now?")])
    s = ib.get("s")
    assert s is not None and s.state == "spam" and s.state_by == "rule"
    assert ib.queue() == []


def test_snooze_until_time_and_until_author(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    ib.ingest([post("a", "how?"), post("b", "broken", author="bob")])
    ib.snooze(["a"], until=T0 + timedelta(minutes=30))
    ib.snooze(["b"], until_author=True)
    assert ib.queue() == []
    clock.now = T0 + timedelta(minutes=31)
    assert ib.wake_due() == ["a"]
    r = ib.ingest([post("b2", "still broken!", author="@Bob")])
    assert r.woken == ["b"]
    assert {i.mention.id for i in ib.queue()} == {"a", "b", "b2"}


def test_mute_author_hides_now_and_later_and_undoes(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    ib.ingest([post("a", "how?", author="eve"), post("b", "why?", author="ana")])
    ib.mute_author("a")
    ib.ingest([post("c", "again?", author="Eve")])
    assert [i.mention.id for i in ib.queue()] == ["b"]
    assert make(store, clock).get("c").state == "muted"  # type: ignore[union-attr]
    assert ib.undo() == "mute eve"
    ib.ingest([post("d", "more?", author="eve")])
    assert {i.mention.id for i in ib.queue()} >= {"a", "d"}


def test_drafts_and_replies(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    ib.ingest([post("a", "how?")])
    ib.save_draft("a", "Hello Ana")
    assert make(store, clock).draft("a") == "Hello Ana"
    clock.now = T0 + timedelta(minutes=7)
    ib.record_reply(["a"], Reply("Hello Ana", clock.now, "me", "mastodon", remote_id="99"))
    fresh = make(store, clock)
    a = fresh.get("a")
    assert a is not None and a.state == "done" and a.replies[0].remote_id == "99"
    assert a.response_minutes == pytest.approx(7.0)
    assert fresh.draft("a") == ""


def test_cluster_rows_collapse(store: MemoryStore, clock: Clock) -> None:
    class Pairs:
        def assign(self, mention_id: str, text: str, lang: str, at: datetime) -> str:
            return "k1" if "sync" in text else ""

    ib = Inbox(store, FakeRules(), clock=clock, clusterer=Pairs())  # type: ignore[arg-type]
    ib.ingest(
        [post(str(i), f"sync broken {i}", author=f"u{i}") for i in range(5)] + [post("q", "how?")]
    )
    q = ib.queue()
    assert [i.count for i in q] == [1, 5]
    ib.done(q[1].members)
    assert [i.mention.id for i in ib.queue()] == ["q"]


def test_archive_moves_old_closed_mentions(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock, Config(archive_after_days=30))
    ib.ingest([post("old", "how?"), post("open", "why?")])
    ib.done(["old"])
    clock.now = T0 + timedelta(days=31)
    assert ib.archive_closed() == 1
    assert store.get("mentions", "old") is None
    assert [m.id for m in ib.archived()] == ["old"]
    assert {m.id for m in ib.all_mentions()} == {"old", "open"}
    assert ib.ingest([post("old", "how?")]).duplicates == 1  # still known: no re-ingest
    assert make(store, clock).ingest([post("old", "how?")]).duplicates == 1


class HookedStore(MemoryStore):
    """Runs `hook` once the scan of mentions has read two documents."""

    hook: Any = None

    def items(self, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for n, item in enumerate(super().items(table)):
            if n == 2 and table == "mentions" and self.hook is not None:
                hook, self.hook = self.hook, None
                hook()
            yield item


def test_archive_judges_again_what_changed_during_its_scan(clock: Clock) -> None:
    """The scan runs without the inbox lock: a mention reopened or closed again while it
    reads stays live, the others move, in chunks."""
    store = HookedStore()
    ib = make(store, clock, Config(archive_after_days=30))
    ids = [f"m{i}" for i in range(1200)]
    ib.ingest([post(i, f"how {i}?") for i in ids])
    ib.done(ids)
    clock.now = T0 + timedelta(days=31)

    def meanwhile() -> None:
        ib.reopen(["m0"])  # read already: its stored document said closed long ago
        ib.spam(["m1"])  # closed again, just now

    store.hook = meanwhile
    assert ib.archive_closed() == 1198
    assert {m.id for m in ib.mentions()} == {"m0", "m1"}
    assert ib.get("m0").state == "open" and ib.get("m1").state == "spam"  # type: ignore[union-attr]
    assert len(list(ib.archived())) == 1198
    assert [m.id for m in ib.incoming()] == ["m1", "m0"]
    assert ib.ingest([post("m5", "how m5?")]).duplicates == 1


def test_listeners_hear_changes(store: MemoryStore, clock: Clock) -> None:
    ib = make(store, clock)
    heard: list[set[str]] = []
    ib.subscribe(heard.append)
    ib.ingest([post("a", "how?")])
    ib.done(["a"])
    assert heard == [{"a"}, {"a"}]
