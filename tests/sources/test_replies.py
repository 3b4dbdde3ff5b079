"""Reply channels against local Mastodon/Bluesky endpoints; feeds and HN go manual."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from sources.auth import set_secret
from sources.models import Post
from sources.replies import (
    BlueskyReply,
    BrowserReply,
    MastodonReply,
    ReplyError,
    ReplyResult,
    channel_for,
    idempotency_key,
)
from tests.localhttp import Request, Web

from .conftest import MemoryKeyring

MENTION = Post(
    id="mastodon:https://other.example/users/ann/statuses/555",
    text="Is #acme down?",
    source="m",
    source_kind="mastodon",
    author="@ann@other.example",
    remote_id="1001",
)


def host(server: Web) -> str:
    return server.base.split("://")[1]


def test_mastodon_reply_is_idempotent_across_retries(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    set_secret(f"mastodon:{host(server)}", "tok")
    created: dict[str, dict[str, str]] = {}
    drop_first = {"on": True}

    def statuses(r: Request) -> None:
        key = r.seen.headers["idempotency-key"]
        if key not in created:
            created[key] = {"id": str(9000 + len(created)), "url": "https://social.example/@me/9"}
        if drop_first["on"]:  # accepted, but the answer is lost on the way back
            drop_first["on"] = False
            r.close_connection = True
            r.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{")
            return
        r.reply(200, json.dumps(created[key]).encode(), "application/json")

    server.route("/api/v1/statuses", statuses)
    channel = MastodonReply(server.base)
    with pytest.raises(ReplyError, match="lost the connection to 127.0.0.1"):
        channel.send(MENTION, "Sorry! Fixed now.")
    result = channel.send(MENTION, "Sorry! Fixed now.")
    assert result.remote_id == "9000" and not result.manual
    assert len(created) == 1  # the retry did not post twice
    first, second = server.hits("/api/v1/statuses")
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    assert first.headers["idempotency-key"] == idempotency_key(MENTION, "Sorry! Fixed now.")
    body = json.loads(second.body)
    assert body["in_reply_to_id"] == "1001"
    assert body["status"] == "@ann@other.example Sorry! Fixed now."
    assert second.headers["authorization"] == "Bearer tok"
    assert idempotency_key(MENTION, "other text") != idempotency_key(MENTION, "Sorry! Fixed now.")


def test_mastodon_reply_refused_token(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret(f"mastodon:{host(server)}", "old")
    server.static(
        "/api/v1/statuses",
        b'{"error":"The access token is invalid"}',
        "application/json",
        status=401,
    )
    with pytest.raises(ReplyError, match="refused the token: run `veille auth set mastodon:"):
        MastodonReply(server.base).send(MENTION, "hi")


def test_mastodon_reply_without_token_sends_nothing(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(ReplyError, match="no Mastodon token"):
        MastodonReply(server.base).send(MENTION, "hi")
    assert server.requests == []


def test_bluesky_reply_threads_root_and_parent(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")
    server.static(
        "/xrpc/com.atproto.server.createSession",
        json.dumps(
            {
                "accessJwt": "acc",
                "refreshJwt": "ref",
                "did": "did:plc:me",
                "handle": "me.bsky.social",
            }
        ).encode(),
        "application/json",
    )
    server.static(
        "/xrpc/com.atproto.repo.createRecord",
        b'{"uri":"at://did:plc:me/app.bsky.feed.post/3new","cid":"bafynew"}',
        "application/json",
    )
    mention = Post(
        id="bluesky:at://did:plc:bbb/app.bsky.feed.post/3m",
        text="@me Acme?",
        source="b",
        source_kind="bluesky",
        remote_id="at://did:plc:bbb/app.bsky.feed.post/3m",
        reply_cid="bafym",
        reply_root="at://did:plc:root/app.bsky.feed.post/3root",
        lang="fr",
        extra={"root_cid": "bafyroot"},
    )
    result = BlueskyReply("me.bsky.social", service=server.base).send(mention, "Merci !")
    assert result.remote_id == "at://did:plc:me/app.bsky.feed.post/3new"
    assert result.url == "https://bsky.app/profile/me.bsky.social/post/3new"
    sent = json.loads(server.hits("/xrpc/com.atproto.repo.createRecord")[0].body)
    assert sent["repo"] == "did:plc:me" and sent["collection"] == "app.bsky.feed.post"
    record = sent["record"]
    assert record["text"] == "Merci !" and record["langs"] == ["fr"]
    assert record["reply"] == {
        "root": {"uri": "at://did:plc:root/app.bsky.feed.post/3root", "cid": "bafyroot"},
        "parent": {"uri": "at://did:plc:bbb/app.bsky.feed.post/3m", "cid": "bafym"},
    }
    auth = server.hits("/xrpc/com.atproto.repo.createRecord")[0].headers["authorization"]
    assert auth == "Bearer acc"


def test_browser_reply_is_manual() -> None:
    hn = Post(
        id="hackernews:1",
        text="x",
        source_kind="hackernews",
        url="https://news.ycombinator.com/item?id=1",
    )
    result = BrowserReply().send(hn, "draft")
    assert result.manual and result.url == "https://news.ycombinator.com/item?id=1"
    evil = Post(id="feed:1", text="x", source_kind="feed", url="javascript:alert(1)")
    assert BrowserReply().send(evil, "d").url == ""


def test_channel_for() -> None:
    assert isinstance(channel_for(MENTION, {"instance": "social.example"}), MastodonReply)
    assert isinstance(channel_for(MENTION, {}), BrowserReply)  # no instance known
    bsky = Post(id="bluesky:x", text="x", source_kind="bluesky")
    assert isinstance(channel_for(bsky, {"handle": "me.bsky.social"}), BlueskyReply)
    assert isinstance(channel_for(Post(id="feed:1", text="x", source_kind="feed")), BrowserReply)


def test_reply_client_can_be_injected(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret(f"mastodon:{host(server)}", "tok")
    server.static("/api/v1/statuses", b'{"id":"5","url":"https://s.example/5"}', "application/json")
    made: list[httpx.AsyncClient] = []

    def factory() -> httpx.AsyncClient:
        made.append(httpx.AsyncClient(trust_env=False))
        return made[-1]

    result = MastodonReply(server.base, client_factory=factory).send(
        MENTION, "hi @ann@other.example"
    )
    assert json.loads(server.requests[0].body)["status"] == "hi @ann@other.example"
    assert result.url == "https://s.example/5" and len(made) == 1


def test_reply_send_has_a_total_deadline(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret(f"mastodon:{host(server)}", "tok")

    def drip(r: Request) -> None:
        r.send_response(200)
        r.send_header("Content-Length", "1000")
        r.end_headers()
        for _ in range(100):
            if r.server.web.stopping.wait(0.1):
                return
            r.wfile.write(b" ")
            r.wfile.flush()

    server.route("/api/v1/statuses", drip)
    t0 = time.monotonic()
    with pytest.raises(ReplyError, match="took longer than 1 s"):
        MastodonReply(server.base, timeout=1.0).send(MENTION, "hello")
    assert time.monotonic() - t0 < 2.5


@pytest.mark.parametrize("body", [b"5", b'"text"', b"[1, 2]", b"null", b"not json"])
def test_odd_success_bodies_still_count_as_sent(
    server: Web, memory_keyring: MemoryKeyring, body: bytes
) -> None:
    set_secret(f"mastodon:{host(server)}", "tok")
    server.static("/api/v1/statuses", body, "application/json")
    assert MastodonReply(server.base).send(MENTION, "hello") == ReplyResult("", "", False)


def test_reply_redirect_not_followed(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret(f"mastodon:{host(server)}", "tok")
    server.static("/api/v1/statuses", b"", "text/plain", 301, {"Location": "/elsewhere"})
    with pytest.raises(ReplyError, match="redirected elsewhere: not followed"):
        MastodonReply(server.base).send(MENTION, "hello")
    assert server.hits("/elsewhere") == []


async def test_send_from_a_thread_running_a_loop(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    set_secret(f"mastodon:{host(server)}", "tok")
    server.static("/api/v1/statuses", b'{"id":"7","url":"https://s.example/7"}', "application/json")
    assert MastodonReply(server.base).send(MENTION, "hello").remote_id == "7"
