"""Sentiment per language on one scale: VADER's compound in [-1, 1].

English (and anything we cannot place) goes through `FastVader`, which returns
exactly VADER's numbers; French through vadersentiment-fr's lexicon; Arabic through
veille's own lexicon (`rules.arabic`). Rule packs may add words per language and set
the thresholds that turn a compound into negative / neutral / positive.
"""

from __future__ import annotations

import contextlib
import io
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

from rules.arabic import ArabicSentiment
from rules.vader_fast import FastVader
from rules.verdict import Sentiment

__all__ = ["SentimentScorer", "Thresholds"]


@dataclass(frozen=True)
class Thresholds:
    """compound >= positive is positive, <= negative is negative, else neutral."""

    positive: float = 0.05
    negative: float = -0.05

    def label(self, compound: float) -> str:
        if compound >= self.positive:
            return "positive"
        if compound <= self.negative:
            return "negative"
        return "neutral"


_FR_LOCK = threading.Lock()
_FR_BASE: Any = None


def _french_base() -> Any:
    """vadersentiment-fr, imported once and quietly (it warns about fuzzywuzzy on import)."""
    global _FR_BASE
    with _FR_LOCK:
        if _FR_BASE is None:
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                from vaderSentiment_fr.vaderSentiment import (  # type: ignore[import-untyped]
                    SentimentIntensityAnalyzer,
                )

                _FR_BASE = SentimentIntensityAnalyzer()
        return _FR_BASE


@dataclass
class SentimentScorer:
    thresholds: dict[str, Thresholds] = field(default_factory=dict)
    words: dict[str, dict[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._en = FastVader()
        if self.words.get("en"):
            self._en.lexicon = {
                **self._en.lexicon,
                **{k.lower(): v for k, v in self.words["en"].items()},
            }
        self._ar = ArabicSentiment(self.words.get("ar"))
        self._fr_extra = {k.lower(): v for k, v in self.words.get("fr", {}).items()}
        self._default = self.thresholds.get("*", Thresholds())

    def compound(self, text: str, lang: str) -> float:
        if lang == "ar":
            return self._ar.compound(text)
        if lang == "fr":
            return self._french(text)
        return float(self._en.polarity_scores(text)["compound"])

    def _french(self, text: str) -> float:
        base = _french_base()
        score = float(base.polarity_scores(text)["compound"])
        if self._fr_extra:
            extra = sum(self._fr_extra.get(w.strip(".,!?;:").lower(), 0.0) for w in text.split())
            if extra:
                # Fold the extra words in on VADER's scale: undo the normalisation,
                # add, normalise again.
                raw = (
                    score * 15**0.5 / max(1e-9, (1 - score * score)) ** 0.5 if abs(score) < 1 else 0
                )
                total = raw + extra
                score = max(-1.0, min(1.0, total / (total * total + 15) ** 0.5))
        return score

    def score(self, text: str, lang: str) -> Sentiment:
        c = round(self.compound(text, lang), 4)
        return Sentiment(c, self.thresholds.get(lang, self._default).label(c))
