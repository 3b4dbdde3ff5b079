"""The console driven like a user drives it: keys in, the real store on disk, panes out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sources.auth import service_name, set_secret
from sources.demo import DemoSource
from tests.tui.conftest import (
    Clock,
    MastodonStub,
    console,
    console_app,
    fake_browser,
    post,
    running,
    wait_for,
)
from tui.app import VeilleApp
from tui.widgets.incoming_pane import IncomingPane
from tui.widgets.queue_pane import QueuePane
from tui.widgets.responder import Responder

WORDS = (
    "Battery firmware calendar dictionary elephant fountain guitar harbour igloo jasmine "
    "kettle lantern meadow nebula orchard pebble quartz river saddle tundra"
).split()

QUESTION = "How do I export my notebooks to PDF?"
COMPLAINT = "Sync is broken, terrible, I lost a week of data"
PRAISE = "Love the new pen, great handwriting feel"


def panes(app: VeilleApp) -> tuple[QueuePane, IncomingPane, Responder]:
    return app._panes()


def queue_ids(app: VeilleApp) -> list[str]:
    return list(panes(app)[0].keys)


def seed(app: VeilleApp, *posts: Any) -> None:
    app.inbox.ingest(list(posts))


async def test_demo_mentions_appear_without_a_key(tmp_path: Path) -> None:
    data = tmp_path / "demo.jsonl"
    rows = [
        {"id": "1", "delay": 0, "text": QUESTION, "author": "ana", "lang": "en"},
        {"id": "2", "delay": 0, "text": COMPLAINT, "author": "bo", "lang": "en"},
        {"id": "3", "delay": 0, "text": PRAISE, "author": "cy", "lang": "en"},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    demo = DemoSource("demo", data=data)
    async with console(tmp_path, poller=True, sources=[demo]) as (app, pilot):
        q, inc, _ = panes(app)
        await wait_for(pilot, lambda: len(inc.rows) == 3, "three mentions in Incoming")
        assert len(q.rows) == 3
        # questions first, then complaints, then praise
        assert [r.mention.id for r in q.rows] == ["demo:1", "demo:2", "demo:3"]
        assert [m.id for m in inc.rows][0] in {"demo:1", "demo:2", "demo:3"}
        assert app.get_screen_main().query_one("#banner")  # demo data says so


async def test_done_spam_undo_change_the_queue_and_survive_a_restart(tmp_path: Path) -> None:
    posts = (
        post(1, QUESTION),
        post(2, "Is there a Linux version planned?"),
        post(3, COMPLAINT),
        post(4, PRAISE),
    )
    async with console(tmp_path, *posts) as (app, pilot):
        assert queue_ids(app)[0] == "ingest:1"
        await pilot.press("d")  # done: the first question leaves
        await app.settle()
        assert "ingest:1" not in queue_ids(app)
        await pilot.press("x")  # spam: the row now under the cursor
        await app.settle()
        assert queue_ids(app) == ["ingest:3", "ingest:4"]
        await pilot.press("j", "d")  # the praise is done too
        await app.settle()
        assert queue_ids(app) == ["ingest:3"]
        await pilot.press("u")  # undo the last one only
        await app.settle()
        assert queue_ids(app) == ["ingest:3", "ingest:4"]

    async with console(tmp_path) as (app2, _):
        assert queue_ids(app2) == ["ingest:3", "ingest:4"]
        assert app2.inbox.get("ingest:1").state == "done"  # type: ignore[union-attr]
        assert app2.inbox.get("ingest:2").state == "spam"  # type: ignore[union-attr]


async def test_cursor_and_selection_stay_on_their_mention_while_new_ones_arrive(
    tmp_path: Path,
) -> None:
    async with console(
        tmp_path, *[post(i, f"{w} question?") for i, w in enumerate(WORDS[:10])]
    ) as (app, pilot):
        q = panes(app)[0]
        await pilot.press("j", "j", "space")  # select row 2, cursor moves to row 3
        on = q.current_key
        picked = set(q.selected)
        seed(app, *[post(100 + i, f"{w} puzzle?") for i, w in enumerate(WORDS[10:15])])
        await app.settle()
        assert len(q.rows) == 15
        assert q.current_key == on
        assert q.selected == picked


async def test_a_draft_is_saved_as_you_type_and_survives_a_restart(tmp_path: Path) -> None:
    async with console(tmp_path, post(1, QUESTION)) as (app, pilot):
        await pilot.press("r")
        await pilot.press(*"Hello there")
        # no flush by hand: the debounce saves it once typing pauses
        await wait_for(pilot, lambda: app.inbox.draft("ingest:1") == "Hello there", "draft")
        await app.settle()
        assert "ingest:1" in panes(app)[0].drafts  # the queue row shows the marker

    async with console(tmp_path) as (app2, _):
        assert panes(app2)[2].text == "Hello there"
        assert "✎" in panes(app2)[0].render_line(0).text


def mastodon_config(base: str) -> str:
    return f"""
[veille]
brand = "Nimbus"
user = "camille"

[[source]]
kind = "mastodon"
name = "masto"
instance = "{base}"
tag = "nimbus"
"""


def masto_post(n: int, text: str, author: str = "@jane_doe@example.social") -> Any:
    return post(n, text, author=author, source="masto", kind="mastodon", lang="en")


async def test_full_session_template_then_send_to_mastodon(
    tmp_path: Path, mastodon: MastodonStub
) -> None:
    set_secret(service_name("mastodon", mastodon.base.split("://")[1]), "s3cret")
    config = mastodon_config(mastodon.base)
    order = masto_post(4242, "Where is my Nimbus pen order?")
    async with console(tmp_path, order, post(2, PRAISE), config=config) as (app, pilot):
        assert queue_ids(app)[0] == "mastodon:4242"
        await pilot.press("t")
        await pilot.press(*"order")
        await pilot.press("enter")  # "Order number" asks for a value
        await pilot.press(*"A-17", "enter")
        _, _, resp = panes(app)
        assert "Hi Jane, could you send us your order number (A-17)" in resp.text
        assert app.focused is resp.draft_area
        await pilot.press("ctrl+s")
        await app.wait_workers("send")
        await app.settle()
        assert len(mastodon.seen) == 1
        req = mastodon.seen[0]
        body = json.loads(req.body)
        assert req.path == "/api/v1/statuses"
        assert body["in_reply_to_id"] == "4242"
        assert "order number (A-17)" in body["status"]
        assert req.headers["authorization"] == "Bearer s3cret"
        assert req.headers.get("idempotency-key")
        m = app.inbox.get("mastodon:4242")
        assert m is not None and m.state == "done"
        assert m.replies[0].remote_id == "91" and m.replies[0].by == "camille"
        assert m.first_response_at is not None
        assert "mastodon:4242" not in queue_ids(app)
        assert app.inbox.draft("mastodon:4242") == ""


async def test_a_failed_send_keeps_the_draft_and_says_why(
    tmp_path: Path, mastodon: MastodonStub
) -> None:
    mastodon.status = 500
    set_secret(service_name("mastodon", mastodon.base.split("://")[1]), "s3cret")
    config = mastodon_config(mastodon.base)
    question = masto_post(7, "Does Nimbus work offline?")
    async with console(tmp_path, question, config=config) as (app, pilot):
        await pilot.press("r", *"Yes it does", "ctrl+s")
        await app.wait_workers("send")
        await app.settle()
        assert len(mastodon.seen) == 1
        assert app.last_error.startswith("Send failed, draft kept:")
        assert "\n" not in app.last_error
        assert panes(app)[2].text == "Yes it does"
        assert app.inbox.draft("mastodon:7") == "Yes it does"
        assert app.inbox.get("mastodon:7").state == "open"  # type: ignore[union-attr]
        assert queue_ids(app) == ["mastodon:7"]


async def test_a_cluster_row_replies_to_every_member_through_its_source(
    tmp_path: Path, mastodon: MastodonStub
) -> None:
    set_secret(service_name("mastodon", mastodon.base.split("://")[1]), "tok")
    a = masto_post(1, "Nimbus sync broken again?", author="@a@x.social")
    b = masto_post(2, "Nimbus sync broken for me too?", author="@b@y.social")
    with console_app(tmp_path, a, b, config=mastodon_config(mastodon.base)) as app:
        # cluster them as the clusterer would
        for m in (app.inbox.get("mastodon:1"), app.inbox.get("mastodon:2")):
            assert m is not None
            m.cluster = "mastodon:1"
        async with running(app) as pilot:
            q, _, _ = panes(app)
            assert len(q.rows) == 1 and q.rows[0].count == 2
            await pilot.press("r", *"We are on it", "ctrl+s")
            await app.wait_workers("send")
            await app.settle()
            replied_to = sorted(json.loads(s.body)["in_reply_to_id"] for s in mastodon.seen)
            assert replied_to == ["1", "2"]
            assert queue_ids(app) == []


async def test_snooze_for_a_while_then_wake(tmp_path: Path, clock: Clock) -> None:
    posts = (post(1, QUESTION), post(2, COMPLAINT))
    async with console(tmp_path, *posts, clock=clock) as (app, pilot):
        await pilot.press("z", *"2h", "enter")
        await app.settle()
        assert queue_ids(app) == ["ingest:2"]
        m = app.inbox.get("ingest:1")
        assert m is not None and m.state == "snoozed"
        clock.advance(hours=1)
        app._wake()
        await app.settle()
        assert queue_ids(app) == ["ingest:2"]
        clock.advance(hours=1, minutes=1)
        app._wake()  # what the 30 s timer does
        await app.settle()
        assert queue_ids(app) == ["ingest:1", "ingest:2"]


async def test_snooze_until_the_author_writes_again(tmp_path: Path) -> None:
    async with console(tmp_path, post(1, QUESTION, author="ana")) as (app, pilot):
        await pilot.press("z", *"author writes", "enter")
        await app.settle()
        assert queue_ids(app) == []
        seed(app, post(2, "Also, what about my other question?", author="ana"))
        await app.settle()
        assert sorted(queue_ids(app)) == ["ingest:1", "ingest:2"]


async def test_mute_and_assign(tmp_path: Path) -> None:
    config = '[veille]\nteammates = ["sam", "lea"]\n'
    with console_app(tmp_path, config=config) as app:
        seed(app, post(1, QUESTION, author="troll"), post(2, COMPLAINT, author="troll"))
        seed(app, post(3, PRAISE, author="fan"))
        async with running(app) as pilot:
            q = panes(app)[0]
            q.move_to_key("ingest:3")
            await pilot.press("a", *"lea", "enter")
            await app.settle()
            assert app.inbox.get("ingest:3").assignee == "lea"  # type: ignore[union-attr]
            q.move_to_key("ingest:1")
            await pilot.press("m")
            await app.settle()
            assert queue_ids(app) == ["ingest:3"]
            seed(app, post(4, "Another question from the troll?", author="troll"))
            await app.settle()
            assert queue_ids(app) == ["ingest:3"]


async def test_keys_are_remapped_from_config(tmp_path: Path) -> None:
    async with console(
        tmp_path, post(1, QUESTION), post(2, COMPLAINT), config='[keys]\ndone = "D"\n'
    ) as (app, pilot):
        await pilot.press("d")
        await app.settle()
        assert len(queue_ids(app)) == 2
        await pilot.press("D")
        await app.settle()
        assert queue_ids(app) == ["ingest:2"]


async def test_next_needing_reply_and_tab(tmp_path: Path) -> None:
    async with console(
        tmp_path, post(1, QUESTION), post(2, PRAISE), post(3, "I love it, great")
    ) as (app, pilot):
        q, inc, resp = panes(app)
        await pilot.press("j", "full_stop")  # from praise, wraps to the question
        assert q.current_key == "ingest:1"
        await pilot.press("tab")
        assert app.focused is inc
        await pilot.press("tab")
        assert app.focused is resp.draft_area


async def test_responder_follows_the_cursor_once_it_rests(tmp_path: Path) -> None:
    """Moves repaint the list only; the responder catches up, and an action never
    reads a mention the cursor has already left."""
    async with console(
        tmp_path, post(1, QUESTION), post(2, "Is there a Linux version planned?"), post(3, PRAISE)
    ) as (app, pilot):
        q, _, resp = panes(app)
        assert resp.mention_id == q.current_key == queue_ids(app)[0]
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: resp.mention_id == q.current_key, "the responder follows")
        assert resp.mention_id == queue_ids(app)[2]
        # a move then at once a key that reads the responder: it acts on the new row
        await pilot.press("k", "r")
        assert resp.mention_id == q.current_key == queue_ids(app)[1]
        assert app.focused is resp.draft_area
        assert app._targets() == [queue_ids(app)[1]]


async def test_filter_narrows_the_queue(tmp_path: Path) -> None:
    async with console(
        tmp_path, post(1, QUESTION, lang="en"), post(2, "Comment exporter mes notes ?", lang="fr")
    ) as (app, pilot):
        assert len(queue_ids(app)) == 2
        await pilot.press("slash")
        await pilot.press(*"lang:fr", "enter")
        await app.settle()
        assert queue_ids(app) == ["ingest:2"]
        assert app.query_text == "lang:fr"
        app.set_filter("")
        await app.settle()
        assert len(queue_ids(app)) == 2


async def test_a_feed_mention_is_answered_by_hand_then_recorded(
    tmp_path: Path, browser_env: Callable[[Path], None]
) -> None:
    exe, opened = fake_browser(tmp_path / "bin", "firefox")
    browser_env(exe)
    question = post(5, QUESTION, kind="feed", source="blog", url="https://blog.example/p/5")
    with console_app(tmp_path, question) as app:
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign,assignment]
        async with running(app) as pilot:
            await pilot.press("r", *"See the export page", "ctrl+s")
            await app.wait_workers("send")
            await wait_for(pilot, lambda: len(app.screen_stack) > 2, "the confirm dialog")
            await app.wait_workers("browser")
            await wait_for(pilot, opened.exists, "the browser to run")
            assert opened.read_text().strip() == "https://blog.example/p/5"
            assert copied == ["See the export page"]
            assert app.inbox.get("feed:5").state == "open"  # type: ignore[union-attr]
            await pilot.press("y")
            await app.settle()
            m = app.inbox.get("feed:5")
            assert m is not None and m.state == "done" and m.replies[0].via == "manual"


async def test_incoming_can_be_hidden_and_actions_are_in_the_palette(tmp_path: Path) -> None:
    async with console(tmp_path, size=(80, 24)) as (app, pilot):
        _, inc, _ = panes(app)
        assert not inc.display  # narrow: Incoming starts hidden
        await pilot.press("I")
        assert inc.display
        await pilot.press("I")
        assert not inc.display
        titles = [c.title for c in app.get_system_commands(app.get_screen_main())]
        for label in ("Done", "Spam", "Snooze", "Send", "Template", "Assign"):
            assert label in titles


async def test_quitting_mid_sentence_keeps_the_draft(tmp_path: Path) -> None:
    with console_app(tmp_path, post(1, QUESTION)) as app:
        async with running(app) as pilot:
            await pilot.press("r", *"Half a repl", "escape")
            await pilot.press("r", "y", "ctrl+q")  # quits before the debounce fires
        assert app.inbox.draft("ingest:1") == "Half a reply"


async def test_secondary_screens_open_from_their_keys(tmp_path: Path) -> None:
    async with console(tmp_path, post(1, QUESTION)) as (app, pilot):
        main = app.get_screen_main()
        for key, name in (
            ("question_mark", "HelpScreen"),
            ("S", "SourcesScreen"),
            ("R", "RulesScreen"),
            ("i", "InsightsScreen"),
            ("slash", "FilterScreen"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == name, key
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is main, key
        assert app.is_running


async def test_a_timer_firing_after_the_panes_are_gone_is_harmless(tmp_path: Path) -> None:
    """A settle or tick timer can fire while the app is tearing its screen down."""
    async with console(tmp_path, post("1", QUESTION)) as (app, pilot):
        await app.get_screen_main().query_one("#queue").remove()
        await pilot.pause()
        with pytest.raises(LookupError):
            app._panes()
        app._show_active(force=True)  # the cursor's settle timer: nothing to show on
        app._tick()  # the SLA clock's timer
