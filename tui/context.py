"""Where config and data live for one run, and how to open them.

Shared by every command and the app: `--config`/`VEILLE_CONFIG` and
`--data-dir`/`VEILLE_DATA_DIR` choose isolated copies (tests, several brands).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from inbox import Config, Inbox, MemoryStore, Store, load_config
from rules import RuleSet, load_rules

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

    @classmethod
    def from_args(cls, config: str | None = None, data_dir: str | None = None) -> Context:
        cpath = Path(config or os.environ.get("VEILLE_CONFIG") or default_config_path())
        ddir = Path(data_dir or os.environ.get("VEILLE_DATA_DIR") or default_data_dir())
        cpath = cpath.expanduser()
        return cls(config_path=cpath, data_dir=ddir.expanduser(), config=load_config(cpath))

    def load_rules(self, rules_dir: Path | None = None) -> RuleSet:
        dirs = [rules_dir] if rules_dir is not None else list(self.config.rules_dirs)
        rs = load_rules(dirs, self.config.rules_active)
        if self.config.sla:
            # config.toml's [sla] overrides the packs' response-time targets
            rs.sla.update(self.config.sla)
        return rs

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
