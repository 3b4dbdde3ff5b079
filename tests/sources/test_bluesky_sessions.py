"""Bluesky sign-ins are scarce (300 a day): a session is kept, not bought every run."""

from __future__ import annotations

import json
from pathlib import Path

from sources.auth import delete_secret, get_secret, set_secret
from sources.bluesky import _SESSIONS, BlueskySource
from sources.http import make_client
from tests.localhttp import Request, Web

from .conftest import TEST_LIMITS, MemoryKeyring
from .test_commands import veille, write_config

POST = {
    "uri": "at://did:plc:ann/app.bsky.feed.post/3abc",
    "cid": "cid1",
    "author": {"did": "did:plc:ann", "handle": "ann.bsky.social"},
    "record": {"text": "is acme down for anyone else?", "createdAt": "2026-01-05T10:00:00Z"},
}


class Pds:
    """createSession, refreshSession (rotating the refresh token) and searchPosts."""

    def __init__(self, web: Web) -> None:
        self.n = 0
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        web.route("/xrpc/com.atproto.server.createSession", self.create)
        web.route("/xrpc/com.atproto.server.refreshSession", self.refreshed)
        web.route("/xrpc/app.bsky.feed.searchPosts", self.search)

    def _tokens(self, r: Request) -> None:
        self.n += 1
        access, refresh = f"access-{self.n}-xyz", f"refresh-{self.n}-xyz"
        self.access.add(access)
        self.refresh.add(refresh)
        r.reply(200, json.dumps({"accessJwt": access, "refreshJwt": refresh}), "application/json")

    def create(self, r: Request) -> None:
        if json.loads(r.seen.body).get("password") != "app-pass":
            r.reply(401, b'{"error":"AuthenticationRequired"}', "application/json")
            return
        self._tokens(r)

    def refreshed(self, r: Request) -> None:
        token = r.seen.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.refresh:
            r.reply(400, b'{"error":"ExpiredToken","message":"Token has expired"}', JSON)
            return
        self.refresh.discard(token)  # single use
        self._tokens(r)

    def search(self, r: Request) -> None:
        token = r.seen.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.access:
            r.reply(400, b'{"error":"ExpiredToken","message":"Token has expired"}', JSON)
            return
        r.reply(200, json.dumps({"posts": [POST]}), JSON)


JSON = "application/json"


def _source(web: Web, name: str = "b") -> BlueskySource:
    return BlueskySource(name, "me.bsky.social", query="acme", service=web.base, limits=TEST_LIMITS)


async def test_sources_on_one_account_share_one_sign_in(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")
    pds = Pds(server)
    one, two = _source(server, "one"), _source(server, "two")
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        assert len((await one.poll(client, {})).posts) == 1
        assert len((await two.poll(client, {})).posts) == 1
        assert len(server.hits("/xrpc/com.atproto.server.createSession")) == 1

        pds.access.clear()  # the access token expires: one refresh, taken up by both
        await one.poll(client, {})
        await two.poll(client, {})
    assert len(server.hits("/xrpc/com.atproto.server.refreshSession")) == 1
    assert len(server.hits("/xrpc/com.atproto.server.createSession")) == 1


async def test_the_next_run_refreshes_the_kept_session(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")
    pds = Pds(server)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        await _source(server).poll(client, {})
        kept = get_secret("bluesky-session:me.bsky.social")
        assert kept == "refresh-1-xyz"
        _SESSIONS.clear()  # a new process: nothing in memory
        await _source(server).poll(client, {})
        assert len(server.hits("/xrpc/com.atproto.server.createSession")) == 1
        assert get_secret("bluesky-session:me.bsky.social") == "refresh-2-xyz"

        _SESSIONS.clear()
        pds.refresh.clear()  # the kept session was revoked: sign in again, once
        await _source(server).poll(client, {})
    assert len(server.hits("/xrpc/com.atproto.server.createSession")) == 2


def test_fetch_once_from_cron_signs_in_once(server: Web, tmp_path: Path) -> None:
    Pds(server)
    ring = tmp_path / "ring.json"
    ring.write_text(json.dumps({"veille|bluesky:me.bsky.social": "app-pass"}))
    env = {
        "PYTHON_KEYRING_BACKEND": "tests.sources.keyring_backend.PlaintextTestKeyring",
        "VEILLE_TEST_KEYRING": str(ring),
        "VEILLE_ALLOW_FILE_KEYRING": "1",
    }
    tables = [
        {"kind": "bluesky", "name": n, "handle": "me.bsky.social", "query": q,
         "service": server.base}
        for n, q in (("acme", "acme"), ("acme-fr", "acme lang:fr"))
    ]  # fmt: skip
    write_config(tmp_path, tables)
    for _ in range(3):
        run = veille(tmp_path, "fetch", "--once", env=env)
        assert run.returncode == 0 and ": failed" not in run.stdout, run.stdout + run.stderr
        assert "xyz" not in run.stdout + run.stderr  # no token on screen
    assert len(server.hits("/xrpc/com.atproto.server.createSession")) == 1
    assert len(server.hits("/xrpc/com.atproto.server.refreshSession")) == 2
    stored = (tmp_path / "data").rglob("*")
    for path in stored:  # tokens live in the keyring, never in the store
        if path.is_file():
            assert b"xyz" not in path.read_bytes(), path


async def test_forgetting_the_app_password_forgets_the_session(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")
    Pds(server)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        await _source(server).poll(client, {})
    assert get_secret("bluesky-session:me.bsky.social")
    assert delete_secret("bluesky:me.bsky.social")
    assert get_secret("bluesky-session:me.bsky.social") is None
    assert not delete_secret("bluesky:me.bsky.social")
