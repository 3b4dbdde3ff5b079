"""Misbehaving servers on 127.0.0.1: each ends in one clear error, quickly."""

from __future__ import annotations

import gzip
import time
import tracemalloc

import pytest

from sources.base import SourceError
from sources.feed import FeedSource
from sources.http import FetchError, fetch, make_client, parse_retry_after
from tests.localhttp import Request, Web
from tests.xmlbombs import LAUGHS_DTD

from .conftest import TEST_LIMITS, fixture_bytes


async def poll_error(url: str) -> SourceError:
    src = FeedSource("bad", url, limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(SourceError) as info:
            await src.poll(client, {})
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 240
    return info.value


async def poll_error_and_peak(url: str) -> tuple[SourceError, int]:
    """`poll_error(url)` and the peak of Python memory it took: caps must stream, not buffer."""
    tracemalloc.start()
    try:
        err = await poll_error(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return err, peak


@pytest.mark.parametrize(
    ("status", "words"),
    [(500, "server error (500)"), (404, "not found"), (410, "gone"), (403, "refused access")],
)
async def test_error_statuses(server: Web, status: int, words: str) -> None:
    url = server.static("/x", b"nope", "text/plain", status=status)
    err = await poll_error(url)
    assert words in str(err)


async def test_429_retry_after_seconds(server: Web) -> None:
    url = server.static("/x", b"", "text/plain", 429, {"Retry-After": "120"})
    err = await poll_error(url)
    assert err.retry_after == 120.0
    assert "429" in str(err) and "asked to wait 2 min" in str(err)


async def test_503_retry_after_http_date(server: Web) -> None:
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 300))
    url = server.static("/x", b"", "text/plain", 503, {"Retry-After": when})
    err = await poll_error(url)
    assert err.retry_after is not None and 290 <= err.retry_after <= 301


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


async def test_redirect_followed_and_checked(server: Web) -> None:
    server.static("/feed", fixture_bytes("atom.xml"), "application/atom+xml")
    server.static("/old", b"", "text/plain", 301, {"Location": "/feed"})
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        res = await fetch(client, server.url("/old"), limits=TEST_LIMITS)
    assert res.url == server.url("/feed") and res.status == 200


async def test_redirect_loop(server: Web) -> None:
    server.static("/a", b"", "text/plain", 301, {"Location": "/b"})
    server.static("/b", b"", "text/plain", 301, {"Location": "/a"})
    err = await poll_error(server.url("/a"))
    assert "redirect loop" in str(err)


async def test_redirect_chain_too_long(server: Web) -> None:
    for i in range(6):
        server.static(f"/r{i}", b"", "text/plain", 302, {"Location": f"/r{i + 1}"})
    err = await poll_error(server.url("/r0"))
    assert "more than 3 redirects" in str(err)


async def test_redirect_to_file_scheme_refused(server: Web) -> None:
    server.static("/evil", b"", "text/plain", 302, {"Location": "file:///etc/passwd"})
    err = await poll_error(server.url("/evil"))
    assert "non-http(s)" in str(err)


async def test_stalling_server_times_out(server: Web) -> None:
    def stall(r: Request) -> None:
        r.server.web.stopping.wait(10)

    url = server.route("/stall", stall)
    t0 = time.monotonic()
    err = await poll_error(url)
    assert time.monotonic() - t0 < 3
    assert "timed out" in str(err) or "longer than" in str(err)


async def test_dripping_server_hits_total_deadline(server: Web) -> None:
    def drip(r: Request) -> None:
        r.send_response(200)
        r.send_header("Content-Type", "application/xml")
        r.send_header("Content-Length", "100000")
        r.end_headers()
        for _ in range(1000):  # a byte every 0.1 s: never trips a 0.5 s read timeout
            if r.server.web.stopping.wait(0.1):
                return
            r.wfile.write(b" ")
            r.wfile.flush()

    url = server.route("/drip", drip)
    t0 = time.monotonic()
    err = await poll_error(url)
    elapsed = time.monotonic() - t0
    assert "longer than 1.5 s" in str(err)
    assert elapsed < 3


def _flood(declare: bool):  # type: ignore[no-untyped-def]
    def handler(r: Request) -> None:
        r.send_response(200)
        r.send_header("Content-Type", "application/xml")
        if declare:
            r.send_header("Content-Length", str(50 * 1024 * 1024))
        else:
            r.send_header("Connection", "close")
        r.end_headers()
        chunk = b"<x>" + b"a" * 65530 + b"</x>"
        for _ in range(800):  # 50 MB
            r.wfile.write(chunk)

    return handler


@pytest.mark.parametrize("declare", [True, False])
async def test_50mb_body_capped(server: Web, declare: bool) -> None:
    url = server.route("/big", _flood(declare))
    err, peak = await poll_error_and_peak(url)
    assert "cap" in str(err)
    assert peak < 8 * 1024 * 1024  # streamed and stopped, never read whole


async def test_gzip_bomb_capped(server: Web) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < TEST_LIMITS.max_bytes  # small on the wire
    url = server.static("/bomb", bomb, "application/xml", headers={"Content-Encoding": "gzip"})
    err, peak = await poll_error_and_peak(url)
    assert "decompressed" in str(err)
    assert peak < 16 * 1024 * 1024


async def test_gzip_feed_decoded(server: Web) -> None:
    body = gzip.compress(fixture_bytes("atom.xml"))
    url = server.static("/gz", body, "application/atom+xml", headers={"Content-Encoding": "gzip"})
    src = FeedSource("gz", url, limits=TEST_LIMITS)
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        result = await src.poll(client, {})
    assert len(result.posts) == 2
    assert server.hits("/gz")[0].headers["accept-encoding"] == "gzip, deflate"


BILLION_LAUGHS = LAUGHS_DTD + (
    b'<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>\n'
    b"<link>https://x.example/1</link><description>Acme</description></item></channel></rss>\n"
)

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd" > ]>
<rss version="2.0"><channel><title>t</title><item><title>Acme &xxe;</title>
<link>https://x.example/2</link></item></channel></rss>
"""


def _repeated_entity() -> bytes:
    big = b"A" * 100_000
    refs = b"&big;" * 2000
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY big "' + big + b'">]>\n'
        b'<rss version="2.0"><channel><title>'
        + refs
        + b"</title><item><title>"
        + refs
        + b"</title><link>https://x.example/3</link></item></channel></rss>"
    )


@pytest.mark.parametrize(
    "payload",
    [BILLION_LAUGHS, XXE, _repeated_entity()],
    ids=["billion-laughs", "external-entity", "repeated-entity"],
)
async def test_entity_payloads_never_expand(server: Web, payload: bytes) -> None:
    url = server.static("/ent", payload)
    src = FeedSource("ent", url, limits=TEST_LIMITS)
    t0 = time.monotonic()
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        try:
            posts = (await src.poll(client, {})).posts
        except SourceError as exc:  # refusing is fine too; expanding is not
            assert "\n" not in str(exc)
            posts = []
    assert time.monotonic() - t0 < 2
    for p in posts:
        assert "lollollol" not in p.text and "root:" not in p.text
        assert len(p.title) <= 1_000 and len(p.text) <= 21_000
        assert "A" * 200_000 not in p.text


async def test_invalid_xml(server: Web) -> None:
    url = server.static("/broken", b"<?xml version='1.0'?><rss><channel><item><<<<")
    err = await poll_error(url)
    assert "feed" in str(err)


async def test_html_instead_of_feed(server: Web) -> None:
    html = b"<!DOCTYPE html><html><head><title>Acme</title></head><body><p>Hi</p></body></html>"
    url = server.static("/page", html, "text/html")
    err = await poll_error(url)
    assert "HTML page, not a feed" in str(err)


async def test_json_that_is_not_a_feed(server: Web) -> None:
    url = server.static("/j", b'{"hello": "world"}', "application/json")
    err = await poll_error(url)
    assert "JSON Feed" in str(err)


async def test_non_http_url_refused() -> None:
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(FetchError, match="non-http"):
            await fetch(client, "file:///etc/passwd", limits=TEST_LIMITS)


async def test_connection_refused_is_one_line() -> None:
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        with pytest.raises(FetchError) as info:
            await fetch(client, "http://127.0.0.1:9/feed", limits=TEST_LIMITS)
    assert (
        str(info.value)
        == "127.0.0.1 refused the connection: the server is down or the address is wrong"
    )


async def test_credentials_never_follow_a_redirect_to_another_origin(server: Web) -> None:
    other = server.base.replace("127.0.0.1", "localhost")
    server.static("/api", b"", "text/plain", 302, {"Location": f"{other}/landing"})
    server.static("/same", b"", "text/plain", 302, {"Location": "/landing"})
    server.static("/landing", b"{}", "application/json")
    async with make_client(TEST_LIMITS, trust_env=False) as client:
        for start in ("/api", "/same"):
            await fetch(
                client,
                server.url(start),
                headers={"Authorization": "Bearer tok"},
                limits=TEST_LIMITS,
            )
    cross, same = server.hits("/landing")
    assert "authorization" not in cross.headers
    assert same.headers["authorization"] == "Bearer tok"
