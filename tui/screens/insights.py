"""Insights: volume per category, sentiment, terms, clusters, authors, sources, response times.

Computing the figures reads every stored mention, so it runs in a thread worker
and the screen paints at once with the figures still coming. The cheap figures
(volume, sentiment, sources, clusters, response times) arrive first; author lists
and top terms, the slower part, follow in a second paint. Rows are kept per inbox
between openings (`inbox.rows.cached_rows`: only mentions that changed are read
again) and terms are cached per mention, so a second look is quicker than the first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Sparkline, Static
from textual.worker import get_current_worker

from inbox.authors import AuthorProfile
from inbox.metrics import Insights, TermCache, TermChange, add_later, compute
from inbox.rows import cached_rows, rows_of
from tui.safe import safe_text

__all__ = ["InsightsScreen", "PERIODS"]

PERIODS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
SENTIMENT_STYLES = {"negative": "red", "neutral": "grey62", "positive": "green"}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _mins(x: float | None) -> str:
    if x is None:
        return "–"
    if x < 90:
        return f"{x:.0f}m"
    if x < 2880:
        return f"{x / 60:.1f}h"
    return f"{x / 1440:.1f}d"


def _change(t: TermChange) -> Text:
    if t.previous == 0:
        return Text("new", style="bold")
    style = "red" if t.change > 0 else "green" if t.change < 0 else ""
    return Text(f"{t.change:+d} ({t.change_pct:+.0f}%)", style=style)


def _bar(parts: list[tuple[str, int, str]], width: int = 50) -> Text:
    """One line of coloured blocks, proportional and exactly `width` long, then the legend
    with shares: on one line when it fits in `width`, else one entry a line."""
    total = sum(n for _, n, _ in parts) or 1
    out = Text()
    done = 0
    running = 0
    for _label, n, style in parts:
        running += n
        upto = round(width * running / total)  # cumulative: the blocks add up to `width`
        out.append("█" * (upto - done), style=style)
        done = upto
    entries = []
    for label, n, style in parts:
        entry = Text("■ ", style=style)
        entry.append_text(safe_text(label, single_line=True, width=30))
        entry.append(f" {n} ({100 * n / total:.0f}%)")
        entries.append(entry)
    one_line_legend = sum(e.cell_len for e in entries) + 3 * (len(entries) - 1) <= width
    for i, entry in enumerate(entries):
        out.append("   " if i and one_line_legend else "\n")
        out.append_text(entry)
    return out


class _Bars:
    """A `_bar` drawn at the width it is given when painted (at most 50 cells), so it
    never wraps however the columns are laid out or the terminal resized."""

    def __init__(self, parts: list[tuple[str, int, str]]) -> None:
        self.parts = parts

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield _bar(self.parts, max(8, min(50, options.max_width)))


def _author_cell(p: AuthorProfile) -> Text:
    t = safe_text(p.name, single_line=True, width=22)
    if p.vip:
        t.append(" ★", style="yellow")
    return t


class InsightsScreen(ModalScreen[None]):
    """The figures for a period (24h, 7 days, 30 days) from the inbox's store."""

    CSS_PATH = "insights.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="insights.close", tooltip="Back to the console"),
        Binding("1", "period('24h')", "24h", id="insights.24h", tooltip="The last 24 hours"),
        Binding("7", "period('7d')", "7 days", id="insights.7d", tooltip="The last 7 days"),
        Binding("3", "period('30d')", "30 days", id="insights.30d", tooltip="The last 30 days"),
        Binding(
            "r", "refresh_now", "Refresh", id="insights.refresh", tooltip="Read the store again"
        ),
    ]

    def __init__(
        self,
        inbox: Any,
        *,
        period: str = "7d",
        clock: Callable[[], datetime] = _now,
        top: int = 8,
    ) -> None:
        super().__init__()
        self.inbox = inbox
        self.period = period if period in PERIODS else "7d"
        self.clock = clock
        self.top = top
        self.insights: Insights | None = None
        self.paints = 0  # figures shown so far (1: first stage, 2: complete)
        self.first_paint_ms: float | None = None
        self._terms = TermCache()
        self._started = 0.0

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text("Insights"), id="ins-title", classes="ins-title")
        with VerticalScroll(id="ins-body"):
            yield Static(Text("Volume by category", style="bold"), classes="ins-h")
            yield Vertical(id="ins-volume")
            with Horizontal(classes="ins-row"):
                with Vertical(classes="ins-col"):
                    yield Static(Text("Sentiment", style="bold"), classes="ins-h")
                    yield Static(id="ins-sentiment")
                with Vertical(classes="ins-col"):
                    yield Static(Text("Sources", style="bold"), classes="ins-h")
                    yield Static(id="ins-sources")
            yield Static(Text("Response times", style="bold"), classes="ins-h")
            yield DataTable(id="ins-response", cursor_type="none", zebra_stripes=True)
            with Horizontal(classes="ins-row"):
                with Vertical(classes="ins-col"):
                    yield Static(Text("Top terms", style="bold"), classes="ins-h")
                    yield DataTable(id="ins-terms", cursor_type="none")
                with Vertical(classes="ins-col"):
                    yield Static(Text("Top hashtags", style="bold"), classes="ins-h")
                    yield DataTable(id="ins-hashtags", cursor_type="none")
            yield Static(Text("Top clusters", style="bold"), classes="ins-h")
            yield DataTable(id="ins-clusters", cursor_type="none")
            with Horizontal(classes="ins-row"):
                for key, title in (
                    ("fans", "Fans"),
                    ("detractors", "Detractors"),
                    ("influencers", "Influencers"),
                ):
                    with Vertical(classes="ins-col"):
                        yield Static(Text(title, style="bold"), classes="ins-h")
                        yield DataTable(id=f"ins-{key}", cursor_type="none")
        yield Static(id="ins-status", classes="ins-status")
        yield Footer()

    def on_mount(self) -> None:
        cols = {
            "ins-response": ("Category", "Answered", "Median", "p90", "SLA", "Within", "Breaching"),
            "ins-terms": ("Term", "Now", "Before", "Change"),
            "ins-hashtags": ("Hashtag", "Now", "Before", "Change"),
            "ins-clusters": ("Mentions", "Open", "First mention"),
            "ins-fans": ("Author", "Posts", "Mood"),
            "ins-detractors": ("Author", "Posts", "Mood"),
            "ins-influencers": ("Author", "Reach", "Drew"),
        }
        for tid, names in cols.items():
            table: DataTable[Text] = self.query_one(f"#{tid}", DataTable)
            for name in names:
                table.add_column(Text(name), key=name)
        self._status("computing…")
        self.recompute()

    # -- computing (off the UI loop) ----------------------------------------------------
    def recompute(self) -> None:
        self._started = time.perf_counter()
        self._compute(self.period)

    @work(thread=True, group="insights", exclusive=True, exit_on_error=False)
    def _compute(self, period: str) -> None:
        worker = get_current_worker()
        now = self.clock()
        if hasattr(self.inbox, "subscribe"):
            rows = cached_rows(self.inbox)  # only what changed since the last look is read
        else:
            rows = rows_of(self.inbox)
        if worker.is_cancelled:
            return
        rules = getattr(self.inbox, "rules", None)
        config = getattr(self.inbox, "config", None)
        cats = tuple(getattr(rules, "categories", ()) or ())
        vip = tuple(getattr(config, "vip", ()) or ())
        brand = str(getattr(config, "brand_words", "") or "")
        ins = compute(
            rows,
            now - PERIODS[period],
            now,
            now=now,
            categories=cats,
            vip=vip,
            brand=brand,
            top=self.top,
            with_terms=False,
            with_authors=False,
            cancelled=lambda: worker.is_cancelled,
        )
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._show, ins, period)
        add_later(ins, rows, vip=vip, brand=brand, top=self.top, term_cache=self._terms)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, ins, period)

    # -- painting (UI loop) -----------------------------------------------------------
    def _show(self, ins: Insights, period: str) -> None:
        if period != self.period:
            return
        self.insights = ins
        self.paints += 1
        if self.first_paint_ms is None:
            self.first_paint_ms = (time.perf_counter() - self._started) * 1000
        delta = ins.total - ins.previous_total
        title = Text(f"Insights · last {period} · ", style="bold")
        title.append(f"{ins.total} mentions ({delta:+d} vs the previous {period})")
        if ins.spam:
            title.append(f" · {ins.spam} spam left out", style="dim")
        self.query_one("#ins-title", Static).update(title)
        self._paint_volume(ins)
        self._paint_bars(ins)
        resp = [*ins.response, *([ins.overall] if ins.overall else [])]
        self._fill(
            "ins-response",
            [
                [
                    safe_text(r.category, single_line=True, width=16),
                    Text(str(r.answered)),
                    Text(_mins(r.median_minutes)),
                    Text(_mins(r.p90_minutes)),
                    Text(_mins(r.sla_minutes) if r.sla_minutes else "–"),
                    Text("–" if r.share_within is None else f"{100 * r.share_within:.0f}%"),
                    Text(str(r.breaching_open), style="bold red" if r.breaching_open else ""),
                ]
                for r in resp
            ],
        )
        self._fill(
            "ins-clusters",
            [
                [
                    Text(str(c.count)),
                    Text(str(c.open)),
                    safe_text(c.text, single_line=True, width=90),
                ]
                for c in ins.clusters
            ],
        )
        done = ins.terms_done and ins.authors_done
        if ins.terms_done:
            for tid, items in (("ins-terms", ins.terms), ("ins-hashtags", ins.hashtags)):
                self._fill(
                    tid,
                    [
                        [
                            safe_text(t.term, single_line=True, width=24),
                            Text(str(t.count)),
                            Text(str(t.previous)),
                            _change(t),
                        ]
                        for t in items
                    ],
                )
        if ins.authors_done:
            self._fill("ins-fans", [self._mood(p) for p in ins.fans])
            self._fill("ins-detractors", [self._mood(p) for p in ins.detractors])
            self._fill(
                "ins-influencers",
                [[_author_cell(p), Text(str(p.reach)), Text(str(p.drew))] for p in ins.influencers],
            )
        took = (time.perf_counter() - self._started) * 1000
        self._status(
            f"{'figures' if done else 'first figures'} in {took:.0f} ms"
            + ("" if done else " · terms and authors coming…")
            + " · 1 24h · 7 7 days · 3 30 days · r refresh"
        )

    def _paint_bars(self, ins: Insights) -> None:
        self.query_one("#ins-sentiment", Static).update(
            _Bars([(k, n, SENTIMENT_STYLES.get(k, "")) for k, n in ins.sentiment.items()])
        )
        styles = ("blue", "magenta", "cyan", "yellow", "green", "red")
        self.query_one("#ins-sources", Static).update(
            _Bars([(s, n, styles[i % len(styles)]) for i, (s, n) in enumerate(ins.sources)])
            if ins.sources
            else Text("no mentions in this period", style="dim")
        )

    def _paint_volume(self, ins: Insights) -> None:
        box = self.query_one("#ins-volume", Vertical)
        cats = [c for c in ins.categories if c in ins.volume]
        data: list[tuple[Text, list[float]]] = []
        for c in cats:
            counts = ins.volume.get(c, [])
            label = safe_text(c, single_line=True, width=12)
            label.pad_right(12 - len(label.plain))
            label.append(f" {sum(counts):>6}")
            data.append((label, [float(v) for v in counts]))
        rows = list(box.query(".ins-spark-row"))
        if len(rows) != len(cats):
            box.remove_children()
            box.mount_all(
                Horizontal(
                    Static(label, classes="ins-spark-label"),
                    Sparkline(vals, classes="ins-spark"),
                    classes="ins-spark-row",
                )
                for label, vals in data
            )
            return
        for row, (label, vals) in zip(rows, data, strict=True):
            row.query_one(".ins-spark-label", Static).update(label)
            row.query_one(Sparkline).data = vals

    def _mood(self, p: AuthorProfile) -> list[Text]:
        style = "green" if p.mean_sentiment > 0 else "red"
        return [_author_cell(p), Text(str(p.count)), Text(f"{p.mean_sentiment:+.2f}", style=style)]

    def _fill(self, table_id: str, rows: list[list[Text]]) -> None:
        table: DataTable[Text] = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        for i, cells in enumerate(rows):
            table.add_row(*cells, key=str(i))

    def _status(self, text: str) -> None:
        self.query_one("#ins-status", Static).update(Text(text))

    # -- actions ------------------------------------------------------------------------
    def action_period(self, period: str) -> None:
        if period in PERIODS and period != self.period:
            self.period = period
            self._status(f"computing the last {period}…")
            self.recompute()

    def action_refresh_now(self) -> None:
        self._status("computing…")
        self.recompute()

    def action_close(self) -> None:
        self.workers.cancel_group(self, "insights")
        self.dismiss(None)
