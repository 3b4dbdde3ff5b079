"""Hacker News through the Algolia `search_by_date` API: stories and comments.

The state keeps the newest `created_at_i` seen; each poll asks for
`created_at_i>=` that second (items sharing the boundary second are told
apart by the remembered ids), so nothing repeats and nothing is skipped.
A story's canonical URL is its article's, so the same article reached through
a feed is recognised by the inbox.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx

from sources.base import PollResult, Source, SourceError
from sources.http import DEFAULT_LIMITS, FetchLimits, fetch
from sources.models import Post, utcnow
from sources.shape import as_dict, as_int, as_list, as_str, item_errors, sane_time
from sources.text import canonical_url, clean_text, html_to_text, safe_url

__all__ = ["HackerNewsSource", "hit_to_post"]

ITEM_URL = "https://news.ycombinator.com/item?id={}"
PAGE = 50
MAX_PAGES = 4


class HackerNewsSource(Source):
    kind = "hackernews"

    def __init__(
        self,
        name: str,
        query: str = "",
        *,
        tags: str = "(story,comment)",
        base_url: str = "https://hn.algolia.com/api/v1",
        interval: float = 300.0,
        limits: FetchLimits = DEFAULT_LIMITS,
    ) -> None:
        super().__init__(name, interval)
        self.query = query.strip()
        if not self.query:
            raise ValueError("hackernews needs a query")
        self.tags = tags
        self.base = base_url.rstrip("/")
        self.limits = limits

    async def poll(self, client: httpx.AsyncClient, state: dict[str, Any]) -> PollResult:
        fetched_at = utcnow()
        # The state comes back from the store: damaged values are dropped, not trusted.
        since = as_int(state.get("created_at_i"), 0, high=int(fetched_at.timestamp()) + 86400)
        params: list[tuple[str, Any]] = [
            ("query", self.query),
            ("tags", self.tags),
            ("hitsPerPage", PAGE),
        ]
        hits, cut = await self._pass(client, params, since, 0)
        gap_ids: set[str] = set()
        # More than MAX_PAGES pages since the last poll: the older part is a gap that
        # the next polls read (up to and including the oldest second read now).
        gap = as_dict(state.get("backfill"))
        gap_since = as_int(gap.get("since"), 0, high=since or 0)
        gap_until = as_int(gap.get("until"), 0, high=int(fetched_at.timestamp()) + 86400)
        backfill: dict[str, int] | None = None
        if cut and since:
            backfill = {"since": gap_since if gap_since and gap_until else since, "until": cut}
        elif gap_since and gap_until > gap_since:
            more, more_cut = await self._pass(client, params, gap_since, gap_until)
            hits.extend(more)
            gap_ids = {as_str(h.get("objectID"), 32) for h in more if isinstance(h, dict)}
            if more_cut and gap_since < more_cut < gap_until:
                backfill = {"since": gap_since, "until": more_cut}
        edge = {x for x in as_list(state.get("edge_ids")) if isinstance(x, str)}
        newest = since
        posts: list[Post] = []
        for hit in hits:
            if not isinstance(hit, dict):
                continue
            try:
                post = hit_to_post(hit, self.name, fetched_at)
            except item_errors:
                post = None  # one malformed hit costs only itself
            if post is None:
                continue
            stamp = int(post.created_at.timestamp())
            if stamp != as_int(hit.get("created_at_i"), -1):
                posts.append(post)  # no usable time of its own: keep it, move no cursor
                continue
            in_gap = post.remote_id in gap_ids  # older than the cursor, read on purpose
            if not in_gap and (stamp < since or (stamp == since and post.remote_id in edge)):
                continue
            posts.append(post)
            newest = max(newest, stamp)
        new_state = dict(state)
        new_state["created_at_i"] = newest
        # ids at the newest second, to skip them when asking ">=" that second again
        at_edge = {p.remote_id for p in posts if int(p.created_at.timestamp()) == newest}
        new_state["edge_ids"] = sorted(at_edge | (edge if newest == since else set()))
        if backfill:
            new_state["backfill"] = backfill
        else:
            new_state.pop("backfill", None)
        unique = {p.id: p for p in posts}  # a gap's edge second may be read twice
        return PollResult(sorted(unique.values(), key=lambda p: p.created_at), new_state)

    async def _pass(
        self, client: httpx.AsyncClient, params: list[tuple[str, Any]], since: int, until: int
    ) -> tuple[list[Any], int]:
        """Hits from `since` (to `until`, inclusive), newest first, up to MAX_PAGES pages.

        Returns them and, when pages remained unread, the oldest second read (0 if none).
        """
        filters = [f"created_at_i>={since}"] if since else []
        if until:
            filters.append(f"created_at_i<={until}")
        if filters:
            params = [*params, ("numericFilters", ",".join(filters))]
        hits: list[Any] = []
        for page in range(MAX_PAGES if since else 1):
            # After the first poll, follow pages so a busy hour loses nothing.
            res = await fetch(
                client,
                f"{self.base}/search_by_date",
                headers={"Accept": "application/json"},
                params=[*params, ("page", page)] if page else params,
                limits=self.limits,
            )
            body = res.json()
            page_hits = body.get("hits") if isinstance(body, dict) else None
            if not isinstance(page_hits, list):
                raise SourceError("Hacker News search answered with an unexpected shape")
            hits.extend(page_hits)
            if len(page_hits) < PAGE or as_int(body.get("nbPages"), 1, high=1000) <= page + 1:
                return hits, 0
        if not since:
            return hits, 0
        stamps = [as_int(h.get("created_at_i"), 0) for h in hits if isinstance(h, dict)]
        return hits, min((x for x in stamps if x), default=0)


def hit_to_post(
    hit: dict[str, Any], source: str, fetched_at: datetime | None = None
) -> Post | None:
    fetched_at = fetched_at or utcnow()
    oid = as_str(hit.get("objectID"), 32)
    if not oid.isdigit():
        return None
    stamp = as_int(hit.get("created_at_i"), 0, high=2**33)
    created = sane_time(datetime.fromtimestamp(stamp, timezone.utc) if stamp else None, fetched_at)
    title = clean_text(as_str(hit.get("title")) or as_str(hit.get("story_title")))[:1000]
    comment = as_str(hit.get("comment_text"))
    is_comment = bool(comment)
    body = html_to_text(comment or as_str(hit.get("story_text")))
    item_url = ITEM_URL.format(oid)
    article = safe_url(as_str(hit.get("url"), 2000))
    text = body if is_comment else (f"{title}\n\n{body}" if body else title)
    if not text:
        return None
    extra: dict[str, Any] = {
        "canonical_url": canonical_url(article if article and not is_comment else item_url),
        "hn_type": "comment" if is_comment else "story",
    }
    if article:
        extra["article_url"] = article
    points = as_int(hit.get("points"), -1)
    if points >= 0:
        extra["points"] = points
    author = clean_text(as_str(hit.get("author"), 200))
    return Post(
        id=f"hackernews:{oid}",
        text=text[:20_000],
        source=source,
        source_kind="hackernews",
        author=author,
        author_id=author,
        title=title if not is_comment else "",
        url=item_url,
        created_at=created,
        lang="",
        remote_id=oid,
        in_reply_to=as_str(hit.get("parent_id"), 32) if is_comment else "",
        reply_root=as_str(hit.get("story_id"), 32) if is_comment else "",
        extra=extra,
    )
