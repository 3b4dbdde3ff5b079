"""The poller: every source on its own schedule, none able to hold up another.

Each source is polled on its own interval (with jitter, so sources configured
together do not fire together), at most `concurrency` at a time and at most
`per_host` at once against any one server. A failure
backs the source off exponentially up to a ceiling, and a server's
Retry-After (429/503, or a nearly spent rate limit) pushes the next poll
further. Every poll ends in a health record: status ok|slow|failing, since
when, last success, last error as one line, next poll, counts.

Two ways to run: `run_forever()` in a dedicated thread with its own asyncio
loop (the TUI; `stop()` from any thread ends it promptly), and
`await poll_once()` (`veille fetch --once`). Callbacks run on the poller's
thread; `on_state` is called only after `on_posts` returned, so a store that
fails to take the posts never sees the cursor move past them.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

import httpx

from sources.auth import redact
from sources.base import PollResult, Source, SourceError
from sources.http import MAX_RETRY_AFTER, FetchLimits, make_client
from sources.models import Post

__all__ = ["Poller", "PollReport", "build_sources", "paused_sources", "SOURCE_KINDS"]

PostsCallback = Callable[[str, list[Post]], object]  # return value ignored
DictCallback = Callable[[str, dict[str, Any]], object]

SOURCE_KINDS: dict[str, str] = {
    "feed": "sources.feed:FeedSource",
    "mastodon": "sources.mastodon:MastodonSource",
    "bluesky": "sources.bluesky:BlueskySource",
    "hackernews": "sources.hackernews:HackerNewsSource",
    "demo": "sources.demo:DemoSource",
}


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


def _one_line(text: str, limit: int = 200) -> str:
    # Every error line passes here on its way to the health record and the screen.
    text = redact(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class PollReport:
    """What one poll of one source did; `veille fetch --once` prints these."""

    name: str
    ok: bool
    new: int = 0
    not_modified: bool = False
    error: str = ""
    duration: float = 0.0
    next_poll: float = 0.0
    waiting: bool = False  # not polled: the server asked for a pause that is not over

    def line(self) -> str:
        if self.waiting:
            return f"{self.name}: waiting as the server asked ({self.error})"
        if not self.ok:
            return f"{self.name}: failed: {self.error}"
        if self.not_modified:
            return f"{self.name}: not modified ({self.duration:.1f} s)"
        return f"{self.name}: {self.new} new ({self.duration:.1f} s)"


@dataclass
class _Slot:
    source: Source
    state: dict[str, Any]
    health: dict[str, Any] = field(default_factory=dict)
    next_at: float = 0.0
    failures: int = 0
    running: bool = False


class Poller:
    def __init__(
        self,
        sources: Iterable[Source],
        *,
        on_posts: PostsCallback | None = None,
        on_state: DictCallback | None = None,
        on_health: DictCallback | None = None,
        states: dict[str, dict[str, Any]] | None = None,
        healths: dict[str, dict[str, Any]] | None = None,
        concurrency: int = 8,
        per_host: int = 2,
        jitter: float = 0.1,
        backoff_base: float = 30.0,
        backoff_max: float = 3600.0,
        slow_after: float = 10.0,
        poll_timeout: float = 120.0,
        client_factory: Callable[[], httpx.AsyncClient] | None = None,
        limits: FetchLimits | None = None,
    ) -> None:
        self.on_posts = on_posts
        self.on_state = on_state
        self.on_health = on_health
        self.concurrency = max(1, concurrency)
        self.per_host = max(1, per_host)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self.jitter = jitter
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.slow_after = slow_after
        self.poll_timeout = poll_timeout
        self._client_factory = client_factory or (
            (lambda: make_client(limits)) if limits else make_client
        )
        states = states or {}
        healths = healths or {}
        self._slots: dict[str, _Slot] = {}
        now = time.time()
        for src in sources:
            if src.name in self._slots:
                raise ValueError(f"two sources are named {src.name!r}")
            health = dict(healths.get(src.name) or {})
            slot = _Slot(src, dict(states.get(src.name) or {}), health)
            slot.failures = int(health.get("failures", 0) or 0)
            # A restart resumes a backed-off or paused source's schedule rather than
            # hammering it.
            next_poll = health.get("next_poll")
            slot.next_at = now
            if isinstance(next_poll, str) and (slot.failures or health.get("retry_after")):
                try:
                    saved = datetime.fromisoformat(next_poll).timestamp()
                except ValueError:
                    saved = now
                # a damaged or older record must not park the source for years
                longest = max(backoff_max, MAX_RETRY_AFTER, float(src.interval) * (1 + jitter))
                slot.next_at = min(max(now, saved), now + longest)
            self._slots[src.name] = slot
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = threading.Event()
        self._rand = random.Random()

    # -- public -----------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return list(self._slots)

    def health(self, name: str) -> dict[str, Any]:
        return dict(self._slots[name].health)

    def state(self, name: str) -> dict[str, Any]:
        return dict(self._slots[name].state)

    async def poll_once(
        self, names: Iterable[str] | None = None, *, honour_waits: bool = False
    ) -> list[PollReport]:
        """Poll every source (or those named) once, concurrently; reports in source order.

        With `honour_waits`, a source whose server asked for a pause (Retry-After, a
        spent rate limit) that is not over yet is not polled: its report says
        `waiting`. A `veille fetch --once` run from cron every few minutes must not
        knock again on a server that asked for an hour.
        """
        wanted = list(names) if names is not None else list(self._slots)
        sem = asyncio.Semaphore(self.concurrency)
        self._hosts = {}
        async with self._client_factory() as client:

            async def one(name: str) -> PollReport:
                slot = self._slots[name]
                until = _paused_until(slot.health, time.time()) if honour_waits else None
                if until is not None:
                    return _waiting_report(name, slot.health, until)
                async with sem:
                    return await self._poll(client, slot)

            return list(await asyncio.gather(*(one(n) for n in wanted)))

    def run_forever(self) -> None:
        """Run the schedule on a fresh event loop in the calling thread until stop()."""
        if self._stopping.is_set():
            return
        # Not asyncio.run: it waits for the default executor on the way out, and a
        # big feed parsing in a worker thread would then hold up stop().
        loop = asyncio.new_event_loop()
        executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="veille-parse")
        loop.set_default_executor(executor)
        try:
            loop.run_until_complete(self.run())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
            loop.close()

    async def run(self) -> None:
        """The schedule on the current loop, until stop() (or task cancellation)."""
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        self._wake = asyncio.Event()
        if self._stopping.is_set():
            return
        sem = asyncio.Semaphore(self.concurrency)
        self._hosts = {}
        tasks: set[asyncio.Task[PollReport]] = set()
        async with self._client_factory() as client:
            try:
                while not self._stop_event.is_set():
                    now = time.time()
                    for slot in self._slots.values():
                        if not slot.running and slot.next_at <= now:
                            slot.running = True
                            task = asyncio.create_task(self._guarded(sem, client, slot))
                            tasks.add(task)
                            task.add_done_callback(tasks.discard)
                    idle = [s.next_at for s in self._slots.values() if not s.running]
                    delay = max(0.05, min(idle) - time.time()) if idle else 3600.0
                    self._wake.clear()
                    waiters = [
                        asyncio.create_task(self._stop_event.wait()),
                        asyncio.create_task(self._wake.wait()),
                    ]
                    try:
                        await asyncio.wait(
                            waiters, timeout=min(delay, 3600.0), return_when="FIRST_COMPLETED"
                        )
                    finally:
                        for w in waiters:
                            w.cancel()
            finally:
                for task in list(tasks):
                    task.cancel()
                if tasks:
                    await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def stopping(self) -> bool:
        """Whether stop() has been asked for."""
        return self._stopping.is_set()

    def stop(self) -> None:
        """End run()/run_forever() promptly; safe from any thread, and before start."""
        self._stopping.set()
        loop, event = self._loop, self._stop_event
        if loop is not None and event is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:
                pass  # the loop already finished

    def poll_now(self, name: str | None = None) -> None:
        """Ask for an immediate poll of one source (or all); safe from any thread."""
        for slot in self._slots.values():
            if name is None or slot.source.name == name:
                slot.next_at = 0.0
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:
                pass

    # -- internals --------------------------------------------------------------

    async def _guarded(
        self, sem: asyncio.Semaphore, client: httpx.AsyncClient, slot: _Slot
    ) -> PollReport:
        try:
            async with sem:
                return await self._poll(client, slot)
        finally:
            slot.running = False
            if self._wake is not None:
                self._wake.set()

    def _next_delay(self, slot: _Slot, retry_after: float | None) -> float:
        interval = max(1.0, float(slot.source.interval))
        if slot.failures:
            delay = min(self.backoff_max, self.backoff_base * 2 ** (slot.failures - 1))
            delay = max(delay, min(interval, self.backoff_max))
        else:
            delay = interval
        delay *= 1.0 + self._rand.uniform(-self.jitter, self.jitter)
        if retry_after is not None:
            # whatever a source reports, a server's pause never parks it beyond a day
            delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER))
        return delay

    async def _poll(self, client: httpx.AsyncClient, slot: _Slot) -> PollReport:
        host = _host_of(slot.source)
        if not host:
            return await self._poll_now(client, slot)
        # Politeness: many sources on one server (twenty Reddit searches) take turns.
        limit = self._hosts.setdefault(host, asyncio.Semaphore(self.per_host))
        async with limit:
            return await self._poll_now(client, slot)

    async def _poll_now(self, client: httpx.AsyncClient, slot: _Slot) -> PollReport:
        src = slot.source
        start = time.time()
        t0 = time.monotonic()
        result: PollResult | None = None
        error = ""
        retry_after: float | None = None
        try:
            async with asyncio.timeout(self.poll_timeout):
                result = await src.poll(client, dict(slot.state))
        except SourceError as exc:
            error = _one_line(str(exc)) or type(exc).__name__
            retry_after = exc.retry_after
        except TimeoutError:
            error = f"poll took longer than {self.poll_timeout:g} s: gave up"
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug in one source must not stop the poller
            error = _one_line(f"{type(exc).__name__}: {exc}")
        duration = time.monotonic() - t0
        new = 0
        if result is not None:
            try:
                if result.posts and self.on_posts is not None:
                    self.on_posts(src.name, list(result.posts))
                new = len(result.posts)
                slot.state = dict(result.state)
                if self.on_state is not None:
                    self.on_state(src.name, dict(slot.state))
                retry_after = result.retry_after
            except Exception as exc:  # the store refused: keep the old cursor, retry later
                error = _one_line(f"could not store posts: {type(exc).__name__}: {exc}")
                result = None
        ok = result is not None
        h = slot.health
        previous = h.get("status")
        if ok:
            slot.failures = 0
            status = "slow" if duration > self.slow_after else "ok"
            h["last_success"] = _iso(start)
        else:
            slot.failures += 1
            status = "failing"
            h["last_error"] = error
            h["last_error_at"] = _iso(start)
            h["errors"] = int(h.get("errors", 0) or 0) + 1  # total, not consecutive
        if status != previous or not h.get("since"):
            h["since"] = _iso(start)
        delay = self._next_delay(slot, retry_after)
        slot.next_at = time.time() + delay
        h.update(
            status=status,
            kind=src.kind,
            failures=slot.failures,
            polls=int(h.get("polls", 0) or 0) + 1,
            last_poll=_iso(start),
            last_duration=round(duration, 3),
            last_new=new,
            posts=int(h.get("posts", 0) or 0) + new,
            errors=int(h.get("errors", 0) or 0),
            next_poll=_iso(slot.next_at),
            interval=src.interval,
        )
        note = _one_line(result.note) if result is not None and result.note else ""
        if note:
            h["note"] = note
        elif ok:
            h.pop("note", None)
        if retry_after is not None:
            pause = min(float(retry_after), MAX_RETRY_AFTER)
            h["retry_after"] = round(pause, 1)
            h["retry_until"] = _iso(start + duration + pause)  # when the server's pause ends
        else:
            h.pop("retry_after", None)
            h.pop("retry_until", None)
        if self.on_health is not None:
            try:
                self.on_health(src.name, dict(h))
            except Exception:  # health is advisory; a failing store shows up elsewhere
                pass
        return PollReport(
            src.name,
            ok,
            new=new,
            not_modified=bool(result and result.not_modified),
            error=error,
            duration=duration,
            next_poll=slot.next_at,
        )


def _paused_until(health: dict[str, Any], now: float) -> float | None:
    """When a server's requested pause ends, if the last poll got one still running."""
    until_iso = health.get("retry_until")
    if not health.get("retry_after") or not isinstance(until_iso, str):
        return None
    try:
        until = datetime.fromisoformat(until_iso).timestamp()
    except ValueError:
        return None
    return min(until, now + MAX_RETRY_AFTER) if until > now else None


def _waiting_report(name: str, health: dict[str, Any], until: float) -> PollReport:
    if health.get("status") == "failing" and health.get("last_error"):
        reason = _one_line(str(health["last_error"]))
    else:
        reason = "its rate limit is spent"
    return PollReport(name, False, error=reason, next_poll=until, waiting=True)


def _host_of(source: Source) -> str:
    """The server a source talks to (for the per-host limit); "" when it has none."""
    for attr in ("url", "base", "service"):
        value = getattr(source, attr, "")
        if isinstance(value, str) and value:
            return (urlsplit(value).hostname or "").lower()
    return ""


def _default_name(kind: str, cfg: dict[str, Any], index: int) -> str:
    for key in ("tag", "query", "preset", "url", "handle"):
        value = cfg.get(key)
        if isinstance(value, str) and value:
            return f"{kind}:{value}"
    return f"{kind}:{index + 1}"


MIN_INTERVAL = 10.0
MAX_INTERVAL = 7 * 24 * 3600.0  # a week: enough for any feed, and far from the clock's end


def paused_sources(configs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(name, kind) of the tables with `enabled = false`: not polled, but still the user's."""
    paused: list[tuple[str, str]] = []
    for i, raw in enumerate(configs):
        if isinstance(raw, dict) and raw.get("enabled") is False:
            kind = str(raw.get("kind", "") or "")
            paused.append(
                (str(raw.get("name", "") or _default_name(kind or "source", raw, i)), kind)
            )
    return paused


def build_sources(configs: list[dict[str, Any]]) -> tuple[list[Source], list[str]]:
    """Sources from `[[source]]` tables; every problem is one line naming its entry."""
    sources: list[Source] = []
    errors: list[str] = []
    names: set[str] = set()
    for i, raw in enumerate(configs):
        if not isinstance(raw, dict):
            errors.append(f"source #{i + 1}: not a table")
            continue
        cfg = dict(raw)
        kind = str(cfg.pop("kind", "") or "")
        name = str(cfg.pop("name", "") or _default_name(kind or "source", raw, i))
        label = f"source #{i + 1} ({name})"
        enabled = cfg.pop("enabled", True)
        if not isinstance(enabled, bool):
            errors.append(f"{label}: enabled must be true or false")
            continue
        if not enabled:
            continue
        if kind not in SOURCE_KINDS:
            known = ", ".join(SOURCE_KINDS)
            errors.append(f"{label}: unknown kind {kind!r} (use one of {known})")
            continue
        if name in names:
            errors.append(f"{label}: another source already has this name")
            continue
        if "interval" in cfg:
            try:
                cfg["interval"] = float(cfg["interval"])
            except (TypeError, ValueError):
                errors.append(f"{label}: interval must be a number of seconds")
                continue
            if cfg["interval"] < 10:
                errors.append(f"{label}: interval must be at least 10 seconds")
                continue
            # nan passes the check above and polls back to back; inf overflows the clock
            if not MIN_INTERVAL <= cfg["interval"] <= MAX_INTERVAL:
                errors.append(
                    f"{label}: interval must be a number of seconds from "
                    f"{MIN_INTERVAL:g} to {MAX_INTERVAL:g} (a week)"
                )
                continue
        module_name, _, cls_name = SOURCE_KINDS[kind].partition(":")
        try:
            cls = getattr(import_module(module_name), cls_name)
        except (ImportError, AttributeError) as exc:
            errors.append(f"{label}: the {kind} source is not available ({exc})")
            continue
        try:
            source = cls(name, **cfg)
        except TypeError as exc:
            msg = str(exc)
            if "unexpected keyword argument" in msg:
                bad = msg.rsplit("argument", 1)[-1].strip()
                errors.append(f"{label}: unknown setting {bad}")
            else:
                errors.append(f"{label}: {_one_line(msg)}")
            continue
        except (ValueError, SourceError) as exc:
            errors.append(f"{label}: {_one_line(str(exc))}")
            continue
        names.add(name)
        sources.append(source)
    return sources, errors
