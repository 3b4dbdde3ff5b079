"""A bad line's message names the field that is wrong, so a user can fix the file."""

from __future__ import annotations

import json

import pytest

from inbox.ingest_jsonl import LineError, parse_jsonl_posts


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "x", "created_at": "garbage"}', "created_at: 'garbage' is not an ISO 8601 time"),
        ('{"text": "x", "created_at": 1700000000000}', "created_at: 1700000000000 is out of range"),
        ('{"text": "x", "created_at": 1e20}', "created_at: 1e+20 is out of range"),
        (
            '{"text": "x", "created_at": [1]}',
            "created_at must be an ISO 8601 time or epoch seconds",
        ),
        ('{"text": "x", "followers": 1e400}', "followers must be a finite number"),
        ('{"text": "x", "followers": NaN}', "followers must be a finite number"),
        ('{"text": "x", "followers": "12"}', "followers must be a number"),
    ],
)
def test_the_message_names_the_field(line: str, message: str) -> None:
    good = json.dumps({"text": "fine", "id": "g"})
    out = list(parse_jsonl_posts([good + "\n", line + "\n"], "in.jsonl"))
    assert not isinstance(out[0], LineError)
    assert out[1] == LineError("in.jsonl", 2, message)


@pytest.mark.parametrize("key", ["id", "remote_id", "in_reply_to", "source_kind", "author_id"])
def test_a_lone_surrogate_in_a_field_is_a_bad_line(key: str) -> None:
    # json.loads turns "\ud800" into a string no encoder will write: the post was stored,
    # and every export after it died with UnicodeEncodeError.
    line = '{"text": "x", "%s": "a\\ud800b"}' % key
    out = list(parse_jsonl_posts([line + "\n"], "in.jsonl"))
    assert out == [LineError("in.jsonl", 1, f"{key} holds a lone surrogate, which is not text")]
