"""RSS items with relative links get absolute ones, read against where the feed was found."""

from __future__ import annotations

from sources.feed import FeedSource
from sources.http import make_client
from sources.models import Post
from sources.poller import Poller
from tests.localhttp import Web

from .conftest import TEST_LIMITS

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Acme blog</title><link>/</link>
<item><title>Acme 2.0 ships</title><link>/posts/acme-2</link><guid>/posts/acme-2</guid>
<comments>/posts/acme-2#comments</comments></item>
<item><title>Notes</title><link>notes/3</link></item>
<item><title>Bad</title><link>javascript:alert(1)</link></item>
</channel></rss>"""


async def test_relative_links_are_made_absolute(server: Web) -> None:
    server.static("/feed", b"", "text/plain", 302, {"Location": "/blog/feed.xml"})
    server.static("/blog/feed.xml", RSS, "application/rss+xml")
    got: list[Post] = []
    poller = Poller(
        [FeedSource("blog", server.url("/feed"), limits=TEST_LIMITS)],
        on_posts=lambda _n, posts: got.extend(posts),
        client_factory=lambda: make_client(TEST_LIMITS, trust_env=False),
    )
    (report,) = await poller.poll_once()
    assert report.ok, report.error
    by_title = {p.title: p for p in got}
    assert by_title["Acme 2.0 ships"].url == server.url("/posts/acme-2")
    assert by_title["Acme 2.0 ships"].extra["comments_url"] == server.url("/posts/acme-2#comments")
    assert by_title["Notes"].url == server.url("/blog/notes/3")
    assert by_title["Bad"].url == ""
