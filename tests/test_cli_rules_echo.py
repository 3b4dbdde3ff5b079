"""What the rules matched is quoted back by `classify` and `rules test`: never raw controls.

A reason quotes the words a rule fired on, so a post's terminal escape (ESC, the
one-byte CSI U+009B, a bidi override) reached the terminal through them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tui.cli import main

HOSTILE = "evil\x9b2J \x1b[2Jx \u202eabc"


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "all.toml").write_text('[[rule]]\nid = "all"\nlabel = "question"\nregex = ".+"\n')
    return d


def unsafe(text: str) -> list[str]:
    return [
        c
        for c in text
        if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E
    ]


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    code = main([*iso, *argv])
    return code, capsys.readouterr()[0]


def test_rules_test_prints_reasons_inert(
    tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(tmp_path, capsys, "rules", "test", "--rules", str(rules), HOSTILE)
    assert code == 0
    assert "  - all: label:question (evil2j [2jx abc)" in out.splitlines()
    assert unsafe(out) == []


def test_classify_escapes_what_json_leaves_raw(
    tmp_path: Path, rules: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"text": HOSTILE}) + "\n"))
    code, out = run(tmp_path, capsys, "classify", "--rules", str(rules), "-")
    assert code == 0
    assert unsafe(out) == []
    assert json.loads(out)["reasons"] == [f"all: label:question ({HOSTILE.lower()})"]
