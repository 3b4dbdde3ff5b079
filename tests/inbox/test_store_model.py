"""Random histories: JournalStore, reopened and compacted at random, equals MemoryStore."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox.journal_store import JournalStore
from inbox.store import MemoryStore, Op, Store, delete, patch, put

tables = st.sampled_from(["m", "d"])
keys = st.sampled_from(["a", "b", "c", "mastodon:1", "é"])
values = st.one_of(
    st.integers(-(2**53), 2**53),
    st.text(max_size=20),
    st.booleans(),
    st.none(),
    st.lists(st.integers(0, 9), max_size=3),
    st.floats(allow_nan=False),
)
fields = st.dictionaries(st.sampled_from(["state", "n", "text", "tags"]), values, max_size=3)
ops = st.one_of(
    st.builds(put, tables, keys, fields),
    st.builds(patch, tables, keys, fields),
    st.builds(delete, tables, keys),
)
actions = st.one_of(
    st.lists(ops, min_size=1, max_size=4).map(lambda b: ("apply", b)),
    st.tuples(
        st.just("archive"), st.lists(keys, max_size=3), st.sampled_from(["2026-09", "2026-10"])
    ),
    st.just(("reopen",)),
    st.just(("compact",)),
)


def view(store: Store) -> dict[str, Any]:
    return {
        "live": {t: dict(store.items(t)) for t in ("m", "d")},
        "archive": sorted(repr(sorted(d.items())) for d in store.iter_archive("m")),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actions, max_size=25))
def test_random_history_matches_the_reference(history: list[tuple[Any, ...]]) -> None:
    model = MemoryStore()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = JournalStore.open(data, auto_compact=False)
        try:
            for action in history:
                if action[0] == "apply":
                    batch: list[Op] = action[1]
                    model.apply(batch)
                    store.apply(batch)
                elif action[0] == "archive":
                    moved = {action[2]: list(dict.fromkeys(action[1]))}
                    assert store.archive("m", moved) == model.archive("m", moved)
                elif action[0] == "reopen":
                    store.close()
                    store = JournalStore.open(data, auto_compact=False)
                else:
                    store.compact()
                assert view(store) == view(model)
            store.close()
            store = JournalStore.open(data, read_only=True)
            assert view(store) == view(model)
        finally:
            store.close()
