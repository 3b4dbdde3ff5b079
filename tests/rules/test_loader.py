"""Broken rule files: every kind gives `path:line:col: message`, never an exception."""

from __future__ import annotations

from pathlib import Path

from rules import RuleError, load_rules
from rules.engine import PACKS_DIR, rule_files

GOOD = """
[[rule]]
id = "vip"
label = "vip"
followers_at_least = 10000
"""


def errors_for(write_rules, text: str, name: str = "mine.toml") -> list[RuleError]:  # type: ignore[no-untyped-def]
    d = write_rules({name: text})
    rs = load_rules([d])
    return [e for e in rs.errors if e.path.endswith(name)]


def test_packs_load_clean() -> None:
    rs = load_rules()
    assert rs.errors == []
    assert rs.categories == ("question", "complaint", "suggestion", "praise", "other")
    assert rs.sla_minutes("question") == 15
    assert rs.sla_minutes("complaint") == 15
    assert rs.sla_minutes("praise") is None
    assert {p.name for p in rs.files} >= {"core.toml", "en.toml", "fr.toml", "ar.toml"}


def test_user_file_extends_packs(write_rules) -> None:  # type: ignore[no-untyped-def]
    rs = load_rules([write_rules({"mine.toml": GOOD})])
    assert rs.errors == []
    assert "vip" in rs.hits
    assert any(r.id == "en-complaint-strong" for r in rs.rules)


def test_user_file_with_a_pack_name_replaces_it(write_rules) -> None:  # type: ignore[no-untyped-def]
    rs = load_rules([write_rules({"en.toml": GOOD})])
    assert not any(r.id.startswith("en-") for r in rs.rules)
    assert any(r.id.startswith("fr-") for r in rs.rules)


def test_active_chooses_files(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({"mine.toml": GOOD})
    names = {p.name for p in rule_files([d], ["core", "mine"])}
    assert names == {"core.toml", "mine.toml"}


def test_syntax_error_has_line_and_column(write_rules) -> None:  # type: ignore[no-untyped-def]
    errs = errors_for(write_rules, '[[rule]]\nid = "x"\nlabel = "y\nwords = ["a"]\n')
    assert len(errs) == 1
    assert (errs[0].line, errs[0].col) == (3, 11)
    assert str(errs[0]).startswith(f"{errs[0].path}:3:11: TOML syntax")


def test_unknown_key_points_at_it_and_suggests(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        '[[rule]]\nid = "a"\nlabel = "a"\nwords = ["x"]\n\n'
        '[[rule]]\nid = "b"\nlabel = "b"\n  wrods = ["y"]\n'
    )
    errs = errors_for(write_rules, text)
    assert len(errs) == 1
    assert (errs[0].line, errs[0].col) == (9, 3)
    assert 'did you mean "words"' in errs[0].message


def test_unknown_top_level_key(write_rules) -> None:  # type: ignore[no-untyped-def]
    errs = errors_for(write_rules, 'categoreis = ["a"]\n' + GOOD)
    assert len(errs) == 1 and errs[0].line == 1
    assert 'did you mean "categories"' in errs[0].message


def test_unknown_key_inside_nested_condition(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = '[[rule]]\nid = "a"\nlabel = "a"\nany = [ { words = ["x"] }, { regx = "y" } ]\n'
    errs = errors_for(write_rules, text)
    assert len(errs) == 1
    assert errs[0].line == 4 and errs[0].col == 30
    assert 'did you mean "regex"' in errs[0].message


def test_bad_regex(write_rules) -> None:  # type: ignore[no-untyped-def]
    errs = errors_for(write_rules, '[[rule]]\nid = "a"\nlabel = "a"\nregex = "(oops"\n')
    assert len(errs) == 1
    assert errs[0].line == 4 and "bad regex" in errs[0].message


def test_a_large_repeat_count_is_refused_with_its_place(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = '[[rule]]\nid = "a"\nlabel = "a"\nany = [ { regex = "(x|y)[^z]{1,1000}z" } ]\n'
    errs = errors_for(write_rules, text)
    assert len(errs) == 1 and errs[0].line == 4
    assert "repeat count of 1000" in errs[0].message and "+ or *" in errs[0].message
    fine = '[[rule]]\nid = "a"\nlabel = "a"\nregex = ["x{2,}", "\\\\{1000\\\\}", "[{1,1000}]"]\n'
    assert errors_for(write_rules, fine) == []


def test_unknown_category(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = '[[rule]]\nid = "a"\ncategory = "complain"\nwords = ["x"]\n'
    errs = errors_for(write_rules, text)
    assert len(errs) == 1
    assert errs[0].line == 3
    assert "unknown category 'complain'" in errs[0].message
    assert 'did you mean "complaint"' in errs[0].message


def test_unknown_category_in_sla(write_rules) -> None:  # type: ignore[no-untyped-def]
    errs = errors_for(write_rules, "[sla]\nquestion = 5\nquestoin = 10\n")
    assert len(errs) == 1 and errs[0].line == 3


def test_deep_nesting_is_one_clear_error(write_rules) -> None:  # type: ignore[no-untyped-def]
    errs = errors_for(write_rules, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(errs) == 1
    assert "nested too deeply" in errs[0].message


def test_deeply_nested_conditions(write_rules) -> None:  # type: ignore[no-untyped-def]
    cond = "{ words = ['x'] }"
    for _ in range(400):
        cond = "{ not = " + cond + " }"
    errs = errors_for(write_rules, f'[[rule]]\nid = "a"\nlabel = "a"\nall = [{cond}]\n')
    assert len(errs) == 1
    assert "nested too deeply" in errs[0].message


def test_every_error_in_a_file_is_reported(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        '[[rule]]\nid = "a"\nlabel = "a"\nregex = "("\n'
        '[[rule]]\nid = "b"\nlabell = "b"\n'
        '[[rule]]\nlabel = "c"\n'
        '[[rule]]\nid = "d"\nwords = ["x"]\n'
    )
    errs = errors_for(write_rules, text)
    assert [e.line for e in errs] == [4, 7, 8, 11]
    assert "no effect" in errs[3].message


def test_duplicate_ids_and_bad_types(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = '[[rule]]\nid = "a"\nlabel = "a"\n[[rule]]\nid = "a"\nlabel = "b"\nboost = "lots"\n'
    msgs = [e.message for e in errors_for(write_rules, text)]
    assert any("boost must be a number" in m for m in msgs)


def test_broken_file_is_skipped_and_the_rest_still_works(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({"bad.toml": "[[rule]\n", "good.toml": GOOD})
    rs = load_rules([d])
    assert len(rs.errors) == 1 and rs.errors[0].path.endswith("bad.toml")
    assert "vip" in rs.hits


def test_unreadable_and_binary_files(write_rules) -> None:  # type: ignore[no-untyped-def]
    d = write_rules({})
    (d / "bin.toml").write_bytes(b"\xff\xfe\x00garbage")
    rs = load_rules([d])
    assert len(rs.errors) == 1 and "cannot read" in rs.errors[0].message


def test_priority_and_sentiment_sections_validate(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        "[priority]\nwait = 2\nreech = 1\n\n"
        "[sentiment]\npositive = 3\n\n[sentiment.fr]\nnegative = -0.2\n"
    )
    errs = errors_for(write_rules, text)
    assert [e.line for e in errs] == [3, 6]
    assert 'did you mean "reach"' in errs[0].message


def test_a_sentiment_phrase_is_named_where_only_words_count(write_rules) -> None:  # type: ignore[no-untyped-def]
    text = (
        '[sentiment.fr.words]\nrelou = -1.5\n"trop bien" = 2.5\n\n'
        '[sentiment.ar.words]\n"ما قصرتوا" = 2.0\n'  # Arabic phrases are scored
    )
    errs = errors_for(write_rules, text)
    assert [(e.line, e.col, e.message) for e in errs] == [
        (
            3,
            1,
            "'trop bien' is not one word: English and French sentiment words are single "
            "words (a rule's `words` can match a phrase)",
        )
    ]


def test_a_bad_sentiment_word_is_placed_at_its_entry(write_rules) -> None:  # type: ignore[no-untyped-def]
    inline = '[sentiment.en]\npositive = 0.1\nwords = { meh = -1, "so good" = 3 }\n'
    errs = errors_for(write_rules, inline)
    assert [(e.line, e.col) for e in errs] == [(3, 21)]
    assert "'so good' is not one word" in errs[0].message
    errs = errors_for(write_rules, "[sentiment.en.words]\nmeh = -1\nwow = 9\n")
    assert [(e.line, e.col, e.message) for e in errs] == [
        (3, 1, "'wow': words must map word = valence between -4 and 4")
    ]


def test_packs_dir_is_package_data() -> None:
    assert (PACKS_DIR / "core.toml").is_file()
    assert Path(PACKS_DIR).parent.name == "rules"


def test_unknown_table_is_placed_at_its_header(write_rules) -> None:  # type: ignore[no-untyped-def]
    errs = errors_for(write_rules, GOOD + "\n[priorty]\nbase = 1\n")
    assert len(errs) == 1 and 'did you mean "priority"' in errs[0].message
    assert (errs[0].line, errs[0].col) == (7, 1)
