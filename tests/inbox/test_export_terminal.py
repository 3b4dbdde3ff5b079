"""Exports go to stdout, a terminal as often as a file: no byte of them may drive it.

Mentions stored before ingest cleaned its text, or by another tool, can hold
terminal escapes (ESC, the one-byte CSI U+009B) and bidi overrides. JSON Lines
keep them, escaped as \\uXXXX (the same string once parsed); CSV has no escape,
so they are dropped.
"""

from __future__ import annotations

import csv
import io
import json

from inbox.export import write_csv, write_jsonl

HOSTILE = "a\x1b]52;c;cHduZWQ=\x07b\x9b31mc\u202ed\x00e\x7ff\u2066g\rh\ni"


def test_jsonl_lines_carry_no_raw_control_or_override_and_parse_back_equal() -> None:
    buf = io.StringIO()
    write_jsonl([{"text": HOSTILE, "author": "\x9b2J"}], buf)
    line = buf.getvalue()
    raw = [c for c in line[:-1] if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F]
    assert raw == [], raw
    assert "\u202e" not in line and "\u2066" not in line
    assert json.loads(line) == {"text": HOSTILE, "author": "\x9b2J"}


def test_csv_cells_carry_no_control_or_override() -> None:
    buf = io.StringIO()
    write_csv([{"text": HOSTILE, "author": "\x9b2J", "title": "=1+1\x1b"}], buf)
    data = buf.getvalue()
    body = data.replace("\r\n", "")
    assert not [c for c in body if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    assert "\u202e" not in data and "\u2066" not in data
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows[0]["author"] == "2J"
    assert rows[0]["title"] == "'=1+1"
    assert rows[0]["text"] == "a]52;c;cHduZWQ=b31mcdefgh\ni"


def test_a_lone_surrogate_already_stored_does_not_stop_an_export() -> None:
    buf = io.StringIO()
    write_jsonl([{"id": "ingest:\ud800", "text": "x"}], buf)
    line = buf.getvalue()
    line.encode("utf-8")  # what stdout does: it must not raise
    assert json.loads(line)["id"] == "ingest:\ud800"
    buf = io.StringIO()
    write_csv([{"id": "ingest:\ud800", "text": "x"}], buf)
    buf.getvalue().encode("utf-8")
