"""The `/` filter syntax: what each term matches, and that no input can break it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbox.model import Mention
from inbox.query import Query, Term, parse_query
from rules.verdict import Sentiment, Verdict
from sources.models import Post

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


def mention(
    text: str = "hello",
    *,
    id: str = "m1",
    author: str = "jane",
    title: str = "",
    lang: str = "",
    language: str = "en",
    category: str = "other",
    labels: tuple[str, ...] = (),
    sentiment: str = "neutral",
    state: str = "open",
    kind: str = "mastodon",
    source: str = "mastodon:#acme",
) -> Mention:
    post = Post(
        id=id,
        text=text,
        author=author,
        title=title,
        lang=lang,
        source=source,
        source_kind=kind,
        created_at=T0,
    )
    verdict = Verdict(
        category=category,
        labels=labels,
        sentiment=Sentiment({"negative": -0.6, "positive": 0.6}.get(sentiment, 0.0), sentiment),
        language=language,
        priority=1.0,
        sla_minutes=None,
    )
    return Mention(post=post, verdict=verdict, first_seen=T0, state=state, sources=[source])


def ok(q: str, m: Mention, drafts: frozenset[str] = frozenset()) -> bool:
    return parse_query(q).matches(m, drafts)


def test_words_all_must_match_ignoring_case_and_accents() -> None:
    m = mention("Le remboursement n'est PAS arrivé, Café fermé")
    assert ok("arrive cafe", m)
    assert ok("ARRIVÉ", m)
    assert not ok("arrive pizza", m)
    assert ok("", m)


def test_arabic_is_folded_lightly() -> None:
    m = mention("متى يصل الطلب؟ أريد إلغاء الطلبية")
    assert ok("اريد", m)  # hamza on alef folded
    assert ok("الغاء", m)
    assert ok("الطلبيه", m)  # teh marbuta typed as heh
    assert ok("الطـلب", m)  # tatweel ignored
    assert not ok("شكرا", m)


def test_phrases_keep_word_order() -> None:
    m = mention("the app is not working since   the update")
    assert ok('"not working"', m)
    assert ok('"since the update"', m)
    assert not ok('"working not"', m)


def test_fields() -> None:
    m = mention(
        "Why is my order late? https://acme.example/o/1",
        author="@Jane_Doe",
        language="fr",
        category="question",
        labels=("question", "delivery"),
        sentiment="negative",
        kind="mastodon",
        source="mastodon:#acme",
    )
    assert ok("from:jane", m) and ok("from:@jane_doe", m) and not ok("from:bob", m)
    assert ok("lang:fr", m) and ok("LANG:FR", m) and not ok("lang:en", m)
    assert ok("is:question", m) and ok("is:delivery", m) and not ok("is:complaint", m)
    assert ok("is:open", m) and not ok("is:done", m)
    assert ok("source:mastodon", m) and ok("source:mastodon:#ac", m) and not ok("source:hn", m)
    assert ok("has:link", m) and not ok("has:link", mention("no link here"))
    assert ok("sentiment:negative", m) and ok("sentiment:neg", m)
    assert not ok("sentiment:positive", m)


def test_from_with_quoted_value_holding_a_space() -> None:
    m = mention(author="Jean Dupont")
    q = parse_query('from:"jean dup"')
    assert q.clauses == ((Term("from", "jean dup"),),)
    assert q.matches(m)
    assert str(q) == 'from:"jean dup"'


def test_is_draft_reads_the_ids_passed_in() -> None:
    m = mention(id="x1")
    q = parse_query("is:draft")
    assert q.needs_drafts
    assert q.matches(m, {"x1"}) and not q.matches(m, set())
    assert parse_query("-is:draft").matches(m, set())
    assert not parse_query("lang:en").needs_drafts


def test_states() -> None:
    for state in ("open", "done", "spam", "snoozed", "muted"):
        m = mention(state=state)
        assert ok(f"is:{state}", m)
        assert not ok(f"-is:{state}", m)


def test_language_falls_back_to_the_declared_one_when_undetermined() -> None:
    assert ok("lang:pt", mention(language="und", lang="pt-BR"))
    assert not ok("lang:pt", mention(language="es", lang="pt-BR"))


def test_negation() -> None:
    m = mention("great product", author="bob")
    assert not ok("-great", m)
    assert ok("-awful", m)
    assert not ok("-from:bob", m) and ok("-from:alice", m)
    assert not ok('-"great product"', m)
    # two dashes: the second belongs to the word
    assert parse_query("--x").clauses == ((Term("word", "-x", True),),)


def test_or_between_terms_like_gmail() -> None:
    q = parse_query("bug OR crash lang:en")
    assert q.clauses == ((Term("word", "bug"), Term("word", "crash")), (Term("lang", "en"),))
    assert q.matches(mention("a crash again"))
    assert not q.matches(mention("a crash again", language="fr"))
    assert not q.matches(mention("all good"))
    # lowercase "or" is a word
    assert len(parse_query("bug or crash").clauses) == 3


def test_a_rejected_quoted_value_is_one_literal() -> None:
    q = parse_query('has:"0"0')
    assert q.clauses == ((Term("word", 'has:"0"'),), (Term("word", "0"),))
    assert parse_query(str(q)) == q


@pytest.mark.parametrize(
    ("text", "word", "warns"),
    [
        ("has:nothing", "has:nothing", "has:"),
        ("sentiment:angry", "sentiment:angry", "sentiment:"),
        ("from:", "from:", "needs a value"),
        ("colour:red", "colour:red", "unknown filter"),
        ("OR", "OR", "OR must stand"),
    ],
)
def test_bad_tokens_become_literal_words_with_a_warning(text: str, word: str, warns: str) -> None:
    q = parse_query(text)
    assert q.clauses == ((Term("word", word),),)
    assert any(warns in w for w in q.warnings), q.warnings
    assert q.matches(mention(f"see {word} here"))


def test_an_unknown_is_value_still_filters_but_says_what_is_known() -> None:
    q = parse_query("is:complain")  # a typo for is:complaint
    assert q.clauses == ((Term("is", "complain"),),)
    (warning,) = q.warnings
    assert "complaint" in warning and "snoozed" in warning and "draft" in warning
    for known in ("is:complaint", "is:snoozed", "is:draft", "is:other", "-is:spam"):
        assert parse_query(known).warnings == (), known


def test_urls_and_times_are_words_without_warnings() -> None:
    q = parse_query("https://acme.example 10:30")
    assert q.warnings == ()
    assert q.matches(mention("at 10:30 see https://acme.example/x"))


def test_unclosed_quote_and_lone_dash_warn() -> None:
    q = parse_query('"not working')
    assert q.clauses == ((Term("phrase", "not working"),),)
    assert q.warnings
    assert parse_query("a - b").warnings
    assert parse_query('""').clauses == ()


def test_canonical_form() -> None:
    q = parse_query('  refund   FROM:Jane -is:spam "two words"  a OR  b ')
    assert str(q) == 'refund from:Jane -is:spam "two words" a OR b'
    assert parse_query(str(q)) == q
    assert not parse_query("   ")
    assert isinstance(parse_query(None), Query)  # type: ignore[arg-type]


def test_describe_for_the_live_preview() -> None:
    lines = parse_query("-from:bob bug OR crash").describe()
    assert lines == ["not author bob", "contains 'bug' or contains 'crash'"]


# -- properties ----------------------------------------------------------------------------

_HOSTILE = st.sampled_from(
    ['"', "-", ":", "OR", "from:", 'from:"', "is:", "has:", "\u202e", "\x1b[2J", "[/", " ", "\n"]
)
_any_text = st.lists(st.one_of(st.text(max_size=8), _HOSTILE), max_size=12).map("".join)
_value = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Cc"), blacklist_characters='"'),
    min_size=1,
    max_size=6,
).filter(lambda s: s.strip() and not s.startswith("-"))
_field_term = st.builds(
    lambda f, v: f"{f}:{v}",
    st.sampled_from(["from", "lang", "is", "source", "sentiment"]),
    st.sampled_from(["fr", "en", "open", "draft", "question", "neg", "mastodon", "jane"]),
)
_term = st.one_of(
    _value,
    _value.map(lambda v: f'"{v} {v}"'),
    _field_term,
    st.just("has:link"),
    st.just("OR"),
)
_mentions = st.builds(
    mention,
    text=st.sampled_from(["Où est ma commande ? https://x.example", "great app", "OR not", "متى"]),
    author=st.sampled_from(["jane", "bob", "@Jean Dupont"]),
    language=st.sampled_from(["fr", "en", "ar", "und"]),
    category=st.sampled_from(["question", "complaint", "other"]),
    sentiment=st.sampled_from(["negative", "neutral", "positive"]),
    state=st.sampled_from(["open", "done", "spam"]),
)


@settings(max_examples=400, deadline=None)
@given(_any_text, _mentions)
def test_parse_never_raises_and_round_trips(text: str, m: Mention) -> None:
    q = parse_query(text)
    again = parse_query(str(q))
    assert again == q
    assert str(again) == str(q)
    assert again.matches(m, {"m1"}) == q.matches(m, {"m1"})


@settings(max_examples=300, deadline=None)
@given(_term, _mentions, st.booleans())
def test_negation_inverts(term: str, m: Mention, draft: bool) -> None:
    drafts = {m.id} if draft else set()
    assert parse_query("-" + term).matches(m, drafts) != parse_query(term).matches(m, drafts)


@settings(max_examples=200, deadline=None)
@given(st.lists(_term, min_size=1, max_size=5), _mentions)
def test_terms_side_by_side_are_a_conjunction(terms: list[str], m: Mention) -> None:
    joined = parse_query(" ".join(t for t in terms if t != "OR"))
    each = all(parse_query(t).matches(m) for t in terms if t != "OR")
    assert joined.matches(m) == each


def test_prepare_fills_the_cache_and_a_changed_post_is_read_afresh() -> None:
    from inbox import query as q

    m = mention("première", id="prep1")
    assert q.prepare([m]) == 1
    assert q._HAY_CACHE["prep1"][1].endswith("premiere")
    m.post = Post(id="prep1", text="deuxième", created_at=T0)  # re-ingested, new object
    assert ok("deuxieme", m) and not ok("premiere", m)
