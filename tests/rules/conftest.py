"""Helpers for the rule tests: a post built from keywords, rule files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import TextPost

FakePost = TextPost


@pytest.fixture
def write_rules(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write {name: toml} into a fresh rules directory and return it."""

    def write(files: dict[str, str]) -> Path:
        d = tmp_path / "rules"
        d.mkdir(exist_ok=True)
        for name, text in files.items():
            (d / name).write_text(text, encoding="utf-8")
        return d

    return write
