"""Text normalisation and tokens shared by the matcher, language detection and sentiment.

Rule words are written by people who do not think about accents, letter case or the
many spellings Arabic allows for the same word, so both the rule words and the post
text go through the same `normalise` and match as whole tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from itertools import chain
from operator import itemgetter
from typing import Any

__all__ = [
    "MAX_TEXT",
    "arabic_variants",
    "has_link",
    "is_arabic_char",
    "lede",
    "normalise",
    "normalise_piece",
    "normalise_post",
    "post_tokens",
    "read_post",
    "spaced_pieces",
    "tokens",
]

MAX_TEXT = 5000
"""Characters of a post the rules read: beyond this a post is an essay, not a mention."""

LEDE = 800
"""Characters of a long post's body the rules read: its opening (see `lede`)."""
_SENTENCE_END = re.compile(r"[.!?\u2026\u061f\u3002][\"'\u201d\u00bb)\]]*\s|\n")


def lede(text: str, limit: int = LEDE) -> str:
    """The opening of a long text, cut after the last sentence that ends within `limit`
    characters (at a space when no sentence ends past half of it). An article from a
    feed says what it is about in its opening; thousands of characters further on,
    "should", "how to" or "why" are reporting, not what the post asks of anyone. Posts
    people write (tweets, toots, skeets, comments) are far shorter and read whole."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = 0
    for m in _SENTENCE_END.finditer(head):
        end = m.end()
    if end < limit // 2:
        space = head.rfind(" ")
        end = space if space >= limit // 2 else limit
    return head[:end].rstrip()


def _build_table() -> dict[int, str | None]:
    """One translate table: drop combining marks and tatweel, fold Arabic letter forms."""
    table: dict[int, str | None] = {}
    for cp in range(0x0300, 0x10000):
        if unicodedata.category(chr(cp)) == "Mn":
            table[cp] = None
    table[0x0640] = None  # tatweel (kashida) stretches a word, never changes it
    # Zero-width spaces and joiners, the word joiner, BOM and soft hyphen draw nothing:
    # "re\u200bfund" shows as "refund" and must match it.
    for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
        table[cp] = None
    for src, dst in {
        "ٱ": "ا",  # alef wasla
        "ى": "ي",  # alef maksura written for final yeh, and the reverse
        "ة": "ه",  # teh marbuta is often typed as heh
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # keheh
        "ء": "",  # lone hamza: spelt or dropped at will
        "œ": "oe",  # "cœur" is typed "coeur" as often as not
        "æ": "ae",
        "ı": "i",
    }.items():
        table[ord(src)] = dst or None
    for i in range(10):
        table[0x0660 + i] = str(i)  # Arabic-Indic digits
        table[0x06F0 + i] = str(i)  # extended Arabic-Indic digits
    table[0x2019] = "'"  # typographic apostrophe, so "don’t" is "don't"
    table[0x2018] = "'"
    return table


def _as_list(table: dict[int, str | None]) -> list[str | None]:
    """The table as a list indexed by code point: `str.translate` then indexes a list
    instead of probing a dict (and raising KeyError) for every unmapped character,
    twice as fast. Characters past the list's end are left as they are, as they were."""
    out: list[str | None] = [chr(i) for i in range(max(table) + 1)]
    for cp, repl in table.items():
        out[cp] = repl
    return out


_TABLE = _as_list(_build_table())


def normalise(text: str) -> str:
    """Casefolded, accents and Arabic diacritics removed, hamza/alef forms folded.

    NFKD splits "é" into "e" + a combining accent and "أ" into "ا" + a combining
    hamza; dropping every combining mark then folds both scripts in one pass.
    """
    text = text.casefold()
    if text.isascii():
        return text
    # Compatibility forms ("𝕬", "Ⓐ") only become plain letters after NFKD: fold again.
    out = unicodedata.normalize("NFKD", text).translate(_TABLE).casefold()
    if out.isascii() or unicodedata.is_normalized("NFKD", out):
        return out
    return unicodedata.normalize("NFKD", out).translate(_TABLE)


_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_LINK = re.compile(r"https?://|www\.\w", re.I)


_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_ASCII_WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789'-"
_ASCII_SPACES = str.maketrans(
    {chr(i): chr(i) if chr(i) in _ASCII_WORD_CHARS else " " for i in range(128)}
)


def tokens(normalised: str) -> list[str]:
    """Word tokens of already normalised text (apostrophes and hyphens stay inside)."""
    if normalised.isascii():
        return _ascii_tokens(normalised)
    return _TOKEN.findall(normalised)


def _ascii_tokens(text: str) -> list[str]:
    """`_ASCII_TOKEN.findall(text)`, for less: every character that cannot be in a
    token becomes a space and `str.split` cuts the rest (both in C, one pass each);
    only a run holding an apostrophe or a hyphen ("don't", "'quoted'", "a--b") goes
    through the regex, which keeps them inside a token and trims them at its ends."""
    runs = text.translate(_ASCII_SPACES).split()
    if "'" not in text and "-" not in text:
        return runs
    out: list[str] = []
    for run in runs:
        if "'" in run or "-" in run:
            out += _ASCII_TOKEN.findall(run)
        else:
            out.append(run)
    return out


_NOT_WORDS = re.compile(r"@\w+|https?://\S+|www\.\S+")


def post_tokens(normalised: str) -> list[str]:
    """Word tokens of a post, without @handles and links: "@fc_help" is an address,
    not the word "help", and "t.co/abc" says nothing."""
    if "@" in normalised or "http" in normalised or "www." in normalised:
        normalised = _NOT_WORDS.sub(" ", normalised)
    return tokens(normalised)


_NOISE = re.compile(r"@\w+|#\w+|&\w+;|https?://\S+|www\.\S+")
"""Links, handles, hashtags, entities: what language detection reads past. Every branch
opens with its own literal, so the regex engine skips ahead to those characters instead
of trying each position (twice as fast as `[@#]` and the rest; no two branches can start
at the same place, so the order of the branches does not matter)."""
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")

_COUNT_BITS = 16
_COUNT_MASK = (1 << _COUNT_BITS) - 1
_COUNTS_MAX_TEXT = 8000
"""Longest text whose letter counts `read_post` gives: each of the four fields then
stays under 2**16 summed over the pieces, and the sum within a machine word."""


def letter_counts(counts: int) -> tuple[int, int, int, int]:
    """The fields of `read_post`'s counts: Arabic letters and Latin letters outside
    links, handles, hashtags and entities, the length of the text with each of those
    replaced by a space (`_NOISE.sub(" ", text)`), and how many of them there are."""
    m = _COUNT_MASK
    return counts & m, counts >> 16 & m, (counts >> 32 & m) - 1, counts >> 48


def _piece_counts(piece: str) -> int:
    """A piece's letter counts (see `letter_counts`), as bit fields that add up over
    the pieces of a text: no link, handle, hashtag or entity crosses a space, so the
    pieces' counts summed are the whole text's (its length: +1 a piece for the space
    joining it to the next, -1 for the last)."""
    bare, noise = _NOISE.subn(" ", piece)
    arabic = sum(map(len, _ARABIC.findall(bare)))
    latin = sum(map(len, _LATIN.findall(bare)))
    return arabic | latin << 16 | (len(bare) + 1) << 32 | noise << 48


class _Pieces(dict[str, "tuple[str, tuple[str, ...], int] | None"]):
    """Piece of text between two spaces -> (its `normalise`, its `post_tokens`, its
    letter counts), or None when normalising it takes `normalise`'s second pass (see
    `normalise_post`). Memoised: a stream repeats its words; size capped."""

    def __missing__(self, piece: str) -> tuple[str, tuple[str, ...], int] | None:
        entry: tuple[str, tuple[str, ...], int] | None = None
        norm = piece.casefold()  # `normalise`'s steps, to see which way it goes
        if norm.isascii() or _first_pass_done(
            norm := unicodedata.normalize("NFKD", norm).translate(_TABLE).casefold()
        ):
            entry = (norm, tuple(post_tokens(norm)), _piece_counts(piece))
        if len(self) > 100_000:  # a few tens of MB at most
            self.clear()
        self[piece] = entry
        return entry


def _first_pass_done(out: str) -> bool:
    return out.isascii() or unicodedata.is_normalized("NFKD", out)


_PIECES = _Pieces()


def normalise_piece(piece: str) -> str:
    """`normalise(piece)` for text holding no space (a word as written), read from the
    memo of pieces `normalise_post` fills: the words of a post just classified are
    there already."""
    if piece.isascii():
        return piece.casefold()
    entry = _PIECES[piece]
    return normalise(piece) if entry is None else entry[0]


def normalise_post(text: str) -> tuple[str, list[str]]:
    """`normalise(text)` and `post_tokens` of it; beyond ASCII, read through a memo of
    the pieces of text between spaces: the same result, for a fraction of the work.

    Every step is local to a space: casefolding, NFKD (a space is a starter: no
    reordering of combining marks crosses it), the translate table; a handle, a link or
    a token never holds a space. Only `normalise`'s second pass, taken when the first
    leaves text that is not NFKD, works on the whole text at once: a piece that would
    need it sends the whole text down the plain path.
    """
    norm, toks, _ = read_post(text)
    return norm, toks


def read_post(text: str) -> tuple[str, list[str], int | None]:
    """`normalise_post(text)`, and beyond ASCII the text's letter counts for language
    detection (`letter_counts`), summed from the same memo: the scans for Arabic and
    Latin letters outside links and handles are then made once per piece, not per
    post. None for ASCII text (which needs no such count), for text the memo does not
    read, and for text longer than `_COUNTS_MAX_TEXT`."""
    global _LAST_PIECES
    if text.isascii():  # casefolding alone, and a regex cuts ASCII faster than a memo
        norm = text.casefold()
        return norm, post_tokens(norm), None
    pieces = text.split(" ")
    _LAST_PIECES = (text, pieces)
    entries = list(map(_PIECES.__getitem__, pieces))
    try:
        norm = " ".join(map(_NORM, entries))
    except TypeError:  # a None: a piece that takes the second pass
        norm = normalise(text)
        return norm, post_tokens(norm), None
    toks = list(chain.from_iterable(map(_TOKS, entries)))
    if len(text) > _COUNTS_MAX_TEXT:
        return norm, toks, None
    return norm, toks, sum(map(_COUNTS, entries))


_LAST_PIECES: tuple[str, list[str]] = ("", [""])
"""The text `read_post` split last, and its pieces (one tuple: a reader in another
thread sees both or neither)."""


def spaced_pieces(text: str) -> list[str]:
    """`text.split(" ")`, not to be changed: the very list `read_post` made when this
    text is the one it read last (a verdict reads a post, then scores its sentiment,
    which splits it the same way; `==` is an identity check first, and a length check
    rules out most others), else a new one."""
    last = _LAST_PIECES
    return last[1] if last[0] == text else text.split(" ")


_NORM: Callable[[Any], str] = itemgetter(0)
_TOKS: Callable[[Any], tuple[str, ...]] = itemgetter(1)
_COUNTS: Callable[[Any], int] = itemgetter(2)


def has_link(text: str) -> bool:
    return _LINK.search(text) is not None


def is_arabic_char(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


# Proclitics Arabic writes glued to the next word: conjunctions and prepositions, then
# the article. "والخدمه" is "و" + "ال" + "خدمه"; a rule says "خدمه".
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_SUFFIXES = ("كم", "هم", "ها", "نا", "ك", "ه", "ي")


@functools.lru_cache(maxsize=65536)
def arabic_variants(token: str) -> tuple[str, ...]:
    """The token with its clitics peeled off, so rule words match inflected forms.

    Only stems of three letters or more are kept: shorter leftovers are too ambiguous.
    """
    out: list[str] = []
    for p in _PREFIXES:
        if token.startswith(p) and len(token) - len(p) >= 3:
            out.append(token[len(p) :])
            break
    stems = [token, *out]
    for stem in stems:
        for s in _SUFFIXES:
            if stem.endswith(s) and len(stem) - len(s) >= 3:
                out.append(stem[: -len(s)])
                break
    return tuple(out)
