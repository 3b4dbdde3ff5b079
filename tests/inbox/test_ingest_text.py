"""`veille ingest` makes text plain and links safe, as every source does.

A JSON Lines file is as untrusted as a feed: a terminal escape in a post or an
author name must not reach the store (and from there a CSV on stdout, a report,
a terminal), and a `javascript:` link must not become the mention's link.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from inbox.ingest_jsonl import post_from_obj
from tui.cli import main

ESC = "\x1b"


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *a: str
) -> tuple[int, str, str]:
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    code = main([*iso, *a])
    out, err = capsys.readouterr()
    return code, out, err


def test_escapes_and_overrides_never_reach_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    post = {
        "id": "1",
        "text": f"evil {ESC}[31mred{ESC}[0m\x07 text{ESC}]52;c;cHduZWQ=\x07 \u202eend",
        "author": f"{ESC}]0;owned\x07bob\u202e",
        "title": "title\x00 with\x9b nul",
        "url": "javascript:alert(1)",
        "lang": f"e{ESC}n",
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(post) + "\n"))
    assert run(tmp_path, monkeypatch, capsys, "ingest", "-")[0] == 0
    code, out, _ = run(tmp_path, monkeypatch, capsys, "export", "--format", "jsonl")
    assert code == 0
    row = json.loads(out)
    for key in ("text", "author", "title"):
        value = row[key]
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in value), (key, value)
        assert "\u202e" not in value, (key, value)
    assert row["text"] == "evil [31mred [0m text ]52;c;cHduZWQ= end"
    assert row["author"] == "]0;owned bob"
    assert row["url"] == ""
    code, csv_out, _ = run(tmp_path, monkeypatch, capsys, "export", "--format", "csv")
    assert ESC not in csv_out and "\x07" not in csv_out


def test_http_links_are_kept_and_newlines_fold_as_in_feeds() -> None:
    p = post_from_obj(
        {"text": "line one\nline  two\r\n", "url": "https://example.org/a?b=1", "author": " ana "}
    )
    assert p.text == "line one line two"
    assert p.url == "https://example.org/a?b=1"
    assert p.author == "ana"


def test_a_text_of_control_characters_only_is_a_bad_line() -> None:
    with pytest.raises(ValueError, match="'text' is required"):
        post_from_obj({"text": f"{ESC}\x07\x00"})


def test_ids_made_from_the_text_do_not_change_when_the_text_is_cleaned() -> None:
    # Files ingested before text was cleaned got ids hashed from the raw text; the same
    # file ingested again must find them as duplicates, not add a copy of each post.
    raw = {"text": f"two  spaces\nand {ESC}[1mbold", "author": "ana"}
    expected = hashlib.sha1(f"ingest\x00ana\x00{raw['text']}".encode()).hexdigest()[:16]
    assert post_from_obj(raw).id == f"ingest:{expected}"
