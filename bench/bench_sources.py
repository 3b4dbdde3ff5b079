"""Sources: fetch→parse(→store) throughput, and how many sources one poller holds.

A separate process serves a generated 100-entry RSS feed on 127.0.0.1 (so the
server's CPU is not counted against the poller). Measured side by side:

- posts/s fetch→parse, and fetch→parse→ingest (rules + in-memory store);
- poller CPU per poll for three steady states: 304 Not Modified (the server
  honours ETag), 200 with nothing new (server ignores validators), and 200
  with 100 new entries each time (the worst case);
- the number of sources one poller holds at a 60 s interval, derived as
  60 s / CPU per poll at half of one core (the poller is one thread).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import statistics
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ENTRIES = 100
INTERVAL = 60.0
CPU_BUDGET = 0.5  # of one core


def make_feed(salt: str) -> bytes:
    now = datetime(2026, 11, 10, tzinfo=timezone.utc)
    items = []
    for i in range(ENTRIES):
        when = format_datetime(now - timedelta(minutes=i))
        items.append(
            f"<item><title>Acme post {salt}-{i}: is the sync broken again?</title>"
            f"<link>https://blog.example.org/{salt}/{i}?utm_source=rss</link>"
            f'<guid isPermaLink="false">{salt}-{i}</guid><pubDate>{when}</pubDate>'
            f"<dc:creator>author{i % 17}</dc:creator>"
            f"<description><![CDATA[<p>Why does <b>Acme</b> keep failing to sync my files "
            f"since the last update? I have tried reinstalling twice &amp; nothing works. "
            f"Post {i} of the series, with a <a href='https://x.example/{i}'>link</a>.</p>]]>"
            f"</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Acme</title>'
        "<link>https://blog.example.org/</link><description>bench</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def _serve(port_q: Any) -> None:
    static = make_feed("s")
    counter = {"n": 0}

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a: Any) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            # headers and body go out in two writes: without this, Nagle plus the
            # client's delayed ACK adds ~40 ms per response and measures nothing of ours
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            if path.startswith("/etag") and self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if path.startswith("/fresh"):
                counter["n"] += 1
                body = make_feed(f"f{counter['n']}")
            else:
                body = static
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(body)

    class S(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    httpd = S(("127.0.0.1", 0), H)
    port_q.put(httpd.server_address[1])
    httpd.serve_forever()


def _inbox() -> Any:
    from inbox import Config, Inbox, MemoryStore
    from rules import load_rules

    return Inbox(MemoryStore(), load_rules(), Config())


async def _throughput(base: str, rounds: int) -> tuple[float, float]:
    """Median seconds per 100-entry feed: fetch→parse, and fetch→parse→ingest, interleaved."""
    from sources.feed import FeedSource
    from sources.http import make_client

    inbox = _inbox()
    plain: list[float] = []
    stored: list[float] = []
    async with make_client(trust_env=False) as client:
        await FeedSource("warm", f"{base}/fresh/warm").poll(client, {})
        for r in range(rounds):
            t0 = time.perf_counter()
            result = await FeedSource("bench", f"{base}/fresh/a{r}").poll(client, {})
            plain.append(time.perf_counter() - t0)
            assert len(result.posts) == ENTRIES
            t0 = time.perf_counter()
            result = await FeedSource("bench", f"{base}/fresh/b{r}").poll(client, {})
            inbox.ingest(result.posts)
            stored.append(time.perf_counter() - t0)
    return statistics.median(plain), statistics.median(stored)


async def _poll_cost(base: str, path: str, n_sources: int, rounds: int) -> float:
    """Process CPU seconds per source poll, polling n sources `rounds` times."""
    from sources.feed import FeedSource
    from sources.http import make_client
    from sources.poller import Poller

    sources = [
        FeedSource(f"s{i}", f"{base}/{path}/{i}", interval=INTERVAL) for i in range(n_sources)
    ]
    poller = Poller(
        sources, concurrency=16, per_host=16, client_factory=lambda: make_client(trust_env=False)
    )
    await poller.poll_once()  # warm: first fetch, ETags and seen ids stored
    c0 = time.process_time()
    for _ in range(rounds):
        await poller.poll_once()
    return (time.process_time() - c0) / (n_sources * rounds)


def main() -> None:
    q: Any = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_serve, args=(q,), daemon=True)
    proc.start()
    try:
        base = f"http://127.0.0.1:{q.get(timeout=10)}"
        from sources.feed import parse_feed

        body = make_feed("p")
        parse_feed(body, source="bench")  # warm
        runs = []
        for _ in range(10):
            t0 = time.perf_counter()
            parse_feed(body, source="bench")
            runs.append(time.perf_counter() - t0)
        parse_ms = statistics.median(runs) * 1000
        print(f"   parse only: {ENTRIES}-entry feed ({len(body) // 1024} KiB) in {parse_ms:.1f} ms")

        per, per_s = asyncio.run(_throughput(base, 15))
        print(
            f"   fetch→parse: {ENTRIES / per:,.0f} posts/s ({per * 1000:.1f} ms per feed, median)"
        )
        print(
            f"   fetch→parse→ingest (rules, memory store): {ENTRIES / per_s:,.0f} posts/s "
            f"({per_s * 1000:.1f} ms per feed, {per_s / per:.1f}x the time of fetch→parse)"
        )
        costs = {}
        for label, path in (("304 not modified", "etag"), ("200, nothing new", "static"),
                            ("200, 100 new entries", "fresh")):  # fmt: skip
            costs[label] = asyncio.run(_poll_cost(base, path, 50, 3))
        for label, cost in costs.items():
            held = INTERVAL * CPU_BUDGET / cost
            print(
                f"   poll CPU, {label}: {cost * 1000:.2f} ms/poll -> one poller holds "
                f"~{held:,.0f} sources at {INTERVAL:.0f} s ({CPU_BUDGET:.0%} of a core)"
            )
        base_cost = costs["304 not modified"]
        ratios = ", ".join(f"{k} {v / base_cost:.1f}x" for k, v in costs.items())
        print(f"   ratios vs 304: {ratios}")
    finally:
        proc.terminate()
        proc.join(5)


if __name__ == "__main__":
    main()
