"""Normalisation: what makes rule words match however people type them."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from rules.text import arabic_variants, has_link, normalise, tokens


def test_case_and_accents_fold() -> None:
    assert normalise("Problème ÉNORME à Noël") == "probleme enorme a noel"
    assert normalise("ÇA MARCHE") == "ca marche"


def test_typographic_apostrophe_is_plain() -> None:
    assert tokens(normalise("Don’t")) == ["don't"]


def test_arabic_hamza_and_alef_forms_fold() -> None:
    assert normalise("أحمد") == normalise("احمد") == normalise("إحمد") == normalise("آحمد")
    assert normalise("مسؤول") == "مسوول"
    assert normalise("سئ") == "سي"


def test_arabic_tatweel_and_diacritics_vanish() -> None:
    assert normalise("جميـــل") == "جميل"
    assert normalise("جَمِيلٌ") == "جميل"


def test_arabic_teh_marbuta_and_alef_maksura() -> None:
    assert normalise("مشكلة") == normalise("مشكله")
    assert normalise("على") == normalise("علي")


def test_arabic_indic_digits() -> None:
    assert normalise("٣٠ دولار") == "30 دولار"


def test_tokens_keep_inner_apostrophes_and_hyphens() -> None:
    assert tokens("can't log-in, ok?") == ["can't", "log-in", "ok"]
    assert tokens("_under_ score") == ["under", "score"]


def test_arabic_variants_peel_clitics() -> None:
    assert "خدمه" in arabic_variants("والخدمه")
    assert "خدمه" in arabic_variants("بالخدمه")
    assert "حساب" in arabic_variants("حسابي")
    assert arabic_variants("من") == ()  # nothing left worth matching


def test_has_link() -> None:
    assert has_link("see https://example.com now")
    assert has_link("www.example.org")
    assert not has_link("no link here, just example dot com")


@given(st.text(max_size=200))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(max_size=200))
def test_normalise_leaves_no_combining_marks_or_tatweel(text: str) -> None:
    out = normalise(text)
    assert "\u0640" not in out
    assert not any(unicodedata.category(c) == "Mn" and ord(c) < 0x10000 for c in out), out


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèêàâçôûîïœ ", max_size=50))
def test_normalise_ignores_case_and_accents(text: str) -> None:
    assert normalise(text.upper()) == normalise(text)
    assert normalise(text).isascii()


def test_post_tokens_drop_handles_and_links() -> None:
    from rules.text import post_tokens

    assert post_tokens(normalise("@FC_Help my order https://t.co/x www.ex.com ok")) == [
        "my",
        "order",
        "ok",
    ]


# Pieces that stress where `normalise_post` could part from the plain path: spaces
# doubled or missing, other whitespace, handles and links cut by spaces, accents,
# combining marks alone, "İ" (casefolds to i + a combining dot), "¨" (NFKD gives a
# space), Arabic with tatweel and diacritics, and marks beyond the translate table that
# only the second pass puts in order (x + U+1D16D + tatweel + U+1D165).
_PIECES = [
    " ",
    "  ",
    "\n",
    "\t",
    "\u00a0",
    "a",
    "Été",
    "@acme",
    "@",
    "http://t.co/x",
    "https:",
    "www.",
    "www.ex.com",
    "don’t",
    "l'appli",
    "-",
    "'",
    "İ",
    "¨",
    "\u0301",
    "e\u0301",
    "ـ",
    "جَمِيلٌ",
    "والخدمة",
    "٣٠",
    "Ⓐ",
    "ﬁ",
    "x\U0001d16d\u0640\U0001d165",
    "😀",
    "_",
    "re\u200bfund",
    "?",
    "!",
    "Σ",
    "ς",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_normalise_post_is_normalise_then_post_tokens(pieces: list[str]) -> None:
    from rules.text import normalise_post, post_tokens

    text = "".join(pieces)
    for _ in range(2):  # the memo's first answer and its remembered one
        assert normalise_post(text) == (normalise(text), post_tokens(normalise(text)))


@given(st.text(max_size=120))
def test_normalise_post_on_any_text(text: str) -> None:
    from rules.text import normalise_post, post_tokens

    assert normalise_post(text) == (normalise(text), post_tokens(normalise(text)))


def test_normalise_post_second_pass_falls_back() -> None:
    from rules.text import normalise_post, post_tokens

    # The first pass leaves these two marks out of canonical order once the tatweel
    # between them is gone: only the whole text's second pass sorts them.
    text = "Ok x\U0001d16d\u0640\U0001d165 İstanbul @a"
    norm = normalise(text)
    assert norm != unicodedata.normalize("NFKD", text).casefold()  # the second pass ran
    assert normalise_post(text) == (norm, post_tokens(norm))


# Pieces for the letter counts: Arabic and Latin letters inside and outside handles,
# hashtags, links and entities (with and without the "/", "@" or "#" that make a text
# noisy), accents, Arabic presentation forms, curly quotes, doubled spaces.
_COUNTED = [
    " ", "  ", "\n", "le", "the", "Été", "l'appli", "الخدمة", "سيئة", "ﻻ", "#السعودية",
    "@عمر", "@acme", "#tag", "&amp;", "&", ";", "http://x.co/ا", "www.ex.com", "/", "é",
    "“", "😀", "x", "ok", "٣٠", "!", "?",
]  # fmt: skip


def _counts_by_regex(text: str) -> tuple[int, int, int, int]:
    from rules.text import _ARABIC, _LATIN, _NOISE

    bare, noise = _NOISE.subn(" ", text)
    return (
        sum(map(len, _ARABIC.findall(bare))),
        sum(map(len, _LATIN.findall(bare))),
        len(bare),
        noise,
    )


@given(st.lists(st.sampled_from(_COUNTED), max_size=20))
def test_read_post_counts_are_the_whole_texts(pieces: list[str]) -> None:
    # Summed over the pieces between spaces, the counts must be those of the whole
    # text, and the language the same with them as without.
    from rules.lang import FUNCTION_WORDS, detect_language
    from rules.text import letter_counts, normalise_post, read_post

    text = "".join(pieces)
    for _ in range(2):  # the memo's first answer and its remembered one
        norm, toks, counts = read_post(text)
        assert (norm, toks) == normalise_post(text)
        if text.isascii():
            assert counts is None
            continue
        assert counts is not None
        assert letter_counts(counts) == _counts_by_regex(text)
        known = FUNCTION_WORDS.intersection(toks)
        assert detect_language(text, toks, known, counts) == detect_language(text, toks, known)
        assert detect_language(text, toks, None, counts) == detect_language(text, toks)


def test_read_post_gives_no_counts_it_cannot_sum() -> None:
    from rules.text import read_post

    assert read_post("plain ascii")[2] is None
    assert read_post("x\U0001d16d\u0640\U0001d165 é")[2] is None  # the second pass
    assert read_post("é " * 4001)[2] is None  # too long for the fields
    assert read_post("é " * 3999)[2] is not None


@given(st.lists(st.sampled_from([p for p in _PIECES if " " not in p]), max_size=8))
def test_normalise_piece_is_normalise(parts: list[str]) -> None:
    from rules.text import normalise_piece

    piece = "".join(parts)
    for _ in range(2):  # the memo's first answer and its remembered one
        assert normalise_piece(piece) == normalise(piece)


@given(st.text(max_size=40).filter(lambda t: " " not in t))
def test_normalise_piece_on_any_text(piece: str) -> None:
    from rules.text import normalise_piece

    assert normalise_piece(piece) == normalise(piece)


_ASCII_PIECES = [
    " ", "the", "is", "and", "le", "la", "est", "et", "el", "los", "c'est", "C'est", "l'appli",
    "qu'il", "don't", "it's", "i'm", "#l'on", "_l'on", "x-l'on", "@userl'on", "http://x.co/l'on",
    "l'", "'", "ok", "climatique", "!", "?", "-",
]  # fmt: skip


@given(st.lists(st.sampled_from(_ASCII_PIECES), max_size=12))
def test_ascii_language_shortcut_is_what_the_word_counts_say(pieces: list[str]) -> None:
    # An ASCII post with English or French function words and no elision is decided
    # from the function word counts alone; it must be what `_by_words` says.
    from itertools import compress, repeat
    from operator import contains

    from rules.lang import _ANY_N, _ELIDED, _EN_N, _FR_N, _OTHER_N, _by_words, detect_language
    from rules.text import normalise_post

    text = "".join(pieces)
    toks = normalise_post(text)[1]
    known = _ANY_N.intersection(toks)
    if not (_EN_N.isdisjoint(known) and _FR_N.isdisjoint(known)):
        words = known
        if "'" in text and _ELIDED.search(text) is not None:
            words = known.union(compress(toks, map(contains, toks, repeat("'"))))
        expected = _by_words(words, _EN_N, _FR_N, _OTHER_N, text, True)
        assert detect_language(text, toks, known) == expected
        assert detect_language(text, toks) == expected


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_tokens_are_the_token_regex(text: str) -> None:
    from rules.text import _ASCII_TOKEN, _ascii_tokens

    for case in (text, text.casefold()):
        assert _ascii_tokens(case) == _ASCII_TOKEN.findall(case)


def test_ascii_tokens_keep_inner_apostrophes_and_hyphens() -> None:
    from rules.text import tokens

    assert tokens("don't -- 'quoted' re-sync a--b -5 it's' @x") == [
        "don't",
        "quoted",
        "re-sync",
        "a",
        "b",
        "5",
        "it's",
        "x",
    ]
