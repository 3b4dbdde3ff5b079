"""Live refresh: new mentions reach the panes without the user losing their place.

The inbox calls our listener from whichever thread changed it, which only
raises a flag; a timer sees the flag and builds one `Snapshot` in a thread
worker (queue, incoming, counts...), posted back as a message: however many
mentions arrive, the panes redraw at most four times a second, and while the
user moves through the list new rows wait (at most MAX_DEFER) so they never
land between a key press and its repaint. What the first frame does not need
starts after the first paint.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import threading
import time
from typing import Any

from textual import work
from textual.css.query import NoMatches

from tui.context import Context
from tui.following import Following
from tui.messages import Snapshot, SnapshotReady
from tui.safe import one_line
from tui.widgets.incoming_pane import IncomingPane
from tui.widgets.queue_pane import QueuePane
from tui.widgets.status_bar import StatusBar

__all__ = ["INCOMING_ROWS", "KEY_QUIET", "MAX_DEFER", "LiveRefresh"]

INCOMING_ROWS = 500  # Incoming shows the newest this many
KEY_QUIET = 0.3  # seconds after a cursor move before new rows are shown
MAX_DEFER = 1.0  # ...but never held back longer than this


class LiveRefresh(Following):
    """Snapshots built off the UI loop, applied in place; the background starts."""

    ctx: Context
    query_text: str
    _query: Any
    _dirty: threading.Event
    _refreshing: bool
    _last_build: float
    _last_move: float
    _snapshot: Snapshot | None
    _snapshot_waiters: list[concurrent.futures.Future[None]]
    first_paint_at: float | None
    _started_background: bool
    spike_detector: Any

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

    async def settle(self) -> None:
        """Wait until every submitted write is done and the panes show the result."""
        await asyncio.wrap_future(self.submit("settle", lambda: None))
        await self.refresh_now()

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

    def _tick(self) -> None:
        try:
            self.get_screen_main().query_one("#queue", QueuePane).tick()
        except (LookupError, NoMatches):
            pass

    def _wake(self) -> None:
        self.submit("wake", self.inbox.wake_due)
