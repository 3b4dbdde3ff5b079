"""Sources: is each one working, since when, what it last said when it failed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from tui.safe import clean, one_line
from tui.screens._util import relative, sync_table

__all__ = ["SourcesScreen"]

HealthGetter = Callable[[], Mapping[str, Mapping[str, Any]]]

COLUMNS = ("Source", "Kind", "Status", "Since", "Last success", "Next poll", "Posts", "Last error")
STATUS_COLOURS = {"ok": "text-success", "slow": "text-warning", "failing": "text-error"}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _int(value: object) -> str:
    try:
        return str(int(value)) if value not in (None, "") else ""  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""


class SourcesScreen(ModalScreen[None]):
    """A table of every source's health, read from `get_health()` every `interval` seconds.

    Health records come from the poller and the store, and their error lines
    quote servers: everything is cleaned and shown as plain text. A record
    missing a field shows a dash rather than failing the screen. It is modal
    although it fills the terminal: the console's triage keys (d, x, r...)
    must not act on a queue the user cannot see.
    """

    CSS_PATH = "screens.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="sources.close", tooltip="Back to the console"),
        Binding("r", "refresh_now", "Refresh", id="sources.refresh", tooltip="Read health now"),
    ]

    def __init__(
        self,
        get_health: HealthGetter,
        *,
        interval: float = 2.0,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        super().__init__()
        self.get_health = get_health
        self.interval = interval
        self.clock = clock
        self._health: dict[str, Mapping[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Sources"), classes="vs-title")
        yield DataTable(id="sources-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="sources-detail")
        yield Static(id="sources-status", classes="vs-status")
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        for col in COLUMNS:
            table.add_column(Text(col), key=col)
        self.refresh_data()
        self.set_interval(self.interval, self.refresh_data)
        table.focus()

    def _colours(self) -> dict[str, str]:
        try:
            variables = self.app.get_css_variables()
        except Exception:  # a theme without these still shows the words
            variables = {}
        return {k: variables.get(v, "") for k, v in STATUS_COLOURS.items()}

    def refresh_data(self) -> None:
        """Read health and update rows in place; a failing getter is reported, not raised."""
        status = self.query_one("#sources-status", Static)
        try:
            health: dict[str, Mapping[str, Any]] = {
                str(k): dict(v or {}) for k, v in dict(self.get_health()).items()
            }
        except Exception as exc:
            status.update(Text(one_line(f"cannot read source health: {exc}", 200)))
            return
        self._health = health
        now = self.clock()
        colours = self._colours()
        rows = []
        # failing sources first, then slow ones: the cursor starts on what needs a look,
        # and its error shows below even when the table is too narrow for that column
        rank = {"failing": 0, "slow": 1}
        for name in sorted(
            health, key=lambda n: (rank.get(str(health[n].get("status")), 2), n.casefold())
        ):
            h = health[name]
            state = one_line(h.get("status") or "unknown", 12)
            kind = h.get("kind") or name.partition(":")[0]
            rows.append(
                (
                    name,
                    [
                        Text(one_line(name, 28), no_wrap=True, overflow="ellipsis"),
                        Text(one_line(kind, 12)),
                        Text(state, style=f"bold {colours.get(state, '')}".strip()),
                        Text(relative(h.get("since"), now)),
                        Text(relative(h.get("last_success"), now)),
                        Text(relative(h.get("next_poll"), now)),
                        Text(_int(h.get("posts"))),
                        Text(one_line(_said(h), 20), style="dim"),
                    ],
                )
            )
        table: DataTable[Text] = self.query_one(DataTable)
        sync_table(table, rows)
        failing = sum(1 for h in health.values() if h.get("status") == "failing")
        status.update(
            Text(
                f"{_n(len(health), 'source')}, {failing} failing · "
                f"refreshed every {self.interval:g}s"
            )
            if health
            else Text("no source has polled yet")
        )
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted source's last error in full: the table cell is cut to one line."""
        table: DataTable[Text] = self.query_one(DataTable)
        detail = self.query_one("#sources-detail", Static)
        name = None
        if table.row_count:
            name = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        h = self._health.get(name or "", {})
        error = _said(h)
        if not error:
            detail.display = False
            return
        detail.display = True
        if h.get("status") == "failing":
            when = relative(h.get("last_error_at"), self.clock())
            head = f"{one_line(name, 60)} · last error {when}\n"
        else:
            head = f"{one_line(name, 60)} · note\n"
        text = Text(head, style="bold")
        text.append(clean(error, limit=2000))
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def action_refresh_now(self) -> None:
        self.refresh_data()

    def action_close(self) -> None:
        self.dismiss(None)


def _said(h: Mapping[str, Any]) -> str:
    """What to show beside a source: its error while it is failing, else the source's
    note (a moved feed, a server's pause); a recovered source's old error is history."""
    if h.get("status") == "failing":
        return str(h.get("last_error") or "")
    return str(h.get("note") or "")
