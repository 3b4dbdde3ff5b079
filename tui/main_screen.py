"""The main screen: status line, Queue and Incoming beside the Responder, footer.

The triage bindings live here, not on the app, so a dialog on top does not fire them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from tui import keys
from tui.widgets.incoming_pane import IncomingPane
from tui.widgets.queue_pane import QueuePane
from tui.widgets.responder import Responder
from tui.widgets.status_bar import DemoBanner, StatusBar

if TYPE_CHECKING:
    from tui.app import VeilleApp

__all__ = ["MainScreen"]


def _bindings(keymap: dict[str, str]) -> list[BindingType]:
    return [
        *[
            Binding(
                b.key, f"app.{b.action}", b.description, show=b.show, id=b.id, tooltip=b.tooltip
            )
            for b in keys.bindings(keymap)
        ],
        Binding("escape", "app.leave_draft", "Back", show=False),
    ]


class MainScreen(Screen[None]):
    """The three panes; the triage bindings live here so dialogs on top do not fire them."""

    BINDINGS: ClassVar[list[BindingType]] = _bindings({})

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        if keymap:
            # The user's [keys] are bound here, in footer order. Left to App.set_keymap,
            # each remapped binding moves to the end of the footer, past its right edge.
            self._bindings = BindingsMap(_bindings(keymap))

    def compose(self) -> ComposeResult:
        app = cast("VeilleApp", self.app)
        yield StatusBar(id="status")
        if app.ctx.config.is_demo:
            yield DemoBanner(id="banner")
        with Horizontal(id="main"):
            with Vertical(id="lists"):
                yield QueuePane(id="queue", clock=app.clock)
                yield IncomingPane(id="incoming", clock=app.clock)
            yield Responder(id="responder")
        yield Footer()

    def on_mount(self) -> None:
        app = cast("VeilleApp", self.app)
        q = self.query_one("#queue", QueuePane)
        q.border_title = "Queue"
        self.query_one("#incoming", IncomingPane).border_title = "Incoming"
        self.query_one("#responder", Responder).border_title = "Responder"
        banner = self.query("#banner")
        if banner:
            self.query_one(DemoBanner).show_for(app.ctx.config_path)
        q.focus()
        self._fit(self.size.width)

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Below 100 columns the responder goes under the lists."""
        self.set_class(width < 100, "-narrow")
