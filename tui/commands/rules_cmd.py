"""`veille rules check [DIR]` and `veille rules test TEXT`: the rule author's two tools.

`check` prints every error as `path:line:col: message` and exits 1 on any, so it can
guard a rules directory in CI; `test` shows what the rules make of one text and why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Any

from rules import RuleSet, load_rules
from rules.engine import rule_files
from tui.commands._rules_path import rules_path_error
from tui.commands.classify import ClassifyPost
from tui.safe import one_line

__all__ = ["register", "run_check", "run_test"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "rules",
        help="check rule files, or test the rules on a text",
        description="Work with rule files: `rules check [DIR]` validates them, "
        "`rules test TEXT` shows the verdict and the reasons for one text.",
    )
    p.set_defaults(func=_usage(p))
    rsub = p.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=type(p))
    c = rsub.add_parser(
        "check",
        help="validate rule files; print every error, exit 1 on any",
        description="Load the default packs plus DIR (or the configured rule "
        "directories) and print every error as path:line:col: message.",
    )
    c.add_argument("dir", nargs="?", metavar="DIR", help="rule directory (default: config)")
    c.set_defaults(func=run_check)
    t = rsub.add_parser(
        "test",
        help="show the verdict and the reasons for one text",
        description="Classify TEXT with the rules and show category, labels, sentiment, "
        "language, priority and which rules fired on which words.",
    )
    t.add_argument("text", metavar="TEXT")
    t.add_argument("--rules", metavar="DIR", help="rule directory to use with the packs")
    t.add_argument("--lang", default="", help="language (default: detected)")
    t.add_argument("--author", default="", help="author name")
    t.add_argument("--followers", type=int, default=0, help="author's followers")
    t.set_defaults(func=run_test)


def _usage(p: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace, ctx: Any) -> int:
        p.print_help(sys.stderr)
        return 2

    return run


def _load(rules_dir: str | None, ctx: Any) -> RuleSet:
    d = Path(rules_dir) if rules_dir else None
    if ctx is not None and hasattr(ctx, "load_rules"):
        rs: RuleSet = ctx.load_rules(d)
        return rs
    return load_rules([d] if d else None)


def run_check(args: argparse.Namespace, ctx: Any, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    if args.dir:
        wanted = [Path(args.dir)]
    else:
        config = getattr(ctx, "config", None)
        wanted = list(getattr(config, "rules_dirs", []))
    missing = [e for e in map(rules_path_error, wanted) if e]
    if args.dir and missing:
        print(missing[0], file=out)
        return 1
    missing += _unknown_active(wanted, getattr(getattr(ctx, "config", None), "rules_active", None))
    rs = _load(args.dir, ctx)
    for line in [*missing, *map(str, rs.errors)]:
        print(line, file=out)
    if missing or rs.errors:
        print(f"{len(missing) + len(rs.errors)} error(s)", file=out)
        return 1
    print(f"ok: {len(rs.rules)} rules in {len(rs.files)} files", file=out)
    for path in rs.files:
        print(f"  {path}", file=out)
    return 0


def _unknown_active(dirs: list[Path], active: list[str] | None) -> list[str]:
    """A `[rules] active` name matching no rule file, said; the loader just leaves it out,
    and with every name wrong no rule at all is in force."""
    if active is None:
        return []
    stems = sorted({p.stem for p in rule_files(dirs, None)})
    return [
        f"rules.active: {name!r} names no rule file (there are: {', '.join(stems)})"
        for name in active
        if name.removesuffix(".toml") not in stems
    ]


def run_test(args: argparse.Namespace, ctx: Any, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    if getattr(args, "rules", None) and (bad := rules_path_error(Path(args.rules))):
        print(f"veille: {bad}", file=sys.stderr)
        return 1
    rs = _load(getattr(args, "rules", None), ctx)
    for err in rs.errors:
        print(f"veille: {err}", file=sys.stderr)
    post = ClassifyPost(
        text=args.text, lang=args.lang, author=args.author, followers=args.followers
    )
    v = rs.classify(post)
    s = v.sentiment
    print(f"category:   {one_line(v.category)}", file=out)
    print(f"labels:     {one_line(', '.join(v.labels)) or '-'}", file=out)
    print(f"sentiment:  {s.label} ({s.compound:+.3f})", file=out)
    print(f"language:   {v.language}", file=out)
    print(f"priority:   {v.priority:g}", file=out)
    sla = f"{v.sla_minutes} min" if v.sla_minutes else "none"
    print(f"sla:        {sla}", file=out)
    if v.spam:
        print("spam:       yes", file=out)
    if v.muted:
        print("muted:      yes", file=out)
    print("reasons:", file=out)
    for r in v.reasons:
        print(f"  - {one_line(r)}", file=out)  # quotes the text: inert
    if not v.reasons:
        print("  (no rule fired)", file=out)
    return 1 if rs.errors else 0  # the verdict was made without the broken files
