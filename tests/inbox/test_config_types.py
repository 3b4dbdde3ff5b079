"""Every value of the wrong type in config.toml is named, with its line, never dropped silently.

A `brand = 5` or an `[alerts] threshold = "high"` used to fall back to the default
without a word, so the user saw the demo brand or no alerts and no reason why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox.config import load_config


def errors_of(tmp_path: Path, text: str) -> list[str]:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    cfg = load_config(p)
    return [str(e).removeprefix(f"{p}:") for e in cfg.errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[veille]\nbrand = 5\n", "2: veille.brand must be a string"),
        ('[veille]\nuser = ["a"]\n', "2: veille.user must be a string"),
        ("[veille]\nreply_from = 1\n", "2: veille.reply_from must be a string"),
        ("[veille]\ntheme = true\n", "2: veille.theme must be a string"),
        ('veille = "flat"\n', "1: [veille] must be a table"),
        ("topic = 5\n", "1: [topic] must be a table"),
        ("rules = [1, 2]\n", "1: [rules] must be a table"),
        ("sla = 5\n", "1: [sla] must be a table"),
        ("keys = 5\n", "1: [keys] must be a table"),
        ("alerts = 5\n", "1: [alerts] must be a table"),
        ("replies = 5\n", "1: [replies] must be a table"),
        ("[keys]\ndone = 5\n", "2: keys.done must be a string of keys"),
        ('[alerts]\nthreshold = "high"\n', "2: alerts.threshold must be a number at least 1"),
        ("[alerts]\nwindow_days = 0\n", "2: alerts.window_days must be a number at least 1"),
        ("[alerts]\nmin_count = true\n", "2: alerts.min_count must be a number at least 1"),
        ("[alerts]\ncommand = [1]\n", "2: alerts.command must be a string or a list of strings"),
        ("[replies]\nfile = 5\n", "2: replies.file must be a string"),
    ],
)
def test_a_wrong_type_is_an_error_on_its_line(tmp_path: Path, text: str, expected: str) -> None:
    assert errors_of(tmp_path, text) == [expected]


def test_good_values_give_no_error(tmp_path: Path) -> None:
    text = (
        '[veille]\nbrand = "Acme"\nuser = "alex"\nreply_from = "@acme"\ntheme = "dark"\n'
        '[keys]\ndone = "d"\n[alerts]\nwindow_days = 7\nthreshold = 2.5\nmin_count = 5\n'
        'command = ["notify-send", "veille"]\n[replies]\nfile = "replies.toml"\n'
    )
    assert errors_of(tmp_path, text) == []


def test_a_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    assert errors_of(tmp_path, '[veille]\nbrand = "x"\nuser = \n') == [
        "3:8: TOML syntax: Invalid value"
    ]
