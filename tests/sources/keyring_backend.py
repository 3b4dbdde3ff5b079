"""A keyring backend for subprocess tests: secrets in a JSON file named by env.

It stores secrets in a plain file, which is exactly what veille refuses
unless VEILLE_ALLOW_FILE_KEYRING=1; the CLI tests use it to check both the
refusal and the opt-in. Never used outside tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors


class PlaintextTestKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["VEILLE_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        p = self._path()
        return json.loads(p.read_text()) if p.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}|{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if f"{service}|{username}" not in data:
            raise keyring.errors.PasswordDeleteError("none")
        del data[f"{service}|{username}"]
        self._path().write_text(json.dumps(data))
