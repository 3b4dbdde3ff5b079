"""The rule-file format: TOML parsed, checked key by key, errors placed at line and column.

`tomllib` reports syntax errors with a position but knows nothing of veille's keys, and
it returns plain dicts without positions. `locate` finds a key's line and column in the
source text from the table it sits in, so "unknown key" and "bad regex" point where the
user has to look. Every error is collected; nothing here raises.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "COND_KEYS",
    "EFFECT_KEYS",
    "MAX_FILE_BYTES",
    "MAX_PATTERN",
    "MAX_REPEAT",
    "PRIORITY_KEYS",
    "RuleError",
    "TOP_KEYS",
    "locate",
    "parse_toml",
    "suggest",
]

MAX_FILE_BYTES = 1_000_000
MAX_PATTERN = 500
"""Longest regular expression accepted: longer ones are almost always pasted by mistake."""
MAX_REPEAT = 100
"""Largest count in a regex's `{n,m}`: RE2 stays linear, but a counted repeat is copied
that many times into the automaton every post runs through. One rule's
`(x|y)[^\n]{1,1000}z` made every verdict five times slower."""

TOP_KEYS = ("categories", "sla", "priority", "sentiment", "rule")
PRIORITY_KEYS = ("base", "wait", "overdue", "reach", "repeat", "negativity", "category")
SENTIMENT_KEYS = ("positive", "negative", "question", "exclamation", "words")
RULE_KEYS = ("id", "description", "enabled")
EFFECT_KEYS = ("label", "category", "boost", "multiply", "mute", "spam")
COND_KEYS = (
    "words",
    "regex",
    "lang",
    "sentiment_below",
    "sentiment_above",
    "author",
    "followers_at_least",
    "followers_below",
    "source",
    "has_link",
    "is_reply",
    "labels",
    "not",
    "any",
    "all",
    "at_least",
)


@dataclass(frozen=True)
class RuleError:
    """One problem in one rule file; `str()` is the `path:line:col: message` users see."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def suggest(key: str, known: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


_POS = re.compile(r"at line (\d+), column (\d+)")


def parse_toml(path: Path, text: str) -> tuple[dict[str, Any] | None, RuleError | None]:
    """Parse, turning every failure (including too-deep nesting) into one clear error."""
    p = str(path)
    if len(text) > MAX_FILE_BYTES:
        return None, RuleError(p, 1, 1, f"file too large (over {MAX_FILE_BYTES} bytes)")
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _POS.search(msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        msg = _POS.sub("", msg).strip().rstrip("()").strip()
        return None, RuleError(p, line, col, f"TOML syntax: {msg}")
    except RecursionError:
        line = _deepest_line(text)
        return None, RuleError(p, line, 1, "TOML syntax: arrays or tables nested too deeply")


def _deepest_line(text: str) -> int:
    depth = best = 0
    best_line = line = 1
    for ch in text:
        if ch == "\n":
            line += 1
        elif ch in "[{":
            depth += 1
            if depth > best:
                best, best_line = depth, line
        elif ch in "]}":
            depth -= 1
    return best_line


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$", re.M)


def locate(text: str, table: str, index: int, key: str | None) -> tuple[int, int]:
    """Line and column of `key` inside the `index`-th `[table]`/`[[table]]` block.

    Falls back to the block's header, then to the top of the file.
    """
    headers = [(m.start(), m.group(1).strip()) for m in _HEADER.finditer(text)]
    span_start, span_end = 0, len(text)
    if table:
        found = [
            i
            for i, (_, name) in enumerate(headers)
            if name == table or name.startswith(table + ".")
        ]
        seen = -1
        chosen = None
        for i in found:
            if headers[i][1] == table:
                seen += 1
                if seen == index:
                    chosen = i
                    break
        if chosen is None:
            if key is None:
                return 1, 1
        else:
            span_start = headers[chosen][0]
            span_end = next(
                (pos for pos, name in headers[chosen + 1 :] if not name.startswith(table + ".")),
                len(text),
            )
    else:
        span_end = headers[0][0] if headers else len(text)
    if key is not None:
        m = re.compile(r"(?:^|[{,\s])(\"?)" + re.escape(key) + r"\1\s*=", re.M).search(
            text, span_start, span_end
        )
        if m:
            start = m.start() + (0 if text[m.start()] in '"' + key[:1] else 1)
            return _line_col(text, start)
        if not table:
            # A top-level name written as a table: [priorty] or [[rulle]]
            for pos, name in headers:
                if name == key or name.startswith(key + "."):
                    return _line_col(text, text.index("[", pos))
    return _line_col(text, span_start) if table else (1, 1)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col
