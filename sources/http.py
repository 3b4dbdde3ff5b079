"""Polite, defended HTTP fetching for every source.

httpx's timeouts are per socket operation, so a server that drips one byte a
second never trips them; every fetch here runs under one total deadline. The
body is streamed and counted (never read whole), gzip/deflate are decoded by
hand so the decompressed size is capped too (a gzip bomb stops at the cap,
not in memory), redirects are followed one hop at a time so each hop's scheme
is checked and loops are caught, and 429/503 surface their Retry-After.

The `httpx.AsyncClient` is always handed in, so tests point it at 127.0.0.1
and the poller shares one connection pool between sources.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from sources.base import SourceError

__all__ = [
    "USER_AGENT",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "fetch",
    "make_client",
    "parse_retry_after",
    "is_web_url",
    "MAX_RETRY_AFTER",
    "asked_to_wait",
    "rate_limit_pause",
    "wait_words",
]

USER_AGENT = "veille/0.1 (+https://veille.invalid)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# A server asking for a longer pause (a Retry-After date in 2099, a typo, a hostile
# server) is asked again after a day rather than never: the source stays alive.
MAX_RETRY_AFTER = 24 * 3600.0


class FetchError(SourceError):
    """A fetch that failed in a way worth one health line; carries the status."""

    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self.status = status


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Caps on one fetch. Defaults suit real feeds; tests shrink them."""

    total: float = 30.0  # seconds for the whole fetch, redirects and body included
    connect: float = 10.0
    read: float = 15.0
    max_bytes: int = 8 * 1024 * 1024  # bytes on the wire
    max_decoded: int = 16 * 1024 * 1024  # bytes after gzip/deflate
    max_redirects: int = 5


DEFAULT_LIMITS = FetchLimits()


@dataclass(slots=True)
class FetchResult:
    status: int
    url: str  # the final URL, after redirects
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    elapsed: float = 0.0
    moved_to: str = ""  # the final URL when every redirect on the way was permanent (301/308)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    def json(self) -> Any:
        import json

        try:
            return json.loads(self.content)
        except (ValueError, RecursionError):
            raise FetchError("the server sent invalid JSON", self.status) from None


def make_client(
    limits: FetchLimits = DEFAULT_LIMITS, *, trust_env: bool = True
) -> httpx.AsyncClient:
    """The shared client: our User-Agent, no automatic redirects, per-op timeouts."""
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=False,
        timeout=httpx.Timeout(limits.read, connect=limits.connect),
        trust_env=trust_env,
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
    )


def is_web_url(url: str) -> bool:
    """Only http and https go out or get shown as links (no javascript:, file:, data:)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (a number or an HTTP date), at most MAX_RETRY_AFTER."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value[:12]), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # "-0000" dates come back naive: they are UTC
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return min(MAX_RETRY_AFTER, max(0.0, when.timestamp() - now))


def rate_limit_pause(
    headers: dict[str, str], threshold: float = 0, now: float | None = None
) -> float | None:
    """Seconds until a spent `X-RateLimit-*` budget resets, else None.

    Servers say it differently: Reddit sends `x-ratelimit-remaining: 0.0` and a
    reset in seconds, GitHub-style APIs an epoch time, Mastodon an ISO date. The
    pause applies when `remaining` is at or under `threshold`.
    """
    low = {k.lower(): v for k, v in headers.items()}
    remaining = low.get("x-ratelimit-remaining", "").strip()
    reset = low.get("x-ratelimit-reset", "").strip()
    try:
        left = float(remaining)
    except ValueError:
        return None
    if not reset or not left <= threshold:  # "not <=" also refuses nan
        return None
    now = time.time() if now is None else now
    try:
        value = float(reset)
    except ValueError:
        try:
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        value = when.timestamp()
    else:
        if value != value or value < 0:
            return None
        if value < 1e9:  # seconds from now, not a time
            return min(value, MAX_RETRY_AFTER)
    return min(MAX_RETRY_AFTER, max(0.0, value - now))


def wait_words(seconds: float) -> str:
    """A wait as a person says it (45 s, 12 min, 3 h, 1 day), not 2300893939 s."""
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"{hours} h {minutes} min" if minutes and hours < 10 else f"{seconds / 3600:.0f} h"
    days = round(seconds / 86400)
    return f"{days} day" + ("" if days == 1 else "s")


def asked_to_wait(seconds: float | None) -> str:
    """The tail of an error line saying how long the server asked us to wait, or ""."""
    if seconds is None or seconds < 1:
        return ""
    return f", asked to wait {wait_words(seconds)}"


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _status_error(resp: httpx.Response, url: str) -> FetchError:
    code = resp.status_code
    retry = parse_retry_after(resp.headers.get("retry-after"))
    if retry is None and code == 429:
        retry = rate_limit_pause(dict(resp.headers), threshold=float("inf"))
    host = urlsplit(url).hostname or url
    wait = asked_to_wait(retry)
    if code == 429:
        return FetchError(f"rate limited by {host} (429){wait}", code, retry)
    if code == 503:
        return FetchError(f"{host} is unavailable (503){wait}", code, retry)
    if code == 404:
        return FetchError(f"not found at {host} (404): check the URL", code)
    if code == 410:
        # Gone for good, the server says: asking hourly is pointless, daily is enough
        # (the line says so, and fetch --once waits too).
        return FetchError(
            f"gone from {host} (410): remove or replace this source", code, MAX_RETRY_AFTER
        )
    if code in (401, 403):
        return FetchError(f"{host} refused access ({code})", code)
    if code >= 500:
        return FetchError(f"{host} server error ({code}){wait}", code, retry)
    return FetchError(f"{host} answered {code} {resp.reason_phrase}".strip(), code, retry)


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 10:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    return chain


def _network_words(exc: httpx.HTTPError, host: str) -> str:
    """A failed connection as a user can act on it, not as `ConnectError [Errno -2]`."""
    chain = _causes(exc)
    if any(isinstance(c, socket.gaierror) for c in chain):
        return f"could not find the server {host} (no such name, or no network): check the URL"
    if any(isinstance(c, ConnectionRefusedError) for c in chain):
        return f"{host} refused the connection: the server is down or the address is wrong"
    if any(isinstance(c, ssl.SSLCertVerificationError) for c in chain):
        why = next(c for c in chain if isinstance(c, ssl.SSLCertVerificationError))
        detail = getattr(why, "verify_message", "") or "not trusted"
        return f"{host}'s certificate was refused ({detail}): the connection is not safe"
    if any(isinstance(c, ssl.SSLError) for c in chain):
        return f"could not open a secure connection to {host} (TLS failed): check https/http"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return f"lost the connection to {host} before its answer was complete"
    if isinstance(exc, httpx.ConnectError):
        return f"could not reach {host} ({exc})"
    return f"could not reach {host}: {type(exc).__name__} {exc}"


class _Decoder:
    """gzip/deflate decoding with a bound on output, chunk by chunk."""

    def __init__(self, encoding: str, max_decoded: int) -> None:
        self.max_decoded = max_decoded
        self.size = 0
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self._z: Any = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported content encoding {enc!r}")
        self.encoding = enc

    def feed(self, chunk: bytes) -> bytes:
        if self._z is None:
            out = chunk
        else:
            # max_length bounds the output of this call: one byte past the cap
            # is enough to know the body is too big, and nothing more is built.
            room = self.max_decoded - self.size + 1
            try:
                out = self._z.decompress(chunk, room)
            except zlib.error as exc:
                raise FetchError(f"corrupt {self.encoding} body ({exc})") from None
        self.size += len(out)
        if self.size > self.max_decoded:
            raise FetchError(
                f"response larger than {self.max_decoded // 1024} KiB once decompressed: stopped"
            )
        return out


async def _read_capped(resp: httpx.Response, limits: FetchLimits) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"response of {int(declared) // 1024} KiB is over the "
            f"{limits.max_bytes // 1024} KiB cap"
        )
    decoder = _Decoder(resp.headers.get("content-encoding", ""), limits.max_decoded)
    raw = 0
    parts: list[bytes] = []
    async for chunk in resp.aiter_raw():
        raw += len(chunk)
        if raw > limits.max_bytes:
            raise FetchError(f"response over the {limits.max_bytes // 1024} KiB cap: stopped")
        parts.append(decoder.feed(chunk))
    return b"".join(parts)


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    params: dict[str, Any] | list[tuple[str, Any]] | None = None,
    json_body: Any = None,
    etag: str = "",
    last_modified: str = "",
    limits: FetchLimits = DEFAULT_LIMITS,
    raise_for_status: bool = True,
) -> FetchResult:
    """One request under a total deadline, with capped body and checked redirects.

    A 304 comes back as a result (`not_modified`); other non-2xx raise
    `FetchError` unless `raise_for_status` is False (APIs that explain errors
    in their JSON body, like Bluesky's ExpiredToken).
    """
    start = time.monotonic()
    try:
        async with asyncio.timeout(limits.total):
            return await _fetch(
                client, url, method, headers, params, json_body, etag, last_modified, limits,
                raise_for_status, start,
            )  # fmt: skip
    except TimeoutError:
        host = urlsplit(url).hostname or url
        raise FetchError(f"{host} took longer than {limits.total:g} s: gave up") from None
    except httpx.TimeoutException:
        host = urlsplit(url).hostname or url
        raise FetchError(f"{host} timed out") from None
    except httpx.HTTPError as exc:
        host = urlsplit(url).hostname or url
        raise FetchError(_one_line(_network_words(exc, host))) from None


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    method: str,
    headers: dict[str, str] | None,
    params: Any,
    json_body: Any,
    etag: str,
    last_modified: str,
    limits: FetchLimits,
    raise_for_status: bool,
    start: float,
) -> FetchResult:
    if not is_web_url(url):
        raise FetchError(f"refusing a non-http(s) URL: {_one_line(url, 80)}")
    hdrs = dict(headers or {})
    # Set here too, not only in make_client: any injected client must still say who
    # we are and must not be offered encodings our capped decoder cannot bound.
    hdrs.setdefault("User-Agent", USER_AGENT)
    hdrs["Accept-Encoding"] = "gzip, deflate"
    if etag:
        hdrs["If-None-Match"] = etag
    if last_modified:
        hdrs["If-Modified-Since"] = last_modified
    seen: set[str] = set()
    current = url
    permanent = True  # every hop so far was a 301/308
    for _hop in range(limits.max_redirects + 1):
        request = client.build_request(method, current, headers=hdrs, params=params, json=json_body)
        resp = await client.send(request, stream=True)
        try:
            final_url = str(resp.url)
            if resp.status_code in REDIRECT_CODES:
                location = resp.headers.get("location", "")
                if not location:
                    raise FetchError(f"redirect ({resp.status_code}) without a Location")
                nxt = urljoin(final_url, location)
                if not is_web_url(nxt):
                    raise FetchError(f"redirect to a non-http(s) URL refused: {_one_line(nxt, 80)}")
                seen.add(final_url)
                if nxt in seen:
                    raise FetchError(f"redirect loop at {urlsplit(nxt).hostname}")
                if _origin(nxt) != _origin(final_url):
                    # A token is for the server it was issued by: never hand it on.
                    hdrs = {k: v for k, v in hdrs.items() if k.lower() not in _CREDENTIALS}
                current = nxt
                permanent = permanent and resp.status_code in (301, 308)
                params = None  # already part of the URL we were sent to
                if resp.status_code == 303:
                    method, json_body = "GET", None
                continue
            moved = final_url if permanent and current != url else ""
            if resp.status_code == 304:
                return FetchResult(
                    304, final_url, b"", _lower(resp), time.monotonic() - start, moved
                )
            if raise_for_status and not (200 <= resp.status_code < 300):
                raise _status_error(resp, final_url)
            body = await _read_capped(resp, limits)
            return FetchResult(
                resp.status_code, final_url, body, _lower(resp), time.monotonic() - start, moved
            )
        finally:
            await resp.aclose()
    if limits.max_redirects == 0:
        raise FetchError("the server redirected elsewhere: not followed")
    raise FetchError(f"more than {limits.max_redirects} redirects: stopped")


_CREDENTIALS = frozenset({"authorization", "cookie", "proxy-authorization"})


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)


def _lower(resp: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in resp.headers.items()}
