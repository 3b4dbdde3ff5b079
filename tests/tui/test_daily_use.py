"""A community manager's day at the console: what they see and what each key does.

Each test here started as something that went wrong while using the console
by hand (a cut-off row, a key that did nothing, Arabic read backwards...).
"""

from __future__ import annotations

import random
import string
from pathlib import Path

from tests.tui.conftest import console, post
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
