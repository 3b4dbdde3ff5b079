"""Local HTTP servers and an in-memory keyring for the source tests.

Every test talks real HTTP to the server of tests/localhttp.py on 127.0.0.1;
routes are small functions, so misbehaving servers (stalls, drips, floods,
bombs, loops) are a few lines each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.keyrings import MemoryKeyring, installed
from tests.localhttp import Web, quick_limits, serve

FIXTURES = Path(__file__).parent / "fixtures"

# Small caps and deadlines so misbehaving servers are caught in well under a second.
TEST_LIMITS = quick_limits(connect=1.0, max_bytes=1024 * 1024, max_decoded=2 * 1024 * 1024)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def server() -> Iterator[Web]:
    with serve() as web:
        yield web


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed() as ring:
        yield ring
