"""Words of a mention as the insights count them: terms, hashtags and stems, in en/fr/ar.

Clustering, spike alerts and the top-terms table must agree on what "a term" is,
or an alert would name a word the report never shows. Stopwords are the small
function words of English, French and Arabic, plus the noise of social posts
(rt, via, amp, http); the brand's own name is excluded by the caller, which
knows it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "content_words",
    "hashtags",
    "normalise",
    "stem",
    "terms",
]

_EN = """a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing don't down during each
few for from further get got had has have having he her here hers him his how i i'm i've if
in into is it it's its just let me more most my no nor not now of off on once only or other
our ours out over own same she should so some such than that that's the their theirs them
then there these they this those through to too under until up us very was we were what
when where which while who whom why will with would you your yours yourself im ive dont
cant can't won't isnt isn't wasnt doesn't didn't even still really one like"""

_FR = """a au aux avec ce ces cet cette dans de des du elle elles en est et eu il ils je la le
les leur leurs lui ma mais me meme même mes moi mon ne nos notre nous on ont ou où par pas
pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous c d j l m n
s t y été etre être avoir ai as avez avons sans plus tout tous toute toutes fait faire très
tres bien aussi alors donc car si ça ca cela ceci comme quand encore deja déjà chez entre"""

_AR = """في من على إلى الى عن مع هذا هذه ذلك تلك هو هي هم انا أنا انت أنت نحن ما لا لم لن
قد كل كان كانت يكون ثم او أو و ف ب ل ك ان أن إن التي الذي الذين عند حتى بعد قبل هل لقد
اي أي كما لكن بل يا ايضا أيضا جدا"""

_NOISE = "rt via amp http https www com fr html"


def normalise(text: str) -> str:
    """Casefolded, accents and Arabic diacritics dropped, alef/yeh/teh forms folded.

    The same complaint is typed with and without accents ("plantée"/"plantee") and
    with the many spellings Arabic keyboards allow; folding them makes them one word.
    """
    t = text.casefold()
    if t.isascii():
        return t
    t = unicodedata.normalize("NFKD", t)
    return "".join(_fold(c) for c in t if not unicodedata.combining(c))


_AR_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": "", "ء": ""}


def _fold(c: str) -> str:
    return _AR_FOLD.get(c, c)


STOPWORDS: frozenset[str] = frozenset(
    normalise(w) for w in (_EN + " " + _FR + " " + _AR + " " + _NOISE).split()
)

_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]+")
_HASHTAG = re.compile(r"(?<![\w#])#([^\W_][\w]*)")
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?")
_ELISION = re.compile(r"^(?:l|d|j|qu|n|s|c|m|t)['’]")


def _strip(text: str) -> str:
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    return text


def content_words(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """Normalised words that carry meaning, in order: no links, handles, stopwords."""
    out: list[str] = []
    stop = STOPWORDS
    for w in _WORD.findall(normalise(_strip(text))):
        if "'" in w or "’" in w:  # French elision: l'appli, qu'il
            w = _ELISION.sub("", w.replace("’", "'"))
        elif w.startswith("ال") and len(w) > 4:  # Arabic definite article
            w = w[2:]
        if len(w) < 2 or w in stop or w in extra_stop:
            continue
        out.append(w)
    return out


def hashtags(text: str) -> list[str]:
    """Hashtags as `#word`, normalised, once each."""
    if "#" not in text:
        return []
    seen: dict[str, None] = {}
    for h in _HASHTAG.findall(_strip(text)):
        seen.setdefault("#" + normalise(h), None)
    return list(seen)


def terms(text: str, extra_stop: frozenset[str] = frozenset()) -> set[str]:
    """Distinct words of three letters or more plus hashtags: what top-terms counts."""
    tags = hashtags(text)
    if tags:  # "#bug" counts as a hashtag, not also as the word "bug"
        text = _HASHTAG.sub(" ", text)
    out = {w for w in content_words(text, extra_stop) if len(w) >= 3}
    out.update(tags)
    return out


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: the first five letters after common en/fr suffixes are cut.

    "crashes", "crashing", "crashed" and "plante", "plantée", "plantage" each become
    one stem; a proper stemmer per language would be better and much slower, and
    grouping only needs words that share a root to meet.
    """
    for suf in ("ements", "ement", "ments", "ment", "ings", "ing", "ées", "ée", "es", "ed", "s"):
        if len(word) - len(suf) >= 4 and word.endswith(suf):
            word = word[: -len(suf)]
            break
    return word[:5]
