"""The veille console: Incoming, Queue and Responder, live, driven by the keyboard.

Threads and the UI loop meet in three places only:
- the poller runs in its own thread and ingests into the inbox; the inbox calls
  our listener from that thread, which only raises a flag;
- a 0.25 s timer sees the flag and builds one `Snapshot` in a thread worker
  (queue, incoming, counts...), posted back as a message: however many
  mentions arrive, the panes redraw at most four times a second;
- every store write (triage, drafts, replies) goes through one writer thread,
  in order, so `d` then `u` can never land the wrong way round, and a key
  press never waits on the disk.
"""

from __future__ import annotations

import concurrent.futures
import gc
import importlib
import queue as queue_mod
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, TextArea

from inbox import Inbox, Mention, QueueItem
from inbox.templates import Template, load_templates
from tui import keys
from tui.actions import SNOOZE_CHOICES, parse_snooze
from tui.context import Context
from tui.messages import ActionDone, CursorMoved, DraftChanged, Snapshot, SnapshotReady
from tui.safe import clean, one_line, safe_url
from tui.widgets.incoming_pane import IncomingPane
from tui.widgets.mention_list import MentionList
from tui.widgets.mention_view import MentionDetail
from tui.widgets.queue_pane import QueuePane
from tui.widgets.responder import Responder
from tui.widgets.status_bar import DemoBanner, StatusBar

__all__ = ["MainScreen", "VeilleApp", "make_app", "run_app"]

REFRESH_EVERY = 0.25  # seconds: the most often the panes redraw for new data
RULES_EVERY = 2.0
WAKE_EVERY = 30.0
INCOMING_ROWS = 500  # Incoming shows the newest this many
KEY_QUIET = 0.3  # seconds after a cursor move before new rows are shown
MAX_DEFER = 1.0  # ...but never held back longer than this
RESPONDER_SETTLE = 0.05  # seconds the cursor must rest before the responder follows it


class MainScreen(Screen[None]):
    """The three panes; the triage bindings live here so dialogs on top do not fire them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(
                b.key, f"app.{b.action}", b.description, show=b.show, id=b.id, tooltip=b.tooltip
            )
            for b in keys.bindings()
        ],
        Binding("escape", "app.leave_draft", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        assert isinstance(app, VeilleApp)
        yield StatusBar(id="status")
        if app.ctx.config.is_demo:
            yield DemoBanner(id="banner")
        with Horizontal(id="main"):
            with Vertical(id="lists"):
                yield QueuePane(id="queue", clock=app.clock)
                yield IncomingPane(id="incoming")
            yield Responder(id="responder")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        assert isinstance(app, VeilleApp)
        q = self.query_one("#queue", QueuePane)
        q.border_title = "Queue"
        self.query_one("#incoming", IncomingPane).border_title = "Incoming"
        self.query_one("#responder", Responder).border_title = "Responder"
        banner = self.query("#banner")
        if banner:
            self.query_one(DemoBanner).show_for(app.ctx.config_path)
        q.focus()
        self._fit(self.size.width)

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Below 100 columns the responder goes under the lists."""
        self.set_class(width < 100, "-narrow")


class VeilleApp(App[int]):
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
        self.first_paint_at: float | None = None
        self._started_background = False
        self.spike_detector: Any = None
        inbox.subscribe(self._on_inbox_change)

    # -- setup -----------------------------------------------------------------
    def on_mount(self) -> None:
        keymap, errors = keys.keymap_from_config(self.ctx.config.keys)
        if keymap:
            self.set_keymap(keymap)
        for line in errors:
            self.notify(line, severity="warning", markup=False)
        self._load_templates()
        self.push_screen(MainScreen())
        self._writer()
        self.set_interval(REFRESH_EVERY, self._maybe_refresh)
        self.set_interval(WAKE_EVERY, self._wake)
        self.set_interval(5.0, self._tick)
        self._watch_rules()
        for line in getattr(self.inbox.store, "notices", []):
            # a restored or quarantined store must be seen, not only logged
            self.notify(
                one_line(line, 300), title="Store", severity="warning", timeout=30, markup=False
            )
        if self.use_poller:
            self._start_poller()
        self._dirty.set()
        self._maybe_refresh()

    @work(thread=True, group="spikes", exit_on_error=False, name="spikes")
    def _watch_spikes(self) -> None:
        """Prime the spike detector from the store (a scan: off the UI loop), then listen."""
        from inbox.spikes import SpikeDetector

        detector = SpikeDetector.from_config(self.ctx.config.alerts, self.ctx.config.brand_words)
        detector.watch(
            self.inbox, lambda spike: self._notify_from_thread(spike.message(), "warning")
        )
        self.spike_detector = detector

    @work(thread=True, group="startup", exit_on_error=False, name="freeze")
    def _freeze_when_loaded(self) -> None:
        """Once the background indexes are built, take them out of the collector's walks.

        They live as long as the app; left in, every full collection walks them
        again (about 100 ms at 100,000 stored mentions, landing on whichever key
        press allocates at that moment). The inbox freezes its own index the same way.
        """
        ready = getattr(self.inbox, "clusters_ready", None)
        while ready is not None and not ready.wait(0.5):
            if self._stopping.is_set():
                return
        gc.freeze()

    def _load_templates(self) -> None:
        path = self.ctx.config.replies_file or self.ctx.config_path.parent / "replies.toml"
        self.templates, self.template_errors = load_templates(path)
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

    # -- the writer thread -----------------------------------------------------
    @work(thread=True, group="store", exit_on_error=False, name="writer")
    def _writer(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            label, fn, fut = job
            try:
                fut.set_result(fn())
            except Exception as exc:  # a failed write is shown, never fatal
                fut.set_exception(exc)
                self.post_message(ActionDone(label, [], one_line(str(exc) or type(exc).__name__)))

    def submit(self, label: str, fn: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        """Run a store call on the writer thread, after every call submitted before it."""
        fut: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._jobs.put((label, fn, fut))
        return fut

    async def settle(self) -> None:
        """Wait until every submitted write is done and the panes show the result."""
        import asyncio

        await asyncio.wrap_future(self.submit("settle", lambda: None))
        await self.refresh_now()

    async def wait_workers(self, *groups: str) -> None:
        """Wait for the short-lived workers of these groups (the writer never ends)."""
        workers = [w for w in self.workers if w.group in groups]
        if workers:  # an empty list would mean "every worker" to Textual
            await self.workers.wait_for_complete(workers)

    # -- live refresh ------------------------------------------------------------
    def _on_inbox_change(self, _ids: set[str]) -> None:
        """Called by the inbox from whichever thread changed it: only raise the flag."""
        self._dirty.set()

    def _maybe_refresh(self) -> None:
        if self._dirty.is_set() and not self._refreshing:
            # A costly snapshot (a big queue) is built less often, so the thread
            # building it never holds the GIL more than a fifth of the time.
            now = time.perf_counter()
            last = self._snapshot.build_ms / 1000 if self._snapshot else 0.0
            if now - self._last_build < 4 * last and not self._snapshot_waiters:
                return
            # While the user is moving through the list, new rows wait (at most
            # a second) so they never land between a key press and its repaint.
            moving = now - self._last_move < KEY_QUIET and now - self._last_build < MAX_DEFER
            if moving and not self._snapshot_waiters:
                return
            self._last_build = time.perf_counter()
            self._dirty.clear()
            self._refreshing = True
            self._build_snapshot(self._query)

    async def refresh_now(self) -> None:
        """Build a snapshot now and wait until it is on screen (tests, after a filter)."""
        import asyncio

        fut: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._snapshot_waiters.append(fut)
        self._dirty.set()
        self._maybe_refresh()
        await asyncio.wrap_future(fut)
        if self._dirty.is_set():  # something changed while that one was built
            fut2: concurrent.futures.Future[None] = concurrent.futures.Future()
            self._snapshot_waiters.append(fut2)
            self._maybe_refresh()
            await asyncio.wrap_future(fut2)

    @work(thread=True, group="refresh", exit_on_error=False, name="snapshot")
    def _build_snapshot(self, query: Any) -> None:
        t0 = time.perf_counter()
        inbox = self.inbox
        try:
            drafts = frozenset(inbox.drafts())
            where = query.predicate(drafts) if query else None
            items = inbox.queue(where)
            snap = Snapshot(
                queue=items,
                queue_keys=[item.mention.id for item in items],
                incoming=inbox.incoming(INCOMING_ROWS),
                counts=inbox.counts(),
                breaches=inbox.breaches(),
                health=inbox.source_health(),
                drafts=drafts,
                total=len(inbox),
                categories=tuple(inbox.rules.categories),
                build_ms=(time.perf_counter() - t0) * 1000,
                filtered=bool(query),
            )
        except Exception as exc:
            self._refreshing = False
            self.call_from_thread(self._snapshot_failed, one_line(str(exc)))
            return
        self.post_message(SnapshotReady(snap))

    def _snapshot_failed(self, error: str) -> None:
        self.notify(f"Refresh failed: {error}", severity="error", markup=False)
        self._release_waiters()

    def _release_waiters(self) -> None:
        waiters, self._snapshot_waiters = self._snapshot_waiters, []
        for w in waiters:
            if not w.done():
                w.set_result(None)

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        self._refreshing = False
        if not self.screen_stack:  # shutting down
            self._release_waiters()
            return
        snap = message.snapshot
        self._snapshot = snap
        try:
            screen = self.get_screen_main()
            q = screen.query_one("#queue", QueuePane)
            incoming = screen.query_one("#incoming", IncomingPane)
            status = screen.query_one("#status", StatusBar)
        except (LookupError, NoMatches):
            # Start-up (or shutdown): the main screen is there but not all its panes.
            # Try again on the next tick rather than lose the snapshot (or the app).
            self._dirty.set()
            self._release_waiters()
            return
        hint = (
            "Nothing open matches the filter: / to change it, or clear it to see all."
            if snap.filtered
            else ""
        )
        if hint != q.empty_hint:
            q.empty_hint = hint
            q.refresh()
        q.set_queue(snap.queue, snap.drafts, snap.queue_keys)
        incoming.set_mentions(snap.incoming)
        status.update_status(
            snap.counts, snap.breaches, snap.health, filtered=self.query_text, total=snap.total
        )
        title = f"Queue {len(snap.queue)}" + (" (filtered)" if snap.filtered else "")
        if title != q.border_title:  # a new title repaints the whole pane
            q.border_title = title

        self._show_active(force=True)
        if self.first_paint_at is None and snap.queue:
            self.call_after_refresh(self._mark_first_paint)
        if not self._started_background:
            self._started_background = True
            self.call_after_refresh(self._start_background)
        self._release_waiters()

    def _start_background(self) -> None:
        """After the first paint: what the first frame does not need, off the UI loop.

        Until then nothing else competes for the interpreter with the store, the
        first snapshot and Textual's own start.
        """
        gate = self.ctx.background_gate
        if gate is not None:
            gate.set()  # the near-duplicate index rebuild (tui/context.py)
        self._watch_spikes()
        self._freeze_when_loaded()

    def _mark_first_paint(self) -> None:
        if self.first_paint_at is None:
            self.first_paint_at = time.perf_counter()

    @property
    def _focus(self) -> Any:
        """The focused widget, or None while screens come and go (start, shutdown)."""
        if not self.screen_stack:
            return None
        return self.focused

    def get_screen_main(self) -> MainScreen:
        for s in self.screen_stack:
            if isinstance(s, MainScreen):
                return s
        raise LookupError("main screen not mounted")

    def _tick(self) -> None:
        try:
            self.get_screen_main().query_one("#queue", QueuePane).tick()
        except LookupError:
            pass

    def _wake(self) -> None:
        self.submit("wake", self.inbox.wake_due)

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
            from rules.watcher import RuleWatcher
        except ImportError:
            return None
        cfg = self.ctx.config
        try:
            return RuleWatcher(list(cfg.rules_dirs), cfg.rules_active, settle=True)
        except Exception as exc:
            self._notify_from_thread(f"Rules: {one_line(str(exc))}", "error")
            return None

    def _apply_rules(self, rules: Any) -> None:
        for sla_cat, mins in self.ctx.config.sla.items():
            sla = getattr(rules, "sla", None)
            if isinstance(sla, dict):
                sla[sla_cat] = mins
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

    def _notify_from_thread(self, message: str, severity: str) -> None:
        if self._stopping.is_set():
            return
        try:
            self.call_from_thread(
                partial(self.notify, message, severity=severity, markup=False)  # type: ignore[arg-type]
            )
        except RuntimeError:
            pass

    # -- which mention the keys act on ----------------------------------------------
    def _panes(self) -> tuple[QueuePane, IncomingPane, Responder]:
        s = self.get_screen_main()
        return (
            s.query_one("#queue", QueuePane),
            s.query_one("#incoming", IncomingPane),
            s.query_one("#responder", Responder),
        )

    def _active_list(self) -> MentionList:
        q, inc, _ = self._panes()
        return inc if self._active_pane == "incoming" else q

    def _targets(self) -> list[str]:
        """What an action applies to: the selection, else the row under the cursor.

        A queue row stands for its whole cluster: done on it closes every member.
        """
        self._show_pending()
        q, inc, resp = self._panes()
        if q.selected:
            return q.member_ids(sorted(q.selected, key=lambda k: q._index.get(k, 0)))
        if inc.selected:
            return sorted(inc.selected)
        focused = self._focus
        if isinstance(focused, TextArea) or self._active_pane == "responder":
            mid = resp.mention_id
            if mid is None:
                return []
            return q.member_ids([mid]) or [mid]
        if self._active_pane == "incoming":
            k = inc.current_key
            return [k] if k else []
        k = q.current_key
        return q.member_ids([k]) if k else []

    def _current(self) -> Mention | None:
        self._show_pending()
        _, _, resp = self._panes()
        return self.inbox.get(resp.mention_id) if resp.mention_id else None

    def on_cursor_moved(self, message: CursorMoved) -> None:
        if not self.screen_stack:
            return
        focused = self._focus
        if isinstance(focused, MentionList) and focused.pane != message.pane:
            return  # a background list moved under a refresh: the responder stays
        self._active_pane = message.pane
        self._show_soon()

    def _show_soon(self) -> None:
        """Show the cursor's mention once the cursor rests (as mail readers do).

        While a key is held the list repaints two rows per move and nothing
        else; the responder, which costs a full pane, follows when the cursor
        has stayed put for RESPONDER_SETTLE. One timer, pushed back by each move.
        """
        self._show_due = time.monotonic() + RESPONDER_SETTLE
        if self._show_timer is None:
            self._show_timer = self.set_timer(RESPONDER_SETTLE, self._show_settled)

    def _show_pending(self) -> None:
        """An action reads the responder: a move still settling is shown first."""
        if self._show_timer is not None:
            self._show_active()

    def _show_settled(self) -> None:
        self._show_timer = None
        left = self._show_due - time.monotonic()
        if left > 0.002:
            self._show_timer = self.set_timer(left, self._show_settled)
            return
        self._show_active()

    def on_descendant_focus(self, event: Any) -> None:
        w = event.widget if hasattr(event, "widget") else None
        if isinstance(w, MentionList) and w.pane != self._active_pane:
            self._active_pane = w.pane
            self._show_active()

    def _show_active(self, *, force: bool = False) -> None:
        """Show the active list's mention; `force` re-reads it, redrawing only if it changed."""
        if self._show_timer is not None:  # shown now: the pending one has nothing to do
            self._show_timer.stop()
            self._show_timer = None
        try:
            q, inc, resp = self._panes()
        except LookupError:
            return
        lst = inc if self._active_pane == "incoming" else q
        mid = lst.current_key
        if mid is None and resp.mention_id is not None and self._focus is resp.draft_area:
            return  # keep the draft being written on screen even if its row left
        if mid == self._shown_id and not force:
            return
        m = self.inbox.get(mid) if mid else None
        members = len(q.member_ids([mid])) if mid else 0
        sig = (
            (m.id, m.state, m.assignee, len(m.replies), m.verdict, members)
            if m is not None
            else None
        )
        if mid == self._shown_id and sig == self._shown_sig:
            return
        self._shown_id, self._shown_sig = mid, sig
        if m is None:
            resp.show(None, "")
            return
        resp.show(self._detail(m, q), self.inbox.draft(m.id))

    def _detail(self, m: Mention, q: QueuePane) -> MentionDetail:
        history = [h for h in self.inbox.author_mentions(m.post, limit=51) if h.id != m.id]
        history.sort(key=lambda h: h.first_seen, reverse=True)
        parent = None
        if m.post.in_reply_to:
            parent = self.inbox.get(f"{m.post.source_kind}:{m.post.in_reply_to}")
        members = len(q.member_ids([m.id])) or 1
        return MentionDetail(m, history, members, parent)

    # -- drafts ----------------------------------------------------------------
    def on_draft_changed(self, message: DraftChanged) -> None:
        self.submit("draft", partial(self.inbox.save_draft, message.mention_id, message.text))

    # -- actions: moving ---------------------------------------------------------
    def action_cursor_down(self) -> None:
        self._last_move = time.perf_counter()
        if isinstance(self._focus, MentionList):
            self._focus.action_cursor_down()

    def action_cursor_up(self) -> None:
        self._last_move = time.perf_counter()
        if isinstance(self._focus, MentionList):
            self._focus.action_cursor_up()

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

    # -- actions: triage -----------------------------------------------------------
    def _triage(self, label: str, call: Callable[[list[str]], Any], *, leaves: bool = True) -> None:
        ids = self._targets()
        if not ids:
            self.notify("No mention selected.", severity="warning", markup=False)
            return
        q, inc, resp = self._panes()
        resp.flush()
        if leaves:
            idset = set(ids)
            keys_left = {r.mention.id for r in q.rows if all(i in idset for i in r.members)}
            if keys_left:
                q.set_rows([r for r in q.rows if r.mention.id not in keys_left])
        q.clear_selection()
        inc.clear_selection()
        fut = self.submit(label, lambda: call(ids))
        fut.add_done_callback(lambda _f: self._dirty.set())
        n = len(ids)
        self.notify(f"{label}: {n} mention{'s' if n != 1 else ''} (u to undo)", markup=False)

    def action_done(self) -> None:
        self._triage("Done", self.inbox.done)

    def action_spam(self) -> None:
        self._triage("Spam", self.inbox.spam)

    def action_undo(self) -> None:
        fut = self.submit("undo", self.inbox.undo)

        def report(f: concurrent.futures.Future[Any]) -> None:
            if f.exception() is None:
                label = f.result()
                msg = f"Undone: {label}" if label else "Nothing to undo."
                self.call_from_thread(self.notify, one_line(msg, 120), markup=False)

        fut.add_done_callback(report)

    def action_mute(self) -> None:
        m = self._current_row_mention()
        if m is None:
            self.notify("No mention selected.", severity="warning", markup=False)
            return
        who = one_line(m.post.author or "?", 40)
        self._triage(f"Muted {who}", lambda _ids: self.inbox.mute_author(m.id))

    def _current_row_mention(self) -> Mention | None:
        ids = self._targets()
        return self.inbox.get(ids[0]) if ids else None

    def action_snooze(self) -> None:
        ids = self._targets()
        if not ids:
            self.notify("No mention selected.", severity="warning", markup=False)
            return

        def chosen(answer: str | None) -> None:
            if answer is None:
                return
            when = parse_snooze(answer, self.clock())
            if when is None:
                self.notify("Snooze: try 30m, 2h, 3d or 17:30.", severity="warning", markup=False)
                return
            if when == "author":
                self._triage(
                    "Snoozed until the author writes",
                    lambda i: self.inbox.snooze(i, until_author=True),
                )
            else:
                assert isinstance(when, datetime)
                label = f"Snoozed until {when.astimezone().strftime('%a %H:%M')}"
                self._triage(label, lambda i: self.inbox.snooze(i, when))

        from tui.screens.pick import PickScreen  # the screens load on first use

        self.push_screen(
            PickScreen(
                "Snooze",
                SNOOZE_CHOICES,
                free_text="or type 30m, 2h, 3d, 17:30",
                accept=lambda t: (
                    t not in ("author", "tomorrow") and parse_snooze(t, self.clock()) is not None
                ),
            ),
            chosen,
        )

    def action_assign(self) -> None:
        cfg = self.ctx.config
        people = list(dict.fromkeys([*cfg.teammates, cfg.user]))
        if not cfg.teammates:
            self.notify(
                "No teammates: add teammates = [...] under [veille] in config.toml.",
                severity="warning",
                markup=False,
            )
            return
        if not self._targets():
            self.notify("No mention selected.", severity="warning", markup=False)
            return

        def chosen(who: str | None) -> None:
            if who:
                self._triage(
                    f"Assigned to {who}", lambda i: self.inbox.assign(i, who), leaves=False
                )

        from tui.screens.pick import PickScreen

        self.push_screen(PickScreen("Assign to", [(p, p) for p in people]), chosen)

    def action_open_link(self) -> None:
        m = self._current_row_mention()
        url = safe_url(m.post.url) if m else None
        if url is None:
            self.notify("No http(s) link to open.", severity="warning", markup=False)
            return
        self._open_url(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_url(self, url: str) -> None:
        if safe_url(url) is not None:
            webbrowser.open(url)

    def action_copy(self) -> None:
        m = self._current_row_mention()
        if m is None:
            self.notify("No mention selected.", severity="warning", markup=False)
            return
        url = safe_url(m.post.url)
        self.copy_to_clipboard(url or clean(m.post.text))
        self.notify("Copied the link." if url else "Copied the text.", markup=False)

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
        keymap = getattr(self, "_keymap", {}) or {}
        return [(keymap.get(a.id, a.key).split(",")[0], a.help) for a in keys.ACTIONS]

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
        for a in keys.ACTIONS:
            if a.id in ("down", "up"):
                continue
            yield SystemCommand(a.label, a.help, partial(self.run_action, a.action))


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
    watcher = _rule_watcher(ctx)
    rules = None
    if watcher is not None:
        rules = watcher.current
        if ctx.config.sla:
            rules.sla.update(ctx.config.sla)
    if ctx.background_gate is None:
        ctx.background_gate = threading.Event()
    inbox = ctx.open_inbox(rules=rules)
    if clock is not None:
        inbox.clock = clock
    app = VeilleApp(ctx, inbox, poller=poller, clock=clock, sources=sources)
    app.rules_watcher = watcher
    return app


def _rule_watcher(ctx: Context) -> Any:
    """A watcher on the configured rule files, or None (the app then makes one later and
    says what went wrong on screen, where a message can be read)."""
    try:
        from rules.watcher import RuleWatcher

        return RuleWatcher(list(ctx.config.rules_dirs), ctx.config.rules_active, settle=True)
    except Exception:
        return None


def run_app(ctx: Context) -> int:
    app = make_app(ctx)
    result = app.run()
    return int(result or 0)
