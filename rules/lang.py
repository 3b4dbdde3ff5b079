"""Language of a short post: English, French, Arabic or "und".

Script first (Arabic letters are unambiguous), then function words: a tweet of a dozen
words almost always holds two or three of a language's commonest words, and French
accents settle the rest. No model, no download; measured in docs/rules.md.
"""

from __future__ import annotations

import re

from rules.text import is_arabic_char

__all__ = ["detect_language"]

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
    comme tout tous toute si chez encore déjà moi toi lui l' d' j' qu' n' c' s' m' t'""".split()
)
_OTHER = frozenset(
    """el los las del por para con una es que y en lo se le su al como pero muy der die das
    und ist nicht ich ein eine mit auf den dem zu von sie wir o em um uma não com os para
    il che di della per sono gli ma non""".split()
)
"""Spanish, German, Portuguese and Italian function words: evidence against a guess of
English for Latin-script text that holds neither English nor French ones."""
_FR_CHARS = frozenset("éèêàâçôûùîïëœ")
_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|&\w+;")
_WORD_CHARS = frozenset("'’")


def detect_language(text: str) -> str:
    """Return "ar", "fr", "en" or "und" for a short text."""
    text = _NOISE.sub(" ", text)
    arabic = latin = 0
    for ch in text:
        if ch.isalpha():
            if is_arabic_char(ch):
                arabic += 1
            elif ch < "\u0250":
                latin += 1
    if arabic == 0 and latin == 0:
        return "und"
    if arabic >= latin * 0.5 and arabic >= 2:
        return "ar"
    if latin < 2:
        return "und"
    words = _words(text.lower())
    en = sum(1 for w in words if w in _EN)
    fr = sum(1 for w in words if w in _FR)
    fr += 2 * sum(1 for w in words if any(c in _FR_CHARS for c in w) and w not in _EN)
    other = sum(1 for w in words if w in _OTHER)
    if other > max(en, fr):
        return "und"
    if fr > en:
        return "fr"
    if en:
        return "en"
    # Latin script with no function word of any language we know: social posts in
    # such a bare form ("Fantastic Beats", "Jealous!") are English far more often.
    return "und" if other else "en"


def _words(lowered: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for ch in lowered:
        if ch.isalpha() or (ch in _WORD_CHARS and cur):
            cur.append("'" if ch == "’" else ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    # French elisions: "l'application" also counts as "l'" evidence via the stem list
    extra = [w.split("'", 1)[0] + "'" for w in out if "'" in w]
    return out + [e for e in extra if e in _ELISIONS]


_ELISIONS = frozenset({"l'", "d'", "j'", "qu'", "n'", "c'", "s'", "m'", "t'"})
