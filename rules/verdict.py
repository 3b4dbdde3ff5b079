"""What the rules say about a post: the `Verdict`, and the shape of a post they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

__all__ = ["PostLike", "Reason", "Sentiment", "TextPost", "Verdict"]


class PostLike(Protocol):
    """Anything shaped like a post. `rules` never imports `sources`."""

    @property
    def text(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def followers(self) -> int: ...
    @property
    def lang(self) -> str: ...
    @property
    def source_kind(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def is_reply(self) -> bool: ...


@dataclass
class TextPost:
    """The smallest thing the rules classify: text plus what a JSON line may carry.

    Used by `veille classify`, `veille rules test`, the evaluation script, the
    benchmark and tests, which have text but no source `Post`.
    """

    text: str
    title: str = ""
    author: str = ""
    followers: int = 0
    lang: str = ""
    source_kind: str = ""
    url: str = ""
    is_reply: bool = False
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass(frozen=True, slots=True)
class Sentiment:
    compound: float  # in [-1, 1]
    label: str  # negative | neutral | positive


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule fired: the rule's id, the label or effect, and what matched."""

    rule: str
    effect: str  # e.g. "label:question", "priority*2", "spam", "mute"
    matched: str = ""  # the words or pattern that matched, shown to the user

    def __str__(self) -> str:
        return f"{self.rule}: {self.effect}" + (f" ({self.matched})" if self.matched else "")


@dataclass(frozen=True, slots=True)
class Verdict:
    category: str  # first label in queue order, or "other"
    labels: tuple[str, ...]
    sentiment: Sentiment
    language: str  # "en" | "fr" | "ar" | ... | "und"
    priority: float  # base priority from rules; time-waited is added by the queue
    sla_minutes: int | None  # response-time target for the category, None = no target
    reasons: tuple[Reason, ...] = ()
    spam: bool = False
    muted: bool = False
    boost: float = 0.0  # additive boost from rules (already inside priority)
    extra: dict[str, Any] = field(default_factory=dict)
    deadline: datetime | None = None  # created_at + SLA: when a first answer is due

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "labels": list(self.labels),
            "sentiment": {"compound": self.sentiment.compound, "label": self.sentiment.label},
            "language": self.language,
            "priority": self.priority,
            "sla_minutes": self.sla_minutes,
            "reasons": [str(r) for r in self.reasons],
            "reason_details": [
                {"rule": r.rule, "effect": r.effect, "matched": r.matched} for r in self.reasons
            ],
            "spam": self.spam,
            "muted": self.muted,
            "boost": self.boost,
            "deadline": self.deadline.isoformat() if self.deadline is not None else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Verdict:
        s = d.get("sentiment") or {}
        reasons = tuple(
            Reason(r.get("rule", ""), r.get("effect", ""), r.get("matched", ""))
            for r in d.get("reason_details", [])
        )
        return cls(
            category=d.get("category", "other"),
            labels=tuple(d.get("labels", ())),
            sentiment=Sentiment(float(s.get("compound", 0.0)), s.get("label", "neutral")),
            language=d.get("language", "und"),
            priority=float(d.get("priority", 0.0)),
            sla_minutes=d.get("sla_minutes"),
            reasons=reasons,
            spam=bool(d.get("spam", False)),
            muted=bool(d.get("muted", False)),
            boost=float(d.get("boost", 0.0)),
            deadline=_when(d.get("deadline")),
        )


def _when(value: Any) -> datetime | None:
    """A stored deadline back as a datetime; anything unreadable is no deadline."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
