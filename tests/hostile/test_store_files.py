"""Damaged store files at start-up, seen through the command line and the console.

TinyDB's stock storage reads an empty file as an empty database; veille must
instead restore the last good state (with a message saying so) or refuse with a
message saying what to do, and never show an empty inbox as if nothing was there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from inbox.journal_store import JournalStore
from inbox.store import StoreError
from tui.context import Context

from .conftest import MemoryKeyring, Veille


def seeded(veille: Veille, tmp_path: Path, n: int = 30, compactions: int = 2) -> None:
    """n mentions through the CLI, then compactions so store.json and store.json.prev exist."""
    per = n // (compactions + 1)
    for c in range(compactions + 1):
        rows = [
            json.dumps({"id": f"c{c}-{i}", "text": f"is acme down {c}-{i}?"}) for i in range(per)
        ]
        r = veille.run("ingest", "-", stdin="\n".join(rows) + "\n")
        assert r.returncode == 0, r.stderr
        if c < compactions:
            store = JournalStore.open(veille.data)
            store.compact()
            store.close()


def exported(veille: Veille) -> tuple[int, list[dict[str, object]], str]:
    r = veille.run("export", "--format", "jsonl")
    rows = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    return r.returncode, rows, r.stderr


def one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr[-1500:]
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines, "no message at all"
    return lines[-1]


DAMAGE = {
    "empty": b"",
    "garbage": b"\x00\xff garbage \x00" * 50,
    "truncated": None,  # first half of the real file
    "wrong-json": b'{"_default": {}}',
    "json-list": b"[1, 2, 3]",
}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_snapshot_is_restored_from_the_previous_one(
    veille: Veille, tmp_path: Path, how: str
) -> None:
    seeded(veille, tmp_path)
    snap = veille.data / "store.json"
    assert snap.exists() and (veille.data / "store.json.prev").exists()
    data = DAMAGE[how]
    snap.write_bytes(snap.read_bytes()[: snap.stat().st_size // 2] if data is None else data)
    code, rows, err = exported(veille)
    if code == 0:
        assert len(rows) == 30, f"{len(rows)} rows: the store was read as (partly) empty"
    else:
        assert "store.json" in one_line_error(err)
    r = veille.run("ingest", "-", stdin='{"id": "after", "text": "still here?"}\n')
    if r.returncode == 0:
        assert "restored" in r.stderr or "damaged" in r.stderr, r.stderr
        code, rows, _ = exported(veille)
        assert code == 0 and len(rows) == 31
        assert list(veille.data.glob("store.json.corrupt-*")), "damaged file not kept aside"
    else:
        msg = one_line_error(r.stderr)
        assert "store.json" in msg and ("backup" in msg or "restore" in msg.lower())


def test_every_snapshot_damaged_refuses_rather_than_start_empty(
    veille: Veille, tmp_path: Path
) -> None:
    seeded(veille, tmp_path)
    for name in ("store.json", "store.json.prev"):
        (veille.data / name).write_bytes(b"")
    for args in (("ingest", "-"), ("export", "--format", "jsonl")):
        r = veille.run(*args, stdin='{"text": "hello?"}\n')
        assert r.returncode != 0, f"{args}: started on an empty store"
        msg = one_line_error(r.stderr)
        assert "store.json" in msg and "empty" in msg, msg
    assert not r.stdout.strip()


def test_corrupt_journal_line_in_the_middle_is_not_skipped_silently(
    veille: Veille, tmp_path: Path
) -> None:
    for b in range(3):  # three batches: three journal lines
        r = veille.run("ingest", "-", stdin=json.dumps({"id": f"b{b}", "text": "hi?"}) + "\n")
        assert r.returncode == 0
    (journal,) = veille.data.glob("journal-*.jsonl")
    raw = bytearray(journal.read_bytes())
    lines = raw.split(b"\n")
    assert len(lines) > 3
    middle = lines[1]
    lines[1] = middle[:40] + b"X" + middle[41:]  # a flipped byte: the checksum catches it
    journal.write_bytes(b"\n".join(lines))
    r = veille.run("ingest", "-", stdin='{"text": "hello?"}\n')
    assert r.returncode != 0
    assert journal.name in one_line_error(r.stderr)


def test_torn_last_journal_line_is_dropped_and_the_rest_kept(
    veille: Veille, tmp_path: Path
) -> None:
    seeded(veille, tmp_path, n=20, compactions=0)
    r = veille.run("ingest", "-", stdin='{"id": "last", "text": "the last one?"}\n')
    assert r.returncode == 0
    (journal,) = veille.data.glob("journal-*.jsonl")
    journal.write_bytes(journal.read_bytes()[:-15])  # the last batch cut mid-line
    code, rows, err = exported(veille)
    assert code == 0, err
    assert len(rows) == 20 and not [r for r in rows if "the last one" in str(r.get("text"))]


def test_leftover_temp_files_are_cleaned(veille: Veille, tmp_path: Path) -> None:
    seeded(veille, tmp_path, compactions=1)
    (veille.data / "archive").mkdir(exist_ok=True)
    junk = [
        veille.data / "store.json.tmp-123-0",
        veille.data / "archive" / "mentions-2026-01.jsonl.tmp-9-1",
    ]
    for j in junk:
        j.write_bytes(b"half a snapshot")
    r = veille.run("ingest", "-", stdin='{"text": "hello?"}\n')
    assert r.returncode == 0, r.stderr
    assert not [j for j in junk if j.exists()]
    code, rows, _ = exported(veille)
    assert code == 0 and len(rows) == 31


def test_zero_byte_journal_and_snapshot_only_directory(veille: Veille, tmp_path: Path) -> None:
    """A directory holding only empty files (a failed copy): refused, not read as empty."""
    veille.data.mkdir()
    (veille.data / "store.json").write_bytes(b"")
    (veille.data / "journal-000000000042.jsonl").write_bytes(b"")
    r = veille.run("export", "--format", "jsonl")
    assert r.returncode != 0 and not r.stdout.strip()
    assert "store.json" in one_line_error(r.stderr)


async def test_console_says_the_store_was_restored(
    veille: Veille, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from tui.app import make_app

    seeded(veille, tmp_path)
    (veille.data / "store.json").write_bytes(b"")
    veille.config.write_text("", encoding="utf-8")
    ctx = Context.from_args(str(veille.config), str(veille.data))
    app = make_app(ctx, poller=False)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await app.settle()
            await pilot.pause()
            shown = " ".join(str(n.message) for n in app._notifications)
            assert "restored" in shown or "damaged" in shown, shown
            assert len(app.inbox) == 30
    finally:
        ctx.close()


def test_store_error_type_for_damaged_files(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "store.json").write_bytes(b"\x00" * 10)
    (d / "journal-000000000007.jsonl").write_bytes(b"{}\n")
    with pytest.raises(StoreError):
        JournalStore.open(d)
    assert os.listdir(d)  # nothing deleted while refusing


def test_damaged_archive_is_named_not_skipped(veille: Veille, tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    seeded(veille, tmp_path, n=30, compactions=0)
    ctx = Context.from_args(str(veille.config), str(veille.data))
    try:
        inbox = ctx.open_inbox()
        ids = [m.id for m in inbox.mentions()]
        for chunk in (ids[:10], ids[10:20]):
            inbox.done(chunk)  # two batches: two archive lines at least
        later = datetime.now(timezone.utc) + timedelta(days=400)
        assert inbox.archive_closed(now=later) == 20
    finally:
        ctx.close()
    (archive,) = (veille.data / "archive").glob("*.jsonl")
    lines = archive.read_bytes().split(b"\n")
    assert len([ln for ln in lines if ln]) >= 2
    lines[0] = lines[0][:30] + b"#garbage#" + lines[0][40:]
    archive.write_bytes(b"\n".join(lines))
    r = veille.run("export", "--format", "jsonl")
    assert r.returncode != 0, "exported as if the damaged archive were whole"
    msg = one_line_error(r.stderr)
    assert archive.name in msg and "line 1" in msg, msg
    live = veille.run("ingest", "-", stdin='{"text": "still taking new work?"}\n')
    assert live.returncode == 0, live.stderr  # the live store is not held hostage
