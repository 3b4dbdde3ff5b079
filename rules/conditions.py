"""Rule conditions compiled once, matched against a prepared post many times.

Each condition returns what it matched (shown to the user as the reason) or None.
Words become a set looked up against the post's token set; phrases and `word*`
prefixes become one alternation of escaped literals over the joined tokens, which
cannot backtrack; user regular expressions go to RE2, which runs in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import re2

from rules.schema import COND_KEYS, MAX_PATTERN, MAX_REPEAT, suggest
from rules.text import MAX_TEXT, arabic_variants, normalise, normalise_piece, post_tokens, tokens

__all__ = [
    "CompileError",
    "Condition",
    "Matcher",
    "PatternSet",
    "Post",
    "collecting_patterns",
    "collecting_words",
    "compile_condition",
    "gate_of",
    "prepare",
]

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 logs compile errors to stderr, under the TUI
_RE2_OPTIONS.max_mem = 8 << 20


@dataclass(slots=True)
class Post:
    """A post as the conditions read it: normalised once, shared by every rule."""

    text: str
    norm: str
    tokens: list[str]
    tokset: frozenset[str]  # its words (only those of `present` when the rules said which)
    present: frozenset[str]  # the post's words that some rule looks for (see `prepare`)
    _joined: str | None  # see `joined`; None until a rule asks
    lang: str
    compound: float
    author: str
    followers: int
    source: str
    has_link: bool
    is_reply: bool
    labels: set[str] = field(default_factory=set)
    patterns: PatternSet | None = None
    _hits: frozenset[str] | None = None

    def surface(self, found: str) -> str:
        """The words as the author wrote them, for reasons shown to people.

        Matching happens on normalised words ("سييه" for "سيئة", "probleme" for
        "problème"); on ASCII text they are already the author's, lower-cased.
        """
        if self.text.isascii():
            return found
        first = found.split()[0]
        words = self.text.split()
        for i, w in enumerate(map(normalise_piece, words)):
            if first in w:
                n = len(found.split())
                return " ".join(x.strip(_SURFACE_STRIP) for x in words[i : i + n])[:60]
        return found

    @property
    def joined(self) -> str:
        """The tokens joined by spaces, a space at each end, where phrases and `word*`
        prefixes are looked for: made when a rule first asks (most posts hold none of
        a phrase's words, and no rule then does)."""
        joined = self._joined
        if joined is None:
            joined = self._joined = " " + " ".join(self.tokens) + " "
        return joined

    def regex_hits(self) -> frozenset[str] | None:
        """Every rule regex that matches, found in one RE2 pass (None: no set to ask)."""
        if self._hits is None and self.patterns is not None:
            self._hits = self.patterns.match(self.norm)
        return self._hits


class PatternSet:
    """All the regexes of a rule set in one `re2.Set`: one scan of the text tells which
    match, and only those are searched again for the words to show as the reason."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = list(dict.fromkeys(patterns))
        self.known = frozenset(self.patterns)
        self._set = re2.Set.SearchSet(_RE2_OPTIONS)
        for pattern in self.patterns:
            self._set.Add(pattern)
        self._set.Compile()
        # The wrapper's Match only encodes and forwards; call what it forwards to.
        inner = getattr(self._set, "_set", None)
        self._raw: Callable[[bytes], list[int] | None] = (
            inner.Match if inner is not None and hasattr(inner, "Match") else self._set.Match
        )
        self._at = self.patterns.__getitem__

    def match(self, text: str) -> frozenset[str]:
        found = self._raw(text.encode())
        return frozenset(map(self._at, found)) if found else frozenset()


_SURFACE_STRIP = "".join(set(".,;:!?\"'()[]{}«»“”…،؛؟"))

_COLLECT: ContextVar[list[str] | None] = ContextVar("_COLLECT", default=None)
_VOCAB: ContextVar[set[str] | None] = ContextVar("_VOCAB", default=None)
_TRUSTED: ContextVar[bool] = ContextVar("_TRUSTED", default=False)


@contextmanager
def collecting_patterns(trusted: bool = False) -> Iterator[list[str]]:
    """Collect the regexes compiled inside the block (for a `PatternSet`).

    `trusted` is for veille's own packs, whose patterns are reviewed not to backtrack:
    once RE2 has said one matches, Python's `re` finds the span to show, without the
    cost of RE2's Python wrapper. A user's pattern always stays with RE2.
    """
    found: list[str] = []
    token = _COLLECT.set(found)
    token2 = _TRUSTED.set(trusted)
    try:
        yield found
    finally:
        _COLLECT.reset(token)
        _TRUSTED.reset(token2)


@contextmanager
def collecting_words() -> Iterator[set[str]]:
    """Collect every word a `words` condition compiled inside the block looks for.

    A rule set passes the union to `prepare` as `vocab`: the post's own words are cut
    down once to those some rule knows, and each rule's check then compares a few
    words instead of the post's twenty.
    """
    found: set[str] = set()
    token = _VOCAB.set(found)
    try:
        yield found
    finally:
        _VOCAB.reset(token)


def prepare(
    text: str,
    *,
    lang: str,
    compound: float,
    author: str,
    followers: int,
    source: str,
    has_link: bool,
    is_reply: bool,
    norm: str | None = None,
    toks: list[str] | None = None,
    tokset: frozenset[str] | None = None,
    patterns: PatternSet | None = None,
    vocab: frozenset[str] | None = None,
) -> Post:
    """A post ready for the conditions. `vocab`, when given, must hold every word the
    conditions will look for (`collecting_words`); without it all words are kept."""
    text = text[:MAX_TEXT]
    if norm is None:
        norm = normalise(text)
    if toks is None:
        toks = post_tokens(norm)
    if lang == "ar":
        grown = set(toks)
        for t in toks:
            grown.update(arabic_variants(t))
        tokset = frozenset(grown)
    if vocab is not None:
        # Only the words some rule looks for: no need to hash the whole post twice.
        present = vocab.intersection(toks if tokset is None else tokset)
        if tokset is None:
            tokset = present
    else:
        if tokset is None:
            tokset = frozenset(toks)
        present = tokset
    return Post(
        text=text,
        norm=norm,
        tokens=toks,
        tokset=tokset,
        present=present,
        _joined=None,
        lang=lang,
        compound=compound,
        author=normalise(author).lstrip("@") if author else "",
        followers=followers,
        source=source.lower(),
        has_link=has_link,
        is_reply=is_reply,
        patterns=patterns,
    )


class CompileError(Exception):
    """A condition that cannot be compiled; `key` says where in the rule it was written."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


Matcher = Callable[[Post], str | None]
Test = Callable[[Post], bool]
"""Whether a condition holds, without building what it matched: most rules do not fire
on most posts, so the engine asks this first and builds the reason only for a hit."""
Gate = tuple[frozenset[str], frozenset[str]]
"""Words and regexes of which a condition needs at least one (a word in the post, a
regex among RE2's hits) to have any chance of holding. The engine indexes rules by
them, so a post only visits the rules that one of its words or hits can wake."""


def gate_of(m: object) -> Gate | None:
    return getattr(m, "gate", None)


def _union(gates: list[Gate | None]) -> Gate | None:
    """The gate of "one of these holds": every part must have one."""
    if not gates or any(g is None for g in gates):
        return None
    words = frozenset().union(*(g[0] for g in gates if g is not None))
    patterns = frozenset().union(*(g[1] for g in gates if g is not None))
    return words, patterns


def _first(gates: list[Gate | None]) -> Gate | None:
    """The gate of "all of these hold": any one part's gate is necessary; a regex's is
    the narrowest (it was written to be specific), then the fewest words."""
    known = [g for g in gates if g is not None]
    if not known:
        return None
    return min(known, key=lambda g: (not g[1] or bool(g[0]), len(g[0]) + len(g[1])))


def _with_test(match: Matcher, test: Test) -> Matcher:
    match.test = test  # type: ignore[attr-defined]
    return match


def test_of(match: Matcher) -> Test:
    """The quick yes/no of a matcher (every matcher here has one; others are asked)."""
    test: Test | None = getattr(match, "test", None)
    if test is None:

        def test(p: Post) -> bool:
            return match(p) is not None

    return test


@dataclass
class Condition:
    match: Matcher
    uses_labels: bool = False
    # What the engine checks before calling `test`: one of these words must be in the
    # post or one of these regexes among RE2's hits (None: no such shortcut).
    gate: Gate | None = None
    test: Test | None = None

    def holds(self, p: Post) -> bool:
        return (self.test or test_of(self.match))(p)


def _str_list(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise CompileError(key, f"{key} must be a string or a list of strings")


def _words_matcher(key: str, entries: list[str]) -> Matcher:
    singles: set[str] = set()
    # Phrases by their first word: a phrase is only looked for (as " a b " inside the
    # post's joined words) when its first word is in the post, which is rarely.
    by_first: dict[str, list[str]] = {}
    prefixes: list[str] = []  # one-word prefixes ("refund*"): checked on every post
    # The same phrases by their least common word, for the quick test: "it would be"
    # is only looked for in posts with "would", not in every post with "it".
    by_key: dict[str, list[str]] = {}
    for entry in entries:
        prefix = entry.endswith("*")
        toks = tokens(normalise(entry.rstrip("*")))
        if not toks:
            raise CompileError(key, f"{key}: {entry!r} has no word in it")
        if not prefix and len(toks) == 1:
            singles.add(toks[0])
        elif prefix and len(toks) == 1:
            prefixes.append(" " + toks[0])
        else:
            needle = " " + " ".join(toks) + ("" if prefix else " ")
            by_first.setdefault(toks[0], []).append(needle)
            by_key.setdefault(_key_word(toks[:-1] if prefix else toks), []).append(needle)
    words = frozenset(singles)
    firsts = frozenset(by_first)
    keys = frozenset(by_key)
    vocab = _VOCAB.get()
    if vocab is not None:
        vocab.update(words, firsts, keys)

    def match(p: Post) -> str | None:
        tokset = p.present
        if words and not words.isdisjoint(tokset):
            found = sorted(words & tokset)[:3]
            if p.text.isascii():  # already as the author wrote them, lower-cased
                return ", ".join(found)
            return ", ".join(p.surface(w) for w in found)
        if firsts and not firsts.isdisjoint(tokset):
            joined = p._joined or p.joined  # the property only the first time
            for first in sorted(firsts & tokset):
                for needle in by_first[first]:
                    if needle in joined:
                        return p.surface(needle.strip())
        if prefixes:
            joined = p._joined or p.joined  # the property only the first time
            for pre in prefixes:
                i = joined.find(pre)
                if i >= 0:
                    return joined[i + 1 : joined.index(" ", i + 1)]
        return None

    def test(p: Post) -> bool:
        tokset = p.present
        if words and not words.isdisjoint(tokset):
            return True
        if keys and not keys.isdisjoint(tokset):
            joined = p._joined or p.joined  # the property only the first time
            for k in keys & tokset:
                for needle in by_key[k]:
                    if needle in joined:
                        return True
        if prefixes:
            joined = p._joined or p.joined  # the property only the first time
            return any(pre in joined for pre in prefixes)
        return False

    if not prefixes:
        # What `_at_least` needs to settle this test from a word index, uncalled:
        # any of `singles` present is a yes; none of them nor of `firsts` is a no.
        test.singles = words  # type: ignore[attr-defined]
        test.firsts = keys  # type: ignore[attr-defined]
    if not prefixes:
        match.gate = (words | keys, frozenset())  # type: ignore[attr-defined]
    return _with_test(match, test)


_COMMON = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been am
    i you he she it we they me my your our their this that not no do does did can could
    would will should have has had if so what how why when where who all any some just
    le la les un une des du de et ou est sont je tu il elle nous vous ils pas ne que qui
    en au aux pour par sur dans ce ca""".split()
)
"""Words in nearly every post: a phrase is indexed by another of its words if it can."""


def _key_word(toks: list[str]) -> str:
    """The word of a phrase least likely to be in a post: not a common one, the longest."""
    return max(toks, key=lambda t: (t not in _COMMON, len(t)))


def _words(key: str, value: Any) -> Matcher:
    if isinstance(value, dict):
        by_lang: dict[str, Matcher] = {}
        for lang, entries in value.items():
            by_lang[str(lang)] = _words_matcher(key, _str_list(f"{key}.{lang}", entries))
        anywhere = by_lang.pop("*", None)
        tests = {lang: test_of(m) for lang, m in by_lang.items()}
        anywhere_test = test_of(anywhere) if anywhere is not None else None

        def match(p: Post) -> str | None:
            m = by_lang.get(p.lang)
            hit = m(p) if m is not None else None
            if hit is None and anywhere is not None:
                hit = anywhere(p)
            return hit

        def test(p: Post) -> bool:
            t = tests.get(p.lang)
            if t is not None and t(p):
                return True
            return anywhere_test is not None and anywhere_test(p)

        parts = [*by_lang.values(), *([anywhere] if anywhere is not None else [])]
        match.gate = _union([gate_of(m) for m in parts])  # type: ignore[attr-defined]
        return _with_test(match, test)
    return _words_matcher(key, _str_list(key, value))


def _regex(key: str, value: Any) -> Matcher:
    compiled = []
    for pattern in _str_list(key, value):
        if len(pattern) > MAX_PATTERN:
            raise CompileError(key, f"regex longer than {MAX_PATTERN} characters")
        count = _largest_repeat(pattern)
        if count > MAX_REPEAT:
            raise CompileError(
                key,
                f"regex {pattern!r}: a repeat count of {count} (above {MAX_REPEAT}) makes"
                " every post slower to read; write + or * instead",
            )
        try:
            compiled.append(re2.compile(pattern, _RE2_OPTIONS))
        except re2.error as exc:
            msg = exc.args[0] if exc.args else exc
            if isinstance(msg, bytes):
                msg = msg.decode("utf-8", "replace")
            raise CompileError(key, f"bad regex {pattern!r}: {msg}") from None
    collector = _COLLECT.get()
    if collector is not None:
        collector.extend(rx.pattern for rx in compiled)
    spans: list[re.Pattern[str] | None] = [None] * len(compiled)
    if _TRUSTED.get():
        for i, rx in enumerate(compiled):
            try:
                spans[i] = re.compile(rx.pattern, re.ASCII)
            except re.error:
                pass
    triples = [(rx, rx.pattern, span) for rx, span in zip(compiled, spans, strict=True)]

    def show(m: Any, pattern: str) -> str:
        return str(m.group(0)).lstrip(' .,;:!"(')[:60] or pattern

    if len(triples) == 1:
        rx, pattern, span = triples[0]

        def match_one(p: Post) -> str | None:
            hits = p._hits if p._hits is not None else p.regex_hits()
            if hits is not None and pattern in p.patterns.known:  # type: ignore[union-attr]
                if pattern not in hits:
                    return None  # RE2's one pass already said no
                if span is not None:
                    m2 = span.search(p.norm)
                    if m2 is not None:
                        return show(m2, pattern)
            m = rx.search(p.norm)
            return show(m, pattern) if m is not None else None

        def test_one(p: Post) -> bool:
            hits = p._hits if p._hits is not None else p.regex_hits()
            if hits is not None and pattern in p.patterns.known:  # type: ignore[union-attr]
                return pattern in hits
            return rx.search(p.norm) is not None

        match_one.gate = (frozenset(), frozenset([pattern]))  # type: ignore[attr-defined]
        return _with_test(match_one, test_one)

    def match(p: Post) -> str | None:
        hits = p._hits if p._hits is not None else p.regex_hits()
        for rx, pattern, span in triples:
            if hits is not None and pattern in p.patterns.known:  # type: ignore[union-attr]
                if pattern not in hits:
                    continue
                if span is not None:  # RE2 said it matches: only the span is wanted
                    m2 = span.search(p.norm)
                    if m2 is not None:
                        return show(m2, pattern)
            m = rx.search(p.norm)
            if m is not None:
                return show(m, pattern)
        return None

    def test(p: Post) -> bool:
        hits = p._hits if p._hits is not None else p.regex_hits()
        for rx, pattern, _span in triples:
            if hits is not None and pattern in p.patterns.known:  # type: ignore[union-attr]
                if pattern in hits:
                    return True
            elif rx.search(p.norm) is not None:
                return True
        return False

    match.gate = (frozenset(), frozenset(pat for _, pat, _ in triples))  # type: ignore[attr-defined]
    return _with_test(match, test)


_REPEAT = re.compile(r"\{(\d+)(?:,(\d*))?\}")


def _largest_repeat(pattern: str) -> int:
    """The largest count of the pattern's `{n}`, `{n,}` and `{n,m}` repeats (0: none);
    escaped braces and braces inside a character class are literal, not repeats."""
    largest = 0
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # "[]...]" and "[^]...]": a literal "]"
                i += 1
        elif ch == "{":
            m = _REPEAT.match(pattern, i)
            if m is not None:
                largest = max(largest, *(int(g) for g in m.groups() if g))
                i = m.end()
                continue
        i += 1
    return largest


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CompileError(key, f"{key} must be a number")
    return float(value)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise CompileError(key, f"{key} must be true or false")
    return value


def compile_condition(table: dict[str, Any], extra_keys: tuple[str, ...] = ()) -> Condition:
    """All keys of `table` must hold (keys in `extra_keys` are the caller's, skipped)."""
    parts: list[Matcher] = []
    uses_labels = False
    for key, value in table.items():
        if key in extra_keys:
            continue
        if key not in COND_KEYS:
            raise CompileError(key, f"unknown key {key!r}" + suggest(key, COND_KEYS + extra_keys))
        if key in _SIMPLE:
            parts.append(_SIMPLE[key](key, value))
        elif key == "labels":
            uses_labels = True
            parts.append(_labels(key, value))
        elif key == "not":
            inner = _sub(key, value)
            uses_labels |= inner.uses_labels
            parts.append(_not(inner.match, inner.test))
        elif key == "at_least":
            if (
                not isinstance(value, dict)
                or set(value) != {"n", "of"}
                or isinstance(value["n"], bool)
                or not isinstance(value["n"], int)
                or value["n"] < 1
                or not isinstance(value["of"], list)
                or not all(isinstance(v, dict) for v in value["of"])
            ):
                raise CompileError(key, "at_least must be { n = <count>, of = [condition tables] }")
            subs = [_sub(key, v) for v in value["of"]]
            uses_labels |= any(s.uses_labels for s in subs)
            least = _at_least(value["n"], [s.match for s in subs], [s.test for s in subs])
            least.gate = _union([s.gate for s in subs])  # type: ignore[attr-defined]
            parts.append(least)
        elif key in ("any", "all"):
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise CompileError(key, f"{key} must be a list of condition tables")
            subs = [_sub(key, v) for v in value]
            uses_labels |= any(s.uses_labels for s in subs)
            ms = [s.match for s in subs]
            combined = _any(ms) if key == "any" else _all(ms)
            # One of `any` must hold: it needs what one of them needs. Every table of
            # `all` must hold, so what any one of them needs, the whole needs.
            gates = [s.gate for s in subs]
            combined.gate = (_union if key == "any" else _first)(gates)  # type: ignore[attr-defined]
            parts.append(combined)
    if not parts:
        return Condition(_always, uses_labels, test=_always_test)
    whole = parts[0] if len(parts) == 1 else _all(parts)
    return Condition(whole, uses_labels, _first([gate_of(m) for m in parts]), test_of(whole))


def _always(p: Post) -> str | None:
    return ""


def _always_test(p: Post) -> bool:
    return True


def _not(inner: Matcher, inner_test: Test | None = None) -> Matcher:
    held = inner_test or test_of(inner)

    def match(p: Post) -> str | None:
        return None if held(p) else ""

    def test(p: Post) -> bool:
        return not held(p)

    return _with_test(match, test)


def _lang(key: str, value: Any) -> Matcher:
    langs = frozenset(v.lower() for v in _str_list(key, value))

    def match(p: Post) -> str | None:
        return "" if p.lang in langs else None  # too obvious to show as a reason

    return _with_test(match, lambda p: p.lang in langs)


def _sentiment(key: str, value: Any) -> Matcher:
    t = _number(key, value)
    below = key == "sentiment_below"

    def match(p: Post) -> str | None:
        hit = p.compound < t if below else p.compound > t
        return f"sentiment {p.compound:+.2f}" if hit else None

    if below:
        return _with_test(match, lambda p: p.compound < t)
    return _with_test(match, lambda p: p.compound > t)


def _author(key: str, value: Any) -> Matcher:
    names = frozenset(normalise(v).lstrip("@") for v in _str_list(key, value))

    def match(p: Post) -> str | None:
        return f"@{p.author}" if p.author in names else None

    return _with_test(match, lambda p: p.author in names)


def _followers(key: str, value: Any) -> Matcher:
    n = _number(key, value)
    at_least = key == "followers_at_least"

    def match(p: Post) -> str | None:
        hit = p.followers >= n if at_least else p.followers < n
        return f"{p.followers} followers" if hit else None

    if at_least:
        return _with_test(match, lambda p: p.followers >= n)
    return _with_test(match, lambda p: p.followers < n)


def _source(key: str, value: Any) -> Matcher:
    kinds = frozenset(v.lower() for v in _str_list(key, value))

    def match(p: Post) -> str | None:
        return p.source if p.source in kinds else None

    return _with_test(match, lambda p: p.source in kinds)


def _flag(key: str, value: Any) -> Matcher:
    want = _bool(key, value)
    link = key == "has_link"

    def match(p: Post) -> str | None:
        have = p.has_link if link else p.is_reply
        if have != want:
            return None
        return ("link" if link else "reply") if want else ""

    if link:
        return _with_test(match, lambda p: p.has_link == want)
    return _with_test(match, lambda p: p.is_reply == want)


def _labels(key: str, value: Any) -> Matcher:
    labels = frozenset(_str_list(key, value))

    def match(p: Post) -> str | None:
        hit = labels & p.labels
        return ",".join(sorted(hit)) if hit else None

    return _with_test(match, lambda p: not labels.isdisjoint(p.labels))


_SIMPLE: dict[str, Callable[[str, Any], Matcher]] = {
    "words": _words,
    "regex": _regex,
    "lang": _lang,
    "sentiment_below": _sentiment,
    "sentiment_above": _sentiment,
    "author": _author,
    "followers_at_least": _followers,
    "followers_below": _followers,
    "source": _source,
    "has_link": _flag,
    "is_reply": _flag,
}


def _sub(key: str, value: Any) -> Condition:
    if not isinstance(value, dict):
        raise CompileError(key, f"{key} must be a table of conditions")
    try:
        return compile_condition(value)
    except CompileError as exc:
        raise CompileError(exc.key, str(exc)) from None


def _any(ms: list[Matcher]) -> Matcher:
    tests = [test_of(m) for m in ms]

    def match(p: Post) -> str | None:
        for m in ms:
            hit = m(p)
            if hit is not None:
                return hit
        return None

    def test(p: Post) -> bool:
        for t in tests:
            if t(p):
                return True
        return False

    return _with_test(match, test)


def _at_least(n: int, ms: list[Matcher], given: list[Test | None] | None = None) -> Matcher:
    """n of the conditions hold: several weak signals together make a strong one."""
    tests = [t or test_of(m) for t, m in zip(given or [None] * len(ms), ms, strict=True)]
    # Word tests are settled from one index over the post's (few) known words: each
    # word maps to the tests it makes true (`sure`) and the phrase tests it makes
    # worth asking (`ask`); only those and the tests of other kinds are called.
    index: dict[str, tuple[int, int]] = {}
    others: list[Test] = []
    for i, t in enumerate(tests):
        singles: frozenset[str] | None = getattr(t, "singles", None)
        firsts: frozenset[str] | None = getattr(t, "firsts", None)
        if singles is None or firsts is None:
            others.append(t)
            continue
        for w in singles:
            sure, ask = index.get(w, (0, 0))
            index[w] = (sure | 1 << i, ask)
        for w in firsts:
            sure, ask = index.get(w, (0, 0))
            index[w] = (sure, ask | 1 << i)

    def test(p: Post) -> bool:
        sure = ask = 0
        get = index.get
        for w in p.present:
            bits = get(w)
            if bits is not None:
                sure |= bits[0]
                ask |= bits[1]
        count = sure.bit_count()
        if count >= n:
            return True
        ask &= ~sure
        if ask:
            pending = [tests[i] for i in range(ask.bit_length()) if ask >> i & 1]
            pending += others
        else:
            pending = others
        left = len(pending)
        for t in pending:
            if count + left < n:
                return False
            left -= 1
            if t(p):
                count += 1
                if count >= n:
                    return True
        return False

    def match(p: Post) -> str | None:
        shown: list[str] = []
        count = 0
        for i, m in enumerate(ms):
            if count + len(ms) - i < n:
                return None  # even if every remaining one holds, too few
            if not tests[i](p):
                continue  # the quick test says no: no need to build what matched
            hit = m(p)
            if hit is not None:
                count += 1
                if hit:
                    shown.append(hit)
                if count >= n:
                    return "; ".join(shown)
        return None

    return _with_test(match, test)


def _all(ms: list[Matcher]) -> Matcher:
    tests = [test_of(m) for m in ms]
    if len(ms) == 2:
        first, second = ms
        t1, t2 = tests

        def match2(p: Post) -> str | None:
            a = first(p)
            if a is None:
                return None
            b = second(p)
            if b is None:
                return None
            return f"{a}; {b}" if a and b else a or b

        return _with_test(match2, lambda p: t1(p) and t2(p))

    def match(p: Post) -> str | None:
        shown: list[str] = []
        for m in ms:
            hit = m(p)
            if hit is None:
                return None
            if hit:
                shown.append(hit)
        return "; ".join(shown)

    def test(p: Post) -> bool:
        for t in tests:
            if not t(p):
                return False
        return True

    return _with_test(match, test)
