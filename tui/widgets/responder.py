"""The Responder: the selected mention in full above its reply draft.

The draft is saved as you type: each change restarts a short timer and the
save goes out when typing pauses (or at once when the user moves to another
mention or quits), so nothing typed is lost and the store is not written on
every key.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static, TextArea

from tui.messages import DraftChanged
from tui.safe import clean
from tui.widgets._bidi import bidi_lines, has_rtl
from tui.widgets.mention_view import MentionDetail, MentionView

__all__ = ["Responder", "DRAFT_DEBOUNCE"]

DRAFT_DEBOUNCE = 0.4  # seconds of quiet before a draft is saved
PREVIEW_LINES = 3  # lines of a right-to-left draft shown in reading order under it

# Keys Textual names by word whose character it does not give back (textual.keys)
_KEY_CHARACTERS = {"slash": "/", "backslash": "\\", "minus": "-", "plus": "+"}


class DraftArea(TextArea):
    """The draft. Every printable key types into it, `/` included, so the footer must
    not offer that key's console action while it has focus (it offered / Filter)."""

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return super().check_consume_key(key, character or _KEY_CHARACTERS.get(key))


class Responder(Vertical):
    # esc already leaves from anywhere (the main screen binds it); bound here too so the
    # footer shows it while the user is in the responder, where it is the way out.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "app.leave_draft", "Back", id="responder.back", tooltip="Back to the list"
        )
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mention_id: str | None = None
        self._loading = False
        self._timer: Timer | None = None
        self._pending: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield MentionView(id="detail")
        yield Static("Draft: r to write, t for a template, ctrl+s to send", id="draft-label")
        yield DraftArea(id="draft", soft_wrap=True, tab_behavior="focus", show_line_numbers=False)
        yield Static(id="draft-preview")

    def on_mount(self) -> None:
        self.query_one("#draft-preview").display = False

    def _preview(self, text: str) -> None:
        """The draft as it will read, under it, when it holds right-to-left words.

        The draft is edited in logical order (the cursor must move through the text as
        stored), which a terminal without bidi shows backwards; this line shows it the
        way the mention's text is shown above.
        """
        preview = self.query_one("#draft-preview", Static)
        if not has_rtl(text):
            preview.display = False
            return
        width = max(10, self.content_region.width - 2)  # the preview's own padding
        lines = bidi_lines(clean(text, limit=2000), width)[-PREVIEW_LINES:]
        shown = Text("\n".join(line.rjust(width) if right else line for line, right in lines))
        shown.no_wrap = True
        preview.update(shown)
        preview.display = True

    @property
    def draft_area(self) -> TextArea:
        return self.query_one("#draft", TextArea)

    @property
    def view(self) -> MentionView:
        return self.query_one("#detail", MentionView)

    def show(self, detail: MentionDetail | None, draft: str) -> None:
        """Show a mention and its saved draft; a pending edit of the last one is saved first."""
        new_id = detail.mention.id if detail is not None else None
        same = new_id == self.mention_id
        self.view.show(detail)
        if same:
            return
        self.flush()
        self.mention_id = new_id
        text = clean(draft)
        if text != self.draft_area.text:  # most mentions have no draft: skip the reload
            self._loading = True
            try:
                self.draft_area.load_text(text)
            finally:
                self._loading = False
        self.draft_area.disabled = new_id is None

    def set_draft(self, text: str) -> None:
        """Replace the draft (a template was chosen) and save it."""
        self.draft_area.load_text(text)
        self.draft_area.move_cursor(self.draft_area.document.end)
        self._changed(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "draft":
            return
        self._preview(event.text_area.text)
        if self._loading:
            return
        self._changed(event.text_area.text)

    def _changed(self, text: str) -> None:
        if self.mention_id is None:
            return
        self._pending = (self.mention_id, text)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DEBOUNCE, self.flush)

    def flush(self) -> None:
        """Save the pending edit now (moving away, sending, quitting)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending is not None:
            mid, text = self._pending
            self._pending = None
            self.post_message(DraftChanged(mid, text))

    def take_pending(self) -> tuple[str, str] | None:
        """The unsaved edit, handed to the caller to save now (quitting)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        pending, self._pending = self._pending, None
        return pending

    @property
    def text(self) -> str:
        return self.draft_area.text
