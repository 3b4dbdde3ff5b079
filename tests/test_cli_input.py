"""What `ingest` and `classify` read: files and stdin as real bytes, as editors and pipes make them.

A UTF-8 byte-order mark (Windows editors write one) made `classify` read the first
line as plain text, JSON and all, and `ingest` reject it; one byte that is not
UTF-8 on stdin ended the run with a traceback; a carriage return alone inside a
line split it in two, so `classify` gave more lines out than came in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BOM = b"\xef\xbb\xbf"


def veille(tmp_path: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    # A UTF-8 locale reads stdin strictly: the way most users' terminals and pipes are set.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "0"}
    return subprocess.run(
        [sys.executable, "-m", "tui", *iso, *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )


QUESTION = b'{"text": "where is my order?"}'


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_classify_reads_json_after_a_byte_order_mark(tmp_path: Path, via: str) -> None:
    data = BOM + QUESTION + b"\r\n" + QUESTION + b"\r\n"
    f = tmp_path / "in.jsonl"
    f.write_bytes(data)
    r = veille(tmp_path, "classify", str(f) if via == "file" else "-", stdin=data)
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["category"] for o in out] == ["question", "question"]


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_ingest_takes_the_first_line_after_a_byte_order_mark(tmp_path: Path, via: str) -> None:
    data = BOM + QUESTION + b"\n"
    f = tmp_path / "in.jsonl"
    f.write_bytes(data)
    r = veille(tmp_path, "ingest", str(f) if via == "file" else "-", stdin=data)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"ingested 1 new"), r.stdout
    assert r.stderr == b""


@pytest.mark.parametrize("command", ["classify", "ingest"])
def test_bytes_that_are_not_utf8_on_stdin_are_replaced_not_fatal(
    tmp_path: Path, command: str
) -> None:
    data = b'{"text": "caf\xe9 where is my order?"}\n' + QUESTION + b"\n"
    r = veille(tmp_path, command, "-", stdin=data)
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr
    if command == "classify":
        assert len(r.stdout.splitlines()) == 2
    else:
        assert r.stdout.startswith(b"ingested 2 new"), r.stdout
        exported = veille(tmp_path, "export")
        texts = {json.loads(line)["text"] for line in exported.stdout.splitlines()}
        assert "caf\ufffd where is my order?" in texts


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_classify_gives_one_line_out_per_newline_in(tmp_path: Path, via: str) -> None:
    data = b"thanks\ra lot\n" + QUESTION + b"\n"
    f = tmp_path / "in.txt"
    f.write_bytes(data)
    r = veille(tmp_path, "classify", str(f) if via == "file" else "-", stdin=data)
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2]
    assert out[1]["category"] == "question"
