from __future__ import annotations

from pathlib import Path

from inbox.config import load_config


def test_no_file_is_the_demo(tmp_path: Path) -> None:
    cfg = load_config(tmp_path / "absent.toml")
    assert cfg.is_demo and not cfg.exists and not cfg.errors


def test_full_config(tmp_path: Path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(
        """
[veille]
brand = "Acme"
teammates = ["sam", "léa"]
archive_after_days = 10
[topic]
keywords = ["acme"]
exclude_authors = ["@spammer"]
[sla]
question = 5
[[source]]
kind = "feed"
url = "https://example.org/feed"
""",
        encoding="utf-8",
    )
    cfg = load_config(p)
    assert not cfg.errors
    assert cfg.brand == "Acme" and cfg.teammates == ["sam", "léa"]
    assert cfg.archive_after_days == 10 and cfg.sla == {"question": 5}
    assert cfg.topic.keywords == ["acme"] and cfg.sources[0]["kind"] == "feed"
    assert not cfg.is_demo


def test_syntax_error_names_line(tmp_path: Path) -> None:
    p = tmp_path / "config.toml"
    p.write_text('[veille]\nbrand = "x"\nuser = \n', encoding="utf-8")
    cfg = load_config(p)
    assert len(cfg.errors) == 1
    assert str(cfg.errors[0]).startswith(f"{p}:3:8: TOML syntax")
    assert cfg.is_demo  # the rest keeps working on defaults


def test_deep_nesting_is_one_error(tmp_path: Path) -> None:
    p = tmp_path / "config.toml"
    p.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    cfg = load_config(p)
    assert len(cfg.errors) == 1 and "TOML" in str(cfg.errors[0])


def test_wrong_types_are_reported(tmp_path: Path) -> None:
    p = tmp_path / "config.toml"
    p.write_text(
        '[veille]\nteammates = "sam"\narchive_after_days = -1\n[sla]\nquestion = "soon"\n',
        encoding="utf-8",
    )
    msgs = [str(e) for e in load_config(p).errors]
    assert any("teammates must be a list" in m for m in msgs)
    assert any("archive_after_days" in m for m in msgs)
    assert any("sla.question" in m for m in msgs)


def test_brand_words_are_the_brand_its_aliases_and_the_topic(tmp_path: Path) -> None:
    demo = load_config(tmp_path / "absent.toml")
    assert demo.brand_words.split() == ["Nimbus", "نيمبس"]
    p = tmp_path / "config.toml"
    p.write_text('[veille]\nbrand = "Acme"\n\n[topic]\nhashtags = ["#acme"]\n', encoding="utf-8")
    own = load_config(p)
    assert own.brand_words.split() == ["Acme", "#acme"]  # the demo's alias is gone
    p.write_text('[veille]\nbrand = "Acme"\nbrand_aliases = "أكمي"\n', encoding="utf-8")
    bad = load_config(p)
    assert [str(e) for e in bad.errors] == [f"{p}:3: brand_aliases must be a list of strings"]
