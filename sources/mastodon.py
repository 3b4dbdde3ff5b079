"""Mastodon: hashtag timelines (no token where the server allows) and search (token).

`min_id` in the saved state means each poll asks only for statuses newer than
the newest one already seen. The ActivityPub `uri` of a status is the same on
every server, so post ids are built from it and a status seen through two
instances is one post; a boost becomes a post of the original status with
`repost_of` naming it, so the inbox stores the original once.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from sources.auth import require_secret, service_name
from sources.base import PollResult, Source, SourceError
from sources.http import (
    DEFAULT_LIMITS,
    FetchLimits,
    FetchResult,
    asked_to_wait,
    fetch,
    parse_retry_after,
    rate_limit_pause,
)
from sources.models import Post, utcnow
from sources.shape import as_dict, as_int, as_list, as_str, item_errors, parse_time, sane_time
from sources.text import canonical_url, clean_text, html_to_text, safe_url

__all__ = ["MastodonSource", "status_to_post", "rate_limit_wait"]

PAGE = 40
MAX_PAGES = 4


def _base(instance: str) -> str:
    instance = instance.strip().rstrip("/")
    if not instance:
        raise ValueError('mastodon needs an instance, e.g. instance = "mastodon.social"')
    return instance if "://" in instance else f"https://{instance}"


def _tags(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [str(t).strip().lstrip("#") for t in items if str(t).strip().lstrip("#")]


# Snowflake ids (digits, fits 64 bits) or Pleroma/Akkoma flake ids (alphanumeric).
_ID = re.compile(r"^(?:[0-9]{1,20}|[0-9A-Za-z]{1,32})$")


def _id_key(status_id: str) -> tuple[int, str]:
    """Mastodon ids are numeric strings (snowflakes): compare by length then text."""
    return (len(status_id), status_id)


class MastodonSource(Source):
    kind = "mastodon"

    def __init__(
        self,
        name: str,
        instance: str = "",
        *,
        tag: str = "",
        any: Any = None,  # noqa: A002 - the API's own parameter names
        all: Any = None,  # noqa: A002
        none: Any = None,
        query: str = "",
        token: str = "",  # a keyring service name, never the token itself
        interval: float = 120.0,
        limits: FetchLimits = DEFAULT_LIMITS,
    ) -> None:
        super().__init__(name, interval)
        self.base = _base(instance)
        self.host = urlsplit(self.base).netloc
        self.tag = tag.strip().lstrip("#")
        self.any_tags, self.all_tags, self.none_tags = _tags(any), _tags(all), _tags(none)
        self.query = query.strip()
        if bool(self.tag) == bool(self.query):
            raise ValueError("mastodon needs exactly one of tag or query")
        self.token_service = token or service_name("mastodon", self.host)
        self.limits = limits

    def _token(self, required: bool) -> str:
        if required:
            return require_secret(self.token_service, f"Mastodon token for {self.host}")
        try:
            return require_secret(self.token_service, "token")
        except SourceError:
            return ""  # tag timelines work without a token where the server allows it

    async def poll(self, client: httpx.AsyncClient, state: dict[str, Any]) -> PollResult:
        min_id = as_str(state.get("min_id"), 64)
        if not _ID.match(min_id):
            min_id = ""  # a damaged saved state must not wedge the source
        params: list[tuple[str, Any]] = [("limit", PAGE)]
        if self.query:
            token = self._token(required=True)
            url = f"{self.base}/api/v2/search"
            params += [("q", self.query), ("type", "statuses"), ("resolve", "false")]
        else:
            token = self._token(required=False)
            url = f"{self.base}/api/v1/timelines/tag/{quote(self.tag, safe='')}"
            params += [("any[]", t) for t in self.any_tags]
            params += [("all[]", t) for t in self.all_tags]
            params += [("none[]", t) for t in self.none_tags]
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        posts: list[Post] = []
        newest = min_id
        fetched_at = utcnow()
        rate: dict[str, str] = {}
        wait: float | None = None
        # min_id answers the page just after it: a burst bigger than one page is
        # caught up over a few pages now, not one page per poll. The first poll
        # (no min_id) takes one page of backlog only.
        for _page in range(MAX_PAGES if min_id else 1):
            page_params = [*params, ("min_id", newest)] if newest else params
            statuses, res = await self._page(client, url, headers, page_params, bool(token))
            floor = newest
            for status in statuses:
                if not isinstance(status, dict):
                    continue
                sid = as_str(status.get("id"), 64)
                if not _ID.match(sid):
                    continue  # no usable id: it could never be replied to or ordered
                if floor and _id_key(sid) <= _id_key(floor):
                    continue  # search ignores min_id on some servers
                try:
                    post = status_to_post(status, self.name, self.host, fetched_at)
                except item_errors:
                    post = None  # one malformed status costs only itself
                if not newest or _id_key(sid) > _id_key(newest):
                    newest = sid
                if post is not None:
                    posts.append(post)
            rate = {k: v for k, v in res.headers.items() if k.startswith("x-ratelimit-")} or rate
            wait = rate_limit_wait(res.headers)
            if len(statuses) < PAGE or newest == floor or wait is not None:
                break
        new_state = dict(state)
        if newest:
            new_state["min_id"] = newest
        if rate:
            new_state["ratelimit"] = rate
        posts.sort(key=lambda p: p.created_at)
        return PollResult(posts, new_state, retry_after=wait)

    async def _page(
        self,
        client: httpx.AsyncClient,
        url: str,
        headers: dict[str, str],
        params: list[tuple[str, Any]],
        has_token: bool,
    ) -> tuple[list[Any], FetchResult]:
        res = await fetch(
            client, url, headers=headers, params=params, limits=self.limits, raise_for_status=False
        )
        if res.status in (401, 403, 422) and not has_token and not self.query:
            raise SourceError(
                f"{self.host} needs a token for tag timelines: "
                f"run `veille auth set {self.token_service}`"
            )
        if res.status == 401:
            raise SourceError(
                f"{self.host} refused the token: run `veille auth set {self.token_service}`"
            )
        if res.status >= 400:
            raise _api_error(res, self.host)
        data = res.json()
        statuses = data.get("statuses") if isinstance(data, dict) else data
        if not isinstance(statuses, list):
            raise SourceError(f"{self.host} answered with an unexpected shape")
        return statuses, res


def _api_error(res: FetchResult, host: str) -> SourceError:
    detail = ""
    try:
        body = res.json()
        if isinstance(body, dict):
            detail = clean_text(str(body.get("error", "")))[:120]
    except SourceError:
        pass
    retry = parse_retry_after(res.headers.get("retry-after"))
    if res.status == 429:
        retry = retry if retry is not None else rate_limit_wait(res.headers, threshold=10**9)
        return SourceError(f"rate limited by {host} (429){asked_to_wait(retry)}", retry_after=retry)
    suffix = f": {detail}" if detail else ""
    return SourceError(f"{_status_words(res.status, host)}{suffix}{asked_to_wait(retry)}", retry)


def _status_words(status: int, host: str) -> str:
    """What an error status means for the user, as the feed errors say it."""
    if status >= 500:
        return f"{host} server error ({status})"
    if status == 404:
        return f"not found at {host} (404): check the instance"
    if status == 410:
        return f"gone from {host} (410): remove or replace this source"
    if status == 403:
        return f"{host} refused access (403)"
    return f"{host} answered {status}"


def rate_limit_wait(headers: dict[str, str], threshold: int = 2) -> float | None:
    """Seconds to wait when X-RateLimit-Remaining is at or under `threshold`."""
    return rate_limit_pause(headers, threshold=threshold)


def _post_id(status: dict[str, Any], host: str) -> str:
    uri = safe_url(as_str(status.get("uri"), 2000))
    return f"mastodon:{uri}" if uri else f"mastodon:{host}/{as_str(status.get('id'), 64)}"


def status_to_post(
    status: dict[str, Any], source: str, host: str, fetched_at: datetime | None = None
) -> Post | None:
    """A Post from a Mastodon status; a boost gives the original with `repost_of`."""
    fetched_at = fetched_at or utcnow()
    boost = status.get("reblog")
    original = boost if isinstance(boost, dict) and boost.get("id") else status
    if not as_str(original.get("id"), 64):
        return None
    account = as_dict(original.get("account"))
    text = html_to_text(as_str(original.get("content")))
    cw = clean_text(as_str(original.get("spoiler_text"), 1000))
    if cw:
        text = f"[{cw}] {text}".strip()
    if not text:
        return None
    url = safe_url(as_str(original.get("url"), 2000)) or safe_url(as_str(original.get("uri"), 2000))
    extra: dict[str, Any] = {"instance": host}
    if url:
        extra["canonical_url"] = canonical_url(url)
    tags = [clean_text(as_str(as_dict(t).get("name"), 100)) for t in as_list(original.get("tags"))]
    if any(tags):
        extra["tags"] = [t for t in tags if t]
    repost_of = ""
    if original is not status:
        booster = as_dict(status.get("account"))
        extra["boosted_by"] = clean_text(as_str(booster.get("acct"), 200))
        extra["boost_id"] = as_str(status.get("id"), 64)
        repost_of = _post_id(original, host)
    acct = clean_text(as_str(account.get("acct"), 200))
    name = clean_text(as_str(account.get("display_name"), 200))
    if name:
        extra["display_name"] = name
    return Post(
        id=_post_id(status, host),
        text=text[:20_000],
        source=source,
        source_kind="mastodon",
        author=f"@{acct}" if acct else name,
        author_id=safe_url(as_str(account.get("url"), 2000)) or as_str(account.get("id"), 64),
        url=url,
        created_at=sane_time(parse_time(original.get("created_at")), fetched_at),
        followers=as_int(account.get("followers_count")),
        lang=clean_text(as_str(original.get("language"), 16))[:8].lower(),
        remote_id=as_str(original.get("id"), 64),  # the id a reply goes to on this instance
        in_reply_to=as_str(original.get("in_reply_to_id"), 64),
        repost_of=repost_of,
        extra=extra,
    )
