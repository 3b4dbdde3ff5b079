"""`Mention = Post + Verdict + triage state`: what the store keeps and the panes show."""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rules.verdict import Reason, Sentiment, Verdict
from sources.models import Post

__all__ = ["CLOSED_STATES", "Mention", "Reply", "STATES"]

# open: in the queue; done: handled; spam: marked spam; snoozed: hidden until a time
# or until the author writes again; muted: hidden by a rule or a muted author (kept, counted).
STATES = ("open", "done", "spam", "snoozed", "muted")
CLOSED_STATES = frozenset({"done", "spam"})


_POST_DEFAULTS: dict[str, Any] = {
    f.name: (f.default if f.default is not dataclasses.MISSING else None)
    for f in dataclasses.fields(Post)
}


# post fields whose values repeat across mentions: shared at load (see _intern)
_POST_SHARED = ("source", "source_kind", "lang", "author", "author_id")


def _post_doc(post: Post) -> dict[str, Any]:
    """The post without its default-valued fields: 100,000 of these are stored."""
    d: dict[str, Any] = {
        "id": post.id,
        "text": post.text,
        "created_at": post.created_at.isoformat(),
    }
    for name, default in _POST_DEFAULTS.items():
        if name in d:
            continue
        v = getattr(post, name)
        if v != default and v != {}:
            d[name] = v
    return d


def _verdict_doc(v: Verdict) -> dict[str, Any]:
    """Compact: sentiment as [compound, label], reasons as [rule, effect, matched]."""
    d: dict[str, Any] = {
        "category": v.category,
        "labels": list(v.labels),
        "sentiment": [round(v.sentiment.compound, 4), v.sentiment.label],
        "language": v.language,
        "priority": round(v.priority, 4),
    }
    if v.sla_minutes is not None:
        d["sla_minutes"] = v.sla_minutes
    if v.deadline is not None:
        d["deadline"] = v.deadline.isoformat()
    if v.reasons:
        d["reasons"] = [[r.rule, r.effect, r.matched] for r in v.reasons]
    for flag in ("spam", "muted"):
        if getattr(v, flag):
            d[flag] = True
    if v.boost:
        d["boost"] = v.boost
    return d


def _intern(value: Any) -> Any:
    """One string object for the values that repeat across thousands of mentions.

    Categories, labels, languages, rule names and source names come from a
    small vocabulary; decoding gives each mention its own copies (~50 bytes
    each), interning shares them. Interned strings are freed when unused.
    """
    return sys.intern(value) if type(value) is str else value


def _verdict_from_doc(d: dict[str, Any]) -> Verdict:
    s = d.get("sentiment")
    if isinstance(s, dict):  # the long form (`Verdict.to_dict`) that earlier versions stored
        return Verdict.from_dict(d)
    if isinstance(s, list) and len(s) == 2:
        compound, label = float(s[0]), str(s[1])
    else:
        compound, label = 0.0, "neutral"
    raw = d.get("reasons")
    reasons = tuple(
        Reason(*(_intern(str(x)) for x in r[:3]))
        for r in (raw if isinstance(raw, list) else ())
        if isinstance(r, list) and len(r) >= 2
    )
    dl = d.get("deadline")
    return Verdict(
        category=_intern(d.get("category", "other")),
        labels=tuple(map(_intern, d.get("labels", ()))),
        sentiment=Sentiment(compound, _intern(label)),
        language=_intern(d.get("language", "und")),
        priority=float(d.get("priority", 0.0)),
        sla_minutes=d.get("sla_minutes"),
        reasons=reasons,
        spam=bool(d.get("spam", False)),
        muted=bool(d.get("muted", False)),
        boost=float(d.get("boost", 0.0)),
        deadline=datetime.fromisoformat(dl) if isinstance(dl, str) else None,
    )


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(slots=True)
class Reply:
    """A reply the team sent (or recorded as sent by hand)."""

    text: str
    at: datetime
    by: str
    via: str  # mastodon | bluesky | manual
    remote_id: str = ""
    url: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "at": self.at.isoformat(),
            "by": self.by,
            "via": self.via,
            "remote_id": self.remote_id,
            "url": self.url,
        }

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> Reply:
        return cls(
            text=d.get("text", ""),
            at=datetime.fromisoformat(d["at"]),
            by=d.get("by", ""),
            via=d.get("via", ""),
            remote_id=d.get("remote_id", ""),
            url=d.get("url", ""),
        )


@dataclass(slots=True)
class Mention:
    post: Post
    verdict: Verdict
    first_seen: datetime
    state: str = "open"
    sources: list[str] = field(default_factory=list)  # every source that carried it
    cluster: str = ""  # id of the cluster's first mention; "" when alone
    snooze_until: datetime | None = None
    snooze_until_author: bool = False  # wake when the same author writes again
    assignee: str = ""
    closed_at: datetime | None = None
    state_by: str = ""  # what closed or hid it: "user", "rule", "author-muted"
    first_response_at: datetime | None = None
    replies: list[Reply] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.post.id

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def response_minutes(self) -> float | None:
        if self.first_response_at is None:
            return None
        return (self.first_response_at - self.post.created_at).total_seconds() / 60.0

    def sla_deadline(self) -> datetime | None:
        from datetime import timedelta

        if self.verdict.sla_minutes is None:
            return None
        return self.first_seen + timedelta(minutes=self.verdict.sla_minutes)

    def state_doc(self) -> dict[str, Any]:
        """Every triage field, defaults included: what undo restores."""
        return {
            "state": self.state,
            "sources": list(self.sources),
            "cluster": self.cluster,
            "snooze_until": _iso(self.snooze_until),
            "snooze_until_author": self.snooze_until_author,
            "assignee": self.assignee,
            "closed_at": _iso(self.closed_at),
            "state_by": self.state_by,
            "first_response_at": _iso(self.first_response_at),
            "replies": [r.to_doc() for r in self.replies],
        }

    def to_doc(self) -> dict[str, Any]:
        """The stored form: fields at their default are left out (100,000 are kept)."""
        d: dict[str, Any] = {
            "post": _post_doc(self.post),
            "verdict": _verdict_doc(self.verdict),
            "first_seen": self.first_seen.isoformat(),
        }
        for k, v in self.state_doc().items():
            if v or k == "state":
                d[k] = v
        return d

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> Mention:
        post = d["post"]
        shared = {k: _intern(post[k]) for k in _POST_SHARED if k in post}
        return cls(
            post=Post.from_dict({**post, **shared} if shared else post),
            verdict=_verdict_from_doc(d["verdict"]),
            first_seen=datetime.fromisoformat(d["first_seen"]),
            state=_intern(d.get("state") or "open"),
            sources=[_intern(s) for s in d.get("sources") or []],
            cluster=d.get("cluster") or "",
            snooze_until=_dt(d.get("snooze_until")),
            snooze_until_author=bool(d.get("snooze_until_author")),
            assignee=_intern(d.get("assignee") or ""),
            closed_at=_dt(d.get("closed_at")),
            state_by=_intern(d.get("state_by") or ""),
            first_response_at=_dt(d.get("first_response_at")),
            replies=[Reply.from_doc(r) for r in d.get("replies") or []],
        )
