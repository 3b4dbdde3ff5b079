"""Reload rule files while the app runs, keeping the last good version of a broken file.

`poll()` only stats files (mtime and size), so calling it every second costs next to
nothing; it reparses only when something changed on disk.
"""

from __future__ import annotations

from pathlib import Path

from rules.engine import ParsedFile, RuleSet, build_ruleset, parse_file, rule_files
from rules.schema import RuleError

__all__ = ["RuleWatcher"]

Signature = dict[Path, tuple[int, int]]


class RuleWatcher:
    def __init__(
        self,
        dirs: list[Path] | None = None,
        active: list[str] | None = None,
        *,
        settle: bool = False,
    ) -> None:
        self.dirs = [Path(d) for d in dirs or []]
        self.active = active
        # settle: load a change only once the files look the same on two polls in a
        # row, so a file caught mid-save (truncated, half written) is never in force
        self.settle = settle
        self._pending: Signature | None = None
        self._good: dict[Path, ParsedFile] = {}
        self._sig: Signature = {}
        self.errors: list[RuleError] = []
        self.current: RuleSet = self._load()

    def _signature(self) -> Signature:
        sig: Signature = {}
        for p in rule_files(self.dirs, self.active):
            try:
                st = p.stat()
            except OSError:
                continue
            sig[p] = (st.st_mtime_ns, st.st_size)
        for d in self.dirs:
            try:
                sig[d] = (d.stat().st_mtime_ns, 0)  # a file added or removed
            except OSError:
                pass
        return sig

    def _load(self) -> RuleSet:
        self._sig = self._signature()
        files = rule_files(self.dirs, self.active)
        fresh = [parse_file(p) for p in files]
        first = build_ruleset(fresh)
        broken = {e.path for e in first.errors}
        if not broken:
            self._good = {pf.path: self._keep(pf) for pf in fresh}
            self.errors = []
            return first
        # Broken files: put their last good version back, if there is one.
        chosen: list[ParsedFile] = []
        for pf in fresh:
            if str(pf.path) in broken:
                old = self._good.get(pf.path)
                if old is not None:
                    chosen.append(ParsedFile(**{**old.__dict__, "errors": []}))
            else:
                chosen.append(pf)
        rs = build_ruleset(chosen)
        for pf in chosen:
            if not any(e.path == str(pf.path) for e in rs.errors):
                self._good[pf.path] = self._keep(pf)
        rs.errors = first.errors + [e for e in rs.errors if e not in first.errors]
        rs.files = files
        self.errors = rs.errors
        return rs

    def _keep(self, pf: ParsedFile) -> ParsedFile:
        """The version to fall back on later. A file that reads empty is, nearly always,
        an editor or a script caught between truncating and writing it: it is in force
        while it is empty, but the version before it stays the one a broken save falls
        back to."""
        old = self._good.get(pf.path)
        if old is not None and not pf.text.strip() and old.text.strip():
            return old
        return pf

    def poll(self) -> bool:
        """Reload when a rule file changed on disk; True when a new set is in force."""
        sig = self._signature()
        if sig == self._sig:
            self._pending = None
            return False
        if self.settle and sig != self._pending:
            self._pending = sig
            return False
        self._pending = None
        self.current = self._load()
        return True
