"""`veille fetch --once` from cron: a server that asked for a pause is left alone until it ends."""

from __future__ import annotations

from pathlib import Path

from tests.localhttp import Web

from .conftest import fixture_bytes
from .test_commands import veille, write_config


def test_fetch_once_twice_leaves_a_rate_limited_server_alone(server: Web, tmp_path: Path) -> None:
    server.static("/good", fixture_bytes("rss2.xml"), "application/rss+xml")
    server.static("/limited", b"slow down", "text/plain", 429, {"Retry-After": "3600"})
    write_config(
        tmp_path,
        [
            {"kind": "feed", "name": "good", "url": server.url("/good")},
            {"kind": "feed", "name": "limited", "url": server.url("/limited")},
        ],
    )
    first = veille(tmp_path, "fetch", "--once")
    assert first.returncode == 0, first.stderr
    assert "limited: failed: rate limited by 127.0.0.1 (429), asked to wait 1 h" in first.stdout

    second = veille(tmp_path, "fetch", "--once")
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    waiting = "limited: waiting: rate limited by 127.0.0.1 (429), asked to wait 1 h; next try in "
    assert lines[1] in (waiting + "1 h", waiting + "60 min", waiting + "59 min"), lines[1]
    assert lines[-1] == "1 sources polled, 0 failed, 1 waiting for the server, 0 new mentions"
    assert len(server.hits("/limited")) == 1  # asked once, not again within the hour
    assert len(server.hits("/good")) == 2

    listing = veille(tmp_path, "sources", "list")
    row = next(r for r in listing.stdout.splitlines() if r.startswith("limited"))
    assert "failing since" in row and "asked to wait 1 h" in row
