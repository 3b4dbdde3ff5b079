"""`?`: every key the console answers to, and the filter syntax, in one modal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from inbox.query import SYNTAX_HELP
from tui.safe import one_line

__all__ = ["HelpScreen", "key_label"]

_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "escape": "esc",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "space": "space",
    "enter": "enter",
    "tab": "tab",
    # Textual's names that its key_to_character does not turn back into the character
    "slash": "/",
    "backslash": "\\",
    "minus": "-",
    "plus": "+",
}


def key_label(keys: str) -> str:
    """`j,down` as `j ↓`, `question_mark` as `?`, `ctrl+s` unchanged: what the keyboard shows."""
    out: list[str] = []
    for raw in keys.split(","):
        k = raw.strip()
        if not k:
            continue
        mods, _, base = k.rpartition("+")
        ch = _NAMES.get(base) or key_to_character(base) or base
        if not ch.isprintable() or ch.isspace():
            ch = base
        out.append(f"{mods}+{ch}" if mods else ch)
    return " ".join(out)


def _table(rows: Sequence[tuple[str, str]], key_style: str) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for left, right in rows:
        table.add_row(Text(one_line(left, 40), style=key_style), Text(one_line(right, 200)))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys come from the caller (after the user's remapping), so help never lies."""

    CSS_PATH = "screens.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close", tooltip="Close help"),
    ]

    def __init__(self, bindings: Sequence[tuple[str, str]], *, syntax: bool = True) -> None:
        super().__init__()
        self._keys = [(key_label(k), d) for k, d in bindings]
        self._syntax = syntax

    def compose(self) -> ComposeResult:
        box = Vertical(classes="vs-dialog", id="help-box")
        box.border_title = "veille: keys"
        box.border_subtitle = "esc or ? to close"
        with box:
            with VerticalScroll(id="help-scroll"):
                yield Static(_table(self._keys, "bold"), id="help-keys")
                if self._syntax:
                    yield Static(Text("Filter ( / )"), classes="vs-section")
                    yield Static(_table(SYNTAX_HELP, "italic"), id="help-syntax")

    def action_close(self) -> None:
        self.dismiss(None)
