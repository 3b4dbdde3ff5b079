"""`veille classify` fed hostile lines: each bad line is one error object, the run goes on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tui.cli import main

GOOD = '{"text": "Where is my order?"}'

HOSTILE = [
    '{"text": "x", "followers": 1e400}',
    '{"text": "x", "followers": Infinity}',
    '{"text": "x", "followers": -Infinity}',
    '{"text": "x", "followers": NaN}',
    '{"text": "x", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "[" * 100_000 + "]" * 100_000,
]


def classify(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stdin: str,
    *args: str,
) -> tuple[int, list[dict[str, object]], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    code = main([*iso, "classify", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.mark.parametrize("line", HOSTILE, ids=["1e400", "inf", "-inf", "nan", "nested", "array"])
def test_a_hostile_line_is_an_error_object_and_the_next_lines_are_classified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    code, out, err = classify(tmp_path, monkeypatch, capsys, f"{GOOD}\n{line}\n{GOOD}\n")
    assert code == 0, err
    assert [o["line"] for o in out] == [1, 2, 3]
    assert out[0]["category"] == out[2]["category"] == "question"
    assert str(out[1]["error"]).startswith("line 2: ")
    assert "category" not in out[1]


def test_an_infinite_follower_count_names_the_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = classify(tmp_path, monkeypatch, capsys, HOSTILE[0] + "\n")
    assert out == [{"line": 1, "error": 'line 1: "followers" must be a number'}]


@pytest.mark.parametrize(
    "line",
    ["[URGENT] where is my order?", '"Nimbus" app: how do I export my notes?'],
    ids=["bracket", "quote"],
)
def test_plain_text_that_starts_like_json_is_read_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    code, out, err = classify(tmp_path, monkeypatch, capsys, line + "\n")
    assert code == 0, err
    assert out[0]["category"] == "question", out


def test_broken_json_objects_are_still_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = classify(tmp_path, monkeypatch, capsys, '{"text": "where?"\n["a", "b"]\n')
    assert str(out[0]["error"]).startswith("line 1: invalid JSON")
    assert out[1]["error"] == "line 2: expected a JSON object"
