"""The Queue: open mentions by category in rule order, most urgent first.

One row a mention, or one row a cluster with its count. Each row carries what
a community manager decides on at a glance: category, the SLA countdown
(warning when a quarter of the time is left, error once it has passed),
author and reach, source, language, sentiment, a draft marker and an excerpt.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from inbox import QueueItem
from tui.safe import fit_cells, name_line, one_line
from tui.widgets._bidi import visual
from tui.widgets.mention_list import MentionList

__all__ = ["QueuePane", "format_reach", "format_sla"]


def format_reach(followers: int) -> str:
    if followers >= 1_000_000:
        return f"{followers / 1_000_000:.1f}M"
    if followers >= 10_000:
        return f"{followers // 1000}k"
    if followers >= 1000:
        return f"{followers / 1000:.1f}k"
    return str(max(0, followers))


def format_sla(
    deadline: datetime | None, sla_minutes: int | None, now: datetime
) -> tuple[str, str]:
    """The countdown text and its level: "" (fine), "warning" or "error"."""
    if deadline is None or not sla_minutes:
        return "", ""
    left = (deadline - now).total_seconds() / 60.0
    if left < 0:
        over = -left  # a breach counts from its first minute: never "-0m"
        txt = f"-{math.ceil(over)}m" if over < 60 else f"-{int(over // 60)}h"
        return txt, "error"
    txt = f"{int(left)}m" if left < 60 else f"{int(left // 60)}h{int(left % 60):02d}"
    return txt, ("warning" if left <= sla_minutes / 4 else "")


_SENTIMENT = {"positive": "+", "negative": "−", "neutral": "·"}


class QueuePane(MentionList):
    COMPONENT_CLASSES: ClassVar[set[str]] = MentionList.COMPONENT_CLASSES | {
        "queue-pane--warning",
        "queue-pane--error",
        "queue-pane--category",
        "queue-pane--draft",
        "queue-pane--muted-text",
        "queue-pane--negative",
        "queue-pane--positive",
    }
    pane = "queue"
    empty_text = "The queue is empty: nothing waits for a reply."

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.drafts: frozenset[str] = frozenset()
        self._now = self.clock()

    def set_queue(
        self,
        items: Sequence[QueueItem],
        drafts: frozenset[str],
        keys: list[str] | None = None,
    ) -> None:
        """New rows from a snapshot; `keys` are their mention ids when already known."""
        before = self._visible_looks()  # with the old clock and drafts
        self.drafts = drafts
        self._now = self.clock()
        self.set_rows(items, keys, looks_before=before)

    def row_key(self, row: QueueItem) -> str:
        return row.mention.id

    def row_look(self, row: QueueItem) -> object:
        m = row.mention
        sla = format_sla(m.sla_deadline(), m.verdict.sla_minutes, self._now)
        v = m.verdict
        return (
            m.id,
            row.count,
            m.id in self.drafts,
            v.category,
            v.language,
            v.sentiment,
            m.state,
            sla,
        )

    def tick(self) -> None:
        """Redraw the countdowns."""
        self._now = self.clock()
        self._cache.clear()
        self.refresh()

    def member_ids(self, keys: Sequence[str]) -> list[str]:
        """Every open mention the given rows stand for (a cluster row is all its members)."""
        out: list[str] = []
        current = self.current_key
        for k in keys:
            # the row under the cursor needs no index (a dict of every row's key,
            # rebuilt after each refresh): the responder asks for it on every move
            i = self.cursor if k == current else self._index.get(k)
            if i is not None:
                out.extend(self.rows[i].members)
        return out

    def render_row(self, row: QueueItem, width: int) -> Text:
        m = row.mention
        st = self.get_component_rich_style
        sla, level = format_sla(m.sla_deadline(), m.verdict.sla_minutes, self._now)
        sla_style = st(f"queue-pane--{level}") if level else st("queue-pane--muted-text")
        count = f"×{row.count}" if row.count > 1 else ""
        sent = m.verdict.sentiment.label
        sent_style = (
            st("queue-pane--negative")
            if sent == "negative"
            else st("queue-pane--positive")
            if sent == "positive"
            else st("queue-pane--muted-text")
        )
        draft = "✎" if m.id in self.drafts else " "
        wide = width >= 96  # room for the source name
        author = visual(name_line(m.post.author or "?", 16 if wide else 13))
        parts: list[tuple[str, Style | str]] = [
            (f"{m.verdict.category[:10]:<10} ", st("queue-pane--category")),
            (f"{sla:>5} ", sla_style),
            (f"{count:>3} ", st("queue-pane--category")),
            (f"{author:<{16 if wide else 13}} ", ""),
        ]
        parts.append((f"{format_reach(m.post.followers):>5} ", st("queue-pane--muted-text")))
        if wide:
            parts.append((f"{one_line(m.post.source, 10):<10} ", st("queue-pane--muted-text")))
        parts += [
            (f"{one_line(m.verdict.language, 2):<2} ", ""),
            (f"{_SENTIMENT.get(sent, '·')}", sent_style),
            (f"{draft} ", st("queue-pane--draft")),
        ]
        used = sum(cell_len(t) for t, _ in parts)
        excerpt = visual(fit_cells(m.post.title or m.post.text, max(8, width - used)))
        return Text.assemble(*parts, (excerpt, ""))
