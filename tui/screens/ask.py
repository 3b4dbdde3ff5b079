"""Ask for one value the caller needs: a template variable such as an order number."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.safe import one_line

__all__ = ["AskScreen"]


class AskScreen(ModalScreen[str | None]):
    """Dismisses with the typed value on enter, or None on esc; enter on nothing asks
    again rather than answer "" (a canned reply would read "order number ()").

    The question comes from a replies file, so it is shown as plain text.
    """

    CSS_PATH = "screens.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ask.cancel", tooltip="Close without a value")
    ]

    def __init__(self, question: str, *, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="vs-dialog -small", id="ask-box"):
            yield Static(Text(one_line(self.question, 200), style="bold"), id="ask-question")
            yield Input(value=self.value, id="ask-input")
            yield Static(Text("type a value, or esc to cancel"), id="ask-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.query_one("#ask-hint").display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():  # an empty answer would leave a hole in the reply
            self.query_one("#ask-hint").display = True
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
