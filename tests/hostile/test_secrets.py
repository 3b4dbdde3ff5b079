"""Secrets stay in the keyring: a whole session is scanned for them afterwards.

A session with tokens set (an in-memory keyring) polls Mastodon and Bluesky
servers on 127.0.0.1, two of which echo the credentials back in their error
bodies, then exports, reports and lists sources. Every file in the data
directory, every report, everything printed and everything logged is then
searched for the tokens. The keyring's own failure modes are checked through
the command line: none at all, and a plaintext file backend (keyrings.alt's
layout, written here) that veille must refuse unless the user opts in.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.localhttp import Request, Web
from tui.cli import main

from .conftest import MemoryKeyring, Veille

MASTODON_TOKEN = "mtok-7f3a9c1e5b2d4f60a8e1"
ECHO_TOKEN = "mtok-echo-2b8d0f4c6e1a3957"
APP_PASSWORD = "bsky-pass-abcd-efgh-ijkl"
ACCESS_JWT = "eyJACCESS.jwt-payload-9183746501.sig"
REFRESH_JWT = "eyJREFRESH.jwt-payload-5647382910.sig"
SECRETS = (MASTODON_TOKEN, ECHO_TOKEN, APP_PASSWORD, ACCESS_JWT, REFRESH_JWT)


def status(n: int) -> dict[str, object]:
    return {
        "id": str(100 + n),
        "uri": f"https://social.example/s/{n}",
        "url": f"https://social.example/@ann/{n}",
        "created_at": "2026-11-20T10:00:00Z",
        "content": f"<p>is acme down? {n}</p>",
        "account": {"acct": "ann", "followers_count": 3},
    }


def serve_session(web: Web) -> None:
    def search(h: Request) -> None:
        auth = h.headers.get("Authorization", "")
        if auth == f"Bearer {MASTODON_TOKEN}":
            h.reply(200, json.dumps({"statuses": [status(1), status(2)]}), "application/json")
        else:  # a buggy server that echoes what it was sent
            h.reply(500, json.dumps({"error": f"bad header {auth}"}), "application/json")

    web.route("/api/v2/search", search)
    web.static(
        "/xrpc/com.atproto.server.createSession",
        json.dumps({"accessJwt": ACCESS_JWT, "refreshJwt": REFRESH_JWT, "did": "did:plc:me"}),
        "application/json",
    )

    def bsky_search(h: Request) -> None:
        body = {
            "error": "InvalidRequest",
            "message": f"cannot use {h.headers.get('Authorization')} (password {APP_PASSWORD})",
        }
        h.reply(400, json.dumps(body), "application/json")

    web.route("/xrpc/app.bsky.feed.searchPosts", bsky_search)


def session(tmp_path: Path, web: Web, ring: MemoryKeyring, capsys: pytest.CaptureFixture[str],
            caplog: pytest.LogCaptureFixture) -> str:  # fmt: skip
    """Run the session; return everything it printed and logged."""
    port = web.base.rsplit(":", 1)[1]
    ring.set_password("veille", f"mastodon:127.0.0.1:{port}", MASTODON_TOKEN)
    ring.set_password("veille", f"mastodon:localhost:{port}", ECHO_TOKEN)
    ring.set_password("veille", "bluesky:me.example", APP_PASSWORD)
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[[source]]
kind = "mastodon"
name = "good"
instance = "http://127.0.0.1:{port}"
query = "acme"

[[source]]
kind = "mastodon"
name = "echo"
instance = "http://localhost:{port}"
query = "acme"

[[source]]
kind = "bluesky"
name = "sky"
handle = "me.example"
query = "acme"
service = "http://127.0.0.1:{port}"
""",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    common = ["--config", str(config), "--data-dir", str(data)]
    caplog.set_level(logging.DEBUG)
    assert main(["fetch", "--once", *common]) == 0
    main(["sources", "list", *common])
    for fmt in ("jsonl", "csv"):
        assert main(["export", "--format", fmt, *common]) == 0
    for fmt in ("md", "html", "json", "csv"):
        target = str(tmp_path / f"r.{fmt}")
        main(["report", "--since", "3650d", "--format", fmt, "--out", target, *common])
    out = capsys.readouterr()
    return out.out + out.err + caplog.text


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


@pytest.fixture
def run_session(
    tmp_path: Path,
    web: Web,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> Callable[[], str]:
    """The servers of `serve_session` are up (a test may swap routes); call to run the session."""
    serve_session(web)
    return lambda: session(tmp_path, web, memory_keyring, capsys, caplog)


def test_no_secret_anywhere_after_a_session(tmp_path: Path, run_session: Callable[[], str]) -> None:
    printed = run_session()
    assert "is acme down? 1" in (tmp_path / "r.json").read_text() or "good" in printed
    found = {str(p.relative_to(tmp_path)): leaks(p.read_bytes().decode("utf-8", "replace"))
             for p in tmp_path.rglob("*") if p.is_file() and p.name != "config.toml"}  # fmt: skip
    found = {k: v for k, v in found.items() if v}
    assert not found, f"secrets written to files: {found}"
    assert not leaks(printed), f"secrets printed or logged: {leaks(printed)}"


def test_well_behaved_servers_leave_no_secret(
    tmp_path: Path, web: Web, run_session: Callable[[], str]
) -> None:
    """Without echoing servers: the state, health and exports never hold a credential."""
    web.route(
        "/xrpc/app.bsky.feed.searchPosts",
        lambda h: h.reply(200, json.dumps({"posts": [], "cursor": ""}), "application/json"),
    )
    web.route(
        "/api/v2/search",
        lambda h: h.reply(200, json.dumps({"statuses": [status(1)]}), "application/json"),
    )
    printed = run_session()
    for p in tmp_path.rglob("*"):
        if p.is_file() and p.name != "config.toml":
            assert not leaks(p.read_bytes().decode("utf-8", "replace")), p
    assert not leaks(printed)
    assert web.hits("/xrpc/com.atproto.server.createSession")  # the password was used


# -- the keyring itself ---------------------------------------------------------------------------


def test_no_keyring_is_one_clear_line(veille: Veille) -> None:
    r = veille.run("auth", "set", "mastodon:social.example", stdin="sekret-token-123\n")
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "keyring" in lines[0], r.stderr
    assert "sekret-token-123" not in r.stdout + r.stderr


FAKE_ALT = '''
"""keyrings.alt's PlaintextKeyring, in miniature: base64 in a file, as the real one does."""
import base64, configparser, os
from keyring.backend import KeyringBackend

class PlaintextKeyring(KeyringBackend):
    priority = 0.5
    filename = os.path.join(os.environ["FAKE_ALT_DIR"], "keyring_pass.cfg")

    def _read(self):
        cp = configparser.RawConfigParser()
        cp.read(self.filename)
        return cp

    def get_password(self, service, username):
        cp = self._read()
        try:
            return base64.b64decode(cp.get(service, username)).decode()
        except (configparser.Error, ValueError):
            return None

    def set_password(self, service, username, password):
        cp = self._read()
        if not cp.has_section(service):
            cp.add_section(service)
        cp.set(service, username, base64.b64encode(password.encode()).decode())
        with open(self.filename, "w") as fh:
            cp.write(fh)

    def delete_password(self, service, username):
        cp = self._read()
        cp.remove_option(service, username)
        with open(self.filename, "w") as fh:
            cp.write(fh)
'''


@pytest.fixture
def plaintext_keyring(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "site"
    pkg = root / "keyrings" / "alt"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "file.py").write_text(FAKE_ALT)
    store = tmp_path / "alt-store"
    store.mkdir()
    return {
        "PYTHONPATH": f"{root}:{Path(__file__).resolve().parents[2]}",
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "FAKE_ALT_DIR": str(store),
    }


def test_plaintext_keyring_refused_unless_chosen(
    veille: Veille, plaintext_keyring: dict[str, str], tmp_path: Path
) -> None:
    secret = "plain-token-0192837465"
    r = veille.run(
        "auth", "set", "mastodon:social.example", stdin=secret + "\n", env=plaintext_keyring
    )
    assert r.returncode == 1
    assert "file" in r.stderr and "VEILLE_ALLOW_FILE_KEYRING" in r.stderr, r.stderr
    stored = tmp_path / "alt-store" / "keyring_pass.cfg"
    assert not stored.exists(), "a secret was written to a plaintext file"
    opted = {**plaintext_keyring, "VEILLE_ALLOW_FILE_KEYRING": "1"}
    r = veille.run("auth", "set", "mastodon:social.example", stdin=secret + "\n", env=opted)
    assert r.returncode == 0, r.stderr
    assert stored.exists() and secret not in r.stdout + r.stderr
