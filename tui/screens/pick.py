"""Pick one of many by typing a few letters: a teammate, a canned reply, a snooze time.

The one picker of the console (assign, snooze, templates, and tests of each).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.fuzzy import FuzzySearch
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.safe import one_line
from tui.screens._util import scrub_input

__all__ = ["PickScreen", "fuzzy_rank"]

_SEARCH = FuzzySearch()


def fuzzy_rank(
    query: str, options: Sequence[tuple[str, str]]
) -> list[tuple[str, str, tuple[int, ...]]]:
    """(id, label, matched offsets) best first; all options in order for an empty query.

    Ties keep the caller's order, so a list given most-used first stays so.
    """
    q = query.strip()
    if not q:
        return [(i, label, ()) for i, label in options]
    scored: list[tuple[float, int, str, str, tuple[int, ...]]] = []
    for n, (oid, label) in enumerate(options):
        score, offsets = _SEARCH.match(q, label)
        if score > 0:
            scored.append((-score, n, oid, label, tuple(offsets)))
    scored.sort()
    return [(oid, label, offsets) for _, _, oid, label, offsets in scored]


def _prompt(label: str, offsets: tuple[int, ...]) -> Text:
    text = Text(label, no_wrap=True, overflow="ellipsis")
    for i in offsets:
        if i < len(label):
            text.stylize("bold underline", i, i + 1)
    return text


class PickScreen(ModalScreen[str | None]):
    """Dismisses with the chosen option's id, or None on esc.

    Labels are cleaned to one line first (template names and teammates come
    from files), and fuzzy offsets are computed on that cleaned label so the
    highlight lands on the letters shown. With `free_text` set (its value is
    the input's placeholder), enter on a query that matches nothing dismisses
    with "=" + the typed text, e.g. "=17:30" for a snooze time. `accept` says
    which typed texts are values in their own right even when an option would
    also match them: "2h" snoozes two hours, whatever "In 3 hours" scores. With
    `accept`, a typed text it refuses that matches no option keeps the dialog
    open with a line saying so; the line also says when enter will use the text.
    """

    CSS_PATH = "screens.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel", tooltip="Close without picking"),
        Binding("down,ctrl+n", "move(1)", "Next", show=False, id="pick.down", tooltip="Next"),
        Binding("up", "move(-1)", "Previous", show=False, id="pick.up", tooltip="Previous"),
    ]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, str]],
        *,
        free_text: str = "",
        accept: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = one_line(title, 80)
        self.options = [(str(i), one_line(label, 200)) for i, label in options]
        self.free_text = free_text
        self.accept = accept
        self._shown = fuzzy_rank("", self.options)

    def compose(self) -> ComposeResult:
        box = Vertical(classes="vs-dialog -small", id="pick-box")
        box.border_title = Text(self.title_text)  # a str title would be parsed as markup
        box.border_subtitle = "enter picks · esc cancels"
        with box:
            yield Input(
                placeholder=one_line(self.free_text, 60) or "type to filter",
                id="pick-input",
                max_length=200,
            )
            yield OptionList(id="pick-list")
            yield Static(Text("nothing matches"), id="pick-empty")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(Input).focus()

    def _fill(self) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options(
            [
                Option(_prompt(label, off), id=str(n))
                for n, (_, label, off) in enumerate(self._shown)
            ]
        )
        ol.highlighted = 0 if self._shown else None
        typed = one_line(self.query_one(Input).value, 60)
        if typed and self.accept is not None and self.accept(typed):
            self._say(f"enter: {typed}")  # a value in its own right, so never "nothing matches"
        elif not self._shown:
            self._say("nothing matches")
        else:
            self._say("")

    def _say(self, line: str) -> None:
        """The line under the options: what enter will do, or why it will not."""
        note = self.query_one("#pick-empty", Static)
        note.update(Text(line))
        note.display = bool(line)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if scrub_input(event.input):
            return  # the cleaned value posts its own Changed
        self._shown = fuzzy_rank(event.value, self.options)
        self._fill()

    def action_move(self, step: int) -> None:
        ol = self.query_one(OptionList)
        if ol.option_count:
            current = ol.highlighted if ol.highlighted is not None else -step
            ol.highlighted = max(0, min(ol.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = one_line(event.value, 200).strip()
        if typed and self.accept is not None and self.accept(typed):
            self.dismiss("=" + typed)  # a value in its own right ("2h"), not a fuzzy pick
            return
        ol = self.query_one(OptionList)
        if ol.highlighted is not None and self._shown:
            self.dismiss(self._shown[ol.highlighted][0])
        elif self.free_text and typed and self.accept is not None:
            # not a value the caller takes: say so here, where it can be fixed
            self._say(f"not understood: {one_line(typed, 30)} ({one_line(self.free_text, 40)})")
        elif self.free_text and typed:
            self.dismiss("=" + typed)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._shown[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
