"""The command-line contracts: help, ingest, export, --config/--data-dir and their variables."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def veille(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=e,
        timeout=120,
    )


@pytest.fixture()
def iso(tmp_path: Path) -> list[str]:
    return ["--config", str(tmp_path / "config.toml"), "--data-dir", str(tmp_path / "data")]


POSTS = [
    {
        "id": "1",
        "text": "How do I export my notes?",
        "author": "ana",
        "followers": 120,
        "lang": "en",
    },
    {"id": "2", "text": "The app is broken again, worst update ever", "author": "bob"},
    {"text": "Comment exporter mes notes ?", "author": "chloé", "source": "mastodon:#nimbus"},
    {"id": "4", "text": '=HYPERLINK("http://evil")', "author": "eve", "url": "https://x.example/4"},
]


def test_help_lists_every_command() -> None:
    out = veille("--help")
    assert out.returncode == 0
    for cmd in ("ingest", "export"):
        assert cmd in out.stdout
    sub = veille("ingest", "--help")
    assert sub.returncode == 0 and "JSON Lines" in sub.stdout


def test_ingest_then_export_round_trip(iso: list[str], tmp_path: Path) -> None:
    data = "\n".join(json.dumps(p) for p in POSTS) + '\nnot json\n{"text": 5}\n\n'
    out = veille(*iso, "ingest", "-", stdin=data)
    assert out.returncode == 0, out.stderr
    assert "ingested 4 new" in out.stdout
    assert "stdin:5:" in out.stderr and "stdin:6:" in out.stderr
    # ingesting the same posts again adds nothing
    again = veille(*iso, "ingest", "-", stdin=data)
    assert "ingested 0 new, 4 duplicate" in again.stdout

    exp = veille(*iso, "export", "--format", "jsonl")
    assert exp.returncode == 0, exp.stderr
    rows = [json.loads(line) for line in exp.stdout.splitlines()]
    assert len(rows) == 4
    by_text = {r["text"]: r for r in rows}
    assert by_text["How do I export my notes?"]["category"] == "question"
    assert by_text["How do I export my notes?"]["state"] == "open"
    assert by_text["Comment exporter mes notes ?"]["source"] == "mastodon:#nimbus"

    out_file = tmp_path / "out.csv"
    exp2 = veille(*iso, "export", "--format", "csv", "--out", str(out_file))
    assert exp2.returncode == 0, exp2.stderr
    table = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert len(table) == 4
    evil = [r for r in table if r["author"] == "eve"][0]
    assert evil["text"].startswith("'="), "a formula must not reach a spreadsheet live"


def test_environment_variables_choose_isolated_copies(tmp_path: Path) -> None:
    env = {"VEILLE_CONFIG": str(tmp_path / "c.toml"), "VEILLE_DATA_DIR": str(tmp_path / "d")}
    out = veille("ingest", "-", env=env, stdin=json.dumps(POSTS[0]) + "\n")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "d").is_dir()
    exp = veille("export", env=env)
    assert len(exp.stdout.splitlines()) == 1


def test_missing_file_is_one_clear_line(iso: list[str], tmp_path: Path) -> None:
    out = veille(*iso, "ingest", str(tmp_path / "nope.jsonl"))
    assert out.returncode == 1
    assert "nope.jsonl" in out.stderr and "Traceback" not in out.stderr


def test_broken_config_names_file_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[veille]\nbrand = "Acme"\n[topik]\nkeywords = ["acme"]\n', encoding="utf-8")
    out = veille("--config", str(cfg), "--data-dir", str(tmp_path / "d"), "export")
    assert out.returncode == 0
    assert f"{cfg}:3: unknown section 'topik' (did you mean [topic]?)" in out.stderr
