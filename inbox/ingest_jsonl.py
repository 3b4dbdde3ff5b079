"""JSON Lines posts in: how users bring a source veille lacks, and how benchmarks load data.

A file is as untrusted as a feed, so its posts are made the way a source makes
them: text, title and names are plain text (control characters, terminal escapes
and bidi overrides dropped, whitespace folded) and a link is kept only when it
is http/https.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sources.models import Post
from sources.text import clean_text, safe_url

__all__ = ["LineError", "parse_jsonl_posts", "post_from_obj"]

MAX_TEXT = 100_000


@dataclass(frozen=True)
class LineError:
    name: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.name}:{self.line}: {self.message}"


def _when(v: Any) -> datetime | None:
    """created_at as an aware time; ValueError naming the field when it is not one."""
    if v is None or v == "":
        return None
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise ValueError("created_at must be an ISO 8601 time or epoch seconds")
    try:
        if isinstance(v, str):
            d = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
            return d if d.tzinfo else d.replace(tzinfo=timezone.utc)
        return datetime.fromtimestamp(float(v), timezone.utc)
    except ValueError:
        if isinstance(v, str):
            raise ValueError(f"created_at: {v[:40]!r} is not an ISO 8601 time") from None
        raise ValueError(f"created_at: {v!r} is out of range") from None
    except (OverflowError, OSError):  # epoch seconds past what the platform holds
        raise ValueError(f"created_at: {v!r} is out of range") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _str(obj: dict[str, Any], key: str) -> str:
    v = obj.get(key)
    if v is None:
        return ""
    if isinstance(v, str | int | float) and not isinstance(v, bool):
        s = str(v)
        if _SURROGATE.search(s):  # JSON's "\ud800": a string no encoder will write
            raise ValueError(f"{key} holds a lone surrogate, which is not text")
        return s
    raise ValueError(f"{key} must be a string")


def post_from_obj(obj: Any) -> Post:
    """One JSON object to a Post; raises ValueError naming the bad field."""
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    raw = obj.get("text")
    if not isinstance(raw, str):
        raise ValueError("'text' is required and must be a non-empty string")
    text = clean_text(raw[: MAX_TEXT * 2])
    if not text:
        raise ValueError("'text' is required and must be a non-empty string")
    text = text[:MAX_TEXT]
    raw_source = _str(obj, "source") or "ingest"
    source = clean_text(raw_source) or "ingest"
    raw_author = _str(obj, "author")
    author = clean_text(raw_author)
    followers = obj.get("followers", 0)
    if followers is None:
        followers = 0
    if isinstance(followers, bool) or not isinstance(followers, int | float):
        raise ValueError("followers must be a number")
    if not math.isfinite(followers):
        raise ValueError("followers must be a finite number")
    created = _when(obj.get("created_at"))
    rid = _str(obj, "id")
    if not rid:
        # Hashed from the text as given, not as cleaned: files ingested before the
        # cleaning keep their ids, so ingesting them again finds duplicates.
        key = f"{raw_source}\x00{raw_author}\x00{raw[:MAX_TEXT]}"
        rid = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    kind = _str(obj, "source_kind") or (source.split(":", 1)[0] if ":" in source else "ingest")
    kw: dict[str, Any] = {}
    if created is not None:
        kw["created_at"] = created
    return Post(
        id=rid if ":" in rid else f"{kind}:{rid}",
        text=text,
        source=source,
        source_kind=kind,
        author=author,
        author_id=clean_text(_str(obj, "author_id")),
        title=clean_text(_str(obj, "title")),
        url=safe_url(_str(obj, "url")),
        followers=max(0, int(followers)),
        lang=clean_text(_str(obj, "lang")),
        remote_id=_str(obj, "remote_id"),
        in_reply_to=_str(obj, "in_reply_to"),
        **kw,
    )


def parse_jsonl_posts(lines: Iterable[str], name: str = "-") -> Iterator[Post | LineError]:
    """Yield a Post per good line and a LineError per bad one; blank lines are skipped."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield post_from_obj(json.loads(line))
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield LineError(name, n, msg[:200])
