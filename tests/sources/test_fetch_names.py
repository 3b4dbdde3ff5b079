"""`veille fetch --source NAME`: a name that is not configured is a usage error, nothing polled.

`--source blog --source blgo` used to poll "blog", warn about "blgo" and exit 0,
so a cron job with a typo reported success while one source was never polled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.localhttp import Web
from tui.cli import main


def test_an_unknown_source_name_stops_before_any_poll(
    server: Web, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[[source]]\nkind = "feed"\nname = "blog"\nurl = "{server.url("/f.xml")}"\n')
    data = tmp_path / "d"
    code = main(
        ["--config", str(cfg), "--data-dir", str(data), "fetch", "--once"]
        + ["--source", "blog", "--source", "blgo"]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err == "veille: no source named 'blgo' (configured: blog)\n"
    assert server.requests == []
    assert not data.exists()


def test_a_paused_source_named_says_it_is_paused(
    server: Web, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[[source]]\nkind = "feed"\nname = "blog"\nurl = "{server.url("/f.xml")}"\n'
        f'[[source]]\nkind = "feed"\nname = "forum"\nurl = "{server.url("/g.xml")}"\n'
        "enabled = false\n"
    )
    code = main(["--config", str(cfg), "--data-dir", str(tmp_path / "d"), "fetch", "--once"]
                + ["--source", "forum"])  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 2
    assert err == (
        "veille: source 'forum' is paused (enabled = false in the config): "
        "set enabled = true to poll it\n"
    )
    assert server.requests == []
