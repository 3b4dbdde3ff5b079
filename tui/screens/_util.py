"""Helpers the table screens share: relative times and updating a DataTable in place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from rich.text import Text
from textual.widgets import DataTable, Input
from textual.widgets.data_table import CellDoesNotExist, RowKey

from tui.safe import clean

__all__ = ["as_datetime", "relative", "scrub_input", "sync_table"]


def as_datetime(value: object) -> datetime | None:
    """An aware datetime from what a health record may hold: ISO text, epoch seconds, datetime."""
    try:
        if isinstance(value, datetime):
            d = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            d = datetime.fromtimestamp(float(value), timezone.utc)
        elif isinstance(value, str) and value.strip():
            d = datetime.fromisoformat(value.strip())
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return d if d.tzinfo is not None else d.replace(tzinfo=timezone.utc)


def relative(value: object, now: datetime) -> str:
    """`3m ago`, `in 40s`, or `—`: a poll schedule is read at a glance, not to the second."""
    d = as_datetime(value)
    if d is None:
        return "—"
    secs = (d - now).total_seconds()
    span = abs(secs)
    if span < 1:
        return "now"
    if span < 60:
        n = f"{span:.0f}s"
    elif span < 3600:
        n = f"{span // 60:.0f}m"
    elif span < 86400:
        n = f"{span // 3600:.0f}h"
    else:
        n = f"{span // 86400:.0f}d"
    return f"in {n}" if secs > 0 else f"{n} ago"


def _same(a: object, b: Text) -> bool:
    """Text's own == ignores the base style, which carries a status colour."""
    return isinstance(a, Text) and a.plain == b.plain and a.style == b.style and a.spans == b.spans


def sync_table(table: DataTable[Text], rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
    """Show `rows` (key, cells) in `table`, updating cells in place when the keys are unchanged.

    A refresh every two seconds must not move the user's cursor or repaint rows
    that did not change; only a change in the set or order of rows rebuilds.
    """
    keys = [k for k, _ in rows]
    current = [str(rk.value) for rk in table.rows]
    if keys == current:
        columns = list(table.columns)
        for key, cells in rows:
            for col, cell in zip(columns, cells, strict=False):
                try:
                    old = table.get_cell(key, col)
                except CellDoesNotExist:
                    old = None
                if not _same(old, cell):
                    table.update_cell(key, col, cell)
        return
    cursor_key: str | None = None
    if table.row_count and 0 <= table.cursor_row < table.row_count:
        cursor_key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if cursor_key in keys:
        table.move_cursor(row=table.get_row_index(RowKey(cursor_key)), animate=False)


def scrub_input(widget: Input) -> bool:
    """Take controls and bidi overrides out of what was typed or pasted; True if it changed.

    An Input shows its value to the terminal as is, so a pasted escape sequence
    would reach it. Newlines and tabs become spaces: a query is one line.
    """
    value = widget.value
    cleaned = clean(value, limit=2000).replace("\n", " ").replace("\t", " ")
    if cleaned == value:
        return False
    widget.value = cleaned
    widget.cursor_position = len(cleaned)
    return True
