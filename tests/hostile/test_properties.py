"""Property tests: the text normaliser, the rule matcher, the filter syntax, feed mapping, display.

Hypothesis draws text from every Unicode plane plus a hostile alphabet (controls,
bidi overrides, zero-width joiners, combining marks, compatibility letters,
markup brackets), so what a stranger can type is what the properties face.
`VEILLE_FUZZ_EXAMPLES` raises the number of examples (the stress run sets it).
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timezone
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from inbox.model import Mention
from inbox.query import Term, parse_query
from rules.conditions import compile_condition, prepare
from rules.text import normalise, tokens
from rules.verdict import Sentiment, Verdict
from sources.base import SourceError
from sources.feed import parse_feed
from sources.models import Post
from sources.text import clean_text, html_to_text
from tui.safe import clean, one_line, safe_text

EXAMPLES = int(os.environ.get("VEILLE_FUZZ_EXAMPLES", "120"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis directory in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

HOSTILE = (
    "\x00\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\x9d\u200b\u200c\u200d\u2060\ufeff\u00ad"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u0301\u0308\u0651\u064e\u0640\u0489\u20dd[]/@=\"'<>&;:\\ \t\n\r-"
    "éÉßİıﬁ𝐅𝐑ⒶＡأإآةىـ١٢"
)
hostile_char = st.one_of(st.sampled_from(HOSTILE), st.characters(codec="utf-8"))
hostile_text = st.text(alphabet=hostile_char, max_size=200)
any_text = st.text(max_size=200)  # includes lone surrogates
word = st.text(alphabet=st.characters(categories=("Ll", "Lu", "Lo")), min_size=1, max_size=12)

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


# -- the rules' normaliser ---------------------------------------------------------------------


@fuzz
@given(hostile_text)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@fuzz
@given(hostile_text)
def test_normalise_folds_case(text: str) -> None:
    assert normalise(text.upper()) == normalise(text.lower()) or not text.isascii()
    assert normalise(text) == normalise(normalise(text).upper()) or not text.isascii()


def _matches(rule_words: list[str], text: str) -> bool:
    cond = compile_condition({"words": rule_words})
    p = prepare(text, lang="en", compound=0.0, author="", followers=0, source="",
                has_link=False, is_reply=False)  # fmt: skip
    return cond.match(p) is not None


@fuzz
@given(word, hostile_text, hostile_text)
def test_a_rule_word_matches_wherever_it_stands_alone(w: str, before: str, after: str) -> None:
    toks = tokens(normalise(w))
    assume(len(toks) == 1)
    text = f"{before} {w} {after}"
    assert _matches([w], text)
    assert _matches([w.upper()], text.lower()) or not w.isascii()


@fuzz
@given(hostile_text, st.lists(word, min_size=1, max_size=5))
def test_matcher_never_raises_and_is_fast(text: str, ws: list[str]) -> None:
    assume(all(tokens(normalise(w)) for w in ws))
    t0 = time.perf_counter()
    _matches(ws, text * 20)
    assert time.perf_counter() - t0 < 0.5


@example("refund", 3, "\u200b")
@example("refund", 2, "\u00ad")
@fuzz
@given(
    st.sampled_from(["refund", "broken", "remboursement", "خدمه"]),
    st.integers(1, 5),
    st.sampled_from(ZERO_WIDTH),
)
def test_zero_width_characters_do_not_hide_a_word(w: str, at: int, zw: str) -> None:
    """`re\u200bfund` reads as "refund" on screen; a rule for "refund" must see it too."""
    assume(at < len(w))
    disguised = w[:at] + zw + w[at:]
    assert _matches([w], f"please {disguised} now")


# -- the filter syntax -------------------------------------------------------------------------


def mention(text: str, author: str = "ann", title: str = "") -> Mention:
    post = Post(id=f"t:{hash((text, author, title))}", text=text, author=author, title=title)
    verdict = Verdict("question", ("question",), Sentiment(-0.5, "negative"), "en", 1.0, 15)
    return Mention(post, verdict, datetime(2026, 11, 20, tzinfo=timezone.utc))


@fuzz
@given(hostile_text)
def test_query_parse_never_raises_and_round_trips(text: str) -> None:
    q = parse_query(text)
    again = parse_query(str(q))
    assert again == q, f"{text!r} -> {str(q)!r} -> {str(again)!r}"
    for line in q.describe():
        assert "\n" not in line or "\n" in text


@fuzz
@given(hostile_text, hostile_text, hostile_text)
def test_query_matching_never_raises_and_negation_is_complement(
    query: str, text: str, author: str
) -> None:
    m = mention(text, author)
    q = parse_query(query)
    q.matches(m)
    for term in q.terms():
        flipped = Term(term.kind, term.value, not term.negated)
        assert term.matches(m) != flipped.matches(m)


@fuzz
@given(word, hostile_text)
def test_query_word_finds_the_text_it_came_from(w: str, rest: str) -> None:
    assume(w.strip() and not w.startswith("-") and w != "OR" and ":" not in w)
    assume(normalise(w).strip() == normalise(w) and normalise(w))
    m = mention(f"{rest} {w} {rest}")
    assert parse_query(w).matches(m)
    assert parse_query(w.upper()).matches(m) or not w.isascii()


@example("𝐅𝐑𝐄𝐄")
@example("Ⓐcme")
@fuzz
@given(st.text(alphabet=st.sampled_from("𝐅𝐑𝐄𝐀𝐂𝐌ⒶⒸＡＢＣℌ"), min_size=1, max_size=8))
def test_query_folds_compatibility_letters_like_the_rules(styled: str) -> None:
    """Spam writes in mathematical bold; the filter must find it as the rules do."""
    plain = normalise(styled)
    assume(plain.isascii() and plain.isalpha())
    assert parse_query(plain).matches(mention(f"look {styled} here"))


# -- feed-entry mapping ------------------------------------------------------------------------

xml_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80
).map(lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _rss(entries: list[dict[str, str]]) -> bytes:
    items = []
    for e in entries:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in e.items())
        items.append(f"<item>{fields}</item>")
    doc = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    return (doc + "".join(items) + "</channel></rss>").encode("utf-8", "replace")


entry = st.fixed_dictionaries(
    {},
    optional={
        "title": xml_text,
        "description": xml_text,
        "guid": xml_text,
        "link": st.one_of(xml_text, st.just("https://example.org/a?utm_source=x")),
        "pubDate": st.one_of(
            xml_text,
            st.sampled_from(
                ["Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "yesterday"]
            ),
        ),
        "author": xml_text,
    },
)


def _check_posts(posts: list[Post]) -> None:
    ids = [p.id for p in posts]
    for p in posts:
        assert p.created_at.tzinfo is not None
        assert not C0_C1.search(p.text.replace("\n", "")), repr(p.text)
        assert not BIDI.search(
            p.text.replace("\u200e", "").replace("\u200f", "").replace("\u061c", "")
        )
        assert len(p.text) <= 25_000 and len(p.title) <= 1_000
        assert not p.url or p.url.lower().startswith(("http://", "https://"))
    assert len(ids) == len(posts)


@fuzz
@given(st.lists(entry, max_size=6))
def test_feed_mapping_is_total_and_stable(entries: list[dict[str, str]]) -> None:
    data = _rss(entries)
    try:
        a = parse_feed(data, source="s", feed_url="https://feed.example/rss")
    except SourceError:
        return
    _check_posts(a)
    b = parse_feed(data, source="s", feed_url="https://feed.example/rss")
    assert [p.id for p in a] == [p.id for p in b]


json_value: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
json_item = st.fixed_dictionaries(
    {},
    optional={
        k: json_value | st.text(max_size=30)
        for k in (
            "id",
            "url",
            "title",
            "content_html",
            "content_text",
            "summary",
            "date_published",
            "author",
            "authors",
            "language",
            "external_url",
        )
    },  # fmt: skip
)


@example([{"id": "1", "title": 5, "content_text": "hello"}])
@fuzz
@given(st.lists(json_item | json_value, max_size=5))
def test_json_feed_mapping_never_crashes(items: list[Any]) -> None:
    """JSON Feed items of any shape: a SourceError line at worst, never a TypeError."""
    import json

    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": items}
    try:
        data = json.dumps(doc).encode()
    except ValueError:
        return
    try:
        posts = parse_feed(data, source="s", feed_url="https://feed.example/j")
    except SourceError:
        return
    _check_posts(posts)


@fuzz
@given(hostile_text)
def test_source_text_cleaning_removes_controls(text: str) -> None:
    for out in (clean_text(text), html_to_text(text), html_to_text(f"<p>{text}</p>")):
        assert not C0_C1.search(out)
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", out)
        assert out == out.strip()


# -- displayed text ----------------------------------------------------------------------------


@fuzz
@given(hostile_text)
def test_display_clean_is_inert_and_idempotent(text: str) -> None:
    out = clean(text)
    assert not C0_C1.search(out.replace("\n", "").replace("\t", ""))
    assert not BIDI.search(out)
    assert clean(out) == out
    line = one_line(text, 40)
    assert "\n" not in line and len(line) <= 40
    rendered = safe_text(text)
    assert rendered.plain == out  # never parsed as markup: the brackets stay as typed
    assert not rendered.spans


@example("\ud800")
@example("ok \udfff fine")
@fuzz
@given(any_text)
def test_display_clean_output_can_be_written_to_a_terminal(text: str) -> None:
    """A lone surrogate (a JSON "\\ud800" escape) cannot be encoded for the terminal."""
    clean(text).encode("utf-8")
    one_line(text).encode("utf-8")


@fuzz
@given(st.text(alphabet="\u0301\u0302\u0303\u0489\u20dd\u1ab0", min_size=10, max_size=500))
def test_combining_floods_are_cut(marks: str) -> None:
    out = clean("a" + marks + "b")
    assert len(out) <= 2 + 4 * 2
