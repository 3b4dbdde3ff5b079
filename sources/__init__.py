"""Everything that talks to the network: sources, the poller, reply channels, credentials.

`Post` and the `Source` base import nothing heavy; the rest (httpx, feedparser)
loads on first use, so `import sources.models` stays cheap for the inbox.
"""

from __future__ import annotations

import importlib
from typing import Any

from sources.base import PollResult, Source, SourceError
from sources.models import Post, utcnow

_LAZY = {
    "Poller": "sources.poller",
    "PollReport": "sources.poller",
    "build_sources": "sources.poller",
    "SOURCE_KINDS": "sources.poller",
    "FeedSource": "sources.feed",
    "parse_feed": "sources.feed",
    "MastodonSource": "sources.mastodon",
    "BlueskySource": "sources.bluesky",
    "HackerNewsSource": "sources.hackernews",
    "DemoSource": "sources.demo",
    "load_demo_posts": "sources.demo",
    "ReplyChannel": "sources.replies",
    "ReplyResult": "sources.replies",
    "ReplyError": "sources.replies",
    "channel_for": "sources.replies",
    "CredentialError": "sources.auth",
    "get_secret": "sources.auth",
    "set_secret": "sources.auth",
    "delete_secret": "sources.auth",
    "parse_opml": "sources.opml",
    "OpmlError": "sources.opml",
}

__all__ = ["Post", "PollResult", "Source", "SourceError", "utcnow", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sources' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
