"""`veille sources list` shows what is wrong now, and every source the user configured."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.cli import main
from tui.context import Context

CONFIG = """
[[source]]
kind = "feed"
name = "blog"
url = "http://127.0.0.1:9/blog.xml"

[[source]]
kind = "feed"
name = "forum"
url = "http://127.0.0.1:9/forum.xml"

[[source]]
kind = "hackernews"
query = "acme"
enabled = false

[[source]]
kind = "feed"
name = "reddit"
url = "http://127.0.0.1:9/r.rss"
"""


def _iso(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat(timespec="seconds")


def test_a_slow_source_shows_no_old_error_and_a_paused_one_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG)
    data = tmp_path / "data"
    ctx = Context.from_args(str(cfg), str(data))
    inbox = ctx.open_inbox()
    old = "127.0.0.1 server error (500)"
    common = {"last_error": old, "last_error_at": _iso(-timedelta(days=1))}
    inbox.set_source_health(
        "blog",
        {**common, "status": "slow", "since": _iso(-timedelta(minutes=3)),
         "last_success": _iso(-timedelta(minutes=3)), "next_poll": _iso(timedelta(minutes=12))},
    )  # fmt: skip
    inbox.set_source_health(
        "forum",
        {**common, "status": "failing", "since": _iso(-timedelta(hours=2)),
         "next_poll": _iso(timedelta(minutes=20))},
    )  # fmt: skip
    inbox.set_source_health(
        "reddit",
        {"status": "ok", "since": _iso(-timedelta(hours=1)), "retry_after": 420.0,
         "retry_until": _iso(timedelta(minutes=6)), "last_success": _iso(-timedelta(minutes=1)),
         "next_poll": _iso(timedelta(minutes=6))},
    )  # fmt: skip
    ctx.close()

    code = main(["--config", str(cfg), "--data-dir", str(data), "sources", "list"])
    out, _ = capsys.readouterr()
    assert code == 0
    rows = {r.split()[0]: r for r in out.splitlines()[1:]}
    assert "slow since 3 min ago" in rows["blog"] and old not in rows["blog"]
    assert "failing since 2 h ago" in rows["forum"] and rows["forum"].endswith(old)
    assert rows["reddit"].endswith("its rate limit is spent: waiting for the server's reset")
    assert rows["hackernews:acme"].split() == [
        "hackernews:acme", "hackernews", "paused", "enabled", "=", "false",
    ]  # fmt: skip
