"""Replying: canned replies into the draft, then sending through each mention's source.

Kept out of tui/app.py so the app stays about panes and keys. The network
call runs in a thread worker (group "send"); the draft is saved first, so a
crash mid-send never loses it, and a failure keeps it with a one-line reason.
Channels without a reply API come back as manual: the post opens in the
browser with the draft on the clipboard, and a confirm dialog records it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from inbox.send import SendReport, confirm_manual, send_reply
from inbox.templates import Template, missing_variables, render, values_for
from tui.safe import one_line, safe_url
from tui.screens.ask import AskScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.pick import PickScreen
from tui.triage import open_in_browser

if TYPE_CHECKING:
    from tui.app import VeilleApp

__all__ = ["pick_template", "send"]


def pick_template(app: VeilleApp) -> None:
    """`t`: choose a template (the mention's language first) and fill it in."""
    app._show_active()
    m = app._current()
    if m is None:
        app.notify("No mention selected.", severity="warning", markup=False)
        return
    app._load_templates()  # read again: a reply just added to replies.toml is offered now
    if not app.templates:
        app.notify(
            f"No canned replies: add [[template]] tables to {app.templates_path()}.",
            severity="warning",
            markup=False,
        )
        return
    lang = m.verdict.language
    ordered = sorted(app.templates, key=lambda t: not t.has_language(lang))
    choices = [(str(i), t.name) for i, t in enumerate(ordered)]

    def chosen(key: str | None) -> None:
        if key is None:
            return
        tpl = ordered[int(key)]
        _fill(app, m.id, tpl, tpl.text_for(lang), values_for(m, app.ctx.config))

    app.push_screen(PickScreen(f"Template ({lang})", choices), chosen)


def _fill(
    app: VeilleApp, mention_id: str, tpl: Template, text: str, values: dict[str, str]
) -> None:
    """Ask for each missing value in turn, then append the filled text to the draft."""
    missing = missing_variables(text, values)
    if missing:
        var = missing[0]

        def answered(value: str | None) -> None:
            if value is not None:
                _fill(app, mention_id, tpl, text, {**values, var: value})

        app.push_screen(AskScreen(tpl.question(var)), answered)
        return
    _, _, resp = app._panes()
    if resp.mention_id != mention_id:
        return
    current = resp.text.rstrip()
    filled = render(text, values)
    resp.set_draft(f"{current}\n{filled}" if current else filled)
    app._active_pane = "responder"
    resp.draft_area.focus()


def send(app: VeilleApp) -> None:
    """`ctrl+s`: send the draft to the mention, or to every member of its cluster row."""
    q, _, resp = app._panes()
    if resp.mention_id is None:
        app.notify("No mention selected.", severity="warning", markup=False)
        return
    text = resp.text
    if not text.strip():
        app.notify("The draft is empty: r to write one.", severity="warning", markup=False)
        return
    resp.flush()
    head = resp.mention_id
    ids = q.member_ids([head]) or [head]
    app.run_worker(
        partial(_send_in_thread, app, head, ids, text),
        name="send",
        group="send",
        thread=True,
        exit_on_error=False,
    )


def _send_in_thread(app: VeilleApp, head: str, ids: list[str], text: str) -> None:
    app.submit("save", lambda: None).result()  # the draft is on disk before it goes out
    report = send_reply(app.inbox, ids, text, by=app.ctx.config.user, draft_id=head)
    app.call_from_thread(_sent, app, text, report)


def _sent(app: VeilleApp, text: str, report: SendReport) -> None:
    if report.sent:
        n = len(report.sent)
        app.notify(f"Sent: {n} repl{'ies' if n != 1 else 'y'}.", markup=False)
    if report.failed:
        app.last_error = f"Send failed, draft kept: {report.failed[0][1]}"
        app.notify(one_line(app.last_error, 200), severity="error", markup=False)
    if report.manual:
        _manual(app, text, report.manual)
    elif report.sent and not report.failed:
        app.action_leave_draft()  # keys act on the queue again, not on the next draft
    app._dirty.set()


def _manual(app: VeilleApp, text: str, todo: list[tuple[str, str]]) -> None:
    """No reply API: put the draft on the clipboard, open the post, record on confirm."""
    url = next((safe_url(u) for _, u in todo if safe_url(u)), None)
    app.copy_to_clipboard(text)
    ids = [i for i, _ in todo]
    if url is None:
        _ask_manual(app, text, ids, "", opened=False)
        return
    app.run_worker(
        partial(_open_then_ask, app, text, ids, url),
        name="browser",
        group="browser",
        thread=True,
        exit_on_error=False,
    )


def _open_then_ask(app: VeilleApp, text: str, ids: list[str], url: str) -> None:
    """The browser is started before the question is asked, so the question says
    whether the post is really open."""
    opened = open_in_browser(url)
    app.call_from_thread(_ask_manual, app, text, ids, url, opened=opened)


def _ask_manual(app: VeilleApp, text: str, ids: list[str], url: str, *, opened: bool) -> None:
    question = Text("The draft is on the clipboard")
    if opened:
        question.append(", and the post is open in your browser.")
    elif url:
        question.append(". No browser could open the post here; it is at\n")
        question.append(one_line(url, 300), style="underline")
    else:
        question.append(".")
    question.append(f"\nRecord the reply to {len(ids)} mention(s) as sent?")

    def answered(yes: bool | None) -> None:
        if yes:
            record = partial(confirm_manual, app.inbox, ids, text, by=app.ctx.config.user, url=url)
            app.submit("manual reply", record).add_done_callback(lambda _f: app._dirty.set())
            app.notify("Reply recorded.", markup=False)
            app.action_leave_draft()

    app.push_screen(ConfirmScreen(question), answered)
