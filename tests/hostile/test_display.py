"""Text written to drive a terminal, shown by the real console: it must stay inert.

Mentions whose text, author, title and links are markup, escape sequences (OSC 52
clipboard writes, cursor moves, screen clears), bidi overrides, 10,000-character
words and combining floods are stored, then the app is run with Pilot. For each
one the bytes the app would write to the terminal are rendered and checked:
Textual's own cursor moves and colours (CSI) are allowed, nothing else is.
"""

from __future__ import annotations

import re
import webbrowser
from datetime import datetime, timezone

import pytest

from sources.models import Post
from tui.app import VeilleApp, make_app
from tui.context import Context
from tui.safe import clean, one_line, safe_text, safe_url

SIZE = (120, 36)
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)

HOSTILE: dict[str, str] = {
    "click-quit": "[@click=app.quit]click me[/] is this a question?",
    "click-key": "[@click=app.simulate_key('d')]press[/] refund please",
    "file-link": "[link=file:///etc/passwd]passwords[/link] and a stray [/ too",
    "osc52": "copy this \x1b]52;c;ZWNobyBwd25lZA==\x07 now",
    "osc52-st": "also \x1b]52;c;ZXZpbA==\x1b\\ with ST",
    "c1-csi": "eight-bit \x9b2J\x9d0;title\x9c csi",
    "cursor": "\x1b[2J\x1b[H\x1b[31mred\x1b[0m \x1b[10A up \x1b7save\x1b8",
    "title-set": "\x1b]0;pwned title\x07 title",
    "bell": "ring \x07\x07\x07 ring \x08\x08 back",
    "rtl-override": "invoice \u202egpj.exe\u202c and \u2067isolated\u2069",
    "long-word": "x" * 10_000,
    "combining": "a" + "\u0301\u0308\u0489" * 1_000 + " zalgo",
    "arabic": "مرحبا، هل يمكنني استرداد أموالي؟",
    "markup-author": "plain text",
}
AUTHORS = {"markup-author": "[bold red]admin[/] \x1b[5m", "click-quit": "[@click=app.quit]x[/]"}
URLS = {
    "file-link": "file:///etc/passwd",
    "osc52": "javascript:alert(1)",
    "arabic": "https://ok.example/a",
}

CSI = re.compile(r"\x1b\[[0-9;:?<=>]*[ -/]*[@-~]")
OSC8 = re.compile(r"\x1b\]8;[^\x07\x1b]*;([^\x07\x1b]*)(?:\x1b\\|\x07)")
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_output(app: VeilleApp) -> str:
    """What the app would write to the terminal for a full repaint of the screen."""
    update = app.screen._compositor.render_update(full=True)
    return str(update.render_segments(app.console))


def assert_inert(out: str) -> str:
    """Only Textual's CSI and http(s) OSC 8 links: no other sequence, no bidi control."""
    for target in OSC8.findall(out):
        assert not target or target.startswith(("http://", "https://")), target
    rest = CSI.sub("", OSC8.sub("", out))
    bad = CONTROL.findall(rest)
    assert not bad, f"control characters reach the terminal: {sorted(set(bad))!r}"
    return rest


def hostile_posts() -> list[Post]:
    return [
        Post(
            id=f"ingest:{name}",
            text=text,
            author=AUTHORS.get(name, f"user-{name}"),
            title="[b]title[/b] \x1b]52;c;QQ==\x07" if name == "cursor" else "",
            url=URLS.get(name, ""),
            created_at=T0,
        )
        for name, text in HOSTILE.items()
    ]


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_safe_text_is_never_markup_and_never_a_sequence(text: str) -> None:
    t = safe_text(text)
    assert not t.spans and "\x1b" not in t.plain and "\u202e" not in t.plain
    line = one_line(text, 80)
    assert len(line) <= 80 and "\n" not in line
    if "[" in text:
        assert "[" in t.plain  # brackets are shown as typed, not eaten as tags
    assert safe_url("javascript:alert(1)") is None and safe_url("file:///etc/passwd") is None
    assert "مرحبا" in clean(HOSTILE["arabic"])  # right-to-left letters themselves stay


async def test_console_shows_hostile_mentions_inertly(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app(ctx, poller=False)
    app.inbox.ingest(hostile_posts())
    async with app.run_test(size=SIZE) as pilot:
        await app.settle()
        seen_text = ""
        for _ in range(len(HOSTILE)):
            await pilot.press("enter")
            await app.settle()
            await pilot.pause()
            seen_text += assert_inert(terminal_output(app))
            await pilot.press("o", "y")  # open the link, copy: only http(s) may go out
            await app.settle()
            await pilot.click("#responder")  # a click on text bound to app.quit
            await pilot.pause()
            assert app.is_running
            await pilot.press("escape", "j")
        assert "[@click=app.quit]click me[/]" in seen_text  # shown as typed
        assert "passwords" in seen_text and "zalgo" in seen_text
        await pilot.press("S")  # the sources screen, with a hostile health line
        await pilot.pause()
        assert_inert(terminal_output(app))
        await pilot.press("escape")
        assert app.is_running
    assert all(u.startswith(("http://", "https://")) for u in opened), opened
    assert not any("etc/passwd" in u or "javascript" in u for u in opened)
    remaining = {m.id for m in app.inbox.mentions() if m.state == "open"}
    assert len(remaining) == len(HOSTILE)  # no action fired by a stranger's text


async def test_hostile_source_health_line_is_inert(ctx: Context) -> None:
    app = make_app(ctx, poller=False)
    app.inbox.set_source_health(
        "evil[/]",
        {
            "status": "failing",
            "kind": "feed",
            "last_error": "[@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07 \x1b[2J server said [/",
            "since": "2026-11-20T09:00:00+00:00",
        },
    )
    async with app.run_test(size=SIZE) as pilot:
        await app.settle()
        await pilot.press("S")
        await pilot.pause()
        shown = assert_inert(terminal_output(app))
        assert "server said" in shown
        await pilot.click()
        assert app.is_running


async def test_lone_surrogate_reaches_the_screen_harmlessly(ctx: Context) -> None:
    app = make_app(ctx, poller=False)
    res = app.inbox.ingest([Post(id="ingest:s", text="broken \ud800 text?", created_at=T0)])
    assert res.added == ["ingest:s"]
    async with app.run_test(size=SIZE) as pilot:
        await app.settle()
        await pilot.press("enter")
        await app.settle()
        out = assert_inert(terminal_output(app))
        out.encode("utf-8")
        assert "broken" in out


async def test_hostile_filter_typed_and_applied(ctx: Context) -> None:
    """Markup, stray closers and escapes typed into `/`: described and applied inertly."""
    app = make_app(ctx, poller=False)
    app.inbox.ingest(hostile_posts()[:4])
    async with app.run_test(size=SIZE) as pilot:
        await app.settle()
        await pilot.press("slash")
        await pilot.pause()
        typed = '[/ [@click=app.quit]x[/] from:"[b] -is: OR OR [2J "unclosed'
        await pilot.press(*[ch if ch.isalnum() else _key(ch) for ch in typed])
        await pilot.pause()
        assert_inert(terminal_output(app))
        await pilot.press("enter")
        await app.settle()
        assert app.is_running
        assert app.query_text.startswith("[/"), app.query_text
        assert_inert(terminal_output(app))
        assert {m.state for m in app.inbox.mentions()} == {"open"}  # typing fired no action


def _key(ch: str) -> str:
    names = {
        "[": "left_square_bracket", "]": "right_square_bracket", "/": "slash", " ": "space",
        "@": "at", "=": "equals_sign", ".": "full_stop", '"': "quotation_mark", ":": "colon",
        "-": "minus",
    }  # fmt: skip
    return names.get(ch, ch)
