"""Rule files written badly, maliciously or half-way: one clear error, the last good rules kept.

Covers every kind of syntax error a TOML file can carry, unknown keys, regular
expressions that backtrack catastrophically under Python's `re`, a rule matching
everything, a thousand rules, numbers that overflow, and a rule file deleted or
caught half-written while a `RuleWatcher` (and the running console) watches it.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from rules import RuleWatcher, load_rules
from rules.engine import parse_file
from sources.models import Post
from tests.tui.conftest import running, wait_for

from .conftest import Veille

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from tui.app import VeilleApp
    from tui.context import Context

POS = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$")
GOOD = """
[[rule]]
id = "acme-question"
label = "question"
words = ["acme help"]
"""


def post(text: str) -> Post:
    return Post(id="t:1", text=text, created_at=datetime(2026, 11, 20, tzinfo=timezone.utc))


def errors_of(tmp_path: Path, text: str | bytes, name: str = "user.toml") -> list[str]:
    d = tmp_path / "r"
    d.mkdir(exist_ok=True)
    f = d / name
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text, encoding="utf-8")
    rs = load_rules([d])
    return [str(e) for e in rs.errors]


SYNTAX = {
    "unclosed-string": ('[[rule]]\nid = "a\nlabel = "question"\n', 2),
    "unclosed-table": ("[[rule]\nid = 'a'\n", 1),
    "bare-value": ("[[rule]]\nid = 'a'\nlabel = question\n", 3),
    "duplicate-key": ("[[rule]]\nid = 'a'\nid = 'b'\nlabel = 'x'\n", 3),
    "missing-equals": ("[[rule]]\nid 'a'\n", 2),
    "bad-escape": ('[[rule]]\nid = "a"\nregex = "\\d+"\nlabel = "x"\n', 3),
    "unclosed-array": ("[[rule]]\nid = 'a'\nwords = ['x', 'y'\nlabel = 'q'\n", 4),
    "table-redefined": ("[sla]\nquestion = 5\n[sla]\ncomplaint = 5\n", 3),
    "invalid-number": ("[priority]\nbase = 1.2.3\n", 2),
    "invalid-date": ("[[rule]]\nid = 'a'\nlabel = 'x'\nwhen = 2026-13-45\n", 4),
    "deep-nesting": ("x = " + "[" * 5000 + "]" * 5000 + "\n", 1),
    "nul-byte": ("[[rule]]\nid = 'a\x00'\nlabel = 'x'\n", 2),
    "inline-table-newline": ("[[rule]]\nid = 'a'\nany = [{ words = 'x',\n label = 'y' }]\n", 3),
}


@pytest.mark.parametrize(("text", "line"), list(SYNTAX.values()), ids=list(SYNTAX))
def test_every_syntax_error_is_one_placed_line(tmp_path: Path, text: str, line: int) -> None:
    errs = errors_of(tmp_path, text)
    assert len(errs) == 1, errs
    m = POS.match(errs[0])
    assert m, errs[0]
    assert m["path"].endswith("user.toml")
    assert abs(int(m["line"]) - line) <= 1, errs[0]
    assert "\n" not in errs[0] and len(errs[0]) < 400


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe\x00[\x00[\x00r", b"\x89PNG\r\n\x1a\n\x00\x00", b"[[rule]]\nid = '\xe9'\n"],
    ids=["empty", "utf16", "binary", "latin1"],
)
def test_unreadable_files_are_one_error_or_nothing(tmp_path: Path, data: bytes) -> None:
    errs = errors_of(tmp_path, data)
    assert len(errs) <= 1
    assert all(POS.match(e) for e in errs)


def test_unknown_keys_are_named_with_a_suggestion(tmp_path: Path) -> None:
    text = GOOD + '\n[[rule]]\nid = "b"\nlable = "question"\n\n[[rule]]\nid = "c"\nwrods = ["x"]\n'
    errs = errors_of(tmp_path, text)
    joined = "\n".join(errs)
    assert 'did you mean "label"' in joined and 'did you mean "words"' in joined
    lines = {int(POS.match(e)["line"]) for e in errs}  # type: ignore[index]
    assert lines == {9, 13}, errs


def test_unknown_table_is_placed_at_its_header(tmp_path: Path) -> None:
    errs = errors_of(tmp_path, GOOD + "\n[priorty]\nbase = 1\n")
    assert len(errs) == 1 and 'did you mean "priority"' in errs[0]
    assert POS.match(errs[0])["line"] == "7", errs  # type: ignore[index]


CATASTROPHIC = [r"^(\w+\s?)+$", r"(a+)+b", r"(x+x+)+y", r"^(([a-z])+.)+[A-Z]([a-z])+$"]


def test_catastrophic_regexes_run_in_linear_time(tmp_path: Path) -> None:
    rules = "\n".join(
        f'[[rule]]\nid = "r{i}"\nlabel = "complaint"\nregex = {json.dumps(p)}\n'
        for i, p in enumerate(CATASTROPHIC)
    )
    assert errors_of(tmp_path, rules) == []
    rs = load_rules([tmp_path / "r"])
    for text in (
        "a" * 41 + "!",
        "x" * 5000 + "!",
        "word " * 2000 + "!",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ):
        t0 = time.perf_counter()
        rs.classify(post(text))
        assert time.perf_counter() - t0 < 0.2, f"{text[:20]}… took too long"


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("(a)\\1", "backreference"),
        ("(?<=a)b", "lookbehind"),
        ("[z-a]", "range"),
        ("x" * 600, "long"),
    ],
)
def test_regexes_re2_refuses_are_clear_errors(tmp_path: Path, pattern: str, why: str) -> None:
    errs = errors_of(
        tmp_path, f'[[rule]]\nid = "r"\nlabel = "question"\nregex = {json.dumps(pattern)}\n'
    )
    assert len(errs) == 1 and POS.match(errs[0]), errs
    assert ":4:" in errs[0]  # the regex line


OVERFLOW = """
[[rule]]
id = "everything"
label = "question"
regex = ""
multiply = 1e308

[[rule]]
id = "everything-again"
label = "praise"
regex = ".*"
boost = 1e308
multiply = 1e308

[[rule]]
id = "zero"
label = "spamish"
words = ["hello"]
multiply = 0
"""


def test_rule_matching_everything(tmp_path: Path) -> None:
    assert errors_of(tmp_path, OVERFLOW) == []
    rs = load_rules([tmp_path / "r"])
    for t in ("", "hello", "anything at all", "مرحبا"):
        v = rs.classify(post(t))
        assert "question" in v.labels
        assert v.category == "question"


def test_priority_stays_finite(tmp_path: Path) -> None:
    errors_of(tmp_path, OVERFLOW)
    rs = load_rules([tmp_path / "r"])
    for t in ("hello", "anything"):
        v = rs.classify(post(t))
        assert v.priority == v.priority and abs(v.priority) < float("inf"), v.priority


def test_overflowing_priority_is_valid_json_through_the_cli(veille: Veille, tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    (d / "big.toml").write_text(
        '[[rule]]\nid = "a"\nlabel = "question"\nregex = ""\nmultiply = 1e308\nboost = 1e308\n'
        '[[rule]]\nid = "b"\nlabel = "praise"\nregex = ""\nmultiply = 1e308\n'
        '[[rule]]\nid = "c"\nlabel = "other2"\nwords = ["zero"]\nmultiply = 0\n',
        encoding="utf-8",
    )
    r = veille.run("classify", "--rules", str(d), "-", stdin="hello\nzero here\n")
    assert r.returncode == 0, r.stderr

    def strict(c: str) -> float:
        raise ValueError(f"not JSON: {c}")

    for line in r.stdout.splitlines():
        json.loads(line, parse_constant=strict)


def test_a_thousand_rules_load_and_classify_quickly(tmp_path: Path) -> None:
    parts = []
    for i in range(1000):
        kind = i % 3
        cond = (
            f'words = ["term{i}", "phrase number {i}"]'
            if kind == 0
            else f'regex = "code-{i}\\\\b"'
            if kind == 1
            else f'words = ["pre{i}*"]\nlang = ["en", "fr"]'
        )
        parts.append(f'[[rule]]\nid = "r{i}"\nlabel = "complaint"\n{cond}\nboost = 0.01\n')
    t0 = time.perf_counter()
    assert errors_of(tmp_path, "\n".join(parts)) == []
    load_s = time.perf_counter() - t0
    rs = load_rules([tmp_path / "r"])
    texts = [f"post {i} mentions term{i * 7} and code-{i}" for i in range(200)]
    t0 = time.perf_counter()
    verdicts = [rs.classify(post(t)) for t in texts]
    per_post = (time.perf_counter() - t0) / len(texts)
    assert load_s < 5 and per_post < 0.01, (load_s, per_post)
    assert sum("complaint" in v.labels for v in verdicts) > 50


# -- the watcher -------------------------------------------------------------------------------


def _bump(path: Path) -> None:
    """Make sure the watcher's (mtime, size) signature sees a change even within one tick."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, RuleWatcher]]:
    d = tmp_path / "watched"
    d.mkdir()
    f = d / "user.toml"
    f.write_text(GOOD, encoding="utf-8")
    yield f, RuleWatcher([d])


def _ids(w: RuleWatcher) -> set[str]:
    return {r.id for r in w.current.rules}


def test_half_written_file_keeps_the_last_good_rules(watched: tuple[Path, RuleWatcher]) -> None:
    f, w = watched
    assert "acme-question" in _ids(w)
    full = GOOD + '\n[[rule]]\nid = "second"\nlabel = "complaint"\nwords = ["broken"]\n'
    for cut in (len(GOOD) + 5, len(GOOD) + 20, len(full) - 3):
        f.write_text(full[:cut], encoding="utf-8")
        _bump(f)
        w.poll()
        assert "acme-question" in _ids(w), f"cut at {cut}: last good rules dropped"
        assert "second" not in _ids(w)
        assert w.errors and all(POS.match(str(e)) for e in w.errors)
        assert w.current.classify(post("acme help please")).category == "question"
    f.write_text(full, encoding="utf-8")
    _bump(f)
    assert w.poll()
    assert {"acme-question", "second"} <= _ids(w) and not w.errors


def test_garbage_written_over_a_good_file(watched: tuple[Path, RuleWatcher]) -> None:
    f, w = watched
    for junk in (b"\x00" * 100, b"\xff\xfe garbage", b"[[rule]]\nid = 5\n", b"x = " + b"[" * 3000):
        f.write_bytes(junk)
        _bump(f)
        w.poll()
        assert "acme-question" in _ids(w), junk[:10]


def test_deleted_file_then_restored(watched: tuple[Path, RuleWatcher]) -> None:
    f, w = watched
    f.unlink()
    w.poll()  # removing a file is how a user drops its rules: either outcome is clear
    assert "acme-question" not in _ids(w) or w.errors
    f.write_text(GOOD, encoding="utf-8")
    _bump(f)
    w.poll()
    assert "acme-question" in _ids(w) and not w.errors


def test_file_replaced_by_a_directory(watched: tuple[Path, RuleWatcher]) -> None:
    """What a confused sync tool or `mkdir` typo leaves: unreadable, so the last good stays."""
    f, w = watched
    f.unlink()
    f.mkdir()
    w.poll()
    assert "acme-question" in _ids(w) or any("user.toml" in str(e) for e in w.errors)
    assert all(POS.match(str(e)) for e in w.errors)


def test_parse_file_never_raises_on_random_bytes(tmp_path: Path) -> None:
    import random

    rnd = random.Random(7)
    alphabet = b"[]{}=.\"'\n #\\abcdefghijklmnopqrstuvwxyz0123456789_-,:\x00\xff\xe9"
    base = (GOOD + "[sla]\nquestion = 5\n[sentiment]\nen = { positive = 0.1 }\n").encode()
    for i in range(300):
        data = bytearray(base)
        for _ in range(rnd.randint(1, 8)):
            pos = rnd.randrange(len(data))
            data[pos : pos + rnd.randint(0, 3)] = bytes(
                rnd.choice(alphabet) for _ in range(rnd.randint(0, 4))
            )
        p = tmp_path / f"f{i}.toml"
        p.write_bytes(bytes(data))
        pf = parse_file(p)
        assert all(POS.match(str(e)) for e in pf.errors)


# -- the running console -----------------------------------------------------------------------


def _user_rules_context(tmp_path: Path) -> tuple[Path, Context]:
    """A user rule file (GOOD) in a directory config.toml names, beside a 60-minute question
    SLA; the file and a context opened on that config."""
    from tui.context import Context

    d = tmp_path / "user-rules"
    d.mkdir()
    f = d / "user.toml"
    f.write_text(GOOD, encoding="utf-8")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[rules]\ndirs = ["{d}"]\n\n[sla]\nquestion = 60\n', encoding="utf-8")
    return f, Context.from_args(str(cfg), str(tmp_path / "data"))


@asynccontextmanager
async def _console_on_user_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *posts: Post
) -> AsyncIterator[tuple[Path, VeilleApp, Pilot[Any]]]:
    """The console on `_user_rules_context`, `posts` ingested, its watcher polling every
    50 ms so an edit is seen at once; running and settled."""
    import tui.app

    monkeypatch.setattr(tui.app, "RULES_EVERY", 0.05)
    f, ctx = _user_rules_context(tmp_path)
    try:
        app = tui.app.make_app(ctx, poller=False)
        if posts:
            app.inbox.ingest(list(posts))
        async with running(app) as pilot:
            yield f, app, pilot
    finally:
        ctx.close()


def test_the_console_starts_on_the_rules_its_watcher_read(
    tmp_path: Path, memory_keyring: object
) -> None:
    """The watcher's baseline is the set in force, read once, before any thread runs.

    Were the watcher first built later, in a background thread, an edit saved while
    veille starts would become its baseline: a broken save would then have no last good
    version to fall back on, and the user's rules would silently drop out of the queue.
    """
    from tui.app import make_app

    f, ctx = _user_rules_context(tmp_path)
    try:
        app = make_app(ctx, poller=False)
        w = app.rules_watcher
        assert w is not None and app.inbox.rules is w.current
        assert app.inbox.rules.sla_minutes("question") == 60
        f.write_text(GOOD + '\n[[rule]]\nid = "half', encoding="utf-8")
        _bump(f)
        while not w.poll():
            pass
        assert w.errors
        verdict = w.current.classify(post("acme help please"))
        assert verdict.category == "question"
    finally:
        ctx.close()


async def test_console_stays_responsive_and_keeps_rules_through_a_bad_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: object
) -> None:
    """Half-written, then fixed, while the app runs: keys answer, the last good rules rank."""
    posts = (post("acme help please"), Post(id="t:2", text="nothing to see"))
    async with _console_on_user_rules(tmp_path, monkeypatch, *posts) as (f, app, pilot):
        assert app.inbox.rules.sla_minutes("question") == 60
        f.write_text(GOOD + '\n[[rule]]\nid = "half', encoding="utf-8")
        _bump(f)
        await wait_for(
            pilot,
            lambda: app.rules_watcher is not None and bool(app.rules_watcher.errors),
            "the watcher to see the broken file",
            rounds=100,
        )
        await pilot.press("j", "k", "R")  # still answering keys; the rules screen opens
        await pilot.pause()
        await pilot.press("escape")
        m = app.inbox.get("t:1")
        assert m is not None and m.verdict.category == "question"
        assert app.is_running


async def test_config_sla_survives_a_rule_reload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: object
) -> None:
    async with _console_on_user_rules(tmp_path, monkeypatch) as (f, app, pilot):
        first = app.inbox.rules
        assert first.sla_minutes("question") == 60
        f.write_text(GOOD + "\n# touched\n", encoding="utf-8")
        _bump(f)
        await wait_for(pilot, lambda: app.inbox.rules is not first, "the rules to reload", 200)
        assert app.inbox.rules.sla_minutes("question") == 60
