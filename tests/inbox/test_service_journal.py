"""The inbox on the real journal store: what the console relies on across restarts."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from inbox import Inbox
from inbox.journal_store import JournalStore
from rules import load_rules
from sources.models import Post

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def open_inbox(path: Path, now: list[datetime]) -> Inbox:
    return Inbox(JournalStore.open(path), load_rules(), clock=lambda: now[0])


def p(n: int, text: str, author: str = "") -> Post:
    return Post(id=f"t:{n}", text=text, author=author or f"a{n}", created_at=T0)


def test_triage_drafts_snooze_and_mute_survive_a_reopen(tmp_path: Path) -> None:
    now = [T0]
    ib = open_inbox(tmp_path, now)
    ib.ingest(
        [
            p(1, "How do I export to PDF?"),
            p(2, "Sync is broken, terrible"),
            p(3, "Where is the dark mode setting?", author="troll"),
            p(4, "Is the pen waterproof?"),
        ]
    )
    assert ib.ingest([p(1, "How do I export to PDF?")]).duplicates == 1
    ib.done(["t:1"])
    ib.spam(["t:2"])
    ib.undo()  # spam undone
    ib.save_draft("t:4", "Yes, splash-proof")
    ib.snooze(["t:4"], T0 + timedelta(hours=2))
    ib.mute_author("t:3")
    ib.store.close()

    ib2 = open_inbox(tmp_path, now)
    states = {i: ib2.get(f"t:{i}").state for i in range(1, 5)}  # type: ignore[union-attr]
    assert states == {1: "done", 2: "open", 3: "muted", 4: "snoozed"}
    assert ib2.draft("t:4") == "Yes, splash-proof"
    assert ib2.ingest([p(5, "Another question?", author="troll")]).added == ["t:5"]
    assert ib2.get("t:5").state == "muted"  # type: ignore[union-attr]
    now[0] = T0 + timedelta(hours=3)
    assert ib2.wake_due() == ["t:4"]
    assert {q.mention.id for q in ib2.queue()} == {"t:2", "t:4"}
    ib2.store.close()


def test_ingest_from_a_thread_while_triaging_loses_nothing(tmp_path: Path) -> None:
    now = [T0]
    ib = open_inbox(tmp_path, now)
    ib.ingest([p(i, f"question {i} about item{i}?") for i in range(50)])
    heard: list[int] = []
    ib.subscribe(lambda ids: heard.append(len(ids)))

    def feed() -> None:
        for i in range(50, 250):
            ib.ingest([p(i, f"question {i} about thing{i}?")])

    t = threading.Thread(target=feed)
    t.start()
    for i in range(0, 50, 2):
        ib.done([f"t:{i}"])
    t.join()
    assert len(ib) == 250
    done = [ib.get(f"t:{i}") for i in range(0, 50, 2)]
    assert all(m is not None and m.state == "done" for m in done)
    assert len(heard) >= 225
    ib.store.close()
    ib2 = open_inbox(tmp_path, now)
    assert len(ib2) == 250
    assert ib2.get("t:48").state == "done"  # type: ignore[union-attr]
    ib2.store.close()


def test_reopened_mentions_equal_the_originals_and_share_their_vocabulary(
    tmp_path: Path,
) -> None:
    """Live mentions rebuilt from stored bytes: same values, one object per repeated word."""
    now = [T0]
    ib = open_inbox(tmp_path, now)
    ib.ingest([p(i, f"Where is setting {i}? The app is broken", author="same") for i in range(6)])
    ib.snooze(["t:5"], T0 + timedelta(hours=1))
    before = {m.id: m for m in ib.mentions()}
    ib.store.close()
    ib2 = open_inbox(tmp_path, now)
    after = {m.id: m for m in ib2.mentions()}
    assert after == before
    a, b = after["t:0"], after["t:1"]
    assert a.verdict.category == b.verdict.category and a.verdict.category is b.verdict.category
    assert a.verdict.language is b.verdict.language
    assert a.verdict.reasons[0].rule is b.verdict.reasons[0].rule
    assert a.post.author is b.post.author and a.post.source is b.post.source
    assert a.state is b.state and a.sources[0] is b.sources[0]
    ib2.store.close()
