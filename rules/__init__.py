"""Rule files, language, sentiment and priority: everything that decides a `Verdict`.

Public surface:
- `load_rules(dirs=None, active=None) -> RuleSet` loads the default packs plus
  user rule directories; a broken file gives `RuleError`s and is skipped.
- `RuleSet.classify(post) -> Verdict`.
- `RuleSet.categories` (queue order), `RuleSet.sla_minutes(category)`.
- `urgency(verdict, waited_minutes, ...)`: priority rising with time waited.
"""

from rules.engine import RuleError, RuleSet, load_rules, urgency
from rules.verdict import PostLike, Reason, Sentiment, Verdict

__all__ = [
    "PostLike",
    "Reason",
    "RuleError",
    "RuleSet",
    "Sentiment",
    "Verdict",
    "load_rules",
    "urgency",
]
