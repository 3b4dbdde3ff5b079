"""Posts dated in the future: a wrong clock never hides later posts or tops the queue."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from sources.auth import set_secret
from sources.bluesky import BlueskySource
from sources.feed import parse_feed
from sources.http import make_client
from sources.shape import parse_time
from tests.localhttp import Request, Web

from .conftest import TEST_LIMITS, MemoryKeyring


def _z(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def _post(rkey: str, text: str, created: datetime) -> dict[str, Any]:
    return {
        "uri": f"at://did:plc:ann/app.bsky.feed.post/{rkey}",
        "cid": f"cid-{rkey}",
        "author": {"did": "did:plc:ann", "handle": "ann.bsky.social"},
        "record": {"text": text, "createdAt": _z(created)},
        "indexedAt": _z(datetime.now(timezone.utc)),
    }


async def test_bluesky_post_from_a_fast_clock_does_not_hide_the_next_ones(
    server: Web, memory_keyring: MemoryKeyring
) -> None:
    set_secret("bluesky:me.bsky.social", "app-pass")
    now = datetime.now(timezone.utc)
    posts = [
        _post("early", "acme from a phone twelve hours fast", now + timedelta(hours=12)),
        _post("a", "acme is down", now - timedelta(minutes=3)),
    ]

    def session(r: Request) -> None:
        r.reply(200, json.dumps({"accessJwt": "a1", "refreshJwt": "r1"}), "application/json")

    def search(r: Request) -> None:
        # like the real API: only posts at or after `since`
        since = parse_time(r.seen.query.get("since"))
        shown = [
            p
            for p in posts
            if since is None or (parse_time(p["record"]["createdAt"]) or now) >= since
        ]
        r.reply(200, json.dumps({"posts": shown}), "application/json")

    server.route("/xrpc/com.atproto.server.createSession", session)
    server.route("/xrpc/app.bsky.feed.searchPosts", search)
    src = BlueskySource(
        "b", "me.bsky.social", query="acme", service=server.base, limits=TEST_LIMITS
    )
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {})
        assert {p.remote_id.rsplit("/", 1)[1] for p in first.posts} == {"early", "a"}
        since = parse_time(first.state["since"])
        assert since is not None and since <= datetime.now(timezone.utc)
        for p in first.posts:  # dated when fetched, not tomorrow
            assert p.created_at <= datetime.now(timezone.utc)

        posts.append(_post("b", "acme still down, any news?", datetime.now(timezone.utc)))
        second = await src.poll(client, first.state)
        assert [p.text for p in second.posts] == ["acme still down, any news?"]


def test_a_feed_entry_dated_hours_ahead_is_dated_when_fetched() -> None:
    fetched = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>scheduled</title><link>https://blog.test/s</link>"
        b"<pubDate>Sun, 01 Mar 2026 20:00:00 GMT</pubDate></item>"
        b"<item><title>skewed</title><link>https://blog.test/k</link>"
        b"<pubDate>Sun, 01 Mar 2026 12:02:00 GMT</pubDate></item>"
        b"<item><title>past</title><link>https://blog.test/p</link>"
        b"<pubDate>Sun, 01 Mar 2026 09:00:00 GMT</pubDate></item>"
        b"</channel></rss>"
    )
    dates = {p.title: p.created_at for p in parse_feed(rss, source="f", fetched_at=fetched)}
    assert dates["scheduled"] == fetched  # eight hours ahead: not believed
    assert dates["skewed"] == datetime(2026, 3, 1, 12, 2, tzinfo=timezone.utc)  # clock drift
    assert dates["past"] == datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
