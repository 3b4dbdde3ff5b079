"""Pure helpers behind the triage keys, kept out of the app so they test without a UI."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

__all__ = ["SNOOZE_CHOICES", "parse_snooze"]

SNOOZE_CHOICES: tuple[tuple[str, str], ...] = (
    ("1h", "In 1 hour"),
    ("3h", "In 3 hours"),
    ("tomorrow", "Tomorrow at 9:00"),
    ("author", "Until the author writes again"),
    ("1d", "In 1 day"),
    ("7d", "In a week"),
)

_SPAN = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes?|h|hours?|d|days?)$", re.I)
_CLOCK = re.compile(r"^(\d{1,2})[:h](\d{2})$", re.I)


def parse_snooze(text: str, now: datetime) -> datetime | str | None:
    """A snooze answer as a time, "author" (until the author writes), or None if unreadable.

    Accepts the choice ids above, a span ("30m", "2h", "3d") or a local clock
    time ("17:30", "9h00": today if still ahead, else tomorrow).
    """
    t = text.strip().lstrip("=").strip().lower()
    if t == "author":
        return "author"
    if t == "tomorrow":
        local = now.astimezone()
        nine = (local + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        return nine
    m = _SPAN.match(t)
    if m:
        n, unit = int(m.group(1)), m.group(2)[0]
        if n <= 0:
            return None
        delta = {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n)}
        return now + delta[unit]
    m = _CLOCK.match(t)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 23 or minute > 59:
            return None
        local = now.astimezone()
        at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if at <= local:
            at += timedelta(days=1)
        return at
    return None
