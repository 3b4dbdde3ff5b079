"""Changing a scroll view's virtual size without a screen-wide layout.

`Widget.virtual_size` is a layout reactive: every change re-lays-out the whole
screen, about 30 ms at 120x36, which a live list would pay on every arrival
and the responder on every cursor move. Only a scrollbar appearing or going
away changes anyone's geometry; otherwise the new size is set quietly and the
widget's own scrollbars and lines are refreshed.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView

__all__ = ["set_virtual_size"]


def set_virtual_size(view: ScrollView, size: Size) -> None:
    old = view.virtual_size
    if size == old:
        return
    height = view.size.height
    if (old.height > height) != (size.height > height) or not view.is_mounted:
        view.virtual_size = size  # a scrollbar comes or goes: a real layout change
        return
    view.set_reactive(ScrollView.virtual_size, size)
    view._scroll_update(size)
    view.refresh()
