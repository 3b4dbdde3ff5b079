"""`veille sources list|import`: see each source's health; add feeds from OPML."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from inbox import StoreError
from sources.opml import OpmlError, read_opml
from sources.poller import build_sources, paused_sources
from sources.text import canonical_url
from tui.context import Context
from tui.safe import one_line


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sources",
        help="list sources and their health, or import feeds from OPML",
        description="`sources list` shows each configured source with its health, last "
        "success, last error and next poll. `sources import FILE.opml` appends the feeds "
        "of an OPML export to the config file.",
    )
    sp = p.add_subparsers(dest="sources_action", metavar="ACTION")
    lp = sp.add_parser("list", help="each source, its health, last success, error, next poll")
    lp.set_defaults(func=run_list)
    ip = sp.add_parser("import", help="append the feeds of an OPML file to the config")
    ip.add_argument("file", metavar="FILE.opml")
    ip.set_defaults(func=run_import)
    p.set_defaults(func=run_list)


def run(args: argparse.Namespace, ctx: Context) -> int:
    return int(args.func(args, ctx))


def _age(iso: Any, now: datetime) -> str:
    if not isinstance(iso, str) or not iso:
        return "never"
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return "?"
    secs = (when - now).total_seconds()
    past = secs < 0
    secs = abs(secs)
    if secs < 90:
        text = f"{secs:.0f} s"
    elif secs < 5400:
        text = f"{secs / 60:.0f} min"
    elif secs < 172800:
        text = f"{secs / 3600:.0f} h"
    else:
        text = f"{secs / 86400:.0f} d"
    return f"{text} ago" if past else f"in {text}"


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    sources, errors = build_sources(ctx.config.sources)
    health: dict[str, Any] | None
    try:
        health = ctx.open_inbox(read_only=True).source_health()
    except StoreError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        health = None  # unknown: never shown as "not polled yet"
    now = datetime.now(timezone.utc)
    rows = [("NAME", "KIND", "HEALTH", "LAST SUCCESS", "NEXT POLL", "LAST ERROR")]
    for src in sources:
        if health is None:
            rows.append((one_line(src.name, 40), src.kind, "unknown", "?", "?", ""))
            continue
        h = health.get(src.name, {})
        status = str(h.get("status") or "not polled yet")
        if h.get("since") and status != "ok":
            status = f"{status} since {_age(h.get('since'), now)}"
        # a slow or recovered source keeps its last error for the record, not for this list
        failing = h.get("status") == "failing"
        error = one_line(h.get("last_error", ""), 160) if failing else ""
        error = error or one_line(h.get("note", ""), 300)  # e.g. a feed that moved for good
        if not error and h.get("retry_after") and _age(h.get("retry_until"), now).startswith("in"):
            error = "its rate limit is spent: waiting for the server's reset"
        rows.append(
            (
                one_line(src.name, 40),
                src.kind,
                status,
                _age(h.get("last_success"), now),
                _age(h.get("next_poll"), now) if h else "at next fetch",
                error,
            )
        )
    for name, kind in paused_sources(ctx.config.sources):
        rows.append((one_line(name, 40), one_line(kind, 12), "paused", "", "enabled = false", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print(("  ".join(c.ljust(widths[i]) for i, c in enumerate(r[:5])) + "  " + r[5]).rstrip())
    for err in errors:
        print(f"config: {one_line(err)}")
    return 0 if health is not None else 1


def _toml_table(cfg: dict[str, Any]) -> str:
    # JSON strings are valid TOML basic strings (same escapes), so json.dumps quotes safely.
    lines = ["[[source]]"]
    for key in ("kind", "name", "url"):
        if key in cfg:
            lines.append(f"{key} = {json.dumps(str(cfg[key]), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _appended_wrong(old: str, text: str, new: list[dict[str, Any]]) -> str:
    """Why the config with the tables appended is not the old one plus the new feeds.

    Appending is only safe when the file's sources are `[[source]]` tables: after an
    inline `source = [...]` array the result does not parse, and the user would be
    left with a config every command refuses.
    """
    try:
        before = tomllib.loads(old).get("source")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return str(exc).split(" (at ")[0]
    had = len(before) if isinstance(before, list) else 0
    got = data.get("source")
    urls = [str(s.get("url", "")) for s in got[had:]] if isinstance(got, list) else []
    if urls != [f["url"] for f in new]:
        return "its sources are not [[source]] tables"
    return ""


def run_import(args: argparse.Namespace, ctx: Context) -> int:
    refused: list[str] = []
    try:
        feeds = read_opml(args.file, refused=refused)
    except OpmlError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 1
    if refused:
        shown = ", ".join(one_line(u, 80) for u in refused[:5])
        more = f" and {len(refused) - 5} more" if len(refused) > 5 else ""
        print(
            f"veille: skipped {len(refused)} outlines whose feed link is not http(s): "
            f"{shown}{more}",
            file=sys.stderr,
        )
    # www., a trailing slash or utm_* parameters do not make another feed
    have_urls = {canonical_url(str(s.get("url", ""))) for s in ctx.config.sources}
    have_urls.discard("")
    have_names = {str(s.get("name", "")) for s in ctx.config.sources}
    new: list[dict[str, Any]] = []
    for feed in feeds:
        key = canonical_url(feed["url"])
        if key in have_urls:
            continue
        have_urls.add(key)
        name, n = feed["name"], 2
        while name in have_names:
            name = f"{feed['name']} ({n})"
            n += 1
        have_names.add(name)
        new.append({**feed, "name": name})
    path = Path(ctx.config_path)
    if new:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.read_text(encoding="utf-8") if path.exists() else ""
            chunks = [old.rstrip("\n") + "\n\n" if old.strip() else ""]
            chunks.append("\n".join(_toml_table(f) for f in new))
            text = "".join(chunks)
            problem = _appended_wrong(old, text, new)
            if problem:
                print(
                    f"veille: {path}: cannot add [[source]] tables to this file ({problem}); "
                    "nothing was changed",
                    file=sys.stderr,
                )
                return 1
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            print(f"veille: {path}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    skipped = len(feeds) - len(new)
    print(f"added {len(new)} feeds to {path} ({skipped} already there)")
    return 0
