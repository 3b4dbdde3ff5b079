"""Feed shapes served over real HTTP on 127.0.0.1, parsed into plain, safe posts."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timezone

import pytest

from sources.feed import FeedSource, parse_feed, preset_url
from sources.http import make_client
from sources.models import Post
from tests.localhttp import Web

from .conftest import TEST_LIMITS, fixture_bytes


async def poll_feed(
    server: Web, name: str, body: bytes, ctype: str = "application/xml", **kw: object
) -> list[Post]:
    url = server.static(f"/{name}", body, ctype)
    src = FeedSource("f", url, limits=TEST_LIMITS, **kw)  # type: ignore[arg-type]
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        result = await src.poll(client, {})
    return result.posts


async def test_rss2_plain_text_safe_links_and_dates(server: Web) -> None:
    posts = await poll_feed(server, "rss2.xml", fixture_bytes("rss2.xml"))
    assert len(posts) == 3
    first, bad, undated = posts
    assert first.title == "Acme & friends: the new release"
    assert first.text.startswith("Acme & friends")
    assert "Why is the Acme sync so slow? It takes ages. Café — tested." in first.text
    assert "alert" not in first.text and "<" not in first.text
    assert first.author == "Jeanne Martin"
    assert first.lang == "en"
    assert first.created_at == datetime(2026, 11, 10, 8, 30, tzinfo=timezone.utc)
    assert first.created_at.tzinfo is not None
    assert first.extra["canonical_url"] == "https://blog.example.org/2026/acme-release?id=7"
    assert bad.url == ""  # javascript: link dropped
    assert "\x1b" not in bad.text
    assert undated.created_at.tzinfo is not None
    assert abs((undated.created_at - datetime.now(timezone.utc)).total_seconds()) < 60


async def test_ids_are_stable_across_polls(server: Web) -> None:
    a = await poll_feed(server, "a.xml", fixture_bytes("rss2.xml"))
    b = parse_feed(fixture_bytes("rss2.xml"), source="f", feed_url=server.url("/a.xml"))
    assert [p.id for p in a] == [p.id for p in b]
    assert len({p.id for p in a}) == 3


@pytest.mark.parametrize(
    ("fixture", "ctype", "expect_title", "expect_author", "lang"),
    [
        ("atom.xml", "application/atom+xml", "Pourquoi Acme plante ?", "Luc Durand", "fr"),
        ("rss1.xml", "application/rdf+xml", "Acme in RDF", "rdf-bot", ""),
        ("rss091.xml", "text/xml", "Acme in 1999", "", "en"),
        ("feed.json", "application/feed+json", "Acme in JSON", "Ann", "en"),
        ("reddit.atom", "application/atom+xml", "Is Acme worth it?", "kasane", ""),
        ("youtube.xml", "application/atom+xml", "Acme review", "Acme Channel", ""),
        (
            "stackoverflow.xml",
            "application/atom+xml",
            "How do I configure Acme behind a proxy?",
            "Dominik",
            "",
        ),
        ("hnrss.xml", "application/rss+xml", "Show HN: Acme, a faster sync", "pgx", ""),
    ],
)
async def test_feed_shapes(
    server: Web, fixture: str, ctype: str, expect_title: str, expect_author: str, lang: str
) -> None:
    posts = await poll_feed(server, fixture, fixture_bytes(fixture), ctype)
    assert posts, fixture
    p = posts[0]
    assert p.title == expect_title
    assert p.author == expect_author
    assert p.lang == lang
    assert p.url.startswith(("http://", "https://"))
    assert p.source_kind == "feed" and p.source == "f"
    assert "<" not in p.text and "&amp;" not in p.text


async def test_json_feed_drops_javascript_links(server: Web) -> None:
    posts = await poll_feed(server, "feed.json", fixture_bytes("feed.json"), "application/json")
    assert [p.url for p in posts] == ["https://json.example.org/1", ""]
    assert posts[0].text.endswith("Acme works & sings.")
    assert posts[0].created_at == datetime(2026, 11, 10, 13, 0, tzinfo=timezone.utc)


async def test_hnrss_keeps_comments_link(server: Web) -> None:
    posts = await poll_feed(server, "hn.xml", fixture_bytes("hnrss.xml"))
    assert posts[0].extra["comments_url"] == "https://news.ycombinator.com/item?id=4001"


async def test_mastodon_tag_rss(server: Web) -> None:
    posts = await poll_feed(server, "tag.rss", fixture_bytes("mastodon_tag.rss"))
    assert posts[0].text == "Loving #acme today"
    assert posts[0].url == "https://other.example/@ann/111"


async def test_google_alerts_unwraps_redirects(server: Web) -> None:
    url = server.static("/alerts", fixture_bytes("google_alerts.xml"), "application/atom+xml")
    src = FeedSource("ga", url, preset="google_alerts", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        posts = (await src.poll(client, {})).posts
    assert posts[0].url == "https://news.example.com/acme-prices?utm_source=ga"
    assert posts[0].extra["canonical_url"] == "https://news.example.com/acme-prices"
    assert posts[0].title == "Acme raises prices again"
    assert posts[0].text.endswith("Customers say Acme is now too expensive ...")


async def test_wrong_charset_still_parses(server: Web) -> None:
    # Declared ISO-8859-1 in the XML, served as UTF-8 over HTTP: the bytes are not UTF-8.
    posts = await poll_feed(
        server, "latin1.xml", fixture_bytes("latin1.xml"), "application/xml; charset=utf-8"
    )
    assert len(posts) == 1
    assert posts[0].title.startswith("Caf") and "Acme" in posts[0].title
    assert "Acme" in posts[0].text


def test_presets_build_urls() -> None:
    assert preset_url("reddit", {"query": "acme app"}) == (
        "https://www.reddit.com/search.rss?q=acme+app&sort=new"
    )
    assert preset_url("hackernews", {"query": "acme"}) == "https://hnrss.org/newest?q=acme"
    assert preset_url("mastodon_tag", {"instance": "mastodon.social", "tag": "#acme"}) == (
        "https://mastodon.social/tags/acme.rss"
    )
    assert preset_url("youtube", {"channel_id": "UC1"}) == (
        "https://www.youtube.com/feeds/videos.xml?channel_id=UC1"
    )
    assert preset_url("stackoverflow", {"tag": "acme"}) == (
        "https://stackoverflow.com/feeds/tag?tagnames=acme&sort=newest"
    )
    with pytest.raises(ValueError, match="needs query"):
        preset_url("reddit", {})
    with pytest.raises(ValueError, match="unknown preset"):
        preset_url("myspace", {})


async def test_preset_with_base_url_polls_local_server(server: Web) -> None:
    server.static("/search.rss", fixture_bytes("reddit.atom"), "application/atom+xml")
    src = FeedSource("r", preset="reddit", query="acme", base_url=server.base, limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        posts = (await src.poll(client, {})).posts
    assert posts[0].title == "Is Acme worth it?"
    assert server.hits("/search.rss")[0].query == {"q": "acme", "sort": "new"}


async def test_conditional_get_and_seen_ids(server: Web) -> None:
    body = fixture_bytes("atom.xml")

    def handler(r):  # type: ignore[no-untyped-def]
        if r.headers.get("If-None-Match") == '"v1"':
            r.send_response(304)
            r.send_header("Content-Length", "0")
            r.end_headers()
            return
        r.reply(
            200,
            body,
            "application/atom+xml",
            {"ETag": '"v1"', "Last-Modified": "Tue, 10 Nov 2026 10:00:00 GMT"},
        )

    url = server.route("/cond", handler)
    src = FeedSource("c", url, limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {})
        assert len(first.posts) == 2
        assert first.state["etag"] == '"v1"'
        second = await src.poll(client, first.state)
        assert second.not_modified and second.posts == []
        # A server ignoring validators: the same entries are not handed twice.
        third = await src.poll(client, {**first.state, "etag": ""})
        assert third.posts == []
    sent = server.hits("/cond")
    assert sent[1].headers["if-none-match"] == '"v1"'
    assert sent[1].headers["if-modified-since"] == "Tue, 10 Nov 2026 10:00:00 GMT"
    assert sent[0].headers["user-agent"] == "veille/0.1 (+https://veille.invalid)"


def test_feedsource_rejects_bad_config() -> None:
    with pytest.raises(ValueError, match="http"):
        FeedSource("x", "file:///etc/passwd")
    with pytest.raises(ValueError, match="unknown setting"):
        FeedSource("x", "https://a.example/feed", colour="red")  # type: ignore[arg-type]


def test_json_feed_items_of_the_wrong_types() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": 1,
                "title": 5,
                "content_text": "hello Acme",
                "authors": "x",
                "date_published": 12,
            },
            "not an item",
            {"id": "2", "title": "ok", "url": ["x"], "date_published": "9999-12-31T00:00:00Z"},
        ],
    }
    posts = parse_feed(json.dumps(doc).encode(), source="j", feed_url="https://j.example/f")
    assert [p.text for p in posts] == ["5\n\nhello Acme", "ok"]  # ints read as text
    assert all(p.created_at.year < 9999 for p in posts)


async def test_big_feed_parses_off_the_loop(server: Web) -> None:
    items = "".join(
        f"<item><title>entry {i}</title><guid>g{i}</guid></item>" for i in range(15_000)
    )
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    url = server.static("/big.xml", body)
    src = FeedSource("big", url, limits=TEST_LIMITS)
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    async with make_client(TEST_LIMITS, trust_env=False) as client:
        t = asyncio.create_task(ticker())
        t0 = time.monotonic()
        result = await src.poll(client, {})
        elapsed = time.monotonic() - t0
        done.set()
        await t
    assert len(result.posts) == 15_000
    assert ticks >= elapsed / 0.01 * 0.3  # the loop kept turning while the feed parsed


async def test_same_bytes_are_not_parsed_twice_and_damaged_state_is_ignored(server: Web) -> None:
    url = server.static("/same", fixture_bytes("atom.xml"), "application/atom+xml")
    src = FeedSource("s", url, limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {"etag": "x\r\nInjected: 1", "seen": None})
        second = await src.poll(client, first.state)
        third = await src.poll(client, {**first.state, "body_sha": "", "seen": []})
    assert len(first.posts) == 2 and "if-none-match" not in server.hits("/same")[0].headers
    assert second.not_modified and second.posts == []
    assert len(third.posts) == 2  # a changed hash parses again


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="ut\xfff-8"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Acme ok</title><guid>1</guid></item></channel></rss>",
        b'<rss version="2.0"><channel><title>t</title><item><title>a &#xD800; b</title>'
        b"<guid>s</guid></item><item><title>Acme ok</title><guid>1</guid></item></channel></rss>",
        b'<rss version="2.0"><channel><title>t</title><image></height></image>'
        b"<item><title>Acme ok</title><guid>1</guid></item></channel></rss>",
    ],
    ids=["undecodable-declaration", "surrogate-reference", "stray-end-tag"],
)
def test_parser_crashes_are_repaired(body: bytes) -> None:
    posts = parse_feed(body, source="s")
    assert "Acme ok" in [p.text for p in posts]
    assert all("\ud800" not in p.text for p in posts)
