"""`veille sources import` never leaves a config.toml that no longer parses.

Sources written as an inline array (`source = [{...}]`) are a valid config; the
`[[source]]` tables import appended to it were not ("Cannot mutate immutable
namespace"), and from then on every command refused the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tui.cli import main

OPML = '<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/f"/></body></opml>'


def imp(tmp_path: Path, cfg: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML)
    code = main(
        ["--config", str(cfg), "--data-dir", str(tmp_path / "d"), "sources", "import", str(opml)]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_an_inline_source_array_is_left_whole_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    text = 'source = [{kind = "feed", name = "x", url = "https://x.example/f"}]\n'
    cfg.write_text(text)
    code, out, err = imp(tmp_path, cfg, capsys)
    assert code == 1
    assert out == ""
    assert err.startswith(f"veille: {cfg}: cannot add [[source]] tables to this file (")
    assert "nothing was changed" in err
    assert cfg.read_text() == text
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_tables_are_appended_to_a_config_with_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[veille]\nbrand = "A"\n[[source]]\nkind = "hackernews"\nquery = "a"')
    code, out, _ = imp(tmp_path, cfg, capsys)
    assert code == 0
    assert out == f"added 1 feeds to {cfg} (0 already there)\n"
    data = tomllib.loads(cfg.read_text())
    assert [s["kind"] for s in data["source"]] == ["hackernews", "feed"]
    assert data["source"][1]["url"] == "https://a.example/f"
