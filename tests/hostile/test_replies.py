"""Sending a reply to a server that misbehaves: one clear line, in bounded time, never a crash.

The console sends from a worker thread and keeps the draft when `send` raises
`ReplyError`; anything else (an AttributeError from an odd JSON body, a send
that never ends) leaves the user with a spinner or a Python error instead.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timezone
from typing import Any

import pytest

from sources.models import Post
from sources.replies import BlueskyReply, MastodonReply, ReplyError, ReplyResult
from tests.localhttp import Web

from .conftest import MemoryKeyring, RawServer

MASTO = Post(
    id="mastodon:https://social.example/s/1",
    text="is acme down?",
    source_kind="mastodon",
    author="@ann",
    remote_id="1",
    created_at=datetime(2026, 11, 20, tzinfo=timezone.utc),
)
BSKY = Post(
    id="bluesky:at://did:plc:a/app.bsky.feed.post/r1",
    text="acme is broken",
    source_kind="bluesky",
    author="@ann.bsky.social",
    remote_id="at://did:plc:a/app.bsky.feed.post/r1",
    reply_cid="cid1",
    created_at=datetime(2026, 11, 20, tzinfo=timezone.utc),
)

ODD_BODIES: list[Any] = [None, 5, "text", [1, 2], {"id": None, "url": "javascript:alert(1)"}]


@pytest.fixture
def ring(memory_keyring: MemoryKeyring, web: Web) -> MemoryKeyring:
    port = web.base.rsplit(":", 1)[1]
    memory_keyring.set_password("veille", f"mastodon:127.0.0.1:{port}", "tok-123")
    memory_keyring.set_password("veille", "bluesky:me.example", "pw-123")
    return memory_keyring


def send_or_line(fn: Any) -> ReplyResult | None:
    try:
        return fn()  # type: ignore[no-any-return]
    except ReplyError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return None


@pytest.mark.parametrize(
    "body",
    ODD_BODIES,
    ids=repr,
)
def test_odd_success_bodies_are_results_or_one_line(
    web: Web, ring: MemoryKeyring, body: Any
) -> None:
    web.static("/api/v1/statuses", json.dumps(body), "application/json")
    web.static(
        "/xrpc/com.atproto.server.createSession",
        json.dumps({"accessJwt": "a", "refreshJwt": "r", "did": "did:plc:me"}),
        "application/json",
    )
    web.static("/xrpc/com.atproto.repo.createRecord", json.dumps(body), "application/json")
    for fn in (
        lambda: MastodonReply(web.base, timeout=2).send(MASTO, "hello"),
        lambda: BlueskyReply("me.example", service=web.base, timeout=2).send(BSKY, "hello"),
    ):
        result = send_or_line(fn)
        if result is not None:
            assert not result.url or result.url.startswith(("http://", "https://"))


@pytest.mark.parametrize("status", [301, 400, 403, 404, 429, 500, 502])
def test_error_statuses_are_one_line(web: Web, ring: MemoryKeyring, status: int) -> None:
    web.static(
        "/api/v1/statuses",
        json.dumps({"error": "[@click=app.quit]x[/] \x1b]52;c;AAAA\x07 nope"}),
        "application/json",
        status=status,
        headers={"Location": "file:///etc/passwd", "Retry-After": "30"},
    )
    with pytest.raises(ReplyError) as err:
        MastodonReply(web.base, timeout=2).send(MASTO, "hello")
    assert "\n" not in str(err.value) and "\x1b" not in str(err.value)


def _drip(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    body = json.dumps({"id": "9", "url": "https://social.example/9"}).encode()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    for byte in head % len(body) + body:
        if stop.wait(0.3):
            return
        conn.sendall(bytes([byte]))


def test_dripping_server_ends_the_send_in_bounded_time(
    raw_server: Any, ring: MemoryKeyring
) -> None:
    srv: RawServer = raw_server(_drip)
    port = srv.port
    ring.set_password("veille", f"mastodon:127.0.0.1:{port}", "tok-123")
    done = threading.Event()

    def send() -> None:
        try:
            send_or_line(lambda: MastodonReply(srv.url, timeout=2).send(MASTO, "hello"))
        finally:
            done.set()

    threading.Thread(target=send, daemon=True).start()
    finished = done.wait(5)
    srv.close()  # ends the drip either way
    assert finished, "the send was still going after 5 s"


def test_silent_server_times_out_in_one_line(raw_server: Any, ring: MemoryKeyring) -> None:
    srv: RawServer = raw_server(lambda conn, stop: (conn.recv(65536), stop.wait(30)))
    ring.set_password("veille", f"mastodon:127.0.0.1:{srv.port}", "tok-123")
    t0 = time.monotonic()
    with pytest.raises(ReplyError):
        MastodonReply(srv.url, timeout=0.5).send(MASTO, "hello")
    assert time.monotonic() - t0 < 3
