"""`veille classify [--rules DIR] [FILE|-]`: JSON Lines in, one verdict per line out.

The way to see what the rules make of a batch of posts without touching the store,
and the way scripts and tests drive the rules from outside Python.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from inbox.export import json_line
from rules import RuleSet, TextPost, load_rules
from tui.commands._input import lines_of, open_input
from tui.commands._rules_path import rules_path_error

__all__ = ["ClassifyPost", "classify_lines", "register", "run"]


ClassifyPost = TextPost  # a post as `classify` reads it from one JSON line


def register(sub: Any) -> None:
    p = sub.add_parser(
        "classify",
        help="classify JSON Lines posts with the rules, one verdict per line",
        description='Read JSON Lines ({"text": ...} plus optional author, lang, followers, '
        "source, title, is_reply) from FILE or stdin and write one JSON object per input "
        "line, in order: category, labels, sentiment, language, priority, reasons. A "
        'plain-text line is read as {"text": line}; a bad line gives an object with an '
        '"error" naming its line number. Exits 1 when a rule file has errors (every line '
        "is still answered, without that file).",
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="input (default -)")
    p.add_argument("--rules", metavar="DIR", help="rule directory to use with the packs")
    p.set_defaults(func=run)


def _post(line: str, lineno: int) -> ClassifyPost | str:
    """The post on one line, or an error message."""
    stripped = line.strip()
    if not stripped:
        return "empty line"
    if not stripped.startswith(("{", "[", '"')):
        return ClassifyPost(text=stripped)
    try:
        obj = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if not stripped.startswith("{"):
            # '[URGENT] my order...' or '"Great" says...': plain text, not broken JSON
            return ClassifyPost(text=stripped)
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return "invalid JSON: nested too deeply"
    if isinstance(obj, str):
        return ClassifyPost(text=obj)
    if not isinstance(obj, dict):
        return "expected a JSON object"
    text = obj.get("text")
    if not isinstance(text, str):
        return 'missing "text" (a string)'
    followers = obj.get("followers", 0)
    # 1e400 and NaN parse as floats that no int can hold: a number, but not a count.
    if (
        isinstance(followers, bool)
        or not isinstance(followers, int | float)
        or not math.isfinite(followers)
    ):
        return '"followers" must be a number'
    created = datetime.now(UTC)
    if isinstance(obj.get("created_at"), str):
        try:
            created = datetime.fromisoformat(obj["created_at"].replace("Z", "+00:00"))
        except ValueError:
            return '"created_at" is not an ISO 8601 date'
    return ClassifyPost(
        text=text,
        title=str(obj.get("title") or ""),
        author=str(obj.get("author") or ""),
        followers=int(followers),
        lang=str(obj.get("lang") or ""),
        source_kind=str(obj.get("source") or obj.get("source_kind") or ""),
        url=str(obj.get("url") or ""),
        is_reply=bool(obj.get("is_reply", False)),
        created_at=created,
    )


def classify_lines(rs: RuleSet, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One output object per input line, in order; never raises on bad input."""
    for lineno, line in enumerate(lines, 1):
        post = _post(line, lineno)
        if isinstance(post, str):
            yield {"line": lineno, "error": f"line {lineno}: {post}"}
            continue
        try:
            v = rs.classify(post)
        except Exception as exc:  # a post the rules cannot read must not end the run
            yield {"line": lineno, "error": f"line {lineno}: {type(exc).__name__}: {exc}"}
            continue
        d = v.to_dict()
        yield {
            "line": lineno,
            "category": d["category"],
            "labels": d["labels"],
            "sentiment": d["sentiment"],
            "language": d["language"],
            "priority": d["priority"],
            "reasons": d["reasons"],
            "spam": d["spam"],
            "muted": d["muted"],
            "sla_minutes": d["sla_minutes"],
        }


def _rules(args: argparse.Namespace, ctx: Any) -> RuleSet:
    rules_dir = Path(args.rules) if getattr(args, "rules", None) else None
    if ctx is not None and hasattr(ctx, "load_rules"):
        rs: RuleSet = ctx.load_rules(rules_dir)
        return rs
    return load_rules([rules_dir] if rules_dir else None)


def run(args: argparse.Namespace, ctx: Any, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    if getattr(args, "rules", None) and (bad := rules_path_error(Path(args.rules))):
        print(f"veille: {bad}", file=sys.stderr)
        return 1
    rs = _rules(args, ctx)
    for err in rs.errors:
        print(f"veille: {err}", file=sys.stderr)
    name = getattr(args, "file", "-") or "-"
    try:
        fh = open_input(name)
    except OSError as exc:
        print(f"veille: {name}: {exc.strerror}", file=sys.stderr)
        return 1
    with fh:
        for obj in classify_lines(rs, lines_of(fh)):
            out.write(json_line(obj) + "\n")  # reasons quote the post: C1 escaped
    out.flush()
    # Every line is still answered, but without the broken files: not the user's verdicts.
    return 1 if rs.errors else 0
