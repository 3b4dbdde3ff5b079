"""A community manager's day at the console: what they see and what each key does.

Each test here started as something that went wrong while using the console
by hand (a cut-off row, a key that did nothing, Arabic read backwards...).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from pathlib import Path

from tests.tui.conftest import console, fake_browser, post, wait_for
from tests.tui.test_screens import screen_text


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
