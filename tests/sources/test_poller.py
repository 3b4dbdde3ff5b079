"""The poller: concurrency, backoff, Retry-After, health, and a clean stop."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

import httpx
import pytest

import sources.feed
from sources.base import Source
from sources.feed import FeedSource
from sources.http import FetchLimits, make_client
from sources.models import Post
from sources.poller import Poller, build_sources
from tests.localhttp import Request, Web

from .conftest import TEST_LIMITS, fixture_bytes


def client_factory() -> httpx.AsyncClient:
    return make_client(TEST_LIMITS, trust_env=False)


class Recorder:
    def __init__(self) -> None:
        self.posts: dict[str, list[Post]] = {}
        self.states: dict[str, dict[str, Any]] = {}
        self.health: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.got_posts = threading.Event()

    def on_posts(self, name: str, posts: list[Post]) -> None:
        with self.lock:
            self.posts.setdefault(name, []).extend(posts)
        self.got_posts.set()

    def on_state(self, name: str, state: dict[str, Any]) -> None:
        self.states[name] = state

    def on_health(self, name: str, health: dict[str, Any]) -> None:
        self.health[name] = health

    def poller(self, sources: list[Source], **kw: Any) -> Poller:
        kw.setdefault("client_factory", client_factory)
        return Poller(
            sources, on_posts=self.on_posts, on_state=self.on_state, on_health=self.on_health, **kw
        )


def feed(server: Web, name: str, **kw: Any) -> FeedSource:
    return FeedSource(name, server.url(f"/{name}"), limits=kw.pop("limits", TEST_LIMITS), **kw)


async def test_poll_once_failures_do_not_stop_the_rest(server: Web) -> None:
    server.static("/good", fixture_bytes("atom.xml"), "application/atom+xml")
    server.static("/broken", b"oops", "text/plain", status=500)
    server.static("/html", b"<html><body>hi</body></html>", "text/html")
    rec = Recorder()
    poller = rec.poller([feed(server, "good"), feed(server, "broken"), feed(server, "html")])
    reports = await poller.poll_once()
    assert [r.ok for r in reports] == [True, False, False]
    assert len(rec.posts["good"]) == 2
    assert rec.health["good"]["status"] == "ok" and rec.health["good"]["last_success"]
    assert rec.health["broken"]["status"] == "failing"
    assert "server error (500)" in rec.health["broken"]["last_error"]
    assert rec.health["html"]["last_error"] == "the URL returned an HTML page, not a feed"
    for h in rec.health.values():
        assert "\n" not in h.get("last_error", "")
        assert datetime.fromisoformat(h["next_poll"]) > datetime.fromisoformat(h["last_poll"])
        assert {"since", "polls", "failures", "posts", "last_duration"} <= set(h)
    assert "broken" not in rec.states  # the cursor of a failed poll never moves
    assert rec.states["good"]["etag"] == ""


async def test_backoff_grows_to_ceiling_and_resets(server: Web) -> None:
    flaky = {"fail": True}

    def handler(r: Request) -> None:
        if flaky["fail"]:
            r.reply(503, b"", "text/plain")
        else:
            r.reply(200, fixture_bytes("atom.xml"), "application/atom+xml")

    server.route("/flaky", handler)
    src = feed(server, "flaky", interval=60.0)
    poller = Recorder().poller([src], jitter=0.0, backoff_base=30.0, backoff_max=200.0)
    delays = []
    for _ in range(5):
        rep = (await poller.poll_once())[0]
        delays.append(round(rep.next_poll - time.time()))
    assert delays == [60, 60, 120, 200, 200]  # never under the interval, capped at the ceiling
    assert poller.health("flaky")["failures"] == 5
    flaky["fail"] = False
    rep = (await poller.poll_once())[0]
    assert rep.ok and round(rep.next_poll - time.time()) == 60
    h = poller.health("flaky")
    assert h["status"] == "ok" and h["failures"] == 0
    assert "unavailable (503)" in h["last_error"]  # the last error stays for the record


async def test_retry_after_honoured(server: Web) -> None:
    server.static("/limited", b"", "text/plain", 429, {"Retry-After": "900"})
    poller = Recorder().poller([feed(server, "limited", interval=60.0)], jitter=0.0)
    rep = (await poller.poll_once())[0]
    assert not rep.ok and rep.next_poll - time.time() > 890
    assert poller.health("limited")["retry_after"] == 900.0


async def test_slow_source_is_marked_slow(server: Web) -> None:
    server.static("/slowish", fixture_bytes("atom.xml"), "application/atom+xml")
    poller = Recorder().poller([feed(server, "slowish")], slow_after=0.0)
    await poller.poll_once()
    assert poller.health("slowish")["status"] == "slow"


async def test_initial_state_is_handed_to_the_source(server: Web) -> None:
    server.static("/s", fixture_bytes("atom.xml"), "application/atom+xml")
    poller = Recorder().poller([feed(server, "s")], states={"s": {"etag": '"abc"'}})
    await poller.poll_once()
    assert server.hits("/s")[0].headers["if-none-match"] == '"abc"'


async def test_store_failure_keeps_cursor(server: Web) -> None:
    server.static("/s", fixture_bytes("atom.xml"), "application/atom+xml", headers={"ETag": "e1"})
    states: dict[str, Any] = {}

    def refuse(name: str, posts: list[Post]) -> None:
        raise OSError("disk full")

    poller = Poller(
        [feed(server, "s")],
        on_posts=refuse,
        on_state=states.__setitem__,
        client_factory=client_factory,
    )
    rep = (await poller.poll_once())[0]
    assert not rep.ok and "could not store posts: OSError: disk full" in rep.error
    assert states == {} and poller.state("s") == {}
    assert poller.health("s")["status"] == "failing"


async def test_concurrency_is_bounded(server: Web) -> None:
    lock = threading.Lock()
    live = {"now": 0, "max": 0}

    def slow(r: Request) -> None:
        with lock:
            live["now"] += 1
            live["max"] = max(live["max"], live["now"])
        r.server.web.stopping.wait(0.15)
        with lock:
            live["now"] -= 1
        r.reply(200, fixture_bytes("atom.xml"), "application/atom+xml")

    names = [f"f{i}" for i in range(6)]
    for n in names:
        server.route(f"/{n}", slow)
    poller = Recorder().poller([feed(server, n) for n in names], concurrency=2)
    reports = await poller.poll_once()
    assert all(r.ok for r in reports)
    assert live["max"] == 2


def test_thread_run_stall_never_delays_others_and_stop_is_prompt(server: Web) -> None:
    server.route("/stall", lambda r: r.server.web.stopping.wait(30))
    server.static("/good", fixture_bytes("rss2.xml"), "application/rss+xml")
    patient = FetchLimits(total=20.0, connect=1.0, read=20.0)
    rec = Recorder()
    poller = rec.poller([feed(server, "stall", limits=patient), feed(server, "good")])
    thread = threading.Thread(target=poller.run_forever, daemon=True)
    t0 = time.monotonic()
    thread.start()
    assert rec.got_posts.wait(5)
    assert time.monotonic() - t0 < 2  # the stalled source held nobody up
    assert len(rec.posts["good"]) == 3
    t1 = time.monotonic()
    poller.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert time.monotonic() - t1 < 1.5  # stop() ends the loop promptly, mid-poll


def test_stop_before_start_returns_at_once() -> None:
    poller = Poller([], client_factory=client_factory)
    poller.stop()
    t0 = time.monotonic()
    poller.run_forever()
    assert time.monotonic() - t0 < 0.5


def test_run_repolls_on_interval(server: Web) -> None:
    server.static("/tick", fixture_bytes("atom.xml"), "application/atom+xml")
    rec = Recorder()
    src = feed(server, "tick")
    src.interval = 0.2  # the factory forbids this; tests may go faster
    poller = rec.poller([src], jitter=0.0)
    thread = threading.Thread(target=poller.run_forever, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while len(server.hits("/tick")) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    poller.stop()
    thread.join(5)
    assert len(server.hits("/tick")) >= 3
    assert len(rec.posts["tick"]) == 2  # later polls hand nothing already seen


def test_build_sources_all_kinds_and_errors() -> None:
    configs: list[Any] = [
        {"kind": "feed", "name": "blog", "url": "https://blog.example.org/feed", "interval": 600},
        {"kind": "feed", "preset": "reddit", "query": "acme"},
        {"kind": "mastodon", "instance": "mastodon.social", "tag": "acme", "none": ["spam"]},
        {"kind": "bluesky", "handle": "me.bsky.social", "query": "acme"},
        {"kind": "hackernews", "query": "acme"},
        {"kind": "twitter", "name": "x"},
        {"kind": "feed", "name": "nourl"},
        {"kind": "feed", "name": "blog", "url": "https://other.example/feed"},
        {"kind": "hackernews", "name": "fast", "query": "a", "interval": 1},
        {"kind": "mastodon", "name": "odd", "instance": "m.example", "tag": "a", "colour": 1},
        {"kind": "feed", "name": "off", "url": "https://x.example/f", "enabled": False},
        "not a table",
    ]
    sources, errors = build_sources(configs)
    assert [s.name for s in sources] == [
        "blog",
        "feed:acme",
        "mastodon:acme",
        "bluesky:acme",
        "hackernews:acme",
    ]
    assert [s.kind for s in sources] == ["feed", "feed", "mastodon", "bluesky", "hackernews"]
    assert sources[0].interval == 600.0
    assert errors[0].startswith("source #6 (x): unknown kind 'twitter'")
    assert errors[1].startswith("source #7 (nourl): ") and "url" in errors[1]
    assert errors[2] == "source #8 (blog): another source already has this name"
    assert errors[3] == "source #9 (fast): interval must be at least 10 seconds"
    assert errors[4] == "source #10 (odd): unknown setting 'colour'"
    assert errors[5] == "source #12: not a table"
    assert len(errors) == 6


def test_build_sources_demo_is_lazy() -> None:
    pytest.importorskip("sources.demo")
    sources, errors = build_sources([{"kind": "demo", "name": "demo"}])
    assert errors == [] and sources[0].kind == "demo"


def test_stop_does_not_wait_for_a_feed_being_parsed(
    server: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = "".join(
        f"<item><title>entry {i}</title><guid>g{i}</guid></item>" for i in range(15_000)
    )
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    server.static("/big", body, "application/rss+xml")
    parsing = threading.Event()
    real_parse = sources.feed.parse_feed

    def parse_and_tell(*args: Any, **kw: Any) -> list[Post]:
        parsing.set()
        return real_parse(*args, **kw)

    monkeypatch.setattr(sources.feed, "parse_feed", parse_and_tell)
    poller = Recorder().poller([feed(server, "big")])
    thread = threading.Thread(target=poller.run_forever, daemon=True)
    thread.start()
    assert parsing.wait(5)  # about a second of parsing is under way in a worker thread
    t0 = time.monotonic()
    poller.stop()
    thread.join(5)
    assert not thread.is_alive() and time.monotonic() - t0 < 0.5


async def test_per_host_limit(server: Web) -> None:
    lock = threading.Lock()
    live: dict[str, int] = {"127.0.0.1": 0, "localhost": 0, "max_127.0.0.1": 0, "max_localhost": 0}

    def slow(r: Request) -> None:
        host = r.seen.headers["host"].split(":")[0]
        with lock:
            live[host] += 1
            live[f"max_{host}"] = max(live[f"max_{host}"], live[host])
        r.server.web.stopping.wait(0.15)
        with lock:
            live[host] -= 1
        r.reply(200, fixture_bytes("atom.xml"), "application/atom+xml")

    sources: list[Source] = []
    for i in range(4):
        server.route(f"/h{i}", slow)
        sources.append(FeedSource(f"a{i}", server.url(f"/h{i}"), limits=TEST_LIMITS))
        other = server.url(f"/h{i}").replace("127.0.0.1", "localhost")
        sources.append(FeedSource(f"b{i}", other, limits=TEST_LIMITS))
    poller = Recorder().poller(sources, concurrency=8, per_host=2)
    reports = await poller.poll_once()
    assert all(r.ok for r in reports)
    assert live["max_127.0.0.1"] == 2 and live["max_localhost"] == 2


async def test_a_server_echoing_the_token_never_gets_it_into_health(
    server: Web, memory_keyring: Any
) -> None:
    from sources.auth import set_secret
    from sources.mastodon import MastodonSource

    host = server.base.split("://")[1]
    set_secret(f"mastodon:{host}", "tok-echoed-987654")

    def echo(r: Request) -> None:
        auth = r.seen.headers.get("authorization", "")
        r.reply(500, f'{{"error": "bad header {auth}"}}'.encode(), "application/json")

    server.route("/api/v2/search", echo)
    rec = Recorder()
    poller = rec.poller([MastodonSource("m", server.base, query="acme", limits=TEST_LIMITS)])
    report = (await poller.poll_once())[0]
    assert "tok-echoed-987654" not in report.error + str(rec.health["m"])
    assert "bad header Bearer [secret]" in rec.health["m"]["last_error"]
