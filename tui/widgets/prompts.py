"""Small modal dialogs the triage keys open: pick one of many, ask a value, confirm.

Every label is a rich `Text` (never markup), since template names, teammate
names and mention excerpts may come from files or strangers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rapidfuzz import fuzz, process
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.safe import one_line

__all__ = ["AskScreen", "PickScreen", "fuzzy_order"]


def fuzzy_order(query: str, choices: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Choices (id, label) best first for a typed query; all of them when it is empty."""
    q = query.strip()
    if not q:
        return list(choices)
    labels = [label for _, label in choices]
    hits = process.extract(q, labels, scorer=fuzz.WRatio, limit=len(labels), score_cutoff=40)
    return [choices[i] for _, _, i in hits]


class PickScreen(ModalScreen[str | None]):
    """Type to narrow, arrows to move, enter to choose, escape to cancel.

    With `free_text`, enter on a query that matches nothing returns "=" and
    the text itself (a snooze time such as "2h" or "17:30"); `accept` says
    which typed texts are such values even when a choice would also match.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str]],
        *,
        free_text: str = "",
        accept: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__()
        self.accept = accept
        self.title_text = title
        self.choices = list(choices)
        self.free_text = free_text
        self._shown: list[tuple[str, str]] = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Input(placeholder=self.free_text or "type to filter", id="pick-input")
            yield OptionList(*self._options(self.choices), id="pick-list")

    def _options(self, choices: Sequence[tuple[str, str]]) -> list[Option]:
        return [
            Option(Text(one_line(label, 120)), id=str(i)) for i, (_, label) in enumerate(choices)
        ]

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        if self.choices:
            ol.highlighted = 0
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._shown = fuzzy_order(event.value, self.choices)
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options(self._options(self._shown))
        if self._shown:
            ol.highlighted = 0

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            ol.highlighted = max(0, min(ol.option_count - 1, (ol.highlighted or 0) + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if typed and self.accept is not None and self.accept(typed):
            self.dismiss("=" + typed)  # a value in its own right ("2h"), not a fuzzy pick
            return
        ol = self.query_one(OptionList)
        if ol.highlighted is not None and self._shown:
            self.dismiss(self._shown[ol.highlighted][0])
        elif self.free_text and event.value.strip():
            self.dismiss("=" + event.value.strip())
        else:
            self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskScreen(ModalScreen[str | None]):
    """One value the caller needs (a template variable, a time)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, *, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question, style="bold"), classes="dialog-title")
            yield Input(value=self.value, id="ask-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
