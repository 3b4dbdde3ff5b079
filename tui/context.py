"""Where config and data live for one run, and how to open them.

Shared by every command and the app: `--config`/`VEILLE_CONFIG` and
`--data-dir`/`VEILLE_DATA_DIR` choose isolated copies (tests, several brands).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from inbox import Config, Inbox, MemoryStore, Store, load_config
from rules import RuleSet, load_rules
from rules.watcher import RuleWatcher

__all__ = ["Context", "default_config_path", "default_data_dir"]


def default_config_path() -> Path:
    return platformdirs.user_config_path("veille") / "config.toml"


def default_data_dir() -> Path:
    return platformdirs.user_data_path("veille")


@dataclass
class Context:
    config_path: Path
    data_dir: Path
    config: Config = field(default_factory=Config)
    _inbox: Inbox | None = None
    # Set by the console: the near-duplicate index is rebuilt only once this is set
    # (after the first paint), so the rebuild does not share the GIL with start-up.
    background_gate: threading.Event | None = None

    @classmethod
    def from_args(cls, config: str | None = None, data_dir: str | None = None) -> Context:
        cpath = Path(config or os.environ.get("VEILLE_CONFIG") or default_config_path())
        ddir = Path(data_dir or os.environ.get("VEILLE_DATA_DIR") or default_data_dir())
        cpath = cpath.expanduser()
        return cls(config_path=cpath, data_dir=ddir.expanduser(), config=load_config(cpath))

    def load_rules(self, rules_dir: Path | None = None) -> RuleSet:
        dirs = [rules_dir] if rules_dir is not None else list(self.config.rules_dirs)
        return self.with_config_sla(load_rules(dirs, self.config.rules_active))

    def with_config_sla(self, rs: RuleSet) -> RuleSet:
        """The rule set with config.toml's [sla], which overrides the packs' targets."""
        if self.config.sla:
            rs.sla.update(self.config.sla)
        return rs

    def rule_watcher(self) -> RuleWatcher:
        """A watcher on the configured rule files (raises what building it raised)."""
        return RuleWatcher(list(self.config.rules_dirs), self.config.rules_active, settle=True)

    def open_store(self, *, read_only: bool = False) -> Store:
        if str(self.data_dir) == ":memory:":
            return MemoryStore()
        from inbox.journal_store import JournalStore

        return JournalStore.open(self.data_dir, read_only=read_only)

    def make_clusterer(self) -> object | None:
        try:
            from inbox.clusters import Clusterer
        except ImportError:
            return None
        if self.background_gate is not None:
            return _GatedClusterer(Clusterer(), self.background_gate)
        return Clusterer()

    def open_inbox(self, *, read_only: bool = False, rules: RuleSet | None = None) -> Inbox:
        if self._inbox is None:
            store = self.open_store(read_only=read_only)
            clusterer = self.make_clusterer()
            self._inbox = Inbox(
                store,
                rules or self.load_rules(),
                self.config,
                clusterer=clusterer,  # type: ignore[arg-type]
            )
        return self._inbox

    def close(self) -> None:
        if self._inbox is not None:
            self._inbox.store.close()
            self._inbox = None


GATE_TIMEOUT = 10.0  # seconds: a console that never paints must not hold ingest forever


class _GatedClusterer:
    """A clusterer whose background rebuild waits for the console's first paint.

    The inbox rebuilds the index in its own thread (holding its cluster lock, so
    ingest waits for it either way); here that thread first waits for the gate.
    Everything else goes straight to the real clusterer.
    """

    def __init__(self, inner: Any, gate: threading.Event) -> None:
        self._inner = inner
        self._gate = gate

    def load(self, mentions: Any) -> Any:
        self._gate.wait(GATE_TIMEOUT)
        return self._inner.load(mentions)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
