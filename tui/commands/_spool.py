"""The spool `veille ingest` leaves when another veille holds the store, taken in by
whichever command holds it next: the console, `fetch`, or another `ingest`."""

from __future__ import annotations

import sys
from typing import Any

from inbox.spool import drain_spool, spool_dir
from tui.context import Context
from tui.safe import one_line

__all__ = ["take_spool"]


def take_spool(ctx: Context, inbox: Any) -> None:
    """Ingest what `veille ingest` spooled while this process, or another, held the store.

    Only the holder of the store can: `veille ingest` says its posts wait "for it to
    ingest", and a fetch or another ingest is as much the holder as the console is.
    """
    if str(ctx.data_dir) == ":memory:" or not spool_dir(ctx.data_dir).is_dir():
        return
    try:
        r = drain_spool(ctx.data_dir, inbox)
    except Exception as exc:  # a bad spool file is reported, never fatal
        print(f"veille: spool: {one_line(str(exc))}", file=sys.stderr, flush=True)
        return
    if r.added or r.duplicates or r.filtered:
        print(
            f"spool: {len(r.added)} new, {r.duplicates} duplicate, {r.filtered} filtered by topic",
            flush=True,
        )
