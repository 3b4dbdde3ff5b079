"""`/`: type a query, see how it is understood as you type, enter applies it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from inbox.query import parse_query
from tui.safe import clean, one_line
from tui.screens._util import scrub_input

__all__ = ["FilterScreen", "HISTORY"]

HISTORY: list[str] = []
"""Queries applied in this run, oldest first: up/down in the input walks them."""
HISTORY_MAX = 50


def remember(query: str, history: list[str] = HISTORY) -> None:
    """Most recent last, no repeats, bounded."""
    q = query.strip()
    if not q:
        return
    if q in history:
        history.remove(q)
    history.append(q)
    del history[:-HISTORY_MAX]


def preview(text: str) -> tuple[Text, Text]:
    """What the query means in words, and its warnings, as plain (never markup) text."""
    q = parse_query(text)
    if not q:
        meaning = Text("all mentions (no filter)", style="italic")
    else:
        meaning = Text()
        for n, line in enumerate(q.describe()):
            if n:
                meaning.append("\nand ", style="dim")
            meaning.append(one_line(line, 200))
    warnings = Text("\n".join(one_line(w, 200) for w in q.warnings))
    return meaning, warnings


class FilterScreen(ModalScreen[str | None]):
    """Dismisses with the query text as typed and trimmed ("" clears the filter), None on esc.

    The query is parsed on every key so a warning shows while the user can
    still fix it. `history` defaults to one list shared by the whole run.
    """

    CSS_PATH = "screens.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel", tooltip="Keep the old filter"),
        Binding("up", "history(-1)", "Older", show=False, id="filter.older", tooltip="Older"),
        Binding("down", "history(1)", "Newer", show=False, id="filter.newer", tooltip="Newer"),
    ]

    def __init__(self, initial: str = "", *, history: list[str] | None = None) -> None:
        super().__init__()
        self.initial = clean(initial, limit=2000).replace("\n", " ").replace("\t", " ")
        self.history = HISTORY if history is None else history
        self._pos = len(self.history)  # == len(history): the line being typed
        self._typed = self.initial

    def compose(self) -> ComposeResult:
        box = Vertical(classes="vs-dialog", id="filter-box")
        box.border_title = "Filter"
        box.border_subtitle = "enter applies · esc cancels · ↑↓ history"
        with box:
            yield Input(
                value=self.initial,
                placeholder='refund from:jane lang:fr is:question -is:draft "not working"',
                id="filter-input",
                max_length=500,
            )
            yield Static(id="filter-preview")
            yield Static(id="filter-warnings")
            yield Static(
                Text('words  "phrase"  from:  lang:  is:  source:  has:link  sentiment:  -not  OR'),
                classes="vs-hint",
            )

    def on_mount(self) -> None:
        self._show(self.initial)
        self.query_one(Input).focus()

    def _show(self, text: str) -> None:
        meaning, warnings = preview(text)
        self.query_one("#filter-preview", Static).update(meaning)
        w = self.query_one("#filter-warnings", Static)
        w.update(warnings)
        w.display = bool(warnings.plain)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if scrub_input(event.input):
            return
        if self._pos == len(self.history):
            self._typed = event.value
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        remember(text, self.history)
        self.dismiss(text)

    def action_history(self, step: int) -> None:
        pos = max(0, min(len(self.history), self._pos + step))
        if pos == self._pos:
            return
        self._pos = pos
        value = self._typed if pos == len(self.history) else self.history[pos]
        inp = self.query_one(Input)
        inp.value = value
        inp.cursor_position = len(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
