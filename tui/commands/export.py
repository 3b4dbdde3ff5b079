"""`veille export`: every mention (archive included) as JSON Lines or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from inbox.export import export_rows, write_csv, write_jsonl
from tui.commands._atomic import OutError, write_atomic
from tui.commands._since import parse_since
from tui.context import Context


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="export mentions with triage state as JSON Lines or CSV",
        description="Export every mention, archived ones included, with labels, triage "
        "state, reply times and cluster ids.",
    )
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    p.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of stdout (-)")
    p.add_argument("--since", metavar="WHEN", help="only mentions since: 7d, 24h, or a date")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        print(f"veille: --since: {exc}", file=sys.stderr)
        return 2
    inbox = ctx.open_inbox(read_only=True)
    rows = export_rows(inbox.all_mentions(), since)
    writer = write_csv if args.format == "csv" else write_jsonl
    if not args.out or args.out == "-":  # - is stdout, as for input
        n = writer(rows, sys.stdout)
        sys.stdout.flush()
        return 0
    out = Path(args.out)
    try:
        n = write_atomic(out, lambda fh: writer(rows, fh))
    except OutError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 1
    print(f"exported {n} mentions to {out}", file=sys.stderr)
    return 0
