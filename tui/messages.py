"""Messages shared by the console's widgets: small, immutable, going up.

Threads (the poller, store workers, the refresh worker) never touch widgets;
they post these, and the app applies them on the UI loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from inbox import Mention, QueueItem

__all__ = [
    "ActionDone",
    "CursorMoved",
    "DraftChanged",
    "Snapshot",
    "SnapshotReady",
]


@dataclass(frozen=True)
class Snapshot:
    """Everything the panes show, computed off the UI loop in one go."""

    queue: list[QueueItem]
    incoming: list[Mention]
    counts: dict[str, int]
    breaches: int
    health: dict[str, dict[str, Any]]
    drafts: frozenset[str]
    total: int
    categories: tuple[str, ...] = ()
    build_ms: float = 0.0
    filtered: bool = False
    queue_keys: list[str] | None = None  # the queue rows' mention ids, in order
    extra: dict[str, Any] = field(default_factory=dict)


class SnapshotReady(Message):
    """A new snapshot: newer ones replace older ones still waiting in the queue."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SnapshotReady)


class CursorMoved(Message):
    """A list's highlighted mention changed (None when the list is empty)."""

    def __init__(self, pane: str, mention_id: str | None) -> None:
        super().__init__()
        self.pane = pane
        self.mention_id = mention_id

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CursorMoved) and message.pane == self.pane


class DraftChanged(Message):
    """The user typed in the draft; saved after a short pause."""

    def __init__(self, mention_id: str, text: str) -> None:
        super().__init__()
        self.mention_id = mention_id
        self.text = text


class ActionDone(Message):
    """A store action finished in the writer thread; `error` is one line or ""."""

    def __init__(self, label: str, ids: list[str], error: str = "") -> None:
        super().__init__()
        self.label = label
        self.ids = ids
        self.error = error
