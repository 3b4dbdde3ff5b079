"""The local HTTP server the source and hostile suites talk to.

A ThreadingHTTPServer on 127.0.0.1 whose routes are small functions, so a
misbehaving server (a stall, a drip, a flood, a 429 storm) is a few lines in the
test that needs it. Every request is recorded as a `Seen`, so tests can check
what veille actually sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sources.http import FetchLimits

__all__ = ["Request", "Route", "Seen", "Web", "quick_limits", "serve"]


def quick_limits(*, connect: float, max_bytes: int, max_decoded: int) -> FetchLimits:
    """Deadlines short enough that a misbehaving server is caught in about a second, not
    thirty; each suite picks the connect timeout and size caps its tests are written for."""
    return FetchLimits(
        total=1.5,
        connect=connect,
        read=0.5,
        max_bytes=max_bytes,
        max_decoded=max_decoded,
        max_redirects=3,
    )


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]  # the last value of each name
    query_list: list[tuple[str, str]]  # every pair, in order, for repeated names
    headers: dict[str, str]  # names in lower case
    body: bytes


class Request(BaseHTTPRequestHandler):
    """Records the request, then hands it to the route registered for its path."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out separately: no 40 ms delayed ACK
    server: _Server
    seen: Seen

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the log
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
        web = self.server.web
        with web.lock:
            web.requests.append(self.seen)
        route = web.routes.get(parts.path)
        try:
            if route is None:
                self.reply(404, b'{"error": "not here"}', "application/json")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_HEAD = _dispatch

    def reply(
        self,
        status: int = 200,
        body: bytes | str = b"",
        content_type: str = "application/xml",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


Route = Callable[[Request], object]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    web: Web

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on purpose (caps, deadlines) are the point of these tests


@dataclass
class Web:
    """The routes one test serves and the requests they received."""

    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)  # set at teardown

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, fn: Route) -> str:
        self.routes[path] = fn
        return self.url(path)

    def static(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "application/xml",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> str:
        return self.route(path, lambda r: r.reply(status, body, content_type, headers))

    def hits(self, path: str) -> list[Seen]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


@contextmanager
def serve() -> Iterator[Web]:
    """A server on a free port for the duration of the block; stalling routes are released."""
    web = Web()
    httpd = _Server(("127.0.0.1", 0), Request)
    httpd.web = web
    web.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield web
    finally:
        web.stopping.set()  # releases routes that wait on it
        httpd.shutdown()
        httpd.server_close()
