"""Bluesky: `app.bsky.feed.searchPosts` under a session made from an app password.

The app password comes from the keyring (`bluesky:HANDLE`). Bluesky allows
few sign-ins (createSession: 30 in 5 minutes, 300 a day per account), so a
session is signed in once and kept: shared in memory by every source using
the handle, and its refresh token kept in the keyring
(`bluesky-session:HANDLE`), so `veille fetch --once` run from cron refreshes
the session instead of signing in every run. Tokens never go in the saved
state (the store). An expired access token is refreshed with
`refreshSession`, and when that fails too a new session is created. The
state keeps the newest `createdAt` seen (asked back as `since`) and the last
cursor, so polls never hand the same post twice.
"""

from __future__ import annotations

import asyncio
import weakref
from datetime import datetime
from typing import Any

import httpx

from sources.auth import (
    CredentialError,
    get_secret,
    remember_secret,
    require_secret,
    service_name,
    set_secret,
)
from sources.base import PollResult, Source, SourceError
from sources.http import (
    DEFAULT_LIMITS,
    MAX_RETRY_AFTER,
    FetchLimits,
    FetchResult,
    asked_to_wait,
    fetch,
    parse_retry_after,
)
from sources.models import Post, utcnow
from sources.shape import as_dict, as_int, as_list, as_str, item_errors, parse_time, sane_time
from sources.text import canonical_url, clean_text

__all__ = ["BlueskySource", "bsky_post_to_post", "post_web_url"]

PAGE = 50
MAX_PAGES = 3
SEEN_KEEP = 300
_TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
# (service, handle) -> (access, refresh): one session for every source signed in as
# the same account in this process, in memory only.
_SESSIONS: dict[tuple[str, str], tuple[str, str]] = {}
# Sources on one account polled at once sign in one at a time: the second finds the
# first's session instead of buying its own (or spending the same refresh token twice).
# Per event loop (a lock belongs to one), and gone with it.
_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], asyncio.Lock]]
_LOCKS = weakref.WeakKeyDictionary()


def _session_lock(key: tuple[str, str]) -> asyncio.Lock:
    locks = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    return locks.setdefault(key, asyncio.Lock())


def post_web_url(uri: str, handle_or_did: str) -> str:
    """at://did/app.bsky.feed.post/RKEY -> https://bsky.app/profile/HANDLE/post/RKEY."""
    rkey = uri.rsplit("/", 1)[-1] if uri.startswith("at://") else ""
    if not rkey or not handle_or_did:
        return ""
    return f"https://bsky.app/profile/{handle_or_did}/post/{rkey}"


def xrpc_error(res: FetchResult, what: str) -> SourceError:
    """One line from an XRPC error body ({"error": ..., "message": ...})."""
    code, message = "", ""
    try:
        body = res.json()
        if isinstance(body, dict):
            code = clean_text(str(body.get("error", "")))[:60]
            message = clean_text(str(body.get("message", "")))[:120]
    except SourceError:
        pass
    retry = parse_retry_after(res.headers.get("retry-after"))
    if res.status == 429:
        reset = res.headers.get("ratelimit-reset", "")
        if retry is None and reset.isdigit() and len(reset) < 15:
            retry = min(MAX_RETRY_AFTER, max(0.0, int(reset) - utcnow().timestamp()))
        return SourceError(f"{what}: rate limited (429){asked_to_wait(retry)}", retry_after=retry)
    detail = ": ".join(x for x in (code, message) if x)
    status = f"server error ({res.status})" if res.status >= 500 else str(res.status)
    line = f"{what}: {status} {detail}".strip() + asked_to_wait(retry)
    return SourceError(line, retry_after=retry)


class BlueskySource(Source):
    kind = "bluesky"

    def __init__(
        self,
        name: str,
        handle: str = "",
        *,
        query: str = "",
        service: str = "https://bsky.social",
        lang: str = "",
        interval: float = 120.0,
        limits: FetchLimits = DEFAULT_LIMITS,
    ) -> None:
        super().__init__(name, interval)
        self.handle = handle.strip().lstrip("@")
        if not self.handle:
            raise ValueError(
                'bluesky needs the handle to sign in with, e.g. handle = "me.bsky.social"'
            )
        self.query = query.strip()
        if not self.query:
            raise ValueError("bluesky needs a query")
        self.service = service.rstrip("/")
        self.lang = lang
        self.limits = limits
        self.secret_service = service_name("bluesky", self.handle)
        self.session_service = service_name("bluesky-session", self.handle)
        self._key = (self.service, self.handle.lower())
        self._access = ""
        self._refresh = ""

    def _keep_session(self) -> None:
        """Share the session in this process and keep its refresh token for the next run."""
        remember_secret(self._access)
        remember_secret(self._refresh)
        _SESSIONS[self._key] = (self._access, self._refresh)
        if not self._refresh:
            return
        try:
            if get_secret(self.session_service) != self._refresh:
                set_secret(self.session_service, self._refresh)
        except CredentialError:
            pass  # a locked keyring costs a sign-in next run, nothing more

    async def _sign_in(self, client: httpx.AsyncClient) -> None:
        """A session from this process, else from the kept refresh token, else a sign-in."""
        shared = _SESSIONS.get(self._key)
        if shared and shared[0]:
            self._access, self._refresh = shared
            return
        try:
            kept = get_secret(self.session_service) or ""
        except CredentialError:
            kept = ""
        if kept:
            self._refresh = kept
            await self._refresh_session(client)
        else:
            await self._create_session(client)

    async def _create_session(self, client: httpx.AsyncClient) -> None:
        password = require_secret(self.secret_service, f"Bluesky app password for {self.handle}")
        res = await fetch(
            client,
            f"{self.service}/xrpc/com.atproto.server.createSession",
            method="POST",
            json_body={"identifier": self.handle, "password": password},
            limits=self.limits,
            raise_for_status=False,
        )
        if res.status == 401:
            code = _error_code(res)
            if code == "AuthFactorTokenRequired":
                # the account password, with two-factor sign-in on: an app password
                # is what veille needs, and Bluesky never asks one for a code
                raise SourceError(
                    f"Bluesky asked for an email code: that is the account password of "
                    f"{self.handle}; create an app password (Settings, Privacy and security, "
                    f"App passwords) and run `veille auth set {self.secret_service}`"
                )
            if code in ("AccountTakedown", "AccountDeactivated"):
                raise SourceError(f"Bluesky says the account {self.handle} is suspended ({code})")
            raise SourceError(
                f"Bluesky refused the app password for {self.handle}: "
                f"run `veille auth set {self.secret_service}`"
            )
        if res.status != 200:
            raise xrpc_error(res, "Bluesky sign-in failed")
        body = as_dict(res.json())
        self._access = as_str(body.get("accessJwt"), 10_000)
        self._refresh = as_str(body.get("refreshJwt"), 10_000)
        remember_secret(self._access)
        remember_secret(self._refresh)
        if not self._access:
            raise SourceError("Bluesky sign-in answered without a token")
        self._keep_session()

    async def _refresh_session(self, client: httpx.AsyncClient) -> None:
        shared = _SESSIONS.get(self._key)
        if shared and shared[0] and shared[0] != self._access:
            # another source on this account refreshed first (which spent the old
            # refresh token): take its session rather than sign in again
            self._access, self._refresh = shared
            return
        if self._refresh:
            res = await fetch(
                client,
                f"{self.service}/xrpc/com.atproto.server.refreshSession",
                method="POST",
                headers={"Authorization": f"Bearer {self._refresh}"},
                limits=self.limits,
                raise_for_status=False,
            )
            if res.status == 200:
                body = as_dict(res.json())
                self._access = as_str(body.get("accessJwt"), 10_000)
                self._refresh = as_str(body.get("refreshJwt"), 10_000) or self._refresh
                remember_secret(self._access)
                remember_secret(self._refresh)
                if self._access:
                    self._keep_session()
                    return
        self._access = self._refresh = ""
        _SESSIONS.pop(self._key, None)
        await self._create_session(client)

    async def _get(
        self, client: httpx.AsyncClient, nsid: str, params: list[tuple[str, Any]]
    ) -> Any:
        if not self._access:
            async with _session_lock(self._key):
                await self._sign_in(client)
        for attempt in range(2):
            res = await fetch(
                client,
                f"{self.service}/xrpc/{nsid}",
                headers={"Authorization": f"Bearer {self._access}", "Accept": "application/json"},
                params=params,
                limits=self.limits,
                raise_for_status=False,
            )
            if res.status == 200:
                return res.json()
            if res.status in (400, 401) and attempt == 0 and _error_code(res) in _TOKEN_ERRORS:
                async with _session_lock(self._key):
                    await self._refresh_session(client)
                continue
            raise xrpc_error(res, "Bluesky search failed")
        raise SourceError("Bluesky kept refusing a fresh session")

    async def poll(self, client: httpx.AsyncClient, state: dict[str, Any]) -> PollResult:
        fetched_at = utcnow()
        since_dt = _saved_time(state.get("since"), fetched_at)
        seen = [x for x in as_list(state.get("seen")) if isinstance(x, str)]
        found = _Found(seen, fetched_at)
        newest_dt, cursor, cut = await self._pass(client, found, since_dt, None)
        # A burst bigger than the pages one poll reads (a post going viral) leaves a gap
        # between the last poll and the oldest post read now: the next polls read it,
        # bounded by `until`, rather than lose it.
        gap = as_dict(state.get("backfill"))
        gap_since = _saved_time(gap.get("since"), fetched_at)
        gap_until = _saved_time(gap.get("until"), fetched_at)
        backfill: dict[str, str] | None = None
        if cut is not None and since_dt is not None:
            start = gap_since if gap_since is not None and gap_until is not None else since_dt
            backfill = {"since": _z(start), "until": _z(cut)}
        elif gap_since is not None and gap_until is not None and gap_since < gap_until:
            _, _, more = await self._pass(client, found, gap_since, gap_until)
            if more is not None and gap_since < more < gap_until:
                backfill = {"since": _z(gap_since), "until": _z(more)}
        new_state = dict(state)
        new_state["seen"] = found.seen[-SEEN_KEEP:]
        if newest_dt is not None:
            # createdAt is the poster's clock: one running hours fast must not set the
            # cursor ahead of now, or the search would hide every post until then.
            new_state["since"] = _z(min(newest_dt, fetched_at))
        if cursor:
            new_state["cursor"] = cursor
        if backfill:
            new_state["backfill"] = backfill
        else:
            new_state.pop("backfill", None)
        found.posts.sort(key=lambda p: p.created_at)
        return PollResult(found.posts, new_state)

    async def _pass(
        self,
        client: httpx.AsyncClient,
        found: _Found,
        since_dt: datetime | None,
        until_dt: datetime | None,
    ) -> tuple[datetime | None, str, datetime | None]:
        """Newest first from `since` (and before `until`), up to MAX_PAGES pages.

        Returns the newest time seen, the last cursor, and, when pages remained
        unread, the oldest time read (where the unread part ends), else None.
        """
        since = _z(since_dt) if since_dt else ""
        cursor = ""
        newest_dt = since_dt
        oldest_dt: datetime | None = None
        for page in range(MAX_PAGES):
            params: list[tuple[str, Any]] = [("q", self.query), ("sort", "latest"), ("limit", PAGE)]
            if since:
                params.append(("since", since))
            if until_dt is not None:
                params.append(("until", _z(until_dt)))
            if self.lang:
                params.append(("lang", self.lang))
            if cursor:
                params.append(("cursor", cursor))
            body = await self._get(client, "app.bsky.feed.searchPosts", params)
            items = body.get("posts") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise SourceError("Bluesky search answered with an unexpected shape")
            for item in items:
                try:
                    post = (
                        bsky_post_to_post(item, self.name, found.fetched_at)
                        if isinstance(item, dict)
                        else None
                    )
                except item_errors:
                    post = None  # one malformed post costs only itself
                if post is None:
                    continue
                if oldest_dt is None or post.created_at < oldest_dt:
                    oldest_dt = post.created_at
                if not found.add(post):
                    continue
                if newest_dt is None or post.created_at > newest_dt:
                    newest_dt = post.created_at
            next_cursor = as_str(body.get("cursor"), 1000)
            if not next_cursor or next_cursor == cursor:
                return newest_dt, next_cursor, None  # no further page, or the same forever
            cursor = next_cursor
            if len(items) < PAGE or not since:
                return newest_dt, cursor, None  # first poll: one page is the backlog we want
            if page == MAX_PAGES - 1:
                return newest_dt, cursor, oldest_dt  # pages remain: a gap to read later
        return newest_dt, cursor, None


class _Found:
    """Posts one poll found, and the ids seen lately so no post is handed twice."""

    def __init__(self, seen: list[str], fetched_at: datetime) -> None:
        self.seen = seen
        self.seen_set = set(seen)
        self.posts: list[Post] = []
        self.fetched_at = fetched_at

    def add(self, post: Post) -> bool:
        if post.remote_id in self.seen_set:
            return False
        self.seen_set.add(post.remote_id)
        self.seen.append(post.remote_id)
        self.posts.append(post)
        return True


def _z(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def _saved_time(value: Any, fetched_at: datetime) -> datetime | None:
    """A time from the saved state; None when missing or damaged (never in the future)."""
    dt = parse_time(value)
    if dt is not None and sane_time(dt, fetched_at) is fetched_at:
        return None  # a damaged saved state must not hide every future post
    return dt


def _error_code(res: FetchResult) -> str:
    try:
        body = res.json()
    except SourceError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def bsky_post_to_post(
    item: dict[str, Any], source: str, fetched_at: datetime | None = None
) -> Post | None:
    fetched_at = fetched_at or utcnow()
    uri = as_str(item.get("uri"), 1000)
    record = as_dict(item.get("record"))
    if not uri.startswith("at://") or not record:
        return None
    text = clean_text(as_str(record.get("text")))
    author = as_dict(item.get("author"))
    handle = clean_text(as_str(author.get("handle"), 300))
    did = as_str(author.get("did"), 300)
    if not did.startswith("did:"):
        did = ""
    url = post_web_url(uri, handle or did)
    langs = as_list(record.get("langs"))
    lang = clean_text(as_str(langs[0], 16)).split("-")[0].lower()[:8] if langs else ""
    reply = as_dict(record.get("reply"))
    parent = as_dict(reply.get("parent"))
    root = as_dict(reply.get("root"))
    extra: dict[str, Any] = {}
    if url:
        extra["canonical_url"] = canonical_url(url)
    if as_str(parent.get("cid"), 200):
        extra["parent_cid"] = as_str(parent.get("cid"), 200)
    if as_str(root.get("cid"), 200):
        extra["root_cid"] = as_str(root.get("cid"), 200)
    name = clean_text(as_str(author.get("displayName"), 300))
    if name:
        extra["display_name"] = name
    for key in ("likeCount", "repostCount", "replyCount", "quoteCount"):
        count = as_int(item.get(key), -1)
        if count >= 0:
            extra[key] = count
    if not text and not url:
        return None
    created = parse_time(record.get("createdAt")) or parse_time(item.get("indexedAt"))
    return Post(
        id=f"bluesky:{uri}",
        text=text[:20_000],
        source=source,
        source_kind="bluesky",
        author=f"@{handle}" if handle else did,
        author_id=did,
        url=url,
        created_at=sane_time(created, fetched_at),
        lang=lang,
        remote_id=uri,
        in_reply_to=as_str(parent.get("uri"), 1000),
        reply_root=as_str(root.get("uri"), 1000),
        reply_cid=as_str(item.get("cid"), 200),
        extra=extra,
    )
