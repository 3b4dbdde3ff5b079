"""Canned replies: variables filled from the mention, per language, asked when missing."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from inbox.config import Config
from inbox.model import Mention
from inbox.templates import (
    DEFAULT_TEMPLATES,
    load_templates,
    missing_variables,
    pick_templates,
    render,
    values_for,
    variables,
)
from rules.verdict import Sentiment, Verdict
from sources.models import Post


def mention(author: str, kind: str = "mastodon", **extra: str) -> Mention:
    p = Post(
        id="m:1",
        text="hi",
        author=author,
        source_kind=kind,
        url="https://social.example/@x/1",
        extra=dict(extra),
    )
    v = Verdict("question", ("question",), Sentiment(0.0, "neutral"), "fr", 1.0, 15)
    return Mention(post=p, verdict=v, first_seen=datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_render_fills_known_values_and_leaves_unknown_ones() -> None:
    text = "Hi {first_name} from {brand}: {{literal}} {order} {0} {a.b}"
    assert variables(text) == ["first_name", "brand", "order"]
    out = render(text, {"first_name": "Jane", "brand": "Nimbus"})
    assert out == "Hi Jane from Nimbus: {literal} {order} {0} {a.b}"
    assert missing_variables(text, {"first_name": "J", "brand": "N"}) == ["order"]


def test_values_come_from_the_mention_and_config() -> None:
    cfg = Config(brand="Nimbus")
    v = values_for(mention("@jane_doe@example.social"), cfg)
    assert v == {
        "author": "@jane_doe@example.social",
        "first_name": "Jane",
        "brand": "Nimbus",
        "link": "https://social.example/@x/1",
    }
    shown = values_for(mention("jd", kind="bluesky", display_name="Jean-Luc Picard"), cfg)
    assert shown["first_name"] == "Jean-Luc" and shown["author"] == "@jd"
    assert "first_name" not in values_for(mention(""), cfg)  # asked for, not guessed


def test_first_name_comes_from_every_kind_of_handle_and_display_name() -> None:
    cfg = Config(brand="Nimbus")

    def first(author: str, kind: str = "mastodon", **extra: str) -> str | None:
        return values_for(mention(author, kind, **extra), cfg).get("first_name")

    assert first("u/jane_doe", "feed") == "Jane"  # Reddit
    assert first("/u/Mike_88", "feed") == "Mike"
    assert first("jane.bsky.social", "bluesky") == "Jane"
    assert first("jane123@mastodon.social") == "Jane"
    # a display name's first word, emoji and custom emoji shortcodes aside
    assert first("zm", display_name="🌟 Zoé Martin :verified:") == "Zoé"
    assert first("x", display_name="O'Neil Smith") == "O'Neil"
    assert first("x", display_name="محمد علي") == "محمد"
    # no word to greet by: asked for, not guessed
    assert first("u/1234", "feed") is None
    assert first("o_neil") is None  # an initial is no name
    assert first("", display_name="✨✨") is None


def test_replies_toml_per_language_with_questions(tmp_path: Path) -> None:
    f = tmp_path / "replies.toml"
    f.write_text(
        """
[[template]]
name = "Order status"
en = "Hi {first_name}, your order {order}?"
fr = "Bonjour {first_name}, votre commande {order} ?"
[template.ask]
order = "Order number"

[[template]]
name = "Thanks"
text = "Thanks!"

[[template]]
text = "no name"
""",
        encoding="utf-8",
    )
    tpls, errors = load_templates(f)
    assert [t.name for t in tpls] == ["Order status", "Thanks"]
    assert errors and "needs a name" in errors[0]
    order = tpls[0]
    assert order.text_for("fr").startswith("Bonjour")
    assert order.text_for("ar").startswith("Hi")  # falls back to English
    assert order.question("order") == "Order number"
    assert tpls[1].text_for("fr") == "Thanks!"
    # fuzzy pick, the mention's language first
    assert pick_templates(tpls, "ordr", "fr")[0].name == "Order status"
    assert pick_templates(tpls, "", "fr")[0].name in {"Order status", "Thanks"}


def test_broken_or_missing_file_falls_back_to_the_embedded_templates(tmp_path: Path) -> None:
    assert load_templates(tmp_path / "nope.toml") == (list(DEFAULT_TEMPLATES), [])
    bad = tmp_path / "bad.toml"
    bad.write_text("[[template]\n", encoding="utf-8")
    tpls, errors = load_templates(bad)
    assert tpls == list(DEFAULT_TEMPLATES)
    assert errors and errors[0].startswith(str(bad))
