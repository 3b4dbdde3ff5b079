"""A web page or an empty answer where a feed was expected: say what to do instead."""

from __future__ import annotations

from sources.feed import FeedSource, feed_link
from sources.http import make_client
from sources.poller import Poller
from tests.localhttp import Web

from .conftest import TEST_LIMITS

BLOG = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Acme blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Acme &amp; co" href="/feed.xml?x=1&amp;y=2">
</head><body><h1>Acme blog</h1></body></html>"""


async def _errors(server: Web, *names: str) -> dict[str, str]:
    sources = [FeedSource(n, server.url(f"/{n}"), limits=TEST_LIMITS) for n in names]
    poller = Poller(sources, client_factory=lambda: make_client(TEST_LIMITS, trust_env=False))
    return {r.name: r.error for r in await poller.poll_once()}


async def test_a_blog_home_page_points_at_its_feed(server: Web) -> None:
    server.static("/blog", BLOG, "text/html; charset=utf-8")
    server.static("/moved", b"", "text/plain", 301, {"Location": "/site/"})
    server.static("/site/", BLOG.replace(b'href="/feed.xml', b'href="feed.xml'), "text/html")
    server.static("/plain", b"<html><body>no feed here</body></html>", "text/html")
    server.static("/empty", b"", "application/rss+xml")
    errors = await _errors(server, "blog", "moved", "plain", "empty")
    assert errors["blog"] == (
        "the URL returned an HTML page, not a feed; its feed is at "
        f"{server.base}/feed.xml?x=1&y=2: use that as url"
    )
    # relative to where the page was found, after the redirect
    assert f"its feed is at {server.base}/site/feed.xml?x=1&y=2" in errors["moved"]
    assert errors["plain"] == "the URL returned an HTML page, not a feed"
    assert errors["empty"] == "the server answered with an empty page, not a feed"


def test_feed_link_is_an_http_link_or_nothing() -> None:
    page = b"""<html><head>
    <link type="application/atom+xml" rel="alternate" href="javascript:alert(1)">
    <link rel="alternate stylesheet" type="text/css" href="https://x.test/a.css">
    <link rel=alternate type=application/atom+xml href=https://x.test/atom>
    </head></html>"""
    assert feed_link(page, "https://x.test/") == "https://x.test/atom"
    assert feed_link(b'<link rel="alternate" type="application/rss+xml" href="\x1b[2J">', "") == ""
