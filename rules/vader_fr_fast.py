"""vadersentiment-fr's compound, computed the same way with far less work per word.

The French analyzer is VADER's algorithm on a French lexicon, and it inherits VADER's
costs (every helper lowercases the whole sentence again) plus its own (accents are
stripped from each word with unidecode on every call). Here each sentence is split,
lowercased and stripped once, and only lexicon words are visited. Quirks are kept:
words are split on spaces and apostrophes, neighbours are looked up with their
accents, "no"/"least"/idioms are VADER's English ones, and a post with no sentiment
word leans negative by half its punctuation emphasis. A test compares the compound
with vadersentiment-fr's on thousands of texts.
"""

from __future__ import annotations

import math
import re
import string
from itertools import chain, compress
from operator import itemgetter
from typing import Any

from rules.text import spaced_pieces
from rules.vader_fast import _ROUNDED, StripCache, TokenMemoScorer, emoji_prefilter

__all__ = ["FastFrench"]

_PUNCT = string.punctuation
_SPLIT = re.compile(r"[\s']")
_DOTS = re.compile(r"\.{2,}")
_UC_DROP = re.compile("[?!.,;]")
"""The punctuation vadersentiment-fr's caps check drops (a regex: `str.translate`
probes its table for every character of non-ASCII text)."""


_OTHER_SPACE = re.compile(r"[^\S ]")


def _split(text: str) -> tuple[list[str], bool]:
    """`_SPLIT.split(text)` (at whitespace and apostrophes), and whether that is
    `text.split(" ")`: with no whitespace but spaces, `str.split(" ")` gives the same
    pieces (empty ones too) without the regex machine."""
    # Every whitespace character but the space is unprintable (Cc, Zs, Zl, Zp), and
    # `isprintable` is one quick scan; the regex only looks when it says no.
    spaced = text.isprintable() or _OTHER_SPACE.search(text) is None
    if "'" in text:
        text = text.replace("'", " ")
        return (text.split(" ") if spaced else _SPLIT.split(text)), False
    if spaced:
        return text.split(" "), True
    return _SPLIT.split(text), False


class FastFrench(TokenMemoScorer):
    """`compound(text)` equal to vadersentiment-fr's `polarity_scores(text)["compound"]`."""

    def __init__(self, fr_module: Any, analyzer: Any, plus_needs_ne: bool = False) -> None:
        """`plus_needs_ne`: veille's one change to the algorithm, off by default so
        that the default is vadersentiment-fr's number. "plus" negates only after
        "ne"/"n'" ("il n'est plus bon"); alone it is "more, most" ("le plus beau")."""
        self._plus_needs_ne = plus_needs_ne
        self._lexicon: dict[str, float] = analyzer.lexicon
        self.emojis: dict[str, str] = analyzer.emojis
        self._emoji_chars = frozenset(self.emojis)
        self._maybe_emoji = emoji_prefilter(self._emoji_chars)
        self._boost: dict[str, float] = fr_module.BOOSTER_DICT
        self._negate = frozenset(fr_module.NEGATE)
        self._special: dict[str, float] = fr_module.SPECIAL_CASES
        self._n = fr_module.N_SCALAR
        self._c = fr_module.C_INCR
        self._unidecode = _Folded(fr_module.unidecode.unidecode)
        self._strip = StripCache().__getitem__
        self._no_check = frozenset(self._unidecode[e] for e in fr_module.NO_NEGATE)
        self._idiom_words = frozenset(
            max(k.split(), key=len) for k in [*self._special, *(b for b in self._boost if " " in b)]
        )
        self._token = self._tokens()

    def describe(self, descriptions: dict[str, str]) -> None:
        """Read these emoji as the given words ("" reads one as nothing) instead of
        vadersentiment-fr's descriptions, which hold no opinion word ("pouce levé",
        "visage énervé") or the wrong one ("feu"). The memos start anew."""
        self.emojis = {**self.emojis, **descriptions}
        self._emoji_chars = frozenset(self.emojis)
        self._maybe_emoji = emoji_prefilter(self._emoji_chars)
        self._token = self._tokens()

    def _tokens(self) -> Any:
        """raw token -> what the loop reads of it, in one lookup (see `_Token`); and
        anew with it, the memo of pieces of text made of those tokens (`_Piece`)."""
        fold = self._unidecode.__getitem__
        tokens = _Tokens(self._strip, fold, self._lexicon, self._context_words(), self._c)
        self._piece = _Pieces(tokens.__getitem__, self._maybe_emoji, self._emoji_chars).__getitem__
        return tokens.__getitem__

    def _context_words(self) -> frozenset[str]:
        """Words that change a neighbour's valence: the loop's only reasons to look
        beyond a sentiment word itself (with any word holding "n't")."""
        return frozenset([*self._boost, *self._negate, "kind", "no", "least", *self._idiom_words])

    def _demojize(self, text: str) -> str:
        if text.isascii() or self._maybe_emoji(text) is None or self._emoji_chars.isdisjoint(text):
            return text.strip()
        parts: list[str] = []
        prev_space = True
        for ch in text:
            desc = self.emojis.get(ch)
            if desc is not None:
                if not prev_space:
                    parts.append(" ")
                parts.append(desc)
                prev_space = False
            else:
                parts.append(ch)
                prev_space = ch == " "
        return "".join(parts).strip()

    def compound(self, text: str) -> float:  # noqa: C901 - mirrors the original's flow
        shouted: int | None = None
        if len(text) < _PIECE_MAX_TEXT and not (text[:1].isspace() or text[-1:].isspace()):
            # Read through the memo of the pieces between spaces, split once (by
            # `read_post`, when it has just read this text): unless a piece holds an
            # emoji or whitespace other than a space, the text is its own demojized,
            # stripped form, and its tokens are its pieces split at apostrophes.
            entries = list(map(self._piece, spaced_pieces(text)))
            flags = sum(map(_P_FLAGS, entries))
            if not flags >> _P_OTHER_SHIFT:
                if not flags & _P_MASK:
                    return _compound([], text)  # no sentiment word at all
                n = flags >> _P_COUNT_SHIFT & _P_MASK
                shouted = flags >> _P_SHOUT_SHIFT & _P_MASK
                if not flags >> _P_CONTEXT_SHIFT & _P_MASK:
                    # as below: each sentiment word counts its valence, and no more
                    n_upper = flags >> _P_UPPER_SHIFT & _P_MASK
                    pick = _P_MIXED if 0 < n - n_upper < n else _P_VALENCES
                    return _compound(list(chain.from_iterable(map(pick, entries))), text, shouted)
                return self._loop(list(chain.from_iterable(map(_P_TOKENS, entries))), text, shouted)
        text = self._demojize(text)
        raw, spaced = _split(text)
        n = len(raw)
        if n < _FIELD:
            # One pass gives how many tokens are lexicon words, shouted, able to change
            # a neighbour, and shouted for the caps check (see `_flags`), which splits
            # on spaces alone: the same tokens when `spaced`.
            toks = list(map(self._token, raw))
            flags = sum(map(_FLAGS, toks))
            if not flags & _MASK:
                return _compound([], text)  # no sentiment word at all
            if spaced:
                shouted = flags >> _SHOUT_SHIFT
            if not flags >> _CONTEXT_SHIFT & _MASK:
                # No booster, negation, "no", "least", "kind of" or idiom anywhere:
                # every sentiment word counts its valence, shouted or not, and no more.
                n_upper = flags >> _UPPER_SHIFT & _MASK
                pick = _MIXED_VALENCE if 0 < n - n_upper < n else _VALENCE
                return _compound(list(filter(None, map(pick, toks))), text, shouted)
        else:
            toks = list(map(self._token, raw))
        return self._loop(toks, text, shouted)

    def _loop(self, toks: list[_Token], text: str, shouted: int | None) -> float:  # noqa: C901
        """vadersentiment-fr's loop over the sentiment words of a post, for the posts
        where some word can change its neighbours (or so long the counts could not be
        summed in bit fields)."""
        n = len(toks)
        lex = self.lexicon
        hit = list(map(_HIT, toks))
        sentiments_nonzero: list[float] = []
        if any(hit):  # most posts hold a few lexicon words; the rest need no more
            n_upper = sum(map(_UPPER, toks))
            is_cap_diff = 0 < n - n_upper < n
            if not any(map(_CONTEXT, toks)):
                if not is_cap_diff:
                    found = map(_VALENCE, compress(toks, hit))
                    return _compound([v for v in found if v], text, shouted)
                c_incr = self._c
                for tok in compress(toks, hit):
                    valence = tok[7]
                    if tok[5]:  # shouted
                        valence = valence + c_incr if valence > 0 else valence - c_incr
                    if valence:
                        sentiments_nonzero.append(valence)
                return _compound(sentiments_nonzero, text, shouted)
            lower = list(map(_LOWER, toks))
            boost = self._boost
            has_no = "no" in lower
            has_least = "least" in lower
            idioms = not self._idiom_words.isdisjoint(lower)
            c_incr, n_scalar = self._c, self._n
            near = list(map(_CONTEXT, toks))
            keys: list[str] = []
            for i in compress(range(n), hit):
                if not (
                    idioms
                    or near[i]
                    or (i > 0 and near[i - 1])
                    or (i > 1 and near[i - 2])
                    or (i > 2 and near[i - 3])
                ):
                    # Neither the word nor any of the three before it can change a
                    # valence (and no idiom in the post): the word counts its own,
                    # shouted or not, as in a post with no such word at all.
                    tok = toks[i]
                    valence = tok[8] if is_cap_diff else tok[7]
                    if valence:
                        sentiments_nonzero.append(valence)
                    continue
                if not keys:  # what the long way reads, made for the first word it takes
                    keys = list(map(_KEY, toks))
                    words = list(map(_WORD, toks))
                    in_lex = list(map(_IN_LEX, toks))  # neighbours are looked up with accents
                item_l = lower[i]
                if item_l in boost:
                    continue
                if item_l == "kind" and i < n - 1 and lower[i + 1] == "of":
                    continue
                key = keys[i]
                valence = lex[key]
                if has_no:
                    if key == "no" and i != n - 1 and in_lex[i + 1]:
                        valence = 0.0
                    if (
                        (i > 0 and lower[i - 1] == "no")
                        or (i > 1 and lower[i - 2] == "no")
                        or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
                    ):
                        valence = lex[key] * n_scalar
                if is_cap_diff and words[i].isupper():
                    valence = valence + c_incr if valence > 0 else valence - c_incr
                for start_i in range(3):
                    if i <= start_i:
                        break
                    j = i - (start_i + 1)
                    if in_lex[j]:
                        continue
                    wl = lower[j]
                    if wl in boost:
                        s = boost[wl]
                        if valence < 0:
                            s *= -1
                        if words[j].isupper() and is_cap_diff:
                            s = s + c_incr if valence > 0 else s - c_incr
                        if start_i == 1:
                            s = s * 0.95
                        elif start_i == 2:
                            s = s * 0.9
                        valence = valence + s
                    if item_l not in self._no_check and (wl in self._negate or "n't" in wl):
                        if not (self._plus_needs_ne and wl == "plus" and not _ne_before(lower, j)):
                            valence = valence * n_scalar
                    if start_i == 2 and idioms:
                        valence = self._idioms(valence, lower, i)
                if has_least:
                    if i > 1 and not in_lex[i - 1] and lower[i - 1] == "least":
                        if lower[i - 2] != "at" and lower[i - 2] != "very":
                            valence = valence * n_scalar
                    elif i > 0 and not in_lex[i - 1] and lower[i - 1] == "least":
                        valence = valence * n_scalar
                if valence:
                    sentiments_nonzero.append(valence)
        if n == 0:
            return 0.0
        return _compound(sentiments_nonzero, text, shouted)

    def _idioms(self, valence: float, lower: list[str], i: int) -> float:
        special, boost = self._special, self._boost
        n = len(lower)
        w3, w2, w1, w0 = lower[i - 3], lower[i - 2], lower[i - 1], lower[i]
        twoone = f"{w2} {w1}"
        threetwoone = f"{w3} {w2} {w1}"
        threetwo = f"{w3} {w2}"
        for seq in (f"{w1} {w0}", f"{w2} {w1} {w0}", twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        if n - 1 > i:
            zeroone = f"{w0} {lower[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{w0} {lower[i + 1]} {lower[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        for ngram in (threetwoone, threetwo, twoone):
            if ngram in boost:
                valence = valence + boost[ngram]
        return valence


def _ne_before(lower: list[str], j: int) -> bool:
    """A "ne" (or the "n" of "n'") among the three words before position j."""
    for w in lower[max(0, j - 3) : j]:
        if w == "ne" or w == "n":
            return True
    return False


class _Folded(dict[str, str]):
    """word -> word without accents (unidecode), memoised; size capped."""

    def __init__(self, fold: Any) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, word: str) -> str:
        folded = word if word.isascii() else str(self._fold(word))
        if len(self) > 200_000:
            self.clear()
        self[word] = folded
        return folded


def _compound(nonzero: list[float], text: str, shouted: int | None = None) -> float:
    """`shouted`: the caps check's count of shouted words, when the caller has it."""
    sum_s = float(sum(nonzero))
    if "!" in text or ".." in text or text.count("?") > 1:
        punct = _punctuation(text)
    elif not nonzero:
        return 0.0  # no sentiment word, no emphasis: what the sums below give
    else:
        punct = 0.0  # as `_punctuation` gives without "!", "..", nor two "?"
    if sum_s > 0:
        sum_s += punct
        if sum_s >= 0.05:
            sum_s += _amplify_uc(text) if shouted is None else min(shouted, 5) * 0.292
    elif sum_s < 0:
        sum_s -= punct
        if sum_s <= -0.05:
            sum_s -= _amplify_uc(text) if shouted is None else min(shouted, 5) * 0.292
    else:
        sum_s -= 0.5 * punct
    if not sum_s:  # a zero keeps its sign: not through the memo
        return round(max(-1.0, min(1.0, sum_s / math.sqrt((sum_s * sum_s) + 15))), 4)
    return _ROUNDED[sum_s]


def _punctuation(text: str) -> float:
    """The emphasis "!", "?" and ".." add, as vadersentiment-fr weighs them."""
    ep = min(text.count("!"), 4) * 0.292
    qm_count = text.count("?")
    qm = (qm_count * 0.18 if qm_count <= 3 else 0.96) if qm_count > 1 else 0
    dots = sum(map(len, _DOTS.findall(text))) if ".." in text else 0
    if dots <= 1:
        sp = 0.0
    elif dots <= 3:
        sp = 0.21
    else:
        sp = (min(dots, 6) - 2) * 0.21
    return ep + qm + sp


def _amplify_uc(text: str) -> float:
    # vadersentiment-fr drops "?!.,;" from the text, then splits it on spaces: as no
    # dropped character is a space, each piece can drop its own, inside the memo.
    count = sum(map(_SHOUTED.__getitem__, text.split(" ")))
    return min(count, 5) * 0.292


class _Shouted(dict[str, int]):
    """piece of text between spaces -> 1 when, "?!.,;" dropped, it has no lower-case
    letter after its first (a shouted word), memoised; size capped."""

    def __missing__(self, piece: str) -> int:
        word = _UC_DROP.sub("", piece)
        value = int(len(word) > 1 and not any(c.islower() for c in word[1:]))
        if len(self) > 200_000:
            self.clear()
        self[piece] = value
        return value


_SHOUTED = _Shouted()


_Token = tuple[str, str, str, bool, bool, bool, bool, float, float, int]
"""A raw token as the loop reads it: lexicon key (stripped, lowered, unaccented), the
stripped word, its lower case, whether the key and whether the lower case (accents
kept: how neighbours are looked up) are in the lexicon, whether it is shouted, whether
it can change a neighbour's valence, its own valence (0.0 outside the lexicon), and
that valence in a post that mixes cases (a shouted lexicon word gains C_INCR), and
four of these as bit fields (see `_flags`)."""
_KEY, _WORD, _LOWER, _HIT, _IN_LEX, _UPPER, _CONTEXT, _VALENCE, _MIXED_VALENCE, _FLAGS = (
    itemgetter(i) for i in range(10)
)


_FIELD = 1 << 15
_MASK = _FIELD - 1
_UPPER_SHIFT = 15
_CONTEXT_SHIFT = 30
_SHOUT_SHIFT = 45


def _flags(tok: str, hit: bool, shouted: bool, context: bool) -> int:
    """1 if a lexicon word, + 2**15 if shouted, + 2**30 if it can change a neighbour,
    + 2**45 if the caps check counts the raw token as shouted (`_Shouted`): summed over
    a post's tokens (fewer than 2**15), the four counts in one C-level pass and within
    a machine word."""
    return (
        hit + (shouted << _UPPER_SHIFT) + (context << _CONTEXT_SHIFT)
        + (_SHOUTED[tok] << _SHOUT_SHIFT)
    )  # fmt: skip


class _Tokens(dict[str, _Token]):
    """Raw token -> `_Token`, memoised (one dict probe a token instead of five); size
    capped. The lexicon must not change after the first post."""

    def __init__(
        self,
        strip: Any,
        fold: Any,
        lexicon: dict[str, float],
        context: frozenset[str],
        c_incr: float,
    ) -> None:
        super().__init__()
        self._parts = (strip, fold, lexicon, context, c_incr)

    def __missing__(self, tok: str) -> _Token:
        strip, fold, lexicon, context, c_incr = self._parts
        word: str = strip(tok)
        lower = word.lower()
        key: str = fold(lower)
        hit = key in lexicon
        shouted = word.isupper()
        valence = lexicon.get(key, 0.0)
        mixed = valence
        if hit and shouted:  # the loop's caps rule, for a post that mixes cases
            mixed = valence + c_incr if valence > 0 else valence - c_incr
        changes = lower in context or "n't" in lower
        entry = (
            key,
            word,
            lower,
            hit,
            lower in lexicon,
            shouted,
            changes,
            valence,
            mixed,
            _flags(tok, hit, shouted, changes),
        )
        if len(self) > 200_000:
            self.clear()
        self[tok] = entry
        return entry


_PIECE_MAX_TEXT = 1000
"""Longest text read by pieces: its counts then fit the 10-bit fields below."""
_P_BITS = 10
_P_MASK = (1 << _P_BITS) - 1
_P_UPPER_SHIFT = _P_BITS
_P_CONTEXT_SHIFT = 2 * _P_BITS
_P_COUNT_SHIFT = 3 * _P_BITS
_P_SHOUT_SHIFT = 4 * _P_BITS
_P_OTHER_SHIFT = 5 * _P_BITS

_Piece = tuple[int, tuple[_Token, ...], tuple[float, ...], tuple[float, ...]]
"""A piece of text between spaces as `compound` reads it: the counts of its tokens
(split at apostrophes) that are lexicon words, shouted, able to change a neighbour, all
of them, 1 if the caps check counts the piece as shouted, and 1 if the piece holds an
emoji or whitespace other than a space (then the text is read the long way), as bit
fields that add up over a post's pieces; its tokens; their nonzero valences, and those
valences in a post that mixes cases."""
_P_FLAGS, _P_TOKENS, _P_VALENCES, _P_MIXED = (itemgetter(i) for i in range(4))


class _Pieces(dict[str, _Piece]):
    """Piece of text between two spaces -> `_Piece`, memoised: one probe a piece
    instead of one a token, and no second split of the text. Size capped."""

    def __init__(self, token: Any, maybe_emoji: Any, emoji_chars: frozenset[str]) -> None:
        super().__init__()
        self._parts = (token, maybe_emoji, emoji_chars)

    def __missing__(self, piece: str) -> _Piece:
        token, maybe_emoji, emoji_chars = self._parts
        toks = tuple(map(token, piece.split("'")))
        other = (maybe_emoji(piece) is not None and not emoji_chars.isdisjoint(piece)) or (
            not piece.isprintable() and _OTHER_SPACE.search(piece) is not None
        )
        flags = (
            sum(map(_HIT, toks))
            + (sum(map(_UPPER, toks)) << _P_UPPER_SHIFT)
            + (sum(map(_CONTEXT, toks)) << _P_CONTEXT_SHIFT)
            + (len(toks) << _P_COUNT_SHIFT)
            + (_SHOUTED[piece] << _P_SHOUT_SHIFT)
            + (other << _P_OTHER_SHIFT)
        )
        entry = (
            flags,
            toks,
            tuple(filter(None, map(_VALENCE, toks))),
            tuple(filter(None, map(_MIXED_VALENCE, toks))),
        )
        if len(self) > 200_000:
            self.clear()
        self[piece] = entry
        return entry
