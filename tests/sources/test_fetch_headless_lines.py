"""Headless `veille fetch` prints source names as `fetch --once` does: one inert line each."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from tests.localhttp import Web

from .conftest import fixture_bytes
from .test_commands import REPO, veille_cmd, veille_env
from .test_fetch_spool import readline


def test_a_name_with_a_terminal_escape_is_printed_inert(server: Web, tmp_path: Path) -> None:
    server.static("/atom.xml", fixture_bytes("atom.xml"), "application/atom+xml")
    (tmp_path / "config.toml").write_text(
        f'[[source]]\nkind = "feed"\nname = "blog\\u001b]0;owned\\u0007\\nnext"\n'
        f'url = "{server.url("/atom.xml")}"\n'
        f'[[source]]\nkind = "feed"\nname = "down\\u001b[2J"\nurl = "{server.url("/gone")}"\n',
        encoding="utf-8",
    )
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
        assert readline(proc, deadline).startswith("polling 2 sources")
        lines = sorted([readline(proc, deadline), readline(proc, deadline)])
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert lines[0].startswith("blog]0;owned next: 2 new so far"), lines
    assert lines[1].startswith("down[2J: failed: "), lines
    assert not any("\x1b" in line or "\x07" in line for line in lines)
