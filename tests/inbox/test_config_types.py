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
        (
            '[alerts]\nthreshold = "high"\n',
            "2: alerts.threshold must be a number from 1 to 1000000",
        ),
        ("[alerts]\nwindow_days = 0\n", "2: alerts.window_days must be a number from 1 to 1000000"),
        ("[alerts]\nmin_count = true\n", "2: alerts.min_count must be a number from 1 to 1000000"),
        ("[alerts]\ncommand = [1]\n", "2: alerts.command must be a string or a list of strings"),
        ("[replies]\nfile = 5\n", "2: replies.file must be a string"),
        (
            "[veille]\narchive_after_days = true\n",
            "2: archive_after_days must be a positive integer",
        ),
        ("[sla]\nquestion = true\n", "2: sla.question must be a positive number of minutes"),
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


@pytest.mark.parametrize(
    ("key", "mark"),
    [("keywords", ""), ("exclude_phrases", ""), ("hashtags", "#"), ("exclude_authors", "@")],
)
def test_a_blank_topic_entry_is_an_error_and_left_out(tmp_path: Path, key: str, mark: str) -> None:
    # An empty string is in every text: one blank exclude_phrases entry filtered out every
    # post, a blank exclude_authors entry every post without an author, and a blank
    # keyword let every feed entry through.
    p = tmp_path / "config.toml"
    p.write_text(f'[topic]\n{key} = ["acme", " ", "{mark} "]\n', encoding="utf-8")
    cfg = load_config(p)
    assert getattr(cfg.topic, key) == ["acme"]
    assert [str(e) for e in cfg.errors] == [f"{p}:2: topic.{key}: blank entries left out"]


def test_blank_excluded_phrases_no_longer_filter_every_post(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import json

    from tui.cli import main

    cfg = tmp_path / "config.toml"
    cfg.write_text('[topic]\nexclude_phrases = ["", "nimbus 2000"]\nexclude_authors = [""]\n')
    posts = [{"text": "where is my order?"}, {"text": "my nimbus 2000 broom", "author": "h"}]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps(p) + "\n" for p in posts)))
    code = main(["--config", str(cfg), "--data-dir", str(tmp_path / "d"), "ingest", "-"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == "ingested 1 new, 0 duplicate, 1 filtered by topic, 0 bad lines\n"
