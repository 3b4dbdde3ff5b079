"""Sending a reply: each mention through its own source, recorded when it went out.

Kept apart from the console so it is testable without a UI and runs in a
worker thread (every call here may block on the network). A cluster row's
reply answers each member through the member's own source. Channels with a
reply API (Mastodon, Bluesky) send and are recorded at once; channels without
one (feeds, Hacker News) come back as `manual`: the console opens the post
with the draft on the clipboard and records the reply once the user confirms.
A failure keeps the draft and is reported in one line.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from inbox.config import Config
from inbox.model import Reply
from inbox.service import Inbox
from sources.models import Post

__all__ = [
    "ChannelFor",
    "SendReport",
    "confirm_manual",
    "one_line_error",
    "send_reply",
    "source_config",
]

ChannelFor = Callable[[Post, Any], Any]


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # recorded as replied
    manual: list[tuple[str, str]] = field(default_factory=list)  # (id, url) to do by hand
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, why, one line)

    @property
    def ok(self) -> bool:
        return not self.failed


def one_line_error(exc: BaseException, limit: int = 200) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:limit]


def source_config(config: Config, source_name: str) -> dict[str, Any]:
    """The `[[source]]` table a mention came from (named as `build_sources` names it)."""
    for i, raw in enumerate(config.sources):
        kind = str(raw.get("kind", "") or "source")
        name = raw.get("name")
        if not name:
            name = f"{kind}:{i + 1}"
            for key in ("tag", "query", "preset", "url", "handle"):
                value = raw.get(key)
                if isinstance(value, str) and value:
                    name = f"{kind}:{value}"
                    break
        if name == source_name:
            return dict(raw)
    return {}


def _default_channel_for() -> ChannelFor:
    from sources.replies import channel_for

    return channel_for  # type: ignore[no-any-return]


def send_reply(
    inbox: Inbox,
    ids: Iterable[str],
    text: str,
    *,
    by: str,
    draft_id: str | None = None,
    channel_for: ChannelFor | None = None,
) -> SendReport:
    """Send `text` as a reply to every mention in `ids`, each via its own channel."""
    report = SendReport()
    if not text.strip():
        report.failed.append(("", "the draft is empty"))
        return report
    try:
        pick = channel_for or _default_channel_for()
    except ImportError as exc:
        report.failed.append(("", f"sending is not available: {one_line_error(exc)}"))
        return report
    for mid in dict.fromkeys(ids):
        m = inbox.get(mid)
        if m is None:
            continue
        try:
            channel = pick(m.post, source_config(inbox.config, m.post.source))
            result = channel.send(m.post, text)
            if inspect.isawaitable(result):
                result = asyncio.run(_await(result))
        except Exception as exc:  # one failed member must not stop the others
            report.failed.append((mid, one_line_error(exc)))
            continue
        if getattr(result, "manual", False):
            report.manual.append((mid, str(getattr(result, "url", "") or m.post.url)))
            continue
        reply = Reply(
            text=text,
            at=inbox.clock(),
            by=by,
            via=m.post.source_kind,
            remote_id=str(getattr(result, "remote_id", "") or ""),
            url=str(getattr(result, "url", "") or ""),
        )
        inbox.record_reply([mid], reply)
        report.sent.append(mid)
    if (report.failed or report.manual) and draft_id is not None:
        inbox.save_draft(draft_id, text)  # the draft stays until every member is answered
    return report


async def _await(aw: Any) -> Any:
    return await aw


def confirm_manual(
    inbox: Inbox, ids: Iterable[str], text: str, *, by: str, url: str = ""
) -> list[str]:
    """The user replied by hand (in the browser): record it like any reply."""
    return inbox.record_reply(
        list(ids), Reply(text=text, at=inbox.clock(), by=by, via="manual", url=url)
    )
