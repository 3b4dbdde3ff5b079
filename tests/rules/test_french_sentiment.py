"""French sentiment as veille tunes vadersentiment-fr: pack words in its lexicon, plain
apostrophes, stretched words, the denial after a verb, and the default pack on
customer posts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rules import TextPost, load_rules
from rules.sentiment import SentimentScorer, Thresholds, _french_scorer


@pytest.fixture(scope="module")
def packs() -> SentimentScorer:
    return load_rules()._sentiment


def fr(scorer: SentimentScorer, text: str) -> float:
    return scorer.compound(text, "fr")


def test_a_pack_word_replaces_the_lexicon_value_and_zero_takes_it_out() -> None:
    plain = SentimentScorer()
    assert fr(plain, "sur") > 0  # vadersentiment-fr reads "sur" as "sûr"
    tuned = SentimentScorer({}, {"fr": {"sur": 0, "adore": 2.9, "relou": -1.8}})
    assert fr(tuned, "sur") == 0.0
    assert fr(tuned, "Livraison prévue sur Lyon") == 0.0
    # replaced, not added to: "adore" is 0.6 in the lexicon, 2.9 here
    alone = SentimentScorer({}, {"fr": {"adore": 2.9}})
    assert fr(alone, "adore") == pytest.approx(2.9 / (2.9**2 + 15) ** 0.5, abs=1e-4)
    assert fr(tuned, "relou") < 0  # a word the lexicon lacks
    # VADER's negation applies to pack words as to its own
    assert fr(tuned, "pas relou") > 0


def test_a_booster_in_the_pack_keeps_boosting() -> None:
    tuned = SentimentScorer({}, {"fr": {"super": 2.0, "vraiment": 0}})
    assert fr(tuned, "c'est super") > 0.3  # the adjective
    plain = SentimentScorer()
    # "vraiment" is both a booster and a lexicon word in vadersentiment-fr, so it did
    # neither; out of the lexicon it boosts
    assert fr(plain, "vraiment nul") == fr(plain, "nul")
    assert fr(tuned, "vraiment nul") < fr(tuned, "nul") < 0


def test_pack_words_go_through_vadersentiment_frs_own_algorithm() -> None:
    # the tuned scorer is vadersentiment-fr run on the tuned lexicon, number for number
    import vaderSentiment_fr.vaderSentiment as fr_module

    from rules.sentiment import _french_base

    _french_base()
    fast = _french_scorer({"sur": 0, "relou": -1.8, "adore": 2.9, "nouveau": 0})[0]
    slow = fr_module.SentimentIntensityAnalyzer()
    slow.lexicon = fast.lexicon
    texts = [
        "J'adore, vraiment relou mais j'adore",
        "c'est pas relou du tout !",
        "Nouveau forfait sur le site, TRÈS relou",
        "sur le nouveau site, rien de relou...",
        "RELOU RELOU adore",
    ]
    assert [fast.compound(t) for t in texts] == [slow.polarity_scores(t)["compound"] for t in texts]
    assert fast.compound("relou") < 0 and fast.compound("sur") == 0.0


def test_same_words_share_one_scorer() -> None:
    words = {"sur": 0.0, "relou": -1.8}
    assert _french_scorer(words)[0] is _french_scorer(dict(reversed(words.items())))[0]
    assert _french_scorer({"sur": 0.0})[0] is not _french_scorer(words)[0]


def test_idioms_vader_turns_around(packs: SentimentScorer) -> None:
    plain = SentimentScorer()
    # VADER denies "terrible" (-0.5) into praise, reads "pas mal de" as a denial
    assert fr(plain, "L'appli n'est pas terrible") < 0 < fr(plain, "L'appli est nulle") + 1
    assert fr(plain, "Pas terrible ce service") < 0
    assert fr(plain, "pas mal du tout la nouvelle version") > 0.3
    assert fr(packs, "pas mal de bugs depuis la mise à jour") < 0 < fr(plain, "pas mal")
    assert fr(packs, "franchement c'est trop bien") > 0.5 > fr(packs, "c'est bien")
    # "nothing is wrong" reads as nothing, and does not deny the thanks after it
    assert fr(plain, "aucun problème depuis la mise à jour") == 0.0
    assert fr(plain, "aucun souci, merci") == fr(plain, "merci") > 0
    assert fr(plain, "pas de souci merci") == fr(plain, "merci")
    assert fr(plain, "j'ai un problème") < 0


def test_what_stops_working_and_what_costs_too_much_read_negative(
    packs: SentimentScorer,
) -> None:
    # VADER finds no opinion word in "ne marche pas"; "cher" was +1.6 ("dear")
    texts = [
        "Ça ne marche toujours pas",
        "L'appli ne fonctionne plus depuis hier",
        "la synchro marche pas",
        "Trop cher pour ce que c'est",
        "C'est devenu cher",
    ]
    for text in texts:
        assert fr(packs, text) < -0.05, text
    assert fr(packs, "Tout fonctionne parfaitement") > 0.2
    assert fr(packs, "Pas cher") > 0.05  # cheap is praise


def test_a_french_post_without_function_words_is_still_french() -> None:
    v = load_rules().classify(TextPost("Service client nul, livraison lente"))
    assert v.language == "fr" and v.sentiment.label == "negative"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("L'appli n'est pas terrible", "complaint"),
        ("C'est pas top", "complaint"),
        ("c'est une blague ce service", "complaint"),
        ("vous êtes des voleurs", "complaint"),
        ("Le service client ne répond pas", "complaint"),
        ("service client au top", "praise"),
        ("aucun souci, merci !", "praise"),
        ("aucun problème depuis la mise à jour", "other"),
    ],
)
def test_default_pack_categories_of_french_idioms(text: str, category: str) -> None:
    verdict = load_rules().classify(TextPost(text, created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    assert (verdict.language, verdict.category) == ("fr", category)
    if category == "complaint" and "répond" not in text:
        assert verdict.sentiment.label == "negative"


def test_a_pack_emoji_is_read_as_itself_not_as_its_french_description() -> None:
    plain = SentimentScorer()
    assert fr(plain, "la nouvelle appli 🔥") < 0  # "feu"
    assert fr(plain, "le service client 😡") == 0.0  # "visage énervé"
    tuned = SentimentScorer({}, {"fr": {"🔥": 1.5, "😡": -2.5, "🙌": 0, "relou": -1.8}})
    assert fr(tuned, "la nouvelle appli 🔥") > 0.3
    assert fr(tuned, "la nouvelle appli🔥🔥") > fr(tuned, "la nouvelle appli 🔥")
    assert fr(tuned, "le service client 😡") < -0.3
    assert fr(plain, "🙌") > 0 and fr(tuned, "🙌") == 0.0  # 0 reads it as nothing
    assert fr(tuned, "relou") < fr(tuned, "relou 🔥") < fr(tuned, "🔥")  # words still count


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Livraison reçue aujourd'hui 👍", "positive"),
        ("J'ai reçu ma commande ❤️", "positive"),
        ("la nouvelle version de l'appli 🔥🔥", "positive"),
        ("Ma commande 👎", "negative"),
        ("Le service client 😡😡", "negative"),
    ],
)
def test_default_pack_reads_emoji_in_french_posts(text: str, label: str) -> None:
    verdict = load_rules().classify(TextPost(text, created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    assert (verdict.language, verdict.sentiment.label) == ("fr", label)


def test_typographic_apostrophe_reads_like_the_plain_one(packs: SentimentScorer) -> None:
    for text in ("Franchement, c'est l'arnaque", "Je n'aime pas du tout", "C'est l'horreur"):
        curly = text.replace("'", "\u2019")
        assert fr(packs, curly) == fr(packs, text), text
    assert fr(packs, "Franchement c\u2019est l\u2019arnaque") < -0.3


def test_a_stretched_word_reads_as_the_word_it_stretches(packs: SentimentScorer) -> None:
    plain = SentimentScorer()
    assert fr(plain, "c'est nuuuul") == fr(plain, "c'est nul") < 0
    assert fr(plain, "NUUUL") == fr(plain, "NUL")
    assert fr(plain, "merciiii") == fr(plain, "merci") > 0
    assert fr(plain, "mdddddrr") == fr(plain, "mdrr") > 0  # only runs of three are cut
    # a booster too: "trooop" boosts like "trop"
    assert fr(plain, "trooop nul") == fr(plain, "trop nul") < fr(plain, "nul")
    # a stretch of nothing known is left alone
    assert fr(plain, "Ouiiii") == 0.0
    assert fr(packs, "géniaaaal !") == fr(packs, "génial !") > 0.5
    # the rule engine passes the post's words, which tell the same
    rs = load_rules()
    when = datetime(2026, 1, 1, tzinfo=UTC)
    stretched = rs.classify(TextPost("Franchement la box est nuuuulle", created_at=when))
    plain_post = rs.classify(TextPost("Franchement la box est nulle", created_at=when))
    assert stretched.sentiment == plain_post.sentiment
    assert stretched.sentiment.label == "negative"


def test_the_denial_after_a_sentiment_verb_negates_it(packs: SentimentScorer) -> None:
    plain = SentimentScorer()
    assert fr(plain, "J'aime ce forfait") > 0.2
    for text in (
        "Je n'aime pas ce forfait",
        "je ne recommande pas cette box",
        "Je ne l'aime plus du tout",
        "Votre appli ne facilite jamais rien",
        "Je ne le lui recommande pas",  # pronouns between "ne" and the verb
    ):
        assert fr(plain, text) < 0, text
    assert fr(plain, "je m'en lasse") < 0 < fr(plain, "je ne m'en lasse pas")
    # the denial stays where it is when the verb judges nothing: the words after it
    # are still within its reach
    assert fr(plain, "Ce n'est pas bon") < 0
    assert fr(plain, "Je ne suis pas content") == fr(plain, "je ne suis pas content")
    assert fr(plain, "Il ne faut pas rater ça") == fr(plain, "Il ne faut pas rater ça")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Merci @Free, la fibre est enfin réparée, au top !", "positive"),
        ("Livraison en 24h, parfait, je recommande", "positive"),
        ("Trop hâte de tester la nouvelle appli !", "positive"),
        ("Conseillère super serviable, problème réglé, merciii", "positive"),
        ("Toujours pas de réseau depuis ce matin, c'est relou", "negative"),
        ("Je n'aime pas du tout la nouvelle interface", "negative"),
        ("Colis jamais arrivé, service client injoignable, quelle galère", "negative"),
        ("Franchement déçue par la box, elle plante tous les soirs", "negative"),
        ("Appli d'une lenteur, service injoignable", "negative"),
        ("La nouvelle barre d'outils est une régression", "negative"),
        ("Réponse du support en une heure un dimanche. Franchement, chapeau", "positive"),
        ("Nouveau forfait disponible sur notre site", "neutral"),
        ("Les énergies renouvelables et votre facture : ce qui change http://x.fr", "neutral"),
        ("Le prix du forfait passe à 20 euros à partir de mars", "neutral"),
        ("Les Nations unies se réunissent à Genève", "neutral"),
    ],
)
def test_default_pack_on_customer_posts(packs: SentimentScorer, text: str, label: str) -> None:
    assert packs.score(text, "fr").label == label, (text, packs.score(text, "fr"))


def test_default_pack_lines(packs: SentimentScorer) -> None:
    t = packs.thresholds["fr"]
    assert t == Thresholds(positive=0.2, negative=-0.05, question=0.0, exclamation=0.3)
