"""Hostile OPML through `veille sources import`: no expansion, no injection, a config that loads."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from .conftest import Veille

OUTLINES = [
    ('Quote " and back\\slash', "https://a.example/feed?x=1&amp;y=2"),
    ("]]\n[[source]]\nkind = &quot;demo&quot;", "https://b.example/rss"),
    ("\u202eevil\u202c \x1b[2J title", "https://c.example/atom.xml"),
    ("javascript", "javascript:alert(1)"),
    ("file", "file:///etc/passwd"),
    ("dup", "https://a.example/feed?x=1&amp;y=2"),
    ("مرحبا 🙂", "https://d.example/\u00e9t\u00e9.xml"),
]


def opml(body: str, head: str = "") -> bytes:
    outlines = "".join(
        f'<outline type="rss" text="{t}" title="{t}" xmlUrl="{u}"/>' for t, u in OUTLINES
    )
    return (
        f'<?xml version="1.0"?>{head}<opml version="2.0"><head><title>x</title></head>'
        f"<body>{outlines}{body}</body></opml>"
    ).encode()


LAUGHS = (
    '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
)


@pytest.mark.parametrize(
    ("body", "head"),
    [
        ("", ""),
        ('<outline title="&d;&d;&d;" xmlUrl="https://e.example/&d;"/>', LAUGHS),
        ('<outline title="&xxe;" xmlUrl="https://f.example/x"/>', LAUGHS),
        ("<outline>" * 2000 + "</outline>" * 2000, ""),
    ],
    ids=["names", "billion-laughs", "xxe", "deep"],
)
def test_import_is_inert_and_the_config_loads(veille: Veille, tmp_path: Path, body: str,
                                              head: str) -> None:  # fmt: skip
    src = tmp_path / "feeds.opml"
    src.write_bytes(opml(body, head))
    t0 = time.monotonic()
    r = veille.run("sources", "import", str(src))
    assert time.monotonic() - t0 < 20
    assert "Traceback" not in r.stderr, r.stderr[-1500:]
    if r.returncode != 0:
        assert len(r.stderr.strip().splitlines()) == 1  # refused in one line
        return
    cfg = tomllib.loads(veille.config.read_text(encoding="utf-8"))
    sources = cfg.get("source", [])
    urls = [s["url"] for s in sources]
    assert len(urls) == len(set(urls)) == 5, urls
    assert all(u.startswith("https://") for u in urls)
    assert all(s["kind"] == "feed" for s in sources), "an OPML title injected a table"
    text = veille.config.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\u202e" not in text and "root:" not in text
    listed = veille.run("sources", "list")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    again = veille.run("sources", "import", str(src))  # importing twice adds nothing
    assert again.returncode == 0 and "added 0 feeds" in again.stdout
