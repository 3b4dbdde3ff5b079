"""A community manager's day at the console: what they see and what each key does.

Each test here started as something that went wrong while using the console
by hand (a cut-off row, a key that did nothing, Arabic read backwards...).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Static

from tests.tui.conftest import (
    T0,
    Clock,
    console,
    console_app,
    fake_browser,
    post,
    running,
    wait_for,
)
from tests.tui.test_screens import screen_text
from tui.screens.ask import AskScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.filter import FilterScreen
from tui.screens.insights import InsightsScreen
from tui.screens.pick import PickScreen
from tui.screens.sources import SourcesScreen
from tui.widgets._bidi import visual


def long_text(n: int) -> str:
    """A question too long for a row, in words no other post shares (so none cluster)."""
    rnd = random.Random(n)
    words = ["".join(rnd.choices(string.ascii_lowercase, k=7)) for _ in range(12)]
    return f"Does the Nimbus pen {' '.join(words)}?"


async def test_a_cut_row_ends_with_an_ellipsis_and_the_lists_never_scroll_sideways(
    tmp_path: Path,
) -> None:
    # more rows than the panes hold: both lists get a vertical scrollbar
    posts = [post(i, long_text(i)) for i in range(45)]
    async with console(tmp_path, *posts) as (app, _):
        q, inc, _ = app._panes()
        assert len(q.rows) > q.size.height and len(inc.rows) > inc.size.height
        for pane in (q, inc):
            assert pane.show_vertical_scrollbar
            assert not pane.show_horizontal_scrollbar  # no row lost to a useless bar
        rows = [line for line in screen_text(app).splitlines() if "Nimbus pen" in line]
        assert len(rows) >= q.size.height + inc.size.height - 2
        for line in rows:
            left = line.split("│")[1]  # the lists' column, between their borders
            assert left.rstrip().endswith("…"), line  # the cut is shown, not hidden


URL = "https://mastodon.example/@ana/1"


async def test_o_opens_the_link_in_the_browser_and_says_so(
    tmp_path: Path, browser_env: Callable[[Path], None]
) -> None:
    exe, opened = fake_browser(tmp_path / "bin", "firefox")
    browser_env(exe)
    async with console(tmp_path, post(1, "Is the pen out?", url=URL)) as (app, pilot):
        await pilot.press("o")
        await app.wait_workers("browser")
        await wait_for(pilot, opened.exists, "the browser to run")
        assert opened.read_text().strip() == URL
        await wait_for(pilot, lambda: bool(app._notifications), "a word on screen")
        assert any("Opened the link" in n.message for n in app._notifications)


async def test_o_without_a_usable_browser_copies_the_link_and_says_where_it_is(
    tmp_path: Path, browser_env: Callable[[Path], None]
) -> None:
    # lynx would take over the very terminal the console is drawn on: never started
    exe, opened = fake_browser(tmp_path / "bin", "lynx")
    browser_env(exe)
    async with console(tmp_path, post(1, "Is the pen out?", url=URL)) as (app, pilot):
        await pilot.press("o")
        await app.wait_workers("browser")
        await wait_for(pilot, lambda: bool(app._notifications), "a word on screen")
        assert not opened.exists()
        assert app.clipboard == URL
        (note,) = [n.message for n in app._notifications]
        assert "No browser" in note and URL in note


ASKED = "هل قلم نيمبس يعمل مع الآيباد القديم؟"  # does the Nimbus pen work with the old iPad?
AUTHOR = "فهد"


async def test_arabic_reads_right_to_left_in_rows_history_and_reasons(tmp_path: Path) -> None:
    first = post(1, ASKED, author=AUTHOR, lang="ar")
    again = post(2, "Any news about my order? Still waiting", author=AUTHOR, at=T0)
    async with console(tmp_path, first, again) as (app, pilot):
        q, _, _ = app._panes()
        await wait_for(pilot, lambda: q.current_key is not None, "a row")
        q.move_to_key("ingest:2")
        await app.settle()
        app._show_active(force=True)
        await pilot.pause()
        text = screen_text(app)
        # the responder's author history: the earlier Arabic question, in reading order
        assert visual(ASKED[:20]) in text.replace("…", "")
        assert ASKED[:12] not in text  # nowhere in logical (backwards-looking) order
        assert visual(AUTHOR) in text and AUTHOR not in text


async def test_arabic_terms_in_insights_read_right_to_left(tmp_path: Path) -> None:
    posts = [post(i, f"{ASKED} {n}", author=f"a{i}", lang="ar") for i, n in enumerate("abc")]
    async with console(tmp_path, *posts) as (app, pilot):
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        await wait_for(pilot, lambda: screen.paints >= 2, "the terms")
        assert screen.insights is not None
        arabic = [t.term for t in screen.insights.terms if not t.term.isascii()]
        assert arabic, screen.insights.terms
        table = screen.query_one("#ins-terms", DataTable)
        shown = [table.get_row_at(r)[0].plain for r in range(table.row_count)]
        for term in arabic:
            assert visual(term) in shown and visual(term) != term


async def test_a_snooze_time_not_understood_keeps_the_dialog_open_to_fix_it(
    tmp_path: Path, clock: Clock
) -> None:
    async with console(tmp_path, post(1, "Is the pen out?"), clock=clock) as (app, pilot):
        await pilot.press("z", *"30m")
        await pilot.pause()
        pick = app.screen
        assert isinstance(pick, PickScreen)
        note = pick.query_one("#pick-empty", Static)
        assert note.display and "enter: 30m" in str(note.render())  # not "nothing matches"
        await pilot.press("ctrl+u", *"soon", "enter")
        await pilot.pause()
        assert app.screen is pick  # still open, with the reason
        assert "not understood: soon" in str(note.render())
        assert app.inbox.get("ingest:1").state == "open"  # type: ignore[union-attr]
        await pilot.press("ctrl+u", *"17:30", "enter")
        await app.settle()
        assert not isinstance(app.screen, PickScreen)
        m = app.inbox.get("ingest:1")
        assert m is not None and m.state == "snoozed"
        assert m.snooze_until == T0.replace(hour=17, minute=30)


async def test_a_narrow_status_line_still_shows_sla_breaches_and_the_filter(
    tmp_path: Path, clock: Clock
) -> None:
    posts = [
        post(1, "How do I export my notes to PDF?"),
        post(2, "Sync is broken, terrible, I lost a week of data"),
        post(3, "Love the new pen, great handwriting feel"),
        post(4, "You should add a dark mode"),
    ]
    async with console(tmp_path, *posts, clock=clock, size=(80, 24)) as (app, pilot):
        clock.advance(minutes=20)  # past the 15 minute SLA of the question and the complaint
        app.set_filter("lang:en")
        await app.settle()
        line = screen_text(app).splitlines()[0]
        assert "SLA breached 2" in line, line
        assert "filter: lang:en" in line, line
        assert "que 1" in line and "com 1" in line, line  # the counts, shortened
        await pilot.resize_terminal(160, 40)
        await app.settle()
        await pilot.pause()
        line = screen_text(app).splitlines()[0]
        assert "question 1" in line and "complaint 1" in line, line  # room for whole names
        assert "SLA breached 2" in line and "filter: lang:en" in line and "4 stored" in line


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((80, 24), ("r Reply", "d Done", "? Help")),
        ((120, 36), ("r Reply", "d Done", "z Snooze", "? Help", "/ Filter", "q Quit")),
    ],
)
async def test_the_footer_keeps_help_filter_and_quit_on_screen(
    tmp_path: Path, size: tuple[int, int], shown: tuple[str, ...]
) -> None:
    async with console(tmp_path, post(1, "Is the pen out?"), size=size) as (app, _):
        footer = " ".join(screen_text(app).splitlines()[-1].split())
        for label in shown:
            assert label in footer, footer


RTL_LONG = "مرحبا فريق نيمبس " + "القلم لا يعمل بعد التحديث الأخير وأنا أحتاجه للعمل كل يوم " * 3
WIDE = "ニンバスのペンが充電できません。" * 6  # two cells a character


async def test_a_long_arabic_row_keeps_its_first_words_and_wide_text_its_ellipsis(
    tmp_path: Path,
) -> None:
    posts = [post(1, RTL_LONG, author="rtl", lang="ar"), post(2, WIDE, author="wide")]
    async with console(tmp_path, *posts) as (app, _):
        q, inc, _ = app._panes()
        opening = visual("مرحبا فريق نيمبس")  # how the first words read on screen
        for pane in (q, inc):
            lines = {
                key: "".join(s.text for s in pane.render_line(y)) for y, key in enumerate(pane.keys)
            }
            assert opening in lines["ingest:1"], (pane.pane, lines["ingest:1"])
            assert lines["ingest:1"].lstrip().split()[-1] != "…"
            assert cell_len(lines["ingest:2"]) == pane.scrollable_content_region.width
            assert lines["ingest:2"].rstrip().endswith("…"), (pane.pane, lines["ingest:2"])


async def test_undo_puts_the_cursor_back_on_the_mention_it_brought_back(tmp_path: Path) -> None:
    posts = [post(1, "Is the pen out?"), post(2, "Does it work on Linux?"), post(3, "Why?")]
    async with console(tmp_path, *posts) as (app, pilot):
        q, _, resp = app._panes()
        first, second, third = q.keys
        await pilot.press("j", "d")
        await app.settle()
        assert q.keys == [first, third] and q.current_key == third
        await pilot.press("u")
        await app.settle()
        await app.wait_workers("undo")
        assert sorted(q.keys) == sorted([first, second, third])
        assert q.current_key == second
        await pilot.pause(0.1)  # the responder follows once the cursor rests
        assert resp.mention_id == second
        # a selection: back on the top one of them
        q.move_to_key(first)
        await pilot.press("space")
        q.move_to_key(second)
        await pilot.press("space", "x")
        await app.settle()
        assert q.keys == [third]
        await pilot.press("u")
        await app.settle()
        await app.wait_workers("undo")
        assert q.current_key == next(k for k in q.keys if k in (first, second))
        assert q.current_key != third


async def test_j_and_k_while_reading_an_opened_mention_go_to_the_next_one(tmp_path: Path) -> None:
    posts = [post(1, "Is the pen out?"), post(2, "Does it work on Linux?"), post(3, "Why?")]
    async with console(tmp_path, *posts) as (app, pilot):
        q, _, resp = app._panes()
        first, second, _ = q.keys
        await pilot.press("enter")  # read it in the responder
        assert app.focused is resp.view
        await pilot.press("j")
        await wait_for(pilot, lambda: resp.mention_id == second, "the next mention shown")
        assert q.current_key == second and app.focused is resp.view  # still reading
        await pilot.press("k")
        await wait_for(pilot, lambda: resp.mention_id == first, "the previous one shown")


async def test_insights_bars_fit_their_column_on_an_80_column_screen(tmp_path: Path) -> None:
    posts = [
        post(1, "Love the new pen, great handwriting feel"),
        post(2, "Sync is broken, terrible, I lost a week of data"),
        post(3, "The pen arrived today"),
    ]
    async with console(tmp_path, *posts, size=(80, 24)) as (app, pilot):
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        await wait_for(pilot, lambda: screen.paints >= 1, "the figures")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        head = next(i for i, line in enumerate(lines) if "Sentiment" in line)
        assert "Sources" in lines[head]  # the two side by side, each in half the width
        bars, legend = lines[head + 1], lines[head + 2]
        assert bars.count("█") >= 2 * 30  # both bars, each as wide as its column...
        assert "█" not in legend and "■ negative 1 (33%)" in legend  # ...and neither wraps
        assert legend.count("■") == 2 and "3 (100%)" in legend  # the one source's share


@pytest.mark.parametrize("browser", ["firefox", "lynx"])
async def test_the_by_hand_reply_question_says_whether_the_post_was_opened(
    tmp_path: Path, browser_env: Callable[[Path], None], browser: str
) -> None:
    exe, opened = fake_browser(tmp_path / "bin", browser)
    browser_env(exe)
    url = "https://blog.example/p/5"
    feed = post(5, "How do I export to PDF?", kind="feed", source="blog", url=url)
    async with console(tmp_path, feed) as (app, pilot):
        await pilot.press("r", *"See the export page", "ctrl+s")
        await app.wait_workers("send")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        asked = str(app.screen.query_one("#confirm-question", Static).content)
        if browser == "firefox":
            assert opened.exists() and "the post is open in your browser" in asked
        else:
            assert not opened.exists()
            assert "No browser could open the post" in asked and url in asked
            assert "open in your browser" not in asked
        await pilot.press("y")
        await app.settle()
        m = app.inbox.get("feed:5")
        assert m is not None and m.state == "done" and m.replies[0].via == "manual"


async def test_a_rule_file_broken_before_start_is_reported_at_start(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.toml").write_text('[[rule]]\nid = "broken\n', encoding="utf-8")
    config = '[rules]\ndirs = ["rules"]\n'
    async with console(tmp_path, post(1, "Is the pen out?"), config=config) as (app, pilot):
        await wait_for(pilot, lambda: bool(app._notifications), "a notice")
        notes = [n.message for n in app._notifications]
        assert any("mine.toml:2" in n and "R to see" in n for n in notes), notes
        assert app.is_running and app._panes()[0].keys == ["ingest:1"]  # the rest works


async def test_a_remap_onto_a_key_already_taken_is_refused_with_a_word(tmp_path: Path) -> None:
    config = '[keys]\ndone = "r"\nspam = "X"\n'
    posts = [post(1, "Is the pen out?"), post(2, "Does it work on Linux?")]
    async with console(tmp_path, *posts, config=config) as (app, pilot):
        notes = [n.message for n in app._notifications]
        assert any("done: r is already the key of reply" in n for n in notes), notes
        q, _, resp = app._panes()
        await pilot.press("r")  # still reply: it was not taken over by done
        assert app.focused is resp.draft_area
        await pilot.press("escape", "d")  # done stays on d
        await app.settle()
        assert len(q.keys) == 1
        await pilot.press("X")  # a remap that takes nobody's key is applied
        await app.settle()
        assert q.keys == []


async def test_m_on_a_selection_mutes_every_author_in_it(tmp_path: Path) -> None:
    posts = [
        post(1, "Is the pen out?", author="ana"),
        post(2, "Does it work on Linux?", author="bo"),
        post(3, "Why is it so dear?", author="cy"),
        post(4, "Still waiting for my pen", author="ana"),
    ]
    async with console(tmp_path, *posts) as (app, pilot):
        q, _, _ = app._panes()
        for key in ("ingest:1", "ingest:2"):
            q.move_to_key(key)
            await pilot.press("space")
        await pilot.press("m")
        await app.settle()
        state = {i: app.inbox.get(f"ingest:{i}").state for i in range(1, 5)}  # type: ignore[union-attr]
        assert state == {1: "muted", 2: "muted", 3: "open", 4: "muted"}
        assert q.keys == ["ingest:3"]
        notes = [n.message for n in app._notifications]
        assert any("Muted ana, bo" in n for n in notes), notes
        await pilot.press("u")  # one author back at a time, the last muted first
        await app.settle()
        await app.wait_workers("undo")
        assert sorted(q.keys) == ["ingest:2", "ingest:3"] and q.current_key == "ingest:2"
        await pilot.press("u")
        await app.settle()
        assert sorted(q.keys) == ["ingest:1", "ingest:2", "ingest:3", "ingest:4"]


async def test_while_writing_the_footer_offers_no_key_that_would_type_instead(
    tmp_path: Path,
) -> None:
    async with console(tmp_path, post(1, "Is the pen out?")) as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        footer = " ".join(screen_text(app).splitlines()[-1].split())
        assert "^s Send" in footer and "/ Filter" not in footer, footer
        await pilot.press(*"see https://nimbus.example/help")
        assert app._panes()[2].text == "see https://nimbus.example/help"
        assert not isinstance(app.screen, FilterScreen)


async def test_an_sla_just_breached_reads_minus_one_minute_not_minus_zero(
    tmp_path: Path, clock: Clock
) -> None:
    async with console(tmp_path, post(1, "How do I export to PDF?"), clock=clock) as (app, _):
        q, _, _ = app._panes()
        clock.advance(minutes=15, seconds=20)  # the 15 minute SLA passed 20 s ago
        q.tick()
        row = "".join(s.text for s in q.render_line(0))
        assert " -1m " in row and "-0m" not in row, row
        clock.advance(minutes=1)
        q.tick()
        assert " -2m " in "".join(s.text for s in q.render_line(0))


async def test_the_palette_shows_each_action_s_key(tmp_path: Path) -> None:
    async with console(tmp_path, config='[keys]\ndone = "D"\n') as (app, _):
        helps = {c.title: c.help for c in app.get_system_commands(app.get_screen_main())}
        assert helps["Done"].endswith("(D)")  # the key in force, after remapping
        assert helps["Filter"].endswith("(/)") and helps["Next"].endswith("(.)")
        assert helps["Send"].endswith("(ctrl+s)")


async def test_help_lists_every_key_of_an_action(tmp_path: Path) -> None:
    async with console(tmp_path, config='[keys]\nquit = "q,ctrl+q"\n') as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "j ↓" in text and "k ↑" in text  # the arrows move too
        assert "pgup pgdn" in text and "home end" in text
        assert "esc" in text and "Back to the list" in text
        await pilot.press("end")
        await pilot.pause()
        assert "q ctrl+q" in screen_text(app)


async def test_a_remapped_key_keeps_its_place_in_the_footer(tmp_path: Path) -> None:
    config = '[keys]\ndone = "D"\nquit = "Q,ctrl+q"\n'
    posts = [post(1, "Is the pen out?"), post(2, "Does it work on Linux?")]
    async with console(tmp_path, *posts, config=config) as (app, pilot):
        footer = " ".join(screen_text(app).splitlines()[-1].split())
        assert "r Reply D Done x Spam" in footer, footer  # not moved past the right edge
        assert "Q Quit" in footer, footer
        q = app._panes()[0]
        await pilot.press("D")  # it works...
        await app.settle()
        assert len(q.keys) == 1
        await pilot.press("d")  # ...and the old key no longer does
        await app.settle()
        assert len(q.keys) == 1
        await pilot.press("Q")
        await pilot.pause()
        assert not app.is_running


async def test_the_footer_shows_esc_as_the_way_out_of_the_responder(tmp_path: Path) -> None:
    async with console(tmp_path, post(1, "Is the pen out?"), size=(80, 24)) as (app, pilot):

        def footer() -> str:
            return " ".join(screen_text(app).splitlines()[-1].split())

        assert "esc Back" not in footer()
        await pilot.press("r")
        await pilot.pause()
        assert "esc Back" in footer() and "^s Send" in footer(), footer()
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app._panes()[0] and "esc Back" not in footer()
        await pilot.press("enter")  # reading an opened mention: the same way out
        await pilot.pause()
        assert "esc Back" in footer()


async def test_sources_list_a_failing_source_first_with_its_error_shown(tmp_path: Path) -> None:
    health = {
        "demo:1": {"kind": "demo", "status": "ok"},
        "bluesky:me": {"kind": "bluesky", "status": "ok"},
        "feed:https://blog.example/rss": {
            "kind": "feed",
            "status": "failing",
            "last_error": "could not reach blog.example: connection refused",
        },
    }
    async with console(tmp_path, size=(80, 24)) as (app, pilot):
        app.push_screen(SourcesScreen(lambda: health))
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        first = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert first == "feed:https://blog.example/rss"
        # at 80 columns the Last error column is off screen: the detail line says it
        assert "connection refused" in screen_text(app)


async def test_t_offers_a_canned_reply_added_while_the_console_runs(tmp_path: Path) -> None:
    replies = tmp_path / "replies.toml"
    replies.write_text('[[template]]\nname = "Thanks"\nen = "Thank you!"\n', encoding="utf-8")
    async with console(tmp_path, post(1, "Is the pen out?")) as (app, pilot):
        replies.write_text(
            '[[template]]\nname = "Thanks"\nen = "Thank you!"\n'
            '[[template]]\nname = "Shipping dates"\nen = "It ships in May."\n',
            encoding="utf-8",
        )
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press(*"ship", "enter")
        await pilot.pause()
        assert app._panes()[2].text == "It ships in May."
        await pilot.press("escape")
        replies.write_text("# no templates yet\n", encoding="utf-8")
        await pilot.press("t")
        await pilot.pause()
        assert not isinstance(app.screen, PickScreen)  # no empty picker...
        assert any("No canned replies" in n.message for n in app._notifications)  # ...a word


async def test_a_template_question_answered_with_nothing_is_asked_again(tmp_path: Path) -> None:
    (tmp_path / "replies.toml").write_text(
        '[[template]]\nname = "Order status"\nen = "Could you send your order number {order}?"\n'
        '[template.ask]\norder = "Order number"\n',
        encoding="utf-8",
    )
    async with console(tmp_path, post(1, "Where is my pen?")) as (app, pilot):
        await pilot.press("t", "enter")
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, AskScreen)
        await pilot.press("enter")  # nothing typed
        await pilot.pause()
        assert app.screen is ask and ask.query_one("#ask-hint").display
        await pilot.press(*"A-17", "enter")
        await pilot.pause()
        assert app._panes()[2].text == "Could you send your order number A-17?"


async def test_incoming_shows_the_day_of_a_mention_from_an_earlier_day(
    tmp_path: Path, clock: Clock
) -> None:
    posts = [post(1, "Yesterday's question?"), post(2, "Today's question?")]
    with console_app(tmp_path, posts[0], clock=clock) as app:
        clock.advance(days=1)  # the second one comes in the next morning
        app.inbox.ingest([posts[1]])
        async with running(app) as pilot:
            await pilot.pause()
            _, inc, _ = app._panes()
            lines = {
                key: "".join(s.text for s in inc.render_line(y)) for y, key in enumerate(inc.keys)
            }
            assert lines["ingest:2"].split()[0] == "09:00:00"  # today: the time
            assert lines["ingest:1"].split()[:2] == ["20", "Nov"]  # before: the day


async def test_an_arabic_draft_is_previewed_in_reading_order(tmp_path: Path) -> None:
    async with console(tmp_path, post(1, "هل القلم متوفر؟", lang="ar")) as (app, pilot):
        _, _, resp = app._panes()
        preview = resp.query_one("#draft-preview", Static)
        await pilot.press("r", *"Hello")
        await pilot.pause()
        assert not preview.display  # nothing to reorder: no preview line
        reply = "مرحبا، القلم متوفر الآن"
        resp.draft_area.insert(" " + reply)
        await pilot.pause()
        assert preview.display
        shown = str(preview.content)
        assert visual(reply) in shown and reply not in shown
        assert resp.text == "Hello " + reply  # the draft itself stays as typed


async def test_o_says_why_it_opens_nothing(tmp_path: Path) -> None:
    async with console(tmp_path) as (app, pilot):
        await pilot.press("o")  # an empty queue: nothing is selected
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["No mention selected."]
    async with console(tmp_path, post(1, "Is the pen out?", url="javascript:alert(1)")) as (
        app,
        pilot,
    ):
        await pilot.press("o")  # a mention, but no link veille would open
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["No http(s) link to open."]
