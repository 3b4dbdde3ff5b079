"""The default packs on the everyday mentions of a brand, in English, French and Arabic:
each post written for this test, with the queue category a community manager would
give it. A post that is a question and a complaint at once ranks as a question, so
the complaints here ask nothing."""

from __future__ import annotations

import pytest

from rules import RuleSet
from tests.rules.conftest import FakePost

MENTIONS = [
    ("question", "how do i export my notes to pdf"),
    ("question", "any ETA on the android fix?"),
    ("question", "@acme is the pen compatible with ipad?"),
    ("question", "what's the return policy"),
    ("question", "can someone explain how sync works"),
    ("complaint", "Third email, still no answer from support. This is unacceptable."),
    ("complaint", "app crashed and took my notes with it"),
    ("complaint", "your latest update broke search"),
    ("complaint", "I want my money back"),
    ("complaint", "cancel my subscription NOW"),
    ("complaint", "the pen stopped pairing after the update"),
    ("suggestion", "it'd be cool to have a widget for android"),
    ("suggestion", "feature idea: shared notebooks"),
    ("suggestion", "pls bring back the old toolbar"),
    ("praise", "obsessed with the new handwriting search"),
    ("praise", "this app just saved my exam"),
    ("praise", "shoutout to the acme support team, fixed in 10 min"),
    ("praise", "honestly the best notes app I've used"),
    ("other", "Acme Labs announces new pen at CES"),
    ("other", "just bought the acme pen, let's see"),
    ("question", "Comment on exporte en PDF ?"),
    ("question", "Quelqu'un sait si le stylo marche sur iPad"),
    ("complaint", "Ça fait 3 jours que j'attends une réponse du support"),
    ("complaint", "L'appli a supprimé toutes mes notes !!!"),
    ("complaint", "Je veux résilier mon abonnement"),
    ("suggestion", "Ce serait top d'avoir un widget"),
    ("suggestion", "Idée : des carnets partagés"),
    ("praise", "Merci l'équipe, c'est parfait"),
    ("praise", "Franchement bravo pour la mise à jour"),
    ("other", "Acme Labs lève 40 millions"),
    ("question", "كيف اصدر الملاحظات PDF"),
    ("question", "في احد يعرف اذا القلم يشتغل مع الايباد"),
    ("complaint", "من ٣ ايام استنى رد الدعم"),
    ("complaint", "التطبيق حذف كل ملاحظاتي!!!"),
    ("complaint", "ابغى الغي الاشتراك"),
    ("suggestion", "لو تضيفون ويدجت يكون افضل"),
    ("suggestion", "فكرة: دفاتر مشتركة"),
    ("praise", "شكرا للفريق، ممتاز"),
    ("praise", "صراحة التحديث الجديد رهيب"),
    ("other", "اكمي تطلق قلم جديد"),
]


@pytest.mark.parametrize(("category", "text"), MENTIONS)
def test_everyday_mentions_land_in_their_category(rs: RuleSet, category: str, text: str) -> None:
    assert rs.classify(FakePost(text=text)).category == category
