"""The behaviour every `Store` must have, run against each implementation.

A test class mixes `StoreContract` in and provides `store` (a fresh, empty
store) and, for durable stores, `reopen` (close and open the same data again).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from inbox.store import Store, StoreError, delete, patch, put

Reopen = Callable[[Store], Store]


class StoreContract:
    durable = False

    @pytest.fixture
    def store(self) -> Store:  # pragma: no cover - provided by the concrete class
        raise NotImplementedError

    def reopen(self, store: Store) -> Store:
        pytest.skip("not a durable store")

    def test_put_get_count_items(self, store: Store) -> None:
        store.apply([put("m", "a", {"n": 1}), put("m", "b", {"n": 2}), put("t", "a", {"x": True})])
        assert store.get("m", "a") == {"n": 1}
        assert store.get("t", "a") == {"x": True}
        assert store.count("m") == 2
        assert dict(store.items("m")) == {"a": {"n": 1}, "b": {"n": 2}}

    def test_unknown_table_and_key(self, store: Store) -> None:
        assert store.get("nope", "k") is None
        assert store.count("nope") == 0
        assert list(store.items("nope")) == []
        store.apply([put("m", "a", {})])
        assert store.get("m", "zz") is None

    def test_put_replaces_whole_document(self, store: Store) -> None:
        store.apply([put("m", "a", {"n": 1, "old": True})])
        store.apply([put("m", "a", {"n": 2})])
        assert store.get("m", "a") == {"n": 2}

    def test_patch_merges_top_level_fields(self, store: Store) -> None:
        store.apply([put("m", "a", {"n": 1, "tags": ["x"], "state": "open"})])
        store.apply([patch("m", "a", {"state": "done", "tags": ["y"]})])
        assert store.get("m", "a") == {"n": 1, "tags": ["y"], "state": "done"}

    def test_patch_of_missing_document_does_nothing(self, store: Store) -> None:
        store.apply([patch("m", "ghost", {"state": "done"})])
        assert store.get("m", "ghost") is None
        assert store.count("m") == 0

    def test_delete(self, store: Store) -> None:
        store.apply([put("m", "a", {"n": 1}), put("m", "b", {"n": 2})])
        store.apply([delete("m", "a"), delete("m", "never-was")])
        assert store.get("m", "a") is None
        assert store.count("m") == 1

    def test_ops_in_a_batch_apply_in_order(self, store: Store) -> None:
        store.apply(
            [
                put("m", "a", {"n": 1}),
                patch("m", "a", {"n": 2}),
                delete("m", "a"),
                put("m", "a", {"n": 3}),
                patch("m", "a", {"m": 4}),
            ]
        )
        assert store.get("m", "a") == {"n": 3, "m": 4}

    def test_empty_batch_is_fine(self, store: Store) -> None:
        store.apply([])
        assert store.count("m") == 0

    def test_stored_document_is_not_the_callers_dict(self, store: Store) -> None:
        tags = ["a"]
        doc = {"n": 1, "tags": tags}
        store.apply([put("m", "a", doc)])
        doc["n"] = 99
        tags.append("b")
        assert store.get("m", "a") == {"n": 1, "tags": ["a"]}

    def test_unicode_and_odd_keys(self, store: Store) -> None:
        text = "Merci ! لماذا لا يعمل التطبيق؟ 👍 \u200f\u202e naïve"
        keys = ["mastodon:1", "a/b", "with space", "é", "x" * 300]
        store.apply([put("m", k, {"text": text, "k": k}) for k in keys])
        for k in keys:
            assert store.get("m", k) == {"text": text, "k": k}

    def test_items_is_a_snapshot(self, store: Store) -> None:
        store.apply([put("m", str(i), {"i": i}) for i in range(50)])
        seen = 0
        for key, _doc in store.items("m"):
            store.apply([delete("m", key), put("m", f"new{key}", {})])
            seen += 1
        assert seen == 50

    def test_archive_moves_documents(self, store: Store) -> None:
        store.apply([put("m", f"k{i}", {"i": i}) for i in range(6)])
        moved = store.archive("m", {"2026-10": ["k1", "k2"], "2026-09": ["k0"]})
        assert moved == 3
        assert store.count("m") == 3
        assert store.get("m", "k1") is None
        assert {k for k, _ in store.items("m")} == {"k3", "k4", "k5"}
        assert [d["i"] for d in store.iter_archive("m")] == [0, 1, 2]  # oldest month first

    def test_archive_ignores_missing_keys_and_appends(self, store: Store) -> None:
        store.apply([put("m", f"k{i}", {"i": i}) for i in range(4)])
        assert store.archive("m", {"2026-10": ["nope"]}) == 0
        assert store.archive("m", {"2026-10": ["k0"]}) == 1
        assert store.archive("m", {"2026-10": ["k1", "k0"], "2026-11": ["k2"]}) == 2
        assert sorted(d["i"] for d in store.iter_archive("m")) == [0, 1, 2]
        assert list(store.iter_archive("other")) == []

    def test_archived_key_can_live_again(self, store: Store) -> None:
        store.apply([put("m", "a", {"v": 1})])
        store.archive("m", {"2026-10": ["a"]})
        store.apply([put("m", "a", {"v": 2})])
        assert store.get("m", "a") == {"v": 2}
        assert list(store.iter_archive("m")) == [{"v": 1}]
        store.archive("m", {"2026-10": ["a"]})  # closed again: both moves are history
        assert list(store.iter_archive("m")) == [{"v": 1}, {"v": 2}]

    def test_compact_keeps_everything(self, store: Store) -> None:
        store.apply([put("m", f"k{i}", {"i": i}) for i in range(100)])
        store.apply([patch("m", "k1", {"p": True}), delete("m", "k2")])
        store.compact()
        store.apply([put("m", "after", {})])
        assert store.count("m") == 100
        assert store.get("m", "k1") == {"i": 1, "p": True}

    def test_concurrent_apply_from_threads(self, store: Store) -> None:
        def work(t: int) -> None:
            for i in range(50):
                store.apply([put("m", f"{t}-{i}", {"t": t, "i": i})])

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert store.count("m") == 200

    # ------------------------------------------------------------ durability

    def test_everything_survives_reopen(self, store: Store) -> None:
        store.apply([put("m", f"k{i}", {"i": i, "text": "é ✓"}) for i in range(20)])
        store.apply([patch("m", "k3", {"state": "done"}), delete("m", "k4")])
        store.archive("m", {"2026-08": ["k5"], "2026-09": ["k6"]})
        store.apply([put("d", "k3", {"draft": "Bonjour"})])
        again = self.reopen(store)
        try:
            assert again.count("m") == 17
            assert again.get("m", "k3") == {"i": 3, "text": "é ✓", "state": "done"}
            assert again.get("m", "k4") is None
            assert again.get("d", "k3") == {"draft": "Bonjour"}
            assert [d["i"] for d in again.iter_archive("m")] == [5, 6]
        finally:
            again.close()

    def test_survives_reopen_after_compaction(self, store: Store) -> None:
        store.apply([put("m", f"k{i}", {"i": i}) for i in range(20)])
        store.compact()
        store.apply([patch("m", "k0", {"p": 1}), delete("m", "k1")])
        store.compact()
        store.apply([put("m", "late", {"x": 1})])
        again = self.reopen(store)
        try:
            assert again.count("m") == 20
            assert again.get("m", "k0") == {"i": 0, "p": 1}
            assert again.get("m", "late") == {"x": 1}
        finally:
            again.close()

    def test_closed_store_refuses_writes(self, store: Store) -> None:
        if not self.durable:
            pytest.skip("MemoryStore has nothing to close")
        store.close()
        with pytest.raises(StoreError):
            store.apply([put("m", "a", {})])
