"""Incoming: every mention as it arrives, newest first, whatever became of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from inbox import Mention
from tui.safe import fit_cells, name_line, one_line
from tui.widgets._bidi import visual
from tui.widgets.mention_list import MentionList

__all__ = ["IncomingPane"]

_STATE_MARK = {"open": " ", "done": "✓", "spam": "✗", "snoozed": "z", "muted": "m"}


class IncomingPane(MentionList):
    COMPONENT_CLASSES: ClassVar[set[str]] = MentionList.COMPONENT_CLASSES | {
        "incoming-pane--time",
        "incoming-pane--state",
    }
    pane = "incoming"
    empty_text = "Waiting for the first mention…"

    def set_mentions(self, mentions: Sequence[Mention]) -> None:
        self.set_rows(mentions, [m.id for m in mentions])

    def row_key(self, row: Mention) -> str:
        return row.id

    def row_look(self, row: Mention) -> object:
        return (row.id, row.state, row.verdict.category)

    def row_dim(self, row: Mention) -> bool:
        return row.state != "open"

    def render_row(self, row: Mention, width: int) -> Text:
        st = self.get_component_rich_style
        t = row.first_seen.astimezone().strftime("%H:%M:%S")
        parts: list[tuple[str, Style | str]] = [
            (f"{t} ", st("incoming-pane--time")),
            (f"{_STATE_MARK.get(row.state, '?')} ", st("incoming-pane--state")),
            (f"{one_line(row.verdict.category, 10):<10} ", ""),
            (f"{visual(name_line(row.post.author or '?', 14)):<14} ", ""),
            (f"{one_line(row.post.source, 8):<8} ", st("incoming-pane--time")),
        ]
        used = sum(cell_len(p) for p, _ in parts)
        excerpt = visual(fit_cells(row.post.title or row.post.text, max(8, width - used)))
        return Text.assemble(*parts, (excerpt, ""))
