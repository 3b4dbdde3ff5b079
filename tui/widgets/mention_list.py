"""A virtual list of mentions: draws only the rows on screen.

A DataTable builds every row up front (about 2 s to settle at 10,000 rows and
growing linearly); this list keeps the rows as plain data and renders the
visible ones line by line (Textual's line API), so 100,000 rows cost what 40
do. Rows are replaced in place when a snapshot arrives and the cursor stays
on the same mention, so a live refresh never moves the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.messages import CursorMoved
from tui.widgets._virtual import set_virtual_size

__all__ = ["MentionList"]


class MentionList(ScrollView, can_focus=True):
    """Base for the Queue and Incoming panes; subclasses say how a row looks."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "mention-list--cursor",
        "mention-list--selected",
        "mention-list--dim",
        "mention-list--empty",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    # Rows are cut to the width with an ellipsis: there is never anything to the right, and
    # a horizontal scrollbar would take a row and hide the cut's "…" under the vertical one.
    DEFAULT_CSS = """
    MentionList { overflow-x: hidden; }
    """

    pane: ClassVar[str] = "list"
    empty_text: ClassVar[str] = "Nothing here."
    empty_hint: str = ""  # says why the list is empty when that is not the usual reason

    cursor: reactive[int] = reactive(0, layout=False, repaint=False, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[Any] = []
        self._keys: list[str] | None = None
        self._index_cache: dict[str, int] | None = None
        self.selected: set[str] = set()
        self._cache: dict[tuple[Any, int, bool, bool], Strip] = {}

    # -- data ------------------------------------------------------------
    def row_key(self, row: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def keys(self) -> list[str]:
        """Row keys in order; built on demand, since a live refresh rarely needs them."""
        if self._keys is None:
            self._keys = [self.row_key(r) for r in self.rows]
        return self._keys

    @property
    def _index(self) -> dict[str, int]:
        if self._index_cache is None:
            self._index_cache = {k: i for i, k in enumerate(self.keys)}
        return self._index_cache

    def set_rows(
        self,
        rows: Sequence[Any],
        keys: list[str] | None = None,
        *,
        looks_before: list[Any] | None = None,
    ) -> None:
        """Replace the rows; the cursor stays on its mention when it is still listed.

        `keys` are the rows' keys when the caller already has them (the snapshot
        thread computes them), so finding the cursor's mention again is one C-level
        search, not a Python call per row. Only the visible lines whose look
        changed are redrawn: a live refresh that adds rows off screen costs no
        repaint, and one that adds a row on screen repaints what moved.
        `looks_before` is what the visible lines looked like before the caller
        changed anything a row's look depends on (the queue's clock and drafts).
        """
        before = self._visible_looks() if looks_before is None else looks_before
        top_before = int(self.scroll_offset.y)
        current = self.current_key
        self.rows = list(rows)
        self._keys = list(keys) if keys is not None else None
        self._index_cache = None
        if self.selected:
            self.selected &= set(self._index)
        set_virtual_size(self, Size(self._row_width, len(self.rows)))
        new_cursor = self.cursor
        if current is not None:
            try:
                new_cursor = self.keys.index(current)
            except ValueError:
                pass
        new_cursor = max(0, min(new_cursor, len(self.rows) - 1)) if self.rows else 0
        if new_cursor != self.cursor:
            self.set_reactive(MentionList.cursor, new_cursor)
            self._follow()
        if int(self.scroll_offset.y) != top_before or len(before) != self.size.height:
            self.refresh()
        else:
            after = self._visible_looks()
            for y, (old, new) in enumerate(zip(before, after, strict=True)):
                if old != new:
                    self.refresh(Region(0, y, self.size.width, 1))
        if self.current_key != current:
            self.post_message(CursorMoved(self.pane, self.current_key))

    def _visible_looks(self) -> list[Any]:
        """What each visible line shows: its row's look, and whether it is the cursor."""
        top = int(self.scroll_offset.y)
        rows = self.rows
        selected = self.selected
        out: list[Any] = []
        for y in range(self.size.height):
            i = top + y
            if i < len(rows):
                row = rows[i]
                out.append(
                    (
                        self.row_look(row),
                        i == self.cursor,
                        bool(selected) and self.row_key(row) in selected,
                    )
                )
            else:
                out.append(None if rows or y else ("empty", self.empty_hint))
        return out

    @property
    def current_key(self) -> str | None:
        if 0 <= self.cursor < len(self.rows):
            return self.row_key(self.rows[self.cursor])
        return None

    @property
    def current_row(self) -> Any | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def move_to_key(self, key: str) -> bool:
        i = self._index.get(key)
        if i is None:
            return False
        self.cursor = i
        return True

    def toggle_selected(self) -> None:
        k = self.current_key
        if k is None:
            return
        if k in self.selected:
            self.selected.discard(k)
        else:
            self.selected.add(k)
        self._cache.clear()
        self._refresh_row(self.cursor)

    def clear_selection(self) -> None:
        if self.selected:
            self.selected.clear()
            self._cache.clear()
            self.refresh()

    # -- cursor ------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._follow()
        self.post_message(CursorMoved(self.pane, self.current_key))

    def _follow(self) -> None:
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_cursor_down(self) -> None:
        if self.cursor < len(self.rows) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_page(self, direction: int) -> None:
        if self.rows:
            step = max(1, self.size.height - 1)
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + direction * step))

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = 0 if where == 0 else len(self.rows) - 1

    async def _on_click(self, event: events.Click) -> None:
        """A click moves the cursor; nothing in a row is ever a link or an action."""
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < len(self.rows):
            self.cursor = index
        event.stop()

    # -- drawing -------------------------------------------------------------
    def render_row(self, row: Any, width: int) -> Text:  # pragma: no cover - abstract
        raise NotImplementedError

    def row_look(self, row: Any) -> Any:
        """Everything a row's drawing depends on: rows that look the same are drawn once.

        The cache is keyed by this, not by position, so a live refresh that
        shifts rows down redraws only the rows that are new or changed.
        """
        return self.row_key(row)

    def row_dim(self, row: Any) -> bool:
        return False

    @property
    def _row_width(self) -> int:
        """Cells a row may use: the content width less the vertical scrollbar, if any."""
        return self.scrollable_content_region.width

    def render_line(self, y: int) -> Strip:
        width = self._row_width
        index = int(self.scroll_offset.y) + y
        if not self.rows:
            if y == 0:
                style = self.get_component_rich_style("mention-list--empty")
                empty = self.empty_hint or self.empty_text
                return self._strip(Text(empty, style=style), width, Style())
            return Strip.blank(width, self.rich_style)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        is_cursor = index == self.cursor
        row = self.rows[index]
        is_selected = bool(self.selected) and self.row_key(row) in self.selected
        cache_key = (self.row_look(row), width, is_cursor, is_selected)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        text = self.render_row(row, width - 2)
        mark = Text("● " if is_selected else "  ")
        line = Text.assemble(mark, text)
        base = self.rich_style
        if self.row_dim(row):
            base = base + self.get_component_rich_style("mention-list--dim")
        if is_selected:
            base = base + self.get_component_rich_style("mention-list--selected")
        if is_cursor:
            cursor_style = self.get_component_rich_style("mention-list--cursor")
            if not self.has_focus:
                cursor_style = Style(bgcolor=cursor_style.bgcolor, dim=True)
            base = base + cursor_style
        strip = self._strip(line, width, base)
        if len(self._cache) > 2000:
            self._cache.clear()
        self._cache[cache_key] = strip
        return strip

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis", pad=True)
        console = self.app.console
        segments = [
            Segment(s.text, base + s.style if s.style else base, None)
            for s in text.render(console, end="")
        ]
        return Strip(segments, width).adjust_cell_length(width, base)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        set_virtual_size(self, Size(self._row_width, len(self.rows)))

    def on_focus(self) -> None:
        self._cache.clear()
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._cache.clear()
        self._refresh_row(self.cursor)
