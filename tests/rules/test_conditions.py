"""Conditions: words on word boundaries, phrases, prefixes, RE2 regexes, any/all/not."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.conditions import CompileError, compile_condition, prepare
from rules.text import normalise


def post(text: str, **kw: Any):  # type: ignore[no-untyped-def]
    args: dict[str, Any] = dict(
        lang="en",
        compound=0.0,
        author="",
        followers=0,
        source="",
        has_link=False,
        is_reply=False,
    )
    args.update(kw)
    return prepare(text, **args)


def matches(cond: dict[str, Any], text: str, **kw: Any) -> bool:
    return compile_condition(cond).match(post(text, **kw)) is not None


def test_words_respect_word_boundaries() -> None:
    assert matches({"words": ["bug"]}, "Found a bug today")
    assert not matches({"words": ["bug"]}, "I debugged it")
    assert not matches({"words": ["bug"]}, "bugs everywhere")


def test_words_ignore_case_and_accents_both_ways() -> None:
    assert matches({"words": ["probleme"]}, "Gros PROBLÈME ici")
    assert matches({"words": ["problème"]}, "gros probleme ici")


def test_phrases_match_whole_word_sequences() -> None:
    assert matches({"words": ["not working"]}, "It is NOT  working, again")
    assert not matches({"words": ["not working"]}, "not workingman")


def test_prefix_wildcard() -> None:
    assert matches({"words": ["refund*"]}, "still no refunds")
    assert not matches({"words": ["refund*"]}, "prefund")


def test_words_per_language() -> None:
    cond = {"words": {"fr": ["panne"], "en": ["outage"]}}
    assert matches(cond, "en panne", lang="fr")
    assert not matches(cond, "en panne", lang="en")
    assert matches({"words": {"*": ["ok"]}}, "ok", lang="ar")


def test_arabic_words_match_through_clitics_and_spelling() -> None:
    cond = {"words": ["مشكلة"]}
    assert matches(cond, "عندي مشكله في الحساب", lang="ar")
    assert matches(cond, "والمشكلة ما انحلت", lang="ar")
    assert matches({"words": ["سيئة"]}, "الخدمة سيئه جدا", lang="ar")


def test_regex_runs_on_normalised_text() -> None:
    assert matches({"regex": r"order #?\d{5}"}, "ORDER #12345 is late")
    assert not matches({"regex": r"order #?\d{5}"}, "order 12")


def test_catastrophic_regex_stays_fast() -> None:
    cond = compile_condition({"regex": r"^(\w+\s?)+$"})
    text = "a" * 40 + "!"
    t0 = time.perf_counter()
    for _ in range(100):
        cond.match(post(text))
    assert time.perf_counter() - t0 < 0.5  # Python's re takes seconds for one


def test_bad_regex_is_a_compile_error() -> None:
    with pytest.raises(CompileError, match="bad regex"):
        compile_condition({"regex": "a("})


def test_overlong_regex_is_refused() -> None:
    with pytest.raises(CompileError, match="longer than"):
        compile_condition({"regex": "a" * 600})


def test_re2_compile_errors_stay_off_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CompileError):
        compile_condition({"regex": "(unclosed"})
    assert capfd.readouterr().err == ""


def test_sentiment_followers_author_source_link_reply() -> None:
    assert matches({"sentiment_below": -0.5}, "x", compound=-0.8)
    assert not matches({"sentiment_below": -0.5}, "x", compound=-0.2)
    assert matches({"sentiment_above": 0.5}, "x", compound=0.8)
    assert matches({"followers_at_least": 1000}, "x", followers=1000)
    assert not matches({"followers_below": 1000}, "x", followers=1000)
    assert matches({"author": ["@BigCorp"]}, "x", author="bigcorp")
    assert matches({"source": ["mastodon"]}, "x", source="Mastodon")
    assert matches({"has_link": True}, "x", has_link=True)
    assert matches({"has_link": False}, "x", has_link=False)
    assert matches({"is_reply": True}, "x", is_reply=True)
    assert not matches({"is_reply": True}, "x", is_reply=False)
    assert matches({"lang": ["fr", "ar"]}, "x", lang="ar")


def test_not_any_all() -> None:
    assert matches({"not": {"words": ["spam"]}}, "fine")
    assert not matches({"not": {"words": ["spam"]}}, "spam")
    assert matches({"any": [{"words": ["a1"]}, {"words": ["b2"]}]}, "b2")
    assert not matches({"all": [{"words": ["a1"]}, {"words": ["b2"]}]}, "b2")
    assert matches({"words": ["a1"], "regex": "b2"}, "a1 b2")  # keys together: all


def test_at_least() -> None:
    cond = {"at_least": {"n": 2, "of": [{"words": ["x1"]}, {"words": ["y1"]}, {"words": ["z1"]}]}}
    assert matches(cond, "x1 z1")
    assert not matches(cond, "x1 only")
    with pytest.raises(CompileError):
        compile_condition({"at_least": {"n": 0, "of": []}})


def test_labels_condition_sees_earlier_labels() -> None:
    cond = compile_condition({"labels": ["complaint"]})
    p = post("x")
    assert cond.match(p) is None
    p.labels.add("complaint")
    assert cond.match(p) == "complaint"
    assert cond.uses_labels


def test_unknown_key_suggests() -> None:
    with pytest.raises(CompileError, match='did you mean "words"'):
        compile_condition({"wrods": ["x"]})


def test_wrong_types_are_errors() -> None:
    for bad in (
        {"words": 3},
        {"followers_at_least": "many"},
        {"has_link": "yes"},
        {"any": {"words": ["x"]}},
        {"not": ["x"]},
    ):
        with pytest.raises(CompileError):
            compile_condition(bad)


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç", min_size=2, max_size=8)


@given(st.lists(_word, min_size=0, max_size=12), _word, st.integers(min_value=0, max_value=12))
def test_a_word_is_found_wherever_it_stands(others: list[str], word: str, at: int) -> None:
    words = list(others)
    words.insert(min(at, len(words)), word.upper())
    text = " ".join(words) + "."
    assert matches({"words": [word]}, text)


@given(st.lists(_word, min_size=1, max_size=12), _word)
def test_a_word_never_matches_inside_another(others: list[str], word: str) -> None:
    glued = [o + word + "x" for o in others]
    text = " ".join(glued)
    if normalise(word) in {normalise(g) for g in glued}:
        return
    assert not matches({"words": [word]}, text)


def test_joined_tokens_made_when_a_phrase_first_asks() -> None:
    p = post("Where is my  ORDER, @acme? http://x.co")
    assert p._joined is None  # no rule has asked yet
    assert p.joined == " where is my order "
    assert p._joined == " where is my order "
    c = compile_condition({"words": ["my order", "whe*"]})
    q = post("Where is my  ORDER?")
    assert c.match(q) is not None
    assert q.joined == " where is my order "
    assert compile_condition({"words": ["is order"]}).match(post("is my order")) is None
