"""`[[source]]` settings that cannot work are one error line naming the source.

`interval = nan` passed the "at least 10 seconds" check (nan < 10 is false) and the
poller then polled the server back to back; `interval = inf` (or 1e309, or a year
of seconds past the platform's clock) ended `veille fetch` with an OverflowError.
`enabled = "no"` left the source enabled.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sources.poller import build_sources
from tui.cli import main

FEED = {"kind": "feed", "name": "blog", "url": "https://blog.example/feed.xml"}


@pytest.mark.parametrize("interval", [math.nan, math.inf, 1e309, "inf", "nan", 1e12])
def test_an_interval_that_cannot_be_waited_is_an_error(interval: object) -> None:
    sources, errors = build_sources([{**FEED, "interval": interval}])
    assert sources == []
    assert errors == [
        "source #1 (blog): interval must be a number of seconds from 10 to 604800 (a week)"
    ]


@pytest.mark.parametrize("interval", [10, 900, 604800, "900"])
def test_a_sane_interval_is_kept(interval: object) -> None:
    sources, errors = build_sources([{**FEED, "interval": interval}])
    assert errors == [] and sources[0].interval == float(interval)  # type: ignore[arg-type]


@pytest.mark.parametrize("enabled", ["no", 0, "false"])
def test_enabled_must_be_true_or_false(enabled: object) -> None:
    sources, errors = build_sources([{**FEED, "enabled": enabled}])
    assert sources == []
    assert errors == ["source #1 (blog): enabled must be true or false"]


def test_fetch_with_an_infinite_interval_is_an_error_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[[source]]\nkind = "feed"\nname = "blog"\nurl = "http://127.0.0.1:9/f"\ninterval = inf\n'
    )
    code = main(["--config", str(cfg), "--data-dir", str(tmp_path / "d"), "fetch", "--once"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == "no source to poll\n"
    assert "source #1 (blog): interval must be a number of seconds" in err
