"""A drop box for posts while another veille process holds the data directory.

`veille ingest` run from cron while the console is open cannot take the store
(one process holds it). Instead it drops the validated posts into
`DATA_DIR/spool/` as one file written atomically; the process holding the store
drains the spool into its inbox and deletes each file only once its posts are
durable. A crash between the two re-ingests the file, which dedupe absorbs.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from inbox.service import Inbox, IngestResult
from sources.models import Post

__all__ = ["drain_spool", "spool_dir", "write_spool"]

STALE_TMP_SECONDS = 3600.0


def spool_dir(data_dir: Path) -> Path:
    return data_dir / "spool"


def write_spool(data_dir: Path, posts: Iterable[Post]) -> Path | None:
    """Write posts to a new spool file (fsync'd, renamed into place)."""
    lines = [json.dumps(p.to_dict(), ensure_ascii=False) for p in posts]
    if not lines:
        return None
    d = spool_dir(data_dir)
    d.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".in-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        final = d / (Path(tmp).name[1:-4] + ".jsonl")
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return final


def drain_spool(data_dir: Path, inbox: Inbox) -> IngestResult:
    """Ingest every spool file, oldest first; a bad line is skipped, never fatal."""
    total = IngestResult()
    d = spool_dir(data_dir)
    if not d.is_dir():
        return total
    # a writer killed mid-write leaves its temp file; it never became a spool file
    stale = time.time() - STALE_TMP_SECONDS
    for t in d.glob(".in-*.tmp"):
        try:
            if t.stat().st_mtime < stale:
                t.unlink()
        except OSError:
            continue
    for f in sorted(d.glob("*.jsonl"), key=lambda p: p.stat().st_mtime):
        posts: list[Post] = []
        try:
            for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    posts.append(Post.from_dict(json.loads(line)))
                except (ValueError, TypeError, KeyError):
                    continue
        except OSError:
            continue
        r = inbox.ingest(posts)
        total.added += r.added
        total.duplicates += r.duplicates
        total.filtered += r.filtered
        f.unlink(missing_ok=True)
    return total
