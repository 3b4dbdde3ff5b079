"""JSON APIs answering in every wrong shape: missing fields, wrong types, null, loops.

One malformed item must cost that item only: the rest of the page still arrives,
and a reply that is wrong as a whole ends in one `SourceError` line, never in a
`TypeError` from deep inside the mapping. Each case runs over real HTTP.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sources.base import SourceError
from sources.bluesky import MAX_PAGES, BlueskySource
from sources.hackernews import HackerNewsSource
from sources.http import make_client
from sources.mastodon import MastodonSource
from tests.localhttp import Request, Web

from .conftest import LIMITS, MemoryKeyring

WRONG: list[Any] = [None, 0, -1, 10**30, 1.5, True, "", "x", [], [1, None], {}, {"a": None}]


def paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in a JSON document (dict keys and list indexes)."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield prefix + (k,)
            yield from paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield prefix + (i,)
            yield from paths(v, prefix + (i,))


def mutate(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(doc)
    cur = out
    for k in path[:-1]:
        cur = cur[k]
    cur[path[-1]] = value
    return out


def drop(doc: Any, path: tuple[Any, ...]) -> Any:
    out = copy.deepcopy(doc)
    cur = out
    for k in path[:-1]:
        cur = cur[k]
    if isinstance(cur, dict):
        del cur[path[-1]]
    return out


def variants(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in paths(doc):
        yield f"{'.'.join(map(str, path))} missing", drop(doc, path)
        for value in WRONG:
            yield f"{'.'.join(map(str, path))}={value!r}", mutate(doc, path, value)
    yield "extra fields", {**doc, "zzz": {"nested": [1, 2]}, "emoji🙂": None}


# -- Mastodon ----------------------------------------------------------------------------------


def status(n: int) -> dict[str, Any]:
    return {
        "id": str(1000 + n),
        "uri": f"https://social.example/users/ann/statuses/{1000 + n}",
        "url": f"https://social.example/@ann/{1000 + n}",
        "created_at": "2026-11-20T10:00:00.000Z",
        "content": f"<p>Is #acme down? number {n}</p>",
        "spoiler_text": "",
        "language": "en",
        "in_reply_to_id": None,
        "account": {
            "id": "7",
            "acct": "ann@social.example",
            "display_name": "Ann",
            "url": "https://social.example/@ann",
            "followers_count": 12,
        },
        "tags": [{"name": "acme"}],
        "reblog": None,
    }


class Pages:
    """What the fake API answers next: set `.body`, poll, repeat, over one client."""

    def __init__(self, web: Web, path: str) -> None:
        self.body: Any = None
        web.route(path, lambda h: h.reply(200, json.dumps(self.body), "application/json"))


async def mastodon_page(web: Web, page: Any, state: dict[str, Any] | None = None) -> list[str]:
    pages = Pages(web, "/api/v1/timelines/tag/acme")
    pages.body = page
    src = MastodonSource("m", web.base, tag="acme", limits=LIMITS)
    async with make_client(LIMITS, trust_env=False) as client:
        res = await src.poll(client, dict(state or {}))
    return [p.remote_id for p in res.posts]


async def each_variant(
    pages: Pages, src: Any, doc: dict[str, Any], page: Callable[[Any], Any], want: set[str]
) -> list[str]:
    """Serve `page(bad)` for every variant of `doc`; what went wrong, one line per case."""
    failures: list[str] = []
    async with make_client(LIMITS, trust_env=False) as client:
        for what, bad in variants(doc):
            pages.body = page(bad)
            try:
                res = await src.poll(client, {})
            except SourceError as exc:
                failures.append(f"{what}: whole page refused ({exc})")
                continue
            except Exception as exc:  # noqa: BLE001 - counting crashes is the point
                failures.append(f"{what}: {type(exc).__name__}: {exc}")
                continue
            got = {p.remote_id for p in res.posts}
            if not want <= got:
                failures.append(f"{what}: good items lost ({sorted(got)})")
    return failures


async def test_mastodon_one_bad_status_costs_only_itself(
    web: Web, memory_keyring: MemoryKeyring
) -> None:
    pages = Pages(web, "/api/v1/timelines/tag/acme")
    src = MastodonSource("m", web.base, tag="acme", limits=LIMITS)
    page = lambda bad: [status(2), bad, status(0)]  # noqa: E731
    failures = await each_variant(pages, src, status(1), page, {"1000", "1002"})
    assert not failures, f"{len(failures)} bad cases, e.g. " + "; ".join(failures[:8])


@pytest.mark.parametrize(
    "page",
    [None, 0, "statuses", {"statuses": None}, {"error": None}, [None, None], [[]], {}],
    ids=repr,
)
async def test_mastodon_wrong_shape_is_one_clear_line(
    web: Web, memory_keyring: MemoryKeyring, page: Any
) -> None:
    try:
        got = await mastodon_page(web, page)
    except SourceError as exc:
        assert "\n" not in str(exc)
    else:
        assert got == []


async def test_mastodon_server_ignoring_min_id_hands_nothing_twice(
    web: Web, memory_keyring: MemoryKeyring
) -> None:
    page = [status(2), status(1), status(0)]
    first = await mastodon_page(web, page)
    again = await mastodon_page(web, page, {"min_id": "1002"})
    assert sorted(first) == ["1000", "1001", "1002"] and again == []


# -- Bluesky -----------------------------------------------------------------------------------


def bsky_post(n: int) -> dict[str, Any]:
    return {
        "uri": f"at://did:plc:abc/app.bsky.feed.post/r{n}",
        "cid": f"cid{n}",
        "author": {"did": "did:plc:abc", "handle": "ann.bsky.social", "displayName": "Ann"},
        "record": {
            "$type": "app.bsky.feed.post",
            "text": f"acme is broken again {n}",
            "createdAt": "2026-11-20T10:00:00.000Z",
            "langs": ["en"],
            "reply": {
                "parent": {"uri": "at://did:plc:x/app.bsky.feed.post/p", "cid": "pc"},
                "root": {"uri": "at://did:plc:x/app.bsky.feed.post/p", "cid": "pc"},
            },
        },
        "indexedAt": "2026-11-20T10:00:01.000Z",
        "likeCount": 1,
    }


def bsky_server(web: Web, pages: list[Any]) -> None:
    web.static(
        "/xrpc/com.atproto.server.createSession",
        json.dumps({"accessJwt": "acc", "refreshJwt": "ref", "did": "did:plc:me"}),
        "application/json",
    )
    served = iter(pages)

    def search(h: Request) -> None:
        body = next(served, pages[-1])
        h.reply(200, json.dumps(body), "application/json")

    web.route("/xrpc/app.bsky.feed.searchPosts", search)


async def bsky_poll(web: Web, pages: list[Any], state: dict[str, Any] | None = None) -> list[str]:
    bsky_server(web, pages)
    src = BlueskySource("b", "me.bsky.social", query="acme", service=web.base, limits=LIMITS)
    async with make_client(LIMITS, trust_env=False) as client:
        res = await src.poll(client, dict(state or {}))
    return [p.remote_id for p in res.posts]


@pytest.fixture
def bsky_ring(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    memory_keyring.set_password("veille", "bluesky:me.bsky.social", "app-pass-1234")
    return memory_keyring


async def test_bluesky_one_bad_post_costs_only_itself(web: Web, bsky_ring: MemoryKeyring) -> None:
    bsky_server(web, [{}])
    pages = Pages(web, "/xrpc/app.bsky.feed.searchPosts")
    src = BlueskySource("b", "me.bsky.social", query="acme", service=web.base, limits=LIMITS)
    page = lambda bad: {"posts": [bsky_post(0), bad, bsky_post(2)]}  # noqa: E731
    want = {"at://did:plc:abc/app.bsky.feed.post/r0", "at://did:plc:abc/app.bsky.feed.post/r2"}
    failures = await each_variant(pages, src, bsky_post(1), page, want)
    assert not failures, f"{len(failures)} bad cases, e.g. " + "; ".join(failures[:8])


async def test_bluesky_looping_cursor_stops(web: Web, bsky_ring: MemoryKeyring) -> None:
    """A server that hands back the same cursor and a full page forever."""
    full = {"posts": [bsky_post(i) for i in range(50)], "cursor": "same-cursor"}
    got = await bsky_poll(web, [full], {"since": "2026-11-01T00:00:00Z"})
    searches = web.hits("/xrpc/app.bsky.feed.searchPosts")
    assert len(searches) <= MAX_PAGES
    assert len(got) == len(set(got)) == 50


@pytest.mark.parametrize("body", [None, [], {"posts": None}, {"posts": [None, 1, "x"]}], ids=repr)
async def test_bluesky_wrong_shape_is_one_clear_line(
    web: Web, bsky_ring: MemoryKeyring, body: Any
) -> None:
    try:
        got = await bsky_poll(web, [body])
    except SourceError as exc:
        assert "\n" not in str(exc)
    else:
        assert got == []


@pytest.mark.parametrize(
    "session",
    [
        None,
        [],
        {"accessJwt": None},
        {"accessJwt": 5},
        "x",
    ],
    ids=repr,
)
async def test_bluesky_strange_session_reply(
    web: Web, bsky_ring: MemoryKeyring, session: Any
) -> None:
    bsky_server(web, [{"posts": [bsky_post(0)]}])
    web.static("/xrpc/com.atproto.server.createSession", json.dumps(session), "application/json")
    src = BlueskySource("b", "me.bsky.social", query="acme", service=web.base, limits=LIMITS)
    async with make_client(LIMITS, trust_env=False) as client:
        try:
            await src.poll(client, {})
        except SourceError as exc:
            assert "\n" not in str(exc)


# -- Hacker News -------------------------------------------------------------------------------


def hit(n: int) -> dict[str, Any]:
    return {
        "objectID": str(500 + n),
        "created_at_i": 1_795_000_000 + n,
        "title": f"Acme launches {n}",
        "story_title": None,
        "comment_text": None,
        "story_text": "<p>text</p>",
        "url": "https://acme.example/launch",
        "author": "pg",
        "points": 3,
        "parent_id": None,
        "story_id": None,
    }


async def hn_poll(web: Web, body: Any, state: dict[str, Any] | None = None) -> list[str]:
    web.static("/api/v1/search_by_date", json.dumps(body), "application/json")
    src = HackerNewsSource("h", "acme", base_url=web.url("/api/v1"), limits=LIMITS)
    async with make_client(LIMITS, trust_env=False) as client:
        res = await src.poll(client, dict(state or {}))
    return [p.remote_id for p in res.posts]


async def test_hackernews_one_bad_hit_costs_only_itself(web: Web) -> None:
    pages = Pages(web, "/api/v1/search_by_date")
    src = HackerNewsSource("h", "acme", base_url=web.url("/api/v1"), limits=LIMITS)
    page = lambda bad: {"hits": [hit(0), bad, hit(2)]}  # noqa: E731
    failures = await each_variant(pages, src, hit(1), page, {"500", "502"})
    assert not failures, f"{len(failures)} bad cases, e.g. " + "; ".join(failures[:8])


@pytest.mark.parametrize(
    "state",
    [
        {"created_at_i": "soon"},
        {"edge_ids": None},
        {"created_at_i": None},
    ],
    ids=repr,
)
async def test_hackernews_damaged_saved_state(web: Web, state: dict[str, Any]) -> None:
    """The state comes back from the store: a damaged one must not wedge the source."""
    try:
        got = await hn_poll(web, {"hits": [hit(0)]}, state)
    except SourceError as exc:
        assert "\n" not in str(exc)
    else:
        assert got == ["500"]
