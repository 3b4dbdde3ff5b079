"""The demo source: bundled mentions of a fictional brand, replayed as if live.

veille with no config must show something that looks and behaves like a real
listening session, offline: a burst at start so the panes fill, then a trickle
so they visibly live. The data ships as package data
(`sources/demo_data/mentions.jsonl`, one JSON object a line, sorted by `delay`)
and is replayed against the clock, never against the network.

The replay start and the index of the next item live in the poll state that
the inbox persists, so a restart resumes the same replay instead of starting
over and duplicating the timeline. Once the data is exhausted the source stays
quiet (`state["done"]`): it never invents fresh posts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import httpx

from sources.base import PollResult, Source, SourceError
from sources.models import Post, utcnow

__all__ = ["DEMO_DATA", "DemoSource", "load_demo_items", "load_demo_posts"]

DEMO_DATA = "demo_data/mentions.jsonl"
_REQUIRED = ("id", "text", "delay")


def _read_text(data: Path | None) -> tuple[str, str]:
    """Return (text, where) of the data file: the bundled one unless `data` is given."""
    try:
        if data is not None:
            return data.read_text(encoding="utf-8"), str(data)
        res = resources.files("sources").joinpath(DEMO_DATA)
        return res.read_text(encoding="utf-8"), f"sources/{DEMO_DATA}"
    except (OSError, UnicodeDecodeError) as exc:
        where = str(data) if data is not None else f"sources/{DEMO_DATA}"
        raise SourceError(f"demo data unreadable: {where}: {exc}") from exc


def load_demo_items(data: Path | None = None) -> list[dict[str, Any]]:
    """The raw demo records, sorted by `delay` (stable), validated line by line.

    A broken line is a packaging defect, so it fails loudly with `file:line`
    rather than being skipped: a silently shorter demo would hide the bug.
    """
    text, where = _read_text(data)
    items: list[dict[str, Any]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{where}:{lineno}: invalid JSON: {exc.msg}") from exc
        if not isinstance(item, dict) or any(k not in item for k in _REQUIRED):
            raise SourceError(f"{where}:{lineno}: needs an object with {', '.join(_REQUIRED)}")
        if not isinstance(item["delay"], int | float) or item["delay"] < 0:
            raise SourceError(f"{where}:{lineno}: delay must be a number >= 0")
        items.append(item)
    items.sort(key=lambda i: float(i["delay"]))
    return items


def _to_post(item: dict[str, Any], start: datetime, speed: float) -> Post:
    """Map one record onto a Post; the demo's own labels travel in `extra`.

    `source_kind` stays "demo" so no reply channel ever tries to post to a real
    network; the kind the record imitates is kept in `extra["via"]`.
    """
    extra: dict[str, Any] = {"via": str(item.get("source_kind", ""))}
    for key in ("expected", "cluster", "author_name"):
        if item.get(key):
            extra[key] = item[key]
    remote_id = str(item["id"])
    return Post(
        id=f"demo:{remote_id}",
        text=str(item["text"]),
        source=str(item.get("source") or "demo"),
        source_kind="demo",
        author=str(item.get("author", "")),
        author_id=str(item.get("author_id", "")),
        title=str(item.get("title", "")),
        url=str(item.get("url", "")),
        created_at=start + timedelta(seconds=float(item["delay"]) / speed),
        followers=int(item.get("followers", 0)),
        lang=str(item.get("lang", "")),
        remote_id=remote_id,
        in_reply_to=str(item.get("in_reply_to", "")),
        extra=extra,
    )


def load_demo_posts(data: Path | None = None, start: datetime | None = None) -> list[Post]:
    """Every demo post at once (tests, benchmarks), timed from `start` (default now)."""
    begin = start if start is not None else utcnow()
    return [_to_post(item, begin, 1.0) for item in load_demo_items(data)]


class DemoSource(Source):
    """Replays the bundled mentions; `speed` > 1 compresses the timeline."""

    kind: ClassVar[str] = "demo"

    def __init__(
        self,
        name: str = "demo",
        interval: float = 1.0,
        speed: float = 1.0,
        data: Path | None = None,
        **_: object,
    ) -> None:
        super().__init__(name, interval)
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self.speed = float(speed)
        self.data = Path(data).expanduser() if data is not None else None
        self.clock: Callable[[], datetime] = utcnow  # replaced by tests for exact timing
        self._items: list[dict[str, Any]] | None = None

    def _load(self) -> list[dict[str, Any]]:
        if self._items is None:
            self._items = load_demo_items(self.data)
        return self._items

    def _start(self, state: dict[str, Any], now: datetime) -> datetime:
        raw = state.get("started_at")
        if isinstance(raw, str):
            try:
                start = datetime.fromisoformat(raw)
            except ValueError:
                return now
            return start if start.tzinfo else start.replace(tzinfo=timezone.utc)
        return now

    async def poll(self, client: httpx.AsyncClient, state: dict[str, Any]) -> PollResult:
        """Return the posts that fell due since the last poll; the client is unused."""
        items = self._load()
        now = self.clock()
        start = self._start(state, now)
        nxt = state.get("next", 0)
        index = nxt if isinstance(nxt, int) and 0 <= nxt <= len(items) else 0
        elapsed = (now - start).total_seconds() * self.speed
        posts: list[Post] = []
        while index < len(items) and float(items[index]["delay"]) <= elapsed:
            posts.append(_to_post(items[index], start, self.speed))
            index += 1
        new_state = {
            "started_at": start.isoformat(),
            "next": index,
            "done": index >= len(items),
        }
        return PollResult(posts=posts, state=new_state)
