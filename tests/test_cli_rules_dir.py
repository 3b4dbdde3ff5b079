"""A rules directory that is not there is said, never replaced by the default packs alone.

`classify --rules DIR` and `rules test --rules DIR` with a mistyped DIR used to
classify with the default packs and exit 0, so a script checked its rules against
rules it did not have; `rules check` passed a `[rules] dirs` entry that is not there.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    iso = ["--config", str(tmp_path / "config.toml"), "--data-dir", str(tmp_path / "d")]
    code = main([*iso, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "cmd",
    [["classify", "--rules", "{d}", "-"], ["rules", "test", "--rules", "{d}", "where?"]],
    ids=["classify", "rules test"],
)
def test_a_missing_rules_dir_is_an_error_before_any_verdict(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cmd: list[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "where is my order?"}\n'))
    missing = tmp_path / "rulez"
    code, out, err = run(capsys, tmp_path, *[c.format(d=missing) for c in cmd])
    assert code == 1
    assert out == ""
    assert err == f"veille: {missing}: no such rules directory or .toml file\n"


def test_a_rules_path_that_is_not_toml_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "rules.txt"
    notes.write_text("[[rule]]\n")
    code, out, _ = run(capsys, tmp_path, "rules", "check", str(notes))
    assert code == 1
    assert out == f"{notes}: not a rules directory or .toml file\n"


def test_a_configured_rules_dir_that_is_missing_fails_rules_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config.toml").write_text('[rules]\ndirs = ["rules", "mine"]\n')
    (tmp_path / "rules").mkdir()
    code, out, err = run(capsys, tmp_path, "rules", "check")
    assert code == 1
    assert out.splitlines()[0] == f"{tmp_path / 'mine'}: no such rules directory or .toml file"


def test_an_existing_rules_dir_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "vip.toml").write_text(
        '[[rule]]\nid = "vip"\nlabel = "vip"\nboost = 5\nfollowers_at_least = 1000\n'
    )
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "hello", "followers": 5000}\n'))
    code, out, err = run(capsys, tmp_path, "classify", "--rules", str(rules), "-")
    assert code == 0, err
    assert '"vip"' in out


def test_an_active_name_that_names_no_rule_file_fails_rules_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `active = ["default"]` (as the README's example reads) matched no file: no rule was in
    # force, every post was "other", and rules check said ok.
    (tmp_path / "config.toml").write_text('[rules]\ndirs = ["rules"]\nactive = ["default", "en"]\n')
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.toml").write_text('[[rule]]\nid = "m"\nlabel = "question"\n')
    code, out, _ = run(capsys, tmp_path, "rules", "check")
    assert code == 1
    assert out.splitlines()[0] == (
        "rules.active: 'default' names no rule file (there are: ar, core, en, fr, mine)"
    )


def test_active_names_that_all_exist_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config.toml").write_text('[rules]\nactive = ["core", "en.toml"]\n')
    code, out, _ = run(capsys, tmp_path, "rules", "check")
    assert code == 0, out
    assert out.startswith("ok: ")
