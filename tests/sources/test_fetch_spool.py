"""`veille fetch` holds the store, so it also takes in what `veille ingest` spooled meanwhile.

`veille ingest` run while another veille holds the data directory drops its posts
in DATA_DIR/spool/ "for it to ingest"; only the console ever drained it, so with
headless listening (`veille fetch`, or `fetch --once` from cron) the posts sat there
until someone opened the console.
"""

from __future__ import annotations

import json
import select
import signal
import subprocess
import time
from pathlib import Path

from inbox.spool import spool_dir, write_spool
from sources.models import Post
from tests.localhttp import Web

from .conftest import fixture_bytes
from .test_commands import REPO, veille, veille_cmd, veille_env, write_config


def exported_texts(tmp_path: Path) -> set[str]:
    r = veille(tmp_path, "export", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return {json.loads(line)["text"] for line in r.stdout.splitlines()}


def test_fetch_once_takes_in_the_spool(server: Web, tmp_path: Path) -> None:
    server.static("/atom.xml", fixture_bytes("atom.xml"), "application/atom+xml")
    write_config(tmp_path, [{"kind": "feed", "name": "blog", "url": server.url("/atom.xml")}])
    write_spool(tmp_path / "data", [Post(id="ingest:s1", text="spooled while you were out")])
    r = veille(tmp_path, "fetch", "--once")
    assert r.returncode == 0, r.stderr
    assert "spool: 1 new, 0 duplicate, 0 filtered by topic" in r.stdout.splitlines()
    assert "spooled while you were out" in exported_texts(tmp_path)
    assert list(spool_dir(tmp_path / "data").glob("*.jsonl")) == []


def readline(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.1)
        if ready:
            return proc.stdout.readline()
    raise AssertionError("no line from veille fetch in time")


def test_headless_fetch_takes_in_what_ingest_spools(server: Web, tmp_path: Path) -> None:
    server.static("/atom.xml", fixture_bytes("atom.xml"), "application/atom+xml")
    write_config(tmp_path, [{"kind": "feed", "name": "blog", "url": server.url("/atom.xml")}])
    proc = subprocess.Popen(
        veille_cmd(tmp_path, "fetch"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=veille_env(),
        bufsize=1,
    )
    try:
        deadline = time.monotonic() + 20
        assert readline(proc, deadline).startswith("polling 1 sources")
        assert readline(proc, deadline).startswith("blog: 2 new so far")
        post = json.dumps({"id": "late", "text": "arrived by cron"})
        spooled = veille(tmp_path, "ingest", "-", stdin=post + "\n")
        assert spooled.returncode == 0 and "queued" in spooled.stdout, spooled
        assert readline(proc, deadline) == "spool: 1 new, 0 duplicate, 0 filtered by topic\n"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "arrived by cron" in exported_texts(tmp_path)
