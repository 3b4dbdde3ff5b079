"""`--since 7d` / `24h` / `30m` / `2026-11-01`: a start time for reports and exports."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_REL = re.compile(r"^\s*(\d{1,5})\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    now = now or datetime.now(timezone.utc)
    m = _REL.match(text)
    if m:
        return now - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    try:
        d = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a duration like 7d, 24h, 30m, 2w or a date") from None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)
