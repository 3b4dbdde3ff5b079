"""The README's config example is a config veille accepts, whole."""

from __future__ import annotations

import re
from pathlib import Path

from inbox.config import load_config
from sources.poller import build_sources

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_config_example_loads_without_errors(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"```toml\n(\[veille\].*?)```", text, re.S)
    assert m, "the README shows a config.toml"
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text(m.group(1), encoding="utf-8")
    cfg = load_config(cfg_file)
    assert cfg.errors == []
    sources, errors = build_sources(cfg.sources)
    assert errors == []
    assert {s.kind for s in sources} == {"feed", "mastodon", "bluesky", "hackernews"}


def test_readme_gives_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
