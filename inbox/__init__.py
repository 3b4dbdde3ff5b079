"""The inbox: mentions, the store, ingest, triage, drafts, queue, metrics and reports."""

from inbox.config import Config, ConfigError, Topic, load_config
from inbox.model import CLOSED_STATES, Mention, Reply
from inbox.service import Inbox, IngestResult, QueueItem, author_key
from inbox.store import MemoryStore, Op, Store, StoreError, StoreLocked

__all__ = [
    "CLOSED_STATES",
    "Config",
    "ConfigError",
    "Inbox",
    "IngestResult",
    "MemoryStore",
    "Mention",
    "Op",
    "QueueItem",
    "Reply",
    "Store",
    "StoreError",
    "StoreLocked",
    "Topic",
    "author_key",
    "load_config",
]
