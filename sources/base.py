"""The plug-in point for sources: one small abstract base.

A source turns one place on the web into `Post`s. It keeps no state of its
own between polls: the poller hands it the state it returned last time
(cursor, ETag, Last-Modified, min_id, ...), and the inbox persists that state
in the store, so a restart resumes where it stopped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from sources.models import Post

__all__ = ["PollResult", "Source", "SourceError"]


class SourceError(Exception):
    """A failure to report in the source's health line: one clear sentence."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class PollResult:
    posts: list[Post]
    state: dict[str, Any] = field(default_factory=dict)  # persisted, handed back next poll
    not_modified: bool = False  # a 304: nothing new, the server was asked politely
    retry_after: float | None = None  # the server asked us to wait this many seconds
    note: str = ""  # something the user should act on although the poll worked (one line)


class Source(ABC):
    kind: ClassVar[str] = "abstract"

    def __init__(self, name: str, interval: float = 300.0) -> None:
        self.name = name
        self.interval = interval

    @abstractmethod
    async def poll(self, client: httpx.AsyncClient, state: dict[str, Any]) -> PollResult:
        """Fetch what is new since `state`. Raise SourceError for a clear health line."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
