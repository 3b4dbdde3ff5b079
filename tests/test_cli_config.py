"""A config.toml that cannot be read stops every command that reads it, before it acts.

Carrying on would run on the embedded default instead: `fetch` would poll the demo
source into the user's store, `sources import` would append to the broken file,
`classify` and `rules check` would leave out the user's own rule files, all with
exit status 0. Errors in a readable file (an unknown key, a wrong type) are shown
and the rest of the file is used.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.keyrings import installed
from tui.cli import main

BROKEN = {
    "syntax": b'[veille]\nbrand = "Acme\n',
    "not-utf8": b'[veille]\nbrand = "caf\xe9"\n',
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=list(BROKEN), ids=list(BROKEN))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_bytes(BROKEN[request.param])
    return cfg


@pytest.mark.parametrize(
    "cmd",
    [
        ["fetch", "--once"],
        ["sources", "list"],
        ["classify", "-"],
        ["rules", "check"],
        ["rules", "test", "hello"],
        ["ingest", "-"],
        ["export"],
        ["report"],
    ],
    ids=lambda c: " ".join(c),
)
def test_a_config_that_cannot_be_read_stops_the_command(
    broken: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cmd: list[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "hello acme"}\n'))
    data = tmp_path / "data"
    code, out, err = run(capsys, "--config", str(broken), "--data-dir", str(data), *cmd)
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"veille: {broken}:"), err
    assert lines[-1] == f"veille: {broken} cannot be read: fix it, or choose another with --config"
    assert not data.exists(), "the command ran on the default config"


def test_sources_import_leaves_a_broken_config_as_it_was(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/f"/></body></opml>'
    )
    before = broken.read_bytes()
    iso = ["--config", str(broken), "--data-dir", str(tmp_path / "d")]
    code, out, _ = run(capsys, *iso, "sources", "import", str(opml))
    assert code == 1 and out == ""
    assert broken.read_bytes() == before


def test_auth_does_not_need_the_config(
    broken: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-token\n"))
    iso = ["--config", str(broken), "--data-dir", str(tmp_path / "d")]
    with installed() as ring:
        code, out, err = run(capsys, *iso, "auth", "set", "mastodon:social.example")
    assert code == 0, err
    assert ring.store == {("veille", "mastodon:social.example"): "s3cret-token"}


def test_errors_in_a_readable_config_are_shown_and_the_rest_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[veille]\nbrnd = "x"\n[[source]]\nkind = "hackernews"\nquery = "acme"\n')
    code, out, err = run(capsys, "--config", str(cfg), "--data-dir", str(tmp_path / "d"), "sources")
    assert code == 0
    assert f"veille: {cfg}:2: unknown key 'veille.brnd'" in err
    assert "hackernews:acme" in out and "demo" not in out


def test_the_console_does_not_open_on_a_config_it_cannot_read(broken: Path, tmp_path: Path) -> None:
    # Its screen would hide the error lines printed before it, and it would run the demo.
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    r = subprocess.run(
        [sys.executable, "-m", "tui", "--config", str(broken), "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 1
    assert r.stderr.splitlines()[-1].endswith("fix it, or choose another with --config")
    assert not (tmp_path / "d").exists()
