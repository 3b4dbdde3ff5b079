"""A long post (an article from a feed) is read by its opening, as a reader would: the
rules were written for what people post, and deep in an article "should", "how to" or
"why" are reporting, not a request or a question to anyone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rules import RuleSet
from rules.text import LEDE, lede
from tests.rules.conftest import FakePost

FILLER = "The company reported results in line with what analysts expected this quarter. "


def test_a_short_post_is_read_whole() -> None:
    text = "Short post. " * 10
    assert lede(text) == text


def test_a_long_text_is_cut_after_its_last_whole_sentence() -> None:
    text = FILLER * 20
    cut = lede(text)
    assert len(cut) <= LEDE and cut.endswith("quarter.")
    assert text.startswith(cut)


def test_a_text_without_sentences_is_cut_at_a_space() -> None:
    text = "word " * 400
    cut = lede(text)
    assert len(cut) <= LEDE and cut.endswith("word") and text.startswith(cut)
    assert lede("x" * 2000) == "x" * LEDE  # nothing to cut at: the limit


def test_arabic_and_newlines_end_sentences_too() -> None:
    text = ("الشركة أعلنت نتائج الربع اليوم؟ " * 40) + "نهاية"
    assert lede(text).endswith("؟")
    lines = "\n".join(["a line of text without a stop"] * 60)
    assert lede(lines).endswith("stop")


@given(st.text(max_size=3000))
def test_the_lede_is_always_an_opening_of_the_text(text: str) -> None:
    cut = lede(text)
    assert len(cut) <= max(LEDE, len(text)) and text.startswith(cut)
    if len(text) <= LEDE:
        assert cut == text


def test_words_deep_in_an_article_do_not_label_it(rs: RuleSet) -> None:
    article = (
        "Acme launches its new notebook line. " + FILLER * 15 + "Readers should know how to "
        "order it, and why it costs more. It would be nice to see a cheaper model."
    )
    v = rs.classify(FakePost(text=article, source_kind="feed"))
    assert not {"question", "suggestion"} & set(v.labels), v.reasons


def test_what_an_article_opens_with_still_counts(rs: RuleSet) -> None:
    article = "My Acme order never arrived and support is useless. " + FILLER * 15
    assert "complaint" in rs.classify(FakePost(text=article)).labels
    asked = "How do I export my notes from Acme? " + FILLER * 15
    assert "question" in rs.classify(FakePost(text=asked)).labels
