"""`sources import` skips feeds already configured even when the link is written differently.

A feed configured as https://www.blog.example/feed/ and exported by a reader as
https://blog.example/feed?utm_source=reader was imported a second time, and polled twice.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tui.cli import main

OPML = """<opml version="2.0"><body>
<outline text="blog" xmlUrl="https://blog.example/feed?utm_source=reader"/>
<outline text="news" xmlUrl="https://news.example/rss"/>
</body></opml>"""


def test_a_feed_configured_under_another_spelling_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[source]]\nkind = "feed"\nname = "Blog"\nurl = "https://www.blog.example/feed/"\n'
    )
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML)
    code = main(
        ["--config", str(cfg), "--data-dir", str(tmp_path / "d"), "sources", "import", str(opml)]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == f"added 1 feeds to {cfg} (1 already there)\n"
    urls = [s["url"] for s in tomllib.loads(cfg.read_text())["source"]]
    assert urls == ["https://www.blog.example/feed/", "https://news.example/rss"]
