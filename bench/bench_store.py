"""Store benchmark: JournalStore at 100,000 mentions of ~600 bytes, beside stock TinyDB.

Targets (issue 2): a triage action durable in under 5 ms at p99, opening
under 1 s, the process under 300 MB resident. Each measurement runs in a
fresh interpreter so open time and resident memory are the store's alone.
Stock TinyDB (JSONStorage, which neither fsyncs nor replaces atomically) is
measured in the same run for the ratio: it rewrites the whole file per
insert, so it gets only a few inserts. `VEILLE_BENCH_N` changes N.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

N = int(os.environ.get("VEILLE_BENCH_N", "100000"))
APPLIES = 2000
STOCK_INSERTS = 3

_WORDS = {
    "en": "order delivery broken refund app crash login thanks love great why when how help "
    "support slow update battery screen account password email shipping late".split(),
    "fr": "commande livraison cassé remboursement appli plantage merci super pourquoi quand "
    "comment aide lente mise jour batterie écran compte mot passe colis retard".split(),
    "ar": "طلب توصيل مكسور استرداد تطبيق تعطل شكرا رائع لماذا متى كيف مساعدة بطيء تحديث "
    "بطارية شاشة حساب كلمة مرور بريد شحن متأخر".split(),
}


def mention(i: int, rng: random.Random) -> dict[str, Any]:
    """A document shaped like inbox.model.Mention.to_doc(), about 600 bytes of JSON."""
    lang = rng.choice(("en", "en", "fr", "ar"))
    text = " ".join(rng.choice(_WORDS[lang]) for _ in range(rng.randint(14, 26)))
    created = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00"
    return {
        "post": {
            "id": f"mastodon:{i}",
            "source": "mastodon",
            "author": f"user{i % 7919}@example.social",
            "text": f"@acme {text}",
            "url": f"https://example.social/@u{i % 7919}/{i}",
            "created_at": created,
            "followers": rng.randint(0, 50_000),
            "lang": lang,
        },
        "verdict": {
            "category": rng.choice(("question", "complaint", "suggestion", "praise")),
            "labels": ["delivery"],
            "sentiment": {"compound": round(rng.uniform(-1, 1), 3), "label": "negative"},
            "priority": rng.randint(0, 100),
            "sla_minutes": 60,
        },
        "first_seen": created,
        "state": "open",
        "sources": ["mastodon"],
        "closed_at": None,
    }


def _rss_mb() -> dict[str, float]:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out


def _pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(p / 100 * len(s)))] * 1000


# ------------------------------------------------------------------ children


def child_journal(data_dir: Path) -> dict[str, Any]:
    from inbox.journal_store import JournalStore
    from inbox.store import patch, put

    t0 = time.perf_counter()
    store = JournalStore.open(data_dir, auto_compact=False)
    out: dict[str, Any] = {"open_s": time.perf_counter() - t0, "rss": _rss_mb()}
    # The disk's own floor, side by side: append 120 bytes + fdatasync to a bare file.
    raw = []
    fd = os.open(data_dir / "raw-fsync-probe", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    for n in range(APPLIES):
        t = time.perf_counter()
        os.pwrite(fd, b"x" * 119 + b"\n", n * 120)
        os.fdatasync(fd)
        raw.append(time.perf_counter() - t)
    os.close(fd)
    os.unlink(data_dir / "raw-fsync-probe")
    out["raw_p50_ms"] = _pct(raw, 50)
    out["raw_p99_ms"] = _pct(raw, 99)
    keys = [k for k, _ in store.items("mentions")]
    rng = random.Random(1)
    lat = []
    for n in range(APPLIES):
        k = rng.choice(keys)
        t = time.perf_counter()
        store.apply([patch("mentions", k, {"state": "done", "closed_at": f"t{n}"})])
        lat.append(time.perf_counter() - t)
    out["apply_p50_ms"] = _pct(lat, 50)
    out["apply_p99_ms"] = _pct(lat, 99)
    out["apply_max_ms"] = max(lat) * 1000
    # Compaction in the background while triage goes on in this thread.
    done = threading.Event()
    took: list[float] = []

    def compact() -> None:
        t = time.perf_counter()
        store.compact()
        took.append(time.perf_counter() - t)
        done.set()

    during = []
    th = threading.Thread(target=compact)
    th.start()
    while not done.is_set():
        k = rng.choice(keys)
        t = time.perf_counter()
        store.apply([patch("mentions", k, {"state": "open"})])
        during.append(time.perf_counter() - t)
    th.join()
    out["compact_s"] = took[0]
    out["during_n"] = len(during)
    out["during_p50_ms"] = _pct(during, 50)
    out["during_p99_ms"] = _pct(during, 99)
    # An ingest batch of 100 new mentions.
    batch = [put("mentions", f"new{i}", mention(N + i, rng)) for i in range(100)]
    t = time.perf_counter()
    store.apply(batch)
    out["ingest100_ms"] = (time.perf_counter() - t) * 1000
    # Leave a full journal (the default compaction threshold) for the next open.
    for n in range(10_000):
        store.apply([patch("mentions", rng.choice(keys), {"seen": n})])
    out["rss_end"] = _rss_mb()
    store.close()
    return out


def child_journal_open(data_dir: Path) -> dict[str, Any]:
    from inbox.journal_store import JournalStore

    t0 = time.perf_counter()
    store = JournalStore.open(data_dir, read_only=True)
    out = {"open_s": time.perf_counter() - t0, "rss": _rss_mb(), "count": store.count("mentions")}
    store.close()
    return out


def child_tinydb(path: Path) -> dict[str, Any]:
    from tinydb import TinyDB

    t0 = time.perf_counter()
    db = TinyDB(str(path))
    table = db.table("mentions")
    count = len(table)
    out: dict[str, Any] = {"open_s": time.perf_counter() - t0, "rss": _rss_mb(), "count": count}
    rng = random.Random(2)
    lat = []
    for i in range(STOCK_INSERTS):
        doc = mention(N + 1000 + i, rng)
        t = time.perf_counter()
        table.insert(doc)
        lat.append(time.perf_counter() - t)
    out["insert_s"] = statistics.median(lat)
    db.close()
    return out


def _run_child(mode: str, path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_store", mode, str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} child failed: {proc.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


# ---------------------------------------------------------------------- main


def main() -> None:
    from inbox.journal_store import JournalStore
    from inbox.store import put

    rng = random.Random(0)
    docs = [mention(i, rng) for i in range(N)]
    size = statistics.mean(len(json.dumps(d, ensure_ascii=False).encode()) for d in docs[:2000])
    print(f"   {N} mentions, {size:.0f} bytes each on average (JSON, UTF-8)")
    with tempfile.TemporaryDirectory(prefix="veille-bench-") as tmp:
        data_dir = Path(tmp) / "journal"
        store = JournalStore.open(data_dir, auto_compact=False)
        t0 = time.perf_counter()
        for start in range(0, N, 1000):
            store.apply([put("mentions", f"m{i}", docs[i]) for i in range(start, start + 1000)])
        ingest_s = time.perf_counter() - t0
        store.compact()
        store.close()
        snap_mb = (data_dir / "store.json").stat().st_size / 1e6
        print(f"   load: {N} mentions in batches of 1000, durable: {ingest_s:.2f} s")
        print(f"   snapshot store.json: {snap_mb:.1f} MB")

        j = _run_child("journal", data_dir)
        reopen = _run_child("journal-open", data_dir)

        stock_path = Path(tmp) / "stock.json"
        from tinydb import TinyDB

        db = TinyDB(str(stock_path))
        db.table("mentions").insert_multiple(docs)
        db.close()
        del docs
        s = _run_child("tinydb", stock_path)

    def row(name: str, ours: str, theirs: str) -> None:
        print(f"   {name:<44}{ours:>16}{theirs:>18}")

    print()
    row("", "JournalStore", "TinyDB stock")
    row("open (fresh process)", f"{j['open_s']:.2f} s", f"{s['open_s']:.2f} s")
    row("RSS after open", f"{j['rss']['VmRSS']:.0f} MB", f"{s['rss']['VmRSS']:.0f} MB")
    row("peak RSS during open", f"{j['rss']['VmHWM']:.0f} MB", f"{s['rss']['VmHWM']:.0f} MB")
    row("one-patch apply, durable, p50", f"{j['apply_p50_ms']:.2f} ms", "")
    row("one-patch apply, durable, p99", f"{j['apply_p99_ms']:.2f} ms", "")
    row("one-patch apply, durable, max", f"{j['apply_max_ms']:.2f} ms", "")
    row(
        "bare 120-byte append+fdatasync p50/p99",
        f"{j['raw_p50_ms']:.2f}/{j['raw_p99_ms']:.2f} ms",
        "",
    )
    row(
        f"one insert (stock: median of {STOCK_INSERTS}, no fsync)",
        "",
        f"{s['insert_s'] * 1000:.0f} ms",
    )
    row("compaction (snapshot write, background)", f"{j['compact_s']:.2f} s", "")
    row(
        f"apply during compaction p50/p99 (n={j['during_n']})",
        f"{j['during_p50_ms']:.2f}/{j['during_p99_ms']:.2f} ms",
        "",
    )
    row("ingest batch of 100 mentions", f"{j['ingest100_ms']:.1f} ms", "")
    row("open with 10,000 journal lines to replay", f"{reopen['open_s']:.2f} s", "")
    row("RSS after that open", f"{reopen['rss']['VmRSS']:.0f} MB", "")
    print("   (stock TinyDB keeps nothing in memory: every query re-reads and parses the file)")
    ratio = s["insert_s"] * 1000 / j["apply_p50_ms"]
    print(f"   ratio: stock TinyDB insert / JournalStore apply (p50) = {ratio:.0f}x")
    ok = j["apply_p99_ms"] < 5 and j["open_s"] < 1 and j["rss"]["VmRSS"] < 300
    print(f"   targets (p99 < 5 ms, open < 1 s, RSS < 300 MB): {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        mode, arg = sys.argv[1], Path(sys.argv[2])
        fn = {
            "journal": child_journal,
            "journal-open": child_journal_open,
            "tinydb": child_tinydb,
        }[mode]
        print(json.dumps(fn(arg)))
    else:
        main()
