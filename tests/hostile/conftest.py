"""Hostile servers, an isolated veille and a keyring in memory, for the adversarial suite.

Every network test talks to a server on 127.0.0.1 started here: the HTTP server of
tests/localhttp.py, whose routes are small functions (so a 429 storm or a flapping
source is a few lines), and raw TCP servers for what HTTP servers will not do on their
own: accept and never answer, or drip one byte at a time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.keyrings import MemoryKeyring, installed
from tests.localhttp import Web, quick_limits, serve
from tui.context import Context

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = REPO.parent / "shared"

# Tight caps so a misbehaving server is caught in about a second, not thirty.
LIMITS = quick_limits(connect=0.5, max_bytes=2 * 1024 * 1024, max_decoded=4 * 1024 * 1024)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# -- HTTP --------------------------------------------------------------------------------------


@pytest.fixture
def web() -> Iterator[Web]:
    with serve() as w:
        yield w


# -- raw TCP -----------------------------------------------------------------------------------


class RawServer:
    """Accepts connections and hands each socket to `behave` on its own thread."""

    def __init__(self, behave: Callable[[socket.socket, threading.Event], None]) -> None:
        self.behave = behave
        self.stop = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            self.behave(conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def raw_server() -> Iterator[
    Callable[[Callable[[socket.socket, threading.Event], None]], RawServer]
]:
    made: list[RawServer] = []

    def make(behave: Callable[[socket.socket, threading.Event], None]) -> RawServer:
        s = RawServer(behave)
        made.append(s)
        return s

    try:
        yield make
    finally:
        for s in made:
            s.close()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- keyring -----------------------------------------------------------------------------------


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed() as ring:
        yield ring


# -- the console --------------------------------------------------------------------------------


@pytest.fixture
def ctx(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Context]:
    """A console context on an empty config and a data directory in tmp_path."""
    cfg = tmp_path / "config.toml"
    cfg.write_text("", encoding="utf-8")
    c = Context.from_args(str(cfg), str(tmp_path / "data"))
    try:
        yield c
    finally:
        c.close()


# -- the veille command line -------------------------------------------------------------------


def veille_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment that keeps the user's own config, data and keyring out."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VEILLE_", "PYTHON_KEYRING", "XDG_")) and k != "PYTHONPATH"
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONPATH=str(REPO),
        NO_COLOR="1",
    )
    env.update(extra)
    return env


@dataclass
class Veille:
    """`veille` run as a subprocess against one isolated config and data directory."""

    home: Path
    config: Path
    data: Path

    def args(self, *args: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "tui",
            *args,
            "--config",
            str(self.config),
            "--data-dir",
            str(self.data),
        ]

    def env(self, **extra: str) -> dict[str, str]:
        return veille_env(self.home, **extra)

    def run(
        self,
        *args: str,
        stdin: str | None = None,
        timeout: float = 120,
        env: dict[str, str] | None = None,
        preexec: Callable[[], None] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.args(*args),
            input=stdin,
            capture_output=True,
            text=True,
            env={**self.env(), **(env or {})},
            timeout=timeout,
            cwd=self.home,
            preexec_fn=preexec,
        )

    def popen(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.args(*args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**self.env(), **(env or {})},
            cwd=self.home,
        )


@pytest.fixture
def veille(tmp_path: Path) -> Veille:
    home = tmp_path / "home"
    home.mkdir()
    return Veille(home, tmp_path / "config.toml", tmp_path / "data")


# -- rules -------------------------------------------------------------------------------------

QUESTION_RULES = """
[[rule]]
id = "q"
label = "question"
regex = "\\\\?"

[[rule]]
id = "complaint"
label = "complaint"
words = ["broken", "refund", "cassé", "remboursement"]
"""


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """A small rule directory of our own, so the tests do not depend on the packs' tuning."""
    d = tmp_path / "rules"
    d.mkdir()
    (d / "hostile.toml").write_text(QUESTION_RULES, encoding="utf-8")
    return d
