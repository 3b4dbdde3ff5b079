"""The insights screen in a real app: figures painted from a worker, keys switch the period."""

from __future__ import annotations

from datetime import timedelta

from textual.app import App
from textual.widgets import DataTable, Sparkline, Static

from inbox import Inbox, MemoryStore
from inbox.store import put
from tests.insights.conftest import CATS, NOW, FakeRules, mention
from tests.insights.test_metrics import spec_mentions
from tui.screens.insights import InsightsScreen

MARKUP_NAME = "[@click=app.quit]x[/]"


def _inbox() -> Inbox:
    ms = spec_mentions()
    ms.append(
        mention(
            "mk",
            "[/bold] [@click=app.quit]x[/] \x1b[2J crashes",
            at=NOW - timedelta(hours=1),
            author=MARKUP_NAME,
            followers=100_000_000,
        )
    )
    store = MemoryStore()
    store.apply([put("mentions", m.id, m.to_doc()) for m in ms])
    return Inbox(store, FakeRules(), clock=lambda: NOW)  # type: ignore[arg-type]


class Host(App[None]):
    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    def on_mount(self) -> None:
        self.push_screen(InsightsScreen(self.inbox, clock=lambda: NOW))


def _plain(table: DataTable, row: int, col: int) -> str:  # type: ignore[type-arg]
    return str(getattr(table.get_cell_at((row, col)), "plain", ""))


async def test_the_screen_paints_every_figure_and_switches_period() -> None:
    app = Host(_inbox())
    async with app.run_test(size=(150, 60)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        assert screen.paints == 2 and screen.insights is not None
        ins = screen.insights
        assert ins.terms_done and ins.authors_done
        sparks = list(screen.query(Sparkline))
        assert [list(s.data or []) for s in sparks] == [
            [float(v) for v in ins.volume[c]] for c in CATS
        ]
        title = screen.query_one("#ins-title", Static)
        assert f"{ins.total} mentions" in str(title.render())
        terms: DataTable = screen.query_one("#ins-terms", DataTable)  # type: ignore[type-arg]
        assert terms.row_count == len(ins.terms) > 0
        assert _plain(terms, 0, 0) == ins.terms[0].term
        resp: DataTable = screen.query_one("#ins-response", DataTable)  # type: ignore[type-arg]
        assert resp.row_count == len(ins.response) + 1
        clusters: DataTable = screen.query_one("#ins-clusters", DataTable)  # type: ignore[type-arg]
        assert clusters.row_count == len(ins.clusters) == 3
        fans: DataTable = screen.query_one("#ins-fans", DataTable)  # type: ignore[type-arg]
        assert _plain(fans, 0, 0) == "alice"
        infl: DataTable = screen.query_one("#ins-influencers", DataTable)  # type: ignore[type-arg]
        assert _plain(infl, 0, 0) == MARKUP_NAME  # shown literally, never run as markup
        assert app.is_running

        await pilot.press("1")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period == "24h" and screen.insights is not None
        assert screen.insights.bucket == timedelta(hours=1)
        assert [len(s.data or []) for s in screen.query(Sparkline)] == [24] * len(CATS)

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, InsightsScreen)
