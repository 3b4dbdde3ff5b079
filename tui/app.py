"""The veille console: Incoming, Queue and Responder, live, driven by the keyboard.

The app is built in layers, one module each, every layer a subclass of the one
before (so each sees what it builds on, and Textual finds every handler):
- tui/writer.py: every store write in one thread, in order (`submit`), so `d`
  then `u` can never land the wrong way round and a key never waits on the disk;
- tui/following.py: which mention the keys act on; the responder follows the
  cursor once it rests;
- tui/live.py: new mentions reach the panes through snapshots built off the UI
  loop, at most four a second, held back while the user moves; what the first
  frame does not need starts after the first paint;
- tui/triage.py: done, spam, undo, mute, snooze, assign, open, copy;
- here: start and stop, the poller, rule reloads and the spool, moving between
  panes, replying (tui/replying.py), the other screens and the command palette.

Threads and the UI loop meet in three places only: the poller's ingest (which
only raises a flag), the snapshot worker (which posts a message) and the
writer thread.
"""

from __future__ import annotations

import concurrent.futures
import gc
import importlib
import queue as queue_mod
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual import work
from textual.app import SystemCommand
from textual.screen import Screen

from inbox import Inbox, QueueItem
from inbox.templates import Template, load_templates
from tui import keys
from tui.context import Context
from tui.following import RESPONDER_SETTLE
from tui.live import INCOMING_ROWS, KEY_QUIET, MAX_DEFER
from tui.main_screen import MainScreen
from tui.messages import ActionDone, DraftChanged, Snapshot
from tui.safe import one_line
from tui.triage import Triage
from tui.widgets.mention_list import MentionList
from tui.widgets.mention_view import MentionView

__all__ = [
    "INCOMING_ROWS",
    "KEY_QUIET",
    "MAX_DEFER",
    "RESPONDER_SETTLE",
    "MainScreen",
    "VeilleApp",
    "make_app",
    "run_app",
]

REFRESH_EVERY = 0.25  # seconds: the most often the panes redraw for new data
RULES_EVERY = 2.0
WAKE_EVERY = 30.0


class VeilleApp(Triage):
    CSS_PATH = "app.tcss"
    TITLE = "veille"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        ctx: Context,
        inbox: Inbox,
        *,
        poller: bool = True,
        clock: Callable[[], datetime] | None = None,
        sources: list[Any] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.inbox = inbox
        self.clock = clock or inbox.clock
        self.use_poller = poller
        self.sources_override = sources
        self.poller: Any = None
        self.rules_watcher: Any = None
        self.templates: list[Template] = []
        self.template_errors: list[str] = []
        self.query_text = ""
        self._query: Any = None
        self._dirty = threading.Event()
        self._refreshing = False
        self._last_build = 0.0
        self._last_move = 0.0
        self._snapshot: Snapshot | None = None
        self._snapshot_waiters: list[concurrent.futures.Future[None]] = []
        self._jobs: queue_mod.Queue[
            tuple[str, Callable[[], Any], concurrent.futures.Future[Any]] | None
        ] = queue_mod.Queue()
        self._stopping = threading.Event()
        self._active_pane = "queue"
        self._shown_id: str | None = None
        self._shown_sig: Any = None
        self._show_timer: Any = None
        self._show_due = 0.0
        self.last_error = ""
        self.keymap: dict[str, str] = {}  # [keys] as understood: action id -> keys
        self._acted: list[list[str]] = []
        self.first_paint_at: float | None = None
        self._started_background = False
        self.spike_detector: Any = None
        inbox.subscribe(self._on_inbox_change)

    # -- setup -----------------------------------------------------------------
    def on_mount(self) -> None:
        keymap, errors = keys.keymap_from_config(self.ctx.config.keys)
        self.keymap = keymap  # applied by the main screen itself (tui/main_screen.py)
        for line in errors:
            self.notify(line, severity="warning", markup=False)
        self._load_templates()
        self.push_screen(MainScreen(keymap))
        self._writer()
        self.set_interval(REFRESH_EVERY, self._maybe_refresh)
        self.set_interval(WAKE_EVERY, self._wake)
        self.set_interval(5.0, self._tick)
        self._watch_rules()
        self._report_rule_errors()
        for line in getattr(self.inbox.store, "notices", []):
            # a restored or quarantined store must be seen, not only logged
            self.notify(
                one_line(line, 300), title="Store", severity="warning", timeout=30, markup=False
            )
        if self.use_poller:
            self._start_poller()
        self._dirty.set()
        self._maybe_refresh()

    def _report_rule_errors(self) -> None:
        """A rule file broken before veille started is said at once, not only under R
        (a file broken later is said when it is reloaded, `_apply_rules`)."""
        rules = self.rules_watcher.current if self.rules_watcher is not None else None
        errors = list(getattr(rules, "errors", None) or [])
        if errors:
            n = len(errors)
            self.notify(
                f"{n} error{'s' if n != 1 else ''} in the rule files, R to see them: "
                + one_line(str(errors[0]), 200),
                title="Rules",
                severity="error",
                timeout=20,
                markup=False,
            )

    def templates_path(self) -> Path:
        return self.ctx.config.replies_file or self.ctx.config_path.parent / "replies.toml"

    def _load_templates(self) -> None:
        self.templates, self.template_errors = load_templates(self.templates_path())
        for line in self.template_errors:
            self.notify(one_line(line, 200), severity="warning", markup=False)

    def _start_poller(self) -> None:
        try:
            from sources.poller import Poller, build_sources
        except ImportError as exc:
            self.notify(f"Polling unavailable: {exc}", severity="error", markup=False)
            return
        if self.sources_override is not None:
            srcs, errors = list(self.sources_override), list[str]()
        else:
            srcs, errors = build_sources(self.ctx.config.sources)
        for line in errors:
            self.notify(one_line(line, 200), severity="warning", markup=False)
        if not srcs:
            return
        inbox = self.inbox
        states = {s.name: inbox.get_source_state(s.name) for s in srcs}
        self.poller = Poller(
            srcs,
            on_posts=lambda _name, posts: inbox.ingest(posts),
            on_state=inbox.set_source_state,
            on_health=inbox.set_source_health,
            states=states,
            healths=inbox.source_health(),
        )
        self.run_worker(
            self.poller.run_forever,
            name="poller",
            group="poller",
            thread=True,
            exit_on_error=False,
        )

    async def action_quit(self) -> None:
        """Quit, but only once the draft being typed and every queued write are on disk."""
        import asyncio

        try:
            pending = self._panes()[2].take_pending()
        except LookupError:
            pending = None
        if pending is not None:
            self.submit("draft", partial(self.inbox.save_draft, *pending))
        await asyncio.wrap_future(self.submit("quit", lambda: None))
        self.exit(0)

    def on_unmount(self) -> None:
        gc.unfreeze()
        if self.ctx.background_gate is not None:
            self.ctx.background_gate.set()
        self._stopping.set()
        if self.poller is not None:
            self.poller.stop()
        self._jobs.put(None)

    @work(thread=True, group="housekeeping", exit_on_error=False, name="housekeeping")
    def _watch_rules(self) -> None:
        """Every ~2 s: reload changed rule files, drain posts `veille ingest` spooled."""
        watcher = self.rules_watcher or self._make_watcher()
        self.rules_watcher = watcher
        while not self._stopping.wait(RULES_EVERY):
            self._drain_spool()
            if watcher is None:
                continue
            try:
                changed = watcher.poll()
            except Exception as exc:
                self._notify_from_thread(f"Rules: {one_line(str(exc))}", "error")
                continue
            if changed:
                self._apply_rules(watcher.current)

    def _make_watcher(self) -> Any:
        try:
            return self.ctx.rule_watcher()
        except Exception as exc:
            self._notify_from_thread(f"Rules: {one_line(str(exc))}", "error")
            return None

    def _apply_rules(self, rules: Any) -> None:
        self.ctx.with_config_sla(rules)
        n = self.submit("rules", partial(self.inbox.set_rules, rules)).result()
        errs = len(getattr(rules, "errors", []) or [])
        msg = f"Rules reloaded: {n} mention(s) changed category"
        if errs:
            msg += f"; {errs} error(s), last good rules kept (R to see)"
        self._notify_from_thread(msg, "information")

    def _drain_spool(self) -> None:
        if str(self.ctx.data_dir) == ":memory:":
            return
        try:
            from inbox.spool import drain_spool, spool_dir

            if spool_dir(self.ctx.data_dir).is_dir():
                drain_spool(self.ctx.data_dir, self.inbox)
        except Exception as exc:  # a bad spool file is reported, never fatal
            self._notify_from_thread(f"Spool: {one_line(str(exc))}", "warning")

    # -- drafts ----------------------------------------------------------------
    def on_draft_changed(self, message: DraftChanged) -> None:
        self.submit("draft", partial(self.inbox.save_draft, message.mention_id, message.text))

    # -- actions: moving ---------------------------------------------------------
    def _moving_list(self) -> MentionList | None:
        """The list j/k move: the focused one, or, while reading a mention opened with
        enter, the list it was opened from (the next mention shows where the user reads)."""
        focused = self._focus
        if isinstance(focused, MentionList):
            return focused
        if isinstance(focused, MentionView):
            try:
                return self._active_list()
            except LookupError:
                return None
        return None

    def action_cursor_down(self) -> None:
        self._last_move = time.perf_counter()
        lst = self._moving_list()
        if lst is not None:
            lst.action_cursor_down()

    def action_cursor_up(self) -> None:
        self._last_move = time.perf_counter()
        lst = self._moving_list()
        if lst is not None:
            lst.action_cursor_up()

    def action_next_pane(self) -> None:
        self._show_pending()
        q, inc, resp = self._panes()
        order: list[Any] = [q]
        if inc.display:
            order.append(inc)
        order.append(resp.draft_area)
        cur = self._focus
        i = next((n for n, w in enumerate(order) if w is cur), -1)
        order[(i + 1) % len(order)].focus()

    def action_open(self) -> None:
        _, _, resp = self._panes()
        self._show_active()
        resp.view.focus()

    def action_leave_draft(self) -> None:
        q, inc, resp = self._panes()
        resp.flush()
        (inc if self._active_pane == "incoming" and inc.display else q).focus()

    def action_toggle_incoming(self) -> None:
        q, inc, _ = self._panes()
        inc.display = not inc.display
        if not inc.display and self._focus is inc:
            q.focus()

    def action_select(self) -> None:
        lst = self._active_list()
        lst.toggle_selected()
        lst.action_cursor_down()

    def action_next_needing_reply(self) -> None:
        q, _, _ = self._panes()
        n = len(q.rows)
        for step in range(1, n + 1):
            i = (q.cursor + step) % n
            item: QueueItem = q.rows[i]
            if item.mention.verdict.sla_minutes and not item.mention.replies:
                q.focus()
                q.cursor = i
                return
        self.notify("Nothing else needs a reply.", markup=False)

    def action_reply(self) -> None:
        _, _, resp = self._panes()
        self._show_active()
        if resp.mention_id is None:
            self.notify("No mention selected.", severity="warning", markup=False)
            return
        self._active_pane = "responder"
        resp.draft_area.focus()

    # -- replying (tui/replying.py, imported on first use: it brings the senders and
    # dialogs, about 35 ms of imports the first frame does not need) -------------------
    def action_template(self) -> None:
        from tui import replying

        replying.pick_template(self)

    def action_send(self) -> None:
        from tui import replying

        replying.send(self)

    def on_action_done(self, message: ActionDone) -> None:
        if message.error:
            self.last_error = f"{message.label} failed: {message.error}"
            self.notify(one_line(self.last_error, 200), severity="error", markup=False)

    # -- other screens (their own modules; wired when present) -----------------------
    def _screen_class(self, module: str, name: str) -> Any:
        try:
            mod = importlib.import_module(f"tui.screens.{module}")
        except ImportError:
            mod = None
        cls = getattr(mod, name, None) if mod is not None else None
        if cls is None:
            self.notify(f"The {module} screen is not available yet.", markup=False)
        return cls

    def _key_help(self) -> list[tuple[str, str]]:
        keymap = self.keymap
        listed = [(keymap.get(a.id, a.key), a.help) for a in keys.ACTIONS]  # every key
        # keys bound by the lists and the screen rather than the action table
        listed[2:2] = [
            ("pageup,pagedown", "Move a page up or down the list"),
            ("home,end", "First or last row"),
            ("escape", "Back to the list (from the draft or an opened mention)"),
        ]
        return listed

    def action_help(self) -> None:
        cls = self._screen_class("help", "HelpScreen")
        if cls is not None:
            self.push_screen(cls(self._key_help()))

    def action_sources(self) -> None:
        cls = self._screen_class("sources", "SourcesScreen")
        if cls is not None:
            self.push_screen(cls(self.inbox.source_health))

    def action_rules(self) -> None:
        cls = self._screen_class("rules", "RulesScreen")
        if cls is not None:
            self.push_screen(
                cls(lambda: self.rules_watcher.current if self.rules_watcher else self.inbox.rules)
            )

    def action_insights(self) -> None:
        cls = self._screen_class("insights", "InsightsScreen")
        if cls is None:
            return
        try:
            screen = cls(self.inbox)
        except TypeError:
            screen = cls()
        self.push_screen(screen)

    def action_filter(self) -> None:
        cls = self._screen_class("filter", "FilterScreen")
        if cls is not None:
            self.push_screen(cls(self.query_text), self.set_filter)

    def set_filter(self, query: Any) -> None:
        """Filter the queue: a query string in the `/` syntax (or a parsed Query)."""
        if query is None:
            return
        from inbox.query import parse_query

        parsed = parse_query(query) if isinstance(query, str) else query
        self._query = parsed if parsed else None
        self.query_text = str(parsed) if parsed else ""
        self._dirty.set()
        self._maybe_refresh()

    # -- command palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        from tui.screens.help import key_label

        keymap = self.keymap
        for a in keys.ACTIONS:
            if a.id in ("down", "up"):
                continue
            key = key_label(keymap.get(a.id, a.key))  # so the palette teaches the key
            yield SystemCommand(a.label, f"{a.help} ({key})", partial(self.run_action, a.action))


def make_app(
    ctx: Context,
    *,
    poller: bool = True,
    clock: Callable[[], datetime] | None = None,
    sources: list[Any] | None = None,
) -> VeilleApp:
    """The app on this context's config and data: shared by `veille` and the tests.

    `sources` replaces the configured sources (tests hand in a local demo);
    `clock` replaces the wall clock for SLA countdowns, snoozes and replies.
    """
    # The watcher is built here, before the app runs, and the inbox starts on the very
    # rule set it read: an edit saved while veille starts is then seen as a change from
    # that baseline, never as the baseline itself (which would lose the last good file).
    try:
        watcher = ctx.rule_watcher()
    except Exception:  # the app makes one later, and says why on screen
        watcher = None
    rules = ctx.with_config_sla(watcher.current) if watcher is not None else None
    if ctx.background_gate is None:
        ctx.background_gate = threading.Event()
    inbox = ctx.open_inbox(rules=rules)
    if clock is not None:
        inbox.clock = clock
    app = VeilleApp(ctx, inbox, poller=poller, clock=clock, sources=sources)
    app.rules_watcher = watcher
    return app


def run_app(ctx: Context) -> int:
    app = make_app(ctx)
    result = app.run()
    return int(result or 0)
