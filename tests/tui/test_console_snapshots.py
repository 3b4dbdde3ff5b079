"""What the console looks like, pinned: three panes, hostile text shown inertly, RTL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.tui.conftest import Clock, console_app, post
from tui.app import VeilleApp


@contextmanager
def _seeded(tmp_path: Path, clock: Clock) -> Iterator[VeilleApp]:
    posts = (
        post(1, "How do I export my notebooks to PDF?", author="ana", followers=1200),
        post(2, "Sync is broken, terrible, I lost a week of data", author="bo", lang="en"),
        post(3, "في نسخة لينكس من نيمبس؟", author="rami", lang="ar"),
        post(4, "[@click=app.quit]x[/] [link=file:///etc/passwd]y[/link] [/", author="[b]evil"),
        post(5, "Love the new pen, great handwriting feel", author="cy", followers=54000),
    )
    # a non-demo config: no banner quoting the (random) tmp path
    config = '[veille]\nbrand = "Nimbus"\n[[source]]\nkind = "feed"\nurl = "http://127.0.0.1:9/f"\n'
    with console_app(tmp_path, *posts, config=config, clock=clock) as app:
        clock.advance(minutes=12)
        yield app


def test_main_screen(snap_compare: Any, tmp_path: Path, clock: Clock) -> None:
    with _seeded(tmp_path, clock) as app:

        async def ready(pilot: Any) -> None:
            await app.settle()
            await pilot.press("j")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(120, 36), run_before=ready)


def test_narrow_screen(snap_compare: Any, tmp_path: Path, clock: Clock) -> None:
    with _seeded(tmp_path, clock) as app:

        async def ready(pilot: Any) -> None:
            await app.settle()
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
