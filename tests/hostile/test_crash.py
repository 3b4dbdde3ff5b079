"""Crashes and disks: SIGKILL mid-session, a full disk, a read-only directory, two processes.

The raw store has its own fault tests; these cover the whole path a user takes:
`veille ingest` killed at random moments, and a triage session (ingest, done,
spam, drafts, forced compaction) killed at random moments through `Inbox`, each
checked on reopening against what the process had acknowledged before it died.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from inbox.journal_store import JournalStore
from tui.context import Context

from .conftest import REPO, Veille, veille_env

KILL_ROUNDS = int(os.environ.get("VEILLE_KILL_ROUNDS", "12"))


def posts_file(path: Path, n: int, prefix: str = "p") -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            row = {
                "id": f"{prefix}{i}",
                "text": f"post {i}: is acme broken?",
                "author": f"a{i % 40}",
            }
            fh.write(json.dumps(row) + "\n")
    return path


def stored_ids(data: Path) -> list[str]:
    """Every mention id in the store, opened as a fresh process would open it."""
    store = JournalStore.open(data)
    try:
        return [k for k, _ in store.items("mentions")]
    finally:
        store.close()


# -- SIGKILL during `veille ingest` -----------------------------------------------------------


def journal_bytes(data: Path) -> int:
    return sum(p.stat().st_size for p in data.glob("journal-*.jsonl")) if data.is_dir() else 0


def test_sigkill_during_cli_ingest_loses_no_batch_and_duplicates_nothing(
    veille: Veille, tmp_path: Path
) -> None:
    src = posts_file(tmp_path / "in.jsonl", 3000)
    rnd = random.Random(1234)
    counts = []
    for n in range(max(4, KILL_ROUNDS // 2)):
        before = journal_bytes(veille.data)
        proc = veille.popen("ingest", str(src))
        if n % 2:  # half the kills land once this run wrote to the journal, wherever that is
            end = time.monotonic() + 20
            while time.monotonic() < end and proc.poll() is None:
                if journal_bytes(veille.data) > before:
                    break
                time.sleep(0.01)
        time.sleep(rnd.uniform(0.0, 0.6) if n % 2 else rnd.uniform(0.15, 1.2))  # chaos timer
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        ids = stored_ids(veille.data)
        assert len(ids) == len(set(ids))
        counts.append(len(ids))
        # batches are atomic: what a killed run left is whole batches of 1000
        assert len(ids) % 1000 == 0, f"{len(ids)} stored: a batch was half-written"
    done = veille.run("ingest", str(src))
    assert done.returncode == 0, done.stderr
    ids = stored_ids(veille.data)
    assert sorted(ids) == sorted(f"ingest:p{i}" for i in range(3000))
    assert any(c for c in counts), "no kill landed after the first batch: widen the window"


# -- SIGKILL during a triage session ---------------------------------------------------------


@dataclass
class Expected:
    mentions: set[str] = field(default_factory=set)
    states: dict[str, str] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)


def _run_and_kill(data: Path, seed: int, rnd: random.Random) -> list[str]:
    env = veille_env(data.parent / "home")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.hostile.crash_driver", str(data), str(seed), "400"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    lines: list[str] = []
    enough = threading.Event()
    target = rnd.randint(2, 120)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if len(lines) >= target:
                enough.set()
        enough.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    enough.wait(60)
    time.sleep(rnd.uniform(0, 0.004))  # land inside the next call, or between two
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # Only the reader reads stdout: `communicate()` would race it for the last lines
    # in the pipe, and an acknowledgement it swallowed would look like a lost write.
    reader.join(30)
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    assert "Traceback" not in err, err
    return lines


def _check(data: Path, lines: list[str], exp: Expected) -> tuple[int, int]:
    """Verify the reopened store against the acknowledgements; fold in the in-flight action."""
    in_flight: str | None = None
    acked = 0
    for line in lines:
        kind, _, rest = line.partition(" ")
        if kind == "BEGIN":
            in_flight = rest
        elif kind == "ACK":
            in_flight = None
            acked += 1
            op, _, arg = rest.partition(" ")
            if op == "ingest":
                for mid in arg.split(","):
                    exp.mentions.add(mid)
                    exp.states[mid] = "open"
            elif op in ("done", "spam"):
                exp.states[arg] = op
            elif op == "draft":
                mid, _, text = arg.partition(" ")
                exp.drafts[mid] = text
    ctx = Context.from_args(str(data.parent / "no-config.toml"), str(data))
    try:
        inbox = ctx.open_inbox()
        got = {m.id: m for m in inbox.mentions()}
        flight_op, _, flight_arg = (in_flight or "").partition(" ")
        extra = set(got) - exp.mentions
        if flight_op == "ingest":
            batch = set(flight_arg.split(","))
            assert extra in (set(), batch), "an interrupted batch is all or nothing"
            for mid in extra:
                exp.mentions.add(mid)
                exp.states[mid] = "open"
        else:
            assert not extra, f"mentions nobody ingested: {sorted(extra)[:5]}"
        missing = exp.mentions - set(got)
        assert not missing, f"acknowledged mentions lost: {sorted(missing)[:5]}"
        for mid, state in exp.states.items():
            actual = got[mid].state
            if flight_op in ("done", "spam") and flight_arg == mid and actual == flight_op:
                exp.states[mid] = actual
                continue
            assert actual == state, f"{mid}: {actual}, acknowledged {state}"
        for mid, text in exp.drafts.items():
            actual_draft = inbox.draft(mid)
            if flight_op == "draft" and flight_arg.partition(" ")[0] == mid:
                flight_text = flight_arg.partition(" ")[2]
                if actual_draft == flight_text:
                    exp.drafts[mid] = actual_draft
                    continue
            assert actual_draft == text, f"draft of {mid} lost"
        for m in got.values():
            assert len(m.sources) == len(set(m.sources)), f"{m.id} lists a source twice"
        assert len(inbox) >= len(got)
    finally:
        ctx.close()
    return acked, len(exp.mentions)


def kill_session(tmp_path: Path, rounds: int, seed: int) -> dict[str, int]:
    data = tmp_path / "data"
    (tmp_path / "home").mkdir(exist_ok=True)
    exp = Expected()
    rnd = random.Random(seed)
    acked_total = 0
    for r in range(rounds):
        lines = _run_and_kill(data, seed * 1000 + r, rnd)
        assert lines and lines[0].startswith("OPEN"), lines[:3]
        acked, _ = _check(data, lines, exp)
        acked_total += acked
    leftovers = [p.name for p in data.iterdir() if ".tmp" in p.name or p.name.startswith(".")]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    return {"rounds": rounds, "acked": acked_total, "mentions": len(exp.mentions)}


def test_sigkill_during_triage_drafts_and_compaction(tmp_path: Path) -> None:
    figures = kill_session(tmp_path, KILL_ROUNDS, seed=7)
    assert figures["acked"] > KILL_ROUNDS  # the kills did land after real work
    print(f"SIGKILL triage session: {figures}")


@pytest.mark.stress
@pytest.mark.timeout(3600)
def test_sigkill_hundreds_of_times(tmp_path: Path) -> None:
    figures = kill_session(tmp_path, int(os.environ.get("VEILLE_STRESS_KILLS", "300")), seed=99)
    print(f"SIGKILL stress: {figures}")


# -- a full disk ----------------------------------------------------------------------------------


def _fsize_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG from write(), not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_during_ingest_is_clear_and_resumable(
    veille: Veille, tmp_path: Path
) -> None:
    src = posts_file(tmp_path / "in.jsonl", 3000)
    first = veille.run("ingest", str(src), preexec=_fsize_limit(1_000_000))
    assert first.returncode != 0
    assert "Traceback" not in first.stderr, first.stderr[-2000:]
    err = first.stderr.strip().splitlines()
    assert err and "space" in err[-1].lower(), first.stderr
    kept = stored_ids(veille.data)
    assert 0 < len(kept) < 3000 and len(kept) % 1000 == 0
    again = veille.run("ingest", str(src))  # space is back: the work resumes
    assert again.returncode == 0, again.stderr
    assert "1000 duplicate" in again.stdout or "duplicate" in again.stdout
    assert sorted(stored_ids(veille.data)) == sorted(f"ingest:p{i}" for i in range(3000))


@pytest.fixture
def small_tmpfs() -> Iterator[Path]:
    """A 600 KiB tmpfs: a real ENOSPC. Needs root and mount permission, else skipped."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    where = Path(tempfile.mkdtemp(prefix="veille-full-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(where)],
                       capture_output=True, text=True)  # fmt: skip
    if r.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        shutil.rmtree(where, ignore_errors=True)


def test_full_disk_during_ingest_then_space_returns(
    veille: Veille, tmp_path: Path, small_tmpfs: Path
) -> None:
    data = small_tmpfs / "data"
    veille.data = data
    src = posts_file(tmp_path / "in.jsonl", 3000)
    first = veille.run("ingest", str(src))
    assert first.returncode != 0 and "Traceback" not in first.stderr
    assert "space" in first.stderr.lower(), first.stderr
    kept = stored_ids(data)
    assert len(kept) % 1000 == 0
    grow = subprocess.run(
        ["mount", "-o", "remount,size=64m", str(small_tmpfs)], capture_output=True
    )
    assert grow.returncode == 0
    again = veille.run("ingest", str(src))
    assert again.returncode == 0, again.stderr
    assert sorted(stored_ids(data)) == sorted(f"ingest:p{i}" for i in range(3000))


# -- a read-only data directory -----------------------------------------------------------------


@pytest.fixture
def as_nobody() -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """A world-readable base directory, and how to run a child that cannot write it."""
    base = Path(tempfile.mkdtemp(prefix="veille-ro-"))
    base.chmod(0o755)
    demote: Callable[[], None] | None = None
    if os.geteuid() == 0:

        def demote() -> None:
            """Root ignores permission bits through CAP_DAC_OVERRIDE: drop it for the child."""
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
                if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                    raise OSError(ctypes.get_errno(), "cannot drop a capability")

    try:
        yield base, demote
    finally:
        for p in [base, *base.rglob("*")]:
            try:
                p.chmod(0o755 if p.is_dir() else 0o644)
            except OSError:
                pass
        shutil.rmtree(base, ignore_errors=True)


def test_read_only_data_directory(
    tmp_path: Path, as_nobody: tuple[Path, Callable[[], None] | None]
) -> None:
    base, demote = as_nobody
    home = base / "home"
    home.mkdir()
    home.chmod(0o777)
    v = Veille(home, base / "config.toml", base / "data")
    src = posts_file(base / "in.jsonl", 50)
    src.chmod(0o644)
    assert v.run("ingest", str(src)).returncode == 0
    for p in v.data.rglob("*"):
        p.chmod(0o444 if p.is_file() else 0o555)
    v.data.chmod(0o555)
    export = v.run("export", "--format", "jsonl", preexec=demote)
    assert export.returncode == 0, export.stderr
    assert len(export.stdout.splitlines()) == 50  # read-only commands still read everything
    for args in (("ingest", str(src)), ()):
        r = v.run(*args, preexec=demote, timeout=60)
        assert r.returncode != 0, args
        assert "Traceback" not in r.stderr, r.stderr[-1500:]
        assert "not writable" in r.stderr or "read-only" in r.stderr, r.stderr
    assert len(stored_ids(v.data)) == 50


# -- two processes on one data directory ----------------------------------------------------------


HOLD = """
import sys
from inbox.journal_store import JournalStore
store = JournalStore.open(__import__("pathlib").Path(sys.argv[1]))
print("HELD", flush=True)
sys.stdin.read()
store.close()
"""


def test_second_process_is_refused_clearly_or_spools(veille: Veille, tmp_path: Path) -> None:
    src = posts_file(tmp_path / "in.jsonl", 20)
    assert veille.run("ingest", str(src)).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(veille.data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=veille.env(), cwd=REPO,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "HELD"
        console = veille.run(timeout=60)  # the console itself: refused in one line
        assert console.returncode != 0
        assert "Traceback" not in console.stderr
        lines = console.stderr.strip().splitlines()
        assert lines and any(
            "another veille" in ln or "in use" in ln or "locked" in ln.lower() for ln in lines
        ), lines
        spooled = veille.run("ingest", str(posts_file(tmp_path / "more.jsonl", 5, "m")))
        assert spooled.returncode == 0 and "queued" in spooled.stdout, spooled
        export = veille.run("export", "--format", "jsonl")  # readers are not refused
        assert export.returncode == 0 and len(export.stdout.splitlines()) == 20
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    assert len(stored_ids(veille.data)) == 20


# -- SIGKILL while typing a draft in the real console ------------------------------------------


def _read_draft(data: Path, mention_id: str) -> str:
    """Read the store without taking it (read-only open), while the console holds it."""
    store = JournalStore.open(data, read_only=True)
    try:
        doc = store.get("drafts", mention_id)
        return str(doc.get("text", "")) if doc else ""
    finally:
        store.close()


def test_sigkill_while_typing_a_draft_in_the_console(veille: Veille, tmp_path: Path) -> None:
    """The real `veille` in a pseudo-terminal: type a reply, wait for the save, kill -9."""
    import pty
    import select

    row = {"id": "q1", "text": "How do I export my notes from acme?", "author": "ann"}
    assert veille.run("ingest", "-", stdin=json.dumps(row) + "\n").returncode == 0
    veille.config.write_text('[[source]]\nkind = "demo"\nenabled = false\n', encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the console in a terminal of its own
        env = veille.env(TERM="xterm-256color", COLUMNS="120", LINES="36")
        os.chdir(veille.home)
        os.execvpe(sys.executable, veille.args(), env)
    screen = bytearray()

    def pump(until: Callable[[], bool], timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if until():
                return True
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    screen.extend(os.read(fd, 65536))
                except OSError:
                    return until()
        return until()

    try:
        assert pump(lambda: b"export my notes" in screen, 30), bytes(screen[-500:])
        os.write(fd, b"r")
        pump(lambda: False, 0.5)  # let the draft area take the focus
        typed = "Hello Ann, go to Settings then Export"
        for ch in typed:
            os.write(fd, ch.encode())
            pump(lambda: False, 0.01)
        saved = pump(lambda: _read_draft(veille.data, "ingest:q1") == typed, 15)
        assert saved, f"draft not saved: {_read_draft(veille.data, 'ingest:q1')!r}"
        os.write(fd, " and more".encode())  # typed after the save: may or may not survive
        pump(lambda: False, 0.05)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    draft = _read_draft(veille.data, "ingest:q1")
    assert draft.startswith(typed), draft
    ctx = Context.from_args(str(veille.config), str(veille.data))
    try:
        inbox = ctx.open_inbox()  # the store opens for writing after the kill
        assert inbox.draft("ingest:q1").startswith(typed)
    finally:
        ctx.close()


# -- a full disk under the running console ---------------------------------------------------------


async def test_full_disk_under_the_console_then_space_returns(
    small_tmpfs: Path, tmp_path: Path
) -> None:
    """d on a full disk: one clear error, the mention still open; space back: d works."""
    import keyring

    from sources.models import Post
    from tui.app import make_app

    from .conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    cfg = tmp_path / "config.toml"
    cfg.write_text("", encoding="utf-8")
    ctx = Context.from_args(str(cfg), str(small_tmpfs / "data"))
    filler = small_tmpfs / "filler"
    try:
        app = make_app(ctx, poller=False)
        app.inbox.ingest([Post(id=f"ingest:{i}", text=f"is acme down {i}?") for i in range(80)])
        async with app.run_test(size=(120, 36)) as pilot:
            await app.settle()
            with filler.open("wb", buffering=0) as fh:  # fill the disk to the last byte
                try:
                    while True:
                        fh.write(b"\0" * 4096)
                except OSError:
                    pass
            done: list[str] = []
            failed = ""
            for _ in range(70):  # the journal's last page has some room left: use it up
                target = app._panes()[0].keys[0]
                await pilot.press("d")
                await app.settle()
                if app.last_error:
                    failed = target
                    break
                done.append(target)
            assert app.is_running
            assert failed, "the disk never filled up"
            assert "space" in app.last_error.lower(), app.last_error
            m = app.inbox.get(failed)
            assert m is not None and m.state == "open", "shown as done but never stored"
            filler.unlink()
            await pilot.press("d")
            await app.settle()
            m = app.inbox.get(failed)
            assert m is not None and m.state == "done"
            done.append(failed)
    finally:
        ctx.close()
        keyring.set_keyring(previous)
    ctx2 = Context.from_args(str(cfg), str(small_tmpfs / "data"))
    try:
        inbox = ctx2.open_inbox()
        assert [inbox.get(i).state for i in done] == ["done"] * len(done)  # type: ignore[union-attr]
        assert len(inbox) == 80
    finally:
        ctx2.close()


async def test_ingest_while_the_console_runs_is_spooled_then_drained(
    veille: Veille, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console holds the store; `veille ingest` hands its posts over; `fetch` says why not."""
    import asyncio

    import keyring

    import tui.app
    from tui.app import make_app

    from .conftest import MemoryKeyring

    monkeypatch.setattr(tui.app, "RULES_EVERY", 0.05)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    veille.config.write_text("", encoding="utf-8")
    ctx = Context.from_args(str(veille.config), str(veille.data))
    try:
        app = make_app(ctx, poller=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.settle()
            src = posts_file(tmp_path / "cron.jsonl", 25, "cron")
            r = await asyncio.to_thread(veille.run, "ingest", str(src))
            assert r.returncode == 0 and "queued" in r.stdout, (r.stdout, r.stderr)
            fetch = await asyncio.to_thread(veille.run, "fetch", "--once")
            assert "Traceback" not in fetch.stderr
            for _ in range(300):
                if len(app.inbox) >= 25:
                    break
                await pilot.pause(0.02)
            assert len(app.inbox) == 25, "spooled posts never reached the console"
            assert not list((veille.data / "spool").glob("*.jsonl"))
    finally:
        ctx.close()
        keyring.set_keyring(previous)
    assert len(stored_ids(veille.data)) == 25
