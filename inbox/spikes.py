"""Spike alerts: a label, a term or a cluster suddenly far above its usual volume.

A crisis starts as a few more complaints than usual about one thing. The detector
keeps hourly counts per key (`label:complaint`, `term:outage`, `cluster:<id>`) over
a rolling window of days, and compares the last few hours with what the window
says those hours normally hold. A key raises once when it crosses
`threshold x expected` with at least `min_count` mentions, and re-arms when it
falls back.

One burst moves several keys at once (the term, its label, its cluster). Raising
each would bury the signal, so a key that crosses on a mention already carrying
an active key is folded into that alert instead of raising its own: one incident,
one alert, the other keys listed as related.

Settings come from config `[alerts]`: `window_days`, `threshold`, `min_count` and
`command`, a program run with the alert in environment variables, never through a
shell (a term comes from strangers; only the config author's words are argv).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from inbox.model import Mention
from inbox.rows import Row, iter_rows
from inbox.terms import normalise, terms

__all__ = ["Spike", "SpikeDetector"]

_KIND_ORDER = {"cluster": 0, "term": 1, "label": 2}
_ENV_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Spike:
    kind: str  # label | term | cluster
    value: str
    count: int  # mentions in the recent span
    expected: float  # what the baseline says that span normally holds
    at: datetime  # time of the mention that crossed the line
    hours: float  # the recent span, in hours
    examples: tuple[str, ...] = ()  # mention ids behind the figure
    related: tuple[str, ...] = ()  # other keys that rose with it

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def ratio(self) -> float:
        return self.count / max(self.expected, 1e-9)

    def message(self) -> str:
        base = f"{self.expected:.1f}" if self.expected >= 0.05 else "almost none"
        return (
            f"Spike: {self.kind} '{self.value}': {self.count} mentions in {self.hours:g} h "
            f"(usually {base})"
        )


class _Observed(Protocol):
    def subscribe(self, listener: Callable[[set[str]], None]) -> None: ...
    def get(self, mention_id: str) -> Mention | None: ...


@dataclass
class _Series:
    """Hourly counts of one key inside the window, oldest first, with their total."""

    buckets: deque[list[int]] = field(default_factory=deque)  # [hour, count]
    total: int = 0
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=3))  # example ids

    def add(self, hour: int, keep_from: int) -> None:
        b = self.buckets
        if b and b[-1][0] == hour:
            b[-1][1] += 1
        elif not b or b[-1][0] < hour:
            b.append([hour, 1])
        else:  # out of order (a late poll): find or insert its hour
            for i in range(len(b) - 1, -1, -1):
                if b[i][0] == hour:
                    b[i][1] += 1
                    break
                if b[i][0] < hour:
                    b.insert(i + 1, [hour, 1])
                    break
            else:
                b.appendleft([hour, 1])
        self.total += 1
        while b and b[0][0] < keep_from:
            self.total -= b.popleft()[1]

    def since(self, hour: int) -> int:
        n = 0
        for h, c in reversed(self.buckets):
            if h < hour:
                break
            n += c
        return n


MAX_SETTING = 1_000_000  # any [alerts] number: past this it is a typo, or inf


class SpikeDetector:
    """Fed one mention at a time (in arrival order); returns a `Spike` when one starts."""

    def __init__(
        self,
        *,
        window_days: float = 7.0,
        threshold: float = 3.0,
        min_count: int = 10,
        command: str | list[str] | None = None,
        recent_hours: int = 3,
        ignore_terms: Iterable[str] = (),
        warmup_hours: int = 24,
    ) -> None:
        self.window_h = max(1, int(window_days * 24))
        self.threshold = threshold
        self.min_count = min_count
        self.recent_h = max(1, recent_hours)
        self.warmup_h = warmup_hours
        self.command = _argv(command)
        self.ignore = frozenset(normalise(t).lstrip("#@") for t in ignore_terms if t)
        self._series: dict[str, _Series] = {}
        self._active: set[str] = set()
        self._first_hour: int | None = None
        self._lock = threading.Lock()
        self.last_process: subprocess.Popen[bytes] | None = None  # the last command started

    @classmethod
    def from_config(cls, alerts: dict[str, Any], brand: str = "") -> SpikeDetector:
        """Settings from `[alerts]`; a value of the wrong type falls back to its default."""

        def num(name: str, default: float, lo: float) -> float:
            v = alerts.get(name, default)
            ok = isinstance(v, int | float) and not isinstance(v, bool) and lo <= v <= MAX_SETTING
            return float(v) if ok else default  # inf would overflow, nan compare false

        cmd = alerts.get("command")
        if not (
            isinstance(cmd, str) or (isinstance(cmd, list) and all(isinstance(x, str) for x in cmd))
        ):
            cmd = None
        return cls(
            window_days=num("window_days", 7.0, 1.0),
            threshold=num("threshold", 3.0, 1.0),
            min_count=int(num("min_count", 10, 1)),
            command=cmd,
            ignore_terms=brand.split(),
        )

    # -- feeding ---------------------------------------------------------------
    def keys_of(self, m: Mention | Row) -> list[str]:
        """The keys one mention counts towards."""
        if isinstance(m, Row):
            labels, title, text, cluster = m.labels, m.title, m.text, m.cluster
        else:
            labels, title, text, cluster = m.verdict.labels, m.post.title, m.post.text, m.cluster
        keys = [f"label:{lb}" for lb in labels]
        words = terms(f"{title}\n{text}" if title else text)
        keys += [f"term:{t}" for t in sorted(words) if t.lstrip("#") not in self.ignore]
        if cluster:
            keys.append(f"cluster:{cluster}")
        return keys

    def observe(self, m: Mention) -> Spike | None:
        """Count a mention; the new alert it starts, if any (each spike raises once)."""
        with self._lock:
            return self._observe(m, raise_alerts=True)

    def prime(self, mentions: Iterable[Mention | Row]) -> int:
        """Learn the baseline from stored mentions (or `rows_of(inbox)`) at start, raising
        nothing. Only the window before the newest one is read.

        A spike already under way is marked as raised: it was shown when it began.
        """
        span = (self.window_h + self.recent_h) * 3600
        # What a mention counts towards is worked out as it streams by and kept as a
        # small tuple; the row itself, text and all, is dropped at once. Holding the
        # window's rows (a third of a 100,000-mention store) until they were sorted
        # left ~45 MB of fragmented heap behind in the console.
        entries: list[tuple[float, str, tuple[str, ...]]] = []
        canon: dict[str, str] = {}
        newest = float("-inf")
        prune_at = 4096
        for m in mentions:
            if m.state in ("spam", "muted"):
                continue
            t = _created(m).timestamp()
            if t > newest:
                newest = t
            if t < newest - span:
                continue  # before the window of the newest seen so far: never needed
            keys = tuple([canon.setdefault(k, k) for k in self.keys_of(m)])
            entries.append((t, m.id, keys))
            if len(entries) >= prune_at:
                # The horizon only moves forward: drop what fell behind it, so a
                # store of years holds one window at a time, not all of it.
                entries = [e for e in entries if e[0] >= newest - span]
                prune_at = max(4096, 2 * len(entries))
        horizon = newest - span
        entries = [e for e in entries if e[0] >= horizon]
        entries.sort(key=lambda e: e[0])
        with self._lock:
            for t, mid, keys in entries:
                self._count(t, mid, keys, raise_alerts=False)
        return len(entries)

    def _observe(self, m: Mention | Row, *, raise_alerts: bool) -> Spike | None:
        if m.state in ("spam", "muted"):
            return None
        return self._count(_created(m).timestamp(), m.id, self.keys_of(m), raise_alerts)

    def _count(self, ts: float, mid: str, keys: Sequence[str], raise_alerts: bool) -> Spike | None:
        hour = int(ts // 3600)
        if self._first_hour is None or hour < self._first_hour:
            self._first_hour = hour
        keep_from = hour - self.window_h - self.recent_h
        crossing: list[tuple[str, int, float, _Series]] = []
        touches_active = False
        for key in keys:
            s = self._series.get(key)
            if s is None:
                s = self._series[key] = _Series()
            s.add(hour, keep_from)
            s.recent.append(mid)
            above, count, expected = self._above(s, hour)
            if key in self._active:
                if above:
                    touches_active = True
                else:
                    self._active.discard(key)  # fell back: re-armed
            elif above:
                crossing.append((key, count, expected, s))
        if not crossing:
            return None
        for key, *_ in crossing:
            self._active.add(key)
        if touches_active or not raise_alerts:
            return None  # folded into the alert already raised for this burst
        crossing.sort(key=lambda c: (_KIND_ORDER[c[0].split(":", 1)[0]], -c[1] / max(c[2], 0.1)))
        key, count, expected, s = crossing[0]
        kind, value = key.split(":", 1)
        return Spike(
            kind=kind,
            value=value,
            count=count,
            expected=round(expected, 2),
            at=datetime.fromtimestamp(ts, timezone.utc),
            hours=float(self.recent_h),
            examples=tuple(s.recent),
            related=tuple(c[0] for c in crossing[1:]),
        )

    def _above(self, s: _Series, hour: int) -> tuple[bool, int, float]:
        start = hour - self.recent_h + 1
        count = s.since(start)
        if count < self.min_count or self._first_hour is None:
            return False, count, 0.0
        history = min(self.window_h, start - self._first_hour)
        if history < min(self.warmup_h, self.window_h):
            return False, count, 0.0  # no baseline yet: nothing is "unusual"
        before = s.total - count
        expected = before / history * self.recent_h
        return count >= self.threshold * max(expected, 1.0 / self.threshold), count, expected

    @property
    def active(self) -> frozenset[str]:
        return frozenset(self._active)

    # -- acting ------------------------------------------------------------------
    def attach(self, inbox: _Observed, on_spike: Callable[[Spike], None]) -> None:
        """Watch an inbox: each mention ingested from now on is observed once; a spike
        calls `on_spike` (from the ingesting thread) and runs the configured command.

        Listeners also hear of triage changes: a mention first seen before the watch
        began was counted by `prime` (or is history), so it is never counted again.
        """
        clock = getattr(inbox, "clock", None)
        since = clock() if callable(clock) else None
        seen: set[str] = set()

        def listener(ids: set[str]) -> None:
            for mid in sorted(ids):
                if mid in seen:
                    continue
                m = inbox.get(mid)
                if m is None or (since is not None and m.first_seen < since):
                    continue
                seen.add(mid)
                spike = self.observe(m)
                if spike is not None:
                    self.last_process = self.run_command(spike)
                    on_spike(spike)

        inbox.subscribe(listener)

    def watch(self, inbox: Any, on_spike: Callable[[Spike], None]) -> int:
        """Prime from what the inbox stores, then attach: the one call a console needs.

        Reads the store, so call it from a thread worker. Returns how many stored
        mentions made the baseline.
        """
        n = self.prime(iter_rows(inbox))
        self.attach(inbox, on_spike)
        return n

    def run_command(self, spike: Spike, timeout: float = 60.0) -> subprocess.Popen[bytes] | None:
        """Start the configured command with the alert in `VEILLE_ALERT_*` variables.

        No shell: the argv is the config author's; outside text travels only in the
        environment, stripped of control characters. The process is reaped (and
        killed after `timeout`) by a daemon thread so a hung webhook cannot pile up.
        """
        if not self.command:
            return None
        env = dict(os.environ)
        env.update(
            {
                "VEILLE_ALERT_KIND": spike.kind,
                "VEILLE_ALERT_VALUE": _env_safe(spike.value),
                "VEILLE_ALERT_KEY": _env_safe(spike.key),
                "VEILLE_ALERT_COUNT": str(spike.count),
                "VEILLE_ALERT_EXPECTED": f"{spike.expected:g}",
                "VEILLE_ALERT_HOURS": f"{spike.hours:g}",
                "VEILLE_ALERT_AT": spike.at.isoformat(),
                "VEILLE_ALERT_MESSAGE": _env_safe(spike.message()),
                "VEILLE_ALERT_RELATED": _env_safe(" ".join(spike.related)),
            }
        )
        try:
            proc = subprocess.Popen(
                self.command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            return None

        def reap() -> None:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

        threading.Thread(target=reap, name="veille-alert-command", daemon=True).start()
        return proc


def _created(m: Mention | Row) -> datetime:
    return m.created if isinstance(m, Row) else m.post.created_at


def _argv(command: str | list[str] | None) -> list[str]:
    if not command:
        return []
    if isinstance(command, str):
        try:
            return shlex.split(command)
        except ValueError:
            return []
    return [str(c) for c in command]


def _env_safe(s: str, limit: int = 500) -> str:
    return _ENV_UNSAFE.sub(" ", s)[:limit]
