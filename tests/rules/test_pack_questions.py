"""The default packs' question rules: question forms with and without '?', and the
statements that share a question's first word."""

from __future__ import annotations

import pytest

from rules import RuleSet
from tests.rules.conftest import FakePost


@pytest.mark.parametrize(
    "text",
    [
        "@acme how do I reset my password",  # question word + inverted auxiliary
        "@acme where is my order",
        "@acme what's the status of my refund",
        "@acme do you ship to Canada",
        "@acme why is nobody answering",  # a sentence opened by "why"
        "Why the update broke sync https://t.co/x",
        "Where is the refund I was promised",  # question word, auxiliary, subject
        "@acme Are there any stores open on Sunday",
        "Anyone else having trouble logging in today",
        "@acme so my parcel is lost? *sigh*",  # an action after the '?'
        "What about the refund I was promised? Still nothing.",  # invites an answer
        "@acme you fixed it already, didn't you",  # a question tag
        "Loved the launch. What's the best way to move my old notes over",  # contracted
        "Big update today. Does anyone have the new sync working? Mine hangs.",  # the crowd
        "i hv a question did u change the export format",  # said without a '?'
        "the important question is when the app comes back",
        "Does Acme have SSO for business accounts? IT is asking before they approve it",
        "is there a public API for acme? want to pipe my notes into my site",
        "A-t-il été expédié hier",  # French inversion with the euphonic -t-
        "Peut-on changer l'adresse de livraison",
        "Avez-vous une solution pour ma box",
        "Dois-je attendre encore une semaine",
        "Est-ce qu'il y a un souci avec le réseau",
        "اشلون اغير كلمة المرور",  # Gulf "how"
        "ازاي ارجع الطلب",  # Egyptian "how"
        "هل يوجد فرع في جدة",
    ],
)
def test_questions(rs: RuleSet, text: str) -> None:
    assert "question" in rs.classify(FakePost(text=text)).labels


@pytest.mark.parametrize(
    "text",
    [
        "@acme what a thread! thank you",  # exclamative, not a question
        "What grows in the dark? Not a child's future. #gaza",  # rhetoric, to nobody
        "@acme pretty please?",  # a plea
        "@acme how cool is that?",  # an exclamation dressed as a question
        "@acme who cares? it works now",  # a shrug
        "@acme who doesn't love a free upgrade?!",  # a shrug dressed as a question
        "Good thing it isn't a price rise, eh? https://t.co/x",
        "Does the new pricing really help anyone? Read our take https://t.co/x",  # headline
        "Can I just say how much I love this?! Best update yet",  # exclamation
        "She wondered 'what is the point of it all?' https://t.co/x",  # quoted
        "@acme when it comes to support you are the best",
        "that is why I left, the support was great",  # "why" inside a sentence
        "« Non », dit-il en riant, la commande est arrivée",  # reported speech
        "Contactez-nous en message privé pour le suivi",  # imperative, not inversion
        "Abonnez-vous à la chaîne pour les nouveautés",
        "J'ai un rendez-vous demain matin pour l'installation",
        "Ma commande est arrivée, merci",
    ],
)
def test_statements_that_look_like_questions(rs: RuleSet, text: str) -> None:
    assert "question" not in rs.classify(FakePost(text=text)).labels
