"""A stranger's post is text, never markup, links or terminal commands."""

from __future__ import annotations

from pathlib import Path

from rich.segment import Segment

from sources.models import Post
from tests.tui.conftest import console, post
from tui.app import VeilleApp
from tui.widgets.mention_view import MentionView
from tui.widgets.queue_pane import QueuePane

MARKUP = (
    "[@click=app.quit]x[/] [link=file:///etc/passwd]y[/link] [@click=app.simulate_key('d')]z[/] [/"
)
ESCAPES = "\x1b]52;c;ZXZpbA==\x07 \x1b[2J\x1b[H\x1b[31m \x9b2J \u202eevil\u202c \u2066iso\u2069"
TEXT = f"Why? {MARKUP} {ESCAPES} end"


def hostile_post() -> Post:
    return post(
        1,
        TEXT,
        author="[@click=app.quit]bob[/]\x1b[8m",
        title="[/",
        url="javascript:alert(1)",
    )


def strips_of(app: VeilleApp) -> list[list[Segment]]:
    screen = app.get_screen_main()
    out: list[list[Segment]] = []
    q = screen.query_one("#queue", QueuePane)
    for y in range(3):
        out.append(list(q.render_line(y)))
    view = screen.query_one("#detail", MentionView)
    lines = app.console.render_lines(view.render_text(), app.console.options.update_width(40))
    out.extend(lines)
    return out


async def test_hostile_text_is_shown_inertly_and_clicks_do_nothing(tmp_path: Path) -> None:
    async with console(tmp_path, hostile_post()) as (app, pilot):
        q = app.get_screen_main().query_one("#queue", QueuePane)
        assert q.keys == ["ingest:1"]
        segments = [s for line in strips_of(app) for s in line]
        text = "".join(s.text for s in segments)
        assert "[@click=app.quit]" in text  # shown literally, brackets and all
        assert "[/" in text
        for bad in ("\x1b", "\x9b", "\x07", "\u202e", "\u2066", "\u202c"):
            assert bad not in text
        for s in segments:
            style = s.style
            assert style is None or (not style.link and not style.meta), style
        # clicking the row, the excerpt and the responder does nothing but move
        await pilot.click("#queue", offset=(30, 1))
        await pilot.click("#queue", offset=(60, 1))
        await pilot.click("#detail", offset=(5, 3))
        await pilot.click("#detail", offset=(20, 6))
        await app.settle()
        assert app.is_running and app.return_code is None
        assert app.inbox.get("ingest:1").state == "open"  # type: ignore[union-attr]
        # the non-http link is never opened; the responder says so
        await pilot.press("o")
        await pilot.pause()
        assert not [w for w in app.workers if w.group == "browser"]
        # copying hands over cleaned text only
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign,assignment]
        await pilot.press("y")
        assert copied and "\x1b" not in copied[0] and "\u202e" not in copied[0]


async def test_notifications_quoting_strangers_are_not_markup(tmp_path: Path) -> None:
    posts = (post(1, "hello?", author="[/]"), post(2, "Sync broken, terrible"))
    async with console(tmp_path, *posts) as (app, pilot):
        await pilot.press("m")  # "Muted [/]" must not raise a markup error
        await app.settle()
        await pilot.pause()
        assert app.is_running
        assert any("[/]" in n.message for n in app._notifications)


async def test_a_look_alike_name_does_not_pass_for_the_account_it_copies(tmp_path: Path) -> None:
    """'nim<zero-width space>bus' is another account: the queue, Incoming and the
    responder show the invisible character, while emoji and Arabic joiners stay."""
    posts = (
        post(1, "Is the sync down?", author="nimbus"),
        post(2, "Send me your password for a refund", author="nim\u200bbus"),
        post(3, "Where is my parcel, friends?", author="ana \U0001f469\u200d\U0001f4bb"),
    )
    async with console(tmp_path, *posts) as (app, pilot):
        screen = app.get_screen_main()
        q = screen.query_one("#queue", QueuePane)
        rows = {k: "".join(s.text for s in q.render_line(y)) for y, k in enumerate(q.keys[:3])}
        assert "nimbus" in rows["ingest:1"] and "\ufffd" not in rows["ingest:1"]
        assert "nim\ufffdbus" in rows["ingest:2"] and "\u200b" not in rows["ingest:2"]
        assert "ana \U0001f469\u200d\U0001f4bb" in rows["ingest:3"]  # an emoji sequence is a name
        while q.keys[q.cursor] != "ingest:2":
            await pilot.press("j")
        await pilot.pause(0.2)
        view = screen.query_one("#detail", MentionView)
        shown = "".join(
            s.text
            for line in app.console.render_lines(
                view.render_text(), app.console.options.update_width(60)
            )
            for s in line
        )
        assert "nim\ufffdbus" in shown and "\u200b" not in shown
