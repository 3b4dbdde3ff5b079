"""`veille report`: the insights for a period as Markdown, HTML, CSV or JSON."""

from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from inbox.metrics import compute
from inbox.report import FORMATS, render
from inbox.rows import rows_of
from inbox.store import Store
from tui.commands._atomic import OutError, write_atomic
from tui.commands._since import parse_since
from tui.context import Context


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="write the insights for a period (md, html, csv or json)",
        description="Volume by category, sentiment, top terms and hashtags against the "
        "previous period, clusters, sources, response times and SLA, fans, detractors and "
        "influencers, each figure with example mentions. The HTML file is self-contained.",
    )
    p.add_argument("--since", metavar="WHEN", default="7d", help="start: 7d, 24h, or a date")
    p.add_argument("--until", metavar="WHEN", help="end (default: now): a date or 1d (ago)")
    p.add_argument("--format", choices=FORMATS, help="default: from the --out suffix, else md")
    p.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of stdout (-)")
    p.set_defaults(func=run)


MAX_PERIOD = timedelta(days=7305)  # 20 years
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass
class _StoreOnly:
    """Reports read stored documents only: no live index, no clusterer to rebuild."""

    store: Store


_SUFFIX = {
    "md": "md",
    "markdown": "md",
    "html": "html",
    "htm": "html",
    "csv": "csv",
    "json": "json",
}


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out not in (None, "-") else ""
    return _SUFFIX.get(suffix, "md")


def run(args: argparse.Namespace, ctx: Context) -> int:
    now = datetime.now(timezone.utc)
    try:
        since = parse_since(args.since, now)
        until = parse_since(args.until, now) if args.until else now
    except ValueError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 2
    if until <= since:
        print("veille: --until must come after --since", file=sys.stderr)
        return 2
    if until - since > MAX_PERIOD:
        # A bar per day in every chart: centuries would be millions of them.
        print(
            f"veille: a report covers at most 20 years; --since {args.since} to "
            f"--until {args.until or 'now'} is {(until - since).days} days",
            file=sys.stderr,
        )
        return 2
    fmt = _format(args)
    rules = ctx.load_rules()
    store = ctx.open_store(read_only=True)
    try:
        rows = rows_of(_StoreOnly(store))
    finally:
        store.close()
    ins = compute(
        rows,
        since,
        until,
        now=now,
        categories=rules.categories,
        vip=ctx.config.vip,
        brand=ctx.config.brand_words,
    )
    buf = io.StringIO()
    render(ins, fmt, buf, brand=ctx.config.brand)
    # A lone surrogate stored by an older ingest is not text: no encoder writes it.
    text = _SURROGATES.sub("\ufffd", buf.getvalue())
    if not args.out or args.out == "-":  # - is stdout, as for input
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    out = Path(args.out)
    try:
        write_atomic(out, lambda fh: fh.write(text))
    except OutError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 1
    print(
        f"report for {since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC "
        f"({ins.total} mentions) written to {out}",
        file=sys.stderr,
    )
    return 0
