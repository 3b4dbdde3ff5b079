"""The demo source: the bundled data keeps its promises; replay is live and resumable."""

from __future__ import annotations

import itertools
import json
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from sources.base import SourceError
from sources.demo import DemoSource, load_demo_items, load_demo_posts

DATA = Path(__file__).resolve().parents[2] / "sources" / "demo_data" / "mentions.jsonl"
CATEGORIES = {"question", "complaint", "suggestion", "praise", "spam", "other"}
KINDS = {"mastodon", "bluesky", "hackernews", "feed"}
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
T0 = datetime(2026, 11, 21, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


class Clock:
    """A hand-driven clock so replay timing is exact, with no sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make_source(clock: Clock, **kw: Any) -> DemoSource:
    src = DemoSource(**kw)
    src.clock = clock
    return src


# --- the bundled data ---------------------------------------------------------------------


def test_file_has_300_valid_lines(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 300
    for row in rows:
        for key in ("id", "text", "author", "author_id", "lang", "source", "source_kind", "url"):
            assert isinstance(row[key], str) and row[key], (row["id"], key)
        assert isinstance(row["followers"], int) and row["followers"] >= 0
        assert isinstance(row["delay"], int | float) and row["delay"] >= 0
        assert row["url"].startswith("https://"), row["id"]


def test_ids_are_sequential_and_unique(rows: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in rows] == [f"demo-{i:04d}" for i in range(1, len(rows) + 1)]


def test_language_shares(rows: list[dict[str, Any]]) -> None:
    langs = Counter(r["lang"] for r in rows)
    assert set(langs) == {"en", "fr", "ar"}
    for lang, n in langs.items():
        assert n / len(rows) >= 0.20, (lang, n)
    assert langs["en"] > langs["fr"] > langs["ar"]


def test_arabic_rows_are_written_in_arabic(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        if row["lang"] == "ar":
            arabic = sum(1 for ch in row["text"] if "\u0600" <= ch <= "\u06ff")
            assert arabic >= 10, row["id"]


def test_every_category_present(rows: list[dict[str, Any]]) -> None:
    cats = Counter(r["expected"] for r in rows)
    assert set(cats) == CATEGORIES
    for cat in CATEGORIES:
        assert cats[cat] >= 15, (cat, cats[cat])


def test_three_crisis_clusters_in_several_voices(rows: list[dict[str, Any]]) -> None:
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get("cluster"):
            clusters[row["cluster"]].append(row)
    big = {name: items for name, items in clusters.items() if len(items) >= 6}
    assert len(big) >= 3
    for name, items in big.items():
        authors = {r["author"] for r in items}
        assert 6 <= len(authors) <= 15, (name, len(authors))
        assert {r["lang"] for r in items} == {"en", "fr", "ar"}, name
        assert all(r["expected"] == "complaint" for r in items), name
        assert len({r["text"] for r in items}) == len(items), f"{name}: repeated wording"


def _words(text: str) -> set[str]:
    """Lower-case words of 3+ letters, Arabic's article dropped, the brand name left out."""
    found = re.findall(r"\w+", text.lower())
    out = {w[2:] if w.startswith("ال") and len(w) > 4 else w for w in found if len(w) >= 3}
    return out - {"nimbus", "نيمبس", "the", "and", "les", "des"}


def _mean_jaccard(group: list[set[str]]) -> float:
    return statistics.mean(len(a & b) / len(a | b) for a, b in itertools.combinations(group, 2))


def test_clusters_share_vocabulary_but_not_wording(rows: list[dict[str, Any]]) -> None:
    """A word-overlap clusterer can find each crisis, yet nobody copy-pastes anyone."""
    groups: dict[tuple[str, str], list[set[str]]] = defaultdict(list)
    background: dict[str, list[set[str]]] = defaultdict(list)
    for row in rows:
        if row.get("cluster"):
            groups[(row["cluster"], row["lang"])].append(_words(row["text"]))
        else:
            background[row["lang"]].append(_words(row["text"]))
    base = {lang: _mean_jaccard(sets) for lang, sets in background.items()}
    for (name, lang), sets in groups.items():
        assert len(sets) >= 3, (name, lang)
        assert _mean_jaccard(sets) >= 5 * base[lang], (name, lang)
        for a, b in itertools.combinations(sets, 2):
            assert len(a & b) / len(a | b) < 0.7, (name, lang, sorted(a & b))


def test_no_control_characters(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for key in ("text", "title", "author", "author_name"):
            value = row.get(key, "")
            for ch in value:
                assert ch not in BIDI_CONTROLS, (row["id"], key, hex(ord(ch)))
                assert unicodedata.category(ch) != "Cc" or ch == "\n", (row["id"], key)


def test_texts_are_not_templated(rows: list[dict[str, Any]]) -> None:
    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts)
    openings = Counter(" ".join(t.split()[:3]) for t in texts)
    assert openings.most_common(1)[0][1] <= 4


def test_sources_authors_and_links_vary(rows: list[dict[str, Any]]) -> None:
    kinds = Counter(r["source_kind"] for r in rows)
    assert set(kinds) == KINDS
    assert all(n >= 10 for n in kinds.values()), kinds
    for row in rows:
        if row["source_kind"] == "feed":
            assert row.get("title"), row["id"]
    followers = [r["followers"] for r in rows if r["source_kind"] != "feed"]
    assert min(followers) <= 5 and max(followers) >= 1_000_000
    assert sum(1 for f in followers if f >= 100_000) >= 5
    per_author = Counter(r["author"] for r in rows)
    assert sum(1 for n in per_author.values() if n >= 3) >= 10
    assert sum(1 for r in rows if "https://" in r["text"]) >= 10


def test_replies_point_to_earlier_posts(rows: list[dict[str, Any]]) -> None:
    index = {r["id"]: i for i, r in enumerate(rows)}
    replies = [r for r in rows if r.get("in_reply_to")]
    assert len(replies) >= 10
    for row in replies:
        assert index[row["in_reply_to"]] < index[row["id"]], row["id"]


def test_timing_is_a_burst_then_a_trickle(rows: list[dict[str, Any]]) -> None:
    delays = [float(r["delay"]) for r in rows]
    assert delays == sorted(delays)
    assert delays[39] <= 20.0, "the first 40 arrive a few a second"
    assert delays[40] >= delays[39]
    assert 900.0 <= delays[-1] <= 1500.0, "the rest trickle over about twenty minutes"
    gaps = [b - a for a, b in zip(delays[40:], delays[41:], strict=False)]
    assert max(gaps) < 60.0, "no dead minute once the trickle starts"


# --- mapping onto Post ------------------------------------------------------------------


def test_load_demo_posts_is_stable_and_mapped(rows: list[dict[str, Any]]) -> None:
    first = load_demo_posts(start=T0)
    again = load_demo_posts(start=T0 + timedelta(hours=1))
    assert [p.id for p in first] == [p.id for p in again]
    assert len({p.id for p in first}) == len(first) == len(rows)
    post, row = first[0], rows[0]
    assert post.id == "demo:demo-0001" and post.remote_id == "demo-0001"
    assert post.source_kind == "demo"
    assert post.source == row["source"] and post.extra["via"] == row["source_kind"]
    assert post.extra["expected"] == row["expected"]
    assert post.created_at == T0 + timedelta(seconds=row["delay"])
    assert post.created_at.tzinfo is not None
    reply = next(p for p in first if p.in_reply_to)
    assert f"demo:{reply.in_reply_to}" in {p.id for p in first}
    assert all(p.extra.get("expected") in CATEGORIES for p in first)


def test_custom_data_file_and_field_mapping(tmp_path: Path) -> None:
    data = tmp_path / "m.jsonl"
    lines = [
        {"id": "b", "text": "second", "delay": 5, "expected": "praise"},
        {
            "id": "a",
            "text": "first",
            "title": "A title",
            "author": "x",
            "author_id": "42",
            "followers": 7,
            "lang": "fr",
            "source": "reddit:nimbus",
            "source_kind": "feed",
            "url": "https://example.test/a",
            "delay": 1,
            "in_reply_to": "z",
            "cluster": "c",
        },
    ]
    data.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    posts = load_demo_posts(data, start=T0)
    assert [p.id for p in posts] == ["demo:a", "demo:b"], "sorted by delay"
    a = posts[0]
    assert (a.title, a.author, a.author_id, a.followers, a.lang) == ("A title", "x", "42", 7, "fr")
    assert (a.source, a.url, a.in_reply_to) == ("reddit:nimbus", "https://example.test/a", "z")
    assert a.extra == {"via": "feed", "cluster": "c"}
    assert posts[1].extra == {"via": "", "expected": "praise"}


@pytest.mark.parametrize(
    ("line", "message"),
    [("{not json", "m.jsonl:2: invalid JSON"), ('{"id": "x"}', "m.jsonl:2: needs")],
)
def test_broken_data_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    data = tmp_path / "m.jsonl"
    data.write_text('{"id": "a", "text": "ok", "delay": 0}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        load_demo_items(data)


def test_missing_data_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unreadable"):
        load_demo_items(tmp_path / "absent.jsonl")


# --- replay --------------------------------------------------------------------------------


async def test_poll_returns_only_due_posts_then_resumes(rows: list[dict[str, Any]]) -> None:
    clock = Clock(T0)
    src = make_source(clock)
    assert src.kind == "demo"
    async with httpx.AsyncClient() as client:
        res = await src.poll(client, {})
        at_once = [r["id"] for r in rows if r["delay"] == 0]
        assert 3 <= len(at_once) <= 10, "a few are there when the console opens"
        assert [p.remote_id for p in res.posts] == at_once
        assert res.state["next"] == len(at_once) and res.state["done"] is False
        assert datetime.fromisoformat(res.state["started_at"]) == T0

        clock.advance(5.0)
        res = await src.poll(client, res.state)
        due = [r["id"] for r in rows if 0 < r["delay"] <= 5.0]
        assert [p.remote_id for p in res.posts] == due and len(due) >= 5
        for p in res.posts:
            assert T0 < p.created_at <= clock.now

        clock.advance(0.0)
        again = await src.poll(client, res.state)
        assert again.posts == [], "nothing is issued twice"

        # a restart: a new source object handed the persisted state resumes, not replays
        clock.advance(55.0)
        fresh = make_source(clock)
        state = json.loads(json.dumps(again.state))
        res2 = await fresh.poll(client, state)
        expected = [r["id"] for r in rows if 5.0 < r["delay"] <= 60.0]
        assert [p.remote_id for p in res2.posts] == expected and expected
        assert res2.state["started_at"] == res.state["started_at"]


async def test_speed_compresses_and_replay_ends_quiet(rows: list[dict[str, Any]]) -> None:
    clock = Clock(T0)
    src = make_source(clock, speed=60.0)
    seen: list[str] = []
    state: dict[str, Any] = {}
    async with httpx.AsyncClient() as client:
        for _ in range(30):  # one poll a simulated second, 30 s = 30 min of demo at 60x
            res = await src.poll(client, state)
            seen += [p.id for p in res.posts]
            state = res.state
            clock.advance(1.0)
        assert state["done"] is True
        assert seen == [f"demo:{r['id']}" for r in rows]
        last = load_demo_items()[-1]
        clock.advance(3600.0)
        res = await src.poll(client, state)
        assert res.posts == [] and res.state["done"] is True
    assert last["delay"] / 60.0 < 30.0


async def test_created_at_follows_the_scaled_timeline() -> None:
    clock = Clock(T0)
    src = make_source(clock, speed=4.0)
    async with httpx.AsyncClient() as client:
        state = (await src.poll(client, {})).state
        clock.advance(100.0)
        posts = (await src.poll(client, state)).posts
    items = {f"demo:{i['id']}": i for i in load_demo_items()}
    assert posts
    for p in posts:
        assert p.created_at == T0 + timedelta(seconds=items[p.id]["delay"] / 4.0)


async def test_damaged_state_restarts_safely() -> None:
    clock = Clock(T0)
    src = make_source(clock, interval=2.0, unknown_option="ignored")
    assert src.interval == 2.0 and src.name == "demo"
    async with httpx.AsyncClient() as client:
        res = await src.poll(client, {"started_at": "not a date", "next": 10_000})
    assert res.state["started_at"] == T0.isoformat(), "a bad start time restarts now"
    assert res.posts and res.posts[0].id == "demo:demo-0001", "a bad index restarts at 0"
    assert res.state["next"] == len(res.posts)


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError):
        DemoSource(speed=0)
