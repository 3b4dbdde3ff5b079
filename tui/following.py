"""Which mention the keys act on, and the responder following the cursor.

A cursor move repaints two rows of the list and nothing else; the responder,
which costs a whole pane, follows once the cursor has rested for
RESPONDER_SETTLE (as mail readers do while a key is held). An action that
reads the responder shows the settled mention first, so it never acts on a
stale one.
"""

from __future__ import annotations

import time
from typing import Any

from textual.css.query import NoMatches
from textual.widgets import TextArea

from inbox import Inbox, Mention
from tui.main_screen import MainScreen
from tui.messages import CursorMoved
from tui.widgets.incoming_pane import IncomingPane
from tui.widgets.mention_list import MentionList
from tui.widgets.mention_view import MentionDetail
from tui.widgets.queue_pane import QueuePane
from tui.widgets.responder import Responder
from tui.writer import StoreWriter

__all__ = ["RESPONDER_SETTLE", "Following"]

RESPONDER_SETTLE = 0.05  # seconds the cursor must rest before the responder follows it


class Following(StoreWriter):
    """The panes, the keys' targets and what the responder shows."""

    inbox: Inbox
    _active_pane: str
    _shown_id: str | None
    _shown_sig: Any
    _show_timer: Any
    _show_due: float

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

    def _panes(self) -> tuple[QueuePane, IncomingPane, Responder]:
        """The three panes; LookupError once they are gone (a timer firing at shutdown).

        Textual's NoMatches is not a LookupError, so it is turned into one here and
        callers have one exception to expect.
        """
        s = self.get_screen_main()
        try:
            return (
                s.query_one("#queue", QueuePane),
                s.query_one("#incoming", IncomingPane),
                s.query_one("#responder", Responder),
            )
        except NoMatches as e:
            raise LookupError(str(e)) from e

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
