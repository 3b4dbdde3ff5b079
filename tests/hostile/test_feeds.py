"""Hostile feeds over real HTTP: malformed, explosive, enormous, repetitive, undated, disguised.

Each feed is served by a server on 127.0.0.1 and read by `FeedSource.poll`, then
ingested into an `Inbox`, so the whole path a stranger's feed takes is covered.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from inbox import Inbox, MemoryStore
from rules import load_rules
from sources.base import SourceError
from sources.feed import FeedSource
from sources.http import FetchLimits, make_client
from sources.models import Post
from sources.poller import Poller
from tests.localhttp import Request, Web
from tests.xmlbombs import LAUGHS_DTD

from .conftest import LIMITS

RSS_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>t</title>'
RSS_TAIL = "</channel></rss>"


def rss(*items: str, head: str = RSS_HEAD) -> bytes:
    return (head + "".join(items) + RSS_TAIL).encode("utf-8")


def item(
    title: str = "", guid: str | None = None, desc: str = "", date: str = "", link: str = ""
) -> str:
    parts = [f"<title>{title}</title>" if title else ""]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if desc:
        parts.append(f"<description>{desc}</description>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if link:
        parts.append(f"<link>{link}</link>")
    return "<item>" + "".join(parts) + "</item>"


async def poll(
    web: Web,
    body: bytes,
    *,
    path: str = "/feed.xml",
    state: dict[str, Any] | None = None,
    limits: FetchLimits = LIMITS,
    ctype: str = "application/rss+xml",
) -> tuple[list[Post], dict[str, Any]]:
    url = web.static(path, body, ctype)
    src = FeedSource("hostile", url, limits=limits)
    async with make_client(limits, trust_env=False) as client:
        res = await src.poll(client, dict(state or {}))
    return res.posts, res.state


@pytest.fixture
def inbox(rules_dir: Path) -> Inbox:
    rules = load_rules([rules_dir])
    assert not rules.errors
    return Inbox(MemoryStore(), rules)


# -- malformed ---------------------------------------------------------------------------------


async def test_bozo_feed_still_yields_what_it_can(web: Web, inbox: Inbox) -> None:
    """Undefined entities, an unclosed tag and a stray ampersand: feedparser's loose mode."""
    body = rss(
        item("first &nbsp; post &copy; ok", "b1", "where is my order?"),
        item("second <b>unclosed", "b2", "R&D says hi & bye"),
        item("third", "b3", "fine"),
    )
    posts, _ = await poll(web, body)
    assert len(posts) == 3
    assert all("<" not in p.text for p in posts)
    assert inbox.ingest(posts).added and len(inbox) == 3


async def test_html_page_is_refused_in_one_line(web: Web) -> None:
    page = b"<!doctype html><html><head><title>Login</title></head><body>sign in</body></html>"
    with pytest.raises(SourceError) as err:
        await poll(web, page, ctype="text/html")
    assert "\n" not in str(err.value) and "HTML" in str(err.value)


async def test_truncated_feed_keeps_complete_entries(web: Web) -> None:
    body = rss(item("one", "t1", "a"), item("two", "t2", "b"))[:-40]  # cut mid-document
    posts, _ = await poll(web, body)
    assert [p.title for p in posts][:1] == ["one"]


BILLION_LAUGHS = (
    LAUGHS_DTD
    + b"""\
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><description>laughs</description><guid>bl1</guid></item>
<item><title>plain</title><description>still here</description><guid>bl2</guid></item>
</channel></rss>"""
)


def _repeated_entity(encoding: str) -> bytes:
    big = "x" * 100_000
    doc = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<!DOCTYPE rss [ <!ENTITY big "{big}"> ]>\n'
        '<rss version="2.0"><channel><title>t</title><item><guid>r1</guid>'
        f"<title>{'&big;' * 2000}</title><description>ok</description></item></channel></rss>"
    )
    return doc.encode(encoding)


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        _repeated_entity("utf-8"),
        _repeated_entity("utf-16"),  # strip_dtd reads bytes: UTF-16 hides the DOCTYPE from it
        _repeated_entity("utf-32"),
    ],
    ids=["billion-laughs", "repeated-entity", "repeated-entity-utf16", "repeated-entity-utf32"],
)
async def test_entity_expansion_is_bounded(web: Web, body: bytes) -> None:
    tracemalloc.start()
    t0 = time.monotonic()
    try:
        posts, _ = await poll(web, body)
    except SourceError:
        posts = []  # refusing the document is as good as reading it inertly
    elapsed = time.monotonic() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 3.0
    assert peak < 64 * 1024 * 1024, f"peak {peak // 2**20} MiB"
    assert all(len(p.text) <= 25_000 for p in posts)
    assert all("lol" * 100 not in p.text and "x" * 5000 not in p.text for p in posts)


async def test_external_entities_never_read_files_or_fetch(web: Web, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-FILE-CONTENT")
    dtd_url = web.static("/evil.dtd", b'<!ENTITY remote "TOPSECRET-REMOTE">', "application/xml-dtd")
    docs = [
        f"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<rss version="2.0"><channel><title>t</title>
<item><guid>x1</guid><title>a &xxe; b</title><description>d</description></item>
</channel></rss>""",
        f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{dtd_url}">
<rss version="2.0"><channel><title>t</title>
<item><guid>x2</guid><title>a &remote; b</title><description>d</description></item>
</channel></rss>""",
        f"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY % p SYSTEM "{dtd_url}"> %p; ]>
<rss version="2.0"><channel><title>t</title>
<item><guid>x3</guid><title>a &remote; b</title><description>d</description></item>
</channel></rss>""",
    ]
    for i, doc in enumerate(docs):
        utf16 = doc.replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')
        for data in (doc.encode(), utf16.encode("utf-16")):
            try:
                posts, _ = await poll(web, data, path=f"/x{i}.xml")
            except SourceError:
                continue
            for p in posts:
                assert "TOPSECRET" not in p.text
    assert web.hits("/evil.dtd") == []


# -- size and repetition -------------------------------------------------------------------------


def _huge_feed(n: int) -> bytes:
    items = "".join(f"<item><title>entry {i}</title><guid>h{i}</guid></item>" for i in range(n))
    return rss(items)


async def test_100k_entry_feed_does_not_stall_other_sources(web: Web) -> None:
    body = _huge_feed(100_000)  # about 5 MB: under the default 8 MB cap
    web.static("/huge.xml", body, "application/rss+xml")

    def slow_small(h: Request) -> None:
        time.sleep(0.3)  # answers after the huge feed has started parsing
        h.reply(200, rss(item("small", "s1", "hello")), "application/rss+xml")

    web.route("/small.xml", slow_small)
    limits = FetchLimits(total=60, connect=1, read=5)
    big = FeedSource("huge", web.url("/huge.xml"), limits=limits)
    small = FeedSource("small", web.url("/small.xml"), limits=limits)
    got: dict[str, int] = {}
    poller = Poller(
        [big, small],
        on_posts=lambda name, posts: got.__setitem__(name, len(posts)),
        client_factory=lambda: make_client(limits, trust_env=False),
    )
    reports = {r.name: r for r in await poller.poll_once()}
    assert reports["huge"].ok and got["huge"] <= 100_000
    assert reports["small"].ok and got["small"] == 1
    assert reports["small"].duration < 2.0, f"small source waited {reports['small'].duration:.1f} s"


async def test_one_entry_feed_every_poll_gives_one_mention(web: Web, inbox: Inbox) -> None:
    body = rss(item("the only one", "only", "same every time?"))
    state: dict[str, Any] = {}
    handed = 0
    for _ in range(5):
        posts, state = await poll(web, body, state=state)
        handed += len(posts)
        inbox.ingest(posts)
    assert handed == 1  # the source remembers what it handed
    for _ in range(3):  # a restart that lost the source state: the inbox dedupes
        posts, _ = await poll(web, body, state={})
        inbox.ingest(posts)
    assert len(inbox) == 1


async def test_no_id_no_date_entries_get_stable_ids_and_a_time(web: Web) -> None:
    body = rss(
        item("no id one", None, "first body"),
        item("no id two", None, "second body"),
        item("", None, "", link="https://example.org/only-a-link"),
    )
    before = datetime.now(timezone.utc)
    a, _ = await poll(web, body)
    b, _ = await poll(web, body)
    assert len(a) == 3 and len({p.id for p in a}) == 3
    assert [p.id for p in a] == [p.id for p in b]
    for p in a:
        assert p.created_at.tzinfo is not None
        assert before - timedelta(seconds=5) <= p.created_at <= datetime.now(timezone.utc)


FAR_FUTURE = "Fri, 31 Dec 9999 23:59:59 GMT"


async def test_far_future_dates_do_not_sink_the_batch(web: Web, inbox: Inbox) -> None:
    body = rss(
        item("from the far future?", "f1", "is this thing on?", date=FAR_FUTURE),
        item("next year", "f2", "hello", date="Mon, 01 Jan 2035 00:00:00 GMT"),
        item("today", "f3", "where is my refund?"),
    )
    posts, _ = await poll(web, body)
    assert len(posts) == 3
    assert all(p.created_at.tzinfo is not None for p in posts)
    res = inbox.ingest(posts)
    assert len(res.added) == 3


async def test_duplicate_ids_with_different_content_stored_once(web: Web, inbox: Inbox) -> None:
    body = rss(item("first version", "dup", "original text"), item("second", "dup", "edited"))
    posts, _ = await poll(web, body)
    inbox.ingest(posts)
    edited = rss(item("third version", "dup", "edited again"))
    posts, _ = await poll(web, edited, path="/feed.xml", state={})
    inbox.ingest(posts)
    assert len(inbox) == 1
    only = next(iter(inbox.mentions()))
    assert "original text" in only.post.text or "edited" in only.post.text


async def test_ten_megabyte_title_is_capped(web: Web) -> None:
    big = FetchLimits(total=20, connect=1, read=5, max_bytes=16 << 20, max_decoded=32 << 20)
    body = rss(item("A" * 10_000_000, "big", "body"), item("small", "sm", "ok"))
    t0 = time.monotonic()
    posts, _ = await poll(web, body, limits=big)
    assert time.monotonic() - t0 < 10
    assert len(posts) == 2
    assert all(len(p.title) <= 1_000 and len(p.text) <= 25_000 for p in posts)
    with pytest.raises(SourceError) as err:  # with the test caps: refused in one line
        await poll(web, body, path="/again.xml")
    assert "cap" in str(err.value)


async def test_invalid_utf8_still_yields_storable_text(web: Web, inbox: Inbox) -> None:
    body = rss(item("cafX ok", "u1", "price: 5Y"), item("plain", "u2", "fine"))
    raw = body.replace(b"cafX", b"caf\xc3 \xff\xfe").replace(b"5Y", b"5\xa4\xed\xa0\x80")
    posts, _ = await poll(web, raw)
    assert len(posts) == 2
    for p in posts:
        p.text.encode("utf-8")  # no lone surrogates leak into stored text
    assert len(inbox.ingest(posts).added) == 2


MIXED = "Acme ١٢٣ مرحبا بالعالم Привет 你好 שלום café 🙂 e\u0301"
ZW_BIDI = "pay\u200bpal \u202eevil\u202c \u2066iso\u2069 \u200d\ufeffjoin \u061c\u200f"


async def test_mixed_scripts_zero_width_and_bidi(web: Web, inbox: Inbox) -> None:
    body = rss(item(MIXED, "m1", "question?"), item(ZW_BIDI, "m2", "\u202eeulav\u202c refund"))
    posts, _ = await poll(web, body)
    assert len(posts) == 2
    mixed, zw = posts
    for word in ("مرحبا", "Привет", "你好", "שלום", "café", "🙂"):
        assert word in mixed.text
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert ch not in zw.text, f"bidi control {ch!r} kept in post text"
    res = inbox.ingest(posts)
    assert len(res.added) == 2
    labels = {m.post.id: m.verdict.labels for m in inbox.mentions()}
    assert "complaint" in labels[zw.id]  # "refund" still found through the disguise


async def test_many_feeds_one_broken_others_flow(web: Web, inbox: Inbox) -> None:
    """A poison feed among good ones: one health line, everything else stored."""
    good = [
        web.static(f"/ok{i}.xml", rss(item(f"ok {i}", f"ok{i}", "fine")), "application/rss+xml")
        for i in range(5)
    ]
    web.static("/poison.xml", BILLION_LAUGHS[:300] + b"\x00\x00garbage", "application/rss+xml")
    sources = [FeedSource(f"ok{i}", u, limits=LIMITS) for i, u in enumerate(good)]
    sources.append(FeedSource("poison", web.url("/poison.xml"), limits=LIMITS))
    healths: dict[str, dict[str, Any]] = {}
    poller = Poller(
        sources,
        on_posts=lambda name, posts: inbox.ingest(posts),
        on_health=lambda name, h: healths.__setitem__(name, h),
        client_factory=lambda: make_client(LIMITS, trust_env=False),
    )
    reports = await asyncio.wait_for(poller.poll_once(), 10)
    assert sum(r.ok for r in reports) == 5
    assert healths["poison"]["status"] == "failing"
    assert "\n" not in healths["poison"]["last_error"]
    assert len(inbox) == 5


# -- feedparser's own crashes, found by scripts/fuzz_feeds.py -------------------------------------

_CC = b'xmlns:creativeCommons="http://backend.userland.com/creativeCommonsRssModule"'
_HEAD = b'<?xml version="1.0"?><rss version="2.0" ' + _CC + b"><channel><title>t</title>"
_TAIL = b"<item><title>still here</title><guid>ok1</guid></item></channel></rss>"
FEEDPARSER_CRASHES = {
    "bad-bytes-in-encoding-declaration": b'<?xml version="1.0" encoding="ut\xfff-8"?>'
    + b'<rss version="2.0"><channel><title>t</title>'
    + _TAIL,
    "surrogate-character-reference": _HEAD
    + b"<item><title>a &#xD800; b</title><guid>s1</guid></item>"
    + _TAIL,
    "stray-license-end-tag": _HEAD
    + b"<item><title>x</title></creativeCommons:license><guid>c1</guid></item>"
    + _TAIL,
    "stray-width-end-tag": _HEAD + b"</width>" + _TAIL,
    "stray-height-end-tag": _HEAD + b"<image></height></image>" + _TAIL,
}


@pytest.mark.parametrize("body", list(FEEDPARSER_CRASHES.values()), ids=list(FEEDPARSER_CRASHES))
async def test_feedparser_crashes_become_entries_or_one_line(web: Web, body: bytes) -> None:
    try:
        posts, _ = await poll(web, body)
    except SourceError as exc:
        assert "\n" not in str(exc)
        return
    assert "still here" in " ".join(p.text for p in posts)
