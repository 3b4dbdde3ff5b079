"""Child process for the store's crash, lock and full-disk tests.

`run DIR`: apply a fixed sequence of steps (ingest-like batches, triage
patches, draft edits, deletes, archive moves) to a JournalStore that compacts
in the background after every couple of batches, printing each step's number
once the call has returned. The parent kills it with SIGKILL at random points
and checks that every printed step is on disk. `steps(n)` is the same
sequence applied to a MemoryStore: the expected state.

`hold DIR`: open the store and keep it open until stdin closes.
`enospc DIR`: hit RLIMIT_FSIZE during apply and compaction, report as JSON.

`spawn(*args)` starts this module as that child, for the tests that drive it.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from inbox.journal_store import JournalStore
from inbox.store import MemoryStore, Op, Store, StoreError, delete, patch, put

Step = tuple[str, Any]

REPO = Path(__file__).resolve().parents[2]


def spawn(*args: str) -> subprocess.Popen[str]:
    """This module in a child process, all three streams piped as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.inbox.crash_worker", *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def step(i: int) -> Step:
    """Step i of the sequence: ("apply", ops) or ("archive", (table, moves))."""
    if i == 0:  # a bulky first ingest so that every compaction has real work to do
        return "apply", [put("f", f"f{j}", {"j": j, "pad": "x" * 500}) for j in range(1500)]
    if i >= 30 and i % 10 == 9:
        month = f"2026-{(i // 10) % 12 + 1:02d}"
        return "archive", ("m", {month: [f"k{j}" for j in range(i - 30, i - 20)]})
    ops: list[Op] = [
        put("m", f"k{i}", {"i": i, "text": "é" * (i * 37 % 300), "state": "open"}),
        put("m", f"k{i}b", {"i": i, "pair": True}),
        put("c", "counter", {"last": i}),
    ]
    if i >= 5:
        ops.append(patch("m", f"k{i - 5}", {"state": "done", "seen": i}))
    if i >= 8 and i % 4 == 3:
        ops.append(delete("m", f"k{i - 8}b"))
    if i % 3 == 0:
        ops.append(put("d", f"draft{i % 7}", {"text": "Bonjour, " + "a" * (i % 40)}))
    return "apply", ops


def do_step(store: Store, i: int) -> None:
    kind, arg = step(i)
    if kind == "apply":
        store.apply(arg)
    else:
        table, moves = arg
        store.archive(table, moves)


def expected(n: int) -> MemoryStore:
    """The state after steps 0..n-1."""
    model = MemoryStore()
    for i in range(n):
        do_step(model, i)
    return model


def state(store: Store) -> dict[str, Any]:
    """Comparable view of a store: live tables and archived documents."""
    tables = {t: dict(store.items(t)) for t in ("f", "m", "c", "d")}
    archived = sorted(json.dumps(d, sort_keys=True) for d in store.iter_archive("m"))
    return {"tables": tables, "archive": archived}


def run(data_dir: Path, limit: int, compact_batches: int) -> None:
    store = JournalStore.open(data_dir, compact_batches=compact_batches)
    print("ready", flush=True)
    for i in range(limit):
        do_step(store, i)
        print(i, flush=True)
        if store.compaction_error is not None:
            raise store.compaction_error
    store.close()


def hold(data_dir: Path) -> None:
    store = JournalStore.open(data_dir)
    store.apply([put("m", "held", {"pid": os.getpid()})])
    print(f"held {os.getpid()}", flush=True)
    sys.stdin.read()
    store.close()


def enospc(data_dir: Path) -> None:
    """Apply and compact against a file size limit; report what happened."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so the write fails with EFBIG instead
    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    out: dict[str, Any] = {}
    store = JournalStore.open(data_dir, auto_compact=False)
    store.apply([put("m", f"k{i}", {"i": i, "pad": "p" * 200}) for i in range(50)])
    store.compact()
    store.apply([put("m", "before", {"x": "a" * 100})])
    journal = store._jpath
    assert journal is not None
    size = journal.stat().st_size
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 300, hard))
    try:
        store.apply([put("m", "big", {"x": "b" * 5000}), patch("m", "k1", {"lost": True})])
        out["apply"] = "stored"
    except StoreError as exc:
        out["apply"] = str(exc)
    out["big_in_memory"] = store.get("m", "big") is not None
    out["patch_in_memory"] = "lost" in (store.get("m", "k1") or {})
    out["journal_unchanged"] = journal.stat().st_size == size
    store.apply([put("m", "small", {"x": 1})])  # still fits under the limit
    out["small"] = "stored"
    snapshot = (data_dir / "store.json").read_bytes()
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        store.compact()
        out["compact"] = "done"
    except StoreError as exc:
        out["compact"] = str(exc)
    out["snapshot_unchanged"] = (data_dir / "store.json").read_bytes() == snapshot
    try:
        store.archive("m", {"2026-10": [f"k{i}" for i in range(2, 40)]})
        out["archive"] = "done"
    except StoreError as exc:
        out["archive"] = str(exc)
    out["archived_still_live"] = store.get("m", "k2") is not None
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))  # space is back
    store.apply([put("m", "after", {"x": "c" * 5000})])
    store.archive("m", {"2026-10": ["k40"]})
    store.compact()
    out["after"] = "stored"
    store.close()
    print(json.dumps(out), flush=True)


def main(argv: list[str]) -> None:
    mode, data_dir = argv[0], Path(argv[1])
    if mode == "run":
        run(data_dir, int(argv[2]), int(argv[3]))
    elif mode == "hold":
        hold(data_dir)
    elif mode == "enospc":
        enospc(data_dir)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
