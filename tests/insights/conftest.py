"""Hand-built mentions for the insights tests: every figure is known in advance."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from inbox.model import Mention
from rules.verdict import Reason, Sentiment, Verdict
from sources.models import Post

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
SLA = {"question": 30, "complaint": 60}
CATS = ("question", "complaint", "suggestion", "praise", "other")


def verdict(category: str = "other", compound: float = 0.0, lang: str = "en") -> Verdict:
    label = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
    return Verdict(
        category=category,
        labels=(category,) if category != "other" else (),
        sentiment=Sentiment(compound, label),
        language=lang,
        priority=1.0,
        sla_minutes=SLA.get(category),
        reasons=(Reason("test", f"label:{category}"),),
    )


def mention(
    mid: str,
    text: str,
    *,
    at: datetime,
    category: str = "other",
    compound: float = 0.0,
    lang: str = "en",
    author: str = "someone",
    followers: int = 0,
    kind: str = "mastodon",
    state: str = "open",
    cluster: str = "",
    answered_after: float | None = None,
    seen_after: float = 0.0,
    **post: Any,
) -> Mention:
    """A mention posted at `at`, seen `seen_after` minutes later, answered after N minutes."""
    p = Post(
        id=mid,
        text=text,
        source=f"{kind}:test",
        source_kind=kind,
        author=author,
        created_at=at,
        followers=followers,
        url=f"https://example.test/{mid}",
        remote_id=f"r-{mid}",
        **post,
    )
    m = Mention(
        post=p,
        verdict=verdict(category, compound, lang),
        first_seen=at + timedelta(minutes=seen_after),
        state=state,
        cluster=cluster,
    )
    if answered_after is not None:
        m.first_response_at = at + timedelta(minutes=answered_after)
        if state == "open":
            m.state = "done"
        m.closed_at = m.first_response_at
    elif state in ("done", "spam"):
        m.closed_at = at
    return m


class FakeRules:
    """Rules that read the category, sentiment and language from the post's `extra`."""

    categories = CATS

    def sla_minutes(self, category: str) -> int | None:
        return SLA.get(category)

    def classify(self, post: Any) -> Verdict:
        e = post.extra or {}
        return verdict(e.get("category", "other"), e.get("compound", 0.0), e.get("lang", "en"))

    def urgency(
        self, verdict: Verdict, waited_minutes: float, followers: int = 0, seen_before: int = 0
    ) -> float:
        return verdict.priority + waited_minutes / 60.0
