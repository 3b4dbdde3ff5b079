"""`make eval`: F1 of the default rule packs on the labelled dev sets in ../shared/data.

Prints one row per target with the plain-tool baseline and the target from the issue,
the score on the whole set and on its even and odd rows: changes are tuned on one half
and kept only when the other agrees, so a gain on one half alone is a fit to its rows.
Language is detected, never taken from the data, as it would be for a live post.
Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rules import RuleSet, TextPost, Verdict, load_rules  # noqa: E402

DATA = ROOT / ".." / "shared" / "data"


def Row(text: str, author: str = "") -> TextPost:  # noqa: N802
    return TextPost(text, author=author, created_at=datetime(2026, 1, 1, tzinfo=UTC))


def rows(name: str) -> Iterator[dict[str, object]]:
    return rows_of(DATA / name)


def rows_of(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(gold: list[str], pred: list[str]) -> float:
    classes = ("negative", "neutral", "positive")
    return sum(f1([g == c for g in gold], [p == c for p in pred]) for c in classes) / 3


def verdicts(rs: RuleSet, name: str) -> tuple[list[dict[str, object]], list[Verdict]]:
    data = list(rows(name))
    out = [rs.classify(Row(text=str(r["text"]), author=str(r.get("author", "")))) for r in data]
    return data, out


Scores = tuple[float, float, float]
"""Whole set, even rows, odd rows."""
Target = tuple[str, str, float, float, Callable[[RuleSet], Scores]]


def _halves(
    score: Callable[[list[Any], list[Any]], float], gold: list[Any], pred: list[Any]
) -> Scores:
    return score(gold, pred), score(gold[0::2], pred[0::2]), score(gold[1::2], pred[1::2])


def _binary(name: str, field: str, test: Callable[[Verdict], bool]) -> Callable[[RuleSet], Scores]:
    def run(rs: RuleSet) -> Scores:
        data, vs = verdicts(rs, name)
        return _halves(f1, [bool(r[field]) for r in data], [test(v) for v in vs])

    return run


def _sentiment(lang: str) -> Callable[[RuleSet], Scores]:
    def run(rs: RuleSet) -> Scores:
        data, vs = verdicts(rs, f"sentiment_{lang}.dev.jsonl")
        gold = [str(r["sentiment"]) for r in data]
        return _halves(macro_f1, gold, [v.sentiment.label for v in vs])

    return run


TARGETS: list[Target] = [
    ("complaint", "complaint.dev", 0.64, 0.75,
     _binary("complaint.dev.jsonl", "complaint", lambda v: "complaint" in v.labels)),
    ("question", "tweet_acts.dev", 0.74, 0.85,
     _binary("tweet_acts.dev.jsonl", "question", lambda v: "question" in v.labels)),
    ("suggestion", "suggestion.dev", 0.0, 0.60,
     _binary("suggestion.dev.jsonl", "suggestion", lambda v: "suggestion" in v.labels)),
    ("suggestion", "tweet_acts.dev", 0.0, 0.0,
     _binary("tweet_acts.dev.jsonl", "suggestion", lambda v: "suggestion" in v.labels)),
    ("spam", "spam.dev", 0.0, 0.85, _binary("spam.dev.jsonl", "spam", lambda v: v.spam)),
    ("sentiment en", "sentiment_en.dev", 0.56, 0.60, _sentiment("en")),
    ("sentiment fr", "sentiment_fr.dev", 0.33, 0.60, _sentiment("fr")),
    ("sentiment ar", "sentiment_ar.dev", 0.33, 0.60, _sentiment("ar")),
]  # fmt: skip


DEMO = ROOT / "sources" / "demo_data" / "mentions.jsonl"
"""The demo brand's mentions, each with the label a community manager would give it
(`expected`): the kind of text veille is for, in English, French and Arabic. The
cues were written with these rows in view, so they measure coverage, not how well
the packs generalise (the tables above do that)."""
CLASSES = ("question", "complaint", "suggestion", "praise", "spam", "other")


def demo(rs: RuleSet) -> None:
    """Per expected label: how many mentions carry it, and how many take it as category."""
    rows = [r for r in rows_of(DEMO) if "expected" in r]
    found = dict.fromkeys(CLASSES, 0)
    total = dict.fromkeys(CLASSES, 0)
    exact = 0
    for r in rows:
        # as the console reads it: with the author's reach, the source and language
        post = TextPost(
            str(r["text"]),
            author=str(r.get("author", "")),
            followers=int(str(r.get("followers", 0) or 0)),
            lang=str(r.get("lang", "")),
            source_kind=str(r.get("source_kind", "")),
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        v = rs.classify(post)
        labels = set(v.labels) | ({"spam"} if v.spam else set())
        want = str(r["expected"])
        total[want] += 1
        found[want] += want in labels or (want == "other" and not labels)
        exact += ("spam" if v.spam else v.category) == want
    print(f"\ndemo brand mentions ({len(rows)}, en/fr/ar): label found / mentions")
    print("  " + "  ".join(f"{c} {found[c]}/{total[c]}" for c in CLASSES))
    print(f"  category as expected: {exact}/{len(rows)} ({exact / len(rows):.0%})")


def main() -> int:
    rs = load_rules()
    if not DATA.is_dir():
        print(f"eval skipped: {DATA.resolve()} is absent")
        demo(rs)
        return 0
    for err in rs.errors:
        print(f"rule error: {err}")
    wanted = sys.argv[1:]
    print(
        f"{'target':<14} {'set':<18} {'baseline':>8} {'veille':>7} {'even':>6} {'odd':>6}"
        f" {'goal':>6}  ok"
    )
    missed = 0
    t0 = time.perf_counter()
    for name, dataset, baseline, goal, run in TARGETS:
        if wanted and not any(w in name for w in wanted):
            continue
        score, even, odd = run(rs)
        ok = score >= goal
        missed += not ok
        base = f"{baseline:.2f}" if baseline else "-"
        want = f"{goal:6.2f}" if goal else "     -"
        mark = ("yes" if ok else "NO") if goal else "(info)"
        print(
            f"{name:<14} {dataset:<18} {base:>8} {score:7.3f} {even:6.3f} {odd:6.3f} {want}  {mark}"
        )
    print(f"({time.perf_counter() - t0:.1f} s; {missed} target(s) missed)")
    demo(rs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
