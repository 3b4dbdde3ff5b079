"""Every console action, its default key, and the user's remapping from `[keys]`.

One table feeds the bindings (each with an id and a tooltip), the footer and
the command palette, so a key changed in config.toml changes everywhere at
once. `[keys]` maps an action id to one key or a comma-separated list:
`done = "D"`, `quit = "q,ctrl+q"`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import _character_to_key

__all__ = ["ACTIONS", "FOOTER", "Action", "bindings", "keymap_from_config"]


@dataclass(frozen=True, slots=True)
class Action:
    id: str  # binding id, the key in [keys]
    key: str  # default key(s), comma-separated
    action: str  # Textual action name on the app
    label: str  # short footer label
    help: str  # tooltip and command palette description
    show: bool = True  # in the footer


ACTIONS: tuple[Action, ...] = (
    Action("down", "j,down", "cursor_down", "Down", "Move to the next row", show=False),
    Action("up", "k,up", "cursor_up", "Up", "Move to the previous row", show=False),
    Action("next_pane", "tab", "next_pane", "Pane", "Move between panes", show=False),
    Action("open", "enter", "open", "Open", "Open the mention in the responder", show=False),
    Action("reply", "r", "reply", "Reply", "Write a reply: focus the draft"),
    Action("done", "d", "done", "Done", "Mark done: it leaves the queue"),
    Action("spam", "x", "spam", "Spam", "Mark as spam"),
    Action("undo", "u", "undo", "Undo", "Undo the last action"),
    Action("snooze", "z", "snooze", "Snooze", "Snooze until a time or until the author writes"),
    Action("mute", "m", "mute", "Mute", "Mute this author"),
    Action("assign", "a", "assign", "Assign", "Assign to a teammate"),
    Action("open_link", "o", "open_link", "Link", "Open the link in the browser"),
    Action("copy", "y", "copy", "Copy", "Copy the link, or the text"),
    Action("select", "space", "select", "Select", "Select many rows for one action"),
    Action("next_needing_reply", "full_stop", "next_needing_reply", "Next", "Next needing reply"),
    Action("send", "ctrl+s", "send", "Send", "Send the draft through the mention's source"),
    Action("template", "t", "template", "Template", "Insert a canned reply"),
    Action("toggle_incoming", "I", "toggle_incoming", "Incoming", "Hide or show Incoming"),
    Action("filter", "slash", "filter", "Filter", "Filter and search the queue"),
    Action("help", "question_mark", "help", "Help", "Keys and how veille works"),
    Action("sources", "S", "sources", "Sources", "Sources: health and last error"),
    Action("rules", "R", "rules", "Rules", "Rules: files, errors and hits"),
    Action("insights", "i", "insights", "Insights", "Trends and response times"),
    Action("quit", "q", "quit", "Quit", "Quit veille"),
)

_BY_ID = {a.id: a for a in ACTIONS}

# What the footer shows, in this order: the day's keys first, and the way to every other
# key (? and ctrl+p) early enough to stay on an 80-column screen. The rest are in help
# and the palette; a footer listing all of them cut off ?, / and q even at 140 columns.
FOOTER: tuple[str, ...] = (
    "reply",
    "done",
    "spam",
    "undo",
    "snooze",
    "help",
    "filter",
    "quit",
    "mute",
    "assign",
    "template",
    "send",
    "insights",
)


def bindings(keymap: dict[str, str] | None = None) -> list[Binding]:
    """The app's bindings with `keymap` (from `keymap_from_config`) applied, footer ones
    first in footer order; only quit by ctrl+q stays a priority binding (Textual's own)."""
    keymap = keymap or {}
    rank = {a: n for n, a in enumerate(FOOTER)}
    ordered = sorted(ACTIONS, key=lambda a: rank.get(a.id, len(FOOTER)))
    return [
        Binding(
            keymap.get(a.id, a.key),
            a.action,
            a.label,
            show=a.show and a.id in rank,
            id=a.id,
            tooltip=a.help,
        )
        for a in ordered
    ]


def keymap_from_config(keys: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap (action id -> keys) for `bindings`, and one line per entry that was not
    understood or would take a key another action has."""
    keymap: dict[str, str] = {}
    errors: list[str] = []
    for action_id, key in keys.items():
        if action_id not in _BY_ID:
            errors.append(f"[keys] {action_id}: no such action")
            continue
        parts = [_key_name(p.strip()) for p in key.split(",") if p.strip()]
        if not parts:
            errors.append(f"[keys] {action_id}: empty key")
            continue
        keymap[action_id] = ",".join(parts)
    _drop_clashes(keymap, errors)
    return keymap, errors


def _key_name(key: str) -> str:
    """Textual's name for a key: "/" is "slash", so a clash with the default is seen."""
    return _character_to_key(key) if len(key) == 1 else key


def _drop_clashes(keymap: dict[str, str], errors: list[str]) -> None:
    """A remapped key another action also answers to would leave one of the two
    unreachable (and help listing the key twice): such a remap is not applied."""
    effective = {a.id: keymap.get(a.id, a.key) for a in ACTIONS}
    for _ in range(len(ACTIONS)):  # undoing one remap can only free keys: this ends
        owners: dict[str, list[str]] = {}
        for aid, ks in effective.items():
            for k in ks.split(","):
                owners.setdefault(k, []).append(aid)
        clash = next(
            ((k, ids) for k, ids in owners.items() if len(ids) > 1 and set(ids) & set(keymap)),
            None,
        )
        if clash is None:
            return
        key, ids = clash
        for aid in ids:
            if aid in keymap:
                del keymap[aid]
                effective[aid] = _BY_ID[aid].key
                others = ", ".join(o for o in ids if o != aid)
                errors.append(
                    f"[keys] {aid}: {key} is already the key of {others}; "
                    f"{aid} stays on {_BY_ID[aid].key}"
                )
