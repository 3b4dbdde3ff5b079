"""Damaged, missing and leftover files: each has a clear outcome, none is read as empty."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from inbox.journal_store import JournalStore
from inbox.store import StoreError, delete, patch, put


def _fill(data_dir: Path, n: int = 30, compactions: int = 2) -> dict[str, dict[str, object]]:
    """A store with history: `compactions` snapshots, then more batches in the journal."""
    store = JournalStore.open(data_dir, auto_compact=False)
    for c in range(compactions):
        store.apply([put("m", f"c{c}-{i}", {"c": c, "i": i, "t": "été"}) for i in range(n)])
        store.apply([patch("m", f"c{c}-0", {"state": "done"}), delete("m", f"c{c}-1")])
        store.compact()
    for i in range(5):
        store.apply([put("m", f"tail{i}", {"i": i})])
    content = dict(store.items("m"))
    store.close()
    return content


def _journals(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob("journal-*.jsonl"))


def test_snapshot_is_a_tinydb_file(tmp_path: Path) -> None:
    content = _fill(tmp_path)

    class ReadOnly(Storage):
        def __init__(self, path: str) -> None:
            self.path = path

        def read(self) -> dict[str, dict[str, object]] | None:
            with open(self.path, encoding="utf-8") as f:
                return json.load(f)

        def write(self, data: dict[str, dict[str, object]]) -> None:
            raise AssertionError("never written through TinyDB")

    class KeyTable(Table):
        document_id_class = str  # type: ignore[assignment]

    class KeyDB(TinyDB):
        table_class = KeyTable

    db = KeyDB(str(tmp_path / "store.json"), storage=ReadOnly)
    snap = {doc.doc_id: dict(doc) for doc in db.table("m").all()}
    meta: dict[object, dict[str, object]] = {d.doc_id: dict(d) for d in db.table("_veille").all()}
    assert isinstance(meta["meta"]["seq"], int) and meta["meta"]["seq"] > 0
    assert snap == {k: v for k, v in content.items() if not k.startswith("tail")}


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "wrong-count"])
def test_damaged_snapshot_falls_back_to_previous_plus_journal(tmp_path: Path, damage: str) -> None:
    content = _fill(tmp_path)
    snap = tmp_path / "store.json"
    data = snap.read_bytes()
    if damage == "empty":
        snap.write_bytes(b"")
    elif damage == "truncated":
        snap.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        snap.write_bytes(b"\x00\xff" * 100)
    else:
        snap.write_bytes(data.replace(b'"counts":{"m":', b'"counts":{"m":1', 1))
    damaged = snap.read_bytes()
    store = JournalStore.open(tmp_path)
    try:
        assert dict(store.items("m")) == content
        assert store.notices and "store.json" in store.notices[0]
        assert "restored" in store.notices[0]
    finally:
        store.close()
    quarantined = list(tmp_path.glob("store.json.corrupt-*"))
    assert [q.read_bytes() for q in quarantined] == [damaged]  # kept aside, as found
    # A fresh good snapshot was written: the next open needs no fallback.
    again = JournalStore.open(tmp_path)
    try:
        assert dict(again.items("m")) == content
        assert again.notices == []
    finally:
        again.close()


def test_empty_snapshot_after_first_compaction_rebuilds_from_the_journal(tmp_path: Path) -> None:
    content = _fill(tmp_path, compactions=1)
    (tmp_path / "store.json").write_bytes(b"")
    store = JournalStore.open(tmp_path)
    try:
        assert dict(store.items("m")) == content
        assert "the journal" in store.notices[0]
    finally:
        store.close()


def test_nothing_good_left_is_an_error_never_an_empty_store(tmp_path: Path) -> None:
    _fill(tmp_path)
    (tmp_path / "store.json").write_bytes(b"")
    (tmp_path / "store.json.prev").write_bytes(b'{"_veille": {')
    with pytest.raises(StoreError) as err:
        JournalStore.open(tmp_path)
    msg = str(err.value)
    assert "store.json" in msg and "empty" in msg and "corrupt-" in msg
    assert list(tmp_path.glob("store.json.corrupt-*"))
    # Opening again does not quietly start empty either, even without store.json.prev.
    with pytest.raises(StoreError, match="No earlier good copy"):
        JournalStore.open(tmp_path)
    os.unlink(tmp_path / "store.json.prev")
    with pytest.raises(StoreError, match="quarantined earlier"):
        JournalStore.open(tmp_path)
    with pytest.raises(StoreError):
        JournalStore.open(tmp_path, read_only=True)


def test_torn_or_bad_last_journal_line_is_dropped(tmp_path: Path) -> None:
    content = _fill(tmp_path)
    journal = _journals(tmp_path)[-1]
    good = journal.read_bytes()
    for tail in (b'{"seq":99999,"crc":"00000000","ops":[["put"', b"\x00" * 512):
        journal.write_bytes(good + tail)
        with JournalStore.open(tmp_path) as store:
            assert dict(store.items("m")) == content
        assert journal.read_bytes() == good
    # A complete last line with a bad checksum is a torn write too.
    lines = good.splitlines(keepends=True)
    bad_last = lines[-1].replace(b'"i":4', b'"i":5')
    journal.write_bytes(b"".join(lines[:-1]) + bad_last)
    with JournalStore.open(tmp_path) as store:
        assert store.get("m", "tail4") is None
        assert store.get("m", "tail3") == {"i": 3}


def test_bad_line_in_the_middle_is_a_clear_error(tmp_path: Path) -> None:
    _fill(tmp_path)
    journal = _journals(tmp_path)[-1]
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(lines[0] + b"this is not json\n" + b"".join(lines[1:]))
    with pytest.raises(StoreError) as err:
        JournalStore.open(tmp_path)
    assert journal.name in str(err.value) and "line 2" in str(err.value)
    journal.write_bytes(lines[0] + lines[1].replace(b'"i":1', b'"i":7') + b"".join(lines[2:]))
    with pytest.raises(StoreError, match="checksum"):
        JournalStore.open(tmp_path)
    journal.write_bytes(b"".join(lines[:1] + lines[2:]))  # a line missing
    with pytest.raises(StoreError, match="sequence jumps"):
        JournalStore.open(tmp_path)


def test_missing_journal_file_is_a_clear_error(tmp_path: Path) -> None:
    store = JournalStore.open(tmp_path, auto_compact=False)
    store.apply([put("m", "a", {})])
    store.compact()
    store.apply([put("m", "b", {})])
    store.compact()
    store.apply([put("m", "c", {})])
    store.close()
    # Fall back to the previous snapshot, whose journal is gone: that is lost data.
    (tmp_path / "store.json").write_bytes(b"")
    os.unlink(_journals(tmp_path)[0])
    with pytest.raises(StoreError, match="missing"):
        JournalStore.open(tmp_path)


def test_leftover_temp_files_are_removed(tmp_path: Path) -> None:
    content = _fill(tmp_path)
    (tmp_path / "archive").mkdir()
    leftovers = [
        tmp_path / "store.json.tmp-123-4",
        tmp_path / "store.json.prev.tmp-123-5",
        tmp_path / "archive" / "m-2026-10.jsonl.tmp-9",
    ]
    for p in leftovers:
        p.write_bytes(b'{"half a snapsh')
    with JournalStore.open(tmp_path) as store:
        assert dict(store.items("m")) == content
    assert not any(p.exists() for p in leftovers)


def test_read_only_open_never_writes(tmp_path: Path) -> None:
    content = _fill(tmp_path)
    journal = _journals(tmp_path)[-1]
    journal.write_bytes(journal.read_bytes() + b'{"seq":')  # a writer mid-append
    (tmp_path / "store.json.tmp-1-1").write_bytes(b"{")
    before = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    store = JournalStore.open(tmp_path, read_only=True)
    try:
        assert dict(store.items("m")) == content
        with pytest.raises(StoreError, match="read-only"):
            store.apply([put("m", "x", {})])
        with pytest.raises(StoreError, match="read-only"):
            store.compact()
    finally:
        store.close()
    after = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before


def test_read_only_open_of_a_missing_directory_is_empty(tmp_path: Path) -> None:
    store = JournalStore.open(tmp_path / "nothing-here", read_only=True)
    assert store.count("m") == 0
    assert not (tmp_path / "nothing-here").exists()


def test_archive_lines_past_the_journal_are_rolled_back(tmp_path: Path) -> None:
    """A crash after the archive append, before the journal line: the docs stay live."""
    store = JournalStore.open(tmp_path, auto_compact=False)
    store.apply([put("m", f"k{i}", {"i": i}) for i in range(5)])
    store.archive("m", {"2026-09": ["k0"]})
    seq = store.seq
    store.close()
    month = tmp_path / "archive" / "m-2026-10.jsonl"
    month.write_bytes(
        b"".join(b'{"seq":%d,"key":"k%d","doc":{"i":%d}}\n' % (seq + 1, i, i) for i in (1, 2))
        + b'{"seq":%d,"key":"k3","doc":{"i"' % (seq + 1)
    )
    with JournalStore.open(tmp_path) as store:
        assert store.count("m") == 4
        assert [d["i"] for d in store.iter_archive("m")] == [0]
        assert store.archive("m", {"2026-10": ["k1"]}) == 1
    assert month.read_bytes().count(b"\n") == 1
    with JournalStore.open(tmp_path) as store:
        assert [d["i"] for d in store.iter_archive("m")] == [0, 1]
        assert store.count("m") == 3


def test_archive_is_undone_when_the_journal_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = JournalStore.open(tmp_path, auto_compact=False)
    store.apply([put("m", f"k{i}", {"i": i}) for i in range(5)])

    def fail(seq: int, payload: bytes) -> None:
        raise StoreError("could not save the change: disk on fire")

    monkeypatch.setattr(store, "_append", fail)
    with pytest.raises(StoreError, match="disk on fire"):
        store.archive("m", {"2026-10": ["k1", "k2"]})
    monkeypatch.undo()
    assert store.count("m") == 5
    assert list(store.iter_archive("m")) == []
    assert (tmp_path / "archive" / "m-2026-10.jsonl").read_bytes() == b""
    store.close()


def test_damaged_archive_middle_line_is_reported(tmp_path: Path) -> None:
    with JournalStore.open(tmp_path) as store:
        store.apply([put("m", f"k{i}", {"i": i}) for i in range(3)])
        store.archive("m", {"2026-10": ["k0", "k1", "k2"]})
    path = tmp_path / "archive" / "m-2026-10.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + b"garbage\n" + b"".join(lines[1:]))
    with JournalStore.open(tmp_path) as store:
        with pytest.raises(StoreError, match="line 2"):
            list(store.iter_archive("m"))


def test_names_are_checked(tmp_path: Path) -> None:
    with JournalStore.open(tmp_path) as store:
        for bad in ("", "_veille", "../x", "a/b"):
            with pytest.raises(ValueError):
                store.apply([put(bad, "k", {})])
        with pytest.raises(ValueError):
            store.archive("m", {"2026-13": ["k"]})
        with pytest.raises(TypeError):
            store.apply([put("m", "k", {"when": object()})])
        assert store.count("m") == 0


def test_old_journals_are_pruned_but_the_fallback_stays_whole(tmp_path: Path) -> None:
    store = JournalStore.open(tmp_path, auto_compact=False)
    for c in range(10):
        store.apply([put("m", f"k{c}", {"c": c})])
        store.apply([patch("m", f"k{c}", {"p": True})])
        store.compact()
    store.apply([put("m", "tail", {})])
    store.close()
    assert len(_journals(tmp_path)) <= 3
    # Lose store.json: store.json.prev plus the kept journals give back everything.
    (tmp_path / "store.json").write_bytes(b"")
    with JournalStore.open(tmp_path) as again:
        assert again.count("m") == 11
        assert again.get("m", "k9") == {"c": 9, "p": True}


def test_journal_line_that_cannot_apply_is_an_error(tmp_path: Path) -> None:
    import zlib

    with JournalStore.open(tmp_path) as store:
        store.apply([put("m", "a", {})])
    journal = _journals(tmp_path)[-1]
    payload = b'[["explode","m","a"]]'
    bad = b'{"seq":2,"crc":"%08x","ops":%s}\n' % (zlib.crc32(payload), payload)
    ok_payload = b'[["put","m","b",{}]]'
    ok = b'{"seq":3,"crc":"%08x","ops":%s}\n' % (zlib.crc32(ok_payload), ok_payload)
    journal.write_bytes(journal.read_bytes() + bad + ok)
    with pytest.raises(StoreError, match="sequence 2 cannot be applied"):
        JournalStore.open(tmp_path)


def test_snapshot_holds_one_document_a_line_and_checksums_last(tmp_path: Path) -> None:
    content = _fill(tmp_path)
    lines = (tmp_path / "store.json").read_bytes().splitlines(keepends=True)
    assert lines[:2] == [b"{\n", b'"m": {\n'] and lines[-2:] == [b"}\n", b"}\n"]
    body = lines[2 : lines.index(b"},\n")]
    stored = {k: v for k, v in content.items() if not k.startswith("tail")}
    assert len(body) == len(stored)
    assert [json.loads(b"{" + line.rstrip(b",\n") + b"}") for line in body] == [
        {k: v} for k, v in stored.items()
    ]
    assert lines[-4] == b'"_veille": {\n'  # the meta record comes last
    meta = json.loads(b"{" + lines[-3] + b"}")["meta"]
    assert meta["counts"] == {"m": len(stored)} and set(meta["crc"]) == {"m"}
    assert zlib.crc32(b"".join(body)) == int(meta["crc"]["m"], 16)


def test_a_document_changed_on_disk_fails_its_checksum(tmp_path: Path) -> None:
    """Still valid JSON, same counts: only the checksum tells the file was altered."""
    content = _fill(tmp_path)
    snap = tmp_path / "store.json"
    data = snap.read_bytes()
    altered = data.replace(b'"c":1,"i":5,', b'"c":1,"i":6,', 1)
    assert altered != data
    json.loads(altered)
    snap.write_bytes(altered)
    with JournalStore.open(tmp_path) as store:
        assert dict(store.items("m")) == content
        assert "checksum" in store.notices[0] and "restored" in store.notices[0]
    assert [q.read_bytes() for q in tmp_path.glob("store.json.corrupt-*")] == [altered]


def _earlier_layout(tables: dict[str, dict[str, object]], seq: int) -> bytes:
    """A snapshot as veille wrote it before documents were kept encoded: the meta
    record first, without checksums, then chunks of up to 64 documents a line."""
    counts = {name: len(docs) for name, docs in tables.items()}
    meta: dict[str, object] = {"meta": {"format": 1, "seq": seq, "counts": counts}}
    order: list[tuple[str, dict[str, object]]] = [("_veille", meta), *sorted(tables.items())]
    parts = []
    for name, docs in order:
        items = list(docs.items())
        chunks = [
            json.dumps(dict(items[i : i + 64]), ensure_ascii=False, separators=(",", ":"))[1:-1]
            for i in range(0, len(items), 64)
        ]
        parts.append(json.dumps(name) + ": {\n" + ",\n".join(chunks) + ("\n" if chunks else ""))
    return ("{\n" + "},\n".join(parts) + "}\n}\n").encode()


def test_snapshot_in_the_earlier_layout_is_read_and_rewritten(tmp_path: Path) -> None:
    docs: dict[str, object] = {f"k{i}": {"i": i, "t": "été", "l": [i]} for i in range(150)}
    old = _earlier_layout({"m": docs, "d": {}}, seq=3)
    (tmp_path / "store.json").write_bytes(old)
    journal = b'[["patch","m","k1",{"state":"done"}]]'
    (tmp_path / "journal-000000000003.jsonl").write_bytes(
        b'{"seq":4,"crc":"%08x","ops":%s}\n' % (zlib.crc32(journal), journal)
    )
    expected = {**docs, "k1": {"i": 1, "t": "été", "l": [1], "state": "done"}}
    with JournalStore.open(tmp_path, read_only=True) as store:
        assert dict(store.items("m")) == expected
        assert store.count("d") == 0
    assert (tmp_path / "store.json").read_bytes() == old  # a reader never writes
    with JournalStore.open(tmp_path) as store:
        assert dict(store.items("m")) == expected
        assert store.notices == []
    rewritten = (tmp_path / "store.json").read_bytes()
    assert b'"crc":' in rewritten and rewritten.index(b'"_veille"') > rewritten.index(b'"m"')
    with JournalStore.open(tmp_path) as store:
        assert dict(store.items("m")) == expected


def test_earlier_layout_opens_even_when_it_cannot_be_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import errno

    import inbox.journal_store as js

    docs: dict[str, object] = {f"k{i}": {"i": i} for i in range(10)}
    old = _earlier_layout({"m": docs}, seq=0)
    (tmp_path / "store.json").write_bytes(old)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(js, "write_snapshot", full)
    with JournalStore.open(tmp_path) as store:
        assert dict(store.items("m")) == docs
        store.apply([put("m", "new", {})])
    assert "current layout" in caplog.text and "no space" in caplog.text
    assert (tmp_path / "store.json").read_bytes() == old
    monkeypatch.undo()
    with JournalStore.open(tmp_path) as store:
        assert dict(store.items("m")) == {**docs, "new": {}}
    assert b'"crc":' in (tmp_path / "store.json").read_bytes()


def test_documents_read_are_the_callers_own(tmp_path: Path) -> None:
    with JournalStore.open(tmp_path) as store:
        store.apply([put("m", "a", {"tags": ["x"]})])
        doc = store.get("m", "a")
        assert doc is not None
        doc["tags"].append("y")
        for _key, d in store.items("m"):
            d["state"] = "changed"
        assert store.get("m", "a") == {"tags": ["x"]}


def test_keys_that_need_escaping_survive_the_snapshot(tmp_path: Path) -> None:
    keys = ['quote"d', "back\\slash", 'x":{', "new\nline", "été", "\ud800"]
    with JournalStore.open(tmp_path, auto_compact=False) as store:
        store.apply([put("m", k, {"k": k}) for k in keys])
        store.compact()
    assert b'\\"' in (tmp_path / "store.json").read_bytes()
    with JournalStore.open(tmp_path) as store:
        assert store.notices == []
        assert dict(store.items("m")) == {k: {"k": k} for k in keys}
