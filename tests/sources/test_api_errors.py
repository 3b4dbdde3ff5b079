"""API servers failing the way real ones do: the health line says it in plain words."""

from __future__ import annotations

import json

import pytest

from sources.auth import set_secret
from sources.base import SourceError
from sources.bluesky import BlueskySource
from sources.http import make_client
from sources.mastodon import MastodonSource
from tests.localhttp import Request, Web

from .conftest import TEST_LIMITS, MemoryKeyring

CLOUDFLARE = b"<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"


@pytest.mark.parametrize(
    ("status", "body", "headers", "words"),
    [
        (502, CLOUDFLARE, {}, "server error (502)"),
        (503, b"", {"Retry-After": "120"}, "server error (503), asked to wait 2 min"),
        (404, b'{"error":"Record not found"}', {}, "(404): check the instance: Record not found"),
        (410, b"", {}, "gone from"),
    ],
)
async def test_mastodon_errors_in_words(
    server: Web, memory_keyring: MemoryKeyring, status: int, body: bytes, headers: dict[str, str],
    words: str,
) -> None:  # fmt: skip
    server.static("/api/v1/timelines/tag/acme", body, "text/html", status, headers)
    src = MastodonSource("m", server.base, tag="acme", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError) as info:
            await src.poll(client, {})
    assert words in str(info.value)
    assert "answered" not in str(info.value)
    if "Retry-After" in headers:
        assert info.value.retry_after == 120.0


async def test_bluesky_server_error_in_words(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")

    def session(r: Request) -> None:
        r.reply(200, json.dumps({"accessJwt": "a1", "refreshJwt": "r1"}), "application/json")

    server.route("/xrpc/com.atproto.server.createSession", session)
    server.static(
        "/xrpc/app.bsky.feed.searchPosts", CLOUDFLARE, "text/html", 503, {"Retry-After": "30"}
    )
    src = BlueskySource(
        "b", "me.bsky.social", query="acme", service=server.base, limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError) as info:
            await src.poll(client, {})
    assert str(info.value) == "Bluesky search failed: server error (503), asked to wait 30 s"
    assert info.value.retry_after == 30.0


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (
            "AuthFactorTokenRequired",
            "Bluesky asked for an email code: that is the account password",
        ),
        ("AccountTakedown", "Bluesky says the account me.bsky.social is suspended"),
        ("AuthenticationRequired", "Bluesky refused the app password for me.bsky.social: run"),
    ],
)
async def test_bluesky_sign_in_refusals_say_what_to_do(
    server: Web, memory_keyring: MemoryKeyring, error: str, words: str
) -> None:
    set_secret("bluesky:me.bsky.social", "my-account-password")
    body = json.dumps({"error": error, "message": "A sign in code has been sent to your email"})
    server.static("/xrpc/com.atproto.server.createSession", body, "application/json", 401)
    src = BlueskySource(
        "b", "me.bsky.social", query="acme", service=server.base, limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError) as info:
            await src.poll(client, {})
    assert str(info.value).startswith(words)
    assert "my-account-password" not in str(info.value)
