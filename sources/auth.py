"""Secrets live in the system keyring, and nowhere else.

Tokens and app passwords are stored under the keyring service "veille" with
the account name "mastodon:INSTANCE" or "bluesky:HANDLE". A plaintext or
file-backed keyring (keyrings.alt) would put them in a file on disk, so it is
refused unless the user opts in with VEILLE_ALLOW_FILE_KEYRING=1. Every
failure is a `CredentialError` whose message is one line a user can act on.
"""

from __future__ import annotations

import os
import re
from typing import Any

import keyring
import keyring.errors

from sources.base import SourceError

__all__ = [
    "CredentialError",
    "KEYRING_SERVICE",
    "get_secret",
    "set_secret",
    "delete_secret",
    "service_name",
    "check_service",
    "check_backend",
    "require_secret",
    "remember_secret",
    "redact",
]

KEYRING_SERVICE = "veille"
ALLOW_FILE_ENV = "VEILLE_ALLOW_FILE_KEYRING"
# "bluesky-session" keeps a Bluesky refresh token between runs (see sources/bluesky.py)
_KINDS = ("mastodon", "bluesky", "bluesky-session", "hackernews", "feed")


# Secrets this process has handled (read from the keyring, or session tokens bought
# with them), kept in memory only so that any text about to be shown or stored
# (a health line, an error) can be scrubbed of them: a buggy or hostile server
# may echo the Authorization header back in its error body.
_HANDLED: set[str] = set()
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
REDACTED = "[secret]"


def remember_secret(secret: str | None) -> None:
    """Note a secret so `redact` removes it from anything shown or stored."""
    if secret and len(secret) >= 6:
        _HANDLED.add(secret)


def redact(text: str) -> str:
    """The text with every handled secret, bearer credential and JWT replaced."""
    for secret in sorted(_HANDLED, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return _JWT.sub(REDACTED, text)


class CredentialError(SourceError):
    """A missing, locked or refused credential, said in one line (a source health line too)."""


def service_name(kind: str, who: str) -> str:
    """ "mastodon:mastodon.social", "bluesky:alice.bsky.social": lower-cased, no scheme."""
    who = who.strip().lower()
    for prefix in ("https://", "http://"):
        if who.startswith(prefix):
            who = who[len(prefix) :]
    return f"{kind}:{who.strip('/').lstrip('@')}"


# What a normalised instance or handle is made of (host, port, handle, did:plc:...).
# Anything else (a space, a slash, a terminal escape) names a secret no source asks for.
_WHO = re.compile(r"[\w.:@+-]+")


def check_service(service: str) -> str:
    """The normalised service name, or CredentialError when no source could use it."""
    kind, sep, who = service.partition(":")
    name = service_name(kind, who) if sep and kind in _KINDS else ""
    if not name or not _WHO.fullmatch(name.partition(":")[2]):
        raise CredentialError(
            f"bad service name {service!r}: use mastodon:INSTANCE or bluesky:HANDLE"
        )
    return name


_validate = check_service


def _is_file_backend(backend: Any) -> bool:
    cls = type(backend)
    module = cls.__module__ or ""
    name = cls.__name__.lower()
    return module.startswith("keyrings.alt") or any(
        word in name for word in ("plaintext", "file", "encrypted")
    )


def _leaves(backend: Any) -> list[Any]:
    inner = getattr(backend, "backends", None)
    if isinstance(inner, (list, tuple)) and inner:
        return list(inner)
    return [backend]


def check_backend() -> Any:
    """The keyring backend to use, or CredentialError saying why there is none."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # keyring's own init may fail in odd environments
        raise CredentialError(f"the system keyring could not start: {_line(exc)}") from None
    leaves = _leaves(backend)
    names = {type(b).__module__ for b in leaves}
    if names <= {"keyring.backends.fail", "keyring.backends.null"}:
        raise CredentialError(
            "no system keyring found: install or unlock one (GNOME Keyring, KWallet, "
            "macOS Keychain, Windows Credential Locker)"
        )
    if any(_is_file_backend(b) for b in leaves) and os.environ.get(ALLOW_FILE_ENV) != "1":
        raise CredentialError(
            f"the keyring backend {type(leaves[0]).__name__} stores secrets in a file: "
            f"refused (set {ALLOW_FILE_ENV}=1 to allow it)"
        )
    return backend


def _line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return redact(text)[:160]  # a backend may quote what it was given


def get_secret(service: str) -> str | None:
    """The stored secret, None when there is none; CredentialError when unreadable."""
    service = _validate(service)
    backend = check_backend()
    try:
        value = backend.get_password(KEYRING_SERVICE, service)
    except keyring.errors.KeyringLocked:
        raise CredentialError("the keyring is locked: unlock it and try again") from None
    except Exception as exc:  # backends raise their own errors too (D-Bus, a prompt)
        raise CredentialError(f"the keyring refused to read {service}: {_line(exc)}") from None
    remember_secret(value)
    return value or None


def set_secret(service: str, secret: str) -> None:
    service = _validate(service)
    if not secret:
        raise CredentialError("refusing to store an empty secret")
    remember_secret(secret)
    backend = check_backend()
    try:
        backend.set_password(KEYRING_SERVICE, service, secret)
    except keyring.errors.KeyringLocked:
        raise CredentialError("the keyring is locked: unlock it and try again") from None
    except Exception as exc:  # backends raise their own errors too (D-Bus, a prompt)
        raise CredentialError(f"the keyring refused to store {service}: {_line(exc)}") from None


def delete_secret(service: str) -> bool:
    """Forget a secret; False when there was none. A Bluesky app password takes its
    kept session with it: forgetting the password must sign veille out."""
    service = _validate(service)
    backend = check_backend()
    kind, _, who = service.partition(":")
    if kind == "bluesky":
        try:
            backend.delete_password(KEYRING_SERVICE, service_name("bluesky-session", who))
        except Exception:  # no kept session, or it cannot be removed: the password still goes
            pass
    try:
        backend.delete_password(KEYRING_SERVICE, service)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringLocked:
        raise CredentialError("the keyring is locked: unlock it and try again") from None
    except Exception as exc:  # backends raise their own errors too (D-Bus, a prompt)
        raise CredentialError(f"the keyring refused to delete {service}: {_line(exc)}") from None
    return True


def require_secret(service: str, what: str) -> str:
    """The secret, or CredentialError telling the user the command that stores it."""
    value = get_secret(service)
    if not value:
        raise CredentialError(
            f"no {what} in the keyring: run `veille auth set {_validate(service)}`"
        )
    return value
