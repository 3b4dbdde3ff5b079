"""Secondary screens the console opens: help, sources, rules, filter, pick, ask, confirm.

Each is self-contained (its data comes in through its constructor) so the
console wires it with one `push_screen` and tests drive it in a tiny app.
"""

from tui.screens.ask import AskScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.filter import FilterScreen
from tui.screens.help import HelpScreen
from tui.screens.pick import PickScreen
from tui.screens.rules import RulesScreen
from tui.screens.sources import SourcesScreen

__all__ = [
    "AskScreen",
    "ConfirmScreen",
    "FilterScreen",
    "HelpScreen",
    "PickScreen",
    "RulesScreen",
    "SourcesScreen",
]
