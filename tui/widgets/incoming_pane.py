"""Incoming: every mention as it arrives, newest first, whatever became of it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
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

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._today = self.clock().astimezone().date()

    def set_mentions(self, mentions: Sequence[Mention]) -> None:
        self._today = self.clock().astimezone().date()
        self.set_rows(mentions, [m.id for m in mentions])

    def _when(self, row: Mention) -> str:
        """The time it came in; the day instead when that was not today (after a restart
        the next morning, yesterday's 16:05 must not pass for today's)."""
        seen = row.first_seen.astimezone()
        return seen.strftime("%H:%M:%S") if seen.date() == self._today else seen.strftime("%d %b")

    def row_key(self, row: Mention) -> str:
        return row.id

    def row_look(self, row: Mention) -> object:
        return (row.id, row.state, row.verdict.category, self._today)

    def row_dim(self, row: Mention) -> bool:
        return row.state != "open"

    def render_row(self, row: Mention, width: int) -> Text:
        st = self.get_component_rich_style
        parts: list[tuple[str, Style | str]] = [
            (f"{self._when(row):<8} ", st("incoming-pane--time")),
            (f"{_STATE_MARK.get(row.state, '?')} ", st("incoming-pane--state")),
            (f"{one_line(row.verdict.category, 10):<10} ", ""),
            (f"{visual(name_line(row.post.author or '?', 14)):<14} ", ""),
            (f"{one_line(row.post.source, 8):<8} ", st("incoming-pane--time")),
        ]
        used = sum(cell_len(p) for p, _ in parts)
        excerpt = visual(fit_cells(row.post.title or row.post.text, max(8, width - used)))
        return Text.assemble(*parts, (excerpt, ""))
