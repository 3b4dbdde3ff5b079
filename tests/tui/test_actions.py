"""Snooze answers and the keymap, without a UI."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tui.actions import parse_snooze
from tui.keys import ACTIONS, bindings, keymap_from_config

NOW = datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)


def test_parse_snooze() -> None:
    assert parse_snooze("30m", NOW) == NOW + timedelta(minutes=30)
    assert parse_snooze("=2h", NOW) == NOW + timedelta(hours=2)
    assert parse_snooze("3 days", NOW) == NOW + timedelta(days=3)
    assert parse_snooze("author", NOW) == "author"
    at = parse_snooze("17:30", NOW)
    assert isinstance(at, datetime) and at > NOW and (at - NOW) < timedelta(days=1)
    earlier = parse_snooze("9:00", NOW)
    assert isinstance(earlier, datetime) and earlier.date() > NOW.astimezone().date()
    for bad in ("", "soon", "0m", "25:00", "12:61"):
        assert parse_snooze(bad, NOW) is None


def test_every_action_has_an_id_and_a_tooltip() -> None:
    ids = [b.id for b in bindings()]
    assert len(ids) == len(set(ids)) == len(ACTIONS)
    assert all(b.tooltip for b in bindings())


def test_keymap_from_config() -> None:
    keymap, errors = keymap_from_config({"done": "D", "quit": "q, ctrl+q", "fly": "f", "spam": ""})
    assert keymap == {"done": "D", "quit": "q,ctrl+q"}
    assert errors == ["[keys] fly: no such action", "[keys] spam: empty key"]


def test_keymap_refuses_keys_taken_and_allows_swaps() -> None:
    keymap, errors = keymap_from_config({"done": "/"})  # "/" is the filter's key, slash
    assert keymap == {} and errors == [
        "[keys] done: slash is already the key of filter; done stays on d"
    ]
    assert keymap_from_config({"done": "x", "spam": "d"}) == ({"done": "x", "spam": "d"}, [])
    assert keymap_from_config({"help": "?"}) == ({"help": "question_mark"}, [])
