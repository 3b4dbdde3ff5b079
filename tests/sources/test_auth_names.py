"""`veille auth set|delete SERVICE`: a name no source could ever ask for is refused.

A secret stored under "bluesky:me bsky" or a name holding a terminal escape
can never be found by a source (sources look up the normalised handle or
instance), so it used to sit in the keyring unused while the command said
"stored"; and the name was echoed raw to the terminal.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.keyrings import installed
from tui.cli import main


def auth(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> tuple[int, str, str, dict[tuple[str, str], str]]:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-token\n"))
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    with installed() as ring:
        code = main([*iso, "auth", *args])
    out, err = capsys.readouterr()
    return code, out, err, ring.store


@pytest.mark.parametrize(
    "service",
    ["bluesky:me bsky.social", "bluesky:\x1b[31mme", "mastodon:a\nexample", "mastodon:a/b"],
    ids=["space", "escape", "newline", "path"],
)
def test_a_name_no_source_can_use_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    service: str,
) -> None:
    code, out, err, store = auth(tmp_path, monkeypatch, capsys, "set", service)
    assert code == 1
    assert store == {}
    assert out == ""
    assert err.startswith("veille: bad service name") and "\x1b" not in err
    assert err.count("\n") == 1


def test_the_name_said_is_the_name_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _, store = auth(tmp_path, monkeypatch, capsys, "set", "mastodon:HTTPS://A.example/")
    assert code == 0
    assert store == {("veille", "mastodon:a.example"): "s3cret-token"}
    assert out == "stored the secret for mastodon:a.example in the keyring\n"
