"""OPML import: the feed list every reader exports, as `[[source]]` tables.

Parsed with the standard library's expat after DOCTYPE/ENTITY declarations
are removed, so no entity is ever expanded (billion laughs, external files).
Only http/https feed URLs are kept, each once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sources.text import clean_text, safe_url, strip_dtd

__all__ = ["OpmlError", "parse_opml", "read_opml"]

MAX_OPML = 5 * 1024 * 1024


class OpmlError(ValueError):
    """An OPML file that cannot be read: one line naming the problem."""


def read_opml(path: str | Path, refused: list[str] | None = None) -> list[dict[str, Any]]:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_OPML:
            raise OpmlError(f"{p}: {size // 1024} KiB is too large for an OPML file")
        data = p.read_bytes()
    except OSError as exc:
        raise OpmlError(f"{p}: {exc.strerror or exc}") from None
    return parse_opml(data, origin=str(p), refused=refused)


def _feed_scheme(url: str) -> str:
    """`feed://host/x` is http://host/x and `feed:https://...` the link inside (readers
    export both); anything else is returned as it is."""
    u = url.strip()
    if u[:5].lower() != "feed:":
        return u
    rest = u[5:]
    if rest.lower().startswith(("http://", "https://")):
        return rest
    return "http:" + rest if rest.startswith("//") else u


def parse_opml(
    data: bytes, origin: str = "OPML", refused: list[str] | None = None
) -> list[dict[str, Any]]:
    """Source config dicts ({"kind": "feed", "name", "url"}) for each feed outline.

    Outlines whose feed link is not http(s) are left out; `refused` collects those links.
    """
    try:
        safe = strip_dtd(data.lstrip(b"\r\n\t "))
    except ValueError as exc:
        raise OpmlError(f"{origin}: refused: {exc}") from None
    try:
        root = ET.fromstring(safe)
    except ET.ParseError as exc:
        raise OpmlError(f"{origin}: not readable XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"{origin}: not an OPML file (root element <{root.tag}>)")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    used_names: set[str] = set()
    for outline in root.iter("outline"):
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        raw = attrs.get("xmlurl")
        url = safe_url(_feed_scheme(raw or ""))
        if raw and raw.strip() and not url and refused is not None:
            refused.append(clean_text(raw)[:200])
        if not url or url in seen:
            continue
        seen.add(url)
        title = clean_text(attrs.get("title") or attrs.get("text") or "")[:80] or url
        name = title
        n = 2
        while name in used_names:
            name = f"{title} ({n})"
            n += 1
        used_names.add(name)
        out.append({"kind": "feed", "name": name, "url": url})
    return out
