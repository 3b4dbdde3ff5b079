"""Reloads while the app runs: new rules take effect, a broken file keeps its last good."""

from __future__ import annotations

import os
import time
from pathlib import Path

from rules import RuleWatcher
from tests.rules.conftest import FakePost

V1 = '[[rule]]\nid = "vip"\nlabel = "vip"\nwords = ["alpha"]\n'
V2 = '[[rule]]\nid = "vip"\nlabel = "vip"\nwords = ["beta"]\n'
BROKEN = '[[rule]]\nid = "vip"\nlabel = "vip"\nwords = ["gamma"\n'


def touch(path: Path, text: str, bump: int) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))


def labels(w: RuleWatcher, text: str) -> tuple[str, ...]:
    return w.current.classify(FakePost(text=text)).labels


def test_poll_reloads_and_keeps_last_good(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({"mine.toml": V1})
    w = RuleWatcher([d])
    assert w.errors == [] and "vip" in labels(w, "alpha")
    assert w.poll() is False

    touch(d / "mine.toml", V2, 1)
    assert w.poll() is True
    assert "vip" in labels(w, "beta") and "vip" not in labels(w, "alpha")

    touch(d / "mine.toml", BROKEN, 2)
    assert w.poll() is True
    assert len(w.errors) == 1 and w.errors[0].path.endswith("mine.toml")
    assert w.current.errors == w.errors
    assert "vip" in labels(w, "beta")  # last good version still in force
    assert w.poll() is False

    touch(d / "mine.toml", V1, 3)
    assert w.poll() is True
    assert w.errors == [] and "vip" in labels(w, "alpha")


def test_new_and_removed_files_are_seen(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({"mine.toml": V1})
    w = RuleWatcher([d])
    (d / "more.toml").write_text(V2.replace('"vip"', '"more"'), encoding="utf-8")
    assert w.poll() is True
    assert "more" in labels(w, "beta")
    (d / "more.toml").unlink()
    assert w.poll() is True
    assert "more" not in labels(w, "beta")


def test_broken_from_the_start_has_no_last_good(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({"mine.toml": BROKEN})
    w = RuleWatcher([d])
    assert len(w.errors) == 1
    assert "vip" not in labels(w, "gamma")
    assert "question" in labels(w, "How do I pay?")  # the packs still work


def test_a_file_caught_empty_mid_write_is_not_the_last_good(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({"mine.toml": V1})
    w = RuleWatcher([d])
    touch(d / "mine.toml", "", 1)  # truncated, not yet written
    assert w.poll() is True
    assert "vip" not in labels(w, "alpha")  # the empty file is what is on disk now
    touch(d / "mine.toml", BROKEN, 2)  # then the half-written edit lands
    assert w.poll() is True
    assert "vip" in labels(w, "alpha")  # back to the version before the empty one


def test_settle_waits_for_a_file_to_stop_changing(tmp_path: Path) -> None:
    f = tmp_path / "user.toml"
    f.write_text(
        '[[rule]]\nid = "a"\nlabel = "question"\nwords = ["acme help"]\n', encoding="utf-8"
    )
    w = RuleWatcher([tmp_path], settle=True)
    f.write_text("\n", encoding="utf-8")  # caught between truncating and writing
    os.utime(f, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert w.poll() is False, "a change is not loaded on the poll that first sees it"
    f.write_text(
        '[[rule]]\nid = "a"\nlabel = "question"\nwords = ["acme help"]\n', encoding="utf-8"
    )
    os.utime(f, ns=(time.time_ns() + 2 * 10**9, time.time_ns() + 2 * 10**9))
    assert w.poll() is False  # it changed again: still settling
    assert w.poll() is True  # the same twice in a row: loaded
    assert [r["id"] for r in w.current.rules_summary() if r["id"] == "a"] == ["a"]
