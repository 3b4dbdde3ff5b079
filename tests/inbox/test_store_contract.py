"""The store contract, run against the reference MemoryStore and the real JournalStore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox.journal_store import JournalStore
from inbox.store import MemoryStore, Store
from tests.inbox.store_contract import StoreContract


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> Store:
        return MemoryStore()


class TestJournalStore(StoreContract):
    durable = True

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        s = JournalStore.open(tmp_path / "data")
        yield s
        s.close()

    def reopen(self, store: Store) -> Store:
        assert isinstance(store, JournalStore)
        store.close()
        return JournalStore.open(store.data_dir)


class TestJournalStoreCompactingAlways(TestJournalStore):
    """Same contract while the background compactor runs after every batch."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        s = JournalStore.open(tmp_path / "data", compact_batches=1)
        yield s
        s.close()

    def reopen(self, store: Store) -> Store:
        assert isinstance(store, JournalStore)
        store.close()
        return JournalStore.open(store.data_dir, compact_batches=1)
