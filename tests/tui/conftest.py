"""Console tests run isolated: own config and data dirs, an in-memory keyring, UTC.

The user's own config, data and keyring are never read: every path veille
could look at points into tmp_path, and the keyring is a dict.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sources.models import Post
from tests.keyrings import MemoryKeyring, installed
from tui.context import Context

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


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


async def wait_for(
    pilot: Any, cond: Callable[[], bool], what: str = "condition", rounds: int = 400
) -> None:
    """Let the app run until `cond()` holds: each round yields to the app's events."""
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Recorder(BaseHTTPRequestHandler):
    """A Mastodon-shaped server: POST /api/v1/statuses, recorded; status set per test."""

    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length)
        self.server.seen.append(
            {"path": self.path, "headers": dict(self.headers.items()), "body": body}
        )
        code = self.server.status
        reply = (
            {"id": f"9{len(self.server.seen)}", "url": "http://127.0.0.1/@nimbus/9"}
            if code < 300
            else {"error": "the instance is on fire"}
        )
        data = json.dumps(reply).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def mastodon() -> Iterator[Any]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    srv.seen = []  # type: ignore[attr-defined]
    srv.status = 200  # type: ignore[attr-defined]
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"  # type: ignore[attr-defined]
    yield srv
    srv.shutdown()
    srv.server_close()
