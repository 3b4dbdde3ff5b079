"""The inbox at 100,000 stored mentions: ingest rate, open time and memory, action latency.

Targets (issue 2): a triage action durable in under 5 ms at p99; opening the
store under 1 s; the process under 300 MB resident. Open and memory are
measured in a fresh subprocess so other benchmarks do not pollute them.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

N = int(os.environ.get("VEILLE_BENCH_N", "100000"))

_WORDS = (
    "nimbus sync lost my notes after the update again how do I export to pdf pen battery "
    "dies quickly love the new handwriting search please add dark mode merci génial "
    "l'application plante encore est-ce que vous avez un plan étudiant التطبيق لا يعمل "
    "شكرا على التحديث الجديد كيف أصدر ملاحظاتي"
).split()

_OPEN = """
import json, sys, time
def rss():
    with open("/proc/self/status") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) / 1024
rss_start = rss()
t0 = time.perf_counter()
from inbox.journal_store import JournalStore
from inbox import Inbox
from rules import load_rules
rules = load_rules()
t1 = time.perf_counter()
rss_imports = rss()
store = JournalStore.open(__import__("pathlib").Path(sys.argv[1]))
t2 = time.perf_counter()
rss_store = rss()
inbox = Inbox(store, rules)
t3 = time.perf_counter()
rss_inbox = rss()
q = inbox.queue()
t4 = time.perf_counter()
rss_queue = rss()
print(json.dumps({"imports": t1 - t0, "store_open": t2 - t1, "inbox_index": t3 - t2,
                  "first_queue": t4 - t3, "rss_start": rss_start, "rss_imports": rss_imports,
                  "rss_store": rss_store, "rss_inbox": rss_inbox, "rss_mb": rss_queue,
                  "open": len(q), "n": len(inbox)}))
store.close()
"""


_CONSOLE = """
import asyncio, json, sys, time
def status(key):
    with open("/proc/self/status") as f:
        return int(f.read().split(key + ":")[1].split()[0]) / 1024
from tui.app import make_app
from tui.context import Context
ctx = Context.from_args(sys.argv[2], sys.argv[1])
app = make_app(ctx, poller=False)
async def main():
    async with app.run_test(size=(120, 36)) as pilot:
        t0 = time.perf_counter()
        while app.first_paint_at is None and time.perf_counter() - t0 < 60:
            await pilot.pause(0.05)
        painted = status("VmRSS")
        ready = getattr(app.inbox, "clusters_ready", None)
        while time.perf_counter() - t0 < 120 and (
            app.spike_detector is None or (ready is not None and not ready.is_set())
        ):
            await pilot.pause(0.2)
        await pilot.pause(3.0)
        for _ in range(20):
            await pilot.press("j")
        await pilot.pause(1.0)
        print(json.dumps({"painted": painted, "settled": status("VmRSS"),
                          "peak": status("VmHWM")}))
asyncio.run(main())
ctx.close()
"""


def _posts(n: int) -> list[dict[str, object]]:
    rnd = random.Random(7)
    t0 = datetime(2026, 10, 1, tzinfo=timezone.utc)
    out = []
    for i in range(n):
        words = " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(12, 60)))
        out.append(
            {
                "id": f"b{i}",
                "text": words + ("?" if i % 4 == 0 else ""),
                "author": f"user{rnd.randint(0, n // 10)}",
                "followers": rnd.randint(0, 50_000),
                "created_at": (t0 + timedelta(seconds=20 * i)).isoformat(),
                "url": f"https://social.example/p/{i}",
            }
        )
    return out


def main() -> None:
    from inbox import Inbox
    from inbox.ingest_jsonl import post_from_obj
    from inbox.journal_store import JournalStore
    from rules import load_rules

    rules = load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = JournalStore.open(data)
        inbox = Inbox(store, rules)
        posts = [post_from_obj(o) for o in _posts(N)]
        t = time.perf_counter()
        for i in range(0, N, 1000):
            inbox.ingest(posts[i : i + 1000])
        dt = time.perf_counter() - t
        print(f"   ingest {N} mentions in batches of 1000: {dt:.1f} s ({N / dt:,.0f}/s)")
        # close 90% so the store looks like weeks of work: a small open queue, long history
        ids = [p.id for p in posts]
        closed = int(N * 0.9)
        for i in range(0, closed, 5000):
            inbox.done(ids[i : min(i + 5000, closed)])
        lat = []
        for mid in ids[-2000:-1500]:
            t = time.perf_counter()
            inbox.done([mid])
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        p50 = statistics.median(lat)
        p99 = lat[int(len(lat) * 0.99) - 1]
        print(f"   triage action durable (done, fsync'd): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
        t = time.perf_counter()
        for _ in range(20):
            inbox.queue()
        qt = (time.perf_counter() - t) / 20 * 1000
        print(
            f"   queue() over {inbox.counts() and sum(inbox.counts().values())} open: {qt:.1f} ms"
        )
        store.compact()
        store.close()
        out = subprocess.run(
            [sys.executable, "-c", _OPEN, str(data)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout)
        print(
            f"   reopen at {r['n']} mentions: store {r['store_open']:.2f} s, inbox index "
            f"{r['inbox_index']:.2f} s, first queue {r['first_queue'] * 1000:.0f} ms, "
            f"RSS {r['rss_mb']:.0f} MB (targets: open < 1 s, RSS < 300 MB)"
        )
        print(
            f"   where the RSS goes: interpreter {r['rss_start']:.0f} MB, imports and rules "
            f"+{r['rss_imports'] - r['rss_start']:.0f}, store open "
            f"+{r['rss_store'] - r['rss_imports']:.0f}, inbox index "
            f"+{r['rss_inbox'] - r['rss_store']:.0f} ({r['open']} open as objects), first "
            f"queue +{r['rss_mb'] - r['rss_inbox']:.0f}"
        )
        ok = p99 < 5 and r["store_open"] < 1 and r["rss_mb"] < 300
        print(f"   targets (p99 < 5 ms, open < 1 s, RSS < 300 MB): {'met' if ok else 'MISSED'}")
        cfg = Path(tmp) / "config.toml"
        cfg.write_text('[veille]\nbrand = "Nimbus"\n', encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", _CONSOLE, str(data), str(cfg)],
            capture_output=True,
            text=True,
            check=True,
        )
        c = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"   the whole console on it (headless, background indexes and spike baseline "
            f"built, 20 key presses): RSS {c['painted']:.0f} MB at first paint, "
            f"{c['settled']:.0f} MB settled, peak {c['peak']:.0f} MB (target < 300 MB): "
            f"{'met' if c['settled'] < 300 else 'MISSED'}"
        )
        size = sum(f.stat().st_size for f in data.rglob("*") if f.is_file())
        print(f"   data dir {size / 1e6:.0f} MB; {json.dumps(r)}")
