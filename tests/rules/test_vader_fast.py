"""FastVader returns exactly VADER's scores: compared on thousands of generated texts."""

from __future__ import annotations

import random
import time

from vaderSentiment import vaderSentiment as v

from rules import FastVader

TRICKY = [
    "VADER is smart, handsome, and funny.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!",
    "Without a doubt, an excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "no good no bad no no",
    "kind of kind of good",
    "",
    "   ",
    "???",
    "good good good but bad bad but good",
    "İstanbul is GREAT but ǅ is weird",
    "Copyright © 2024 ACME®, all good",
    "it’s “great” … really",
    "‼ wow ™ nice",
    "café crème, très bon ☺",
]


def corpus(n: int, seed: int = 7) -> list[str]:
    analyzer = v.SentimentIntensityAnalyzer()
    lex = sorted(analyzer.lexicon)[::7]
    glue = [
        "not",
        "no",
        "never",
        "but",
        "very",
        "kind",
        "of",
        "sort",
        "least",
        "at",
        "so",
        "this",
        "without",
        "doubt",
        "the",
        "shit",
        "bad",
        "ass",
        "yeah",
        "right",
        "isn't",
        "don't",
        "nor",
        "or",
        "extremely",
        "barely",
        "I",
        "it",
        "was",
        "a",
        "😀",
        "💔",
        ":)",
        "!",
        "?",
    ]
    emojis = list(analyzer.emojis)[::50]
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        words = []
        for _ in range(rnd.randint(1, 25)):
            pool = rnd.choice((lex, glue, glue, emojis))
            w = rnd.choice(pool)
            r = rnd.random()
            if r < 0.15:
                w = w.upper()
            elif r < 0.25:
                w = w + rnd.choice("!?.,")
            words.append(w)
        out.append(" ".join(words) + rnd.choice(["", "!", "!!!", "?", "??", "????"]))
    return out


def test_scores_are_exactly_vaders() -> None:
    fast = FastVader()
    slow = v.SentimentIntensityAnalyzer()
    texts = TRICKY + corpus(4000)
    mismatches = [t for t in texts if fast.polarity_scores(t) != slow.polarity_scores(t)]
    assert mismatches == []
    assert [fast.compound(t) for t in texts] == [slow.polarity_scores(t)["compound"] for t in texts]


def test_faster_than_vader() -> None:
    fast = FastVader()
    slow = v.SentimentIntensityAnalyzer()
    texts = corpus(1500, seed=3)
    best_slow = best_fast = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for t in texts:
            slow.polarity_scores(t)
        best_slow = min(best_slow, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            fast.polarity_scores(t)
        best_fast = min(best_fast, time.perf_counter() - t0)
    # bench/bench_rules.py measures the real ratio; here only a margin noise cannot break
    assert best_slow / best_fast > 1.5


def test_french_compound_is_exactly_vadersentiment_frs() -> None:
    from rules.sentiment import _french_base
    from rules.vader_fr_fast import FastFrench

    slow = _french_base()  # imports vadersentiment-fr quietly
    import vaderSentiment_fr.vaderSentiment as fr

    fast = FastFrench(fr, slow)
    lex = sorted(slow.lexicon)[::5]
    glue = (
        "pas ne jamais plus rien sans ni très trop vraiment peu no least at kind of the shit "
        "mais l' d' c'est génial déçu NUL SUPER 😀 😡 ! ? ... 2016 A. OK, 2016! C'EST"
    ).split()
    rnd = random.Random(11)
    texts = [
        "Je ne suis pas content...",
        "C'EST NUL !!",
        "pas mal du tout",
        "l'eau  est   bonne",
        "",
        "!!!",
        "SUPER\nGÉNIAL TOP",
        "C'EST\u00a0GÉNIAL, SUPER !",
        "TRÈS BIEN\tNUL",
        " GÉNIAL ",
    ]
    for _ in range(2500):
        words = []
        for _ in range(rnd.randint(1, 20)):
            w = rnd.choice(rnd.choice((lex, glue, glue)))
            r = rnd.random()
            if r < 0.15:
                w = w.upper()
            elif r < 0.25:
                w += rnd.choice("!?.,'")
            words.append(w)
        # spaces alone, or other whitespace too: the caps check splits on spaces alone
        glue_char = rnd.choice([" ", " ", " ", "  ", "'", "\n", " \t", "\u00a0", "\u2009"])
        texts.append(glue_char.join(words) + rnd.choice(["", "!", "?", "...", " ..", "!!"]))
    # too long to be read by pieces: the long way
    texts += [" ".join(texts[20:80]), "TRÈS " * 200 + "bien", "pas " * 300 + "mal"]
    assert [fast.compound(t) for t in texts] == [slow.polarity_scores(t)["compound"] for t in texts]


def test_french_compound_reads_the_split_of_the_text_it_was_given() -> None:
    # FastFrench reuses the pieces `read_post` made of the text it read last: only for
    # that very text, never for another one read before or after it.
    from rules.sentiment import _french_base, _french_fast
    from rules.text import read_post

    slow = _french_base()
    fast = _french_fast()
    texts = ["C'est génial, TRÈS bien", "Nul. Vraiment décevant !", "pas mal du tout é"]
    for text in texts:
        read_post(text)
        assert fast.compound(text) == slow.polarity_scores(text)["compound"]
    read_post(texts[0])
    for text in texts[1:]:
        assert fast.compound(text) == slow.polarity_scores(text)["compound"]
    copy = "".join(list(texts[0]))  # equal, not the same object
    assert copy is not texts[0]
    assert fast.compound(copy) == slow.polarity_scores(texts[0])["compound"]


def test_rounded_compound_memo_is_the_normalised_rounded_sum() -> None:
    # The memo of sums -> compounds must give what the normalisation and `round` give,
    # the first time and from memory, for sums of every size and sign.
    import math

    from rules.vader_fast import RoundedCompound

    memo = RoundedCompound()
    rnd = random.Random(5)
    sums = [rnd.uniform(-40, 40) for _ in range(3000)] + [0.05, -0.05, 1e-9, 1e12, -1e300]
    for _ in range(2):
        for s in sums:
            expected = round(max(-1.0, min(1.0, s / math.sqrt(s * s + 15))), 4)
            assert memo[s] == expected


def test_scores_counted_one_by_one_past_the_bit_fields(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A post with more tokens than the bit fields can count takes the counts one by
    # one: the same scores (the field made tiny here so that most posts go that way).
    import rules.vader_fast as vf

    monkeypatch.setattr(vf, "_FIELD", 4)
    fast = FastVader()
    slow = v.SentimentIntensityAnalyzer()
    texts = TRICKY + corpus(600, seed=13)
    assert [fast.compound(t) for t in texts] == [slow.polarity_scores(t)["compound"] for t in texts]
    assert [fast.polarity_scores(t) for t in texts] == [slow.polarity_scores(t) for t in texts]
