"""Sentiment per language on one scale: VADER's compound in [-1, 1].

English (and anything we cannot place) goes through `FastVader`, which returns
exactly VADER's numbers; French through vadersentiment-fr's lexicon; Arabic through
veille's own lexicon (`rules.arabic`). Rule packs may add words per language and set
the thresholds that turn a compound into negative / neutral / positive.

Around VADER (its numbers untouched), veille reads what VADER misses in social posts:
a typographic apostrophe ("don’t" is a negation, as "don't" is), the pack's emoji,
and two cues measured on tweets: a denial that cancels no negative word ("doesn't
work", "never arrived") leans negative, while "not bad", "can't wait", "no problem"
stay VADER's; a post that trails off in "..." is most often a truncated headline, so
its score counts less.
"""

from __future__ import annotations

import contextlib
import io
import re
import string
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vaderSentiment.vaderSentiment import NEGATE

from rules.arabic import ArabicSentiment
from rules.text import normalise, post_tokens, tokens
from rules.vader_fast import FastVader
from rules.vader_fr_fast import FastFrench
from rules.verdict import Sentiment

__all__ = ["SentimentScorer", "Thresholds"]


@dataclass(frozen=True)
class Thresholds:
    """compound >= positive is positive, <= negative is negative, else neutral.

    `question` and `exclamation` add to the raw valence (VADER's scale, before
    normalisation) of a post holding '?' or '!': on social media a question is more
    often a grievance than a compliment, and an exclamation more often delight.
    """

    positive: float = 0.05
    negative: float = -0.05
    question: float = 0.0
    exclamation: float = 0.0

    def punctuation(self, text: str) -> float:
        """The raw valence `question` and `exclamation` add to `text`."""
        adjust = 0.0
        if self.question and ("?" in text or "؟" in text):
            adjust = self.question
        if self.exclamation and "!" in text:
            adjust += self.exclamation
        return adjust

    def label(self, compound: float) -> str:
        if compound >= self.positive:
            return "positive"
        if compound <= self.negative:
            return "negative"
        return "neutral"


_FR_LOCK = threading.Lock()
_FR_BASE: Any = None
_FR_FAST: FastFrench | None = None
_FR_VEILLE: FastFrench | None = None
_FR_MODULE: Any = None


def _french_base() -> Any:
    """vadersentiment-fr's analyzer, loaded once and quietly (it warns about fuzzywuzzy)."""
    global _FR_BASE, _FR_FAST, _FR_VEILLE, _FR_MODULE
    with _FR_LOCK:
        if _FR_BASE is None:
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                import vaderSentiment_fr.vaderSentiment as fr_module

                _FR_BASE = fr_module.SentimentIntensityAnalyzer()
                _FR_FAST = FastFrench(fr_module, _FR_BASE)
                _FR_VEILLE = FastFrench(fr_module, _FR_BASE, plus_needs_ne=True)
                _FR_MODULE = fr_module
        return _FR_BASE


def _french_fast() -> FastFrench:
    """Its compound, computed by `FastFrench` (same numbers, less work)."""
    if _FR_FAST is None:
        _french_base()
    assert _FR_FAST is not None
    return _FR_FAST


@dataclass
class SentimentScorer:
    thresholds: dict[str, Thresholds] = field(default_factory=dict)
    words: dict[str, dict[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._en = FastVader()
        if self.words.get("en"):
            self._en.lexicon = {
                **self._en.lexicon,
                **{k.lower(): v for k, v in self.words["en"].items()},
            }
        self._ar = ArabicSentiment(self.words.get("ar"))
        # vadersentiment-fr with the pack's words, "plus" a negation only with "ne"
        self._fr, self._fr_extra = _french_scorer(self.words.get("fr", {}))
        self._fr_value = _ElidedValues(self._fr_extra).__getitem__
        self._default = self.thresholds.get("*", Thresholds())
        self._en_emoji = _own_emoji(self._en, self.words.get("en", {}))
        self._en_compound = self._en.compound
        self._en_lexicon = self._en.lexicon
        self._made: dict[str, dict[float, Sentiment]] = {}

    def compound(self, text: str, lang: str, tokens: list[str] | None = None) -> float:
        if lang == "ar":
            return self._ar.compound(text, tokens)
        if lang == "fr":
            return self._french(text, tokens)
        return self._en.compound(text if text.isascii() else _plain(text, self._en_emoji))

    def _french(self, text: str, toks: list[str] | None = None) -> float:
        """`toks`: the text's normalised tokens when the caller has them (the rule
        engine passes the post's words, @handles and links left out)."""
        return self._french_score(text, toks)[0]

    def _french_score(
        self, text: str, toks: list[str] | None = None, cues: frozenset[str] | None = None
    ) -> tuple[float, bool]:
        """The French compound, and whether it is still FastFrench's (already rounded
        to 4 places: no pack word moved it). `cues`: the words of `_FR_CUES` in `toks`,
        when the caller has them."""
        score = self._fr.compound(_french_text(text, self._fr.lexicon, toks, cues))
        extra_words = self._fr_extra
        if extra_words:
            extra = 0.0
            if toks is None:
                toks = tokens(normalise(text))
            values = list(map(self._fr_value, toks))
            if values.count(None) == len(values):
                return score, True  # none of the pack's words (nor an elided one) is there
            for i, value in enumerate(values):
                if value is not None:
                    if i > 0 and toks[i - 1] in _FR_NEGATIONS:
                        value *= -0.74
                    extra += value
            if extra:
                return _fold(score, extra), False
        return score, True

    def score(self, text: str, lang: str, tokens: list[str] | None = None) -> Sentiment:
        t = self.thresholds.get(lang, self._default)
        if lang == "ar":
            c = self._ar.compound(text, tokens)
            rounded = False
        elif lang == "fr":
            # one pass over the words finds the cue words of idioms and irony
            cues = _FR_CUES.intersection(tokens) if tokens is not None else None
            c, rounded = self._french_score(text, tokens, cues)
        else:
            return self._score_english(text, t, lang, tokens)
        adjust = t.punctuation(text)
        if (
            lang == "fr"
            and cues  # None without the words: as before, no irony read then
            and not _FR_IRONY_WORDS.isdisjoint(cues)
            and _french_ironic(text)
        ):
            c = -abs(c)  # "merci pour rien": the praise is scorn (as `_IRONY` in English)
            adjust += IRONY
        if adjust:
            c = _fold(c, adjust)
            rounded = False
        return self._made_sentiment(lang, t, c, rounded)

    def _score_english(
        self, text: str, t: Thresholds, lang: str, toks: list[str] | None
    ) -> Sentiment:
        """VADER's compound of the post, moved by the pack's tuning and the two cues
        measured on tweets (`DENIAL`, `TRAILING_OFF`)."""
        lexicon = self._en_lexicon
        if toks is None:
            toks = post_tokens(normalise(text))
        vader_text = text if text.isascii() else _plain(text, self._en_emoji)
        # One pass over the words finds every cue word below; most posts hold none.
        cues = _EN_CUES.intersection(toks)
        contracted = "n't" in vader_text
        denials = cues & _DENIALS if cues else cues
        denied = contracted or bool(denials)
        if denied and not _TURNED_WORDS.isdisjoint(cues):
            praised = _SAID_THROUGH_DENIAL.sub("", vader_text)
            if praised != vader_text:  # "can't recommend them enough": no denial at all
                vader_text, denied = praised, False
        c = self._en_compound(vader_text)
        rounded = True  # VADER's compound is rounded to 4 places
        adjust = t.punctuation(text)
        if denied:
            adjust += _denial(toks, lexicon, denials, contracted)
        if cues and not _IRONY_WORDS.isdisjoint(cues) and _ironic(toks, vader_text):
            # "Thanks for nothing", "Great, another outage. Just great.": the praise is
            # scorn, so it counts against the post, and the formula leans it negative.
            c = -abs(c)
            adjust += IRONY
        if adjust:
            c = _fold(c, adjust)
            rounded = False
        if text.rstrip().rstrip("\"'").endswith(("...", "\u2026")):
            c *= TRAILING_OFF
            rounded = False
        return self._made_sentiment(lang, t, c, rounded)

    def _made_sentiment(self, lang: str, t: Thresholds, c: float, rounded: bool) -> Sentiment:
        """The (shared) Sentiment for compound `c` in `lang`."""
        # Rounding a rounded number gives it back: `round` (a third of a microsecond)
        # only when something moved it. + 0.0: never a "-0.0" in the output.
        c = (c if rounded else round(c, 4)) + 0.0
        # Rounded to 4 places, a compound takes at most 20,001 values: each language's
        # (immutable) Sentiment for each is made once.
        made = self._made.get(lang)
        if made is None:
            if len(self._made) > 16:  # languages the caller made up: keep it small
                self._made.clear()
            made = self._made.setdefault(lang, {})
        sentiment = made.get(c)
        if sentiment is None:
            sentiment = made[c] = Sentiment(c, t.label(c))
        return sentiment


class _ElidedValues(dict[str, "float | None"]):
    """French token -> the pack's valence for it, or for the word after its elision
    ("l'arnaque" is "arnaque"); None for most. Memoised; size capped."""

    def __init__(self, words: dict[str, float]) -> None:
        super().__init__()
        self._words = words

    def __missing__(self, tok: str) -> float | None:
        head, sep, rest = tok.partition("'")
        value = self._words.get(rest if sep and len(head) <= 2 else tok)
        if len(self) > 100_000:
            self.clear()
        self[tok] = value
        return value


_SAID_THROUGH_DENIAL = re.compile(
    r"\b(?:could\s*n[o'’]?t|can\s*[o'’]?n?[o'’]?t|cannot|cant|couldnt)\s+"
    r"(?=be\s+(?:happier|better|prouder|more\s+\w+)\b"
    r"|ask\s+for\s+(?:a\s+|an\s+)?(?:better|more)\b"
    r"|(?:recommend|thank|praise|rate)\b[^.!?]{0,40}?\benough\b"
    r"|(?:be|get)\s+(?:any\s+)?worse\b)",
    re.IGNORECASE,
)
"""Praise or scorn said through a denial: "couldn't be happier", "can't recommend them
enough", "couldn't ask for a better app"; "it couldn't be worse".
VADER turns the word after the denial around; the denial is dropped before VADER reads
the post."""

_TURNED_WORDS = frozenset(("happier", "better", "prouder", "more", "enough", "worse"))
"""One of these is in every post `_SAID_THROUGH_DENIAL` matches: a set test on the
post's words spares the regex (about 1.7 µs) on most posts with a denial."""


_THANKS_FOR = re.compile(
    r"\bthanks?\s+(?:you\s+)?(?:a\s+lot\s+|so\s+much\s+)?for\s+"
    r"(?:nothing|nothin|breaking|ruining|wasting)\b",
    re.IGNORECASE,
)
_YEAH_RIGHT = re.compile(r"\byeah,?\s+right\b", re.IGNORECASE)
_SO_MUCH_FOR = re.compile(r"\bso\s+much\s+for\s", re.IGNORECASE)
_PRAISE_AGAIN = re.compile(
    r"\b(?:oh\s+|just\s+)?(?:great|wonderful|fantastic|perfect|brilliant|lovely|awesome"
    r"|terrific),?\s+(?:another|more\s+of|again)\b",
    re.IGNORECASE,
)
_A_JOKE = re.compile(
    r"\b(?:is|was|are|were|what|such)\s+(?:an?\s+)?(?:absolute|complete|total|sick)?\s*joke\b",
    re.IGNORECASE,
)
_OH_PRAISE = re.compile(
    r"\boh\s+(?:great|perfect|wonderful|fantastic|brilliant|lovely|terrific)\s*(?:[,.]|$)",
    re.IGNORECASE | re.MULTILINE,
)
"""Praise said as scorn: "thanks for nothing", "thanks for ruining my morning", "yeah
right", "So much for fast delivery", "Great, another outage", "Oh great.", "the app is
a joke". VADER reads the praise word as praise. "So much for", "Great, another" and
"Oh great" count at the start of a sentence only ("thank you so much for the help", "a
great another-level update" are sincere). Each pattern runs only on posts holding its
words: a regex of alternatives tried at every position costs about 10 µs a post."""

_IRONY_WORDS = frozenset(
    "nothing nothin breaking ruining wasting right much great wonderful fantastic perfect "
    "brilliant lovely awesome terrific joke".split()
)
_THANKS = frozenset(("thanks", "thank"))
_PRAISE = frozenset("great wonderful fantastic perfect brilliant lovely awesome terrific".split())
_AGAIN = frozenset(("another", "again", "more"))


def _ironic(toks: list[str], text: str) -> bool:
    """Whether `text` praises in scorn (see `_THANKS_FOR` and the patterns after it)."""
    words = set(toks)
    if not words.isdisjoint(_THANKS) and "for" in words and _THANKS_FOR.search(text):
        return True
    if "yeah" in words and "right" in words and _YEAH_RIGHT.search(text):
        return True
    if "joke" in words and _A_JOKE.search(text):
        return True
    if "much" in words and "for" in words:
        if any(_sentence_opens(text, m.start()) for m in _SO_MUCH_FOR.finditer(text)):
            return True
    if not words.isdisjoint(_PRAISE):
        if not words.isdisjoint(_AGAIN) and any(
            _sentence_opens(text, m.start(), ",") for m in _PRAISE_AGAIN.finditer(text)
        ):
            return True
        if "oh" in words and any(
            _sentence_opens(text, m.start()) for m in _OH_PRAISE.finditer(text)
        ):
            return True
    return False


def _sentence_opens(text: str, at: int, more: str = "") -> bool:
    """Whether a sentence (or, with `more`, a clause after one of those characters)
    opens at `at`: nothing but space and @handles before it since the post's start, a
    line break or a ".", "!", "?", ";" ("@acme great, another outage")."""
    before = _HANDLES_AT_END.sub("", text[:at])
    return not before or before[-1] in ".!?;\n" + more


_HANDLES_AT_END = re.compile(r"(?:@\w+)?[ \t]*(?:@\w+[ \t]*)*$")


_FR_SCORN = re.compile(
    r"\bmerci\s+(?:pour\s+rien|du\s+cadeau)\b|\b(?:ben|bah)\s+voyons\b", re.IGNORECASE
)
_FR_PRAISE_AGAIN = re.compile(
    r"\b(?:g[ée]niale?|super|top|parfait|bravo|magnifique|formidable|trop\s+bien)\s*[,.!]+\s*"
    r"(?:encore(?!\s+une\s+fois)|une\s+fois\s+de\s+plus|[àa]\s+nouveau)\b",
    re.IGNORECASE,
)
"""French praise said as scorn: "merci pour rien", "merci du cadeau", "ben voyons",
"Génial, encore une panne" at the start of a sentence (not "Super, encore une fois
merci")."""

_FR_IRONY_WORDS = frozenset(("rien", "cadeau", "voyons", "encore", "nouveau", "fois"))


def _french_ironic(text: str) -> bool:
    if _FR_SCORN.search(text):
        return True
    return any(_sentence_opens(text, m.start()) for m in _FR_PRAISE_AGAIN.finditer(text))


IRONY = -1.0
"""Raw valence added to an English post that praises in scorn (`_IRONY`), after its
compound is made negative: "Thanks for nothing" is a grievance, however VADER reads
"thanks"."""

DENIAL = -1.0
"""Raw valence (VADER's scale) added to an English post holding a denial that cancels
no negative word after it. On tweets a bare "not", "no", "never", "doesn't" leans
negative ("still doesn't work", "no reply", "never arrived"); VADER only uses them to
flip the next words. Measured on the labelled tweets: +0.015 / +0.013 macro-F1 on
the two halves (docs/rules.md)."""

TRAILING_OFF = 0.75
"""Share of the compound an English post keeps when it ends in "..." or "…": most such
posts are headlines cut short, whose words tell the news, not an opinion."""

_DENIALS = (frozenset(NEGATE) - {"without", "despite"}) | {"no"}
"""VADER's negations, plus "no"; "without" and "despite" are prepositions more often
than denials ("without a hitch")."""

_EN_CUES = _DENIALS | _TURNED_WORDS | _IRONY_WORDS
"""Every word an English cue looks for, found in one pass over a post's words."""


def _denial(
    toks: list[str],
    lexicon: dict[str, float],
    denials: Iterable[str] | None = None,
    contracted: bool = True,
) -> float:
    """`DENIAL` when a denial in `toks` has no negative word in the three after it
    (VADER's reach for a negation): "not bad", "can't wait" (the pack makes "wait"
    negative), "don't miss", "no problem" are no grievance; else 0.

    `denials`: the words of `_DENIALS` in `toks` when the caller has them (each is
    then found by `list.index`, not by a loop over every word); `contracted`: whether
    a word may hold "n't"."""
    if denials is None:
        denials = _DENIALS.intersection(toks)
    starts: list[int] = []
    for word in denials:
        i = toks.index(word)
        while True:
            starts.append(i)
            try:
                i = toks.index(word, i + 1)
            except ValueError:
                break
    if contracted:
        starts += [i for i, tok in enumerate(toks) if "n't" in tok]
    for i in starts:
        for nxt in toks[i + 1 : i + 4]:
            if lexicon.get(nxt, 0.0) < 0:
                break
        else:
            return DENIAL
    return 0.0


_STRETCHED = re.compile(r"([^\W\d_])\1\1")


class _Stretched(dict[str, bool]):
    """Word -> whether a letter runs three times in it; memoised (a regex with a
    back-reference costs microseconds a post, a memo probe a few dozen nanoseconds a
    word), size capped."""

    def __missing__(self, tok: str) -> bool:
        found = _STRETCHED.search(tok) is not None
        if len(self) > 100_000:
            self.clear()
        self[tok] = found
        return found


_IS_STRETCHED = _Stretched().__getitem__


def _own_emoji(vader: FastVader, words: dict[str, float]) -> re.Pattern[str] | None:
    """The pack's emoji words: `vader` stops describing them (VADER reads "👍" as
    "thumbs up", no opinion word) and reads each as the token itself, which the pack
    scores. A pattern that finds them in a post, or None when the pack has none."""
    own = {
        bare: value
        for key, value in words.items()
        if not key.isascii() and (bare := _bare(key)) and not any(ch.isalnum() for ch in bare)
    }
    if not own:
        return None
    vader.emojis = {ch: desc for ch, desc in vader.emojis.items() if ch not in own}
    vader.lexicon = {**vader.lexicon, **own}
    return re.compile("|".join(map(re.escape, sorted(own, key=len, reverse=True))))


def _bare(text: str) -> str:
    """Without the emoji presentation selector and the zero-width joiner, invisible
    marks VADER would glue to the word before them ("❤️" read as "heart\ufe0f")."""
    return text.replace("\ufe0f", "").replace("\u200d", "")


def _plain(text: str, emoji: re.Pattern[str] | None) -> str:
    """The text VADER reads, beyond ASCII: typographic apostrophes and ellipses made
    plain ("don’t" is VADER's "don't", "award…" its "award..."), emoji bare and the
    pack's own set apart as words."""
    text = _bare(text.replace("\u2019", "'").replace("\u2026", "..."))
    return text if emoji is None else emoji.sub(r" \g<0> ", text)


_FR_SCORERS: dict[tuple[tuple[str, float], ...], tuple[FastFrench, dict[str, float]]] = {}


def _french_scorer(words: dict[str, float]) -> tuple[FastFrench, dict[str, float]]:
    """vadersentiment-fr's scorer with a pack's words in its lexicon, as English packs
    tune VADER's: a word it knows takes the pack's value (0 takes it out: "sur" is
    "on" far more often than "sûr"), a new one is added, and VADER's negation, booster
    and capitals rules apply to them all. A word that changes its neighbour (a booster
    such as "super", "vraiment", or a negation) loses that role in the lexicon: it is
    taken out, and its value, if any, added to the post's valence instead (the
    returned extras). Made once per word list and shared."""
    key = tuple(sorted(words.items()))
    with _FR_LOCK:
        made = _FR_SCORERS.get(key)
    if made is not None:
        return made
    base = _french_base()
    assert _FR_VEILLE is not None
    if not words:
        return _FR_VEILLE, {}
    fold = _FR_MODULE.unidecode.unidecode
    roles = {fold(w) for w in (*_FR_MODULE.BOOSTER_DICT, *_FR_MODULE.NEGATE)}
    lexicon = dict(base.lexicon)
    extra: dict[str, float] = {}
    described: dict[str, str] = {}
    for word, value in words.items():
        emoji = _bare(word.strip())
        if len(emoji) == 1 and not emoji.isascii() and not emoji.isalnum():
            # An emoji is read as a word of its own that only the pack scores
            # ("emoji1f525"), not as vadersentiment-fr's description of it.
            name = f"emoji{ord(emoji):x}"
            described[emoji] = name if value else ""
            if value:
                lexicon[name] = value
            continue
        folded = fold(word.strip().lower())
        if folded in roles or not folded or " " in folded:
            lexicon.pop(folded, None)  # a lexicon word is no booster to its neighbour
            if value:
                extra[normalise(word)] = value
        elif value:
            lexicon[folded] = value
        else:
            lexicon.pop(folded, None)
    scorer = FastFrench(_FR_MODULE, base, plus_needs_ne=True)
    scorer.lexicon = lexicon
    if described:
        scorer.describe(described)
    with _FR_LOCK:
        if len(_FR_SCORERS) > 16:  # packs edited live: keep it small
            _FR_SCORERS.clear()
        made = _FR_SCORERS.setdefault(key, (scorer, extra))
    return made


_NE_VERB_NOT = re.compile(
    r"(?<![\w'])(ne\s+|n')"
    r"((?:[^\W\d_]+'|(?:en|y|le|la|les|lui|leur|me|te|se|nous|vous)\s+){0,3}[^\s']+)"
    r"\s+(pas|plus|jamais|guère|point|rien)(?![\w'])",
    re.IGNORECASE,
)
"""French puts the denial after the verb it denies, its pronouns between: "ne VERB
pas", "ne m'en lasse pas", "ne le lui dis pas"."""


def _french_text(
    text: str,
    lexicon: dict[str, float],
    toks: list[str] | None = None,
    cues: frozenset[str] | None = None,
) -> str:
    """The text vadersentiment-fr reads: typographic apostrophes made plain (it splits
    "l'arnaque" at "'" but reads "l’arnaque" as one unknown word), stretched words
    brought back to the word they stretch ("nuuuul", "merciii", "trooop"), and the
    denial of a sentiment verb put before it ("je n'aime pas" read as "je n' pas
    aime"), since VADER only looks back from a word for a negation. `toks`, the post's
    words when the caller has them, tell faster whether a word is stretched; `cues`,
    the words of `_FR_CUES` among them, whether an idiom may be there."""
    if "\u2019" in text:
        text = text.replace("\u2019", "'")
    if any(map(_IS_STRETCHED, toks)) if toks is not None else _FR_STRETCHED.search(text):
        text = " ".join([_fr_unstretch(w, lexicon) for w in text.split(" ")])
    if "n'" in text or "ne " in text or "N'" in text or "Ne " in text or "NE " in text:
        text = _NE_VERB_NOT.sub(lambda m: _deny_first(m, lexicon), text)
    if (
        not (cues.isdisjoint(_FR_IDIOM_WORDS) or cues.isdisjoint(_FR_IDIOM_OPENERS))
        if cues is not None
        else any(cue in text for cue in _FR_IDIOM_CUES)
    ):
        text = _FR_IDIOM.sub(_fr_idiom, text)
    return text


_FR_IDIOM = re.compile(
    r"\b(?:(pas\s+terribles?)|(pas\s+mal)(?!\s+d[e'’])|(trop\s+bien)|(pas\s+mal)(?=\s+d[e'’])"
    r"|((?:pas\s+de|aucun|aucune|sans|z[ée]ro)\s+(?:probl[èe]mes?|soucis?|bugs?))"
    r"|(trop\s+ch[eè]re?s?)"
    r"|((?:ne\s+|n['’])?(?:marchent|marche|fonctionnent|fonctionne)\s+"
    r"(?:toujours\s+|jamais\s+|plus\s+)?(?:pas|plus|jamais)))\b",
    re.IGNORECASE,
)
"""Idioms whose sense VADER's rules turn around or miss: "pas terrible" is "not
great" (VADER denies "terrible", -0.5, into praise), "pas mal" is praise ("not bad";
"pas mal de bugs" is "quite a few bugs", which VADER read as a denial), "trop bien"
is "so good" (VADER reads "bien", 0.2, with a small booster). They are read as "pas
génial", "chouette", "trop génial" and "beaucoup de bugs". "Pas de souci", "aucun
problème", "sans bug" say that nothing is wrong: they are left out, since VADER would
read the problem, or deny the thanks after it ("aucun souci, merci"). "Trop cher" is read
as "ruineux" (which the pack scores, with "cher" as "expensive": in a mention it is that
far more often than "dear"), and "(ne) marche pas", "ne fonctionne plus", "ça ne marche
toujours pas" as "est en panne": VADER finds no opinion word in them."""
_FR_IDIOM_CUES = (
    "pas ",
    "Pas ",
    "PAS ",
    "trop ",
    "Trop ",
    "TROP ",
    "ucun",
    "UCUN",
    "ans ",
    "ANS ",
    "éro ",
    "ero ",
    # "ça ne marche pas" ends on its opener: the words of the denials, without a space
    "arche",
    "ARCHE",
    "onctionne",
    "ONCTIONNE",
)
_FR_IDIOM_READ = (
    "pas génial",
    "chouette",
    "trop génial",
    "beaucoup",
    "",
    "ruineux",
    "est en panne",
)
_FR_IDIOM_WORDS = frozenset(
    """terrible terribles mal bien probleme problemes souci soucis bug bugs cher chere chers
    cheres marche marchent fonctionne fonctionnent""".split()
)
_FR_IDIOM_OPENERS = frozenset("pas trop aucun aucune sans zero plus jamais".split())
"""Every idiom of `_FR_IDIOM` holds a word of each set (as normalised tokens)."""
_FR_CUES = _FR_IRONY_WORDS | _FR_IDIOM_WORDS | _FR_IDIOM_OPENERS
"""Every word a French cue looks for, found in one pass over a post's words."""


def _fr_idiom(m: re.Match[str]) -> str:
    return _FR_IDIOM_READ[m.lastindex - 1] if m.lastindex else m.group(0)


_FR_STRETCHED = re.compile(r"([a-zA-Z\u00c0-\u00ff])\1\1")
"""Three of one letter in a row (French letters: a class of ranges is about twice as
quick to try at each character as "any letter", and a post is searched whole)."""
_FR_RUN = re.compile(r"([a-zA-Z\u00c0-\u00ff])\1{2,}")


def _fr_unstretch(word: str, lexicon: dict[str, float]) -> str:
    """`word` with each run of three or more letters cut to two ("nulllle"), or else
    to one ("nuuul"), whichever vadersentiment-fr knows (lexicon or booster);
    unchanged if neither."""
    if _FR_RUN.search(word) is None:
        return word
    for repl in (r"\1\1", r"\1"):
        cut = _FR_RUN.sub(repl, word)
        bare = cut.rpartition("'")[2].strip(string.punctuation).lower()
        if bare in _FR_MODULE.BOOSTER_DICT or _FR_MODULE.unidecode.unidecode(bare) in lexicon:
            return cut
    return word


_FR_SPACE_OR_ELISION = re.compile(r"[\s']+")


def _deny_first(m: re.Match[str], lexicon: dict[str, float]) -> str:
    """The match "ne VERB pas" as "ne pas VERB" when VERB (its pronouns aside) is a
    sentiment word; any other match unchanged (moving the denial would put it out of
    reach of the words after the verb: "n'est pas du tout bon")."""
    verb = _FR_SPACE_OR_ELISION.split(m.group(2))[-1].strip(string.punctuation).lower()
    if _FR_MODULE.unidecode.unidecode(verb) in lexicon:
        return f"{m.group(1)}{m.group(3)} {m.group(2)}"
    return m.group(0)


_FR_NEGATIONS = frozenset("pas ne n jamais plus sans aucun aucune ni".split())


def _fold(score: float, extra: float) -> float:
    """Add raw valence to a compound: undo VADER's normalisation, add, normalise again."""
    score = max(-0.9999, min(0.9999, score))
    total = score * 15**0.5 / (1 - score * score) ** 0.5 + extra
    return max(-1.0, min(1.0, total / (total * total + 15) ** 0.5))
