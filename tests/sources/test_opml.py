"""OPML import: feeds out, entities never expanded, only http(s) kept."""

from __future__ import annotations

import pytest

from sources.opml import OpmlError, parse_opml

from .conftest import fixture_bytes


def test_feeds_from_nested_outlines() -> None:
    feeds = parse_opml(fixture_bytes("feeds.opml"))
    assert feeds == [
        {"kind": "feed", "name": "Acme Notes", "url": "https://blog.example.org/feed.xml"},
        {"kind": "feed", "name": "Le blog Acme", "url": "https://blog.example.fr/atom.xml"},
        {"kind": "feed", "name": "Acme Notes (2)", "url": "https://mirror.example.org/feed.xml"},
    ]


def test_entities_never_expand() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>'
    )
    with pytest.raises(OpmlError, match="not readable XML"):
        parse_opml(laughs)  # the entity is undefined once its declaration is gone


def test_external_entity_never_read() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="ok" xmlUrl="https://x.example/f"/></body></opml>'
    )
    assert parse_opml(xxe) == [{"kind": "feed", "name": "ok", "url": "https://x.example/f"}]


def test_not_opml() -> None:
    with pytest.raises(OpmlError, match="not an OPML file"):
        parse_opml(b"<rss version='2.0'/>")
    with pytest.raises(OpmlError, match="not readable XML"):
        parse_opml(b"<opml><body>")
