"""Helpers for the rule tests: a post built from keywords, rule files in tmp_path."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest


@dataclass
class FakePost:
    text: str
    title: str = ""
    author: str = ""
    followers: int = 0
    lang: str = ""
    source_kind: str = ""
    url: str = ""
    is_reply: bool = False
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


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
