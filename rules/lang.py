"""Language of a short post: English, French, Arabic or "und".

Script first (Arabic letters are unambiguous), then function words: a tweet of a dozen
words almost always holds two or three of a language's commonest words, and French
accents settle the rest. No model, no download; measured in docs/rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress, filterfalse, repeat
from operator import contains

from rules.text import _ARABIC, _LATIN, _NOISE, letter_counts, normalise

__all__ = ["FUNCTION_WORDS", "detect_language"]

_EN = frozenset(
    """the a an and or but is are was were be been am i you he she it we they me my your his
    her its our their this that these those to of in on at for with from by as not no do does
    did have has had will would can could should just so if what when where why how who which
    there here all any some get got im i'm it's don't can't dont thanks thank please
    about out up new one more than then now today very""".split()
)
_FR = frozenset(
    """le la les un une des du de et ou mais est sont était être je tu il elle nous vous ils
    elles me te se mon ma mes ton ta tes son sa ses notre votre leur leurs ce cet cette ces
    que qui quoi pour par sur dans avec sans pas ne plus très bien aussi au aux en y a ai as
    avons avez ont fait faire c'est j'ai qu'il n'est d'un d'une l'on merci bonjour oui non
    comme tout tous toute si chez encore déjà moi toi lui c'est j'ai qu'il n'est d'un d'une
    s'il depuis toujours jamais rien pourquoi quand après avant ça cela alors donc vraiment
    aucun aucune livraison commande colis remboursement appli nul nulle lente déçu déçue
    marche fonctionne merci svp trop""".split()
)
_OTHER = frozenset(
    """el los las del por para con una es que y en lo se le su al como pero muy der die das
    und ist nicht ich ein eine mit auf den dem zu von sie wir o em um uma não com os para
    il che di della per sono gli ma non""".split()
)
"""Spanish, German, Portuguese and Italian function words: evidence against a guess of
English for Latin-script text that holds neither English nor French ones."""
_FR_CHARS = frozenset("éèêàâçôûùîïëœ")
# `_NOISE` (links, handles, hashtags, entities), `_ARABIC` and `_LATIN` are
# `rules.text`'s: its memo of a post's pieces counts them once per piece (`read_post`).
_FROM_ARABIC = re.compile("[\u0600-\ufeff]")
"""Every character `_ARABIC` knows lies in this one range, which a scan checks faster
(French text mostly stops here; a curly quote still needs the exact look)."""
_LATIN2 = re.compile("[A-Za-z].*[A-Za-z]", re.S)
_LATIN2_ANY = re.compile("[A-Za-z\u00c0-\u024f].*[A-Za-z\u00c0-\u024f]", re.S)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_FR_ENDINGS = ("ique", "iques", "isme", "ismes", "eux", "euse", "euses", "aux", "elles", "onne")
"""Endings of French words that English words (but the few below) do not have."""
_EN_IQUE = frozenset(
    """unique technique techniques boutique boutiques antique antiques critique critiques
    physique clique mystique oblique""".split()
)
_ELIDED = re.compile(
    r"'(?<=(?<![A-Za-z0-9])[ldjncsmtLDJNCSMT]')[A-Za-z0-9]"
    r"|'(?<=(?<![A-Za-z0-9])[qQ][uU]')[A-Za-z0-9]"
)
"""In ASCII text, whether an elided word (l'appli, qu'il) starts somewhere: "don't" and
"it's" are English and need no French count. The same as
`(?<![A-Za-z0-9])(?:[ldjncsmtLDJNCSMT]|[qQ][uU])'[A-Za-z0-9]`, written to open on the
apostrophe (a literal the regex engine skips ahead to) and look back from it: nine
times faster on English posts, which are full of "don't" and "it's"."""
_ELISIONS = frozenset({"l", "d", "j", "qu", "n", "c", "s", "m", "t"})


_EN_N = frozenset(normalise(w) for w in _EN)
_FR_N = frozenset(normalise(w) for w in _FR)
_OTHER_N = frozenset(normalise(w) for w in _OTHER)
_ANY_N = FUNCTION_WORDS = _EN_N | _FR_N | _OTHER_N
"""Every function word veille knows: a post's words are cut down to these once."""
_LETTERS = re.compile(r"[^\W\d_]+")
"""Runs of letters; those holding a French accent count as French words (a single
pattern for "letters, an accent, letters" finds the same runs but backtracks)."""


def detect_language(
    text: str,
    words: Iterable[str] | None = None,
    known: frozenset[str] | None = None,
    counts: int | None = None,
) -> str:
    """Return "ar", "fr", "en" or "und" for a short text.

    `words`, when given, are the text's tokens already normalised (`rules.text`):
    the rule engine has them anyway, and they spare a second tokenisation. `known`,
    when given with them, is any subset of `words` that holds all of their function
    words (`FUNCTION_WORDS`): the engine cuts the words down once for itself too.
    `counts`, when given, are the text's letter counts from `rules.text.read_post`,
    which stand in for the scans for Arabic and Latin letters.
    """
    if words is not None and not isinstance(words, (list, tuple, set, frozenset)):
        words = list(words)  # read more than once below
    ascii_only = text.isascii()
    if ascii_only and words is not None:
        # ASCII cannot be Arabic; a known function word settles it without more work.
        # The counts below only look at function words, so one intersection first
        # leaves a handful of words to count instead of the whole post, every time.
        known = _ANY_N.intersection(words if known is None else known)
        if not (_EN_N.isdisjoint(known) and _FR_N.isdisjoint(known)):
            if "'" in text and _ELIDED.search(text) is not None:
                # elisions: l'appli
                known = known.union(compress(words, map(contains, words, repeat("'"))))
            else:
                # No elided word, so French counts its function words alone (in ASCII
                # an elided function word, c'est, is one `_ELIDED` finds): English
                # holding as many as French and the others is what `_by_words` says.
                en = len(_EN_N.intersection(known))
                if en >= len(_FR_N.intersection(known)) and en >= len(_OTHER_N & known):
                    return "en"
            return _by_words(known, _EN_N, _FR_N, _OTHER_N, text, True)
    noisy = "/" in text or "@" in text or "#" in text
    bare = text
    if ascii_only:
        arabic = 0
        if noisy:
            bare = _NOISE.sub(" ", text)
        latin = 2 if _LATIN2.search(bare) else 0
    elif counts is not None and (noisy or not counts >> 48):
        # The counts are of the text outside links, handles, hashtags and entities:
        # what the scans below read when the text is noisy, and the whole text when
        # it holds none of them (an entity without "/", "@" or "#" takes the scans).
        arabic, latin, length, _ = letter_counts(counts)
        if arabic >= 2 and length <= 3 * arabic:
            return "ar"  # as below
    elif _FROM_ARABIC.search(text) is None or _ARABIC.search(text) is None:
        # No Arabic letter at all (an emoji, a curly quote, an accent): only whether
        # there are two Latin letters matters, as for ASCII.
        arabic = 0
        if noisy:
            latin = 2 if _two_latin_outside_noise(text) else 0
        else:
            latin = 2 if _LATIN2_ANY.search(text) else 0
    else:
        if noisy:
            bare = _NOISE.sub(" ", text)
        arabic = sum(map(len, _ARABIC.findall(bare)))
        if arabic >= 2 and len(bare) <= 3 * arabic:
            # Latin letters are at most the rest of the text, so at most twice the
            # Arabic ones: the test below says "ar" whatever their exact count.
            return "ar"
        latin = sum(map(len, _LATIN.findall(bare)))
    if arabic == 0 and latin == 0:
        return "und"
    if arabic >= latin * 0.5 and arabic >= 2:
        return "ar"
    if latin < 2:
        return "und"
    if words is None:
        return _by_words(
            set(_WORD.findall(_NOISE.sub(" ", text).lower().replace("\u2019", "'"))),
            _EN,
            _FR,
            _OTHER,
            text,
            ascii_only,
        )
    if known is not None:  # the function words, and the elided ones (l'appli)
        wordset: set[str] | frozenset[str] = _ANY_N.intersection(known)
        fr = len(_FR_N.intersection(wordset))
        if fr and fr > len(_EN_N.intersection(wordset)) and fr >= len(_OTHER_N & wordset):
            # French's function words alone win: the elided words (l'appli) and the
            # accents `_by_words` would count could only add to French's count.
            return "fr"
        if "'" in text or "\u2019" in text:
            wordset = wordset.union(compress(words, map(contains, words, repeat("'"))))
        return _by_words(wordset, _EN_N, _FR_N, _OTHER_N, text, ascii_only, words)
    wordset = words if isinstance(words, (set, frozenset)) else set(words)
    return _by_words(wordset, _EN_N, _FR_N, _OTHER_N, text, ascii_only)


_NOISE_OR_LATIN = re.compile(r"(@\w+|#\w+|&\w+;|https?://\S+|www\.\S+)|[A-Za-z\u00c0-\u024f]")


def _two_latin_outside_noise(text: str) -> bool:
    """Whether `_NOISE.sub(" ", text)` holds two Latin letters, found without building
    it: scanning from the left, a noise match is tried first at each place, as `sub`
    does, so the letters met outside them are the ones `sub` leaves; most posts show
    two within their first word."""
    seen = 0
    for m in _NOISE_OR_LATIN.finditer(text):
        if m.lastindex is None:  # a letter, not noise
            seen += 1
            if seen == 2:
                return True
    return False


class _Elided(dict[str, int]):
    """Word -> 1 when it is a French elision (l'appli, d'un, qu'il), else 0. Memoised:
    a post's words are counted in one C-level sum; size capped."""

    def __missing__(self, word: str) -> int:
        value = int("'" in word and word.split("'", 1)[0] in _ELISIONS)
        if len(self) > 100_000:
            self.clear()
        self[word] = value
        return value


_ELIDED_WORD = _Elided()


def _by_words(
    words: set[str] | frozenset[str],
    en_words: frozenset[str],
    fr_words: frozenset[str],
    other_words: frozenset[str],
    text: str,
    ascii_only: bool,
    every: Iterable[str] | None = None,
) -> str:
    """`words` must hold the post's function words; `every`, all its words (default:
    `words`), is read only when there is no function word at all."""
    en = len(words & en_words)
    fr = len(words & fr_words)
    if "'" in text or "\u2019" in text:
        fr += sum(map(_ELIDED_WORD.__getitem__, words))  # l'appli, d'un, qu'il
    other = len(words & other_words)
    if fr > en and fr >= other:
        return "fr"  # accents could only add to French's count: no need to look
    if not ascii_only:
        low = text.lower()
        if not _FR_CHARS.isdisjoint(low):  # the search backtracks: only when it can hit
            accented = set(filterfalse(_FR_CHARS.isdisjoint, _LETTERS.findall(low)))
            accented -= en_words
            fr += 2 * len(accented)
    if other > max(en, fr):
        return "und"
    if fr > en:
        return "fr"
    if en:
        return "en"
    if other:
        return "und"
    # Latin script with no function word of any language we know: social posts in
    # such a bare form ("Fantastic Beats", "Jealous!") are English far more often,
    # unless a word ends the way only French words do ("Changement climatique",
    # "Capitalisme tueur", "Savons naturels écologiques").
    for w in words if every is None else every:
        if w.endswith(_FR_ENDINGS) and w not in _EN_IQUE:
            return "fr"
    return "en"
