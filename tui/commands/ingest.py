"""`veille ingest FILE|-`: JSON Lines posts ingested exactly as a source's would be."""

from __future__ import annotations

import argparse
import sys
from itertools import islice
from typing import Any

from inbox import StoreLocked
from inbox.ingest_jsonl import LineError, parse_jsonl_posts
from inbox.spool import write_spool
from sources.models import Post
from tui.commands._input import lines_of, open_input
from tui.commands._spool import take_spool
from tui.context import Context

BATCH = 1000


def register(sub: Any) -> None:
    p = sub.add_parser(
        "ingest",
        help="ingest JSON Lines posts from a file or stdin",
        description="Read JSON Lines posts (`text` required; `id`, `author`, `url`, "
        "`created_at`, `source`, `followers`, `lang` optional) and ingest them as a "
        "source would: classified, deduplicated, clustered. Bad lines are reported "
        "with their line number and skipped.",
    )
    p.add_argument("file", metavar="FILE|-", help="a .jsonl file, or - for stdin")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    name = args.file
    try:
        fh = open_input(name)
    except OSError as exc:
        print(f"veille: {name}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        inbox = ctx.open_inbox()
    except StoreLocked:
        return _to_spool(fh, name, ctx)
    added = dups = filtered = bad = 0
    with fh:
        items = parse_jsonl_posts(lines_of(fh), "stdin" if name == "-" else name)
        while True:
            chunk = list(islice(items, BATCH))
            if not chunk:
                break
            posts: list[Post] = []
            for item in chunk:
                if isinstance(item, LineError):
                    bad += 1
                    print(f"veille: {item}", file=sys.stderr)
                else:
                    posts.append(item)
            r = inbox.ingest(posts)
            added += len(r.added)
            dups += r.duplicates
            filtered += r.filtered
    print(f"ingested {added} new, {dups} duplicate, {filtered} filtered by topic, {bad} bad lines")
    take_spool(ctx, inbox)
    return 1 if bad and not added else 0


def _to_spool(fh: Any, name: str, ctx: Context) -> int:
    """The console holds the store: hand the posts to it through the spool."""
    posts: list[Post] = []
    bad = 0
    with fh:
        for item in parse_jsonl_posts(lines_of(fh), "stdin" if name == "-" else name):
            if isinstance(item, LineError):
                bad += 1
                print(f"veille: {item}", file=sys.stderr)
            else:
                posts.append(item)
    path = write_spool(ctx.data_dir, posts)
    print(
        f"another veille holds {ctx.data_dir}: {len(posts)} posts queued in "
        f"{path.parent if path else 'the spool'} for it to ingest, {bad} bad lines"
    )
    return 1 if bad and not posts else 0
