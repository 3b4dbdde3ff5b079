"""The keyring tests use: secrets in a dict, so the user's real one never takes part."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
import keyring.backend
import keyring.errors

__all__ = ["MemoryKeyring", "installed"]


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring in a dict; deleting what is not there fails as real backends do."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("no such password")
        del self.store[(service, username)]


@contextmanager
def installed(ring: MemoryKeyring | None = None) -> Iterator[MemoryKeyring]:
    """`ring` (a fresh one by default) as the process's keyring, the previous one after."""
    previous = keyring.get_keyring()
    ring = ring or MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)
