"""Canned replies: `replies.toml` templates with variables, per language.

```toml
[[template]]
name = "Order status"
en = "Hi {first_name}, could you send us your order number {order}? {brand} support"
fr = "Bonjour {first_name}, pouvez-vous nous donner votre numéro de commande {order} ?"
text = "fallback in any other language"
[template.ask]
order = "Order number"
```

Known variables are filled from the mention and the config: `{author}`,
`{first_name}`, `{brand}`, `{link}`. Any other `{name}` is asked of the user
(`[template.ask]` gives the question). `{{` and `}}` are literal braces. Only
plain names are substituted: no attribute or index lookups, so a template can
never reach into Python objects the way `str.format` would let it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from inbox.config import Config
from inbox.model import Mention

__all__ = [
    "DEFAULT_TEMPLATES",
    "KNOWN_VARIABLES",
    "Template",
    "load_templates",
    "missing_variables",
    "pick_templates",
    "render",
    "values_for",
    "variables",
]

KNOWN_VARIABLES = ("author", "first_name", "brand", "link")
_FIELD = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Template:
    name: str
    texts: Mapping[str, str]  # language -> text; "" is the any-language fallback
    ask: Mapping[str, str] = field(default_factory=dict)  # variable -> question

    def text_for(self, lang: str) -> str:
        """The text in the mention's language, else the fallback, else English."""
        return (
            self.texts.get(lang)
            or self.texts.get("")
            or self.texts.get("en")
            or next(iter(self.texts.values()), "")
        )

    def has_language(self, lang: str) -> bool:
        return lang in self.texts or "" in self.texts

    def question(self, var: str) -> str:
        return self.ask.get(var) or var.replace("_", " ").capitalize()


DEFAULT_TEMPLATES: tuple[Template, ...] = (
    Template(
        "Thanks",
        {
            "en": "Thank you {first_name}! The {brand} team",
            "fr": "Merci {first_name} ! L'équipe {brand}",
            "ar": "شكراً لك يا {first_name}! فريق {brand}",
        },
    ),
    Template(
        "Looking into it",
        {
            "en": "Hi {first_name}, sorry about this. We're looking into it and will get back "
            "to you here.",
            "fr": "Bonjour {first_name}, désolés pour ce souci. Nous regardons et revenons "
            "vers vous ici.",
            "ar": "مرحباً {first_name}، نأسف لذلك. نحن نتحقق من الأمر وسنعود إليك هنا.",
        },
    ),
    Template(
        "Order number",
        {
            "en": "Hi {first_name}, could you send us your order number ({order}) by direct "
            "message? {brand} support",
            "fr": "Bonjour {first_name}, pouvez-vous nous envoyer votre numéro de commande "
            "({order}) en message privé ? Le support {brand}",
        },
        {"order": "Order number, or what to ask for"},
    ),
    Template(
        "Help page",
        {
            "en": "Hi {first_name}, this page should help: {help_url}",
            "fr": "Bonjour {first_name}, cette page devrait vous aider : {help_url}",
        },
        {"help_url": "Link to the help page"},
    ),
)


def variables(text: str) -> list[str]:
    """Variable names in order of first use."""
    seen: dict[str, None] = {}
    for m in _FIELD.finditer(text):
        if m.group(1):
            seen.setdefault(m.group(1), None)
    return list(seen)


def missing_variables(text: str, values: Mapping[str, str]) -> list[str]:
    return [v for v in variables(text) if v not in values]


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill the variables; one that has no value is left as written."""

    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok == "{{":
            return "{"
        if tok == "}}":
            return "}"
        return values.get(m.group(1), tok)

    return _FIELD.sub(sub, text)


_HANDLE_PREFIX = re.compile(r"^(?:/?u/|@)+", re.IGNORECASE)
_NAME_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'][^\W\d_]+)*")
"""A word that can be a name: opens on a letter ("Jean-Luc", "O'Neil", "Zoé")."""
_SHORTCODE = re.compile(r":[\w+-]+:")
"""A Mastodon custom emoji in a display name (":verified:"), not a word of it."""


def _first_name(author: str, display: str) -> str:
    """The name to greet someone by: the display name's first word, else the handle's
    first part ("jane_doe@example.social", "u/jane_doe", "jane.bsky.social" are all
    "Jane"); "" when neither holds a word ("🌟 ✨", "u/1234"), so it is asked for."""
    shown = _SHORTCODE.sub(" ", display)
    m = _NAME_WORD.search(shown)
    if m is not None:
        return m.group(0)
    handle = _HANDLE_PREFIX.sub("", author.strip()).split("@")[0]
    m = _NAME_WORD.search(re.split(r"[._\s]+", handle)[0])
    name = m.group(0).rstrip("0123456789") if m is not None else ""
    if len(name) < 2:  # "o_neil" gives "O": no one is greeted by an initial
        return ""
    return name[:1].upper() + name[1:] if name.islower() else name


def values_for(mention: Mention, config: Config) -> dict[str, str]:
    """The known variables for one mention; empty ones are left out so they get asked."""
    p = mention.post
    display = str(p.extra.get("display_name", "") or "")
    author = p.author.strip()
    if author and p.source_kind in ("mastodon", "bluesky") and not author.startswith("@"):
        author = "@" + author
    out = {
        "author": author,
        "first_name": _first_name(p.author, display),
        "brand": config.brand,
        "link": p.url,
    }
    return {k: v for k, v in out.items() if v}


def pick_templates(
    templates: Sequence[Template], query: str = "", lang: str = ""
) -> list[Template]:
    """Templates best first: those in the mention's language, then by fuzzy name match."""
    pool = [t for t in templates if t.has_language(lang)] or list(templates)
    rest = [t for t in templates if t not in pool]
    q = query.strip()
    if not q:
        return pool + rest
    names = [t.name for t in pool + rest]
    hits = process.extract(q, names, scorer=fuzz.WRatio, limit=len(names), score_cutoff=40)
    ordered = [(pool + rest)[i] for _, _, i in hits]
    return ordered


def load_templates(path: Path | None) -> tuple[list[Template], list[str]]:
    """Templates from replies.toml, or the embedded ones when there is no such file.

    Errors come back as `file: message` lines; the templates that could be read
    are still returned, so one typo never takes every canned reply away.
    """
    if path is None or not path.exists():
        return list(DEFAULT_TEMPLATES), []
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return list(DEFAULT_TEMPLATES), [f"{where}: cannot read: {exc}"]
    except tomllib.TOMLDecodeError as exc:
        return list(DEFAULT_TEMPLATES), [f"{where}: TOML syntax: {exc}"]
    raw = data.get("template", [])
    if not isinstance(raw, list):
        return list(DEFAULT_TEMPLATES), [f"{where}: use [[template]] tables"]
    out: list[Template] = []
    errors: list[str] = []
    for n, t in enumerate(raw, 1):
        if not isinstance(t, dict) or not isinstance(t.get("name"), str) or not t["name"]:
            errors.append(f"{where}: template {n} needs a name")
            continue
        texts = {
            ("" if k == "text" else k): v
            for k, v in t.items()
            if k not in ("name", "ask") and isinstance(v, str)
        }
        if not texts:
            errors.append(f"{where}: template {t['name']!r} has no text")
            continue
        ask = t.get("ask", {})
        ask = {k: v for k, v in ask.items() if isinstance(v, str)} if isinstance(ask, dict) else {}
        out.append(Template(t["name"], texts, ask))
    return out, errors
