"""Reply channels: a reply goes out the way its mention came in.

Mastodon and Bluesky replies are posted through their APIs; feeds and Hacker
News have no API for it, so their channel answers `manual=True` and the TUI
opens the link and copies the draft. A retried Mastodon reply carries the
same Idempotency-Key (derived from the mention and the text), so a network
hiccup after the server accepted it never posts twice.

`send` is synchronous on purpose: the TUI calls it from a worker thread and
the CLI calls it directly; neither needs the poller's loop.
"""

from __future__ import annotations

import asyncio
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx

from sources.auth import CredentialError, redact, remember_secret, require_secret, service_name
from sources.base import SourceError
from sources.bluesky import post_web_url
from sources.http import FetchLimits, FetchResult, fetch, make_client, parse_retry_after
from sources.models import Post
from sources.shape import as_dict, as_str
from sources.text import clean_text, safe_url

__all__ = [
    "ReplyResult",
    "ReplyError",
    "ReplyChannel",
    "MastodonReply",
    "BlueskyReply",
    "BrowserReply",
    "channel_for",
    "idempotency_key",
]

MAX_RESPONSE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReplyResult:
    remote_id: str
    url: str
    manual: bool = False


class ReplyError(SourceError):
    """A reply that did not go out; the message is one line for the user."""


def idempotency_key(post: Post, text: str) -> str:
    digest = hashlib.sha256(f"{post.id}\x1f{post.remote_id}\x1f{text}".encode()).hexdigest()
    return f"veille-{digest[:40]}"


class ReplyChannel(ABC):
    @abstractmethod
    def send(self, mention_post: Post, text: str) -> ReplyResult:
        """Post `text` as a reply to the mention; ReplyError with one line on failure."""


def _secret(service: str, what: str) -> str:
    try:
        return require_secret(service, what)
    except CredentialError as exc:
        raise ReplyError(str(exc)) from None


ClientFactory = Callable[[], httpx.AsyncClient]


def _run_sync(factory: Callable[[], Coroutine[Any, Any, FetchResult]]) -> FetchResult:
    """Run one exchange to completion from synchronous code, on a loop of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    # Called from a thread that runs a loop (the UI thread): never block that loop's
    # own machinery, run the exchange on a helper thread instead.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="veille-reply") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def _post(
    url: str,
    payload: Any,
    headers: dict[str, str],
    timeout: float,
    client_factory: ClientFactory | None,
    what: str,
) -> FetchResult:
    """POST under one total deadline (a dripping server cannot keep a send going),
    with a capped answer and no redirect followed (a reply goes where it was aimed)."""
    limits = FetchLimits(
        total=timeout,
        connect=min(timeout, 10.0),
        read=timeout,
        max_bytes=MAX_RESPONSE,
        max_decoded=MAX_RESPONSE,
        max_redirects=0,
    )

    async def exchange() -> FetchResult:
        client = client_factory() if client_factory is not None else make_client(limits)
        async with client:
            return await fetch(
                client,
                url,
                method="POST",
                headers=headers,
                json_body=payload,
                limits=limits,
                raise_for_status=False,
            )

    try:
        return _run_sync(exchange)
    except SourceError as exc:
        raise ReplyError(redact(f"{what}: {exc}"), retry_after=exc.retry_after) from None


def _json(res: FetchResult) -> Any:
    try:
        return res.json()
    except SourceError:
        return None


def _http_error(res: FetchResult, what: str) -> ReplyError:
    body = as_dict(_json(res))
    detail = clean_text(as_str(body.get("error"), 500) or as_str(body.get("message"), 500))[:120]
    retry = parse_retry_after(res.headers.get("retry-after"))
    suffix = f": {detail}" if detail else ""
    return ReplyError(redact(f"{what} failed ({res.status}){suffix}"), retry_after=retry)


class MastodonReply(ReplyChannel):
    def __init__(
        self,
        instance: str,
        *,
        token: str = "",
        visibility: str = "public",
        client_factory: ClientFactory | None = None,
        timeout: float = 20.0,
    ) -> None:
        instance = instance.strip().rstrip("/")
        self.base = instance if "://" in instance else f"https://{instance}"
        self.host = urlsplit(self.base).netloc
        self.token_service = token or service_name("mastodon", self.host)
        self.visibility = visibility
        self._client_factory = client_factory
        self.timeout = timeout

    def send(self, mention_post: Post, text: str) -> ReplyResult:
        if not mention_post.remote_id:
            raise ReplyError("this mention has no Mastodon id to reply to")
        token = _secret(self.token_service, f"Mastodon token for {self.host}")
        acct = mention_post.author if mention_post.author.startswith("@") else ""
        status = text if not acct or acct in text else f"{acct} {text}"
        payload = {
            "status": status,
            "in_reply_to_id": mention_post.remote_id,
            "visibility": self.visibility,
        }
        headers = {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": idempotency_key(mention_post, text),
        }
        res = _post(
            f"{self.base}/api/v1/statuses",
            payload,
            headers,
            self.timeout,
            self._client_factory,
            "Mastodon reply",
        )
        if res.status == 401:
            raise ReplyError(
                f"{self.host} refused the token: run `veille auth set {self.token_service}`"
            )
        if not 200 <= res.status < 300:
            raise _http_error(res, "Mastodon reply")
        # Accepted: an unreadable answer still means sent (a retry would be deduplicated
        # by the Idempotency-Key anyway), so it is a result without id rather than an error.
        body = as_dict(_json(res))
        return ReplyResult(as_str(body.get("id"), 64), safe_url(as_str(body.get("url"), 2000)))


class BlueskyReply(ReplyChannel):
    def __init__(
        self,
        handle: str,
        *,
        service: str = "https://bsky.social",
        client_factory: ClientFactory | None = None,
        timeout: float = 20.0,
    ) -> None:
        self.handle = handle.strip().lstrip("@")
        self.service = service.rstrip("/")
        self.secret_service = service_name("bluesky", self.handle)
        self._client_factory = client_factory
        self.timeout = timeout

    def _session(self) -> dict[str, Any]:
        password = _secret(self.secret_service, f"Bluesky app password for {self.handle}")
        res = _post(
            f"{self.service}/xrpc/com.atproto.server.createSession",
            {"identifier": self.handle, "password": password},
            {},
            self.timeout,
            self._client_factory,
            "Bluesky sign-in",
        )
        if res.status == 401:
            raise ReplyError(
                f"Bluesky refused the app password for {self.handle}: "
                f"run `veille auth set {self.secret_service}`"
            )
        if res.status != 200:
            raise _http_error(res, "Bluesky sign-in")
        body = as_dict(_json(res))
        access, did = as_str(body.get("accessJwt"), 10_000), as_str(body.get("did"), 300)
        if not access or not did.startswith("did:"):
            raise ReplyError("Bluesky sign-in answered without a session")
        remember_secret(access)
        remember_secret(as_str(body.get("refreshJwt"), 10_000))
        return {"accessJwt": access, "did": did}

    def send(self, mention_post: Post, text: str) -> ReplyResult:
        parent_uri, parent_cid = mention_post.remote_id, mention_post.reply_cid
        if not parent_uri.startswith("at://") or not parent_cid:
            raise ReplyError("this mention has no Bluesky uri and cid to reply to")
        if mention_post.reply_root and mention_post.extra.get("root_cid"):
            root = {"uri": mention_post.reply_root, "cid": str(mention_post.extra["root_cid"])}
        else:
            root = {"uri": parent_uri, "cid": parent_cid}
        session = self._session()
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
            "reply": {"root": root, "parent": {"uri": parent_uri, "cid": parent_cid}},
        }
        if mention_post.lang:
            record["langs"] = [mention_post.lang]
        res = _post(
            f"{self.service}/xrpc/com.atproto.repo.createRecord",
            {"repo": session["did"], "collection": "app.bsky.feed.post", "record": record},
            {"Authorization": f"Bearer {session['accessJwt']}"},
            self.timeout,
            self._client_factory,
            "Bluesky reply",
        )
        if res.status != 200:
            raise _http_error(res, "Bluesky reply")
        uri = as_str(as_dict(_json(res)).get("uri"), 1000)
        if not uri.startswith("at://"):
            uri = ""
        return ReplyResult(uri, post_web_url(uri, self.handle))


class BrowserReply(ReplyChannel):
    """No API to reply through: the user replies in the browser, with the draft copied."""

    def send(self, mention_post: Post, text: str) -> ReplyResult:
        url = safe_url(mention_post.extra.get("comments_url")) or safe_url(mention_post.url)
        return ReplyResult("", url, manual=True)


def channel_for(post: Post, config: Mapping[str, Any] | None = None) -> ReplyChannel:
    """The channel for a mention, from the `[[source]]` table of the source that carried it.

    Falls back to the browser when the source cannot post (feeds, HN) or the
    config does not say which account to sign replies from.
    """
    cfg = dict(config or {})
    if post.source_kind == "mastodon":
        instance = str(cfg.get("reply_instance") or cfg.get("instance") or "")
        if not instance:
            instance = str(post.extra.get("instance", ""))
        if instance:
            return MastodonReply(instance, token=str(cfg.get("token", "")))
    if post.source_kind == "bluesky":
        handle = str(cfg.get("handle", ""))
        if handle:
            return BlueskyReply(handle, service=str(cfg.get("service") or "https://bsky.social"))
    return BrowserReply()
