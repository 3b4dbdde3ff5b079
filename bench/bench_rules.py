"""Rules throughput: a whole verdict (default packs) against bare VADER, side by side.

The issue's bar: classifying a post with every default rule, language detection and
sentiment must cost no more than VADER's `polarity_scores` alone on the same text.
Also FastVader against VADER (same scores, goal >= 3x). Texts come from
../shared/data when present (English tweets, and the three-language mix), otherwise
from a small built-in set repeated.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from rules import FastVader, TextPost, load_rules

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

FALLBACK = [
    "@acme my order never arrived and nobody answers, this is ridiculous",
    "How do I change the delivery address on my account?",
    "Loving the new update, great job team!",
    "It would be nice to have a dark mode in the app",
    "Ma commande est toujours en retard, aucune réponse du service client",
    "الخدمة سيئة جدا والتوصيل متأخر",
    "Check out my channel and subscribe!!! http://example.com",
    "just landed in Paris, what a day",
]


def P(text: str) -> TextPost:  # noqa: N802 - a fixed date keeps runs comparable
    return TextPost(text, created_at=datetime(2026, 1, 1, tzinfo=UTC))


def _texts(names: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for name in names:
        path = DATA / name
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                out += [json.loads(line)["text"] for line in fh if line.strip()]
    if not out:
        out = FALLBACK * 300
    return out[:limit]


def _interleaved(
    fns: list[Callable[[str], object]], texts: list[str], rounds: int = 7
) -> list[list[float]]:
    """Each function's time in each round, the rounds interleaved so that a busy spell
    on a shared machine hits them all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            times[i].append(time.perf_counter() - t0)
    return times


def _ratios(slow: list[float], fast: list[float]) -> str:
    """The ratio of the best rounds, then the median and range of the ratios round by
    round (each round times both side by side): how far the machine's noise moves it."""
    per_round = sorted(s / f for s, f in zip(slow, fast, strict=True))
    mid = per_round[len(per_round) // 2]
    return (
        f"x{min(slow) / min(fast):.2f} (rounds: median x{mid:.2f},"
        f" x{per_round[0]:.2f}-x{per_round[-1]:.2f})"
    )


def main() -> None:
    rs = load_rules()
    vader = SentimentIntensityAnalyzer()
    fast = FastVader()
    sets = {
        "English tweets": _texts(["sentiment_en.dev.jsonl", "complaint.dev.jsonl"], 4000),
        "en/fr/ar mix": _texts(
            ["sentiment_en.dev.jsonl", "sentiment_fr.dev.jsonl", "sentiment_ar.dev.jsonl"], 6000
        )[::2],
        # the mix's parts, to see where its time goes
        "French only": _texts(["sentiment_fr.dev.jsonl"], 2000),
        "Arabic only": _texts(["sentiment_ar.dev.jsonl"], 2000),
    }
    for name, texts in sets.items():
        posts = {t: P(text=t) for t in texts}

        def verdict(t: str, posts: dict[str, P] = posts) -> object:
            return rs.classify(posts[t])

        r_vader, r_fast, r_verdict = _interleaved(
            [vader.polarity_scores, fast.polarity_scores, verdict], texts
        )
        n = len(texts)
        print(f"   {name}: {n} texts")
        print(f"     VADER polarity_scores  {n / min(r_vader):9.0f} texts/s")
        print(
            f"     FastVader              {n / min(r_fast):9.0f} texts/s   "
            f"{_ratios(r_vader, r_fast)}"
        )
        print(
            f"     whole verdict (packs)  {n / min(r_verdict):9.0f} texts/s   "
            f"{_ratios(r_vader, r_verdict)} of VADER (goal >= 1.0)"
        )


if __name__ == "__main__":
    main()
