"""Secrets: keyring only, file backends refused unless opted in, one-line errors."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from sources.auth import (
    CredentialError,
    delete_secret,
    get_secret,
    redact,
    require_secret,
    service_name,
    set_secret,
)

from .conftest import MemoryKeyring
from .keyring_backend import PlaintextTestKeyring


def test_round_trip(memory_keyring: MemoryKeyring) -> None:
    set_secret("mastodon:Mastodon.Social", "tok")
    assert get_secret("mastodon:mastodon.social") == "tok"
    assert memory_keyring.store == {("veille", "mastodon:mastodon.social"): "tok"}
    assert delete_secret("mastodon:mastodon.social") is True
    assert delete_secret("mastodon:mastodon.social") is False
    assert get_secret("mastodon:mastodon.social") is None


def test_service_names() -> None:
    assert service_name("mastodon", "https://Mastodon.Social/") == "mastodon:mastodon.social"
    assert service_name("bluesky", "@Me.bsky.social") == "bluesky:me.bsky.social"


@pytest.mark.parametrize("bad", ["mastodon", "twitter:me", "bluesky:", ""])
def test_bad_service_names(memory_keyring: MemoryKeyring, bad: str) -> None:
    with pytest.raises(CredentialError, match="bad service name"):
        set_secret(bad, "x")


def test_missing_secret_says_what_to_run(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(CredentialError) as info:
        require_secret("bluesky:me.bsky.social", "Bluesky app password")
    assert str(info.value) == (
        "no Bluesky app password in the keyring: run `veille auth set bluesky:me.bsky.social`"
    )


def _with(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    return previous


def test_no_keyring_is_one_line() -> None:
    previous = _with(fail.Keyring())
    try:
        with pytest.raises(CredentialError, match="^no system keyring found"):
            get_secret("mastodon:a.example")
    finally:
        keyring.set_keyring(previous)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")


def test_locked_keyring_is_one_line() -> None:
    previous = _with(LockedKeyring())
    try:
        with pytest.raises(CredentialError, match="^the keyring is locked"):
            get_secret("mastodon:a.example")
    finally:
        keyring.set_keyring(previous)


def test_file_backend_refused_unless_opted_in(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("VEILLE_TEST_KEYRING", str(tmp_path) + "/ring.json")
    monkeypatch.delenv("VEILLE_ALLOW_FILE_KEYRING", raising=False)
    previous = _with(PlaintextTestKeyring())
    try:
        with pytest.raises(CredentialError, match="stores secrets in a file: refused"):
            set_secret("mastodon:a.example", "tok")
        monkeypatch.setenv("VEILLE_ALLOW_FILE_KEYRING", "1")
        set_secret("mastodon:a.example", "tok")
        assert get_secret("mastodon:a.example") == "tok"
    finally:
        keyring.set_keyring(previous)


def test_redact_handled_secrets_bearers_and_jwts(memory_keyring: MemoryKeyring) -> None:
    set_secret("mastodon:a.example", "tok-secret-123")
    assert get_secret("mastodon:a.example") == "tok-secret-123"
    line = redact(
        "server said: bad tok-secret-123, Authorization: Bearer abcdef123456 "
        "and eyJhbGciOi.eyJzdWIiOiJ4In0.sig"
    )
    assert "tok-secret-123" not in line and "abcdef123456" not in line and "eyJ" not in line
    assert line.startswith("server said: bad [secret], Authorization: Bearer [secret]")
