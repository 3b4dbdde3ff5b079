"""The default packs' suggestion rules on the way a brand's users ask for a feature."""

from __future__ import annotations

import pytest

from rules import RuleSet, load_rules
from tests.rules.conftest import FakePost


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    rules = load_rules()
    assert rules.errors == []
    return rules


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
