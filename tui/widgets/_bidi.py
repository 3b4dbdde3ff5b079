"""Right-to-left text in a terminal that lays cells out left to right.

Textual writes cells one by one, so the terminal's own bidi (when it has
any) never sees whole lines: Arabic would read backwards. Lines holding RTL
letters are put in visual order here (Unicode bidi algorithm, python-bidi),
after wrapping, and only for display; the logical text is kept everywhere else.
A terminal that reorders on its own (mlterm, Konsole) is told so with
`VEILLE_BIDI=terminal`, which leaves lines in logical order.
"""

from __future__ import annotations

import os
import textwrap
import unicodedata

from bidi import get_display

__all__ = ["bidi_lines", "has_rtl", "is_rtl", "visual"]


def _strong(ch: str) -> str:
    return unicodedata.bidirectional(ch)


def is_rtl(paragraph: str) -> bool:
    """The paragraph direction: its first strong character decides (rule P2)."""
    for ch in paragraph:
        d = _strong(ch)
        if d in ("R", "AL"):
            return True
        if d == "L":
            return False
    return False


def has_rtl(text: str) -> bool:
    """Whether veille must reorder this text for display (it holds RTL letters and the
    terminal does not reorder by itself)."""
    return _has_rtl(text)


def _has_rtl(line: str) -> bool:
    if os.environ.get("VEILLE_BIDI", "").lower() == "terminal":
        return False
    return any(_strong(ch) in ("R", "AL") for ch in line)


def bidi_lines(text: str, width: int) -> list[tuple[str, bool]]:
    """Display lines in visual order, each with whether it aligns right."""
    out: list[tuple[str, bool]] = []
    width = max(10, width)
    for para in text.split("\n"):
        if not para.strip():
            out.append(("", False))
            continue
        rtl = is_rtl(para)
        for line in textwrap.wrap(para, width, break_long_words=True, replace_whitespace=False):
            if _has_rtl(line):
                line = get_display(line, base_dir="R" if rtl else "L")
            out.append((line, rtl))
    return out


def visual(line: str) -> str:
    """One display line in visual order (unchanged when it holds no RTL letter)."""
    if not _has_rtl(line):
        return line
    return str(get_display(line, base_dir="R" if is_rtl(line) else "L"))
