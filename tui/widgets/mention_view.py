"""The selected mention in full: text, link, author history, thread and why it ranks here.

Terminals lay cells out left to right and Textual writes them cell by cell,
so right-to-left text would read backwards. Each paragraph is wrapped to the
pane width first, then every line that holds RTL letters is put in visual
order (Unicode bidi algorithm, python-bidi) and RTL paragraphs are aligned
right. The logical text stays untouched everywhere else (store, copy, reply).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from inbox import Mention
from tui.safe import clean, name_line, one_line, safe_url
from tui.widgets._bidi import bidi_lines, is_rtl, visual
from tui.widgets._virtual import set_virtual_size
from tui.widgets.queue_pane import format_reach

__all__ = ["MentionDetail", "MentionView", "bidi_lines", "is_rtl"]  # bidi re-exported


@dataclass
class MentionDetail:
    """What the responder shows for one mention; built off the UI loop by the app."""

    mention: Mention
    history: list[Mention] = field(default_factory=list)  # the author's other mentions
    members: int = 1  # open mentions this row stands for (cluster)
    parent: Mention | None = None  # the post it replies to, when known


def _history_line(history: list[Mention]) -> Text:
    if not history:
        return Text("First mention from this author.", style="dim")
    scores = [h.verdict.sentiment.compound for h in history]
    avg = sum(scores) / len(scores)
    kind = "fan" if avg >= 0.3 else "detractor" if avg <= -0.3 else "mixed"
    return Text(
        f"{len(history)} earlier mention(s), average sentiment {avg:+.2f}: {kind}",
        style="bold",
    )


class MentionView(ScrollView, can_focus=True):
    """Renders a `MentionDetail` as inert text (never markup) at the pane width.

    A scroll view over pre-rendered lines: showing another mention changes
    only this widget's virtual size, never the screen's layout, so moving the
    cursor repaints the responder alone.
    """

    DEFAULT_CSS = """
    MentionView { height: 1fr; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.detail: MentionDetail | None = None
        self._raw: list[list[Segment]] = []  # wrapped lines, not yet strips
        self._lines: dict[int, Strip] = {}  # strips made on first paint of each line
        self._style: Style | None = None  # the widget's own style, read once per layout
        self._width = 0

    def show(self, detail: MentionDetail | None) -> None:
        self.detail = detail
        self._layout_lines()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_lines()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a theme change: strips carry the old background
        self._style = None

    def _layout_lines(self) -> None:
        """Wrap the text to the width; strips are made only for lines that get painted.

        Every cursor move that settles lands here, so it stays lean: one wrap,
        no per-line style lookups (the widget's style is read once).
        """
        width = self.size.width
        if width <= 0:
            return
        text = self.build_text(max(20, width - 3))
        console = self.app.console
        self._raw = console.render_lines(text, console.options.update_width(width - 1), pad=False)
        self._lines = {}
        self._style = self.rich_style
        self._width = width
        set_virtual_size(self, Size(width - 1, len(self._raw)))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.size.width
        if self._style is None:
            self._style = self.rich_style
        if not 0 <= index < len(self._raw):
            return Strip.blank(width, self._style)
        strip = self._lines.get(index)
        if strip is None or strip.cell_length != width:
            line = [Segment(" ", self._style), *self._raw[index]]
            strip = Strip(line).adjust_cell_length(width, self._style)
            self._lines[index] = strip
        return strip

    def render_text(self) -> RenderableType:
        """The whole view as one Text at the current width (tests, copy)."""
        return self.build_text(max(20, self.size.width - 3) if self.size.width else 60)

    def build_text(self, width: int) -> Text:
        d = self.detail
        if d is None:
            return Text("Select a mention (j/k) to read it here.", style="dim")
        m = d.mention
        p = m.post
        out = Text()
        head = Text.assemble(
            (visual(name_line(p.author or "?", 40)), "bold"),
            (f"  {format_reach(p.followers)} followers", "dim"),
            (f"  {one_line(p.source, 30)}", "dim"),
            (f"  {m.verdict.language}", "dim"),
            (f"  {p.created_at.astimezone().strftime('%Y-%m-%d %H:%M')}", "dim"),
        )
        out.append_text(head)
        out.append("\n")
        status = f"{m.verdict.category} · {m.verdict.sentiment.label} · {m.state}"
        if d.members > 1:
            status += f" · {d.members} people say the same"
        if m.assignee:
            status += f" · assigned to {one_line(m.assignee, 30)}"
        out.append(status, style="italic")
        out.append("\n\n")
        if p.title:
            for line, right in bidi_lines(clean(p.title, 500), width):
                out.append((line.rjust(width) if right else line) + "\n", style="bold")
        for line, right in bidi_lines(clean(p.text), width):
            out.append((line.rjust(width) if right else line) + "\n")
        url = safe_url(p.url)
        if p.url:
            out.append("\n")
            out.append("link: ", style="dim")
            out.append(url if url else f"(not opened: {one_line(p.url, 60)})", style="underline")
            out.append("\n")
        if d.parent is not None:
            out.append("\nIn reply to ", style="dim")
            out.append(visual(name_line(d.parent.post.author or "?", 30)), style="bold")
            out.append(": " + visual(one_line(d.parent.post.text, width * 2)) + "\n")
        elif p.in_reply_to:
            out.append("\nIn reply to a post veille has not seen.\n", style="dim")
        out.append("\nWhy here\n", style="bold underline")
        if m.verdict.reasons:
            for r in m.verdict.reasons[:12]:
                out.append(f"  • {visual(one_line(str(r), width - 4))}\n")
        else:
            out.append("  no rule matched: default order\n", style="dim")
        if m.verdict.sla_minutes:
            out.append(f"  SLA {m.verdict.sla_minutes} min for {m.verdict.category}\n")
        out.append("\nAuthor\n", style="bold underline")
        out.append_text(_history_line(d.history))
        out.append("\n")
        for h in d.history[:5]:
            said = visual(one_line(h.post.text, max(10, width - 30)))
            out.append(
                f"  {h.first_seen.astimezone().strftime('%m-%d %H:%M')} "
                f"{h.verdict.category[:10]:<10} {said}\n",
                style="dim",
            )
        for rep in m.replies[-3:]:
            out.append(f"\nReplied via {rep.via} by {one_line(rep.by, 20)}: ", style="green")
            out.append(visual(one_line(rep.text, width)) + "\n")
        out.no_wrap = False
        return out
