"""Text from strangers, made inert before any widget sees it.

Every string that came from outside (post text, titles, author names, URLs,
error lines from servers) reaches a widget as a `rich.text.Text` or a
`textual.content.Content` built here, never as a markup string: in Textual a
markup string can bind actions (`[@click=app.quit]`), open links or raise on a
stray `[/`. Control characters (C0 but newline and tab, DEL, C1) and bidi
overrides/isolates are removed: they would let a post drive the terminal (OSC
52 clipboard writes, cursor moves) or disguise what it says. Right-to-left
letters themselves are kept intact.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len
from rich.text import Text

from tui.widgets._bidi import visual

__all__ = [
    "clean",
    "fit_cells",
    "name_line",
    "one_line",
    "safe_text",
    "safe_url",
    "MAX_DISPLAY",
]

MAX_DISPLAY = 20_000  # characters of one text shown; the rest is cut with a mark

_CONTROLS = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f"  # C0 but \t and \n, and DEL
    "\x80-\x9f"  # C1 (includes CSI 0x9b and OSC 0x9d)
    "\u061c\u200e\u200f"  # Arabic letter mark, LRM, RLM
    "\u202a-\u202e"  # embeddings and overrides
    "\u2066-\u2069"  # isolates
    "\ufff9-\ufffb"  # interlinear annotations
    "]"
)
# A lone surrogate (a JSON "\ud800" escape) cannot be encoded for the terminal.
_SURROGATES = re.compile("[\ud800-\udfff]")
_COMBINING_RUN = re.compile(
    r"([\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u20d0-\u20ff]{4})[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u20d0-\u20ff]+"
)
_SPACES = re.compile(r"\s+")


def clean(text: object, limit: int = MAX_DISPLAY) -> str:
    """Inert plain text: no controls, no bidi overrides, no combining floods."""
    s = text if isinstance(text, str) else ("" if text is None else str(text))
    if len(s) > limit:
        s = s[:limit] + " …"
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _CONTROLS.sub("", s)
    s = _SURROGATES.sub("\ufffd", s)
    # Zalgo: keep at most four combining marks on one base character.
    s = _COMBINING_RUN.sub(r"\1", s)
    return unicodedata.normalize("NFC", s)


def one_line(text: object, width: int | None = None) -> str:
    """Clean, on one line, whitespace folded, cut to `width` characters."""
    s = _SPACES.sub(" ", clean(text, limit=2000)).strip()
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s


def fit_cells(text: object, cells: int) -> str:
    """`one_line` cut to `cells` terminal cells (a wide character takes two, a combining
    mark none), ending in "…" when cut.

    Cut here, before a right-to-left line is put in display order, the words lost are
    the last ones; cut by the widget after, they would be the first.
    """
    s = one_line(text)
    if cell_len(s) <= cells:
        return s
    out: list[str] = []
    used = 0
    for ch in s:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


# Characters that print as nothing: in a name they make "nimbus" and "nim\u200bbus"
# (another account) look the same. Joiners inside emoji and Arabic are kept.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_MARK = "\ufffd"


def _kept(s: str, i: int) -> bool:
    """Whether the invisible character at `i` is doing its job: a joiner or variation
    selector after a symbol (emoji sequences, keycaps), a non-joiner between Arabic
    letters, tag characters inside a flag sequence."""
    c = s[i]
    prev = s[i - 1] if i else ""
    nxt = s[i + 1] if i + 1 < len(s) else ""
    if c == "\u200c":
        return _is_arabic(prev) and _is_arabic(nxt)
    if c == "\u200d" or "\ufe00" <= c <= "\ufe0f" or "\U000e0000" <= c <= "\U000e007f":
        return bool(prev) and (
            unicodedata.category(prev) in ("So", "Sk", "Mn")
            or prev in "\u200d0123456789#*"
            or "\U000e0000" <= prev <= "\U000e007f"
            or "\ufe00" <= prev <= "\ufe0f"
        )
    return False


def _is_arabic(c: str) -> bool:
    return bool(c) and ("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")


def name_line(name: object, width: int | None = None) -> str:
    """An author's name on one line, with any character that prints as nothing shown
    as \ufffd: a stranger cannot pass for a known account by slipping one in."""
    s = one_line(name)
    if _INVISIBLE.search(s):
        s = "".join(
            _MARK if _INVISIBLE.match(c) and not _kept(s, i) else c for i, c in enumerate(s)
        )
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s


def safe_text(
    text: object, style: str = "", *, single_line: bool = False, width: int | None = None
) -> Text:
    """A rich Text that is never parsed as markup; a single line is in display order
    (right-to-left words put the way they read, tui/widgets/_bidi.py)."""
    s = visual(one_line(text, width)) if single_line else clean(text)
    return Text(s, style=style, no_wrap=single_line, overflow="ellipsis" if single_line else "fold")


def safe_url(url: object) -> str | None:
    """The URL if it is http(s) and printable, else None: only these are ever opened."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if len(u) > 4096 or _CONTROLS.search(u) or _SURROGATES.search(u) or any(c.isspace() for c in u):
        return None
    low = u.lower()
    if not (low.startswith("https://") or low.startswith("http://")):
        return None
    return u
