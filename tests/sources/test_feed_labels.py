"""Servers label feeds wrongly: the body decides what it is, not the Content-Type."""

from __future__ import annotations

from sources.feed import FeedSource
from sources.http import make_client
from sources.models import Post
from sources.poller import Poller
from tests.localhttp import Web

from .conftest import TEST_LIMITS

ATOM = (
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    b"<title>Acme</title><id>tag:acme.test,2026:feed</id><updated>2026-01-01T00:00:00Z</updated>"
    b"<entry><id>tag:acme.test,2026:1</id><title>Acme outage report</title>"
    b'<link href="https://acme.test/1"/><updated>2026-01-01T00:00:00Z</updated></entry></feed>'
)
JSON_FEED = (
    b'\xef\xbb\xbf\r\n  {"version": "https://jsonfeed.org/version/1.1", "title": "Acme",'
    b' "items": [{"id": "1", "title": "Acme 2.0", "url": "https://acme.test/2"}]}'
)


async def test_the_body_decides(server: Web) -> None:
    server.static("/atom-as-json", ATOM, "application/json")
    server.static("/json-as-html", JSON_FEED, "text/html; charset=utf-8")
    server.static("/json-as-xml", JSON_FEED, "application/xml")
    got: dict[str, list[Post]] = {}
    sources = [
        FeedSource(n, server.url(f"/{n}"), limits=TEST_LIMITS)
        for n in ("atom-as-json", "json-as-html", "json-as-xml")
    ]
    poller = Poller(
        sources,
        on_posts=lambda name, posts: got.setdefault(name, posts),
        client_factory=lambda: make_client(TEST_LIMITS, trust_env=False),
    )
    reports = await poller.poll_once()
    assert [r.error for r in reports] == ["", "", ""]
    assert [p.title for p in got["atom-as-json"]] == ["Acme outage report"]
    assert [p.title for p in got["json-as-html"]] == ["Acme 2.0"]
    assert [p.url for p in got["json-as-xml"]] == ["https://acme.test/2"]
