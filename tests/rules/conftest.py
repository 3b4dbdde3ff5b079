"""Helpers for the rule tests: a post built from keywords, rule files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import RuleSet, TextPost, load_rules

FakePost = TextPost


@pytest.fixture(scope="session")
def rs() -> RuleSet:
    """The default packs, loaded once for the tests that read what they decide."""
    rules = load_rules()
    assert rules.errors == []
    return rules


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
