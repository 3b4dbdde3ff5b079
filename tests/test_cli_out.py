"""`--out FILE` on export and report: a place that cannot be written is one line, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main


@pytest.fixture()
def iso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import io

    post = {"id": "1", "text": "Where is my order? nimbus", "author": "ana"}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(post) + "\n"))
    args = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    assert main([*args, "ingest", "-"]) == 0
    return args


COMMANDS = [["export", "--format", "csv"], ["export"], ["report", "--format", "html"], ["report"]]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c))
def test_out_in_a_missing_directory_is_one_line_naming_it(
    iso: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], cmd: list[str]
) -> None:
    capsys.readouterr()
    target = tmp_path / "missing" / "out.file"
    assert main([*iso, *cmd, "--out", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"veille: {target}: No such file or directory\n"


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c))
def test_out_naming_a_directory_leaves_nothing_behind(
    iso: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], cmd: list[str]
) -> None:
    target = tmp_path / "adir"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    before = sorted(p.name for p in tmp_path.iterdir())
    capsys.readouterr()
    assert main([*iso, *cmd, "--out", str(target)]) == 1
    _, err = capsys.readouterr()
    assert err.startswith(f"veille: {target}: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "a temporary file was left"
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c))
def test_out_replaces_the_file_whole(
    iso: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], cmd: list[str]
) -> None:
    target = tmp_path / "out.file"
    target.write_text("old contents that are longer than nothing\n" * 1000)
    assert main([*iso, *cmd, "--out", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "old contents" not in text and text.strip()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "out.file"]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c))
def test_out_dash_is_stdout_not_a_file_named_dash(
    iso: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cmd: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main([*iso, *cmd, "--out", "-"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() and err == ""
    assert not (tmp_path / "-").exists()
