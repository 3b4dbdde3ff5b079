"""A first, small rule engine: replaced by the full TOML engine, same API."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from rules.verdict import PostLike, Reason, Sentiment, Verdict

DEFAULT_ORDER = ("question", "complaint", "suggestion", "praise", "other")


@dataclass(frozen=True)
class RuleError:
    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


_WORDS = {
    "complaint": re.compile(r"\b(broken|worst|refund|terrible|awful|nul|panne|bug)\b", re.I),
    "suggestion": re.compile(r"\b(please add|would be nice|should|suggest|proposez)\b", re.I),
    "praise": re.compile(r"\b(love|great|awesome|merci|bravo|génial)\b", re.I),
    "spam": re.compile(r"\b(check out my channel|subscribe|free money)\b", re.I),
}


@dataclass
class RuleSet:
    categories: tuple[str, ...] = DEFAULT_ORDER
    sla: dict[str, int] = field(default_factory=lambda: {"question": 15, "complaint": 15})
    errors: list[RuleError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def sla_minutes(self, category: str) -> int | None:
        return self.sla.get(category)

    def classify(self, post: PostLike) -> Verdict:
        text = post.text or ""
        labels: list[str] = []
        reasons: list[Reason] = []
        if "?" in text or "؟" in text:
            labels.append("question")
            reasons.append(Reason("question-mark", "label:question", "?"))
        for label, rx in _WORDS.items():
            m = rx.search(text)
            if m:
                labels.append(label)
                reasons.append(Reason(f"{label}-words", f"label:{label}", m.group(0)))
        comp = self._vader.polarity_scores(text)["compound"]
        lab = "positive" if comp >= 0.05 else "negative" if comp <= -0.05 else "neutral"
        ordered = [c for c in self.categories if c in labels]
        category = ordered[0] if ordered else "other"
        spam = "spam" in labels
        return Verdict(
            category=category,
            labels=tuple(labels),
            sentiment=Sentiment(comp, lab),
            language=post.lang or "und",
            priority=1.0,
            sla_minutes=self.sla_minutes(category),
            reasons=tuple(reasons),
            spam=spam,
        )


def load_rules(dirs: list[Path] | None = None, active: list[str] | None = None) -> RuleSet:
    return RuleSet()


def urgency(verdict: Verdict, waited_minutes: float, followers: int = 0, seen_before: int = 0) -> float:
    """Priority inside a category, rising with time waited against the SLA."""
    sla = verdict.sla_minutes or 60
    return verdict.priority + waited_minutes / sla
