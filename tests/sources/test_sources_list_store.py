"""`veille sources list` with a store it cannot read says so, in the table and the exit status.

It used to print every source as "not polled yet / never / at next fetch" and
exit 0: a monitoring script saw a healthy, fresh install.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main


def test_an_unreadable_store_is_exit_1_and_no_made_up_health(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[source]]\nkind = "hackernews"\nquery = "acme"\n')
    data = tmp_path / "data"
    data.write_text("a file where the data directory should be")
    code = main(["--config", str(cfg), "--data-dir", str(data), "sources", "list"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("veille: could not read the store")
    rows = out.splitlines()
    assert rows[0].split()[:3] == ["NAME", "KIND", "HEALTH"]
    assert rows[1].split() == ["hackernews:acme", "hackernews", "unknown", "?", "?"]


def test_a_fresh_store_is_not_polled_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[source]]\nkind = "hackernews"\nquery = "acme"\n')
    code = main(["--config", str(cfg), "--data-dir", str(tmp_path / "d"), "sources", "list"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "not polled yet" in out.splitlines()[1]
