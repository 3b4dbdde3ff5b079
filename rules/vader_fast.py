"""A VADER scorer that returns exactly `polarity_scores`' numbers, several times faster.

VADER spends most of its time lowercasing: its negation check lowercases the whole
negation list, and every helper lowercases the whole sentence again, for every word.
Here each sentence is lowercased once, negation is a set lookup and the hot loop reads
locals. The rules (boosters, caps, "no", "least", "but", idioms, punctuation) are
VADER 3.3.2's, step for step, including its quirks; a test compares both on thousands
of texts.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable
from itertools import compress
from operator import itemgetter
from typing import Any

from vaderSentiment import vaderSentiment as _v

__all__ = ["FastVader", "TokenMemoScorer", "StripCache", "emoji_prefilter"]

_NEGATE = frozenset(_v.NEGATE)
_BOOST = _v.BOOSTER_DICT
_SPECIAL = _v.SPECIAL_CASES
_N = _v.N_SCALAR
_C = _v.C_INCR
_PUNCT = string.punctuation
_IDIOM_WORDS = frozenset(
    max(key.split(), key=len) for key in [*_SPECIAL, *(k for k in _BOOST if " " in k)]
)
"""One word of each VADER idiom or two-word booster: with none present, none can fire."""
_CONTEXT_WORDS = frozenset(
    [*_BOOST, *_NEGATE, "kind", "so", "this", "never", "without", "no", "least", "but"]
).union(_IDIOM_WORDS)
"""Every word whose presence can change another word's valence in VADER's loop."""


class StripCache(dict[str, str]):
    """Token -> token without surrounding punctuation (VADER's rule), memoised.

    `map(cache.__getitem__, tokens)` stays in C for tokens seen before, which on
    social text is nearly all of them; the size is capped so memory stays flat.
    """

    def __missing__(self, tok: str) -> str:
        stripped = tok.strip(_PUNCT)
        word = tok if len(stripped) <= 2 else stripped
        if len(self) > 200_000:
            self.clear()
        self[tok] = word
        return word


_Token = tuple[str, bool, bool, bool, float, float, int]
_LOWER, _IN_LEX, _UPPER, _CONTEXT, _VALENCE, _MIXED, _FLAGS = (itemgetter(i) for i in range(7))

_FIELD = 1 << 20
_MASK = _FIELD - 1
_UPPER_SHIFT = 20
_CONTEXT_SHIFT = 40


class _Tokens(dict[str, _Token]):
    """Raw token -> (VADER's stripped lower-case word, whether it is in the lexicon,
    whether the raw token is upper case, whether it can change a neighbour's valence
    (`_CONTEXT`, an idiom's word, or holding "n't"), its valence (0.0 outside the
    lexicon), that valence in a post that mixes cases (a shouted lexicon word gains
    C_INCR), and the three yes/no as bit fields: 1 if in the lexicon, + 2**20 if upper
    case, + 2**40 if it can change a neighbour, so that one `sum` over a post's tokens
    counts all three), memoised: one dict probe a token where the loop would make
    several, and far fewer cache misses. Size capped.

    Punctuation is uncased, so a token and its stripped form agree on isupper()."""

    def __init__(self, strip: Callable[[str], str], lexicon: dict[str, float]) -> None:
        super().__init__()
        self._parts = (strip, lexicon)

    def __missing__(self, tok: str) -> _Token:
        strip, lexicon = self._parts
        word = strip(tok).lower()
        in_lex = word in lexicon
        upper = tok.isupper()
        context = word in _CONTEXT_WORDS or "n't" in word
        valence = lexicon.get(word, 0.0)
        mixed = valence
        if in_lex and upper:  # the loop's capitals rule, for a post that mixes cases
            mixed = valence + _C if valence > 0 else valence - _C
        flags = in_lex + (upper << _UPPER_SHIFT) + (context << _CONTEXT_SHIFT)
        entry = (word, in_lex, upper, context, valence, mixed, flags)
        if len(self) > 200_000:
            self.clear()
        self[tok] = entry
        return entry


def emoji_prefilter(chars: frozenset[str]) -> Callable[[str], object]:
    """A search that finds something in every text holding one of the one-character
    keys of `chars` (emoji), and nothing in most others: one quick scan for a range and
    a few characters, instead of a set probe per character. Below U+2000 the keys are
    listed one by one ("©", "®"), so curly quotes and accents never reach the set."""
    singles = sorted(c for c in chars if len(c) == 1)
    low = "".join(re.escape(c) for c in singles if c < "\u2000")
    high = [c for c in singles if c >= "\u2000"]
    span = f"{re.escape(high[0])}-\U0010ffff" if high else ""
    if not (low or span):
        return _nothing
    return re.compile(f"[{low}{span}]").search


def _nothing(text: str) -> None:
    return None


def _negated(word: str) -> bool:
    return word in _NEGATE or "n't" in word


class TokenMemoScorer:
    """A scorer whose token memo records lexicon membership: setting `lexicon` (as
    VADER's users do to tune it) starts a new memo from `_tokens()`."""

    _lexicon: dict[str, float]
    _token: Any

    @property
    def lexicon(self) -> dict[str, float]:
        return self._lexicon

    @lexicon.setter
    def lexicon(self, value: dict[str, float]) -> None:
        self._lexicon = value
        self._token = self._tokens()

    def _tokens(self) -> Any:
        raise NotImplementedError


class FastVader(TokenMemoScorer):
    """Drop-in for `SentimentIntensityAnalyzer.polarity_scores` (same lexicon files)."""

    def __init__(self) -> None:
        base = _v.SentimentIntensityAnalyzer()
        self._strip = StripCache().__getitem__
        self.lexicon = base.lexicon
        self.emojis: dict[str, str] = base.emojis
        self._emoji_chars = frozenset(self.emojis)
        self._maybe_emoji = emoji_prefilter(self._emoji_chars)

    def _tokens(self) -> Any:
        return _Tokens(self._strip, self._lexicon).__getitem__

    def _demojize(self, text: str) -> str:
        if text.isascii() or self._maybe_emoji(text) is None or self._emoji_chars.isdisjoint(text):
            return text.strip()
        parts: list[str] = []
        prev_space = True
        emojis = self.emojis
        for ch in text:
            desc = emojis.get(ch)
            if desc is not None:
                if not prev_space:
                    parts.append(" ")
                parts.append(desc)
                prev_space = False
            else:
                parts.append(ch)
                prev_space = ch == " "
        return "".join(parts).strip()

    def polarity_scores(self, text: str) -> dict[str, float]:
        return self._score(self._demojize(text))

    def compound(self, text: str) -> float:
        """VADER's compound alone (the same number), without the pos/neu/neg shares."""
        if text.isascii():  # no emoji to describe: _demojize's own first case
            return self._score(text.strip(), True)["compound"]
        return self._score(self._demojize(text), True)["compound"]

    def _score(  # noqa: C901 - mirrors VADER's flow
        self, text: str, compound_only: bool = False
    ) -> dict[str, float]:
        raw = text.split()
        n = len(raw)
        if n == 0:
            return _score_valence([], text)
        toks = list(map(self._token, raw))  # one memo probe a token: see `_Tokens`
        if n < _FIELD:
            flags = sum(map(_FLAGS, toks))  # lexicon words, upper case, context words
            if not flags & _MASK:
                return _score_valence([], text, n)
            n_upper = flags >> _UPPER_SHIFT & _MASK
            is_cap_diff = 0 < n - n_upper < n
            if not flags >> _CONTEXT_SHIFT:
                # Nothing that changes a neighbour's valence ("very", "not", "no", "so",
                # "but", an idiom ...): each sentiment word counts its valence, capitals
                # aside (`_MIXED`: a shouted one gains C_INCR in a post mixing cases).
                nonzero = list(filter(None, map(_MIXED if is_cap_diff else _VALENCE, toks)))
                return _score_valence(nonzero, text, n - len(nonzero), compound_only)
            in_lex = list(map(_IN_LEX, toks))
        else:  # too many tokens for the bit fields: the same counts one by one
            in_lex = list(map(_IN_LEX, toks))
            if not any(in_lex):
                return _score_valence([], text, n)
            n_upper = sum(map(_UPPER, toks))
            is_cap_diff = 0 < n - n_upper < n
            if not any(map(_CONTEXT, toks)):
                nonzero = list(filter(None, map(_MIXED if is_cap_diff else _VALENCE, toks)))
                return _score_valence(nonzero, text, n - len(nonzero), compound_only)
        lex = self.lexicon
        low = text.lower()
        lower = list(map(_LOWER, toks))
        words = raw
        # A word can only be a token if it is in the text: the substring test is one
        # C scan, the list test twenty comparisons.
        has_no = "no" in low and "no" in lower
        has_least = "least" in low and "least" in lower
        idioms = not _IDIOM_WORDS.isdisjoint(lower)
        sentiments: list[float] = [0] * n
        near = list(map(_CONTEXT, toks))
        for i in compress(range(n), in_lex):
            if not (
                idioms
                or near[i]
                or (i > 0 and near[i - 1])
                or (i > 1 and near[i - 2])
                or (i > 2 and near[i - 3])
            ):
                # Neither the word nor any of the three before it can change a valence
                # (and no idiom in the post): it counts its own, capitals aside, as in
                # a post with no such word at all ("but" acts on the list below).
                tok = toks[i]
                valence = tok[4]
                if is_cap_diff and tok[2]:  # shouted
                    valence = valence + _C if valence > 0 else valence - _C
                sentiments[i] = valence
                continue
            item_l = lower[i]
            if item_l in _BOOST:
                continue
            if item_l == "kind" and i < n - 1 and lower[i + 1] == "of":
                continue
            valence = lex[item_l]
            if has_no:
                if item_l == "no" and i != n - 1 and in_lex[i + 1]:
                    valence = 0.0
                if (
                    (i > 0 and lower[i - 1] == "no")
                    or (i > 1 and lower[i - 2] == "no")
                    or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
                ):
                    valence = lex[item_l] * _N
            if is_cap_diff and words[i].isupper():
                if valence > 0:
                    valence += _C
                else:
                    valence -= _C
            for start_i in range(3):
                if i <= start_i:
                    break
                j = i - (start_i + 1)
                if in_lex[j]:
                    continue
                wl = lower[j]
                if wl in _BOOST:
                    # scalar_inc_dec
                    s = _BOOST[wl]
                    if valence < 0:
                        s *= -1
                    if is_cap_diff and words[j].isupper():
                        if valence > 0:
                            s += _C
                        else:
                            s -= _C
                    if start_i == 1:
                        s = s * 0.95
                    elif start_i == 2:
                        s = s * 0.9
                    valence = valence + s
                if start_i == 0:
                    # _negation's first case, inlined: it runs for nearly every word
                    w = lower[i - 1]
                    if w in _NEGATE or "n't" in w:
                        valence = valence * _N
                elif start_i == 1:
                    w2 = lower[i - 2]
                    w = lower[i - 1]
                    if w2 == "never" and (w == "so" or w == "this"):
                        valence = valence * 1.25
                    elif w2 == "without" and w == "doubt":
                        pass
                    elif w2 in _NEGATE or "n't" in w2:
                        valence = valence * _N
                else:
                    valence = self._negation(valence, lower, start_i, i)
                if start_i == 2 and idioms:
                    valence = self._idioms(valence, lower, i)
            if has_least:
                # _least_check
                if i > 1 and not in_lex[i - 1] and lower[i - 1] == "least":
                    if lower[i - 2] != "at" and lower[i - 2] != "very":
                        valence = valence * _N
                elif i > 0 and not in_lex[i - 1] and lower[i - 1] == "least":
                    valence = valence * _N
            sentiments[i] = valence
        if "but" in low and "but" in lower:
            sentiments = _but(lower.index("but"), sentiments)
            return _score_valence(sentiments, text, 0, compound_only)
        # Zeros add nothing to VADER's sums; only their count matters (as "neutral").
        nonzero = [s for s in sentiments if s]
        return _score_valence(nonzero, text, n - len(nonzero), compound_only)

    @staticmethod
    def _negation(valence: float, lower: list[str], start_i: int, i: int) -> float:
        if start_i == 0:
            if _negated(lower[i - 1]):
                valence = valence * _N
        elif start_i == 1:
            if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
                valence = valence * 1.25
            elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
                pass
            elif _negated(lower[i - 2]):
                valence = valence * _N
        else:
            if (
                lower[i - 3] == "never"
                and (lower[i - 2] == "so" or lower[i - 2] == "this")
                or (lower[i - 1] == "so" or lower[i - 1] == "this")
            ):
                valence = valence * 1.25
            elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
                pass
            elif _negated(lower[i - 3]):
                valence = valence * _N
        return valence

    @staticmethod
    def _idioms(valence: float, lower: list[str], i: int) -> float:
        n = len(lower)
        w3, w2, w1, w0 = lower[i - 3], lower[i - 2], lower[i - 1], lower[i]
        onezero = f"{w1} {w0}"
        twoonezero = f"{w2} {w1} {w0}"
        twoone = f"{w2} {w1}"
        threetwoone = f"{w3} {w2} {w1}"
        threetwo = f"{w3} {w2}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in _SPECIAL:
                valence = _SPECIAL[seq]
                break
        if n - 1 > i:
            zeroone = f"{w0} {lower[i + 1]}"
            if zeroone in _SPECIAL:
                valence = _SPECIAL[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{w0} {lower[i + 1]} {lower[i + 2]}"
            if zeroonetwo in _SPECIAL:
                valence = _SPECIAL[zeroonetwo]
        for ngram in (threetwoone, threetwo, twoone):
            if ngram in _BOOST:
                valence = valence + _BOOST[ngram]
        return valence


class RoundedCompound(dict[float, float]):
    """VADER's sum of valences -> its compound: normalised into [-1, 1] and rounded to
    4 places, memoised. `round` with places costs a third of a microsecond (it rounds
    the decimal digits exactly), a probe some twenty nanoseconds, and a stream repeats
    its sums: one word of praise, the same punctuation (on the dev posts four sums in
    five were met before). Zero, whose sign the memo would not keep, is the caller's;
    size capped."""

    def __missing__(self, sum_s: float) -> float:
        value = round(max(-1.0, min(1.0, sum_s / math.sqrt((sum_s * sum_s) + 15))), 4)
        if len(self) > 100_000:
            self.clear()
        self[sum_s] = value
        return value


_ROUNDED = RoundedCompound()


def _but(bi: int, sentiments: list[float]) -> list[float]:
    """VADER's 'but' rule, with its list.index quirk on repeated values kept as is.

    A zero (a word outside the lexicon, most of them) is skipped: VADER's step for it
    finds the first zero and writes a zero there, and no other value ever finds a
    zero; a sum or a count of zeros does not see which zero it was."""
    for sentiment in sentiments:
        if not sentiment:
            continue
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)
    return sentiments


def _score_valence(
    sentiments: list[float], text: str, zeros: int = 0, compound_only: bool = False
) -> dict[str, float]:
    if not sentiments and not zeros:
        return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    sum_s = float(sum(sentiments))
    if sum_s == 0 and not any(sentiments):
        return {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
    ep = text.count("!")
    if ep > 4:
        ep = 4
    amp = ep * 0.292
    qm = text.count("?")
    if qm > 1:
        amp += qm * 0.18 if qm <= 3 else 0.96
    if sum_s > 0:
        sum_s += amp
    elif sum_s < 0:
        sum_s -= amp
    if compound_only and sum_s:  # a zero keeps its sign: not through the memo
        return {"compound": _ROUNDED[sum_s]}
    compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
    if compound < -1.0:
        compound = -1.0
    elif compound > 1.0:
        compound = 1.0
    if compound_only:
        return {"compound": round(compound, 4)}
    pos_sum = 0.0
    neg_sum = 0.0
    neu = zeros
    for s in sentiments:
        if s > 0:
            pos_sum += float(s) + 1
        elif s < 0:
            neg_sum += float(s) - 1
        else:
            neu += 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += amp
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= amp
    total = pos_sum + math.fabs(neg_sum) + neu
    return {
        "neg": round(math.fabs(neg_sum / total), 3),
        "neu": round(math.fabs(neu / total), 3),
        "pos": round(math.fabs(pos_sum / total), 3),
        "compound": round(compound, 4),
    }
