"""Verdicts: labels, category in queue order, effects, reasons, priority and urgency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from rules import Verdict, load_rules, urgency
from rules.verdict import Sentiment
from tests.rules.conftest import FakePost


def classify(text: str, rules_dir=None, **kw):  # type: ignore[no-untyped-def]
    rs = load_rules([rules_dir] if rules_dir else None)
    assert rs.errors == []
    return rs.classify(FakePost(text=text, **kw))


def test_question_in_three_languages() -> None:
    assert classify("How do I change my plan?").category == "question"
    assert classify("Est-ce que vous livrez en Belgique ?").category == "question"
    assert classify("هل يوجد فرع في جدة؟").category == "question"


def test_complaint_in_three_languages() -> None:
    assert classify("My order never arrived and support is useless").category == "complaint"
    assert classify("Ma box est en panne depuis trois jours").category == "complaint"
    assert classify("الانترنت مقطوع من امس والخدمة سيئة").category == "complaint"


def test_suggestion_and_praise() -> None:
    assert classify("It would be great if you added a dark mode").category == "suggestion"
    assert classify("Ce serait bien d'ajouter un mode sombre").category == "suggestion"
    assert classify("ياريت تضيفون خاصية الدفع بالبطاقة").category == "suggestion"
    assert classify("Thank you, the new app is fantastic").category == "praise"
    assert classify("Merci, service au top").category == "praise"
    assert classify("شكرا على الخدمة الممتازة").category == "praise"


def test_several_labels_first_in_queue_order_wins() -> None:
    v = classify("Why is my refund still not here?")
    assert {"question", "complaint"} <= set(v.labels)
    assert v.category == "question"
    assert v.sla_minutes == 15


def test_reasons_name_the_rule_and_the_words() -> None:
    v = classify("The app keeps crashing, unacceptable")
    why = [r for r in v.reasons if r.effect == "label:complaint"]
    assert why and why[0].rule == "en-complaint-strong"
    assert "keeps crashing" in why[0].matched or "unacceptable" in why[0].matched


def test_spam_is_flagged_and_sinks() -> None:
    v = classify("Check out my channel and subscribe!! http://spam.example")
    assert v.spam and "spam" in v.labels
    assert v.category == "other"
    assert v.priority == 0.0
    assert urgency(v, 1000) == 0.0


def test_language_detected_or_taken_from_post() -> None:
    assert classify("the delivery was late again").language == "en"
    assert classify("la livraison est encore en retard").language == "fr"
    assert classify("التوصيل متأخر مرة ثانية").language == "ar"
    assert classify("whatever", lang="fr").language == "fr"


def test_a_declared_language_in_the_wrong_script_is_not_believed() -> None:
    """Mastodon and Bluesky carry the language the client was set to, not the post's."""
    assert classify("الطلب ما وصل والدعم ما يرد", lang="en").language == "ar"
    assert classify("my order never arrived", lang="ar").language == "en"
    assert classify("@acme الطلب ما وصل", lang="fr").language == "ar"
    assert classify("ma commande n'est pas arrivée", lang="en").language == "en"  # same script


def test_sentiment_labels() -> None:
    assert classify("I love this, wonderful team").sentiment.label == "positive"
    assert classify("This is terrible and I hate it").sentiment.label == "negative"
    assert classify("Je déteste ce service, c'est nul").sentiment.label == "negative"
    assert classify("الخدمة ممتازة وسريعة").sentiment.label == "positive"
    assert classify("الخدمة مش حلوة ابدا").sentiment.label == "negative"


EFFECTS = """
categories = ["urgent", "question", "complaint", "suggestion", "praise", "other"]

[sla]
urgent = 5

[priority]
base = 2.0
wait = 3.0

[priority.category]
urgent = 10

[[rule]]
id = "outage"
category = "urgent"
words = ["outage"]

[[rule]]
id = "vip"
boost = 1.5
followers_at_least = 10000

[[rule]]
id = "press"
multiply = 2
author = ["@journalist"]

[[rule]]
id = "bots"
mute = true
author = ["bot"]

[[rule]]
id = "escalate"
label = "escalate"
labels = ["complaint"]
sentiment_below = -0.5
"""


def test_effects(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({"mine.toml": EFFECTS})
    rs = load_rules([d])
    assert rs.errors == []
    assert rs.categories[0] == "urgent"
    v = rs.classify(FakePost(text="Total outage here"))
    assert v.category == "urgent" and v.sla_minutes == 5 and v.priority == 10
    v = rs.classify(FakePost(text="hello", followers=50000))
    assert v.priority == 3.5 and v.boost == 1.5
    v = rs.classify(FakePost(text="hello", followers=50000, author="Journalist"))
    assert v.priority == 7.0
    v = rs.classify(FakePost(text="hello", author="bot"))
    assert v.muted and any(r.effect == "mute" for r in v.reasons)
    v = rs.classify(FakePost(text="The worst, awful, terrible, useless service"))
    assert "escalate" in v.labels
    assert rs.hits["outage"] == 1 and rs.hits["vip"] == 2
    summary = {r["id"]: r for r in rs.rules_summary()}
    assert summary["outage"]["hits"] == 1 and summary["outage"]["file"] == "mine.toml"


def test_urgency_rises_with_wait_reach_repeat_and_negativity(write_rules) -> None:  # type: ignore[no-untyped-def]
    base = Verdict("complaint", ("complaint",), Sentiment(-0.8, "negative"), "en", 1.0, 15)
    calm = Verdict("complaint", ("complaint",), Sentiment(0.0, "neutral"), "en", 1.0, 15)
    assert urgency(base, 10) > urgency(base, 5) > urgency(base, 0)
    assert urgency(base, 30) - urgency(base, 15) > urgency(base, 15) - urgency(base, 0)
    assert urgency(base, 5, followers=100000) > urgency(base, 5, followers=10)
    assert urgency(base, 5, seen_before=5) > urgency(base, 5)
    assert urgency(base, 5) > urgency(calm, 5)
    rs = load_rules([write_rules({"mine.toml": "[priority]\nwait = 10\n"})])
    assert rs.urgency(base, 10) - rs.urgency(base, 0) > urgency(base, 10) - urgency(base, 0)


def test_deadline_from_created_at() -> None:
    when = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    v = classify("How do I log in?", created_at=when)
    assert v.deadline == datetime(2026, 1, 1, 12, 15, tzinfo=UTC)
    assert Verdict.from_dict(v.to_dict()).deadline == v.deadline
    assert Verdict.from_dict({**v.to_dict(), "deadline": "soon"}).deadline is None


def test_classify_is_thread_safe() -> None:
    rs = load_rules()
    texts = ["How do I log in?", "Ma box est en panne", "شكرا جزيلا", "broken again!!"] * 50
    when = datetime(2026, 1, 1, tzinfo=UTC)
    expected = [rs.classify(FakePost(text=t, created_at=when)) for t in texts]
    first_run = sum(rs.hits.values())
    assert first_run > 0
    results: list[list[Verdict]] = []

    def work() -> None:
        results.append([rs.classify(FakePost(text=t, created_at=when)) for t in texts])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)
    assert sum(rs.hits.values()) == 5 * first_run  # no hit lost to a race


def test_long_text_is_capped_and_fast() -> None:
    rs = load_rules()
    v = rs.classify(FakePost(text="refund " * 100_000))
    assert v.category == "complaint"


def test_sentiment_tuning_in_toml(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "[sentiment.en]\npositive = 0.9\nnegative = -0.9\nquestion = -4\n"
        "[sentiment.en.words]\nzorblax = 3.5\n"
    )
    rs = load_rules([write_rules({"tune.toml": text})])
    assert rs.errors == []
    assert rs.classify(FakePost(text="nice", lang="en")).sentiment.label == "neutral"
    assert rs.classify(FakePost(text="zorblax", lang="en")).sentiment.compound > 0.6
    asked = rs.classify(FakePost(text="ok?", lang="en")).sentiment
    assert asked.compound < -0.5 and asked.label == "neutral"  # not past the -0.9 line


def test_words_ignore_handles_and_links() -> None:
    rs = load_rules()
    v = rs.classify(FakePost(text="@FC_Help hello https://example.com/refund"))
    assert "complaint" not in v.labels  # neither "help" nor "refund" was written


def test_summary_and_sla_mapping() -> None:
    rs = load_rules()
    summary = {r["id"]: r for r in rs.rules_summary()}
    assert summary["en-complaint-strong"]["description"]
    assert summary["spam-money"]["label"] == "spam"
    rs.sla["praise"] = 60  # the config may override a pack's targets
    assert rs.sla_minutes("praise") == 60


def test_priority_stays_finite_whatever_the_weights(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        '[[rule]]\nid = "a"\nlabel = "question"\nregex = ""\nmultiply = 1e308\nboost = 1e308\n'
        '[[rule]]\nid = "b"\nlabel = "praise"\nregex = ".*"\nmultiply = 1e308\n'
        '[[rule]]\nid = "c"\nlabel = "zero"\nwords = ["zero"]\nmultiply = 0\n'
    )
    rs = load_rules([write_rules({"big.toml": text})])
    assert rs.errors == []
    for t in ("hello", "zero here", ""):
        v = rs.classify(FakePost(text=t))
        assert v.priority == v.priority and abs(v.priority) <= 1e6
        assert abs(rs.urgency(v, 1e9, followers=10**12, seen_before=10**9)) < float("inf")


def test_reasons_show_the_words_as_written() -> None:
    v = classify("الخدمة سيئة والنت مقطوع")
    shown = " ".join(r.matched for r in v.reasons)
    assert "سيئة" in shown or "مقطوع" in shown
    v = classify("Gros problème avec la livraison")
    assert any("problème" in r.matched for r in v.reasons)


def test_verdict_fields_in_the_order_classify_passes_them() -> None:
    # classify() builds a Verdict positionally; a reordered field would shift values.
    import dataclasses

    names = [f.name for f in dataclasses.fields(Verdict)]
    assert names == [
        "category",
        "labels",
        "sentiment",
        "language",
        "priority",
        "sla_minutes",
        "reasons",
        "spam",
        "muted",
        "boost",
        "extra",
        "deadline",
    ]
    v = classify("How do I change my plan?")
    assert (v.category, v.language, v.sla_minutes, v.extra) == ("question", "en", 15, {})


def test_verdict_set_slot_by_slot_is_a_whole_frozen_verdict(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # classify() fills a Verdict's slots one by one while its fields are the ones it
    # knows; a field added to Verdict must be added there too (or it falls back).
    import dataclasses

    import pytest

    from rules import engine

    assert engine._FAST_VERDICT
    rs = load_rules()
    when = datetime(2026, 1, 1, tzinfo=UTC)
    texts = [
        "Where is my refund? This is the third time I ask!!",
        "@acme thanks, great job",
        "Check out my channel and subscribe http://spam.example",
        "Ma commande est en retard, c'est une honte",
        "الخدمة سيئة جدا",
    ]
    fast = [rs.classify(FakePost(text=t, created_at=when)) for t in texts]
    monkeypatch.setattr(engine, "_FAST_VERDICT", False)
    slow = [rs.classify(FakePost(text=t, created_at=when)) for t in texts]
    assert fast == slow
    for f, s in zip(fast, slow, strict=True):
        assert type(f) is Verdict
        assert [getattr(f, x.name) for x in dataclasses.fields(Verdict)] == [
            getattr(s, x.name) for x in dataclasses.fields(Verdict)
        ]
    assert fast[0].labels and fast[0].reasons and fast[0].deadline is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast[0].category = "other"  # type: ignore[misc]


GATED = """
[[rule]]
id = "any-word-or-regex"
label = "complaint"
any = [{ words = ["refund"] }, { regex = 'order #\\d+' }]

[[rule]]
id = "all-word-and-regex"
label = "question"
all = [{ words = ["delivery"] }, { regex = '\\?$' }]

[[rule]]
id = "prefix-words"
boost = 2.0
words = ["cancel*"]

[[rule]]
id = "at-least-two"
label = "suggestion"
at_least = { n = 2, of = [{ words = ["please"] }, { regex = 'dark mode' }, { words = ["add"] }] }
"""


def _every_rule(rs, post):  # type: ignore[no-untyped-def]
    """The labels and boost from asking every rule in order, no index: what the rules
    the index wakes must add up to."""
    from rules.conditions import prepare

    v = rs.classify(post)
    p = prepare(post.text, lang=v.language, compound=v.sentiment.compound, author="",
                followers=0, source="", has_link="http" in post.text, is_reply=False,
                patterns=rs._patterns)  # fmt: skip
    labels: list[str] = []
    boost = 0.0
    for r in rs.rules:
        if (r.langs is None or v.language in r.langs) and r.condition.match(p) is not None:
            if r.label and r.label not in p.labels:
                p.labels.add(r.label)
                labels.append(r.label)
            boost += r.boost
    return labels, boost


def test_rules_woken_by_their_words_or_regexes_are_all_that_can_fire(write_rules) -> None:  # type: ignore[no-untyped-def]
    rs = load_rules([write_rules({"gated.toml": GATED})], active=["gated"])
    assert rs.errors == []
    texts = [
        "I want a refund",
        "where is order #123",
        "when is my delivery?",
        "delivery was fine",
        "please cancel it",
        "cancellation pending",
        "please add dark mode",
        "dark mode please",
        "add it",
        "nothing to see",
    ]
    for text in texts:
        v = rs.classify(FakePost(text=text))
        labels, boost = _every_rule(rs, FakePost(text=text))
        assert list(v.labels) == labels, text
        assert v.boost == boost, text
    assert classify_with(rs, "where is order #123").labels == ("complaint",)
    assert classify_with(rs, "please cancel it").boost == 2.0
    assert classify_with(rs, "when is my delivery?").labels == ("question",)
    assert classify_with(rs, "dark mode please").labels == ("suggestion",)
    assert classify_with(rs, "delivery was fine").labels == ()


def classify_with(rs, text: str) -> Verdict:  # type: ignore[no-untyped-def]
    return rs.classify(FakePost(text=text))


BY_LANG = """
[[rule]]
id = "fr-inversion"
label = "question"
lang = ["fr"]
regex = 'est-ce|peux-tu'

[[rule]]
id = "en-order"
label = "complaint"
lang = ["en"]
regex = 'order #\\d+'

[[rule]]
id = "any-link"
boost = 1.0
regex = 'https?://'

[[rule]]
id = "en-praise"
label = "praise"
lang = ["en"]
words = ["great"]
"""


def test_each_language_asks_a_set_of_its_own_rules_regexes(write_rules) -> None:  # type: ignore[no-untyped-def]
    # A post's regex pass runs its language's regexes alone; the verdict must be what
    # asking every rule of that language, each regex on its own, gives.
    from rules.conditions import prepare

    rs = load_rules([write_rules({"bylang.toml": BY_LANG})], active=["bylang"])
    assert rs.errors == []
    fr_set = rs._by_lang["fr"].regexes
    assert fr_set is not None
    assert fr_set.known == {"est-ce|peux-tu", "https?://"}
    assert rs._by_lang["ar"].regexes is not None
    assert rs._by_lang["ar"].regexes.known == {"https?://"}
    posts = [
        ("fr", "est-ce que ma commande order #12 arrive ? http://x.co"),
        ("en", "est-ce great? order #12 http://x.co"),
        ("en", "peux-tu"),
        ("ar", "طلبي order #12 http://x.co est-ce"),  # Arabic script: lang "ar" is kept
        ("fr", "rien"),
    ]
    for lang, text in posts:
        v = rs.classify(FakePost(text=text, lang=lang))
        p = prepare(text, lang=lang, compound=v.sentiment.compound, author="", followers=0,
                    source="", has_link="http" in text, is_reply=False)  # fmt: skip
        labels: list[str] = []
        boost = 0.0
        for r in rs.rules:
            if (r.langs is None or lang in r.langs) and r.condition.match(p) is not None:
                if r.label and r.label not in labels:
                    labels.append(r.label)
                boost += r.boost
        assert (list(v.labels), v.boost) == (labels, boost), text
    assert rs.classify(FakePost(text="peux-tu", lang="fr")).labels == ("question",)
    assert rs.classify(FakePost(text="peux-tu", lang="en")).labels == ()


def test_category_from_one_label_or_several(write_rules) -> None:  # type: ignore[no-untyped-def]
    # One label in the queue order is the category; a label outside it is none.
    rules = """
[[rule]]
id = "billing"
label = "billing"
words = ["invoice"]

[[rule]]
id = "ask"
label = "question"
words = ["how"]

[[rule]]
id = "moan"
label = "complaint"
words = ["broken"]
"""
    rs = load_rules([write_rules({"cat.toml": rules})], active=["cat"])
    assert rs.errors == []
    assert classify_with(rs, "my invoice").category == "other"
    assert classify_with(rs, "how now").category == "question"
    assert classify_with(rs, "broken invoice").category == "complaint"
    assert classify_with(rs, "broken, how").labels == ("question", "complaint")
    assert classify_with(rs, "broken, how").category == "question"
    assert classify_with(rs, "nothing here").category == "other"
