"""The default packs' praise rules on the way a brand's fans say it, with no "thanks"."""

from __future__ import annotations

import pytest

from rules import RuleSet
from tests.rules.conftest import FakePost


@pytest.mark.parametrize(
    "text",
    [
        "three months with the acme buds and I'm never going back to wired",
        "acme's offline maps are carrying me through this road trip",
        "Le mode hors ligne d'Acme me sauve la vie dans le métro, big up",
        "Je retire ce que j'ai dit, la nouvelle version est bluffante",
        "سماعات اكمي سحر، ما رجعت للسلكية",
        "تطبيق اكمي وفر علي ساعات كل اسبوع",
        "Je recommande à 100%",
        "احسن شركة تعاملت معها",
        "انصح فيه وبقوة",
    ],
)
def test_fans_praise(rs: RuleSet, text: str) -> None:
    assert "praise" in rs.classify(FakePost(text=text)).labels


def test_praise_words_in_a_complaint_stay_a_complaint(rs: RuleSet) -> None:
    v = rs.classify(FakePost(text="acme was a life saver until the update, now it keeps freezing"))
    assert v.category == "complaint"
    assert "praise" not in v.labels
