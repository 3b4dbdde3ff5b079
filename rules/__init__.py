"""Rule files, language, sentiment and priority: everything that decides a `Verdict`.

Public surface:
- `load_rules(dirs=None, active=None) -> RuleSet` loads the default packs plus
  user rule directories; a broken file gives `RuleError`s and is skipped.
- `RuleSet.classify(post) -> Verdict`, `RuleSet.urgency(verdict, waited, ...)`.
- `RuleSet.categories` (queue order), `RuleSet.sla_minutes(category)`, `.hits`.
- `RuleWatcher(dirs, active)`: `.poll()` reloads changed files, keeping the last good.
- `urgency(verdict, waited_minutes, ...)`: priority rising with time waited.
- `detect_language(text)`, `FastVader` (VADER's exact scores, faster).
"""

from rules.engine import RuleError, RuleSet, load_rules, urgency
from rules.lang import detect_language
from rules.vader_fast import FastVader
from rules.verdict import PostLike, Reason, Sentiment, TextPost, Verdict
from rules.watcher import RuleWatcher

__all__ = [
    "FastVader",
    "PostLike",
    "Reason",
    "RuleError",
    "RuleSet",
    "RuleWatcher",
    "Sentiment",
    "TextPost",
    "Verdict",
    "detect_language",
    "load_rules",
    "urgency",
]
