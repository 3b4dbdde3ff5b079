"""A server asking veille to wait: said in words, honoured, and never forever."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

import httpx

from sources.feed import FeedSource
from sources.http import (
    MAX_RETRY_AFTER,
    make_client,
    parse_retry_after,
    rate_limit_pause,
    wait_words,
)
from sources.poller import Poller
from tests.localhttp import Web

from .conftest import TEST_LIMITS


def client() -> httpx.AsyncClient:
    return make_client(TEST_LIMITS, trust_env=False)


def poller_for(server: Web, *names: str, **kw: Any) -> Poller:
    sources = [FeedSource(n, server.url(f"/{n}"), limits=TEST_LIMITS, interval=60.0) for n in names]
    return Poller(sources, client_factory=client, jitter=0.0, **kw)


async def test_retry_after_far_in_the_future_waits_a_day_at_most(server: Web) -> None:
    server.static("/far", b"", "text/plain", 429, {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
    server.static("/huge", b"", "text/plain", 503, {"Retry-After": "999999999999999"})
    poller = poller_for(server, "far", "huge")
    reports = {r.name: r for r in await poller.poll_once()}
    for name in ("far", "huge"):
        rep = reports[name]
        assert not rep.ok
        wait = rep.next_poll - time.time()
        assert MAX_RETRY_AFTER - 60 < wait <= MAX_RETRY_AFTER + 1, (name, wait)
        assert poller.health(name)["retry_after"] == MAX_RETRY_AFTER
        assert rep.error.endswith("asked to wait 1 day"), rep.error
        assert "2300" not in rep.error  # never a ten-digit number of seconds


async def test_waits_are_said_in_words(server: Web) -> None:
    server.static("/limited", b"", "text/plain", 429, {"Retry-After": "7200"})
    server.static("/down", b"", "text/plain", 503, {"Retry-After": "45"})
    server.static("/broken", b"", "text/plain", 502, {"Retry-After": "600"})
    server.static("/past", b"", "text/plain", 429, {"Retry-After": "Thu, 01 Jan 1998 00:00:00 GMT"})
    poller = poller_for(server, "limited", "down", "broken", "past")
    errors = {r.name: r.error for r in await poller.poll_once()}
    assert errors["limited"] == "rate limited by 127.0.0.1 (429), asked to wait 2 h"
    assert errors["down"] == "127.0.0.1 is unavailable (503), asked to wait 45 s"
    assert errors["broken"] == "127.0.0.1 server error (502), asked to wait 10 min"
    assert errors["past"] == "rate limited by 127.0.0.1 (429)"  # a date gone by: no wait to tell


def test_retry_after_values() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:15:00 GMT", now) == 100.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:15:00 -0000", now) == 100.0
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now) == MAX_RETRY_AFTER
    assert parse_retry_after("9" * 40, now) == MAX_RETRY_AFTER
    assert parse_retry_after("-5", now) is None
    assert [wait_words(s) for s in (0, 59, 600, 3600, 5400, 7200, 86400, 3 * 86400)] == [
        "0 s",
        "59 s",
        "10 min",
        "1 h",
        "1 h 30 min",
        "2 h",
        "1 day",
        "3 days",
    ]


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


async def test_poll_once_can_honour_a_pause_not_over(server: Web) -> None:
    server.static("/paused", b"", "text/plain", 500)
    server.static("/over", b"", "text/plain", 500)
    now = time.time()
    healths = {
        "paused": {"status": "failing", "failures": 1, "last_error": "rate limited (429)",
                   "retry_after": 600.0, "retry_until": _iso(now + 600),
                   "next_poll": _iso(now + 900)},
        "over": {"status": "failing", "failures": 1, "last_error": "rate limited (429)",
                 "retry_after": 600.0, "retry_until": _iso(now - 1), "next_poll": _iso(now + 9)},
    }  # fmt: skip
    poller = poller_for(server, "paused", "over", healths=healths)
    reports = {r.name: r for r in await poller.poll_once(honour_waits=True)}
    assert reports["paused"].waiting and not reports["over"].waiting
    assert 590 < reports["paused"].next_poll - now <= 601  # the server's pause, not the interval
    assert reports["paused"].error == "rate limited (429)"
    assert not server.hits("/paused") and len(server.hits("/over")) == 1
    assert poller.health("paused") == healths["paused"]  # nothing polled, nothing recorded
    # without honour_waits (a poller told to poll now), the pause is not consulted
    reports = {r.name: r for r in await poller.poll_once(["paused"])}
    assert not reports["paused"].waiting and len(server.hits("/paused")) == 1


async def test_a_restart_never_resumes_a_schedule_years_away(server: Web) -> None:
    server.static("/old", b"", "text/plain", 500)
    far = {"status": "failing", "failures": 3, "next_poll": "2099-10-21T07:28:00+00:00"}
    poller = poller_for(server, "old", healths={"old": far})
    slot_next = poller._slots["old"].next_at
    assert slot_next - time.time() <= MAX_RETRY_AFTER + 1


async def test_a_gone_feed_is_asked_again_daily_not_hourly(server: Web) -> None:
    server.static("/gone", b"", "text/plain", 410)
    poller = poller_for(server, "gone")
    (rep,) = await poller.poll_once()
    assert rep.error == "gone from 127.0.0.1 (410): remove or replace this source"
    assert MAX_RETRY_AFTER - 60 < rep.next_poll - time.time() <= MAX_RETRY_AFTER + 1


async def test_a_spent_reddit_budget_waits_for_its_reset(server: Web) -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>r</title><item>'
        b"<title>acme?</title><link>https://reddit.test/1</link></item></channel></rss>"
    )
    spent = {"X-RateLimit-Remaining": "0.0", "X-RateLimit-Used": "100", "X-RateLimit-Reset": "420"}
    server.static("/spent", rss, "application/rss+xml", headers=spent)
    server.static(
        "/fine", rss, "application/rss+xml", headers={**spent, "X-RateLimit-Remaining": "37.0"}
    )
    server.static(
        "/limited",
        b"",
        "text/plain",
        429,
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "75"},
    )
    poller = poller_for(server, "spent", "fine", "limited")
    reports = {r.name: r for r in await poller.poll_once()}
    assert reports["spent"].ok and 419 <= reports["spent"].next_poll - time.time() <= 421
    assert poller.health("spent")["retry_after"] == 420.0
    assert reports["fine"].ok and 59 <= reports["fine"].next_poll - time.time() <= 61
    assert "retry_after" not in poller.health("fine")
    assert reports["limited"].error == "rate limited by 127.0.0.1 (429), asked to wait 75 s"
    # the next fetch --once leaves the spent one alone, in words
    again = {r.name: r for r in await poller.poll_once(honour_waits=True)}
    assert again["spent"].waiting and again["spent"].error == "its rate limit is spent"
    assert len(server.hits("/spent")) == 1


def test_rate_limit_resets_as_servers_write_them() -> None:
    now = 1_700_000_000.0
    assert (
        rate_limit_pause({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "60"}, now=now) == 60
    )
    epoch = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 30)}
    assert rate_limit_pause(epoch, now=now) == 30
    iso = {"x-ratelimit-remaining": "1", "x-ratelimit-reset": "2023-11-14T22:14:20Z"}
    assert rate_limit_pause(iso, threshold=2, now=now) == 60
    assert rate_limit_pause({"x-ratelimit-remaining": "nan", "x-ratelimit-reset": "5"}) is None
    assert rate_limit_pause({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "soon"}) is None
    assert (
        rate_limit_pause({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9e99"})
        == MAX_RETRY_AFTER
    )
