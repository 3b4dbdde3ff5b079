"""`veille ingest` fed hostile JSON Lines: each bad line is one message, the good lines land.

The command is how users bring any source veille lacks, so its input is as
untrusted as a feed: wrong types, absurd dates and numbers, nesting, surrogates.
"""

from __future__ import annotations

import json

from .conftest import Veille

GOOD = {"id": "good", "text": "how do I reset my acme password?"}

HOSTILE_LINES = [
    '{"text": "where is my order?", "created_at": "9999-12-31T23:59:00+00:00"}',
    '{"text": "old?", "created_at": "0001-01-01T00:00:00+00:00"}',
    '{"text": "epoch?", "created_at": 1e20}',
    '{"text": "neg?", "created_at": -1e12}',
    '{"text": "x", "followers": Infinity}',
    '{"text": "x", "followers": NaN}',
    '{"text": "x", "followers": 1e400}',
    '{"text": "x", "followers": "many"}',
    '{"text": "lone \\ud800 surrogate?"}',
    '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"text": null}',
    '{"text": ["a"]}',
    '{"text": "dup key", "text": 5}',
    '{"text": "x", "id": {"nested": true}}',
    '{"text": "x", "author": "' + "\u202e" * 10 + 'admin"}',
    "[1, 2, 3]",
    "not json at all",
    '{"text": "' + "y" * 300_000 + '"}',
    "\x00\x01\x02",
]


def test_far_future_date_is_stored_or_one_bad_line(veille: Veille) -> None:
    lines = [HOSTILE_LINES[0], json.dumps(GOOD)]
    r = veille.run("ingest", "-", stdin="\n".join(lines) + "\n")
    assert "Traceback" not in r.stderr, r.stderr[-800:]
    assert r.returncode == 0
    export = veille.run("export", "--format", "jsonl")
    assert "reset my acme password" in export.stdout


def test_hostile_lines_are_reported_and_the_good_ones_land(veille: Veille) -> None:
    lines = [json.dumps(GOOD), *HOSTILE_LINES[1:], json.dumps({**GOOD, "id": "good2"})]
    r = veille.run("ingest", "-", stdin="\n".join(lines) + "\n")
    assert "Traceback" not in r.stderr, r.stderr[-1500:]
    assert r.returncode == 0, r.stderr[-800:]
    for line in r.stderr.splitlines():
        assert line.startswith("veille: stdin:") and len(line) < 400, line
    export = veille.run("export", "--format", "jsonl")
    assert export.returncode == 0
    rows = [json.loads(x) for x in export.stdout.splitlines()]
    good = [row for row in rows if "reset my acme password" in str(row.get("text", ""))]
    assert len(good) == 2
