"""A source that cannot be reached says why in words a user can act on."""

from __future__ import annotations

import socket

import httpx
import pytest

from sources.feed import FeedSource
from sources.http import make_client
from sources.poller import Poller
from tests.localhttp import Request, Web

from .conftest import TEST_LIMITS


def _client() -> httpx.AsyncClient:
    return make_client(TEST_LIMITS, trust_env=False)


async def _error(url: str) -> str:
    poller = Poller([FeedSource("f", url, limits=TEST_LIMITS)], client_factory=_client)
    (report,) = await poller.poll_once()
    assert not report.ok
    return report.error


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_nothing_listening() -> None:
    error = await _error(f"http://127.0.0.1:{_closed_port()}/feed")
    assert error == "127.0.0.1 refused the connection: the server is down or the address is wrong"


async def test_https_to_a_plain_http_server(server: Web) -> None:
    server.static("/feed", b"<rss/>")
    error = await _error(server.url("/feed").replace("http://", "https://"))
    assert error == "could not open a secure connection to 127.0.0.1 (TLS failed): check https/http"


async def test_server_hanging_up_mid_answer(server: Web) -> None:
    def hang_up(r: Request) -> None:
        r.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n<rss>")
        r.wfile.flush()
        r.close_connection = True
        r.connection.shutdown(socket.SHUT_RDWR)

    server.route("/feed", hang_up)
    error = await _error(server.url("/feed"))
    assert error == "lost the connection to 127.0.0.1 before its answer was complete"


async def test_unknown_server_name() -> None:
    try:
        socket.getaddrinfo("no-such-host.invalid", 80)
    except socket.gaierror:
        pass
    else:  # a resolver that answers for every name (some ISPs): nothing to test here
        pytest.skip("this resolver answers for .invalid names")
    error = await _error("http://no-such-host.invalid/feed")
    assert error.startswith("could not find the server no-such-host.invalid")
    assert "Errno" not in error
