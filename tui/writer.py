"""The console's store writer: every write in one thread, in the order it was asked for.

Triage, drafts and replies all go through `submit`, so `d` then `u` can never
land the wrong way round and a key press never waits on the disk. The first
layer of the app (tui/app.py puts the layers together).
"""

from __future__ import annotations

import concurrent.futures
import queue as queue_mod
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from textual import work
from textual.app import App

from tui.messages import ActionDone
from tui.safe import one_line

__all__ = ["StoreWriter"]


class StoreWriter(App[int]):
    """The writer thread and the helpers threads use to reach the UI loop."""

    _jobs: queue_mod.Queue[tuple[str, Callable[[], Any], concurrent.futures.Future[Any]] | None]
    _stopping: threading.Event

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

    async def wait_workers(self, *groups: str) -> None:
        """Wait for the short-lived workers of these groups (the writer never ends)."""
        workers = [w for w in self.workers if w.group in groups]
        if workers:  # an empty list would mean "every worker" to Textual
            await self.workers.wait_for_complete(workers)

    def _notify_from_thread(self, message: str, severity: str) -> None:
        if self._stopping.is_set():
            return
        try:
            self.call_from_thread(
                partial(self.notify, message, severity=severity, markup=False)  # type: ignore[arg-type]
            )
        except RuntimeError:
            pass
