"""`veille ingest` holding the store also takes in what an earlier `ingest` spooled.

Two `veille ingest` runs at once (two cron jobs): the second finds the store held and
spools its posts "for it to ingest", but an ingest never drained the spool, so the
posts waited until someone opened the console.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from inbox.spool import spool_dir, write_spool
from sources.models import Post
from tui.cli import main


def test_ingest_drains_the_spool_it_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    write_spool(tmp_path / "d", [Post(id="ingest:s1", text="spooled by the other job")])
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"text": "mine"}) + "\n"))
    assert main([*iso, "ingest", "-"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        "ingested 1 new, 0 duplicate, 0 filtered by topic, 0 bad lines",
        "spool: 1 new, 0 duplicate, 0 filtered by topic",
    ]
    assert list(spool_dir(tmp_path / "d").glob("*.jsonl")) == []
    assert main([*iso, "export"]) == 0
    texts = {json.loads(line)["text"] for line in capsys.readouterr()[0].splitlines()}
    assert texts == {"mine", "spooled by the other job"}
