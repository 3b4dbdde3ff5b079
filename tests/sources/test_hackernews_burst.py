"""A Hacker News burst bigger than one poll reads is read over the next polls, not lost."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from sources.hackernews import HackerNewsSource
from sources.http import make_client
from tests.localhttp import Request, Web

from .conftest import TEST_LIMITS


class Algolia:
    """search_by_date: newest first, numericFilters on created_at_i, page and nbPages."""

    def __init__(self, web: Web) -> None:
        self.hits: list[dict[str, Any]] = []
        self.start = int(time.time()) - 7200
        web.route("/api/v1/search_by_date", self.search)

    def add(self, count: int) -> None:
        for _ in range(count):
            n = len(self.hits)
            self.hits.append(
                {
                    "objectID": str(40_000_000 + n),
                    "created_at_i": self.start + 5 * n,
                    "title": f"Acme outage thread {n}",
                    "author": "pg",
                    "url": f"https://news.test/{n}",
                }
            )

    def search(self, r: Request) -> None:
        q = r.seen.query
        hits = sorted(self.hits, key=lambda h: -int(h["created_at_i"]))
        for op, value in re.findall(r"created_at_i(>=|<=)(\d+)", q.get("numericFilters", "")):
            if op == ">=":
                hits = [h for h in hits if h["created_at_i"] >= int(value)]
            else:
                hits = [h for h in hits if h["created_at_i"] <= int(value)]
        per, page = int(q["hitsPerPage"]), int(q.get("page") or 0)
        body = {"hits": hits[page * per : (page + 1) * per], "nbPages": -(-len(hits) // per)}
        r.reply(200, json.dumps(body), "application/json")


async def test_a_burst_is_read_over_the_next_polls(server: Web) -> None:
    api = Algolia(server)
    api.add(30)
    src = HackerNewsSource("hn", "acme", base_url=server.url("/api/v1"), limits=TEST_LIMITS)
    got: list[str] = []
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        first = await src.poll(client, {})
        got += [p.remote_id for p in first.posts]
        api.add(500)  # front page: 500 comments before the next poll
        state = first.state
        for _ in range(4):
            result = await src.poll(client, state)
            got += [p.remote_id for p in result.posts]
            state = result.state
        assert "backfill" not in state
        again = await src.poll(client, state)
    assert again.posts == []
    assert len(set(got)) == 530  # none lost
    assert len(got) - 530 <= 3  # the edge second of a gap may come twice; the inbox merges it
