"""`veille fetch --once`, `sources list|import`, `auth set|delete` as real subprocesses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.localhttp import Web

from .conftest import fixture_bytes

REPO = Path(__file__).resolve().parents[2]


def veille_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment, no keyring, and a file keyring only where `extra` allows it."""
    inherited = {k: v for k, v in os.environ.items() if k != "VEILLE_ALLOW_FILE_KEYRING"}
    return {
        **inherited,
        "PYTHONPATH": str(REPO),
        "NO_PROXY": "127.0.0.1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        **(extra or {}),
    }


def veille_cmd(tmp_path: Path, *args: str) -> list[str]:
    config, data = str(tmp_path / "config.toml"), str(tmp_path / "data")
    return [sys.executable, "-m", "tui", "--config", config, "--data-dir", data, *args]


def veille(
    tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        veille_cmd(tmp_path, *args),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=veille_env(env),
    )


def write_config(tmp_path: Path, tables: list[dict[str, str]]) -> None:
    lines = []
    for t in tables:
        lines.append("[[source]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in t.items()]
        lines.append("")
    (tmp_path / "config.toml").write_text("\n".join(lines), encoding="utf-8")


def test_fetch_once_many_feeds(server: Web, tmp_path: Path) -> None:
    good = [
        "rss2.xml",
        "atom.xml",
        "rss1.xml",
        "feed.json",
        "hnrss.xml",
        "reddit.atom",
        "youtube.xml",
        "stackoverflow.xml",
        "mastodon_tag.rss",
        "google_alerts.xml",
    ]
    tables = []
    for name in good:
        server.static(
            f"/{name}", fixture_bytes(name), "application/xml", headers={"ETag": f'"{name}"'}
        )
        tables.append({"kind": "feed", "name": name, "url": server.url(f"/{name}")})
    server.static("/500", b"", "text/plain", status=500)
    server.static("/410", b"", "text/plain", status=410)
    server.static("/html", b"<!DOCTYPE html><html><body>no</body></html>", "text/html")
    server.static("/429", b"", "text/plain", status=429, headers={"Retry-After": "7200"})
    server.static("/bad", b"<rss version='2.0'><channel><item><<<")
    for bad in ("500", "410", "html", "429", "bad"):
        tables.append({"kind": "feed", "name": f"bad-{bad}", "url": server.url(f"/{bad}")})
    tables.append({"kind": "feed", "name": "typo", "url": "not a url"})
    write_config(tmp_path, tables)

    run = veille(tmp_path, "fetch", "--once")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert len(lines) == len(good) + 5 + 1  # one per source, then the total
    by_name = {line.split(":", 1)[0]: line for line in lines[:-1]}
    assert by_name["rss2.xml"].startswith("rss2.xml: ok, 3 fetched, ")
    assert "failed: 127.0.0.1 server error (500)" in by_name["bad-500"]
    assert "gone" in by_name["bad-410"]
    assert "HTML page" in by_name["bad-html"]
    assert "rate limited" in by_name["bad-429"]
    assert "not a readable feed" in by_name["bad-bad"]
    assert lines[-1].startswith(f"{len(good) + 5} sources polled, 5 failed, ")
    assert "source #16 (typo)" in run.stderr

    listing = veille(tmp_path, "sources", "list")
    assert listing.returncode == 0, listing.stderr
    rows = {r.split()[0]: r for r in listing.stdout.splitlines()[1:] if r.strip()}
    assert "ok" in rows["rss2.xml"] and "ago" in rows["rss2.xml"]
    assert "failing since" in rows["bad-500"] and "server error (500)" in rows["bad-500"]
    assert "never" in rows["bad-429"] and "in 2 h" in rows["bad-429"]

    again = veille(tmp_path, "fetch", "--once")
    assert again.returncode == 0
    assert "rss2.xml: ok, not modified" in again.stdout  # same bytes: not even parsed
    assert "0 new mentions" in again.stdout.splitlines()[-1]
    assert server.hits("/rss2.xml")[-1].headers["if-none-match"] == '"rss2.xml"'  # state kept


def test_sources_import_opml(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(fixture_bytes("feeds.opml"))
    (tmp_path / "config.toml").write_text('[topic]\nkeywords = ["acme"]\n', encoding="utf-8")
    run = veille(tmp_path, "sources", "import", str(opml))
    assert run.returncode == 0, run.stderr
    assert "added 3 feeds" in run.stdout
    text = (tmp_path / "config.toml").read_text()
    assert text.startswith('[topic]\nkeywords = ["acme"]\n')
    assert text.count("[[source]]") == 3 and "javascript" not in text
    again = veille(tmp_path, "sources", "import", str(opml))
    assert "added 0 feeds" in again.stdout and "(3 already there)" in again.stdout
    listing = veille(tmp_path, "sources", "list")
    assert "Acme Notes (2)" in listing.stdout and "not polled yet" in listing.stdout


def test_sources_import_creates_config(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(fixture_bytes("feeds.opml"))
    nested = tmp_path / "new" / "dir"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "--config",
            str(nested / "config.toml"),
            "--data-dir",
            str(tmp_path / "d"),
            "sources",
            "import",
            str(opml),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert run.returncode == 0, run.stderr
    assert (nested / "config.toml").read_text().count("[[source]]") == 3


def test_auth_set_and_delete_never_echo(tmp_path: Path) -> None:
    ring = tmp_path / "ring.json"
    env = {
        "PYTHON_KEYRING_BACKEND": "tests.sources.keyring_backend.PlaintextTestKeyring",
        "VEILLE_TEST_KEYRING": str(ring),
    }
    refused = veille(tmp_path, "auth", "set", "mastodon:social.example", stdin="s3cret\n", env=env)
    assert refused.returncode == 1
    assert "stores secrets in a file: refused" in refused.stderr
    assert not ring.exists()

    env["VEILLE_ALLOW_FILE_KEYRING"] = "1"
    ok = veille(tmp_path, "auth", "set", "mastodon:social.example", stdin="s3cret\n", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "s3cret" not in ok.stdout + ok.stderr
    assert json.loads(ring.read_text()) == {"veille|mastodon:social.example": "s3cret"}
    gone = veille(tmp_path, "auth", "delete", "mastodon:social.example", env=env)
    assert gone.returncode == 0 and "forgot" in gone.stdout
    assert json.loads(ring.read_text()) == {}

    bad = veille(tmp_path, "auth", "set", "twitter:me", stdin="x\n", env=env)
    assert bad.returncode == 1 and "bad service name" in bad.stderr


def test_auth_without_keyring_is_one_line(tmp_path: Path) -> None:
    run = veille(tmp_path, "auth", "set", "bluesky:me.bsky.social", stdin="pw\n")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1].startswith("veille: no system keyring found")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_fetch_runs_until_interrupted(server: Web, tmp_path: Path, sig: signal.Signals) -> None:
    server.static("/atom.xml", fixture_bytes("atom.xml"), "application/atom+xml")
    write_config(tmp_path, [{"kind": "feed", "name": "blog", "url": server.url("/atom.xml")}])
    proc = subprocess.Popen(
        veille_cmd(tmp_path, "fetch"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=veille_env(),
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("polling 1 sources")
        line = proc.stdout.readline()
        assert line.startswith("blog: 2 new so far, next poll ")
        proc.send_signal(sig)
        assert proc.wait(10) == 0
        assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    exported = veille(tmp_path, "export", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) == 2  # the batch polled before the signal
