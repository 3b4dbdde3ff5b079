"""Turning web text into plain, safe text; URLs into canonical ones.

Everything a source hands on is plain text: no markup, no entities, no
terminal control sequences (text from the internet is never allowed to drive
the terminal), whitespace folded. URLs are kept only when http/https, and a
canonical form (tracking parameters stripped) lets the inbox recognise the
same article reached through different feeds.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "html_to_text",
    "clean_text",
    "canonical_url",
    "unwrap_redirect",
    "strip_dtd",
    "short_hash",
    "safe_url",
]

_BLOCK_TAGS = frozenset(
    "p br div li ul ol tr td th h1 h2 h3 h4 h5 h6 blockquote pre hr section article".split()
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript"})
# C0/C1 controls (ESC, BEL, CSI...) and bidi overrides that can disguise text.
# Lone surrogates (a JSON "\\ud800" escape) are not text: they cannot be encoded for
# the terminal or a regex engine, so they go too.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_WS = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def clean_text(text: str) -> str:
    """Decode entities, drop control characters, fold whitespace."""
    if not text:
        return ""
    text = unescape(text)
    text = _CONTROL.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text).strip()


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags gone, entities decoded, folded."""
    if not html:
        return ""
    if "<" not in html:
        return clean_text(html)
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; a failure here must not lose the post
        return clean_text(re.sub(r"<[^>]*>", " ", html))
    # convert_charrefs already decoded entities once; clean_text must not decode
    # a literal "&amp;lt;" a second time, so only fold and strip controls here.
    text = "".join(parser.parts)
    text = _CONTROL.sub(" ", text)
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def safe_url(url: str | None) -> str:
    """The URL when it is http(s) with a host, else empty."""
    if not url:
        return ""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    if _CONTROL.search(url) or any(c.isspace() for c in url):
        return ""
    return url


_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src|ref_url|"
    r"_hsenc|_hsmi|yclid|oly_\w+|vero_\w+|wt\.mc_id|spm)$",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, default port, fragment and tracking params gone."""
    url = safe_url(url)
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = (
        host
        if port is None or (scheme, port) in (("http", 80), ("https", 443))
        else (f"{host}:{port}")
    )
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def unwrap_redirect(url: str) -> str:
    """The real target of a google.com/url?…&url=TARGET (Google Alerts) link."""
    url = safe_url(url)
    if not url:
        return ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if (host == "google.com" or host.endswith(".google.com")) and parts.path == "/url":
        params = dict(parse_qsl(parts.query))
        target = params.get("url") or params.get("q") or ""
        return safe_url(target) or url
    return url


# A DOCTYPE with an internal subset may contain '>' inside quoted entity values,
# so match quoted strings explicitly rather than stopping at the first '>'.
_QUOTED = rb"(?:\"[^\"]*\"|'[^']*')"
_DOCTYPE = re.compile(
    rb"<!DOCTYPE(?:[^\[>\"']|" + _QUOTED + rb")*(?:\[(?:[^\]\"']|" + _QUOTED + rb")*\]\s*)?>",
    re.IGNORECASE | re.DOTALL,
)
_ENTITY = re.compile(rb"<!ENTITY(?:[^>\"']|" + _QUOTED + rb")*>", re.IGNORECASE | re.DOTALL)
_LEFTOVER = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def strip_dtd(data: bytes) -> bytes:
    """Remove DOCTYPE and ENTITY declarations before any XML parser sees the bytes.

    Entity expansion (billion laughs, one huge entity repeated, external
    entities) is the XML attack surface; feeds never need a DTD. Returns the
    bytes with declarations removed; raises ValueError when a declaration
    survives (malformed on purpose), so the caller refuses the document.
    """
    if b"<!" not in data:
        return data
    out = _DOCTYPE.sub(b"", data)
    out = _ENTITY.sub(b"", out)
    if _LEFTOVER.search(out):
        raise ValueError("a DOCTYPE or ENTITY declaration could not be removed")
    return out


def short_hash(*parts: str, length: int = 20) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return h[:length]
