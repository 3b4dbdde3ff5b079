"""A mention's stored verdict reads back the same in its compact form and in the long
form (`Verdict.to_dict`) that stores written by earlier versions hold."""

from __future__ import annotations

from datetime import datetime, timezone

from inbox.model import Mention
from rules import Reason, Sentiment, Verdict
from sources.models import Post

AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
VERDICT = Verdict(
    category="question",
    labels=("question", "complaint"),
    sentiment=Sentiment(-0.4588, "negative"),
    language="fr",
    priority=3.25,
    sla_minutes=15,
    reasons=(Reason("fr-question", "label:question", "?"), Reason("boost", "priority+1", "")),
    boost=1.0,
    deadline=datetime(2026, 11, 20, 9, 15, tzinfo=timezone.utc),
)


def _mention() -> Mention:
    post = Post(id="t:1", text="Pourquoi ça plante ?", created_at=AT)
    return Mention(post=post, verdict=VERDICT, first_seen=AT)


def test_the_compact_form_reads_back_the_verdict() -> None:
    assert Mention.from_doc(_mention().to_doc()).verdict == VERDICT


def test_the_long_form_of_earlier_versions_reads_back_the_verdict() -> None:
    doc = _mention().to_doc()
    doc["verdict"] = VERDICT.to_dict()
    assert Mention.from_doc(doc).verdict == VERDICT
