"""Reading JSON from strangers: every field may be missing, null or the wrong type.

APIs answer in documented shapes until they do not (a proxy, a fork, a bug,
a hostile server). These helpers take what is there when it has the
expected type and a neutral value otherwise, so one malformed item costs
only itself and never raises from deep inside a mapping. `sane_time` keeps
dates inside what downstream arithmetic (SLA deadlines) can handle.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = ["as_str", "as_dict", "as_list", "as_int", "parse_time", "sane_time", "item_errors"]

# What a malformed item can raise while being mapped; caught per item.
item_errors = (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError)

_EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
# Clocks differ by seconds, not hours: a post dated later than that was not written
# in the future, its date is wrong, and it is dated when it was fetched instead.
_FUTURE_SLACK = timedelta(minutes=5)


def as_str(value: Any, limit: int = 100_000) -> str:
    """The value when it is a string (cut at `limit`), ids given as ints as text, else ""."""
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**20:
        return str(value)
    return ""


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_int(value: Any, default: int = 0, *, low: int = 0, high: int = 10**12) -> int:
    """An int in [low, high] (digit strings accepted), else `default`."""
    if isinstance(value, bool):
        return default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip()) if len(value.strip()) < 20 else None
    if isinstance(value, int) and low <= value <= high:
        return value
    return default


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 / RFC 3339 time as an aware datetime, or None."""
    text = as_str(value, 64).strip()
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def sane_time(dt: datetime | None, fetched_at: datetime) -> datetime:
    """`dt` when plausible; the fetch time for none, future or pre-1990 dates.

    A post dated 9999-12-31 would overflow the SLA deadline computed from it,
    and one dated tomorrow (a wrong clock, a scheduled post, a timezone taken
    for UTC) would sit on top of every queue until then and make its reply
    deadline look a day away.
    """
    if dt is None:
        return fetched_at
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        if dt > fetched_at + _FUTURE_SLACK or dt < _EARLIEST:
            return fetched_at
    except OverflowError:
        return fetched_at
    return dt
