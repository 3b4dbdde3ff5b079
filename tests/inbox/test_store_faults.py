"""A second process, a read-only directory, a full disk, compaction under load."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox.journal_store import JournalStore
from inbox.store import StoreError, StoreLocked, put
from tests.inbox.crash_worker import REPO, spawn


def test_second_process_is_refused_clearly(tmp_path: Path) -> None:
    holder = spawn("hold", str(tmp_path))
    assert holder.stdout is not None and holder.stderr is not None
    try:
        line = holder.stdout.readline()
        assert line.startswith("held "), holder.stderr.read()
        pid = line.split()[1]
        with pytest.raises(StoreLocked) as err:
            JournalStore.open(tmp_path)
        assert str(tmp_path) in str(err.value) and f"pid {pid}" in str(err.value)
        # Export and report still read it, without the lock.
        with JournalStore.open(tmp_path, read_only=True) as reader:
            assert reader.get("m", "held") == {"pid": int(pid)}
        # A holder killed with SIGKILL leaves no stale lock behind.
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.communicate()
    with JournalStore.open(tmp_path) as store:
        assert store.get("m", "held") == {"pid": int(pid)}


def test_same_process_twice_is_refused(tmp_path: Path) -> None:
    with JournalStore.open(tmp_path):
        with pytest.raises(StoreLocked):
            JournalStore.open(tmp_path)


_READ_ONLY_CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from inbox.journal_store import JournalStore
    from inbox.store import StoreError
    if os.geteuid() == 0:  # after the imports: the interpreter may live in root's home
        os.setgid(65534)
        os.setuid(65534)
    d = Path(sys.argv[1])
    out = {}
    try:
        JournalStore.open(d)
        out["write"] = "opened"
    except StoreError as exc:
        out["write"] = str(exc)
    with JournalStore.open(d, read_only=True) as store:
        out["doc"] = store.get("m", "a")
    print(json.dumps(out))
    """
)


def test_read_only_directory_is_a_clear_error(tmp_path: Path) -> None:
    # Root ignores permission bits, so as root the check runs as `nobody`
    # in a directory that nobody may read but not write.
    base = Path(tempfile.mkdtemp(prefix="veille-ro-"))
    data = base / "data"
    try:
        with JournalStore.open(data) as store:
            store.apply([put("m", "a", {"v": 1})])
        os.chmod(base, 0o755)
        for p in data.iterdir():
            os.chmod(p, 0o644)
        os.chmod(data, 0o555)
        proc = subprocess.run(
            [sys.executable, "-c", _READ_ONLY_CHILD, str(data)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert str(data) in out["write"] and "not writable" in out["write"]
        assert out["doc"] == {"v": 1}
    finally:
        os.chmod(data, 0o755)
        shutil.rmtree(base)


def test_file_size_limit_during_writes(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes writes fail like a full disk: clear errors, nothing lost."""
    proc = spawn("enospc", str(tmp_path))
    out_text, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    out = json.loads(out_text)
    assert "no space left" in out["apply"] and "journal-" in out["apply"]
    assert out["big_in_memory"] is False and out["patch_in_memory"] is False
    assert out["journal_unchanged"] is True
    assert out["small"] == "stored"
    assert "no space left" in out["compact"] and "store.json" in out["compact"]
    assert out["snapshot_unchanged"] is True
    assert "no space left" in out["archive"] and out["archived_still_live"] is True
    assert out["after"] == "stored"
    with JournalStore.open(tmp_path) as store:
        assert store.get("m", "big") is None
        assert "lost" not in (store.get("m", "k1") or {})
        for key in ("before", "small", "after", "k2"):
            assert store.get("m", key) is not None
        assert [d["i"] for d in store.iter_archive("m")] == [40]
    assert not list(tmp_path.rglob("*.tmp-*"))


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], check=False)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_then_space_returns(tiny_tmpfs: Path) -> None:
    data = tiny_tmpfs / "data"
    store = JournalStore.open(data, auto_compact=False)
    store.apply([put("m", f"k{i}", {"i": i, "pad": "x" * 300}) for i in range(100)])
    store.compact()
    filler = tiny_tmpfs / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    with pytest.raises(StoreError, match="no space left") as err:
        store.apply([put("m", "big", {"pad": "y" * 200_000})])
    assert "journal-" in str(err.value)
    assert store.get("m", "big") is None
    with pytest.raises(StoreError, match="no space left"):
        store.apply([put("m", f"n{i}", {"pad": "z" * 5000}) for i in range(40)])
    assert store.count("m") == 100
    filler.unlink()
    store.apply([put("m", "big", {"pad": "y" * 200_000})])
    store.compact()
    store.close()
    with JournalStore.open(data) as again:
        assert again.count("m") == 101
        assert again.get("m", "n0") is None


def test_apply_keeps_going_while_a_big_compaction_runs(tmp_path: Path) -> None:
    store = JournalStore.open(tmp_path, auto_compact=False)
    pad = "x" * 500
    for b in range(20):
        store.apply([put("m", f"k{b}-{i}", {"pad": pad}) for i in range(1000)])
    done = threading.Event()
    errors: list[BaseException] = []

    def compact() -> None:
        try:
            store.compact()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=compact)
    thread.start()
    landed = 0
    while not done.is_set():
        store.apply([put("live", f"a{landed}", {"n": landed})])
        landed += 1
    thread.join()
    assert not errors
    # The snapshot write (~10 MB) took many apply round-trips: apply was not held up by it.
    assert landed >= 5
    store.apply([put("live", "last", {})])
    store.close()
    with JournalStore.open(tmp_path) as again:
        assert again.count("m") == 20_000
        assert again.count("live") == landed + 1


def test_failed_background_compaction_is_reported_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import inbox.journal_store as js

    real = js.write_snapshot
    failures = threading.Semaphore(1)
    attempted = threading.Event()
    written = threading.Event()

    def flaky(*args: object, **kwargs: object) -> None:
        attempted.set()
        if failures.acquire(blocking=False):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(*args, **kwargs)  # type: ignore[arg-type]
        written.set()

    monkeypatch.setattr(js, "write_snapshot", flaky)
    store = JournalStore.open(tmp_path, compact_batches=3)
    for i in range(3):
        store.apply([put("m", f"k{i}", {"i": i})])
    assert attempted.wait(10)
    store.close()  # waits for the compactor
    assert store.compaction_error is not None and "no space" in str(store.compaction_error)
    assert not (tmp_path / "store.json").exists()
    store = JournalStore.open(tmp_path, compact_batches=3)
    for i in range(3, 6):
        store.apply([put("m", f"k{i}", {"i": i})])
    assert written.wait(10)  # space is back: the next background compaction succeeds
    store.close()
    assert store.compaction_error is None and store.compactions == 1
    with JournalStore.open(tmp_path) as again:
        assert again.count("m") == 6


def test_read_only_readers_while_the_writer_compacts(tmp_path: Path) -> None:
    writer = JournalStore.open(tmp_path, compact_batches=2)
    stop = threading.Event()

    def write() -> None:
        i = 0
        while not stop.is_set():
            writer.apply([put("m", f"k{i}", {"i": i, "pad": "x" * 2000}), put("c", "n", {"n": i})])
            i += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        last = -1
        reads = 0
        while reads < 30 or writer.compactions < 5:
            reads += 1
            assert reads < 100_000, "the writer made no progress"
            with JournalStore.open(tmp_path, read_only=True) as reader:
                counter = reader.get("c", "n")
                n = counter["n"] if counter else -1
                assert n >= last and reader.count("m") == n + 1
                last = n
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert writer.compactions > 0 and last > 0, (writer.compaction_error, last, writer.compactions)
