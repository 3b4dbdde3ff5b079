"""The `Post`: what every source turns the outside world into.

A post is immutable, plain data, and carries nothing that needs the network to
make sense of. Everything downstream (rules, inbox, tui) reads posts; only
`sources/` makes them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

__all__ = ["Post", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Post:
    """One message seen on one source.

    `id` is stable across polls for the same remote item ("kind:remote-id" or a
    hash of the canonical URL), so the inbox can deduplicate by it.
    """

    id: str
    text: str
    source: str = "ingest"  # the configured source's name, e.g. "mastodon:#acme"
    source_kind: str = "ingest"  # feed | mastodon | bluesky | hackernews | demo | ingest
    author: str = ""  # handle or display name as the source gives it
    author_id: str = ""  # stable account id on the source, when known
    title: str = ""
    url: str = ""
    created_at: datetime = field(default_factory=utcnow)
    followers: int = 0
    lang: str = ""  # as declared by the source, may be empty
    remote_id: str = ""  # id on the source's own API (for replies)
    in_reply_to: str = ""  # remote id of the parent post, when this is a reply
    reply_root: str = ""  # remote id/uri of the thread root (Bluesky needs it)
    reply_cid: str = ""  # Bluesky content id of this post
    repost_of: str = ""  # canonical URL or id of the original when a boost/repost
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_reply(self) -> bool:
        return bool(self.in_reply_to)

    @property
    def has_link(self) -> bool:
        return bool(self.url) and ("http://" in self.text or "https://" in self.text)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["created_at"] = self.created_at.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Post:
        names = {f.name for f in dataclasses.fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        ca = kw.get("created_at")
        if isinstance(ca, str):
            kw["created_at"] = datetime.fromisoformat(ca)
        return cls(**kw)
