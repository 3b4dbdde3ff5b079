"""Console tests run isolated: own config and data dirs, an in-memory keyring, UTC.

The user's own config, data and keyring are never read: every path veille
could look at points into tmp_path, and the keyring is a dict.
"""

from __future__ import annotations

import json
import time
import webbrowser
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from sources.models import Post
from tests.keyrings import MemoryKeyring, installed
from tests.localhttp import Request, Seen, Web, serve
from tui.app import VeilleApp, make_app
from tui.context import Context

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
SIZE = (120, 36)  # the console's terminal in these tests: three panes side by side


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("VEILLE_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    with installed() as ring:
        yield ring


class Clock:
    """A settable clock: SLA countdowns, snoozes and replies without waiting."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_ctx(tmp_path: Path, config: str | None = None) -> Context:
    cpath = tmp_path / "config.toml"
    if config is not None:
        cpath.write_text(config, encoding="utf-8")
    return Context.from_args(str(cpath), str(tmp_path / "data"))


def post(
    n: int | str,
    text: str,
    *,
    author: str = "",
    source: str = "ingest",
    kind: str = "ingest",
    at: datetime = T0,
    **kw: Any,
) -> Post:
    return Post(
        id=f"{kind}:{n}",
        text=text,
        source=source,
        source_kind=kind,
        author=author or f"user{n}",
        created_at=at,
        remote_id=str(n),
        **kw,
    )


@contextmanager
def console_app(
    tmp_path: Path, *posts: Post, config: str | None = None, **app_kw: Any
) -> Iterator[VeilleApp]:
    """The app on its own context in tmp_path (no poller unless asked), `posts` ingested;
    the context is closed after the block."""
    ctx = make_ctx(tmp_path, config)
    try:
        app = make_app(ctx, **{"poller": False, **app_kw})
        if posts:
            app.inbox.ingest(list(posts))
        yield app
    finally:
        ctx.close()


@asynccontextmanager
async def running(app: VeilleApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot[int]]:
    """`app` running headless, its pending writes done and panes painted before the block."""
    async with app.run_test(size=size) as pilot:
        await app.settle()
        yield pilot


@asynccontextmanager
async def console(
    tmp_path: Path,
    *posts: Post,
    config: str | None = None,
    size: tuple[int, int] = SIZE,
    **app_kw: Any,
) -> AsyncIterator[tuple[VeilleApp, Pilot[int]]]:
    """`console_app` and `running` in one: the settled console and its pilot."""
    with console_app(tmp_path, *posts, config=config, **app_kw) as app:
        async with running(app, size) as pilot:
            yield app, pilot


async def wait_for(
    pilot: Any, cond: Callable[[], bool], what: str = "condition", rounds: int = 400
) -> None:
    """Let the app run until `cond()` holds: each round yields to the app's events."""
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class MastodonStub:
    """A Mastodon-shaped server: POST /api/v1/statuses answers `status`; every request is kept."""

    def __init__(self, web: Web) -> None:
        self.web = web
        self.status = 200
        web.route("/api/v1/statuses", self._statuses)

    @property
    def base(self) -> str:
        return self.web.base

    @property
    def seen(self) -> list[Seen]:
        with self.web.lock:
            return list(self.web.requests)

    def _statuses(self, r: Request) -> None:
        n = len(self.web.requests)
        reply = (
            {"id": f"9{n}", "url": "http://127.0.0.1/@nimbus/9"}
            if self.status < 300
            else {"error": "the instance is on fire"}
        )
        r.reply(self.status, json.dumps(reply), "application/json")


@pytest.fixture
def mastodon() -> Iterator[MastodonStub]:
    with serve() as web:
        yield MastodonStub(web)


def fake_browser(bin_dir: Path, name: str) -> tuple[Path, Path]:
    """An executable `name` that writes the URL it was given to a file, and that file."""
    bin_dir.mkdir(exist_ok=True)
    out = bin_dir / f"{name}.opened"
    exe = bin_dir / name
    exe.write_text(f'#!/bin/sh\necho "$1" > "{out}"\necho "noise on the terminal" >&2\n')
    exe.chmod(0o755)
    return exe, out


@pytest.fixture
def browser_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Point webbrowser at a $BROWSER of the test's choosing (it caches what it found)."""

    def use(exe: Path) -> None:
        monkeypatch.setenv("BROWSER", str(exe))
        monkeypatch.delenv("DISPLAY", raising=False)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        monkeypatch.setattr(webbrowser, "_tryorder", None)
        monkeypatch.setattr(webbrowser, "_browsers", {})

    return use
