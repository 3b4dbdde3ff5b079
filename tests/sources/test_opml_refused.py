"""OPML outlines veille cannot use are said, and feed:// links are taken as the feeds they are.

Some readers export `feed://host/path` or `feed:https://...`; those were dropped with
every other non-http(s) link, and the summary ("added 0 feeds (0 already there)")
gave no hint why.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sources.opml import parse_opml
from tui.cli import main

OPML = b"""<opml version="2.0"><body>
<outline text="plain" xmlUrl="https://a.example/feed"/>
<outline text="apple" xmlUrl="feed://b.example/rss"/>
<outline text="wrapped" xmlUrl="feed:https://c.example/atom"/>
<outline text="script" xmlUrl="javascript:alert(1)"/>
<outline text="ftp" xmlUrl="ftp://d.example/x"/>
<outline text="folder"/>
</body></opml>"""


def test_feed_scheme_links_become_http_feeds() -> None:
    refused: list[str] = []
    feeds = parse_opml(OPML, refused=refused)
    assert [f["url"] for f in feeds] == [
        "https://a.example/feed",
        "http://b.example/rss",
        "https://c.example/atom",
    ]
    assert refused == ["javascript:alert(1)", "ftp://d.example/x"]


def test_import_says_what_it_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(OPML)
    cfg = tmp_path / "config.toml"
    code = main(
        ["--config", str(cfg), "--data-dir", str(tmp_path / "d"), "sources", "import", str(opml)]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert out == f"added 3 feeds to {cfg} (0 already there)\n"
    assert err == (
        "veille: skipped 2 outlines whose feed link is not http(s): "
        "javascript:alert(1), ftp://d.example/x\n"
    )
    assert len(tomllib.loads(cfg.read_text())["source"]) == 3
