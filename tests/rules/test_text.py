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
