"""Mastodon, Bluesky and Hacker News against local servers answering in their shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sources.auth import set_secret
from sources.base import SourceError
from sources.bluesky import BlueskySource
from sources.hackernews import HackerNewsSource
from sources.http import make_client
from sources.mastodon import MastodonSource
from tests.localhttp import Request, Web

from .conftest import TEST_LIMITS, MemoryKeyring, fixture_bytes

JSON = "application/json; charset=utf-8"


def as_json(r: Request, status: int, doc: Any, headers: dict[str, str] | None = None) -> None:
    r.reply(status, json.dumps(doc).encode(), JSON, headers)


# -- Mastodon -------------------------------------------------------------------


async def test_mastodon_tag_timeline_without_token(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    timeline = json.loads(fixture_bytes("mastodon_tag_timeline.json"))

    def tag(r: Request) -> None:
        items = timeline if "min_id" not in r.seen.query else []
        as_json(
            r,
            200,
            items,
            {
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Remaining": "299",
                "X-RateLimit-Reset": "2026-08-01T14:00:00.070144Z",
            },
        )

    server.route("/api/v1/timelines/tag/acme", tag)
    src = MastodonSource(
        "m", server.base, tag="#acme", any=["acmeapp"], none="spam", limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {})
        second = await src.poll(client, first.state)
    assert first.state["min_id"] == "1002"
    assert first.state["ratelimit"]["x-ratelimit-remaining"] == "299"
    assert first.retry_after is None
    boost, reply = sorted(first.posts, key=lambda p: p.remote_id)[::-1]
    # The boost is the original status, remembered as a repost of it.
    assert boost.text == "Is #acme down for anyone else?"
    assert boost.author == "@ann@other.example" and boost.followers == 1200
    assert boost.repost_of == "mastodon:https://other.example/users/ann/statuses/555"
    assert boost.url == "https://other.example/@ann/555"
    assert boost.extra["boosted_by"] == "bob" and boost.remote_id == "1001"
    assert reply.text == "[acme rant] L'appli #acme est lente"
    assert reply.in_reply_to == "990" and reply.lang == "fr"
    assert reply.id == "mastodon:https://social.example/users/carl/statuses/1000"
    assert second.posts == []
    seen = server.hits("/api/v1/timelines/tag/acme")
    assert seen[0].query_list.count(("any[]", "acmeapp")) == 1
    assert ("none[]", "spam") in seen[0].query_list
    assert "authorization" not in seen[0].headers
    assert seen[1].query["min_id"] == "1002"


async def test_mastodon_tag_needs_token_when_server_says_so(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    server.route(
        "/api/v1/timelines/tag/acme",
        lambda r: as_json(r, 401, {"error": "This API requires an authenticated user"}),
    )
    src = MastodonSource("m", server.base, tag="acme", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(
            SourceError, match=r"needs a token .*veille auth set mastodon:127.0.0.1"
        ):
            await src.poll(client, {})


async def test_mastodon_search_with_token(server: Web, memory_keyring: MemoryKeyring) -> None:
    host = server.base.split("://")[1]
    set_secret(f"mastodon:{host}", "tok-123")
    server.static(
        "/api/v2/search",
        fixture_bytes("mastodon_search.json"),
        JSON,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2099-01-01T00:00:00Z"},
    )
    src = MastodonSource("m", server.base, query="acme export", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        res = await src.poll(client, {"min_id": "1500"})
    assert [p.text for p in res.posts] == ["How do I export from Acme?"]
    hit = server.hits("/api/v2/search")[0]
    assert hit.headers["authorization"] == "Bearer tok-123"
    assert hit.query["q"] == "acme export" and hit.query["type"] == "statuses"
    assert hit.query["min_id"] == "1500"
    assert res.retry_after is not None and res.retry_after > 3600  # rate limit spent


async def test_mastodon_search_without_token_is_one_clear_line(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    src = MastodonSource("m", server.base, query="acme", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError) as info:
            await src.poll(client, {})
    assert "no Mastodon token" in str(info.value) and "veille auth set" in str(info.value)
    assert server.requests == []  # nothing sent without the credential


async def test_mastodon_429(server: Web, memory_keyring: MemoryKeyring) -> None:
    server.route(
        "/api/v1/timelines/tag/acme",
        lambda r: as_json(r, 429, {"error": "Too many requests"}, {"Retry-After": "30"}),
    )
    src = MastodonSource("m", server.base, tag="acme", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError) as info:
            await src.poll(client, {})
    assert info.value.retry_after == 30.0


def test_mastodon_config_errors() -> None:
    with pytest.raises(ValueError, match="exactly one of tag or query"):
        MastodonSource("m", "mastodon.social")
    with pytest.raises(ValueError, match="instance"):
        MastodonSource("m", "", tag="x")


# -- Bluesky --------------------------------------------------------------------


class BskyServer:
    """createSession / refreshSession / searchPosts, with tokens that expire on demand."""

    def __init__(self, app: Web) -> None:
        self.app = app
        self.generation = 0
        self.expired = False
        self.refresh_broken = False
        self.page = json.loads(fixture_bytes("bluesky_search.json"))
        app.route("/xrpc/com.atproto.server.createSession", self.create)
        app.route("/xrpc/com.atproto.server.refreshSession", self.refresh)
        app.route("/xrpc/app.bsky.feed.searchPosts", self.search)

    def _tokens(self) -> dict[str, str]:
        self.generation += 1
        return {
            "accessJwt": f"access-{self.generation}",
            "refreshJwt": f"refresh-{self.generation}",
            "handle": "me.bsky.social",
            "did": "did:plc:me",
        }

    def create(self, r: Request) -> None:
        body = json.loads(r.seen.body)
        if body != {"identifier": "me.bsky.social", "password": "app-pass"}:
            as_json(
                r,
                401,
                {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
            )
            return
        self.expired = False
        as_json(r, 200, self._tokens())

    def refresh(self, r: Request) -> None:
        if (
            self.refresh_broken
            or r.seen.headers.get("authorization") != f"Bearer refresh-{self.generation}"
        ):
            as_json(r, 400, {"error": "ExpiredToken", "message": "Token has expired"})
            return
        self.expired = False
        as_json(r, 200, self._tokens())

    def search(self, r: Request) -> None:
        if (
            self.expired
            or r.seen.headers.get("authorization") != f"Bearer access-{self.generation}"
        ):
            as_json(r, 400, {"error": "ExpiredToken", "message": "Token has expired"})
            return
        as_json(r, 200, self.page if "since" not in r.seen.query else {"posts": []})


async def test_bluesky_search_session_and_state(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")
    bsky = BskyServer(server)
    src = BlueskySource(
        "b", "me.bsky.social", query="acme", service=server.base, limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {})
        assert [p.text for p in first.posts] == [
            "@ann Acme marche chez moi",
            "Why does Acme keep logging me out?",
        ]
        reply, question = first.posts
        assert question.id == "bluesky:at://did:plc:aaa111/app.bsky.feed.post/3lpk2u6qo222m"
        assert question.url == "https://bsky.app/profile/ann.bsky.social/post/3lpk2u6qo222m"
        assert question.reply_cid == "bafyreiaaa" and question.lang == "en"
        assert reply.in_reply_to == "at://did:plc:aaa111/app.bsky.feed.post/3parent"
        assert reply.reply_root == "at://did:plc:root/app.bsky.feed.post/3root"
        assert reply.extra["root_cid"] == "bafyroot"
        assert first.state["since"] == "2026-11-10T17:10:09.561858Z"
        assert first.state["cursor"] == "2"
        assert "accessJwt" not in json.dumps(first.state)  # tokens never reach the store

        bsky.expired = True  # the access token expires: refreshed, not re-created
        second = await src.poll(client, first.state)
        assert second.posts == []
        assert len(server.hits("/xrpc/com.atproto.server.refreshSession")) == 1
        assert len(server.hits("/xrpc/com.atproto.server.createSession")) == 1
        assert (
            server.hits("/xrpc/app.bsky.feed.searchPosts")[-1].query["since"]
            == first.state["since"]
        )

        bsky.expired = True
        bsky.refresh_broken = True  # the refresh token expired too: a new session
        await src.poll(client, second.state)
        assert len(server.hits("/xrpc/com.atproto.server.createSession")) == 2


async def test_bluesky_wrong_app_password(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret("bluesky:me.bsky.social", "wrong")
    BskyServer(server)
    src = BlueskySource(
        "b", "me.bsky.social", query="acme", service=server.base, limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(
            SourceError, match="refused the app password .*veille auth set bluesky:me.bsky.social"
        ):
            await src.poll(client, {})


async def test_bluesky_missing_password(server: Web, memory_keyring: MemoryKeyring) -> None:
    src = BlueskySource(
        "b", "me.bsky.social", query="acme", service=server.base, limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError, match="no Bluesky app password"):
            await src.poll(client, {})


# -- Hacker News ----------------------------------------------------------------


async def test_hackernews_algolia(server: Web) -> None:
    hits = json.loads(fixture_bytes("hn_search.json"))

    def search(r: Request) -> None:
        since = r.seen.query.get("numericFilters", "created_at_i>=0").split(">=")[1]
        page = [h for h in hits["hits"] if h["created_at_i"] >= int(since)]
        as_json(r, 200, {**hits, "hits": page})

    server.route("/api/v1/search_by_date", search)
    src = HackerNewsSource("hn", "acme", base_url=server.url("/api/v1"), limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {})
        again = await src.poll(client, first.state)
    story, comment = first.posts
    assert story.title == "Show HN: Acme, a faster sync" and story.author == "pgx"
    assert story.url == "https://news.ycombinator.com/item?id=4001"
    assert story.extra["canonical_url"] == "https://acme.example/blog/sync"
    assert comment.text == "Does Acme work offline? I'd pay for it."
    assert comment.in_reply_to == "4001"
    assert first.state["created_at_i"] == 1794252600
    assert again.posts == []  # the boundary item is not handed twice
    q = server.hits("/api/v1/search_by_date")[1].query
    assert q["numericFilters"] == "created_at_i>=1794252600" and q["tags"] == "(story,comment)"


# -- malformed items cost only themselves ---------------------------------------


async def test_one_malformed_item_costs_only_itself(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    timeline = json.loads(fixture_bytes("mastodon_tag_timeline.json"))
    broken = {
        **timeline[1],
        "id": "1001",
        "account": "not an object",
        "tags": 5,
        "created_at": "9999-12-31T23:59:59Z",
    }
    server.route(
        "/api/v1/timelines/tag/acme",
        lambda r: as_json(r, 200, [timeline[0], None, broken, timeline[1]]),
    )
    hn = json.loads(fixture_bytes("hn_search.json"))
    bad_hit = {**hn["hits"][0], "objectID": "4003", "created_at_i": 10**30, "title": 5}
    server.route(
        "/api/v1/search_by_date",
        lambda r: as_json(r, 200, {"hits": [hn["hits"][0], bad_hit, hn["hits"][1]]}),
    )
    mast = MastodonSource("m", server.base, tag="acme", limits=TEST_LIMITS)
    news = HackerNewsSource("hn", "acme", base_url=server.url("/api/v1"), limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        m = await mast.poll(client, {"min_id": ["damaged"]})
        h = await news.poll(client, {"created_at_i": "soon", "edge_ids": None})
    assert sorted(p.remote_id for p in m.posts) == ["1000", "1001", "1001"]
    odd = next(p for p in m.posts if p.author == "")
    assert odd.created_at.year < 9999  # a far-future date becomes the fetch time
    assert [p.remote_id for p in h.posts] == ["4001", "4002", "4003"]  # kept, dated now
    assert h.state["created_at_i"] == 1794252600  # the broken hit moved no cursor


async def test_bluesky_session_reply_not_an_object(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")
    server.static("/xrpc/com.atproto.server.createSession", b'["x"]', JSON)
    src = BlueskySource(
        "b", "me.bsky.social", query="acme", service=server.base, limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError, match="without a token"):
            await src.poll(client, {})


async def test_mastodon_expired_token(server: Web, memory_keyring: MemoryKeyring) -> None:
    set_secret(f"mastodon:{server.base.split('://')[1]}", "expired")
    server.route(
        "/api/v2/search", lambda r: as_json(r, 401, {"error": "The access token was revoked"})
    )
    src = MastodonSource("m", server.base, query="acme", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError) as info:
            await src.poll(client, {})
    assert str(info.value) == (
        f"{server.base.split('://')[1]} refused the token: "
        f"run `veille auth set mastodon:{server.base.split('://')[1]}`"
    )


async def test_hackernews_follows_pages_after_the_first_poll(server: Web) -> None:
    def search(r: Request) -> None:
        page = int(r.seen.query.get("page", "0"))
        base = 1_794_000_000 - page * 100
        hits = [
            {
                "objectID": str(page * 100 + i),
                "created_at_i": base - i,
                "title": f"Acme {i}",
                "author": "a",
            }
            for i in range(50 if page < 2 else 7)
        ]
        as_json(r, 200, {"hits": hits, "nbPages": 3, "page": page})

    server.route("/api/v1/search_by_date", search)
    src = HackerNewsSource("hn", "acme", base_url=server.url("/api/v1"), limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {})  # the backlog: one page only
        later = await src.poll(client, {"created_at_i": 1_790_000_000})
    assert len(first.posts) == 50
    assert len(later.posts) == 107
    assert [h.query.get("page") for h in server.hits("/api/v1/search_by_date")] == [
        None,
        None,
        "1",
        "2",
    ]


async def test_mastodon_catches_up_a_burst_over_pages(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    template = json.loads(fixture_bytes("mastodon_tag_timeline.json"))[1]
    total = 100  # statuses 5001..5100 arrived since min_id 5000

    def tag(r: Request) -> None:
        after = int(r.seen.query["min_id"])
        ids = list(range(after + 1, min(after + 40, 5000 + total) + 1))
        page = [
            {**template, "id": str(i), "uri": f"https://social.example/s/{i}"}
            for i in reversed(ids)
        ]
        as_json(r, 200, page)

    server.route("/api/v1/timelines/tag/acme", tag)
    src = MastodonSource("m", server.base, tag="acme", limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        res = await src.poll(client, {"min_id": "5000"})
    assert len(res.posts) == 100 and len({p.id for p in res.posts}) == 100
    assert res.state["min_id"] == "5100"
    assert [h.query["min_id"] for h in server.hits("/api/v1/timelines/tag/acme")] == [
        "5000",
        "5040",
        "5080",
    ]
