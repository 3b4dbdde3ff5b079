"""Rule sets: load the packs and the user's files, classify posts, rank them.

Loading never raises. Each file is parsed and compiled on its own; a file with any
error is left out whole (half a file would rank in ways nobody wrote) and its errors
are kept in `RuleSet.errors`. `RuleWatcher` goes further and keeps a broken file's
last good version in force.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain
from pathlib import Path
from typing import Any

from rules.conditions import (
    CompileError,
    Condition,
    Matcher,
    PatternSet,
    Post,
    Test,
    collecting_patterns,
    collecting_words,
    compile_condition,
    test_of,
)
from rules.lang import FUNCTION_WORDS, detect_language
from rules.schema import (
    EFFECT_KEYS,
    PRIORITY_KEYS,
    RULE_KEYS,
    SENTIMENT_KEYS,
    TOP_KEYS,
    RuleError,
    locate,
    parse_toml,
    suggest,
)
from rules.sentiment import SentimentScorer, Thresholds
from rules.text import LEDE, MAX_TEXT, arabic_variants, lede, normalise, read_post
from rules.verdict import PostLike, Reason, Verdict

__all__ = [
    "DEFAULT_ORDER",
    "PACKS_DIR",
    "ParsedFile",
    "Rule",
    "RuleError",
    "RuleSet",
    "Weights",
    "build_ruleset",
    "load_rules",
    "parse_file",
    "rule_files",
    "urgency",
]

DEFAULT_ORDER: tuple[str, ...] = ("question", "complaint", "suggestion", "praise", "other")
DEFAULT_SLA = {"question": 15, "complaint": 15}
_CAP = 1e6
"""Largest priority, boost sum or multiplier product a verdict carries."""
PACKS_DIR = Path(__file__).resolve().parent / "packs"
LANGS = ("en", "fr", "ar")


@dataclass(frozen=True)
class Weights:
    """How much each signal adds to priority; see docs/rules.md for the formula."""

    base: float = 1.0
    wait: float = 1.0
    overdue: float = 2.0
    reach: float = 0.5
    repeat: float = 0.3
    negativity: float = 1.0
    category: dict[str, float] = field(default_factory=dict)


DEFAULT_WEIGHTS = Weights()


@dataclass
class Rule:
    id: str
    file: str
    condition: Condition
    label: str | None = None
    category: str | None = None
    boost: float = 0.0
    multiply: float = 1.0
    mute: bool = False
    spam: bool = False
    patterns: list[str] = field(default_factory=list)
    vocab: frozenset[str] | None = None  # every word its `words` look for; None: unknown
    langs: frozenset[str] | None = None  # the rule's top-level `lang`, to skip it early
    only_label: str | None = None  # set when all the rule does is add this label
    description: str = ""


@dataclass
class ParsedFile:
    """One rule file, compiled, before it is combined with the others."""

    path: Path
    rules: list[Rule] = field(default_factory=list)
    categories: tuple[str, ...] | None = None
    sla: dict[str, int | None] = field(default_factory=dict)
    priority: dict[str, Any] = field(default_factory=dict)
    thresholds: dict[str, Thresholds] = field(default_factory=dict)
    words: dict[str, dict[str, float]] = field(default_factory=dict)
    text: str = ""
    errors: list[RuleError] = field(default_factory=list)
    # (key, index-in-file) of category references, checked once the order is known
    category_refs: list[tuple[str, str, int]] = field(default_factory=list)


def _err(pf: ParsedFile, table: str, index: int, key: str | None, message: str) -> None:
    line, col = locate(pf.text, table, index, key)
    pf.errors.append(RuleError(str(pf.path), line, col, message))


def parse_file(path: Path, text: str | None = None) -> ParsedFile:
    """Parse and compile one file; problems land in `.errors`, never raised."""
    pf = ParsedFile(path=path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            pf.errors.append(RuleError(str(path), 1, 1, f"cannot read: {exc}"))
            return pf
    pf.text = text
    data, error = parse_toml(path, text)
    if error is not None or data is None:
        pf.errors.append(error or RuleError(str(path), 1, 1, "unreadable"))
        return pf
    for key in data:
        if key not in TOP_KEYS:
            _err(pf, "", 0, key, f"unknown key {key!r}" + suggest(key, TOP_KEYS))
    _parse_categories(pf, data.get("categories"))
    _parse_sla(pf, data.get("sla"))
    _parse_priority(pf, data.get("priority"))
    _parse_sentiment(pf, data.get("sentiment"))
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        _err(pf, "", 0, "rule", "rule must be an array of tables: write [[rule]]")
        return pf
    seen: set[str] = set()
    for i, table in enumerate(rules):
        if not isinstance(table, dict):
            _err(pf, "rule", i, None, "each rule must be a table")
            continue
        rule = _parse_rule(pf, i, table)
        if rule is not None:
            if rule.id in seen:
                _err(pf, "rule", i, "id", f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
            pf.rules.append(rule)
    return pf


def _parse_categories(pf: ParsedFile, value: Any) -> None:
    if value is None:
        return
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v for v in value)
        or len(set(value)) != len(value)
    ):
        _err(pf, "", 0, "categories", "categories must be a list of distinct names")
        return
    order = tuple(value)
    if "other" not in order:
        order = (*order, "other")
    pf.categories = order


def _parse_sla(pf: ParsedFile, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        _err(pf, "", 0, "sla", "sla must be a table of category = minutes")
        return
    for cat, minutes in value.items():
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
            _err(pf, "sla", 0, cat, f"sla.{cat} must be whole minutes (0 = no target)")
            continue
        pf.sla[cat] = minutes or None
        pf.category_refs.append((cat, "sla", 0))


def _parse_priority(pf: ParsedFile, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        _err(pf, "", 0, "priority", "priority must be a table of weights")
        return
    for key, v in value.items():
        if key not in PRIORITY_KEYS:
            _err(pf, "priority", 0, key, f"unknown key {key!r}" + suggest(key, PRIORITY_KEYS))
        elif key == "category":
            if not isinstance(v, dict) or not all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in v.values()
            ):
                _err(pf, "priority", 0, key, "priority.category must map category = number")
                continue
            pf.priority["category"] = {k: float(x) for k, x in v.items()}
            for cat in v:
                pf.category_refs.append((cat, "priority.category", 0))
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            _err(pf, "priority", 0, key, f"priority.{key} must be a number")
        else:
            pf.priority[key] = float(v)


def _parse_sentiment(pf: ParsedFile, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        _err(pf, "", 0, "sentiment", "sentiment must be a table")
        return
    _thresholds(pf, "*", "sentiment", {k: v for k, v in value.items() if k not in LANGS})
    for lang in LANGS:
        sub = value.get(lang)
        if sub is None:
            continue
        if not isinstance(sub, dict):
            _err(pf, "sentiment", 0, lang, f"sentiment.{lang} must be a table")
            continue
        _thresholds(pf, lang, f"sentiment.{lang}", sub)


def _thresholds(pf: ParsedFile, lang: str, table: str, value: dict[str, Any]) -> None:
    base = pf.thresholds.get("*", Thresholds())
    tune = {
        "positive": base.positive,
        "negative": base.negative,
        "question": base.question,
        "exclamation": base.exclamation,
    }
    for key, v in value.items():
        if key not in SENTIMENT_KEYS:
            known = SENTIMENT_KEYS + (LANGS if lang == "*" else ())
            _err(pf, table, 0, key, f"unknown key {key!r}" + suggest(key, known))
        elif key == "words":
            # Errors inside the table point at the entry: "[sentiment.fr.words]" or
            # "words = {...}" both hold it, and `locate` finds the key in either.
            if not isinstance(v, dict):
                _err(pf, table, 0, key, "words must map word = valence between -4 and 4")
                continue
            bad = [
                str(k)
                for k, x in v.items()
                if isinstance(x, bool) or not isinstance(x, (int, float)) or not -4 <= x <= 4
            ]
            if bad:
                _err(
                    pf,
                    f"{table}.words",
                    0,
                    bad[0],
                    f"{bad[0]!r}: words must map word = valence between -4 and 4",
                )
                continue
            if lang != "ar":  # VADER and vadersentiment-fr score single words only
                phrases = [str(k) for k in v if len(str(k).split()) != 1]
                if phrases:
                    _err(
                        pf,
                        f"{table}.words",
                        0,
                        phrases[0],
                        f"{phrases[0]!r} is not one word: English and French sentiment "
                        "words are single words (a rule's `words` can match a phrase)",
                    )
                    continue
            pf.words.setdefault("en" if lang == "*" else lang, {}).update(
                {str(k): float(x) for k, x in v.items()}
            )
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            _err(pf, table, 0, key, f"{key} must be a number")
        elif key in ("positive", "negative") and not -1 <= v <= 1:
            _err(pf, table, 0, key, f"{key} must be a number between -1 and 1")
        elif key in ("question", "exclamation") and not -4 <= v <= 4:
            _err(pf, table, 0, key, f"{key} must be a valence between -4 and 4")
        else:
            tune[key] = float(v)
    if tune["negative"] > tune["positive"]:
        _err(pf, table, 0, "negative", "sentiment negative threshold is above the positive one")
        return
    pf.thresholds[lang] = Thresholds(**tune)


def _parse_rule(pf: ParsedFile, i: int, table: dict[str, Any]) -> Rule | None:
    rid = table.get("id")
    if not isinstance(rid, str) or not rid:
        _err(pf, "rule", i, "id" if "id" in table else None, "every rule needs an id (a string)")
        return None
    if table.get("enabled", True) is False:
        return None
    n_errors = len(pf.errors)
    rule = Rule(id=rid, file=pf.path.name, condition=Condition(lambda p: ""))
    label = table.get("label")
    if label is not None:
        if not isinstance(label, str) or not label:
            _err(pf, "rule", i, "label", "label must be a non-empty string")
        else:
            rule.label = label
    cat = table.get("category")
    if cat is not None:
        if not isinstance(cat, str):
            _err(pf, "rule", i, "category", "category must be a string")
        else:
            rule.category = cat
            pf.category_refs.append((cat, "rule", i))
    for key in ("boost", "multiply"):
        v = table.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            _err(pf, "rule", i, key, f"{key} must be a number")
        elif key == "multiply" and v < 0:
            _err(pf, "rule", i, key, "multiply must not be negative")
        else:
            setattr(rule, key, float(v))
    for key in ("mute", "spam", "enabled"):
        v = table.get(key)
        if v is not None and not isinstance(v, bool):
            _err(pf, "rule", i, key, f"{key} must be true or false")
        elif key != "enabled" and v:
            setattr(rule, key, True)
    if "description" in table and not isinstance(table["description"], str):
        _err(pf, "rule", i, "description", "description must be a string")
    elif isinstance(table.get("description"), str):
        rule.description = " ".join(table["description"].split())
    langs = table.get("lang")
    if isinstance(langs, str):
        langs = [langs]
    skip: tuple[str, ...] = ()
    if isinstance(langs, list) and all(isinstance(x, str) for x in langs):
        rule.langs = frozenset(x.lower() for x in langs)
        skip = ("lang",)  # the rule set only offers the rule posts in these languages
    try:
        with (
            collecting_patterns(trusted=pf.path.parent == PACKS_DIR) as patterns,
            collecting_words() as vocab,
        ):
            rule.condition = compile_condition(table, RULE_KEYS + EFFECT_KEYS + skip)
        rule.patterns = patterns
        rule.vocab = frozenset(vocab)
    except CompileError as exc:
        _err(pf, "rule", i, exc.key, f"rule {rid!r}: {exc}")
    except RecursionError:
        _err(pf, "rule", i, None, f"rule {rid!r}: conditions nested too deeply")
    if len(pf.errors) == n_errors and not any(
        (rule.label, rule.category, rule.boost, rule.multiply != 1.0, rule.mute, rule.spam)
    ):
        _err(pf, "rule", i, "id", f"rule {rid!r} has no effect (label, category, boost, ...)")
    if (
        rule.label is not None
        and not rule.condition.uses_labels
        and not (rule.boost or rule.multiply != 1.0 or rule.spam or rule.mute or rule.category)
    ):
        rule.only_label = rule.label
    return rule if len(pf.errors) == n_errors else None


def rule_files(dirs: list[Path] | None = None, active: list[str] | None = None) -> list[Path]:
    """Packs first, then user files; a user file named like a pack replaces it."""
    # core.toml first: it declares the categories the language packs refer to
    packs = sorted(PACKS_DIR.glob("*.toml"), key=lambda p: (p.name != "core.toml", p.name))
    chosen: dict[str, Path] = {p.name: p for p in packs}
    for d in dirs or []:
        d = Path(d).expanduser()
        if d.is_file() and d.suffix == ".toml":
            chosen[d.name] = d
        elif d.is_dir():
            for p in sorted(d.glob("*.toml")):
                chosen[p.name] = p
    files = list(chosen.values())
    if active is not None:
        wanted = {a.removesuffix(".toml") for a in active}
        files = [p for p in files if p.stem in wanted]
    return files


def build_ruleset(parsed: list[ParsedFile]) -> RuleSet:
    """Combine compiled files; a file whose category names are unknown is left out."""
    order = DEFAULT_ORDER
    for pf in parsed:
        if not pf.errors and pf.categories is not None:
            order = pf.categories
    errors: list[RuleError] = []
    good: list[ParsedFile] = []
    for pf in parsed:
        for cat, table, idx in pf.category_refs:
            if cat not in order:
                key = "category" if table == "rule" else cat
                line, col = locate(pf.text, table.split(".")[0], idx, key)
                pf.errors.append(
                    RuleError(
                        str(pf.path),
                        line,
                        col,
                        f"unknown category {cat!r}" + suggest(cat, order),
                    )
                )
        if pf.errors:
            errors.extend(pf.errors)
        else:
            good.append(pf)
    return RuleSet(good, order, errors, [pf.path for pf in parsed])


def load_rules(dirs: list[Path] | None = None, active: list[str] | None = None) -> RuleSet:
    """Default packs plus user directories. Errors are collected, never raised."""
    return build_ruleset([parse_file(p) for p in rule_files(dirs, active)])


_Step = tuple[str | None, Test, Matcher, str, Rule]
"""One rule as `classify` runs it: label-only shortcut, the quick yes/no, the matcher
that says what matched (asked only on a yes), the effect a label-only rule shows
("label:x", made once), and the rule."""


@dataclass
class _LangRules:
    """The rules a post in one language visits, indexed by what wakes them.

    Bit i of a mask stands for `steps[i]`. A post's mask is `free` (rules with no
    gate: sentiment, labels, ...) or-ed with the masks of its known words and of
    the regexes RE2 found; only those rules run, in file order.
    """

    steps: list[_Step]
    words: dict[str, int]
    patterns: dict[str, int]
    free: int
    regexes: PatternSet | None = None
    """The regexes of these rules alone, in one set: a smaller automaton than the
    whole rule set's, so a quicker pass (None: no regex, or the set could not be made)."""


_VERDICT_FIELDS = (
    "category", "labels", "sentiment", "language", "priority", "sla_minutes", "reasons",
    "spam", "muted", "boost", "extra", "deadline",
)  # fmt: skip
_FAST_VERDICT = tuple(f.name for f in dataclasses.fields(Verdict)) == _VERDICT_FIELDS
"""`classify` sets a Verdict's slots one by one when its fields are exactly these (a
field added to `Verdict` sends it back to the constructor until it is listed here)."""
_new = object.__new__
_SETTERS: tuple[Any, ...] = tuple(
    getattr(getattr(Verdict, name, None), "__set__", None) for name in _VERDICT_FIELDS
)
(
    _set_category, _set_labels, _set_sentiment, _set_language, _set_priority,
    _set_sla_minutes, _set_reasons, _set_spam, _set_muted, _set_boost, _set_extra,
    _set_deadline,
) = _SETTERS  # fmt: skip

# A lone surrogate (a JSON "\ud800" escape) cannot be encoded for RE2: it reads as U+FFFD.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class RuleSet:
    """A compiled, immutable set of rules. `classify` is thread-safe."""

    def __init__(
        self,
        parsed: list[ParsedFile] | None = None,
        categories: tuple[str, ...] = DEFAULT_ORDER,
        errors: list[RuleError] | None = None,
        files: list[Path] | None = None,
    ) -> None:
        parsed = parsed or []
        self.parsed = parsed
        self.categories: tuple[str, ...] = categories
        self.errors: list[RuleError] = list(errors or [])
        self.files: list[Path] = list(files if files is not None else [p.path for p in parsed])
        self.rules: list[Rule] = [r for pf in parsed for r in pf.rules]
        self.hits: dict[str, int] = {r.id: 0 for r in self.rules}
        self._lock = threading.Lock()
        sla: dict[str, int | None] = dict(DEFAULT_SLA)
        prio: dict[str, Any] = {}
        thresholds: dict[str, Thresholds] = {}
        words: dict[str, dict[str, float]] = {}
        for pf in parsed:
            sla.update(pf.sla)
            prio.update(pf.priority)
            thresholds.update(pf.thresholds)
            for lang, w in pf.words.items():
                words.setdefault(lang, {}).update(w)
        self._sla: dict[str, int | None] = {k: v for k, v in sla.items() if v}
        self.sla: dict[str, int | None] = self._sla  # category -> minutes; config may override
        self.weights = Weights(**prio)
        self.thresholds = thresholds
        self._sentiment = SentimentScorer(thresholds, words)
        self._cat_index = {c: i for i, c in enumerate(categories)}
        pw = self._plain_weights = self.weights
        self._plain_priority = {  # a category's priority with no boost nor multiplier
            c: round(max(-_CAP, min(_CAP, (pw.category.get(c, pw.base) + 0.0) * 1.0)), 4)
            for c in categories
        }
        all_patterns = [pat for r in self.rules for pat in r.patterns]
        self._patterns: PatternSet | None = None
        if all_patterns:
            try:
                self._patterns = PatternSet(all_patterns)
            except Exception:  # too big for one set: each regex then runs on its own
                self._patterns = None
        # Rules per language, in order: a French post never even looks at English rules.
        self._by_lang: dict[str, _LangRules] = {
            lang: self._index([r for r in self.rules if r.langs is None or lang in r.langs])
            for lang in (*LANGS, "und")
        }
        # The words each language's rules look for: a post's words are cut down to
        # these once, so that each rule compares a handful instead of the whole post.
        self._vocab: dict[str, frozenset[str] | None] = {}
        for lang, lr in self._by_lang.items():
            vocabs = [step[4].vocab for step in lr.steps]
            self._vocab[lang] = (
                None if any(v is None for v in vocabs) else frozenset().union(*vocabs)  # type: ignore[arg-type]
            )
        self._known = FUNCTION_WORDS.union(*(v for v in self._vocab.values() if v is not None))
        self._ar_forms = _Forms(self._vocab.get("ar") or frozenset()).__getitem__

    def _index(self, rules: list[Rule]) -> _LangRules:
        steps: list[_Step] = []
        words: dict[str, int] = {}
        patterns: dict[str, int] = {}
        free = 0
        known = self._patterns.known if self._patterns is not None else frozenset()
        regexes: PatternSet | None = None
        own = [pat for r in rules for pat in r.patterns]
        if own and self._patterns is not None:
            try:
                regexes = PatternSet(own)
            except Exception:  # as for the whole set: the rules then ask the whole set
                regexes = self._patterns
        for i, r in enumerate(rules):
            steps.append((r.only_label, r.condition.test or test_of(r.condition.match),
                          r.condition.match, f"label:{r.label}", r))  # fmt: skip
            bit = 1 << i
            gate = r.condition.gate
            if gate is None or not gate[1] <= known:
                free |= bit  # nothing to wake it by (or a regex outside the set): always
                continue
            for w in gate[0]:
                words[w] = words.get(w, 0) | bit
            for pat in gate[1]:
                patterns[pat] = patterns.get(pat, 0) | bit
        return _LangRules(steps, words, patterns, free, regexes)

    def sla_minutes(self, category: str) -> int | None:
        return self._sla.get(category)

    def rules_summary(self) -> list[dict[str, Any]]:
        return [
            {
                "id": r.id,
                "file": r.file,
                "label": r.label or ("spam" if r.spam else r.category or ""),
                "hits": self.hits.get(r.id, 0),
                "description": r.description,
            }
            for r in self.rules
        ]

    def classify(self, post: PostLike) -> Verdict:
        text = getattr(post, "text", "") or ""
        if len(text) > LEDE:  # an article: read as a reader would, by its opening
            text = lede(text)
        title = getattr(post, "title", "") or ""
        if title and title not in text:
            text = f"{title}\n{text}"
        text = text[:MAX_TEXT]
        if not text.isascii() and not text.isprintable():  # a surrogate is unprintable
            text = _LONE_SURROGATE.sub("\ufffd", text)
        norm, toks, counts = read_post(text)
        # One pass over the post's words keeps those any rule or the language guess
        # looks at; both then work on a handful of words.
        known: frozenset[str] | None = None
        lang = (getattr(post, "lang", "") or "").lower()[:2]
        if lang in LANGS and (lang == "ar") != (bool(toks) and toks[0] >= "\u0600"):
            # A client's language setting, not the post's: "en" on a post in Arabic
            # script, "ar" on one in Latin letters. The script settles that much.
            lang = ""
        if lang not in LANGS:
            if toks and toks[0] >= "\u0600":
                # Opens in Arabic script: the script decides, function words are not
                # read (the answer is the same with or without `known`, only slower
                # for a Latin post).
                lang = detect_language(text, toks, None, counts)
            else:
                known = self._known.intersection(toks)
                lang = detect_language(text, toks, known, counts)
        vocab = self._vocab.get(lang)
        if lang == "ar":  # clitics peeled off too: "والخدمه" also reads as "خدمه"
            if vocab is None:
                grown = set(toks)
                grown.update(chain.from_iterable(map(arabic_variants, toks)))
                present = frozenset(grown)
            else:
                present = frozenset(chain.from_iterable(map(self._ar_forms, toks)))
        elif vocab is None:
            present = frozenset(toks)
        else:  # vocab is within `_known`: the same words either way
            present = vocab.intersection(toks if known is None else known)
        author = str(getattr(post, "author", "") or "")
        # `prepare`, inlined and positional: it runs for every post
        lr = self._by_lang[lang]
        regexes = lr.regexes
        p = Post(
            text,
            norm,
            toks,
            present,
            present,
            None,  # the joined tokens, made if a rule asks
            lang,
            0.0,
            normalise(author).lstrip("@") if author else "",
            int(getattr(post, "followers", 0) or 0),
            str(getattr(post, "source_kind", "") or "").lower(),
            "http" in norm or "www." in norm,
            bool(getattr(post, "is_reply", False)),
            set(),
            regexes,
        )
        mask = lr.free
        wake = lr.words
        for word in p.present:
            bits = wake.get(word)
            if bits is not None:
                mask |= bits
        if regexes is not None:
            hits = p._hits = regexes.match(norm)  # every regex of the set, one pass
            if hits:
                wake = lr.patterns
                for pat in hits:
                    bits = wake.get(pat)
                    if bits is not None:
                        mask |= bits
        sentiment = self._sentiment.score(p.text, lang, p.tokens)
        p.compound = sentiment.compound
        labels: list[str] = []
        reasons: list[Reason] = []
        fired: list[str] = []
        boost = 0.0
        mult = 1.0
        spam = muted = False
        category: str | None = None
        plabels = p.labels
        steps = lr.steps
        while mask:  # the woken rules, in file order
            low = mask & -mask
            mask ^= low
            only_label, test, match, label_effect, rule = steps[low.bit_length() - 1]
            if only_label is not None and only_label in plabels:
                continue  # the label is already there and the rule does nothing else
            if not test(p):
                continue
            hit = match(p)
            if hit is None:
                continue
            fired.append(rule.id)
            if only_label is not None:  # its effect text made once, not per post
                plabels.add(only_label)
                labels.append(only_label)
                reasons.append(Reason(rule.id, label_effect, hit))
                continue
            if rule.label is not None and rule.label not in p.labels:
                p.labels.add(rule.label)
                labels.append(rule.label)
                reasons.append(Reason(rule.id, f"label:{rule.label}", hit))
            if rule.boost:
                boost = max(-_CAP, min(_CAP, boost + rule.boost))
                reasons.append(Reason(rule.id, f"priority{rule.boost:+g}", hit))
            if rule.multiply != 1.0:
                mult = min(_CAP, mult * rule.multiply)
                reasons.append(Reason(rule.id, f"priority*{rule.multiply:g}", hit))
            if rule.spam:
                spam = True
                if "spam" not in p.labels:
                    p.labels.add("spam")
                    labels.append("spam")
                reasons.append(Reason(rule.id, "spam", hit))
            if rule.mute:
                muted = True
                reasons.append(Reason(rule.id, "mute", hit))
            if rule.category is not None:
                category = rule.category
                reasons.append(Reason(rule.id, f"category:{rule.category}", hit))
        if fired:
            with self._lock:
                for rid in fired:
                    self.hits[rid] = self.hits.get(rid, 0) + 1
        if category is None:
            if spam or not labels:
                category = "other"
            elif len(labels) == 1:  # the ranking below, without building it
                category = labels[0] if labels[0] in self._cat_index else "other"
            else:
                idx = self._cat_index
                ranked = [(idx[lab], lab) for lab in labels if lab in idx]
                category = min(ranked)[1] if ranked else "other"
        if spam:
            priority = 0.0
        elif (
            not boost
            and mult == 1.0
            and self.weights is self._plain_weights
            and category in self._plain_priority
        ):
            priority = self._plain_priority[category]  # the same sum, made once
        else:
            w = self.weights
            base = w.category.get(category, w.base)
            # Capped at every step: 1e308 × 1e308 would be infinite and inf × 0 not a
            # number, and neither can be sorted or written as JSON.
            priority = round(max(-_CAP, min(_CAP, (base + boost) * mult)), 4)
        sla = self._sla.get(category)
        deadline = None
        if sla is not None:
            created = getattr(post, "created_at", None)
            if created is not None:
                try:
                    deadline = created + _minutes(sla)
                except (TypeError, OverflowError):  # no date, or one at the end of time
                    pass
        if _FAST_VERDICT:
            # Each field set through its slot: what the frozen dataclass's __init__
            # does with object.__setattr__, at half the cost (see `_FAST_VERDICT`).
            v = _new(Verdict)
            _set_category(v, category)
            _set_labels(v, tuple(labels))
            _set_sentiment(v, sentiment)
            _set_language(v, lang)
            _set_priority(v, priority)
            _set_sla_minutes(v, sla)
            _set_reasons(v, tuple(reasons))
            _set_spam(v, spam)
            _set_muted(v, muted)
            _set_boost(v, boost)
            _set_extra(v, {})
            _set_deadline(v, deadline)
            return v
        # Positional, in the field order of `Verdict` (a test checks it): keyword
        # parsing of twelve arguments is a measurable part of a verdict's cost.
        return Verdict(
            category,
            tuple(labels),
            sentiment,
            lang,
            priority,
            sla,
            tuple(reasons),
            spam,
            muted,
            boost,
            {},
            deadline,
        )

    def urgency(
        self, verdict: Verdict, waited_minutes: float, followers: int = 0, seen_before: int = 0
    ) -> float:
        return _urgency(self.weights, verdict, waited_minutes, followers, seen_before)


class _Forms(dict[str, tuple[str, ...]]):
    """Arabic token -> the forms of it (itself, clitics peeled off) that some rule looks
    for. Memoised: a post's rule words are then one lookup per word. Size capped."""

    def __init__(self, vocab: frozenset[str]) -> None:
        super().__init__()
        self._vocab = vocab

    def __missing__(self, tok: str) -> tuple[str, ...]:
        vocab = self._vocab
        forms = tuple(f for f in (tok, *arabic_variants(tok)) if f in vocab)
        if len(self) > 100_000:
            self.clear()
        self[tok] = forms
        return forms


@functools.lru_cache(maxsize=64)
def _minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def _urgency(
    w: Weights, verdict: Verdict, waited_minutes: float, followers: int, seen_before: int
) -> float:
    """priority + wait·t/SLA + overdue·max(0, t/SLA − 1) + reach·log10(1+followers)/6
    + repeat·min(seen_before, 10)/10 + negativity·max(0, −compound) [complaints only]."""
    if verdict.spam:
        return 0.0
    sla = verdict.sla_minutes or 240
    ratio = max(0.0, waited_minutes) / sla
    score = verdict.priority + w.wait * ratio + w.overdue * max(0.0, ratio - 1.0)
    score += w.reach * math.log10(1 + max(0, followers)) / 6
    score += w.repeat * min(max(0, seen_before), 10) / 10
    if "complaint" in verdict.labels:
        score += w.negativity * max(0.0, -verdict.sentiment.compound)
    return round(score, 4)


def urgency(
    verdict: Verdict, waited_minutes: float, followers: int = 0, seen_before: int = 0
) -> float:
    """Priority inside a category with the default weights (see `RuleSet.urgency`)."""
    return _urgency(DEFAULT_WEIGHTS, verdict, waited_minutes, followers, seen_before)
