"""Exports a spreadsheet can redo every figure from: triage state, labels, reply times, clusters."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from inbox.model import Mention

__all__ = ["COLUMNS", "export_rows", "json_line", "write_csv", "write_jsonl"]

COLUMNS = [
    "id",
    "source",
    "sources",
    "source_kind",
    "created_at",
    "first_seen",
    "author",
    "followers",
    "language",
    "category",
    "labels",
    "sentiment",
    "sentiment_label",
    "priority",
    "state",
    "state_by",
    "assignee",
    "cluster",
    "sla_minutes",
    "sla_deadline",
    "closed_at",
    "first_response_at",
    "response_minutes",
    "replies",
    "url",
    "title",
    "text",
    "reasons",
]


def _iso(d: datetime | None) -> str:
    return d.isoformat() if d else ""


def export_rows(
    mentions: Iterable[Mention], since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    for m in mentions:
        if since is not None and m.post.created_at < since:
            continue
        v = m.verdict
        rm = m.response_minutes
        yield {
            "id": m.id,
            "source": m.post.source,
            "sources": list(m.sources),
            "source_kind": m.post.source_kind,
            "created_at": _iso(m.post.created_at),
            "first_seen": _iso(m.first_seen),
            "author": m.post.author,
            "followers": m.post.followers,
            "language": v.language,
            "category": v.category,
            "labels": list(v.labels),
            "sentiment": round(v.sentiment.compound, 4),
            "sentiment_label": v.sentiment.label,
            "priority": round(v.priority, 4),
            "state": m.state,
            "state_by": m.state_by,
            "assignee": m.assignee,
            "cluster": m.cluster,
            "sla_minutes": v.sla_minutes,
            "sla_deadline": _iso(m.sla_deadline()),
            "closed_at": _iso(m.closed_at),
            "first_response_at": _iso(m.first_response_at),
            "response_minutes": round(rm, 2) if rm is not None else None,
            "replies": len(m.replies),
            "url": m.post.url,
            "title": m.post.title,
            "text": m.post.text,
            "reasons": [str(r) for r in v.reasons],
        }


# What could drive a terminal the export is printed on, or disguise a cell: C0 but tab
# and newline, DEL, C1 (U+009B is a one-byte CSI) and the bidi overrides and isolates.
# Lone surrogates are not text at all: no encoder writes them, so stdout would raise.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# json.dumps escapes C0 itself; with ensure_ascii=False it writes these raw.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_line(obj: Any) -> str:
    """One JSON text for a terminal or a file: unsafe characters as \\uXXXX (same value)."""
    line = json.dumps(obj, ensure_ascii=False)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object a line; unsafe characters written as \\uXXXX (same value parsed)."""
    n = 0
    for row in rows:
        out.write(json_line(row) + "\n")
        n += 1
    return n


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(v: Any) -> str:
    """Plain text cells; a leading formula character is defused for spreadsheets.

    CSV has no escape for a control character, so those that could drive a terminal
    are dropped.
    """
    if v is None:
        return ""
    if isinstance(v, list):
        v = "|".join(str(x) for x in v)
    s = _UNSAFE.sub("", str(v))
    if s.startswith(_FORMULA) and not isinstance(v, int | float):
        s = "'" + s
    return s


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    w = csv.writer(out)
    w.writerow(COLUMNS)
    n = 0
    for row in rows:
        w.writerow([_cell(row.get(c)) for c in COLUMNS])
        n += 1
    return n
