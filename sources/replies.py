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

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx

from sources.auth import CredentialError, redact, remember_secret, require_secret, service_name
from sources.base import SourceError
from sources.bluesky import post_web_url
from sources.http import USER_AGENT, parse_retry_after
from sources.models import Post
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


def _client(timeout: float) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=True,
    )


def _json(resp: httpx.Response) -> Any:
    if len(resp.content) > MAX_RESPONSE:
        raise ReplyError("the server's answer was too large")
    try:
        return json.loads(resp.content)
    except ValueError:
        return None


def _http_error(resp: httpx.Response, what: str) -> ReplyError:
    body = _json(resp)
    detail = ""
    if isinstance(body, dict):
        detail = clean_text(str(body.get("error") or body.get("message") or ""))[:120]
    retry = parse_retry_after(resp.headers.get("retry-after"))
    suffix = f": {detail}" if detail else ""
    return ReplyError(redact(f"{what} failed ({resp.status_code}){suffix}"), retry_after=retry)


class MastodonReply(ReplyChannel):
    def __init__(
        self,
        instance: str,
        *,
        token: str = "",
        visibility: str = "public",
        client: httpx.Client | None = None,
        timeout: float = 20.0,
    ) -> None:
        instance = instance.strip().rstrip("/")
        self.base = instance if "://" in instance else f"https://{instance}"
        self.host = urlsplit(self.base).netloc
        self.token_service = token or service_name("mastodon", self.host)
        self.visibility = visibility
        self._client = client
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
        client = self._client or _client(self.timeout)
        try:
            resp = client.post(f"{self.base}/api/v1/statuses", json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise ReplyError(f"could not reach {self.host}: {type(exc).__name__}") from None
        finally:
            if self._client is None:
                client.close()
        if resp.status_code == 401:
            raise ReplyError(
                f"{self.host} refused the token: run `veille auth set {self.token_service}`"
            )
        if resp.status_code >= 300:
            raise _http_error(resp, "Mastodon reply")
        body = _json(resp) or {}
        return ReplyResult(str(body.get("id", "")), safe_url(body.get("url")), manual=False)


class BlueskyReply(ReplyChannel):
    def __init__(
        self,
        handle: str,
        *,
        service: str = "https://bsky.social",
        client: httpx.Client | None = None,
        timeout: float = 20.0,
    ) -> None:
        self.handle = handle.strip().lstrip("@")
        self.service = service.rstrip("/")
        self.secret_service = service_name("bluesky", self.handle)
        self._client = client
        self.timeout = timeout

    def _session(self, client: httpx.Client) -> dict[str, Any]:
        password = _secret(self.secret_service, f"Bluesky app password for {self.handle}")
        resp = client.post(
            f"{self.service}/xrpc/com.atproto.server.createSession",
            json={"identifier": self.handle, "password": password},
        )
        if resp.status_code == 401:
            raise ReplyError(
                f"Bluesky refused the app password for {self.handle}: "
                f"run `veille auth set {self.secret_service}`"
            )
        if resp.status_code != 200:
            raise _http_error(resp, "Bluesky sign-in")
        body = _json(resp)
        if not isinstance(body, dict) or not body.get("accessJwt") or not body.get("did"):
            raise ReplyError("Bluesky sign-in answered without a session")
        remember_secret(str(body.get("accessJwt")))
        remember_secret(str(body.get("refreshJwt") or ""))
        return body

    def send(self, mention_post: Post, text: str) -> ReplyResult:
        parent_uri, parent_cid = mention_post.remote_id, mention_post.reply_cid
        if not parent_uri.startswith("at://") or not parent_cid:
            raise ReplyError("this mention has no Bluesky uri and cid to reply to")
        if mention_post.reply_root and mention_post.extra.get("root_cid"):
            root = {"uri": mention_post.reply_root, "cid": str(mention_post.extra["root_cid"])}
        else:
            root = {"uri": parent_uri, "cid": parent_cid}
        client = self._client or _client(self.timeout)
        try:
            session = self._session(client)
            record = {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
                "reply": {"root": root, "parent": {"uri": parent_uri, "cid": parent_cid}},
            }
            if mention_post.lang:
                record["langs"] = [mention_post.lang]
            resp = client.post(
                f"{self.service}/xrpc/com.atproto.repo.createRecord",
                json={"repo": session["did"], "collection": "app.bsky.feed.post", "record": record},
                headers={"Authorization": f"Bearer {session['accessJwt']}"},
            )
        except httpx.HTTPError as exc:
            raise ReplyError(f"could not reach Bluesky: {type(exc).__name__}") from None
        finally:
            if self._client is None:
                client.close()
        if resp.status_code != 200:
            raise _http_error(resp, "Bluesky reply")
        body = _json(resp) or {}
        uri = str(body.get("uri", ""))
        return ReplyResult(uri, post_web_url(uri, self.handle), manual=False)


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
