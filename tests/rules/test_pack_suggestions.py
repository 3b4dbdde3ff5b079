"""The default packs on what a brand hears: feature requests (suggestions), and the deal
and follower schemes that are spam."""

from __future__ import annotations

import pytest

from rules import RuleSet
from tests.rules.conftest import FakePost


@pytest.mark.parametrize(
    "text",
    [
        "Acme idea: let me pin a playlist to the home screen",
        "Suggestion for @acme: a compact view for the order history",
        "acme pls add a way to export my receipts",
        "I'd pay for an offline mode, honestly",
        "Acme devrait avoir un vrai mode hors ligne",
        "Idée pour Acme : des raccourcis clavier personnalisables",
        "Un mode compact, ce serait parfait pour mon petit écran",
        "بليز اعملوا نسخة للويندوز",
        "لو توفرون الدفع بالبطاقة المحلية بيكون افضل",
    ],
)
def test_feature_requests_are_suggestions(rs: RuleSet, text: str) -> None:
    assert "suggestion" in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "No idea why my order is late",
        "ما عندي فكرة متى يوصل الطلب",
    ],
)
def test_the_word_idea_alone_is_not_a_request(rs: RuleSet, text: str) -> None:
    assert "suggestion" not in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "ACME BUDS 90% OFF!!! >>> cheap-buds.example/acme <<< free shipping worldwide",
        "Casque Acme à -85% 🔥 stock limité !!! >>> promo.example/acme",
        "Acme Pro lifetime key generator, working, no survey",
        "Your brand deserves more reach. 50k real followers, cheap. DM us",
        "Suivez-moi et je vous suis 🔁 #followback",
        "I turned $200 into $9,000 with this trading bot. DM me",
        "سماعات اكمي بخصم ٩٠٪ اطلب الآن قبل نفاد الكمية",
        "مين يبي يزيد متابعينه؟ تابع الكل 🔁 #دعم_متبادل",
        "Get free gift cards every day, visit my page",
        "I make $3,000 per month online from home, check out my site",
        "🚀 le token x100 assuré, whitelist en MP #crypto",
    ],
)
def test_deals_and_follower_schemes_are_spam(rs: RuleSet, text: str) -> None:
    assert rs.classify(FakePost(text=text)).spam


@pytest.mark.parametrize(
    "text",
    [
        "20% off at Acme this weekend, finally a deal on the buds",
        "Acme's support got back to me in 10 minutes, more of this",
        # a customer's words that a pitch uses too: a price, a promo code, signing up
        "Does Acme have a student discount? The pricing page only shows monthly/annual",
        "$7.99 per month for a notes app is wild",
        "my promo code doesn't work at checkout",
        "I can't sign up with my google account",
        "my gift card balance is gone after the update",
    ],
)
def test_a_plain_deal_or_praise_is_not_spam(rs: RuleSet, text: str) -> None:
    assert not rs.classify(FakePost(text=text)).spam


@pytest.mark.parametrize(
    "text",
    [
        "@acme_help i need to check my order",
        "@acme_help can you follow me so I can DM you my order number?",
        "@acme_help here's a photo, order 3264677. Please message me https://pics.example/a1",
        "@acme_help https://pics.example/screenshot",
        "Oh no https://news.example/acme-outage",
        "Woah! https://video.example/acme-launch",
    ],
)
def test_customers_writing_to_support_and_reactions_are_not_spam(rs: RuleSet, text: str) -> None:
    assert not rs.classify(FakePost(text=text)).spam


@pytest.mark.parametrize(
    "text",
    [
        "https://cheap-pens.example/acme?ref=4604617",
        "check my channel for acme reviews, new video every day",
        "Please watch my new video https://video.example/x and share",
    ],
)
def test_a_bare_link_or_a_pitch_to_strangers_stays_spam(rs: RuleSet, text: str) -> None:
    assert rs.classify(FakePost(text=text)).spam
