"""The filter syntax behind `/`: what users of Gmail and FreshRSS already type.

    refund "not working" from:jane lang:fr is:question -is:draft source:mastodon
    has:link sentiment:negative -spam  bug OR crash

Terms side by side must all match; `OR` between two terms makes them
alternatives (`a OR b c` is `(a OR b) AND c`, as in Gmail). A leading `-`
negates one term. Words and phrases match text, title and author, ignoring
case, accents and the spellings Arabic allows for one word.

`parse_query` never raises: a query is typed one key at a time, so every
prefix of a good query is parsed too. A token that cannot be a filter (an
unknown `foo:`, `has:nothing`) is searched as the literal word it is, and the
reason goes into `Query.warnings` for the filter screen to show. `str(query)`
writes the canonical form, which parses back to an equal query.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from inbox.model import STATES, Mention

__all__ = ["FIELDS", "SYNTAX_HELP", "Query", "Term", "normalise", "parse_query", "prepare"]

FIELDS = ("from", "lang", "is", "source", "has", "sentiment")
"""Field names a term may start with (`from:jane`)."""

SYNTAX_HELP: tuple[tuple[str, str], ...] = (
    ("refund late", "both words, any case or accent"),
    ('"not working"', "the exact phrase"),
    ("from:jane", "author contains jane"),
    ("lang:fr", "detected language"),
    ("is:question", "category or label (is:complaint, is:praise...)"),
    ("is:open  is:done  is:spam", "triage state (also is:snoozed, is:muted)"),
    ("is:draft", "has a saved draft"),
    ("source:mastodon", "source kind or name prefix"),
    ("has:link", "text holds a link"),
    ("sentiment:negative", "negative, neutral or positive"),
    ("-word  -from:bot", "a leading - excludes"),
    ("bug OR crash", "either term"),
)
"""Examples and their meaning, shown by the help and filter screens."""

HAS_VALUES = ("link",)
SENTIMENTS = ("negative", "neutral", "positive")
DEFAULT_LABELS = ("question", "complaint", "suggestion", "praise", "spam", "other")
"""The categories and labels of the default rule packs: `is:` values known without
reading the user's rule files (which may add their own, so others still filter)."""
_WS = re.compile(r"\s+")
_FIELDISH = re.compile(r"[A-Za-z]{2,12}")
_LINK = re.compile(r"https?://|www\.\w", re.I)


def _fold_table() -> dict[int, str | None]:
    """Combining marks and tatweel dropped; Arabic letter forms folded (as the rules do)."""
    table: dict[int, str | None] = {}
    for cp in range(0x0300, 0x10000):
        if unicodedata.category(chr(cp)) == "Mn":
            table[cp] = None
    table[0x0640] = None  # tatweel only stretches a word
    for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
        table[cp] = None  # zero-width characters and the soft hyphen draw nothing
    for src, dst in {"ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"}.items():
        table[ord(src)] = dst
    table[ord("ء")] = None  # a lone hamza is written or dropped at will
    for i in range(10):
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
    table[0x2019] = "'"
    table[0x2018] = "'"
    return table


_TABLE = _fold_table()


def normalise(text: str) -> str:
    """Case, accents and Arabic diacritics/letter forms folded; whitespace runs become one space.

    NFKD splits "é" into "e" + accent and "أ" into "ا" + hamza above, so dropping
    the combining marks folds both scripts in one pass.
    """
    s = text.casefold()
    if not s.isascii():
        # Compatibility letters ("𝐅𝐑𝐄𝐄", "Ⓐ") are only plain letters after NFKD: fold again,
        # as rules/text.py does, so the filter finds what the rules matched.
        s = unicodedata.normalize("NFKD", s).translate(_TABLE).casefold()
        if not s.isascii():
            s = unicodedata.normalize("NFKD", s).translate(_TABLE)
    return _WS.sub(" ", s)


# -- what a term reads from a mention ----------------------------------------------------------

_HAY_CACHE: dict[str, tuple[object, str]] = {}
_HAY_CACHE_MAX = 250_000


def _haystack(m: Mention) -> str:
    """Normalised author, title and text of a mention, cached per post object.

    A filter runs over the whole store on each key press; normalising 100k
    texts each time would be the slowest part of the console.
    """
    post = m.post
    hit = _HAY_CACHE.get(post.id)
    if hit is not None and hit[0] is post:
        return hit[1]
    hay = normalise(f"{post.author}\n{post.title}\n{post.text}")
    if len(_HAY_CACHE) >= _HAY_CACHE_MAX:
        _HAY_CACHE.clear()
    _HAY_CACHE[post.id] = (post, hay)
    return hay


def prepare(mentions: Iterable[Mention]) -> int:
    """Normalise every mention's text ahead of the first filter; returns how many.

    Meant for a background thread at start-up: the first `/` over 100k
    mentions then costs a scan, not a third of a second of Unicode folding.
    """
    n = 0
    for m in mentions:
        _haystack(m)
        n += 1
    return n


def _lang_of(m: Mention) -> tuple[str, str]:
    declared = (m.post.lang or "").casefold().replace("_", "-").split("-")[0]
    return (m.verdict.language or "").casefold(), declared


# -- terms -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One condition. `kind` is "word", "phrase" or a field name; `value` is as typed."""

    kind: str
    value: str
    negated: bool = False

    def matches(self, m: Mention, drafts: Collection[str] = frozenset()) -> bool:
        return _compile(self)(m, drafts)

    def __str__(self) -> str:
        sign = "-" if self.negated else ""
        if self.kind == "word":
            return f"{sign}{self.value}"
        if self.kind == "phrase":
            return f'{sign}"{self.value}"'
        value = f'"{self.value}"' if _needs_quotes(self.value) else self.value
        return f"{sign}{self.kind}:{value}"

    def describe(self) -> str:
        """Plain words for the live parse under the filter input."""
        what = _DESCRIBE[self.kind]
        value = repr(self.value) if self.kind in ("word", "phrase") else self.value
        return f"{'not ' if self.negated else ''}{what} {value}"


_DESCRIBE = {
    "word": "contains",
    "phrase": "contains the phrase",
    "from": "author",
    "lang": "language",
    "is": "is",
    "source": "source",
    "has": "has a",
    "sentiment": "sentiment",
}


def _needs_quotes(value: str) -> bool:
    return value == "" or value.startswith('"') or any(c.isspace() for c in value)


Predicate = Callable[[Mention, Collection[str]], bool]


@functools.lru_cache(maxsize=1024)
def _compile(term: Term) -> Predicate:
    """The term as a closure with its value normalised once, not once per mention."""
    v = normalise(term.value).strip()
    test = _TESTS[term.kind](v)
    if term.negated:
        return lambda m, d: not test(m, d)
    return test


def _contains(v: str) -> Predicate:
    return lambda m, d: v in _haystack(m)


def _from(v: str) -> Predicate:
    v = v.lstrip("@")

    def test(m: Mention, d: Collection[str]) -> bool:
        p = m.post
        return v in normalise(p.author).lstrip("@") or (
            bool(p.author_id) and v == normalise(p.author_id)
        )

    return test


def _lang(v: str) -> Predicate:
    def test(m: Mention, d: Collection[str]) -> bool:
        detected, declared = _lang_of(m)
        return v == detected or (detected in ("", "und") and v == declared)

    return test


def _is(v: str) -> Predicate:
    if v in STATES:
        return lambda m, d: m.state == v
    if v == "draft":
        return lambda m, d: m.id in d
    return lambda m, d: (
        v == normalise(m.verdict.category) or any(v == normalise(x) for x in m.verdict.labels)
    )


def _source(v: str) -> Predicate:
    def test(m: Mention, d: Collection[str]) -> bool:
        if normalise(m.post.source_kind) == v:
            return True
        return any(normalise(n).startswith(v) for n in (m.post.source, *m.sources) if n)

    return test


def _has(v: str) -> Predicate:
    return lambda m, d: _LINK.search(f"{m.post.title}\n{m.post.text}") is not None


def _sentiment(v: str) -> Predicate:
    return lambda m, d: m.verdict.sentiment.label.casefold().startswith(v)


_TESTS: dict[str, Callable[[str], Predicate]] = {
    "word": _contains,
    "phrase": _contains,
    "from": _from,
    "lang": _lang,
    "is": _is,
    "source": _source,
    "has": _has,
    "sentiment": _sentiment,
}


# -- the query -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """Clauses all of which must hold; each clause holds when any of its terms does."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    _preds: tuple[tuple[Predicate, ...], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        preds = tuple(tuple(_compile(t) for t in c) for c in self.clauses)
        object.__setattr__(self, "_preds", preds)

    def matches(self, mention: Mention, drafts: Collection[str] = frozenset()) -> bool:
        for clause in self._preds:
            if len(clause) == 1:
                if not clause[0](mention, drafts):
                    return False
            elif not any(p(mention, drafts) for p in clause):
                return False
        return True

    def predicate(self, drafts: Collection[str] = frozenset()) -> Callable[[Mention], bool]:
        """`Inbox.queue(where=...)` wants a one-argument callable."""
        return lambda m: self.matches(m, drafts)

    def terms(self) -> Iterator[Term]:
        for c in self.clauses:
            yield from c

    @property
    def needs_drafts(self) -> bool:
        """True when `is:draft` appears, so callers fetch draft ids only then."""
        return any(t.kind == "is" and normalise(t.value) == "draft" for t in self.terms())

    def __bool__(self) -> bool:
        return bool(self.clauses)

    def __str__(self) -> str:
        return " ".join(" OR ".join(str(t) for t in c) for c in self.clauses)

    def describe(self) -> list[str]:
        """One line per clause, e.g. `author jane OR author bob`; empty when matching all."""
        return [" or ".join(t.describe() for t in c) for c in self.clauses]


# -- parsing ---------------------------------------------------------------------------------

_OR = object()  # an OR token, before we know whether it joins two terms


def _read_quoted(text: str, i: int) -> tuple[str, int, bool]:
    """Text up to the closing quote from `i` (just past the opening one); closed or not."""
    end = text.find('"', i)
    if end < 0:
        return text[i:], len(text), False
    return text[i:end], end + 1, True


def _term(raw: str, negated: bool, warnings: list[str]) -> Term:
    """A bare token (no surrounding quotes) as a field term, or as the literal word it is."""
    name, colon, value = raw.partition(":")
    if colon and name.casefold() in FIELDS:
        return _field(name.casefold(), value, raw, negated, warnings)
    if colon and value and _FIELDISH.fullmatch(name) and not value.startswith("/"):
        warnings.append(f"unknown filter {name}: searched as the word {raw!r}")
    return Term("word", raw, negated)


def _field(name: str, value: str, raw: str, negated: bool, warnings: list[str]) -> Term:
    v = normalise(value).strip()
    if not v:
        warnings.append(f"{name}: needs a value; searched as the word {raw!r}")
        return Term("word", raw, negated)
    if name == "has" and v not in HAS_VALUES:
        warnings.append(f"has: knows only {', '.join(HAS_VALUES)}; searched as the word {raw!r}")
        return Term("word", raw, negated)
    if name == "sentiment" and not any(s.startswith(v) for s in SENTIMENTS):
        warnings.append(
            f"sentiment: is one of {', '.join(SENTIMENTS)}; searched as the word {raw!r}"
        )
        return Term("word", raw, negated)
    if name == "is" and v not in (*STATES, "draft", *DEFAULT_LABELS):
        # Kept as a filter (a rule file of the user's may add the label), but a typo
        # would otherwise just empty the list without a word.
        warnings.append(
            f"is:{value} is no state ({', '.join(STATES)}), draft nor default label"
            f" ({', '.join(DEFAULT_LABELS)}): only a label of your own rules matches it"
        )
    return Term(name, value, negated)


def _tokens(text: str, warnings: list[str]) -> list[object]:
    """Terms and OR markers, left to right."""
    out: list[object] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        # One leading "-" negates; more dashes belong to the word ("--x" is "not -x").
        negated = text[i] == "-"
        i += negated
        if i >= n or text[i].isspace():
            warnings.append("a lone '-' negates nothing; ignored")
            continue
        if text[i] == '"':
            value, i, closed = _read_quoted(text, i + 1)
            if not closed:
                warnings.append("unclosed quote: the phrase runs to the end")
            if value.strip():
                out.append(Term("phrase", value, negated))
            else:
                warnings.append('an empty phrase "" matches everything; ignored')
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        raw = text[i:j]
        name, colon, rest = raw.partition(":")
        if colon and rest.startswith('"') and name.casefold() in FIELDS:
            # from:"Jean Dupont": the quoted value may hold spaces.
            value, j, closed = _read_quoted(text, i + len(name) + 2)
            if not closed:
                warnings.append("unclosed quote: the value runs to the end")
            if value.strip():
                out.append(_field(name.casefold(), value, text[i:j], negated, warnings))
            else:
                literal = text[i:j]
                warnings.append(f"{name.casefold()}: needs a value; searched as {literal!r}")
                out.append(Term("word", literal, negated))
            i = j
            continue
        i = j
        if raw == "OR" and start == i - 2:
            out.append(_OR)
            continue
        out.append(_term(raw, negated, warnings))
    return out


def parse_query(text: str) -> Query:
    """The query in `text`. Never raises; what could not be understood is in `.warnings`."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    warnings: list[str] = []
    toks = _tokens(text, warnings)
    clauses: list[list[Term]] = []
    joining = False
    for k, tok in enumerate(toks):
        if tok is _OR:
            prev_ok = k > 0 and toks[k - 1] is not _OR
            next_ok = k + 1 < len(toks) and toks[k + 1] is not _OR
            if prev_ok and next_ok:
                joining = True
                continue
            warnings.append("OR must stand between two terms; searched as the word 'OR'")
            tok = Term("word", "OR")
        assert isinstance(tok, Term)
        if joining and clauses:
            clauses[-1].append(tok)
        else:
            clauses.append([tok])
        joining = False
    return Query(tuple(tuple(c) for c in clauses), tuple(dict.fromkeys(warnings)))
