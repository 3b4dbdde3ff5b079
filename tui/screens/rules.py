"""Rules: which files are in force, which are broken and where, how often each rule fires."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from tui.safe import one_line
from tui.screens._util import sync_table

__all__ = ["RulesScreen", "read_rules"]

COLUMNS = ("Rule", "File", "Label", "Hits")


def _list(value: object) -> list[Any]:
    if value is None or isinstance(value, str | bytes):
        return []
    try:
        return list(value)  # type: ignore[call-overload]
    except TypeError:
        return []


def read_rules(rules: object) -> dict[str, Any]:
    """What the screen shows, read from anything shaped like a RuleSet.

    Each attribute is optional and may be of a loose type: the rule set keeps
    growing, and a screen that crashes on a missing field helps nobody fix
    their rules.
    """
    files = [str(f) for f in _list(getattr(rules, "files", None))]
    errors = [str(e) for e in _list(getattr(rules, "errors", None))]
    categories = [str(c) for c in _list(getattr(rules, "categories", None))]
    summary: list[dict[str, Any]] = []
    fn = getattr(rules, "rules_summary", None)
    if callable(fn):
        try:
            summary = [dict(d) for d in _list(fn()) if isinstance(d, dict)]
        except Exception:
            summary = []
    if not summary:
        hits = getattr(rules, "hits", None)
        if isinstance(hits, dict):
            summary = [{"id": k, "hits": v} for k, v in hits.items()]
    return {"files": files, "errors": errors, "categories": categories, "rules": summary}


def _hits(d: dict[str, Any]) -> int:
    try:
        return int(d.get("hits") or 0)
    except (TypeError, ValueError):
        return 0


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _file_label(path: str) -> str:
    return Path(path).name or path


class RulesScreen(ModalScreen[None]):
    """Active rule files, their errors as `file:line:col: message`, and hits per rule.

    `get_rules()` is called on each refresh so a rule set reloaded by the
    watcher shows up here without reopening the screen. Modal, so the
    console's triage keys stay with the console.
    """

    CSS_PATH = "screens.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="rules.close", tooltip="Back to the console"),
        Binding("r", "refresh_now", "Refresh", id="rules.refresh", tooltip="Read the rules now"),
    ]

    def __init__(self, get_rules: Callable[[], object], *, interval: float = 2.0) -> None:
        super().__init__()
        self.get_rules = get_rules
        self.interval = interval

    def compose(self) -> ComposeResult:
        yield Static(Text("Rules"), classes="vs-title")
        yield Static(id="rules-files")
        yield Static(id="rules-categories")
        yield Static(id="rules-errors")
        yield DataTable(id="rules-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="rules-status", classes="vs-status")
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        for col in COLUMNS:
            table.add_column(Text(col), key=col)
        self.refresh_data()
        self.set_interval(self.interval, self.refresh_data)
        table.focus()

    def refresh_data(self) -> None:
        status = self.query_one("#rules-status", Static)
        try:
            data = read_rules(self.get_rules())
        except Exception as exc:
            status.update(Text(one_line(f"cannot read the rules: {exc}", 200)))
            return
        self._show_files(data["files"])
        cats = self.query_one("#rules-categories", Static)
        cats.update(
            Text("Queue order: ") + Text(" › ".join(one_line(c, 30) for c in data["categories"]))
        )
        cats.display = bool(data["categories"])
        self._show_errors(data["errors"])
        rows = []
        ordered = sorted(data["rules"], key=lambda d: (-_hits(d), str(d.get("id", ""))))
        keys: set[str] = set()
        for n, d in enumerate(ordered):
            rid = str(d.get("id", "")) or f"#{n}"
            key = f"{d.get('file', '')}\0{rid}"
            while key in keys:  # two files may reuse an id; a table key must be unique
                key += "'"
            keys.add(key)
            hits = _hits(d)
            rows.append(
                (
                    key,
                    [
                        Text(one_line(rid, 40), no_wrap=True, overflow="ellipsis"),
                        Text(one_line(_file_label(str(d.get("file", ""))), 30)),
                        Text(one_line(d.get("label", ""), 30)),
                        Text(str(hits), style="bold" if hits else "dim", justify="right"),
                    ],
                )
            )
        sync_table(self.query_one(DataTable), rows)
        total = sum(_hits(d) for d in data["rules"])
        status.update(
            Text(
                f"{_n(len(data['files']), 'file')}, {_n(len(rows), 'rule')}, "
                f"{_n(total, 'hit')}, {_n(len(data['errors']), 'error')} · "
                f"refreshed every {self.interval:g}s"
            )
        )

    def _show_files(self, files: Iterable[str]) -> None:
        text = Text("Files: ", style="bold")
        names = [one_line(_file_label(f), 40) for f in files]
        text.append(", ".join(names) if names else "none", style="" if names else "dim")
        self.query_one("#rules-files", Static).update(text)

    def _show_errors(self, errors: list[str]) -> None:
        box = self.query_one("#rules-errors", Static)
        box.display = bool(errors)
        if not errors:
            return
        head = f"{_n(len(errors), 'error')} (the last good rules stay in force):"
        text = Text(head, style="bold")
        colour = self.app.get_css_variables().get("text-error", "red")
        for e in errors[:50]:
            text.append("\n")
            text.append(one_line(e, 300), style=colour)
        box.update(text)

    def action_refresh_now(self) -> None:
        self.refresh_data()

    def action_close(self) -> None:
        self.dismiss(None)
