"""The default packs' complaint rules on what a brand's users write when the product
lets them down: a failing device or app, lost work, a double charge, in English,
French and Arabic, with no '@' to the brand and no swearing."""

from __future__ import annotations

import pytest

from rules import RuleSet
from tests.rules.conftest import FakePost


@pytest.mark.parametrize(
    "text",
    [
        "Since the last firmware my watch battery drains before noon",
        "the acme app keeps freezing when I open the camera roll",
        "Acme sync overwrote my shopping list with last week's one",
        "acme web logs me out every ten minutes, mid-meeting",
        "The new acme dashboard is so much worse than the old one",
        "Mon casque Acme se déconnecte toutes les cinq minutes",
        "La mise à jour a écrasé toutes mes photos, merci Acme",
        "Prélevé deux fois ce mois-ci par Acme, personne ne répond",
        "L'appli est devenue inutilisable depuis la 3.0",
        "ضاعت كل الصور بعد التحديث",
        "السماعة بيفصل بلوتوث كل شوية",
        "بطارية الساعة تخلص بسرعة من بعد التحديث",
        "الواجهة الجديدة مش مريحة ابدا",
        "My order arrived damaged, what now?",
        "I've been charged twice this month",
        "الطلب وصل مكسور",
        "انخصم المبلغ مرتين",
    ],
)
def test_product_failures_are_complaints(rs: RuleSet, text: str) -> None:
    assert "complaint" in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for renaming every field of the export, my scripts love it 🙃",
        "Super, encore une mise à jour qui change tout 🙄",
        "شكرا على التحديث اللي مسح الإعدادات 🙃",
    ],
)
def test_sarcastic_thanks_are_complaints(rs: RuleSet, text: str) -> None:
    v = rs.classify(FakePost(text=text))
    assert v.category == "complaint"
    assert "praise" not in v.labels


@pytest.mark.parametrize(
    "text",
    [
        "Battery life on the new acme watch is superb, two days easy",
        "Acme sync is finally fast, thanks for the update",
        "La batterie du casque Acme tient toute la semaine, bravo",
        "التحديث الجديد ممتاز والبطارية صارت تكفي يومين",
    ],
)
def test_praise_of_the_same_things_is_not(rs: RuleSet, text: str) -> None:
    assert "complaint" not in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for nothing @acme",
        "thanks for ruining my morning, acme",
        "Acme support, yeah right",
        "So much for next-day delivery.",
        "Great, another outage. Just great.",
        "Oh great. The acme app logged me out",
        "Merci pour rien Acme",
        "merci du cadeau, la facture a doublé",
        "Génial, encore une panne.",
        "Bravo. Encore raté.",
        "@acme great, another update that breaks sync",
        "@acme Génial, encore une mise à jour",
        "the acme app is a joke",
        "customer service is an absolute joke",
    ],
)
def test_praise_said_as_scorn_is_a_negative_complaint(rs: RuleSet, text: str) -> None:
    v = rs.classify(FakePost(text=text))
    assert v.category == "complaint"
    assert "praise" not in v.labels
    assert v.sentiment.label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much for the help!",
        "thanks so much for sharing this",
        "Oh great news, the acme app is back",
        "great, now it works",
        "Just perfect, thanks team",
        "Merci encore pour votre aide !",
        "Super, encore une fois merci !",
        "Bravo encore à l'équipe",
        "un truc super, encore mieux qu'avant",
    ],
)
def test_sincere_thanks_and_praise_stay_praise(rs: RuleSet, text: str) -> None:
    v = rs.classify(FakePost(text=text))
    assert v.category == "praise"
    assert v.sentiment.label == "positive"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("zero stars", "complaint"),
        ("would not recommend acme to anyone", "complaint"),
        ("10/10 would recommend", "praise"),
        ("I'd highly recommend it", "praise"),
        ("he told a joke at the acme launch, lol", "praise"),
    ],
)
def test_ratings_and_recommendations(rs: RuleSet, text: str, category: str) -> None:
    v = rs.classify(FakePost(text=text))
    assert v.category == category
    assert "suggestion" not in v.labels
