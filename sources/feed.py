"""RSS 0.9x/1.0/2.0, Atom and JSON Feed, through feedparser, defended.

feedparser is handed the bytes we fetched (as io.BytesIO: a str may be taken
for a path or URL and opened), after DOCTYPE/ENTITY declarations are gone
(one repeated 100 KB entity made feedparser build a 10^9-character title).
The result is checked on `version` and `entries`, not `bozo` alone, since an
HTML page parses without complaint. Links are kept only when http/https.

Presets let a user name a well-known search feed instead of a URL.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import io
import json
import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, quote_plus, urljoin, urlsplit

import feedparser
import httpx

from sources.base import PollResult, Source, SourceError
from sources.http import (
    DEFAULT_LIMITS,
    FetchError,
    FetchLimits,
    FetchResult,
    fetch,
    rate_limit_pause,
)
from sources.models import Post, utcnow
from sources.shape import as_dict, as_list, as_str, item_errors, parse_time, sane_time
from sources.text import (
    canonical_url,
    clean_text,
    html_to_text,
    safe_url,
    short_hash,
    strip_dtd,
    unwrap_redirect,
)

__all__ = ["FeedSource", "PRESETS", "feed_link", "preset_url", "parse_feed"]

MAX_TITLE = 1_000
MAX_TEXT = 20_000  # a post is a mention, not an archive of the article
SEEN_KEEP = 500  # ids remembered between polls, so a full feed is not re-handed each time
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)

PRESETS: dict[str, tuple[str, tuple[str, ...]]] = {
    # name: (URL template, required options); {base} may be overridden by `base_url`.
    "google_alerts": ("{url}", ("url",)),
    "reddit": ("{base}/search.rss?q={query}&sort=new", ("query",)),
    "hackernews": ("{base}/newest?q={query}", ("query",)),
    "mastodon_tag": ("{base}/tags/{tag}.rss", ("instance", "tag")),
    "youtube": ("{base}/feeds/videos.xml?channel_id={channel_id}", ("channel_id",)),
    "stackoverflow": ("{base}/feeds/tag?tagnames={tag}&sort=newest", ("tag",)),
}
_PRESET_OPTIONS = frozenset({"query", "tag", "instance", "channel_id", "base_url"})
_PRESET_BASE = {
    "reddit": "https://www.reddit.com",
    "hackernews": "https://hnrss.org",
    "youtube": "https://www.youtube.com",
    "stackoverflow": "https://stackoverflow.com",
}


def preset_url(preset: str, options: dict[str, Any]) -> str:
    """The feed URL a preset stands for; ValueError naming what is missing."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r} (known: {', '.join(sorted(PRESETS))})")
    template, required = PRESETS[preset]
    missing = [k for k in required if not str(options.get(k, "")).strip()]
    if missing:
        raise ValueError(f"preset {preset!r} needs {', '.join(missing)}")
    base = str(options.get("base_url") or _PRESET_BASE.get(preset, "")).rstrip("/")
    if preset == "mastodon_tag" and not options.get("base_url"):
        inst = str(options["instance"]).strip().rstrip("/")
        base = inst if "://" in inst else f"https://{inst}"
    values = {
        "base": base,
        "url": str(options.get("url", "")).strip(),
        "query": quote_plus(str(options.get("query", ""))),
        "tag": quote(str(options.get("tag", "")).lstrip("#"), safe=""),
        "channel_id": quote(str(options.get("channel_id", "")), safe=""),
    }
    return template.format(**values)


class FeedSource(Source):
    kind = "feed"

    def __init__(
        self,
        name: str,
        url: str = "",
        *,
        preset: str = "",
        interval: float = 900.0,
        limits: FetchLimits = DEFAULT_LIMITS,
        **options: Any,
    ) -> None:
        super().__init__(name, interval)
        self.preset = preset
        unknown = sorted(set(options) - _PRESET_OPTIONS) if preset else sorted(options)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}")
        url = _pasted_url(url)
        if preset:
            url = preset_url(preset, {"url": url, **options})
        if not safe_url(url):
            hint = ""
            if url and "://" not in url and "." in url.split("/", 1)[0]:
                hint = f": write it with https:// in front (https://{url})"
            raise ValueError(f"feed needs an http(s) url, got {url!r}{hint}")
        self.url = url
        self.limits = limits
        # google.com/url?url=… wrappers (Alerts, some News feeds) hide the real link everywhere
        self.unwrap = True

    async def _fetch(
        self, client: httpx.AsyncClient, url: str, etag: str, last_modified: str
    ) -> FetchResult:
        return await fetch(
            client,
            url,
            headers={"Accept": ACCEPT},
            etag=etag,
            last_modified=last_modified,
            limits=self.limits,
        )

    def _moved_to(self, state: dict[str, Any]) -> str:
        """Where this feed said it moved for good (301/308), if it was this URL that moved."""
        moved = as_dict(state.get("moved"))
        to = safe_url(as_str(moved.get("to"), 2000))
        return to if to and moved.get("from") == self.url else ""

    async def poll(self, client: httpx.AsyncClient, state: dict[str, Any]) -> PollResult:
        moved = self._moved_to(state)
        etag = _header_value(state.get("etag"))
        last_modified = _header_value(state.get("last_modified"))
        try:
            # A feed that moved for good is asked at its new address: one request,
            # not a redirect every poll, and no loss when the old name expires.
            fetched = await self._fetch(client, moved or self.url, etag, last_modified)
        except FetchError as exc:
            if not moved or exc.status not in (404, 410):
                raise
            moved = ""  # the new address failed: back to the configured one
            fetched = await self._fetch(client, self.url, etag, last_modified)
        new_state = dict(state)
        if fetched.moved_to:
            moved = fetched.moved_to
            new_state["moved"] = {"from": self.url, "to": moved}
        elif not moved:
            new_state.pop("moved", None)
        # the instruction first: a long URL cut at the end of a line still says what to do
        note = f'moved for good: put url = "{moved}" in the config' if moved else ""
        # Reddit and others count requests: a spent budget waits for its reset
        pause = rate_limit_pause(fetched.headers)
        if fetched.not_modified:
            return PollResult([], new_state, not_modified=True, note=note, retry_after=pause)
        new_state["etag"] = fetched.etag
        new_state["last_modified"] = fetched.last_modified
        # Many servers ignore validators and resend the same bytes: a hash of the
        # body spares parsing it again (parsing is the whole cost of a poll).
        digest = hashlib.sha256(fetched.content).hexdigest()[:32]
        if digest == state.get("body_sha"):
            return PollResult([], new_state, not_modified=True, note=note, retry_after=pause)
        new_state["body_sha"] = digest
        # feedparser is pure Python: a big feed takes its time, and on the poller's
        # loop it would hold up every other source. A worker thread keeps them flowing.
        posts = await asyncio.to_thread(
            parse_feed,
            fetched.content,
            source=self.name,
            feed_url=self.url,
            content_type=fetched.headers.get("content-type", ""),
            unwrap=self.unwrap,
            page_url=fetched.url,
        )
        seen = [x for x in as_list(state.get("seen")) if isinstance(x, str)]
        seen_set = set(seen)
        fresh = [p for p in posts if p.id not in seen_set]
        seen.extend(p.id for p in fresh)
        new_state["seen"] = seen[-SEEN_KEEP:]
        return PollResult(fresh, new_state, note=note, retry_after=pause)


def _pasted_url(url: Any) -> str:
    """A URL as users paste it: spaces around it dropped, feed:// read as http://."""
    text = url.strip() if isinstance(url, str) else ""
    for prefix in ("feed://", "feed:"):  # feed:https://… and feed://host/…
        if text.lower().startswith(prefix):
            rest = text[len(prefix) :]
            text = rest if "://" in rest[:8] else "http://" + rest.lstrip("/")
            break
    return text


def _header_value(value: Any) -> str:
    """A saved validator fit to send back: a short single-line string, else nothing."""
    text = as_str(value, 1000)
    return "" if any(c in text for c in "\r\n\x00") else text


def _struct_to_dt(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        y, mo, d, h, mi, sec = (int(v) for v in value[:6])
        return datetime(y, mo, d, h, mi, min(sec, 59), tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _raw(entry: Any, key: str) -> Any:
    """A key as stored, bypassing feedparser's deprecated updated->published fallback."""
    return dict.get(entry, key) if isinstance(entry, dict) else None


def _lang(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    return value.strip().replace("_", "-").split("-")[0].lower()[:8]


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    for c in contents:
        value = c.get("value") if isinstance(c, dict) else None
        if value:
            return html_to_text(value)
    summary = entry.get("summary") or entry.get("description") or ""
    return html_to_text(summary) if summary else ""


def _author(entry: Any) -> str:
    name = entry.get("author") or ""
    if not name:
        detail = entry.get("author_detail") or {}
        name = detail.get("name") or ""
    if not name:
        authors = entry.get("authors") or []
        if authors and isinstance(authors[0], dict):
            name = authors[0].get("name") or ""
    return clean_text(str(name))


# https://HOST/@USER/12345: how Mastodon (and its forks) link a status. Their RSS
# items name no author, and a mention without one cannot be muted, ranked or greeted.
_FEDI_LINK = re.compile(r"^/@([A-Za-z0-9_][A-Za-z0-9_.-]{0,63})/[0-9A-Za-z]{1,32}/?$")


def _fediverse_author(link: str) -> str:
    parts = urlsplit(link)
    m = _FEDI_LINK.match(parts.path)
    host = (parts.hostname or "").lower()
    return f"@{m.group(1)}@{host}" if m and host else ""


def _is_global_id(guid: str) -> bool:
    return guid.startswith(("http://", "https://", "tag:", "urn:", "yt:"))


def parse_feed(
    data: bytes,
    *,
    source: str,
    feed_url: str = "",
    content_type: str = "",
    unwrap: bool = True,
    fetched_at: datetime | None = None,
    page_url: str = "",
) -> list[Post]:
    """Posts from feed bytes; SourceError with one clear line when it is no feed.

    `page_url` is where the bytes came from after redirects (relative links in
    an HTML page are read against it); `feed_url`, the configured URL, keys ids.
    """
    fetched_at = fetched_at or utcnow()
    stripped = data.lstrip(b"\r\n\t ")  # some servers send a blank line before <?xml
    try:
        safe = strip_dtd(stripped)
    except ValueError as exc:
        raise SourceError(f"refused the feed: {exc}") from None
    # The body decides, not the label: servers send Atom as application/json and
    # JSON Feeds as text/html, and a BOM may stand before the blank line.
    head = stripped.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n\t ")[:1]
    if head == b"{" or ("json" in content_type.lower() and head != b"<"):
        return _parse_json_feed(stripped, source, feed_url, unwrap, fetched_at)
    headers = {"content-type": content_type} if content_type else {}
    safe = _SURROGATE_REF.sub(_drop_surrogate_ref, safe)
    try:
        parsed = _feedparse(safe, headers)
    except Exception as first:  # feedparser's own crashes on hostile input
        # One repair, then one more try: a clean UTF-8 declaration and no stray end
        # tags (feedparser's handlers raise KeyError/TypeError on those).
        try:
            parsed = _feedparse(_repair(safe), {})
        except Exception:
            raise SourceError(
                f"not a readable feed (the feed parser failed: {type(first).__name__})"
            ) from None
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not version:
        head = safe[:512].lower()
        if b"<html" in head or b"<!doctype html" in data[:512].lower():
            found = feed_link(data, page_url or feed_url)
            hint = f"; its feed is at {found}: use that as url" if found else ""
            raise SourceError(f"the URL returned an HTML page, not a feed{hint}")
        if not stripped:
            raise SourceError("the server answered with an empty page, not a feed")
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            why = " ".join(str(problem).split())[:100] if problem else "unreadable"
            raise SourceError(f"not a readable feed ({why})")
        raise SourceError("not a feed (no RSS, Atom or JSON Feed found)")
    feed_lang = _lang(parsed.get("feed", {}).get("language"))
    posts: list[Post] = []
    for entry in entries:
        try:
            post = _entry_to_post(
                entry, source, feed_url, unwrap, feed_lang, fetched_at, page_url or feed_url
            )
        except item_errors:
            post = None  # one malformed entry costs only itself
        if post is not None:
            posts.append(post)
    if not posts and parsed.get("bozo"):
        # Broken XML that the lenient parser turned into nothing: say so, rather
        # than report a healthy empty feed.
        problem = parsed.get("bozo_exception")
        why = " ".join(str(problem).split())[:100] if problem else "unreadable"
        raise SourceError(f"not a readable feed ({why})")
    return posts


_LINK_TAG = re.compile(rb"<link\b[^>]{0,2000}>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_FEED_TYPES = (b"application/rss+xml", b"application/atom+xml", b"application/feed+json")


def feed_link(page: bytes, page_url: str) -> str:
    """The feed a web page names in `<link rel="alternate" type="application/rss+xml">`.

    Users paste a blog's address rather than its feed's: the error then says
    which URL to use instead of only that this one is wrong.
    """
    for tag in _LINK_TAG.finditer(page[: 256 * 1024]):
        attrs: dict[bytes, bytes] = {}
        for m in _ATTR.finditer(tag.group(0)):
            attrs[m.group(1).lower()] = m.group(2) or m.group(3) or m.group(4) or b""
        rel = attrs.get(b"rel", b"").lower().split()
        kind = attrs.get(b"type", b"").lower().strip()
        if b"alternate" not in rel or kind not in _FEED_TYPES:
            continue
        href = html.unescape(attrs.get(b"href", b"").decode("utf-8", "replace")).strip()
        url = safe_url(urljoin(page_url, href) if page_url else href)
        if url and len(url) <= 300:
            return url
    return ""


def _feedparse(data: bytes, headers: dict[str, str]) -> Any:
    return feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,  # we strip all markup ourselves
        resolve_relative_uris=False,
    )


# Character references to UTF-16 surrogates are not characters: feedparser dies
# encoding them, so they go before it sees them.
_SURROGATE_REF = re.compile(rb"&#(?:[xX]0*([dD][89a-fA-F][0-9a-fA-F]{2})|0*(5[5-7][0-9]{3}));")


def _drop_surrogate_ref(m: re.Match[bytes]) -> bytes:
    value = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return b"\xef\xbf\xbd" if 0xD800 <= value <= 0xDFFF else m.group(0)  # U+FFFD


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TOKENS = re.compile(
    r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|<!.*?>"
    r"|<(/?)([A-Za-z_][\w:.-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.DOTALL,
)


def _repair(data: bytes) -> bytes:
    """A last-chance copy of a feed that crashed the parser.

    Decoded as UTF-8 (bad bytes replaced) under a plain declaration, and with
    end tags that close nothing open removed, which is what made feedparser's
    element handlers raise.
    """
    text = data.decode("utf-8", errors="replace")
    text = _XML_DECL.sub("", text, count=1)
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in _TOKENS.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        closing, name, _attrs, selfclosing = m.group(1), m.group(2), m.group(3), m.group(4)
        if name is None or selfclosing:
            out.append(m.group(0))
        elif not closing:
            stack.append(name)
            out.append(m.group(0))
        elif name in stack:
            while stack and stack.pop() != name:
                pass
            out.append(m.group(0))
        # else: a stray end tag, dropped
    out.append(text[pos:])
    return ('<?xml version="1.0" encoding="utf-8"?>' + "".join(out)).encode("utf-8")


def _absolute(href: Any, base: str) -> str:
    """An entry's link made absolute against the feed's own URL, then checked.

    RSS has no xml:base, and static site generators write `<link>/posts/1</link>`:
    left relative, the mention would have no link to open, reply to or dedupe by.
    """
    if not isinstance(href, str) or not href.strip():
        return ""
    if base and "://" not in href[:12]:
        try:
            href = urljoin(base, href.strip())
        except ValueError:
            return ""
    return safe_url(href)


def _entry_to_post(
    entry: Any,
    source: str,
    feed_url: str,
    unwrap: bool,
    feed_lang: str,
    fetched_at: datetime,
    base: str = "",
) -> Post | None:
    link = _absolute(entry.get("link"), base)
    if not link:
        for alt in entry.get("links") or []:
            if isinstance(alt, dict) and alt.get("rel", "alternate") == "alternate":
                link = _absolute(alt.get("href"), base)
                if link:
                    break
    if unwrap and link:
        link = unwrap_redirect(link)
    title = html_to_text(entry.get("title") or "")[:MAX_TITLE]
    body = _entry_text(entry)[:MAX_TEXT]
    if not title and not body and not link:
        return None
    if title and body and not body.startswith(title):
        text = f"{title}\n\n{body}"
    else:
        text = body or title or link
    guid = str(entry.get("id") or entry.get("guid") or "").strip()
    canon = canonical_url(link)
    if guid and _is_global_id(guid):
        key = guid
    elif guid:
        key = f"{feed_url}#{guid}"
    elif canon:
        key = canon
    else:
        key = f"{feed_url}#{title}#{body[:200]}"
    created = sane_time(
        entry.get("published_dt")
        or _struct_to_dt(_raw(entry, "published_parsed"))
        or _struct_to_dt(_raw(entry, "updated_parsed"))
        or _struct_to_dt(_raw(entry, "created_parsed")),
        fetched_at,
    )
    author = _author(entry)
    host = urlsplit(link).hostname or ""
    if author.startswith("/u/"):  # Reddit
        author = author[3:]
    if not author:
        author = _fediverse_author(link)
    extra: dict[str, Any] = {"feed_url": feed_url}
    if canon:
        extra["canonical_url"] = canon
    comments = _absolute(entry.get("comments"), base)
    if comments:
        extra["comments_url"] = comments
    if host:
        extra["site"] = host
    return Post(
        id=f"feed:{short_hash(key)}",
        text=text,
        source=source,
        source_kind="feed",
        author=author,
        title=title,
        url=link,
        created_at=created,
        lang=_lang(entry.get("language")) or feed_lang,
        remote_id=guid[:500],
        extra=extra,
    )


def _parse_json_feed(
    data: bytes, source: str, feed_url: str, unwrap: bool, fetched_at: datetime
) -> list[Post]:
    """JSON Feed 1/1.1 (feedparser 6 does not read it), mapped onto feed entries."""
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        raise SourceError("not a readable feed (invalid JSON)") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise SourceError("not a feed (JSON without a JSON Feed version)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise SourceError("not a feed (JSON Feed without items)")
    feed_lang = _lang(doc.get("language"))
    feed_author = _json_author(doc)
    posts: list[Post] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        entry = {
            "id": as_str(item.get("id"), 2000),
            "link": as_str(item.get("url"), 2000) or as_str(item.get("external_url"), 2000),
            "title": as_str(item.get("title")),
            "content": [
                {"value": as_str(item.get("content_html")) or as_str(item.get("content_text"))}
            ],
            "summary": as_str(item.get("summary")),
            "author": _json_author(item) or feed_author,
            "language": as_str(item.get("language"), 16),
            "published_dt": parse_time(item.get("date_published"))
            or parse_time(item.get("date_modified")),
        }
        try:
            post = _entry_to_post(entry, source, feed_url, unwrap, feed_lang, fetched_at)
        except item_errors:
            post = None  # one malformed item costs only itself
        if post is not None:
            posts.append(post)
    return posts


def _json_author(obj: dict[str, Any]) -> str:
    """JSON Feed 1.0 `author` or 1.1 `authors[0]`, when they hold a name string."""
    author = obj.get("author")
    if not isinstance(author, dict):
        authors = as_list(obj.get("authors"))
        author = authors[0] if authors else None
    return as_str(as_dict(author).get("name"), 300)
