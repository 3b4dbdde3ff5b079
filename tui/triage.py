"""The triage keys: done, spam, undo, mute, snooze, assign, open and copy.

Each act is sent to the writer thread (tui/writer.py); rows that leave the
queue leave it at once, and the next snapshot confirms it.
"""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import webbrowser
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import work

from inbox import Mention, author_key
from tui.actions import SNOOZE_CHOICES, parse_snooze
from tui.live import LiveRefresh
from tui.safe import clean, name_line, one_line, safe_url

__all__ = ["Triage", "open_in_browser"]

# Text-mode browsers run in the terminal they are started from: veille's own, which
# Textual is drawing on. webbrowser picks one of these when there is no display.
_CONSOLE_BROWSERS = frozenset(
    {"www-browser", "links", "links2", "elinks", "lynx", "w3m", "browsh", "carbonyl"}
)


def open_in_browser(url: str) -> bool:
    """Open `url` in the user's graphical browser; False when there is none to use.

    A browser that would take over veille's terminal is not used, and a command
    browser (`$BROWSER`, xdg-open) is started with its output thrown away: a
    browser writing warnings to the terminal would scribble over the console.
    """
    if safe_url(url) is None:
        return False
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if isinstance(browser, webbrowser.GenericBrowser):
        if os.path.basename(browser.name) in _CONSOLE_BROWSERS:
            return False
        cmd = [browser.name, *(a.replace("%s", url) for a in browser.args)]
        try:
            subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
            )
        except OSError:
            return False
        return True
    try:
        return bool(browser.open(url))
    except Exception:  # a browser that fails to start is a message, never a crash
        return False


class Triage(LiveRefresh):
    """Actions on the selection, else the row under the cursor."""

    clock: Callable[[], datetime]
    _acted: list[list[str]]  # the ids of each undoable act, in the inbox's undo order

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

        def act() -> Any:
            changed = call(ids)
            if changed:  # the inbox kept an undo step for it: keep its rows beside it
                self._acted.append(ids)
                del self._acted[:-100]
            return changed

        fut = self.submit(label, act)
        fut.add_done_callback(lambda _f: self._dirty.set())
        n = len(ids)
        self.notify(f"{label}: {n} mention{'s' if n != 1 else ''} (u to undo)", markup=False)

    def action_done(self) -> None:
        self._triage("Done", self.inbox.done)

    def action_spam(self) -> None:
        self._triage("Spam", self.inbox.spam)

    def action_undo(self) -> None:
        """Undo the last act and put the cursor back on the row it was taken on."""

        def undo() -> tuple[str | None, list[str]]:
            label = self.inbox.undo()
            ids = self._acted.pop() if label and self._acted else []
            return label, ids

        try:
            was = self._panes()[0].current_key
        except LookupError:
            was = None
        fut = self.submit("undo", undo)

        def report(f: concurrent.futures.Future[Any]) -> None:
            if f.exception() is None:
                label, ids = f.result()
                msg = f"Undone: {label}" if label else "Nothing to undo."
                self._notify_from_thread(one_line(msg, 120), "information")
                if ids:
                    self.call_from_thread(
                        lambda: self.run_worker(
                            self._back_to(ids, was), group="undo", exit_on_error=False
                        )
                    )

        fut.add_done_callback(report)

    async def _back_to(self, ids: list[str], was: str | None) -> None:
        """Once the undone rows are listed again, move the queue's cursor to the top one,
        unless the user has moved it (from `was`) in the meantime."""
        await self.refresh_now()
        try:
            q, _, _ = self._panes()
        except LookupError:
            return
        if q.current_key != was:
            return
        wanted = set(ids)
        for row in q.rows:
            if wanted.intersection(row.members):
                q.move_to_key(row.mention.id)
                return

    def action_mute(self) -> None:
        """Mute the author of each targeted mention: every author of a selection."""
        ids = self._targets()
        heads: dict[str, Mention] = {}  # one mention per author, in the targets' order
        for mid in ids:
            m = self.inbox.get(mid)
            key = author_key(m.post) if m is not None else ""
            if m is not None and key and key not in heads:
                heads[key] = m
        if not heads:
            self.notify("No mention selected.", severity="warning", markup=False)
            return
        who = one_line(", ".join(name_line(m.post.author or "?") for m in heads.values()), 60)

        def mute_each(_ids: list[str]) -> list[str]:
            for m in heads.values():
                # the inbox keeps one undo step per author muted: so does the console
                changed = self.inbox.mute_author(m.id)
                self._acted.append([m.id, *changed])
            return []

        self._triage(f"Muted {who}", mute_each)

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
        if m is None:
            self.notify("No mention selected.", severity="warning", markup=False)
            return
        url = safe_url(m.post.url)
        if url is None:
            self.notify("No http(s) link to open.", severity="warning", markup=False)
            return
        self._open_url(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_url(self, url: str) -> None:
        """Open the link; with no browser to open it, copy it and say so."""
        if open_in_browser(url):
            self._notify_from_thread("Opened the link in your browser.", "information")
            return
        self.call_from_thread(self.copy_to_clipboard, url)
        shown = one_line(url, 120)
        self._notify_from_thread(
            f"No browser to open it here; the link is on the clipboard: {shown}", "warning"
        )

    def action_copy(self) -> None:
        m = self._current_row_mention()
        if m is None:
            self.notify("No mention selected.", severity="warning", markup=False)
            return
        url = safe_url(m.post.url)
        self.copy_to_clipboard(url or clean(m.post.text))
        self.notify("Copied the link." if url else "Copied the text.", markup=False)
