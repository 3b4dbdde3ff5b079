"""`veille classify` and `veille rules check|test`: in-process and as real subprocesses."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.commands import classify, rules_cmd

ROOT = Path(__file__).resolve().parents[2]


def veille(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "VEILLE_CONFIG": str(tmp_path / "no-config.toml"),
        "VEILLE_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_classify_lines_in_order_with_errors() -> None:
    rs = rules_cmd.load_rules()
    lines = [
        "How do I reset my password?\n",
        '{"text": "Ma box est en panne", "followers": 12}\n',
        "{broken json\n",
        '{"no_text": 1}\n',
        "\n",
        '{"text": "شكرا جزيلا", "lang": "ar"}\n',
        '{"text": "x", "followers": "many"}\n',
    ]
    out = list(classify.classify_lines(rs, lines))
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5, 6, 7]
    assert out[0]["category"] == "question"
    assert out[1]["category"] == "complaint" and out[1]["language"] == "fr"
    assert "line 3" in out[2]["error"] and "invalid JSON" in out[2]["error"]
    assert "line 4" in out[3]["error"]
    assert "line 5" in out[4]["error"]
    assert out[5]["category"] == "praise" and out[5]["sentiment"]["label"] == "positive"
    assert "followers" in out[6]["error"]
    for o in (out[0], out[1], out[5]):
        assert set(o) >= {"category", "labels", "sentiment", "language", "priority", "reasons"}
        assert -1 <= o["sentiment"]["compound"] <= 1


def test_rules_check_function(write_rules) -> None:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    ok = rules_cmd.run_check(argparse.Namespace(dir=None), None, buf)
    assert ok == 0 and buf.getvalue().startswith("ok:")
    d = write_rules({"bad.toml": '[[rule]]\nid = "x"\nlabel = "x"\nregex = "("\n'})
    buf = io.StringIO()
    assert rules_cmd.run_check(argparse.Namespace(dir=str(d)), None, buf) == 1
    assert "bad.toml:4:1: rule 'x': bad regex" in buf.getvalue()


def test_cli_classify_stdin(tmp_path: Path) -> None:
    stdin = 'Why is my refund still not here?\n{"text": "Merci beaucoup, super service"}\n{oops\n'
    r = veille(tmp_path, "classify", "-", stdin=stdin)
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["category"] == "question" and "complaint" in out[0]["labels"]
    assert out[0]["reasons"]
    assert out[1]["category"] == "praise" and out[1]["language"] == "fr"
    assert "error" in out[2] and "line 3" in out[2]["error"]


def test_cli_classify_file_with_rules_dir(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "vip.toml").write_text(
        '[[rule]]\nid = "vip"\nlabel = "vip"\nboost = 5\nfollowers_at_least = 1000\n'
    )
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"text": "hello", "followers": 5000}\n', encoding="utf-8")
    r = veille(tmp_path, "classify", "--rules", str(rules), str(posts))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert "vip" in out["labels"] and out["priority"] == 6.0


def test_cli_rules_check(tmp_path: Path) -> None:
    r = veille(tmp_path, "rules", "check")
    assert r.returncode == 0, r.stdout + r.stderr
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.toml").write_text('[[rule]]\nid = "a"\nlabel = "a"\n  wrods = ["x"]\n')
    (rules / "b.toml").write_text("[[rule]\n")
    r = veille(tmp_path, "rules", "check", str(rules))
    assert r.returncode == 1
    assert "a.toml:4:3: rule 'a': unknown key 'wrods'" in r.stdout
    assert "b.toml:1:" in r.stdout
    assert r.stderr == ""  # nothing from RE2 or anyone else


@pytest.mark.parametrize(
    ("text", "category"),
    [("Est-ce que vous livrez le dimanche ?", "question"), ("الخدمة سيئة وما احد رد", "complaint")],
)
def test_cli_rules_test(tmp_path: Path, text: str, category: str) -> None:
    r = veille(tmp_path, "rules", "test", text)
    assert r.returncode == 0, r.stderr
    assert f"category:   {category}" in r.stdout
    assert "reasons:" in r.stdout and "label:" in r.stdout
