"""Feed URLs as users paste them: spaces around, feed://, or no scheme at all."""

from __future__ import annotations

from pathlib import Path

from tests.localhttp import Web

from .conftest import fixture_bytes
from .test_commands import veille, write_config


def test_pasted_feed_urls(server: Web, tmp_path: Path) -> None:
    server.static("/rss", fixture_bytes("rss2.xml"), "application/rss+xml")
    write_config(
        tmp_path,
        [
            {"kind": "feed", "name": "spaces", "url": f"  {server.url('/rss')} \n"},
            {
                "kind": "feed",
                "name": "feedproto",
                "url": server.url("/rss").replace("http", "feed"),
            },
            {"kind": "feed", "name": "noscheme", "url": "blog.example.org/feed.xml"},
        ],
    )
    run = veille(tmp_path, "fetch", "--once")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("spaces: ok, 3 fetched, 3 new")
    assert "feedproto: ok, 3 fetched" in run.stdout
    assert run.stderr == (
        "veille: source #3 (noscheme): feed needs an http(s) url, got "
        "'blog.example.org/feed.xml': write it with https:// in front "
        "(https://blog.example.org/feed.xml)\n"
    )
    assert len(server.hits("/rss")) == 2
