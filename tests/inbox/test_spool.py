"""The spool: posts handed to the process that holds the store, and its leftovers."""

from __future__ import annotations

import os
import time
from pathlib import Path

from inbox import Inbox, MemoryStore
from inbox.spool import drain_spool, spool_dir, write_spool
from rules import load_rules
from sources.models import Post


def test_spool_round_trip_and_stale_temp_files(tmp_path: Path) -> None:
    posts = [Post(id=f"t:{i}", text=f"how do I export {i}?", author="ana") for i in range(3)]
    path = write_spool(tmp_path, posts)
    assert path is not None and path.exists()
    d = spool_dir(tmp_path)
    stale = d / ".in-dead.tmp"
    stale.write_text("half a line", encoding="utf-8")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = d / ".in-writing.tmp"
    fresh.write_text("being written", encoding="utf-8")
    (d / "bad.jsonl").write_text('not json\n{"id": "x"}\n', encoding="utf-8")

    inbox = Inbox(MemoryStore(), load_rules())
    r = drain_spool(tmp_path, inbox)
    assert sorted(r.added) == ["t:0", "t:1", "t:2"]
    assert not path.exists() and not (d / "bad.jsonl").exists()
    assert not stale.exists(), "a temp file a killed writer left is cleaned"
    assert fresh.exists(), "a temp file being written right now is left alone"
    assert drain_spool(tmp_path, inbox).added == []
