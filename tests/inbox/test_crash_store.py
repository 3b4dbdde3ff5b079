"""kill -9 at random points: every acknowledged step survives, nothing twice, the store opens.

The child (tests/inbox/crash_worker.py) prints a step's number only after the
store call returned; the parent SIGKILLs it at a random point, often in the
middle of a background compaction (it compacts every two batches and each
snapshot carries ~1 MB), then reopens the store and compares it with the same
steps applied to a MemoryStore: it must equal the state after the acknowledged
steps, or after one more (the step in flight may have landed).
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from inbox.journal_store import JournalStore
from inbox.store import put
from tests.inbox.crash_worker import expected, spawn, state


def _kill_run(data_dir: Path, rng: random.Random) -> int:
    """Run the worker, SIGKILL it after a random number of steps; return steps acknowledged."""
    proc = spawn("run", str(data_dir), "100000", "2")
    assert proc.stdout is not None and proc.stderr is not None
    try:
        first = proc.stdout.readline()
        assert first == "ready\n", proc.stderr.read()
        target = rng.randint(0, 120)
        acked = -1
        while acked < target:
            line = proc.stdout.readline()
            assert line.endswith("\n"), f"worker died: {proc.stderr.read()}"
            acked = int(line)
        spin = time.perf_counter() + rng.random() * 0.01  # land between two acknowledgements
        while time.perf_counter() < spin:
            pass
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        # Read on through the same buffered file: readline() may already hold acks the
        # worker printed in a burst, which communicate() (raw reads) would never see.
        rest, err = proc.stdout.read(), proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, err
    assert "Traceback" not in err, err
    for line in rest.splitlines(keepends=True):
        if line.endswith("\n"):  # printed after the call returned: acknowledged
            acked = int(line)
    return acked + 1


def _check(data_dir: Path, acked: int) -> None:
    store = JournalStore.open(data_dir)
    try:
        got = state(store)
        candidates = [state(expected(acked)), state(expected(acked + 1))]
        assert got in candidates, f"store differs from the model after {acked} steps"
        archived_ids = {d["i"] for d in store.iter_archive("m")}
        live_ids = {d["i"] for k, d in store.items("m") if not k.endswith("b")}
        assert not archived_ids & live_ids  # moved, never in both places
        store.apply([put("m", "after-crash", {"ok": True})])  # and it still takes writes
    finally:
        store.close()
    again = JournalStore.open(data_dir)
    try:
        assert again.get("m", "after-crash") == {"ok": True}
    finally:
        again.close()


def _campaign(tmp_path: Path, runs: int, seed: int) -> None:
    rng = random.Random(seed)
    mid_snapshot = 0
    for n in range(runs):
        data_dir = tmp_path / f"run{n}"
        acked = _kill_run(data_dir, rng)
        mid_snapshot += bool(list(data_dir.glob("store.json*.tmp-*")))
        _check(data_dir, acked)
        assert not list(data_dir.glob("*.tmp-*"))  # leftovers cleaned on open
    # Most kills land while a snapshot is being written (about 3 in 4 here).
    assert mid_snapshot > 0


def test_sigkill_at_random_points_loses_nothing(tmp_path: Path) -> None:
    _campaign(tmp_path, runs=30, seed=int(os.environ.get("VEILLE_CRASH_SEED", "20261122")))


def test_sigkill_twice_in_a_row_on_the_same_directory(tmp_path: Path) -> None:
    """A store recovered from a crash takes a full second run and reopens clean."""
    rng = random.Random(7)
    data_dir = tmp_path / "data"
    _kill_run(data_dir, rng)
    # The second worker starts over from step 0 on top of the recovered state,
    # so only check that it opens and that its acknowledged counter is there.
    proc = spawn("run", str(data_dir), "41", "2")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    store = JournalStore.open(data_dir)
    try:
        assert store.get("c", "counter") == {"last": 40}
    finally:
        store.close()


@pytest.mark.stress
def test_sigkill_stress(tmp_path: Path) -> None:
    _campaign(tmp_path, runs=300, seed=int(time.time()))


def test_torn_last_line_written_by_hand(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    proc = spawn("run", str(data_dir), "25", "1000000")  # no compaction: one journal
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    journal = max(data_dir.glob("journal-*.jsonl"))
    good = journal.read_bytes()
    last_line = good.rstrip(b"\n").rsplit(b"\n", 1)[1]
    # The start of another batch, cut mid-document, as a crash mid-append leaves it.
    torn = last_line.replace(b'"seq":', b'"seq":9', 1)[: len(last_line) // 2]
    journal.write_bytes(good + torn)
    store = JournalStore.open(data_dir)
    try:
        assert state(store) == state(expected(25))
        assert any("torn" in n for n in store.notices)
    finally:
        store.close()
    assert journal.read_bytes() == good  # cut back to the last good line
    _check(data_dir, 25)
