"""The header line: open mentions per category, SLA breaches, sources health.

Plus, on demo data, a banner that says so and where the config file goes,
so a new user knows how to make veille listen for real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui.safe import one_line

__all__ = ["DemoBanner", "StatusBar"]


class StatusBar(Static):
    _last = ""

    def update_status(
        self,
        counts: dict[str, int],
        breaches: int,
        health: dict[str, dict[str, Any]],
        *,
        filtered: str = "",
        total: int = 0,
    ) -> None:
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(" veille ", style="bold reverse")
        t.append(" ")
        for cat, n in counts.items():
            if n or cat != "other":
                t.append(f"{cat} ", style="dim")
                t.append(f"{n}  ", style="bold")
        t.append("│ ", style="dim")
        if breaches:
            t.append(f"SLA breached {breaches}", style="bold red")
        else:
            t.append("SLA ok", style="green")
        t.append("  │ ", style="dim")
        bad = [
            name
            for name, h in health.items()
            if str(h.get("status", h.get("state", "ok"))) not in ("ok", "idle", "done", "")
        ]
        if not health:
            t.append("sources: starting", style="dim")
        elif bad:
            t.append(f"sources: {len(bad)} failing ", style="bold yellow")
            t.append(one_line(", ".join(bad), 40), style="yellow")
        else:
            t.append(f"sources: {len(health)} ok", style="green")
        if filtered:
            t.append("  │ filter: ", style="dim")
            t.append(one_line(filtered, 40), style="bold")
        if total:
            t.append(f"  │ {total} stored", style="dim")
        if t.plain != self._last:  # an unchanged line costs no repaint
            self._last = t.plain
            self.update(t, layout=False)  # one line, always: no screen layout for new counts


class DemoBanner(Static):
    def show_for(self, config_path: Path) -> None:
        t = Text(no_wrap=False)
        t.append(" Demo data ", style="bold reverse")
        t.append(" veille is replaying a fictional brand. To listen for real, write ")
        t.append(one_line(str(config_path), 200), style="bold")
        t.append(" (see README: [[source]] tables).")
        self.update(t)
