"""Language detection on short posts and the per-language sentiment scorers."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rules import TextPost, detect_language, load_rules
from rules.arabic import ArabicSentiment
from rules.sentiment import SentimentScorer, Thresholds


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@acme my order is late again", "en"),
        ("Thanks!", "en"),
        ("Bonjour, ma commande n'est toujours pas arrivée", "fr"),
        ("Très déçu du service client", "fr"),
        ("c'est nul", "fr"),
        ("الخدمة سيئة جدا", "ar"),
        ("@acme وين طلبي؟ https://t.co/x", "ar"),
        ("https://t.co/abc #tag @user", "und"),
        ("😀😀", "und"),
        ("el pedido no ha llegado y es una vergüenza", "und"),
        ("Changement climatique.... http://x.fr", "fr"),  # no function word: endings
        ("Capitalisme tueur", "fr"),
        ("Unique boutique finds", "en"),
        ("Fantastic Beats", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_arabic_lexicon_dialect_and_negation() -> None:
    a = ArabicSentiment()
    assert a.compound("الخدمة ممتازة") > 0.3
    assert a.compound("الخدمة زفت") < -0.3  # Gulf/Egyptian
    assert a.compound("مش حلو") < 0  # negated positive
    assert a.compound("مو سيء") > 0  # negated negative
    assert a.compound("ممتاز جدا") > a.compound("ممتاز")  # booster
    assert a.compound("هههههه") > 0  # laughter
    assert a.compound("جميـــــل") == a.compound("جميل")  # tatweel
    assert a.compound("والخدمة ممتازة") == a.compound("الخدمة ممتازة")  # clitics
    assert a.compound("نص بلا رأي") == 0.0


def test_arabic_inflected_and_stretched_forms() -> None:
    a = ArabicSentiment()
    assert a.compound("الموظفين فاشلين") < -0.3  # plural of فاشل
    assert a.compound("خذلتونا") < -0.3  # "you let us down", dialect
    assert a.compound("نجحوا") > 0.3  # past plural of نجح
    assert a.compound("بيفوز") > 0.3  # dialect present: ب + يفوز
    assert a.compound("حلووووو") == a.compound("حلو")  # a stretched letter
    assert a.compound("التطبيق احترافي وسريع") > 0.5
    assert a.compound("كلام فارغ") < -0.3
    assert a.compound("ما نجحوا") < 0  # negation still reaches an inflected word
    assert a.compound("سافروا امس") == 0.0  # an inflected word the lexicon lacks


def test_arabic_dialect_scorn_praise_and_emoji() -> None:
    a = ArabicSentiment()
    assert a.compound("التطبيق بيجنن") > 0.3  # Levantine praise
    assert a.compound("الجهاز بايظ") < -0.3  # Egyptian "broken"
    assert a.compound("كذابين") < -0.3  # plural of a dialect spelling of "liar"
    assert a.compound("يهددون") < 0  # present tense and plural taken off
    assert a.compound("👌") > 0
    assert a.compound("ما قصرتوا يعطيكم العافيه") > 0.3  # customer thanks, Gulf
    assert a.compound("يتجاهلون رسائلي ومافي فايده") < -0.3  # ignored, no use
    assert a.compound("😢") < a.compound("😭") < 0  # 😭 is as often laughter as grief


def test_arabic_extra_words() -> None:
    a = ArabicSentiment({"بطيخ": -3})
    assert a.compound("بطيخ") < 0


def test_scorer_per_language_thresholds_and_words() -> None:
    s = SentimentScorer({"fr": Thresholds(0.5, -0.5)}, {"en": {"meh": -2.0}})
    assert s.score("meh", "en").label == "negative"
    assert s.score("bien", "fr").label == "neutral"  # a mild word under the 0.5 bar
    assert s.score("I love it", "en").compound == 0.6369  # VADER's own number
    assert -1 <= s.score("super génial excellent parfait", "fr").compound <= 1


def test_french_plus_negates_only_with_ne() -> None:
    s = SentimentScorer()
    assert s.score("C'est le plus beau jour", "fr").compound > 0  # "plus" = most
    assert s.score("Ce n'est plus beau du tout", "fr").compound < 0  # ne ... plus
    assert s.score("Il ne fait plus beau", "fr").compound < 0


@given(st.text(alphabet="lLdDqQuUnNsS'’ a1-é.", max_size=40))
def test_elision_finder_is_the_plain_pattern(text: str) -> None:
    import re

    from rules.lang import _ELIDED

    plain = re.compile(r"(?<![A-Za-z0-9])(?:[ldjncsmtLDJNCSMT]|[qQ][uU])'[A-Za-z0-9]")
    assert (_ELIDED.search(text) is None) == (plain.search(text) is None)


_NOISY = [
    "http://x.fr", "https://a/b", "www.b", "www", "@u", "@", "#t", "#", "&amp;", "&x", "é",
    "a", "b", " ", "ـ", "ل", ":", "/", ";", "xhttp://y", "wwww.z", "é@a", "#é", "\u2019",
]  # fmt: skip


@given(st.lists(st.sampled_from(_NOISY), max_size=12))
def test_latin_letters_outside_noise_found_without_removing_it(pieces: list[str]) -> None:
    from rules.lang import _LATIN2_ANY, _NOISE, _two_latin_outside_noise

    text = "".join(pieces)
    assert _two_latin_outside_noise(text) == bool(_LATIN2_ANY.search(_NOISE.sub(" ", text)))


_MIXED = [
    "le", "la", "the", "is", "and", "et", "l'appli", "qu'il", "don't", "c’est", "‘l", "é",
    "الخدمة", "سيئة", "ال", "@acme", "http://x.co", "#tag", "&amp;", "climatique", "unique",
    "el", "und", "ok", "!", "?", "x", " ", " ", " ",
]  # fmt: skip


@example(["l'appli", " ", "the", " ", "é"])
@example(["c’est", " ", "the", " ", "and"])
@example(["الخدمة", " ", "the", " ", "l'appli", " ", "é"])
@given(st.lists(st.sampled_from(_MIXED), max_size=14))
def test_function_words_given_or_not_the_same_language(pieces: list[str]) -> None:
    # The engine skips cutting the words down for a post that opens in Arabic script;
    # the answer must not depend on it.
    from rules.lang import FUNCTION_WORDS
    from rules.text import normalise_post

    text = "".join(pieces)
    toks = normalise_post(text)[1]
    known = FUNCTION_WORDS.intersection(toks)
    assert detect_language(text, toks, known) == detect_language(text, toks)


def test_score_rounds_what_moved_and_only_that() -> None:
    # `score` skips `round` for a compound already rounded (VADER's, FastFrench's);
    # every post must still get round(compound folded with the tuning, 4).
    from rules import load_rules
    from rules.sentiment import _fold

    scorer = load_rules()._sentiment
    posts = [
        ("en", "I love it!"), ("en", "is this broken?"), ("en", "meh"), ("en", ""),
        ("en", "GREAT service, thanks!!"), ("fr", "C'est génial !"), ("fr", "une arnaque"),
        ("fr", "pas de panne"), ("fr", "bof"), ("ar", "الخدمة ممتازة"), ("ar", "سيء جدا؟"),
    ]  # fmt: skip
    for lang, text in posts:
        t = scorer.thresholds.get(lang, scorer._default)
        c = scorer.compound(text, lang)
        adjust = (t.question if "?" in text or "؟" in text else 0.0) + (
            t.exclamation if "!" in text else 0.0
        )
        if adjust:
            c = _fold(c, adjust)
        want = round(c, 4) + 0.0
        got = scorer.score(text, lang)
        assert (got.compound, got.label) == (want, t.label(want)), (lang, text)


def _english_pack() -> SentimentScorer:
    from rules import load_rules

    return load_rules()._sentiment


def test_english_denial_leans_negative_unless_it_cancels_a_negative_word() -> None:
    from rules.vader_fast import FastVader

    s = _english_pack()
    plain = FastVader()
    # VADER finds no opinion word in these: a bare denial is the grievance.
    for text in ("@acme the app still doesn't work", "the refund hasn't arrived", "never arrived"):
        assert plain.compound(text) == 0.0, text
        assert s.score(text, "en").label == "negative", text
    # A denial that turns a negative word around is no grievance.
    for text in ("not bad at all @acme", "can't wait for the new release", "no problem, thanks"):
        assert s.score(text, "en").label != "negative", text
    assert s.score("don't miss our spring sale", "en").label == "neutral"


def test_english_post_trailing_off_counts_less() -> None:
    s = _english_pack()
    whole = s.score("Acme wins the best support award", "en").compound
    cut = s.score("Acme wins the best support award...", "en").compound
    assert whole >= 0.4 and cut == round(whole * 0.75, 4)
    assert s.score("Acme wins the best support award\u2026", "en").compound == cut
    assert s.score("Acme wins the best... support award", "en").compound == whole


def test_english_reads_typographic_apostrophes_and_slang() -> None:
    s = _english_pack()
    assert s.score("I don\u2019t like the update", "en") == s.score("I don't like the update", "en")
    assert s.score("I don\u2019t like the update", "en").label == "negative"
    assert s.score("grr the app crashed again", "en").label == "negative"  # pack words
    assert s.score("yass the update is here", "en").label == "positive"
    assert s.score("the new app is laggy and glitchy", "en").label == "negative"


def test_english_pack_emoji_read_as_themselves() -> None:
    from rules.vader_fast import FastVader

    s = _english_pack()
    plain = FastVader()
    assert plain.compound("👍") == 0.0 and plain.compound("❤️") == 0.0  # VADER misses both
    assert s.score("👍", "en").label == "positive"
    assert s.score("new update 👎👎", "en").label == "negative"
    assert s.score("great👍", "en").compound > s.score("great", "en").compound  # glued
    assert s.score("support again 🙄🤦\u200d\u2642\ufe0f", "en").label == "negative"
    assert s.score("❤️ this app", "en").label == "positive"  # the selector no longer hides it
    assert s.score("this is 🔥🔥", "en").label == "positive"  # VADER's "fire" is negative
    assert FastVader().compound("👍") == 0.0  # the pack's scorer changed only its own copy


def test_english_praise_said_through_a_denial() -> None:
    from rules.vader_fast import FastVader

    s = _english_pack()
    plain = FastVader()
    for text in (
        "I couldn't be happier with @acme",
        "Can't thank the support team enough",
        "Can't recommend @acme enough",
    ):
        assert plain.compound(text) < 0.05, text  # VADER turns the praise word around
        assert s.score(text, "en").compound > 0.2, text
    # VADER itself reads this one right; the denial cue no longer pulls it down
    assert s.score("couldn't ask for a better app", "en").label == "positive"
    # scorn said the same way: VADER reads "couldn't be worse" as praise
    assert FastVader().compound("It couldn't be worse") > 0
    assert s.score("It couldn't be worse", "en").label == "negative"
    assert s.score("the app can't get any worse", "en").label == "negative"
    # the denials that are not praise keep their weight
    assert s.score("I couldn't log in again", "en").label == "negative"
    assert s.score("can't recommend it, it broke in a week", "en").label == "negative"


def test_a_price_complained_of_reads_negative() -> None:
    rs = load_rules()
    for text in ("Nice but way too expensive", "It got expensive", "So pricey now"):
        assert rs.classify(TextPost(text)).sentiment.label == "negative", text
    assert rs.classify(TextPost("Expensive but the best")).sentiment.label == "positive"
