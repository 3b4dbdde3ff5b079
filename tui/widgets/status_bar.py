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


def short_names(names: list[str], least: int = 3) -> dict[str, str]:
    """Each name cut to its shortest prefix of at least `least` letters that no other
    name shares: "question complaint" as "que com"."""
    out: dict[str, str] = {}
    for name in names:
        n = least
        while n < len(name) and any(o != name and o.startswith(name[:n]) for o in names):
            n += 1
        out[name] = name[:n]
    return out


class StatusBar(Static):
    """One line; on a narrow terminal it sheds what matters least (the stored total, the
    badge, whole category names, failing sources' names) before it would cut off an SLA
    breach, a failing source or the filter in force."""

    _last = ""
    _args: tuple[dict[str, int], int, dict[str, dict[str, Any]], str, int] | None = None

    def update_status(
        self,
        counts: dict[str, int],
        breaches: int,
        health: dict[str, dict[str, Any]],
        *,
        filtered: str = "",
        total: int = 0,
    ) -> None:
        self._args = (counts, breaches, health, filtered, total)
        self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        if self._args is None:
            return
        width = self.size.width
        t = self._line(*self._args, level=0)
        for level in range(1, 5):
            if not width or t.cell_len <= width:
                break
            t = self._line(*self._args, level=level)
        if t.plain != self._last:  # an unchanged line costs no repaint
            self._last = t.plain
            self.update(t, layout=False)  # one line, always: no screen layout for new counts

    @staticmethod
    def _line(
        counts: dict[str, int],
        breaches: int,
        health: dict[str, dict[str, Any]],
        filtered: str,
        total: int,
        *,
        level: int,
    ) -> Text:
        """The line at a level of detail: 0 is everything, each level drops one more thing."""
        t = Text(no_wrap=True, overflow="ellipsis")
        if level < 2:
            t.append(" veille ", style="bold reverse")
        t.append(" ")
        names = short_names(list(counts)) if level >= 3 else {c: c for c in counts}
        gap = "  " if level < 3 else " "
        for cat, n in counts.items():
            if n or cat != "other":
                t.append(f"{one_line(names[cat], 20)} ", style="dim")
                t.append(f"{n}{gap}", style="bold")
        t.append("│ ", style="dim")
        if breaches:
            t.append(f"SLA breached {breaches}", style="bold red")
        else:
            t.append("SLA ok", style="green")
        t.append(" │ " if level >= 3 else "  │ ", style="dim")
        bad = [
            name
            for name, h in health.items()
            if str(h.get("status", h.get("state", "ok"))) not in ("ok", "idle", "done", "")
        ]
        if not health:
            t.append("sources: starting", style="dim")
        elif bad:
            t.append(f"sources: {len(bad)} failing", style="bold yellow")
            if level < 4:
                t.append(" " + one_line(", ".join(bad), 40), style="yellow")
        else:
            t.append(f"sources: {len(health)} ok", style="green")
        if filtered:
            t.append(" │ filter: " if level >= 3 else "  │ filter: ", style="dim")
            t.append(one_line(filtered, 40), style="bold")
        if total and level < 1:
            t.append(f"  │ {total} stored", style="dim")
        return t


class DemoBanner(Static):
    def show_for(self, config_path: Path) -> None:
        t = Text(no_wrap=False)
        t.append(" Demo data ", style="bold reverse")
        t.append(" veille is replaying a fictional brand. To listen for real, write ")
        t.append(one_line(str(config_path), 200), style="bold")
        t.append(" (see README: [[source]] tables).")
        self.update(t)
