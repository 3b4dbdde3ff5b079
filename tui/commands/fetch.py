"""`veille fetch --once`: poll every configured source once, ingest, summarise.

Exits 0 when the run completed, even when some sources failed: their
failures are in the summary and in the store's source health, where the
console and `veille sources list` show them. Without --once the poller keeps
running in the foreground until Ctrl-C or SIGTERM (headless listening): the
signal asks the poller to stop between steps, so a batch being written to the
store is finished, never cut in half; a second Ctrl-C interrupts at once.
Holding the store, fetch also ingests what `veille ingest` spooled meanwhile (at
start, then every two seconds while it runs).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from inbox import StoreLocked
from sources.http import wait_words
from sources.models import Post
from sources.poller import Poller, PollReport, build_sources, paused_sources
from tui.commands._spool import take_spool
from tui.context import Context
from tui.safe import one_line

SPOOL_EVERY = 2.0  # seconds between looks at the spool, as the console does


def register(sub: Any) -> None:
    p = sub.add_parser(
        "fetch",
        help="poll the configured sources and ingest what is new",
        description="Poll every [[source]] of the config, ingest new posts, and print one "
        "line per source. Source failures are reported, not fatal.",
    )
    p.add_argument("--once", action="store_true", help="poll each source once and exit")
    p.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="only the source with this name (repeatable)",
    )
    p.add_argument(
        "--concurrency", type=int, default=8, metavar="N", help="sources polled at once (8)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    sources, errors = build_sources(ctx.config.sources)
    for err in errors:
        print(f"veille: {one_line(err)}", file=sys.stderr)
    if args.source:
        wanted = set(args.source)
        unknown = wanted - {s.name for s in sources}
        if unknown:  # a typo must not pass for success while that source goes unpolled
            names = ", ".join(one_line(s.name, 40) for s in sources) or "none"
            paused = {name for name, _kind in paused_sources(ctx.config.sources)}
            for name in sorted(unknown):
                if name in paused:
                    print(
                        f"veille: source {one_line(name, 40)!r} is paused (enabled = false in "
                        "the config): set enabled = true to poll it",
                        file=sys.stderr,
                    )
                else:
                    print(
                        f"veille: no source named {name!r} (configured: {names})", file=sys.stderr
                    )
            return 2
        sources = [s for s in sources if s.name in wanted]
    if not sources:
        print("no source to poll")
        return 1 if errors or args.source else 0
    try:
        inbox = ctx.open_inbox()
    except StoreLocked as exc:
        print(f"veille: {exc} (the running console already polls the sources)", file=sys.stderr)
        return 1
    take_spool(ctx, inbox)
    tallies: dict[str, list[int]] = {s.name: [0, 0, 0, 0] for s in sources}

    def on_posts(name: str, posts: list[Post]) -> None:
        result = inbox.ingest(posts)
        t = tallies[name]
        t[0] += len(posts)
        t[1] += len(result.added)
        t[2] += result.duplicates
        t[3] += result.filtered

    poller = Poller(
        sources,
        on_posts=on_posts,
        on_state=inbox.set_source_state,
        on_health=inbox.set_source_health,
        states={s.name: inbox.get_source_state(s.name) for s in sources},
        healths=inbox.source_health(),
        concurrency=args.concurrency,
    )
    if args.once:
        # A server that asked for a pause is not asked again before it ends, even
        # by a fetch run from cron every few minutes.
        reports = asyncio.run(poller.poll_once(honour_waits=True))
        for rep in reports:
            print(summary_line(rep, tallies[rep.name]))
        polled = [r for r in reports if not r.waiting]
        failed = sum(1 for r in polled if not r.ok)
        waiting = len(reports) - len(polled)
        pause = f", {waiting} waiting for the server" if waiting else ""
        added = sum(t[1] for t in tallies.values())
        print(f"{len(polled)} sources polled, {failed} failed{pause}, {added} new mentions")
        return 0

    def on_health(name: str, health: dict[str, Any]) -> None:
        inbox.set_source_health(name, health)
        t = tallies[name]
        shown = one_line(name)  # a name can hold a newline or an escape: one inert line
        if health.get("status") == "failing":
            print(f"{shown}: failed: {one_line(health.get('last_error', ''))}", flush=True)
        else:
            print(f"{shown}: {t[1]} new so far, next poll {health.get('next_poll')}", flush=True)

    poller.on_health = on_health
    print(f"polling {len(sources)} sources; Ctrl-C to stop", flush=True)
    done = threading.Event()
    spool = threading.Thread(target=_spool_loop, args=(ctx, inbox, done), daemon=True)
    spool.start()
    try:
        with _stops(poller):
            try:
                poller.run_forever()
            except KeyboardInterrupt:  # the second Ctrl-C
                poller.stop()
    finally:
        done.set()
        spool.join(SPOOL_EVERY * 5)
    return 0


def _spool_loop(ctx: Context, inbox: Any, done: threading.Event) -> None:
    while not done.wait(SPOOL_EVERY):
        take_spool(ctx, inbox)


@contextmanager
def _stops(poller: Poller) -> Iterator[None]:
    """SIGINT and SIGTERM stop the poller; a second SIGINT raises KeyboardInterrupt.

    Left to Python's default, Ctrl-C raises wherever the main thread happens to be:
    inside a store write, or inside a callback whose error is only logged, after
    which the poller would run on.
    """

    def stop(signum: int, frame: object) -> None:
        if poller.stopping and signum == signal.SIGINT:
            raise KeyboardInterrupt
        poller.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def summary_line(rep: PollReport, tally: list[int]) -> str:
    name = one_line(rep.name)
    if rep.waiting:
        left = wait_words(rep.next_poll - time.time())
        why = one_line(rep.error)
        return f"{name}: waiting: {why}; next try in {left}"
    if not rep.ok:
        return f"{name}: failed: {one_line(rep.error)}"
    if rep.not_modified:
        return f"{name}: ok, not modified ({rep.duration:.1f} s)"
    fetched, added, dups, filtered = tally
    return (
        f"{name}: ok, {fetched} fetched, {added} new, {dups} duplicate, "
        f"{filtered} filtered ({rep.duration:.1f} s)"
    )
