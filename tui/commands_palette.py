"""Every console action in ctrl+p, so nothing needs its key remembered."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.fuzzy import FuzzySearch

from tui.safe import one_line

__all__ = ["make_provider"]

ActionEntry = tuple[str, str, Callable[[], object]]


def _prompt(name: str, help_text: str, offsets: Sequence[int] = ()) -> Text:
    """Name (matched letters underlined) and help on a second line, as Text.

    The palette parses a plain-string prompt or help as markup; a Text is shown
    as it is, so a name with brackets in it cannot become an action.
    """
    text = Text(name)
    for i in offsets:
        if i < len(name):
            text.stylize("bold underline", i, i + 1)
    if help_text:
        text.append("\n")
        text.append(help_text, style="dim")
    return text


def make_provider(actions: Sequence[ActionEntry]) -> type[Provider]:
    """A command Provider class listing `actions` (name, help, callable).

    Textual builds providers itself from a class, so the list is closed over
    here. Add it with `COMMANDS = App.COMMANDS | {make_provider(...)}` or
    per screen. The callable runs on the UI thread after the palette closes;
    it may return an awaitable.
    """
    entries = tuple((one_line(n, 80), one_line(h, 200), fn) for n, h, fn in actions)
    search = FuzzySearch()

    class ActionsProvider(Provider):
        async def discover(self) -> Hits:
            for name, help_text, fn in entries:
                yield DiscoveryHit(_prompt(name, help_text), fn, text=name)

        async def search(self, query: str) -> Hits:
            q = query.strip()
            for name, help_text, fn in entries:
                score, offsets = search.match(q, name)
                if not score:
                    # also find "Done" by typing "leaves the queue"
                    score = search.match(q, help_text)[0] * 0.5
                    offsets = ()
                if score:
                    yield Hit(score, _prompt(name, help_text, offsets), fn, text=name)

    return ActionsProvider
