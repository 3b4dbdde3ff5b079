"""Spike alerts: a replayed burst raises exactly one alert; the command gets it safely."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

from inbox import Inbox, MemoryStore
from inbox.model import Mention
from inbox.rows import row_from_mention
from inbox.spikes import Spike, SpikeDetector
from inbox.store import put
from sources.models import Post
from tests.insights.conftest import NOW, FakeRules, mention

QUIET = [
    ("How do I change my password?", "question"),
    ("Love the new widget", "praise"),
    ("Sync was slow this morning", "complaint"),
    ("Please add a calendar view", "suggestion"),
    ("Where can I download invoices?", "question"),
    ("Billing page shows the wrong currency", "complaint"),
]
BURST = [
    "Nimbus outage: nothing loads since noon",
    "Is there an outage? Nimbus login fails for me",
    "outage again?! my notes are gone",
    "Nimbus login broken, outage on the status page?",
    "huge outage right now, cannot log in",
]


def baseline(start: datetime, days: int) -> list[Mention]:
    """Six quiet mentions a day, spread out, varied words."""
    out = []
    for d in range(days):
        for i, (text, cat) in enumerate(QUIET):
            at = start + timedelta(days=d, hours=2 + 3 * i)
            out.append(mention(f"q{d}-{i}", f"{text} ({d})", at=at, category=cat))
    return out


def burst(start: datetime, n: int, prefix: str = "b", words: list[str] = BURST) -> list[Mention]:
    return [
        mention(
            f"{prefix}{i}",
            words[i % len(words)],
            at=start + timedelta(minutes=4 * i),
            category="complaint",
            compound=-0.7,
        )
        for i in range(n)
    ]


def replay(det: SpikeDetector, ms: list[Mention]) -> list[Spike]:
    out = []
    for m in sorted(ms, key=lambda m: m.post.created_at):
        s = det.observe(m)
        if s is not None:
            out.append(s)
    return out


def test_a_replayed_burst_raises_exactly_one_alert() -> None:
    start = NOW - timedelta(days=8)
    det = SpikeDetector(window_days=7, threshold=3, min_count=10, ignore_terms=["Nimbus"])
    quiet = baseline(start, 7)
    assert replay(det, quiet) == []
    spikes = replay(det, burst(start + timedelta(days=7, hours=1), 30))
    assert len(spikes) == 1
    s = spikes[0]
    assert s.key == "term:outage"
    assert s.count >= 10 and s.count >= 3 * s.expected
    # other keys the burst moved are listed with it or folded into it, never raised apart
    assert "label:complaint" in s.related
    assert "term:login" in det.active and "term:login" not in s.related  # crossed later
    assert len(s.examples) == 3 and all(e.startswith("b") for e in s.examples)
    assert "outage" in s.message()


def test_the_alert_re_arms_when_volume_falls_back() -> None:
    start = NOW - timedelta(days=10)
    det = SpikeDetector(window_days=7, threshold=3, min_count=10, ignore_terms=["Nimbus"])
    ms = baseline(start, 10)
    ms += burst(start + timedelta(days=7, hours=1), 30)
    ms += burst(start + timedelta(days=9, hours=1), 30, prefix="c")
    spikes = replay(det, ms)
    assert [s.key for s in spikes] == ["term:outage", "term:outage"]


def test_no_alert_below_min_count_or_without_a_baseline() -> None:
    start = NOW - timedelta(days=8)
    det = SpikeDetector(window_days=7, threshold=3, min_count=10)
    assert replay(det, burst(start, 30)) == []  # no day of history yet: nothing is unusual
    det2 = SpikeDetector(window_days=7, threshold=3, min_count=10)
    assert replay(det2, baseline(start, 7) + burst(start + timedelta(days=7), 9)) == []


def test_prime_learns_the_baseline_without_raising() -> None:
    start = NOW - timedelta(days=8)
    det = SpikeDetector(window_days=7, threshold=3, min_count=10, ignore_terms=["Nimbus"])
    b = burst(start + timedelta(days=7, hours=1), 30)
    assert det.prime(baseline(start, 7) + b[:20]) == 7 * 6 + 20
    assert replay(det, b[20:]) == []  # the spike under way was shown before the restart


def test_config_values_and_fallbacks() -> None:
    det = SpikeDetector.from_config(
        {"window_days": 3, "threshold": 2.5, "min_count": 4, "command": "notify-send veille"},
        brand="Nimbus",
    )
    assert (det.window_h, det.threshold, det.min_count) == (72, 2.5, 4)
    assert det.command == ["notify-send", "veille"] and "nimbus" in det.ignore
    bad = SpikeDetector.from_config({"window_days": "x", "threshold": 0, "command": 5})
    assert (bad.window_h, bad.threshold, bad.min_count, bad.command) == (168, 3.0, 10, [])


def _env_dump_command(out: Path) -> list[str]:
    code = (
        "import json, os, sys; "
        "json.dump({k: v for k, v in os.environ.items() if k.startswith('VEILLE_ALERT_')}, "
        "open(sys.argv[1], 'w'))"
    )
    return [sys.executable, "-c", code, str(out)]


def test_the_command_gets_the_alert_in_its_environment_and_no_shell(tmp_path: Path) -> None:
    out = tmp_path / "alert.json"
    det = SpikeDetector(command=_env_dump_command(out))
    hostile = "outage $(touch pwned) `touch pwned2`; touch pwned3 \x1b]52;c;AAAA\x07"
    spike = Spike("term", hostile, 12, 1.5, NOW, 3.0, ("a", "b"), ("label:complaint",))
    proc = det.run_command(spike)
    assert proc is not None and proc.wait(timeout=30) == 0
    env = json.loads(out.read_text())
    assert env["VEILLE_ALERT_KIND"] == "term"
    assert env["VEILLE_ALERT_COUNT"] == "12" and env["VEILLE_ALERT_EXPECTED"] == "1.5"
    assert env["VEILLE_ALERT_VALUE"].startswith("outage $(touch pwned)")
    assert "\x1b" not in env["VEILLE_ALERT_VALUE"] and "\x07" not in env["VEILLE_ALERT_MESSAGE"]
    assert env["VEILLE_ALERT_RELATED"] == "label:complaint"
    assert not list(Path.cwd().glob("pwned*")) and not list(tmp_path.glob("pwned*"))


def test_a_missing_program_is_not_an_error() -> None:
    det = SpikeDetector(command=["/nonexistent/veille-notify"])
    assert det.run_command(Spike("term", "x", 1, 0.0, NOW, 3.0)) is None


def test_attached_to_an_inbox_each_spike_calls_back_once(tmp_path: Path) -> None:
    start = NOW - timedelta(days=8)
    clock = {"now": start}
    inbox = Inbox(MemoryStore(), FakeRules(), clock=lambda: clock["now"])  # type: ignore[arg-type]
    out = tmp_path / "alert.json"
    det = SpikeDetector(min_count=10, ignore_terms=["Nimbus"], command=_env_dump_command(out))
    got: list[Spike] = []
    det.attach(inbox, got.append)

    def post(m: Mention) -> Post:
        p = m.post
        extra = {"category": m.verdict.category, "compound": m.verdict.sentiment.compound}
        return Post(id=p.id, text=p.text, author=p.author, created_at=p.created_at, extra=extra)

    for m in baseline(start, 7):
        clock["now"] = m.post.created_at
        inbox.ingest([post(m)])
    ms = burst(start + timedelta(days=7, hours=1), 30)
    for i in range(0, 30, 5):  # polls bring five at a time
        inbox.ingest([post(m) for m in ms[i : i + 5]])
    assert [s.key for s in got] == ["term:outage"]
    assert det.last_process is not None and det.last_process.wait(timeout=30) == 0
    assert json.loads(out.read_text())["VEILLE_ALERT_VALUE"] == "outage"


def test_prime_reads_rows_too_and_only_the_window() -> None:
    start = NOW - timedelta(days=20)
    det = SpikeDetector(window_days=7, threshold=3, min_count=10, ignore_terms=["Nimbus"])
    quiet = baseline(start, 19)
    b = burst(start + timedelta(days=19, hours=1), 30)
    rows = [row_from_mention(m) for m in quiet + b[:20]]
    assert det.prime(rows) == 20 + sum(
        1 for m in quiet if m.post.created_at >= b[19].post.created_at - timedelta(hours=171)
    )
    assert replay(det, b[20:]) == [] and "term:outage" in det.active


def test_watch_primes_from_the_store_and_ignores_triage_of_old_mentions() -> None:
    start = NOW - timedelta(days=8)
    store = MemoryStore()
    quiet = baseline(start, 7)
    store.apply([put("mentions", m.id, m.to_doc()) for m in quiet])
    burst_at = start + timedelta(days=7, hours=1)
    clock = {"now": burst_at}
    inbox = Inbox(store, FakeRules(), clock=lambda: clock["now"])  # type: ignore[arg-type]
    det = SpikeDetector(min_count=10, ignore_terms=["Nimbus"])
    got: list[Spike] = []
    assert det.watch(inbox, got.append) == len(quiet)
    before = det._series["label:question"].total
    inbox.done([m.id for m in quiet[-12:]])  # triage tells listeners; nothing new to count
    assert det._series["label:question"].total == before and got == []
    ms = burst(burst_at, 30)
    for m in ms:
        clock["now"] = m.post.created_at
        p = m.post
        inbox.ingest(
            [Post(id=p.id, text=p.text, created_at=p.created_at, extra={"category": "complaint"})]
        )
    assert [s.key for s in got] == ["term:outage"]


def test_prime_in_any_order_learns_the_same_as_in_time_order() -> None:
    """Priming streams the store, which is not in time order (late polls, the archive
    first); what falls before the window is dropped on the way, across many prunes."""
    import random

    start = NOW - timedelta(days=60)
    history = baseline(start, 59)  # 354 quiet mentions over two months...
    dense = start + timedelta(days=52)  # ...and 6,000 in the last week, enough for the
    history += [  # streaming prime to prune itself while in time order
        mention(f"n{i}", f"notes sync note {i % 7}", at=dense + timedelta(minutes=1.6 * i))
        for i in range(6000)
    ]
    b = burst(start + timedelta(days=59, hours=1), 30)
    ordered = sorted(history + b[:20], key=lambda m: m.post.created_at)
    shuffled = list(ordered)
    random.Random(3).shuffle(shuffled)
    one = SpikeDetector(window_days=7, threshold=3, min_count=10, ignore_terms=["Nimbus"])
    two = SpikeDetector(window_days=7, threshold=3, min_count=10, ignore_terms=["Nimbus"])
    newest = ordered[-1].post.created_at
    in_window = sum(1 for m in ordered if m.post.created_at >= newest - timedelta(hours=171))
    assert one.prime(ordered) == two.prime(shuffled) == in_window < len(ordered)
    assert {k: (list(s.buckets), s.total) for k, s in one._series.items()} == {
        k: (list(s.buckets), s.total) for k, s in two._series.items()
    }
    assert replay(one, b[20:]) == replay(two, b[20:]) == [] and "term:outage" in two.active
