"""A feed that moved for good (301/308) is asked at its new address, and the user is told."""

from __future__ import annotations

from pathlib import Path

from sources.feed import FeedSource
from sources.http import make_client
from sources.poller import Poller
from tests.localhttp import Web

from .conftest import TEST_LIMITS
from .test_commands import veille, write_config

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Acme</title>'
    b"<item><title>Acme 2.0 is out</title><link>https://acme.test/2</link>"
    b"<guid>https://acme.test/2</guid></item></channel></rss>"
)


def _poller(server: Web, **urls: str) -> Poller:
    sources = [FeedSource(n, u, limits=TEST_LIMITS) for n, u in urls.items()]
    return Poller(sources, client_factory=lambda: make_client(TEST_LIMITS, trust_env=False))


async def test_a_permanent_move_is_followed_once_then_remembered(server: Web) -> None:
    server.static("/old.xml", b"", "text/plain", 301, {"Location": "/hop.xml"})
    server.static("/hop.xml", b"", "text/plain", 308, {"Location": "/new.xml"})
    server.static("/new.xml", RSS, "application/rss+xml")
    server.static("/temp.xml", b"", "text/plain", 302, {"Location": "/new.xml"})
    poller = _poller(server, moved=server.url("/old.xml"), temp=server.url("/temp.xml"))
    await poller.poll_once()
    note = f'moved for good: put url = "{server.url("/new.xml")}" in the config'
    assert poller.health("moved")["note"] == note
    assert "note" not in poller.health("temp")  # a 302 is temporary: nothing to change
    assert poller.state("moved")["moved"] == {
        "from": server.url("/old.xml"),
        "to": server.url("/new.xml"),
    }

    await poller.poll_once()
    assert len(server.hits("/old.xml")) == 1  # the second poll went straight to the new address
    assert len(server.hits("/temp.xml")) == 2
    assert poller.health("moved")["note"] == note  # still said until the config changes

    server.static("/new.xml", b"", "text/plain", 410)  # the new address went away
    server.static("/old.xml", RSS, "application/rss+xml")  # and the old one is back
    (report, _) = await poller.poll_once()
    assert report.ok
    assert len(server.hits("/old.xml")) == 2
    assert "moved" not in poller.state("moved") and "note" not in poller.health("moved")


def test_sources_list_says_where_the_feed_went(server: Web, tmp_path: Path) -> None:
    server.static("/old.xml", b"", "text/plain", 301, {"Location": "/new.xml"})
    server.static("/new.xml", RSS, "application/rss+xml")
    write_config(tmp_path, [{"kind": "feed", "name": "blog", "url": server.url("/old.xml")}])
    assert veille(tmp_path, "fetch", "--once").returncode == 0
    listing = veille(tmp_path, "sources", "list")
    row = listing.stdout.splitlines()[1]
    assert row.split()[:3] == ["blog", "feed", "ok"]
    assert row.endswith(f'moved for good: put url = "{server.url("/new.xml")}" in the config')
