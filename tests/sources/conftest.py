"""Local HTTP servers and an in-memory keyring for the source tests.

Every test talks real HTTP to a ThreadingHTTPServer on 127.0.0.1 started
here; routes are small functions, so misbehaving servers (stalls, drips,
floods, bombs, loops) are a few lines each.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from sources.http import FetchLimits
from tests.keyrings import MemoryKeyring, installed

FIXTURES = Path(__file__).parent / "fixtures"

# Small caps and deadlines so misbehaving servers are caught in well under a second.
TEST_LIMITS = FetchLimits(
    total=1.5,
    connect=1.0,
    read=0.5,
    max_bytes=1024 * 1024,
    max_decoded=2 * 1024 * 1024,
    max_redirects=3,
)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    query_list: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


Handler = Callable[["Request"], object]


class Request(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence
        pass

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        self.seen = Seen(
            self.command,
            parts.path,
            dict(pairs),
            pairs,
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        self.server.app.requests.append(self.seen)
        handler = self.server.app.routes.get(parts.path)
        if handler is None:
            self.reply(404, b"not here", "text/plain")
            return
        try:
            handler(self)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_HEAD = _dispatch

    def reply(
        self,
        status: int = 200,
        body: bytes = b"",
        content_type: str = "application/xml",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: App

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on purpose (caps, deadlines) are the point of these tests


@dataclass
class App:
    base: str = ""
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def static(
        self,
        path: str,
        body: bytes,
        content_type: str = "application/xml",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> str:
        return self.route(path, lambda r: r.reply(status, body, content_type, headers))

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]


@pytest.fixture
def server() -> Iterator[App]:
    app = App()
    httpd = _Server(("127.0.0.1", 0), Request)
    httpd.app = app
    app.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield app
    finally:
        app.stopping.set()  # releases stalling handlers
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed() as ring:
        yield ring
