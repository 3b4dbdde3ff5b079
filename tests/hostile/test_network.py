"""A network that fails in every way a real one does, and a source flapping for an hour.

Each failure must end as one health line within the fetch deadline, never hang
the poller, never delay the other sources. The hour of flapping runs on a
simulated clock: the poller has no clock parameter, so the test replaces the
`time` module the poller reads and plays its schedule one due poll at a time.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import types
from datetime import datetime
from itertools import pairwise
from typing import Any

import pytest

import sources.poller as poller_mod
from sources.base import SourceError
from sources.feed import FeedSource
from sources.http import make_client
from sources.poller import Poller
from tests.localhttp import Request, Web

from .conftest import LIMITS, RawServer, free_port

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    b"<item><title>hello</title><guid>n1</guid><description>is acme up?</description></item>"
    b"</channel></rss>"
)


async def poll_url(url: str) -> Any:
    src = FeedSource("net", url, limits=LIMITS)
    async with make_client(LIMITS, trust_env=False) as client:
        return await src.poll(client, {})


async def expect_one_line_failure(url: str, within: float) -> str:
    t0 = time.monotonic()
    with pytest.raises(SourceError) as err:
        await poll_url(url)
    elapsed = time.monotonic() - t0
    message = str(err.value)
    assert "\n" not in message and message.strip() and len(message) < 300, message
    assert elapsed < within, f"took {elapsed:.1f} s: {message}"
    return message


async def test_connection_refused() -> None:
    msg = await expect_one_line_failure(f"http://127.0.0.1:{free_port()}/feed", 2.0)
    assert "127.0.0.1" in msg


async def test_dns_failure_for_an_invalid_host() -> None:
    msg = await expect_one_line_failure("http://no-such-host.invalid/feed.xml", 3.0)
    assert "no-such-host.invalid" in msg


async def test_tls_against_a_plain_http_port(web: Web) -> None:
    web.static("/feed.xml", FEED)
    port = web.base.rsplit(":", 1)[1]
    await expect_one_line_failure(f"https://127.0.0.1:{port}/feed.xml", 2.5)


def _silent(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    stop.wait(30)


def _drip(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n\r\n"
    conn.sendall(head % len(FEED))
    for byte in FEED:
        if stop.wait(1.0):  # one byte a second
            return
        conn.sendall(bytes([byte]))


def _drip_headers(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
        if stop.wait(0.2):
            return
        conn.sendall(bytes([byte]))


@pytest.mark.parametrize(
    "behave", [_silent, _drip, _drip_headers], ids=["silent", "drip-body", "drip-headers"]
)
async def test_servers_that_never_finish_hit_the_total_deadline(
    raw_server: Any, behave: Any
) -> None:
    srv: RawServer = raw_server(behave)
    msg = await expect_one_line_failure(srv.url + "/feed.xml", LIMITS.total + 1.0)
    assert "longer than" in msg or "timed out" in msg


async def test_one_hung_source_does_not_delay_the_others(raw_server: Any, web: Web) -> None:
    hung: RawServer = raw_server(_silent)
    fast = [FeedSource(f"fast{i}", web.static(f"/f{i}.xml", FEED), limits=LIMITS) for i in range(4)]
    poller = Poller(
        [FeedSource("hung", hung.url + "/feed.xml", limits=LIMITS), *fast],
        client_factory=lambda: make_client(LIMITS, trust_env=False),
    )
    reports = {r.name: r for r in await asyncio.wait_for(poller.poll_once(), 10)}
    assert not reports["hung"].ok
    assert all(reports[f"fast{i}"].ok and reports[f"fast{i}"].duration < 0.5 for i in range(4))


# -- simulated time -------------------------------------------------------------------------------


class SimClock:
    """Stands in for the `time` module inside sources.poller: wall time is simulated."""

    def __init__(self, start: float) -> None:
        self.now = start

    def module(self) -> types.SimpleNamespace:
        return types.SimpleNamespace(time=lambda: self.now, monotonic=time.monotonic)


async def play(poller: Poller, clock: SimClock, until: float) -> list[float]:
    """The poller's schedule on simulated time: jump to the next due poll, run it, repeat."""
    polled: list[float] = []
    while True:
        due = min(poller._slots[n].next_at for n in poller.names)
        if due > until:
            return polled
        clock.now = max(clock.now, due)
        names = [n for n in poller.names if poller._slots[n].next_at <= clock.now]
        await poller.poll_once(names)
        polled.extend([clock.now] * len(names))


def flapping_route(web: Web, clock: SimClock, start: float, log: list[tuple[float, int]]) -> str:
    """Up for 7 minutes, down (503, then 429 with Retry-After, then 500) for 5, and again."""

    def route(h: Request) -> None:
        t = clock.now - start
        phase = int(t // 720)
        up = (t % 720) < 420
        if up:
            log.append((clock.now, 200))
            h.reply(200, FEED.replace(b"n1", b"n%d" % int(t)), "application/rss+xml")
        elif phase % 3 == 1:
            log.append((clock.now, 429))
            h.reply(429, b"slow down", "text/plain", {"Retry-After": "600"})
        else:
            code = 503 if phase % 3 == 0 else 500
            log.append((clock.now, code))
            h.reply(code, b"down", "text/plain")

    return web.route("/flap.xml", route)


async def test_flapping_source_for_an_hour(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    start = 1_800_000_000.0
    clock = SimClock(start)
    monkeypatch.setattr(poller_mod, "time", clock.module())
    log: list[tuple[float, int]] = []
    url = flapping_route(web, clock, start, log)
    healths: list[tuple[float, dict[str, Any]]] = []
    steady = web.static("/steady.xml", FEED)
    poller = Poller(
        [
            FeedSource("flap", url, interval=60, limits=LIMITS),
            FeedSource("steady", steady, interval=60, limits=LIMITS),
        ],  # fmt: skip
        on_health=lambda name, h: healths.append((clock.now, h)) if name == "flap" else None,
        backoff_base=30,
        backoff_max=900,
        client_factory=lambda: make_client(LIMITS, trust_env=False),
    )
    await play(poller, clock, start + 3600)
    # no request storm: never more often than the interval or the backoff allows
    times = [t for t, _ in log]
    gaps = [b - a for a, b in pairwise(times)]
    assert len(log) <= 3600 / 60 * 1.2, f"{len(log)} requests in an hour"
    assert min(gaps) >= 60 * 0.9 - 1e-6 or min(gaps) >= 30 * 0.9, min(gaps)
    # a 429 with Retry-After: 600 is honoured
    for (t, code), nxt in zip(log[:-1], times[1:], strict=True):
        if code == 429:
            assert nxt - t >= 600 - 1e-6, "Retry-After ignored"
    # health follows reality at every poll, with `since` the start of the current run
    for (t, code), (ht, h) in zip(log, healths, strict=True):
        assert ht == t
        assert h["status"] == ("ok" if code == 200 else "failing"), (t - start, code, h)
        if code != 200:
            assert "\n" not in h["last_error"] and h["failures"] >= 1
    ok_then_fail = [
        h for (_, c), (_, h) in zip(log, healths, strict=True) if c != 200 and h["failures"] == 1
    ]
    for h in ok_then_fail:
        assert h["since"] == h["last_poll"]
    assert any(c == 200 for _, c in log[-3:]) or log[-1][1] != 200
    steady_h = poller.health("steady")
    assert steady_h["status"] == "ok" and steady_h["polls"] >= 55  # its neighbour kept flowing
    assert datetime.fromisoformat(steady_h["last_success"]).timestamp() > start + 3500


async def test_429_storm_backs_off_and_recovers(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    start = 1_800_000_000.0
    clock = SimClock(start)
    monkeypatch.setattr(poller_mod, "time", clock.module())
    state = {"storm_until": start + 1800}
    seen: list[float] = []

    def route(h: Request) -> None:
        seen.append(clock.now)
        if clock.now < state["storm_until"]:
            h.reply(429, json.dumps({"error": "rate"}), "application/json")  # no Retry-After
        else:
            h.reply(200, FEED, "application/rss+xml")

    url = web.route("/storm.xml", route)
    poller = Poller(
        [FeedSource("storm", url, interval=30, limits=LIMITS)],
        backoff_base=30,
        backoff_max=600,
        client_factory=lambda: make_client(LIMITS, trust_env=False),
    )
    await play(poller, clock, start + 3600)
    during = [t for t in seen if t < state["storm_until"]]
    assert len(during) <= 10, f"{len(during)} requests into a 30-minute 429 storm"
    gaps = [b - a for a, b in pairwise(during)]
    assert gaps == sorted(gaps) or max(gaps) >= 500  # exponential, up to the ceiling
    assert poller.health("storm")["status"] == "ok"
    after = [t for t in seen if t >= state["storm_until"]]
    assert after and after[0] - state["storm_until"] <= 600 * 1.1 + 1
