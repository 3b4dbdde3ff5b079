"""`classify` and `rules test` with a broken rule file: every line still answered, exit 1.

The broken file is left out, so every verdict is made without the user's rules in
it; the errors went to stderr but the exit status was 0, and a script comparing
verdicts took them for the real thing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tui.cli import main


@pytest.fixture()
def broken_rules(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    d.mkdir()
    (d / "mine.toml").write_text('[[rule]]\nid = "x"\nlabel = "question"\nregex = "(a"\n')
    return d


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    code = main([*iso, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_classify_answers_every_line_and_exits_1(
    tmp_path: Path,
    broken_rules: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("where is my order?\nthanks a lot\n"))
    code, out, err = run(tmp_path, capsys, "classify", "--rules", str(broken_rules), "-")
    assert code == 1
    assert [json.loads(line)["line"] for line in out.splitlines()] == [1, 2]
    assert f"veille: {broken_rules / 'mine.toml'}:4:1: rule 'x': bad regex" in err


def test_rules_test_shows_the_verdict_and_exits_1(
    tmp_path: Path, broken_rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(tmp_path, capsys, "rules", "test", "--rules", str(broken_rules), "hi?")
    assert code == 1
    assert out.startswith("category:")
    assert "mine.toml:4:1:" in err


def test_good_rules_exit_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("where is my order?\n"))
    assert run(tmp_path, capsys, "classify", "-")[0] == 0
    assert run(tmp_path, capsys, "rules", "test", "hi?")[0] == 0
