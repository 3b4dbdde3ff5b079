"""A keyring backend that fails in its own way (D-Bus gone, a dismissed prompt) is one line.

Backends raise more than keyring's own error classes; `veille auth set` ended with a
traceback on anything else.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.keyrings import MemoryKeyring, installed
from tui.cli import main


class BrokenKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        # a backend that quotes what it was given must not put the secret on the screen
        raise RuntimeError(f"org.freedesktop.DBus.Error.ServiceUnknown: {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise OSError("the prompt was dismissed")


@pytest.mark.parametrize("action", ["set", "delete"])
def test_a_backend_failure_is_one_line_and_exit_1(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    action: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-token\n"))
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    with installed(BrokenKeyring()):
        code = main([*iso, "auth", action, "mastodon:social.example"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    verb = "store" if action == "set" else "delete"
    assert err.startswith(f"veille: the keyring refused to {verb} mastodon:social.example: ")
    assert err.count("\n") == 1
    assert "s3cret-token" not in err
