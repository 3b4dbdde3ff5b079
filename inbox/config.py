"""config.toml: sources, the listening topic, rules, SLA overrides, keys, team.

A broken config never stops veille silently: `load_config` returns the
config it could read plus `ConfigError`s naming the file and line, and the
caller shows them. Secrets are never read from here (see sources/auth.py).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Config", "ConfigError", "Topic", "load_config", "DEFAULT_SOURCES"]

DEFAULT_SOURCES: list[dict[str, Any]] = [{"kind": "demo", "name": "demo"}]

_KNOWN = {
    "veille": {
        "brand",
        "brand_aliases",
        "user",
        "teammates",
        "vip",
        "archive_after_days",
        "reply_from",
        "theme",
    },
    "topic": {"keywords", "hashtags", "exclude_phrases", "exclude_authors"},
    "rules": {"dirs", "active"},
    "sla": None,  # any category name
    "keys": None,  # any action name
    "alerts": {"window_days", "threshold", "min_count", "command"},
    "source": None,  # checked by sources.build_sources
    "replies": {"file"},
}


@dataclass(frozen=True)
class ConfigError:
    path: str
    line: int
    message: str
    col: int = 0  # known for TOML syntax errors only

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}: {self.message}"
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


@dataclass
class Topic:
    keywords: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    exclude_phrases: list[str] = field(default_factory=list)
    exclude_authors: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.keywords or self.hashtags)


@dataclass
class Config:
    path: Path | None = None
    exists: bool = False
    brand: str = "Nimbus"
    # Other names people write the brand under (another script, a nickname). The
    # default fits the demo brand; a config that names its brand starts from none.
    brand_aliases: list[str] = field(default_factory=lambda: ["نيمبس"])
    user: str = "me"
    reply_from: str = ""
    teammates: list[str] = field(default_factory=list)
    vip: list[str] = field(default_factory=list)
    archive_after_days: int = 30
    topic: Topic = field(default_factory=Topic)
    rules_dirs: list[Path] = field(default_factory=list)
    rules_active: list[str] | None = None
    sla: dict[str, int] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    alerts: dict[str, Any] = field(default_factory=dict)
    replies_file: Path | None = None
    sources: list[dict[str, Any]] = field(default_factory=lambda: list(DEFAULT_SOURCES))
    errors: list[ConfigError] = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        return all(s.get("kind") == "demo" for s in self.sources)

    @property
    def brand_words(self) -> str:
        """The brand's names and the topic's keywords, space-separated.

        Every mention holds one of them by construction, so top terms and spike alerts
        leave them out: "nimbus" topping the terms table says nothing.
        """
        words = [self.brand, *self.brand_aliases, *self.topic.keywords, *self.topic.hashtags]
        return " ".join(w for w in words if w)


def _line_of(text: str, key: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s.startswith(f"[{key}]") or s.startswith(f"[[{key}]]") or s.split("=")[0].strip() == key:
            return i
    return 0


def _str_list(v: Any, where: str, errors: list[ConfigError], path: str, text: str) -> list[str]:
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return list(v)
    errors.append(ConfigError(path, _line_of(text, where), f"{where} must be a list of strings"))
    return []


# What an entry is once its marker is set aside: "@" for an author, "#" for a hashtag.
_MARKS = {"exclude_authors": "@", "hashtags": "#"}


def _no_blanks(
    key: str, values: list[str], errors: list[ConfigError], path: str, text: str
) -> list[str]:
    """The entries that say something; a blank one is an error, and left out.

    The topic filter matches substrings, and an empty string is in every text: one
    blank excluded phrase would filter out every post, a blank keyword let all through.
    """
    kept = [v for v in values if v.strip().strip(_MARKS.get(key, "")).strip()]
    if len(kept) < len(values):
        errors.append(
            ConfigError(path, _line_of(text, key), f"topic.{key}: blank entries left out")
        )
    return kept


def _check_alerts(a: dict[str, Any], errors: list[ConfigError], path: str, text: str) -> None:
    """Name each bad [alerts] value; the spike detector falls back to its default for it."""
    for name in ("window_days", "threshold", "min_count"):
        v = a.get(name, 1)
        if isinstance(v, bool) or not isinstance(v, int | float) or not 1 <= v <= 1_000_000:
            errors.append(
                ConfigError(
                    path, _line_of(text, name), f"alerts.{name} must be a number from 1 to 1000000"
                )
            )
    cmd = a.get("command", "")
    if not (
        isinstance(cmd, str) or (isinstance(cmd, list) and all(isinstance(x, str) for x in cmd))
    ):
        errors.append(
            ConfigError(
                path,
                _line_of(text, "command"),
                "alerts.command must be a string or a list of strings",
            )
        )


def load_config(path: Path | None) -> Config:
    """Read config.toml; a missing file is the embedded default (the demo)."""
    cfg = Config(path=path)
    if path is None or not path.exists():
        return cfg
    p = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        cfg.errors.append(ConfigError(p, 0, f"not UTF-8 text ({exc.reason})"))
        return cfg
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        msg = str(exc).split(" (at ")[0]
        cfg.errors.append(ConfigError(p, line, f"TOML syntax: {msg}", col))
        return cfg
    except RecursionError:
        cfg.errors.append(ConfigError(p, 0, "TOML syntax: nesting too deep"))
        return cfg
    except OSError as exc:
        cfg.errors.append(ConfigError(p, 0, f"cannot read: {exc.strerror}"))
        return cfg
    cfg.exists = True
    errs = cfg.errors
    for key, val in data.items():
        if key not in _KNOWN:
            hint = difflib.get_close_matches(key, list(_KNOWN), n=1)
            more = f" (did you mean [{hint[0]}]?)" if hint else ""
            errs.append(ConfigError(p, _line_of(text, key), f"unknown section '{key}'{more}"))
            continue
        allowed = _KNOWN[key]
        if key != "source" and not isinstance(val, dict):
            errs.append(ConfigError(p, _line_of(text, key), f"[{key}] must be a table"))
            continue
        if allowed is not None and isinstance(val, dict):
            for sub in val:
                if sub not in allowed:
                    hint = difflib.get_close_matches(sub, list(allowed), n=1)
                    more = f" (did you mean '{hint[0]}'?)" if hint else ""
                    errs.append(
                        ConfigError(p, _line_of(text, sub), f"unknown key '{key}.{sub}'{more}")
                    )
    v = data.get("veille", {})
    if isinstance(v, dict):
        for name in ("brand", "user", "reply_from", "theme"):
            if name in v and not isinstance(v[name], str):
                errs.append(ConfigError(p, _line_of(text, name), f"veille.{name} must be a string"))
        if isinstance(v.get("brand"), str):
            cfg.brand = v["brand"]
            cfg.brand_aliases = []
        if "brand_aliases" in v:
            cfg.brand_aliases = _str_list(v["brand_aliases"], "brand_aliases", errs, p, text)
        if isinstance(v.get("user"), str):
            cfg.user = v["user"]
        if isinstance(v.get("reply_from"), str):
            cfg.reply_from = v["reply_from"]
        if "teammates" in v:
            cfg.teammates = _str_list(v["teammates"], "teammates", errs, p, text)
        if "vip" in v:
            cfg.vip = _str_list(v["vip"], "vip", errs, p, text)
        days = v.get("archive_after_days", 30)
        if isinstance(days, int) and not isinstance(days, bool) and days > 0:
            cfg.archive_after_days = days
        else:
            errs.append(
                ConfigError(
                    p,
                    _line_of(text, "archive_after_days"),
                    "archive_after_days must be a positive integer",
                )
            )
    t = data.get("topic", {})
    if isinstance(t, dict):
        cfg.topic = Topic(
            **{
                k: _no_blanks(k, _str_list(t[k], k, errs, p, text), errs, p, text)
                for k in sorted(_KNOWN["topic"] or ())
                if k in t
            }
        )
    r = data.get("rules", {})
    if isinstance(r, dict):
        base = path.parent
        cfg.rules_dirs = [
            (base / Path(d).expanduser())
            for d in _str_list(r.get("dirs", []), "dirs", errs, p, text)
        ]
        if "active" in r:
            cfg.rules_active = _str_list(r["active"], "active", errs, p, text)
    s = data.get("sla", {})
    if isinstance(s, dict):
        for k, mins in s.items():
            if isinstance(mins, int) and not isinstance(mins, bool) and mins > 0:
                cfg.sla[k] = mins
            else:
                errs.append(
                    ConfigError(
                        p, _line_of(text, k), f"sla.{k} must be a positive number of minutes"
                    )
                )
    k = data.get("keys", {})
    if isinstance(k, dict):
        cfg.keys = {a: b for a, b in k.items() if isinstance(b, str)}
        for action in sorted(set(k) - set(cfg.keys)):
            errs.append(
                ConfigError(p, _line_of(text, action), f"keys.{action} must be a string of keys")
            )
    a = data.get("alerts", {})
    if isinstance(a, dict):
        cfg.alerts = dict(a)
        _check_alerts(a, errs, p, text)
    rp = data.get("replies", {})
    if isinstance(rp, dict) and isinstance(rp.get("file"), str):
        cfg.replies_file = path.parent / Path(rp["file"]).expanduser()
    elif isinstance(rp, dict) and "file" in rp:
        errs.append(ConfigError(p, _line_of(text, "file"), "replies.file must be a string"))
    srcs = data.get("source")
    if srcs is not None:
        if isinstance(srcs, list) and all(isinstance(x, dict) for x in srcs):
            cfg.sources = [dict(x) for x in srcs]
        else:
            errs.append(
                ConfigError(p, _line_of(text, "source"), "use [[source]] tables for sources")
            )
    return cfg
