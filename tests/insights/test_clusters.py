"""Near-duplicate clusters: paraphrases, copies and quotes group; unrelated mentions stay apart."""

from __future__ import annotations

from datetime import timedelta

from inbox import Inbox, MemoryStore
from inbox.clusters import Clusterer
from sources.models import Post
from tests.insights.conftest import NOW, FakeRules, mention

EN_COMPLAINT = [
    "The Nimbus app keeps crashing every time I open it",
    "nimbus app crashes as soon as I open it, again!!",
    "Every time I open the Nimbus app it just crashes. Fix it please @nimbus",
    "Same here 😡 RT @anna: The Nimbus app keeps crashing every time I open it",
    "@nimbus your app crashed on opening, third time today",
]
FR_COMPLAINT = [
    "L'application Nimbus plante à chaque ouverture, c'est insupportable",
    "Encore une fois l'appli Nimbus plante dès que je l'ouvre",
    "Nimbus : l'application plante systématiquement à l'ouverture. Une solution ?",
    "Moi aussi ! « L'application Nimbus plante à chaque ouverture, c'est insupportable »",
]
AR_COMPLAINT = [
    "تطبيق نيمبس يتوقف عن العمل كل مرة أفتحه",
    "تطبيق نيمبس يتوقف عن العمل كل مرة أفتحه!! حلوا المشكلة",
]
UNRELATED = [
    ("I love the new Nimbus dark mode, great job", "en"),
    ("How do I export my data from the Nimbus app?", "en"),
    ("Nimbus support answered in 5 minutes, great service", "en"),
    ("Would be nice if Nimbus had a widget for the home screen", "en"),
    ("Nimbus app price went up again, not happy", "en"),
    ("Is the Nimbus app down for anyone else?", "en"),
    ("My order from Nimbus never arrived, still waiting for a refund", "en"),
    ("L'application Nimbus est géniale, bravo à l'équipe", "fr"),
    ("Comment exporter mes données depuis Nimbus ?", "fr"),
    ("J'adore le nouveau mode sombre de Nimbus", "fr"),
    ("Le support Nimbus m'a répondu en 5 minutes, top", "fr"),
    ("أحب تطبيق نيمبس كثيرا شكرا", "ar"),
]


def _interleaved() -> list[tuple[str, str, str]]:
    """(id, text, lang), complaints and unrelated mentions mixed as they would arrive."""
    groups = [
        [(f"en{i}", t, "en") for i, t in enumerate(EN_COMPLAINT)],
        [(f"fr{i}", t, "fr") for i, t in enumerate(FR_COMPLAINT)],
        [(f"ar{i}", t, "ar") for i, t in enumerate(AR_COMPLAINT)],
        [(f"u{i}", t, lang) for i, (t, lang) in enumerate(UNRELATED)],
    ]
    out: list[tuple[str, str, str]] = []
    while any(groups):
        for g in groups:
            if g:
                out.append(g.pop(0))
    return out


def test_paraphrased_complaints_form_clusters_and_unrelated_stay_apart() -> None:
    c = Clusterer()
    got: dict[str, str] = {}
    for i, (mid, text, lang) in enumerate(_interleaved()):
        got[mid] = c.assign(mid, text, lang, NOW + timedelta(minutes=i))
    # the first of each complaint is alone when it arrives; the others join it
    assert got["en0"] == "" and got["fr0"] == "" and got["ar0"] == ""
    assert {got[f"en{i}"] for i in range(1, len(EN_COMPLAINT))} == {"en0"}
    assert {got[f"fr{i}"] for i in range(1, len(FR_COMPLAINT))} == {"fr0"}
    assert got["ar1"] == "ar0"
    assert {got[f"u{i}"] for i in range(len(UNRELATED))} == {""}
    assert c.cluster_of("en3") == "en0" and c.cluster_of("en0") == "en0"


def test_languages_do_not_merge_even_when_words_are_shared() -> None:
    c = Clusterer()
    c.assign("a", "Nimbus support answered in 5 minutes, great service", "en", NOW)
    assert c.assign("b", "Le support Nimbus a répondu en 5 minutes", "fr", NOW) == ""


def test_the_window_bounds_the_index_and_old_mentions_do_not_attract() -> None:
    c = Clusterer(window_hours=24, max_docs=50)
    c.assign("old", EN_COMPLAINT[0], "en", NOW)
    later = NOW + timedelta(hours=25)
    assert c.assign("new", EN_COMPLAINT[1], "en", later) == ""
    for i in range(200):
        c.assign(f"x{i}", f"unrelated words number {i} zebra{i} quartz{i}", "en", later)
    assert len(c) == 50  # bounded by max_docs


def test_load_rebuilds_the_index_and_keeps_existing_clusters() -> None:
    stored = [
        mention("h", EN_COMPLAINT[0], at=NOW, cluster="h"),
        mention("m1", EN_COMPLAINT[1], at=NOW + timedelta(minutes=1), cluster="h"),
        mention("u", UNRELATED[0][0], at=NOW + timedelta(minutes=2)),
        mention("s", EN_COMPLAINT[0], at=NOW, state="spam"),
    ]
    c = Clusterer()
    assert c.load(stored) == 3
    assert c.assign("new", EN_COMPLAINT[2], "en", NOW + timedelta(minutes=5)) == "h"
    assert c.assign("new2", UNRELATED[1][0], "en", NOW + timedelta(minutes=6)) == ""


def _post(mid: str, text: str, lang: str = "en") -> Post:
    return Post(
        id=mid,
        text=text,
        source="mastodon:test",
        source_kind="mastodon",
        author=f"a-{mid}",
        created_at=NOW,
        extra={"category": "complaint", "compound": -0.6, "lang": lang},
    )


def test_inbox_stamps_the_first_member_and_queues_one_row_per_cluster() -> None:
    store = MemoryStore()
    inbox = Inbox(store, FakeRules(), clock=lambda: NOW, clusterer=Clusterer())  # type: ignore[arg-type]
    inbox.ingest([_post("p0", EN_COMPLAINT[0])])
    assert inbox.get("p0").cluster == ""  # type: ignore[union-attr]
    inbox.ingest([_post("p1", EN_COMPLAINT[1]), _post("u", UNRELATED[1][0])])
    inbox.ingest([_post("p2", EN_COMPLAINT[2])])
    assert [m.cluster for m in map(inbox.get, ("p0", "p1", "p2", "u"))] == ["p0", "p0", "p0", ""]  # type: ignore[union-attr]
    assert store.get("mentions", "p0")["cluster"] == "p0"  # type: ignore[index]
    rows = inbox.queue()
    assert sorted(r.count for r in rows) == [1, 3]
    # reopening rebuilds the index from the store: a new paraphrase joins the same cluster
    again = Inbox(store, FakeRules(), clock=lambda: NOW, clusterer=Clusterer())  # type: ignore[arg-type]
    again.ingest([_post("p3", EN_COMPLAINT[4])])
    assert again.get("p3").cluster == "p0"  # type: ignore[union-attr]
    assert {m.id for m in again.cluster_members("p0")} == {"p0", "p1", "p2", "p3"}


def test_a_cluster_formed_inside_one_batch_stamps_its_first_member() -> None:
    inbox = Inbox(MemoryStore(), FakeRules(), clock=lambda: NOW, clusterer=Clusterer())  # type: ignore[arg-type]
    inbox.ingest([_post("f0", FR_COMPLAINT[0], "fr"), _post("f1", FR_COMPLAINT[1], "fr")])
    assert inbox.get("f0").cluster == "f0" and inbox.get("f1").cluster == "f0"  # type: ignore[union-attr]
