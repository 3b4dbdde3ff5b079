"""Cues a community manager reads at a glance and the packs once missed: indignation
("since when"), what an update broke, an unmarked "does ... work" question, praise
that says "should" or "recommend", a refund that came, and an Arabic sentence before a
link (RE2's `\\W` is ASCII's: the sentence once read as no words at all, so as spam)."""

from __future__ import annotations

import pytest

from rules import RuleSet
from tests.rules.conftest import FakePost


@pytest.mark.parametrize(
    "text",
    [
        "acme free tier now limited to 3 projects?? since when",
        "The new palette fails contrast checks on half the labels. Please fix",
        "Battery lasts half a day since the update",
        "Everything is slower after updating to 5.1",
        "Trop de popups, pas assez de raccourcis dans la nouvelle appli Acme",
        "L'appli plante sans arrêt depuis la mise à jour",
        "البطارية صارت تخلص قبل الظهر من بعد تحديث 2.1",
    ],
)
def test_indignation_and_what_an_update_broke_are_complaints(rs: RuleSet, text: str) -> None:
    assert "complaint" in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "does handwriting search work on the free plan or only pro",
        "did the family plan include backup last year",
    ],
)
def test_a_does_question_without_a_mark_is_a_question(rs: RuleSet, text: str) -> None:
    assert "question" in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "Credit to @acme: they reached out and the fix shipped. That's how it should go.",
        "After a month with it, the Acme Pen is the one pen I'd actually recommend to students.",
        "Refund for the double charge came through. Fine, Acme, you're forgiven",
        "Update: notes restored! Support sent me a link to a snapshot. Everything is back.",
        "The Acme Pen is the first gadget that actually improved my grades",
    ],
)
def test_praise_is_not_taken_for_a_request_or_a_complaint(rs: RuleSet, text: str) -> None:
    v = rs.classify(FakePost(text=text))
    assert v.category == "praise", v.reasons


def test_a_request_to_recommend_is_still_a_suggestion(rs: RuleSet) -> None:
    v = rs.classify(FakePost(text="It would be nice if you could recommend similar notebooks"))
    assert "suggestion" in v.labels


@pytest.mark.parametrize(
    "text",
    [
        "قريت مقال عن طريقة عمل المزامنة، مفيد لإلي بيحب التفاصيل: https://devnotes.example/x",
        "دليلنا الكامل لإعداد القلم مع الآيباد: https://guides.example/pen",
    ],
)
def test_an_arabic_sentence_before_a_link_is_not_a_bare_link(rs: RuleSet, text: str) -> None:
    v = rs.classify(FakePost(text=text))
    assert not v.spam, v.reasons


@pytest.mark.parametrize(
    "text", ["https://spam.example/x", "👉 https://spam.example/x !!", "«https://spam.example/x»"]
)
def test_a_bare_link_is_still_spam(rs: RuleSet, text: str) -> None:
    assert rs.classify(FakePost(text=text)).spam


def test_a_feed_item_pointing_to_its_page_is_not_spam(rs: RuleSet) -> None:
    """A feed has no follower count to tell a stranger from a newsroom."""
    text = "The new notes apps compared: watch this before you buy https://x.example/a"
    assert not rs.classify(FakePost(text=text, source_kind="feed")).spam
    assert not rs.classify(FakePost(text=text, source_kind="hackernews")).spam
    assert rs.classify(FakePost(text=text, source_kind="mastodon")).spam  # a stranger's plea


@pytest.mark.parametrize(
    "text",
    [
        "Gigya launches a platform to give businesses access to users' social identities. "
        "Pricing starts at $500 per month; sign up online at gigya.com",
        "Ooma invades Canada: US Premier subscribers can now talk to their northern cousins "
        "for free. Subscribe to our newsletter for more.",
        "Release notes: fixes and improvements. Check out our blog at blog.example.com",
        "Nimbus raises $40M. Click here to read more.",
    ],
)
def test_a_news_item_from_a_feed_is_not_hidden_as_spam(rs: RuleSet, text: str) -> None:
    assert not rs.classify(FakePost(text=text, source_kind="feed")).spam
    assert not rs.classify(FakePost(text=text, source_kind="hackernews")).spam


def test_a_feed_item_that_is_only_a_link_or_a_deal_is_still_spam(rs: RuleSet) -> None:
    assert rs.classify(FakePost(text="https://spam.example/x", source_kind="feed")).spam
    deal = ">>> cheapdeals.example <<< 90% off everything"
    assert rs.classify(FakePost(text=deal, source_kind="feed")).spam


@pytest.mark.parametrize(
    "text",
    [
        "We find an 8.2 p.p. increase in the seat share after redistricting www.nber.org/x",
        "So I'm now having to check my car's oil each month, thanks @acme",
        "A little help with this jean problem please. Worn twice. @acme https://t.co/x1",
    ],
)
def test_a_word_that_only_looks_like_a_plea_is_not_spam(rs: RuleSet, text: str) -> None:
    assert not rs.classify(FakePost(text=text)).spam


@pytest.mark.parametrize(
    "text",
    [
        "Check my channel out, new covers every week",
        "please share this https://spam.example/x",
        "Check out my new video https://spam.example/v",
    ],
)
def test_a_plea_to_strangers_is_still_spam(rs: RuleSet, text: str) -> None:
    assert rs.classify(FakePost(text=text)).spam


def test_a_title_that_asks_makes_a_question(rs: RuleSet) -> None:
    asked = (
        "Whats the best used ThinkPad for Windows 11?\nI have a budget of 300 and need it for work."
    )
    assert "question" in rs.classify(FakePost(text=asked)).labels
    said = "Best used ThinkPad for Windows 11\nI have a budget of 300 and need it for work."
    assert "question" not in rs.classify(FakePost(text=said)).labels
    shrug = "How cool is that?\nThe new pen arrived today."
    assert "question" not in rs.classify(FakePost(text=shrug)).labels


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("خصم 50% على كل المنتجات", "complaint"),  # a discount, not money taken
        ("موعد السحب بعد العيد", "complaint"),  # a prize draw
        ("على الإسلام السلام، إذ بُليت الأمة", "suggestion"),  # بليت is not ب + ليت (a wish)
        ("اشتركت بمسابقات كثير وانا اشترك ولا مره فزت", "spam"),  # "I take part"
    ],
)
def test_arabic_words_that_only_look_like_a_cue(rs: RuleSet, text: str, label: str) -> None:
    v = rs.classify(FakePost(text=text))
    assert label not in v.labels and not (label == "spam" and v.spam), v.reasons


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("خصموا المبلغ مرتين من حسابي", "complaint"),
        ("انسحب المبلغ من رصيدي وما وصل الطلب", "complaint"),
        ("يا ليت تضيفون الوضع الليلي", "suggestion"),
        ("ليتكم تضيفون خاصية التصدير", "suggestion"),
    ],
)
def test_arabic_cues_said_in_full_still_count(rs: RuleSet, text: str, label: str) -> None:
    assert label in rs.classify(FakePost(text=text)).labels


def test_subscribing_to_a_channel_in_arabic_is_spam(rs: RuleSet) -> None:
    assert rs.classify(FakePost(text="اشتركوا في القناة يا جماعة")).spam


@pytest.mark.parametrize(
    "text",
    [
        "Just wrote about my first month with the Acme pen: https://blog.example/x check it out!",
        "Check out my review of the Acme Pen https://youtu.be/abc",
        "My video on setting up Acme with Obsidian is up https://youtu.be/abc",
        "I made an Acme template pack, free download on my blog https://blog.example/t",
        "Follow me for more Acme tips!",
        "Please watch my acme unboxing https://video.example/x and share",
        "Mon avis sur le stylo Acme après un mois, sur mon blog https://blog.example/fr",
        "شرح طريقة إعداد قلم أكمي على قناتي https://youtu.be/ar",
    ],
)
def test_a_creators_own_content_is_not_hidden_as_spam(rs: RuleSet, text: str) -> None:
    """Reviews, tutorials and templates are what a community manager most wants to see."""
    assert not rs.classify(FakePost(text=text, source_kind="bluesky")).spam


def test_a_channel_plug_with_nothing_made_is_still_spam(rs: RuleSet) -> None:
    for text in ("check out my channel, sub4sub", "Check out my new video https://x.example/v"):
        assert rs.classify(FakePost(text=text, source_kind="bluesky")).spam, text


@pytest.mark.parametrize(
    "text",
    [
        "I get paid on Friday and Acme already charged me twice",
        "I work from home and the Acme sync keeps failing",
    ],
)
def test_a_customer_saying_money_words_is_not_spam(rs: RuleSet, text: str) -> None:
    v = rs.classify(FakePost(text=text, source_kind="mastodon", followers=50))
    assert not v.spam and v.category == "complaint", v.reasons


def test_money_for_a_click_is_still_spam(rs: RuleSet) -> None:
    for text in ("Earn $500 a day from home, DM me", "Work from home and earn cash, DM me"):
        assert rs.classify(FakePost(text=text, source_kind="mastodon")).spam, text


@pytest.mark.parametrize(
    "text",
    [
        "Vous gagnez de l'argent sur notre dos avec ces abonnements",
        "Cliquez ici qu'ils disent, et rien ne marche",
        "Your support told me to click here and nothing happened",
        "اربح ايش؟ التطبيق ما يشتغل من امس",
    ],
)
def test_a_customer_quoting_a_pitch_back_is_complaining_not_spamming(
    rs: RuleSet, text: str
) -> None:
    v = rs.classify(FakePost(text=text, source_kind="mastodon", followers=50))
    assert not v.spam and "complaint" in v.labels, v.reasons


def test_the_pitch_itself_is_still_spam(rs: RuleSet) -> None:
    text = "Gagnez un stylo Acme gratuit en cliquant ici https://scam.example"
    assert rs.classify(FakePost(text=text, source_kind="mastodon")).spam


@pytest.mark.parametrize(
    "text",
    [
        "acme.io is down again",
        "Is acme.com down for anyone else?",
        "I bought it on amazon.com and it arrived broken",
        "Loving the acme.io dashboard",
    ],
)
def test_a_customer_naming_a_site_is_not_spam(rs: RuleSet, text: str) -> None:
    assert not rs.classify(FakePost(text=text, source_kind="mastodon", followers=50)).spam


def test_a_bare_domain_plug_is_still_spam(rs: RuleSet) -> None:
    for text in ("cheapest pens at bestpens.xyz", "Please visit this Website: oldchat.tk"):
        assert rs.classify(FakePost(text=text)).spam, text


@pytest.mark.parametrize(
    "text",
    [
        "Follow me on this: the Acme outage is still going",
        "Watch this: Acme sync deleted my notes live on stream https://twitch.tv/x",
        "تابعوني بخصوص مشكلة المزامنة، الدعم ما رد",
        "I earn my living with my notes, Acme just lost them",
    ],
)
def test_a_customer_in_trouble_is_not_hidden_as_spam(rs: RuleSet, text: str) -> None:
    assert not rs.classify(FakePost(text=text, source_kind="mastodon", followers=50)).spam


@pytest.mark.parametrize(
    "text",
    [
        "which pen tip is best for drawing",
        "what plan works best for a team of five",
        "how do I export my notes to pdf",
        "Comment exporter mes notes en PDF ?",
        "quelqu'un sait si on peut partager un carnet",
        "في احد يعرف اذا فيه خطة عائلية",
        "بكم القلم",
    ],
)
def test_questions_typed_as_people_type_them(rs: RuleSet, text: str) -> None:
    assert "question" in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "my acme pen won't turn on anymore",
        "Ordered the pen 3 weeks ago, still nothing",
        "Why is the app so slow lately",
        "support hasn't answered my ticket in 5 days",
        "Dark mode resets every time I open the app",
        "التطبيق يطلعني كل شوي",
    ],
)
def test_complaints_typed_as_people_type_them(rs: RuleSet, text: str) -> None:
    assert "complaint" in rs.classify(FakePost(text=text)).labels


def test_anymore_alone_is_no_complaint(rs: RuleSet) -> None:
    text = "@acme looking for the blue notebook, do you have it in stock anymore?"
    assert "complaint" not in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "Acme really needs a Linux app",
        "wish I could tag notes across notebooks",
        "an option to disable the AI summary would be nice",
        "Ajoutez un raccourci pour le surligneur svp",
        "لو توفرون خطة للطلاب",
    ],
)
def test_suggestions_typed_as_people_type_them(rs: RuleSet, text: str) -> None:
    assert "suggestion" in rs.classify(FakePost(text=text)).labels


def test_a_problem_solved_is_praise_and_one_still_open_a_complaint(rs: RuleSet) -> None:
    assert rs.classify(FakePost(text="Merci au support, problème réglé en 5 minutes")).category == (
        "praise"
    )
    still = rs.classify(FakePost(text="Problème toujours pas réglé depuis une semaine"))
    assert still.category == "complaint"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Support fixed my issue in 10 minutes", "praise"),
        ("Issue still not resolved", "complaint"),
        ("انحلت المشكلة شكرا للدعم", "praise"),
        ("تم حل المشكلة بسرعة، شكرا", "praise"),
        ("المشكلة ما انحلت للحين", "complaint"),
        ("ما تم حل المشكلة للحين", "complaint"),
    ],
)
def test_solved_is_not_unsolved_in_english_and_arabic(
    rs: RuleSet, text: str, category: str
) -> None:
    assert rs.classify(FakePost(text=text)).category == category
