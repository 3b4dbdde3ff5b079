"""Mastodon's tag RSS names no author: it is read from the status link, as the API gives it."""

from __future__ import annotations

from sources.feed import FeedSource
from sources.http import make_client
from sources.models import Post
from sources.poller import Poller
from tests.localhttp import Web

from .conftest import TEST_LIMITS

TAG_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>#acme</title>
<link>https://social.test/tags/acme</link>
<item><guid isPermaLink="true">https://ioc.test/@jon_404/111544891736153138</guid>
<link>https://ioc.test/@jon_404/111544891736153138</link>
<pubDate>Fri, 08 Dec 2023 12:52:54 +0000</pubDate>
<description>&lt;p&gt;Is &lt;a href="https://ioc.test/tags/acme"&gt;#acme&lt;/a&gt;
down?&lt;/p&gt;</description>
</item>
<item><guid>https://blog.test/@not-a-status/about/page</guid>
<link>https://blog.test/@not-a-status/about/page</link>
<description>acme on a page whose path only looks like a profile</description></item>
</channel></rss>"""


async def test_mastodon_tag_feed_items_have_authors(server: Web) -> None:
    server.static("/tags/acme.rss", TAG_RSS, "application/rss+xml; charset=utf-8")
    src = FeedSource("tag", preset="mastodon_tag", instance=server.base, tag="#acme")
    src.limits = TEST_LIMITS
    got: list[Post] = []
    poller = Poller(
        [src],
        on_posts=lambda _name, posts: got.extend(posts),
        client_factory=lambda: make_client(TEST_LIMITS, trust_env=False),
    )
    (report,) = await poller.poll_once()
    assert report.ok, report.error
    assert [p.author for p in got] == ["@jon_404@ioc.test", ""]
    assert got[0].text == "Is #acme down?"
