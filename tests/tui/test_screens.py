"""The secondary screens, each driven by keys in a tiny app, with hostile text shown inertly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Static

from tui.commands_palette import make_provider
from tui.screens import (
    AskScreen,
    ConfirmScreen,
    FilterScreen,
    HelpScreen,
    PickScreen,
    RulesScreen,
    SourcesScreen,
)
from tui.screens.help import key_label

SIZE = (100, 30)
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
CLICK_QUIT = "[@click=app.quit]x[/]"
HOSTILE = (
    f"{CLICK_QUIT} [/ [link=file:///etc/passwd]p[/link] \x1b]52;c;ZXZpbA==\x07\u202eevil\x9b2J"
)
INERT = CLICK_QUIT + " [/ [link=file:///etc/passwd]p[/link]"
FORBIDDEN = ("\x1b", "\x07", "\u202e", "\x9b")


class Host(App[None]):
    """Pushes one screen on mount and keeps what it dismissed with.

    Its `d` stands for the console's triage keys, which must not reach a
    queue hidden behind a screen.
    """

    BINDINGS = [("d", "triage", "Done")]

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("console")

    def on_mount(self) -> None:
        self.triaged = 0
        self.push_screen(self.make(), callback=self.results.append)

    def action_triage(self) -> None:
        self.triaged += 1


def screen_text(app: App[Any]) -> str:
    """What the terminal would show, line by line, as plain characters."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def assert_inert(app: App[Any]) -> None:
    text = screen_text(app)
    assert CLICK_QUIT in text, text
    for ch in FORBIDDEN:
        assert ch not in text


async def click_text(pilot: Pilot[Any], needle: str) -> None:
    """Click the first character of `needle` where it is painted on screen."""
    for y, line in enumerate(screen_text(pilot.app).splitlines()):
        x = line.find(needle)
        if x >= 0:
            await pilot.click(offset=(x, y))
            return
    raise AssertionError(f"{needle!r} not on screen")


SCREENS: list[Callable[[], Screen[Any]]] = [
    lambda: HelpScreen([("d", "Mark done")]),
    lambda: ConfirmScreen("Sure?"),
    lambda: SourcesScreen(dict),
    lambda: RulesScreen(object),
]


@pytest.mark.parametrize("make", SCREENS)
async def test_console_keys_do_not_reach_through_a_screen(make: Callable[[], Screen[Any]]) -> None:
    app = Host(make)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        assert app.triaged == 0
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        assert app.triaged == 1  # the key itself works once the screen is closed


# -- help --------------------------------------------------------------------------------------


def test_key_labels() -> None:
    assert key_label("j,down") == "j ↓"
    assert key_label("question_mark") == "?"
    assert key_label("full_stop") == "."
    assert key_label("ctrl+s") == "ctrl+s"
    assert key_label("escape") == "esc"
    assert key_label("slash") == "/"  # the filter key, as the keyboard shows it
    assert key_label("ctrl+minus,plus") == "ctrl+- +"


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_help_lists_keys_and_syntax_and_closes(key: str) -> None:
    app = Host(lambda: HelpScreen([("d", "Mark done"), ("slash", "Filter"), ("x", HOSTILE)]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Mark done" in text and "/" in text
        assert "from:jane" in text and "has:link" in text
        assert_inert(app)
        await click_text(pilot, CLICK_QUIT)
        assert app.is_running and isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [None]
        assert not isinstance(app.screen, HelpScreen)


# -- confirm -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answer"), [("y", True), ("enter", True), ("n", False), ("escape", False)]
)
async def test_confirm_keys(key: str, answer: bool) -> None:
    app = Host(lambda: ConfirmScreen("Send by hand?"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [answer]


async def test_confirm_buttons_and_hostile_question() -> None:
    app = Host(lambda: ConfirmScreen(f"Mute {HOSTILE}?"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_inert(app)
        await click_text(pilot, CLICK_QUIT)
        assert app.is_running and app.results == []
        await pilot.click("#no")
        await pilot.pause()
        assert app.results == [False]


# -- pick --------------------------------------------------------------------------------------

TEAM = [("ana", "Ana Lima"), ("bo", "Bo Chen"), ("cy", "Cyrille Dubois"), ("evil", HOSTILE)]


async def test_pick_filters_as_you_type_and_enter_picks() -> None:
    app = Host(lambda: PickScreen("Assign to", TEAM))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 4
        assert_inert(app)
        await pilot.press(*"dub")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        assert "Cyrille" in options.get_option_at_index(0).prompt.plain  # type: ignore[union-attr]
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["cy"]


async def test_pick_title_from_outside_is_inert() -> None:
    app = Host(lambda: PickScreen(f"Reply to {CLICK_QUIT} [/", TEAM[:1]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert f"Reply to {CLICK_QUIT} [/" in screen_text(app)
        await click_text(pilot, CLICK_QUIT)
        assert app.is_running


async def test_pick_arrows_escape_and_nothing_matching() -> None:
    app = Host(lambda: PickScreen("Assign to", TEAM))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "up", "down")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["cy"]
    app = Host(lambda: PickScreen("Assign to", TEAM))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"zzzz", "enter")
        await pilot.pause()
        assert app.results == []  # nothing to pick: enter does nothing
        assert app.screen.query_one("#pick-empty").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_pick_free_text_and_pasted_controls() -> None:
    app = Host(lambda: PickScreen("Snooze until", [("1h", "in an hour")], free_text="or a time"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        inp = app.screen.query_one(Input)
        inp.value = "17:30\x1b[2J\u202e"
        await pilot.pause()
        assert inp.value == "17:30[2J"
        inp.value = "17:30"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["=17:30"]


async def test_pick_accepted_free_text_wins_over_a_fuzzy_match() -> None:
    """A snooze typed as "3h" is three hours even though it fuzzily matches "In 3 hours"."""
    choices = [("3h", "In 3 hours"), ("author", "Until the author writes again")]

    def host() -> PickScreen:
        return PickScreen("Snooze", choices, free_text="or 2h", accept=lambda t: t == "3h")

    app = Host(host)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"3h")
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count >= 1  # it does match an option
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["=3h"]
    app = Host(host)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"author", "enter")  # not accepted: the fuzzy pick stands
        await pilot.pause()
        assert app.results == ["author"]


async def test_ask_returns_the_value_or_none() -> None:
    app = Host(lambda: AskScreen(f"Order number for {CLICK_QUIT} [/"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert f"Order number for {CLICK_QUIT} [/" in screen_text(app)
        await pilot.press(*"A-17", "enter")
        await pilot.pause()
        assert app.results == ["A-17"]
    app = Host(lambda: AskScreen("Order number"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


# -- filter ------------------------------------------------------------------------------------


def preview_text(app: App[Any]) -> str:
    return str(app.screen.query_one("#filter-preview", Static).render())


async def test_filter_shows_parse_and_warnings_live_and_returns_query() -> None:
    app = Host(lambda: FilterScreen("lang:fr", history=[]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "language fr" in screen_text(app)
        await pilot.press("end", *" -from:bot has:nope")
        await pilot.pause()
        text = screen_text(app)
        assert "not author bot" in text
        assert "has: knows only link" in text
        assert app.screen.query_one("#filter-warnings").display
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["lang:fr -from:bot has:nope"]


async def test_filter_escape_and_empty_query() -> None:
    app = Host(lambda: FilterScreen("is:question", history=[]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
    app = Host(lambda: FilterScreen("", history=[]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "all mentions" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [""]


async def test_filter_history_walks_up_and_down_and_keeps_the_typed_line() -> None:
    history = ["from:ana", "lang:ar"]
    app = Host(lambda: FilterScreen("", history=history))
    async with app.run_test(size=SIZE) as pilot:
        inp = app.screen.query_one(Input)
        await pilot.press(*"refu")
        await pilot.press("up")
        await pilot.pause()
        assert inp.value == "lang:ar"
        await pilot.press("up", "up")
        await pilot.pause()
        assert inp.value == "from:ana"
        await pilot.press("down", "down")
        await pilot.pause()
        assert inp.value == "refu"
        await pilot.press("up", "up", "enter")
        await pilot.pause()
        assert app.results == ["from:ana"]
        assert history == ["lang:ar", "from:ana"]  # most recent last, no repeat


async def test_filter_initial_with_controls_is_cleaned() -> None:
    app = Host(lambda: FilterScreen(HOSTILE, history=[]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        value = app.screen.query_one(Input).value
        assert CLICK_QUIT in value
        assert not any(ch in value for ch in FORBIDDEN)
        assert_inert(app)


# -- sources -----------------------------------------------------------------------------------


def health(**over: Any) -> dict[str, dict[str, Any]]:
    h: dict[str, dict[str, Any]] = {
        "mastodon:#acme": {
            "status": "ok",
            "kind": "mastodon",
            "since": "2026-11-21T08:00:00+00:00",
            "last_success": "2026-11-21T08:59:30+00:00",
            "next_poll": "2026-11-21T09:00:40+00:00",
            "posts": 42,
        },
        "feed:status": {
            "status": "failing",
            "kind": "feed",
            "since": "2026-11-21T08:40:00+00:00",
            "last_success": "2026-11-21T06:00:00+00:00",
            "last_error": f"HTTP 503 {HOSTILE}\nsecond line",
            "last_error_at": "2026-11-21T08:58:00+00:00",
            "next_poll": "2026-11-21T09:05:00+00:00",
            "posts": 7,
        },
        "hn:acme": {"status": "slow"},  # a record with little in it
    }
    h.update(over)
    return h


def cell(app: App[Any], row: str, col: str) -> str:
    table: DataTable[Text] = app.screen.query_one(DataTable)
    return table.get_cell(row, col).plain


async def test_sources_table_shows_health_and_the_error_inertly() -> None:
    app = Host(lambda: SourcesScreen(health, clock=lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert cell(app, "feed:status", "Status") == "failing"
        assert cell(app, "feed:status", "Last success") == "3h ago"
        assert cell(app, "mastodon:#acme", "Next poll") == "in 40s"
        assert cell(app, "hn:acme", "Kind") == "hn"
        assert cell(app, "hn:acme", "Since") == "—"
        assert "\n" not in cell(app, "feed:status", "Last error")
        # the first row (sorted by name) is the failing feed: its error in full below
        assert "second line" in screen_text(app)
        assert_inert(app)
        await click_text(pilot, CLICK_QUIT)
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_sources_refresh_in_place_keeps_the_cursor() -> None:
    state = {"h": health()}
    app = Host(lambda: SourcesScreen(lambda: state["h"], interval=0.05, clock=lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table: DataTable[Text] = app.screen.query_one(DataTable)
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        fixed = dict(state["h"]["feed:status"], status="ok", last_error="")
        state["h"] = health(**{"feed:status": fixed})
        for _ in range(200):  # the interval timer, not a key, must bring the change
            await pilot.pause(0.01)
            if cell(app, "feed:status", "Status") == "ok":
                break
        assert cell(app, "feed:status", "Status") == "ok"
        assert table.cursor_row == 2
        state["h"] = {"new:one": {"status": "ok"}, **state["h"]}
        await pilot.press("r")
        await pilot.pause()
        assert table.row_count == 4
        assert str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) == (
            "mastodon:#acme"
        )


async def test_a_recovered_source_shows_its_note_not_its_old_error() -> None:
    moved = 'moved for good: put url = "https://new.example/feed" in the config'
    recovered = {"status": "ok", "kind": "feed", "last_error": "HTTP 503 yesterday"}
    paused = {"status": "slow", "kind": "feed", "last_error": "timeout", "note": moved}
    state = health(**{"feed:status": recovered, "hn:acme": paused})
    app = Host(lambda: SourcesScreen(lambda: state, clock=lambda: NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert cell(app, "feed:status", "Last error") == ""
        assert cell(app, "hn:acme", "Last error").startswith("moved for good")
        table: DataTable[Text] = app.screen.query_one(DataTable)
        table.move_cursor(row=0)  # the slow source sorts first
        await pilot.pause()
        assert "new.example/feed" in screen_text(app) and "timeout" not in screen_text(app)


async def test_sources_getter_failing_is_reported_not_raised() -> None:
    def broken() -> dict[str, dict[str, Any]]:
        raise OSError("store [/] locked")

    app = Host(lambda: SourcesScreen(broken))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "cannot read source health: store [/] locked" in screen_text(app)
        assert app.is_running


# -- rules -------------------------------------------------------------------------------------


class FakeRules:
    def __init__(self, hits: int = 3) -> None:
        self.files = ["/packs/default.toml", "/home/u/rules/acme.toml"]
        self.errors = [f"/home/u/rules/bad.toml:4:7: unknown key 'wrods' {HOSTILE}"]
        self.categories = ("question", "complaint", "suggestion", "praise")
        self._hits = hits

    def rules_summary(self) -> list[dict[str, Any]]:
        return [
            {"id": "q-words", "file": "/packs/default.toml", "label": "question", "hits": 10},
            {
                "id": "refund",
                "file": "/home/u/rules/acme.toml",
                "label": "complaint",
                "hits": self._hits,
            },
            {"id": "refund", "file": "/packs/default.toml", "label": "complaint", "hits": 0},
            {"id": CLICK_QUIT, "file": "/x.toml", "label": HOSTILE, "hits": 1},
        ]


async def test_rules_screen_shows_files_errors_and_hits() -> None:
    state = {"rules": FakeRules()}
    app = Host(lambda: RulesScreen(lambda: state["rules"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "default.toml" in text and "acme.toml" in text
        assert "bad.toml:4:7: unknown key 'wrods'" in text
        assert "question › complaint" in text
        table: DataTable[Text] = app.screen.query_one(DataTable)
        assert table.row_count == 4
        first = table.get_row_at(0)
        assert first[0].plain == "q-words" and first[3].plain == "10"
        assert_inert(app)
        state["rules"] = FakeRules(hits=99)
        await pilot.press("r")
        await pilot.pause()
        assert table.get_row_at(0)[0].plain == "refund"
        assert table.get_row_at(0)[3].plain == "99"
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_rules_screen_survives_a_shapeless_rule_set() -> None:
    app = Host(lambda: RulesScreen(lambda: object()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Files: none" in screen_text(app)
        assert app.screen.query_one(DataTable).row_count == 0


# -- command palette -----------------------------------------------------------------------------


async def test_palette_lists_actions_and_runs_the_chosen_one() -> None:
    ran: list[str] = []
    provider = make_provider(
        [
            ("Mark done", "It leaves the queue", lambda: ran.append("done")),
            ("Snooze", "Until a time", lambda: ran.append("snooze")),
            (CLICK_QUIT, HOSTILE, lambda: ran.append("hostile")),
        ]
    )

    class PaletteApp(App[None]):
        COMMANDS = {provider}

    app = PaletteApp()
    async with app.run_test(size=SIZE) as pilot:
        app.action_command_palette()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"snoo")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert ran == ["snooze"]
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"click")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert_inert(app)
        await pilot.press("enter")
        await pilot.pause()
        assert ran == ["snooze", "hostile"] and app.is_running


# -- snapshots ----------------------------------------------------------------------------------


def test_snapshot_help(snap_compare: Any) -> None:
    keys = [("j,down", "Move down"), ("d", "Mark done"), ("slash", "Filter"), ("x", HOSTILE)]
    assert snap_compare(Host(lambda: HelpScreen(keys)), terminal_size=SIZE)


def test_snapshot_sources(snap_compare: Any) -> None:
    assert snap_compare(Host(lambda: SourcesScreen(health, clock=lambda: NOW)), terminal_size=SIZE)


def test_snapshot_filter(snap_compare: Any) -> None:
    async def no_blink(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(
        Host(lambda: FilterScreen('refund "not working" -is:spam has:nope', history=[])),
        terminal_size=SIZE,
        run_before=no_blink,
    )
