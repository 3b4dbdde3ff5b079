"""Exit status 2 means "you used it wrong": a script can tell it from 1 (errors found)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def veille(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    return subprocess.run(
        [sys.executable, "-m", "tui", *iso, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("cmd", [["auth"], ["rules"]], ids=lambda c: " ".join(c))
def test_a_command_without_its_action_is_a_usage_error(tmp_path: Path, cmd: list[str]) -> None:
    r = veille(tmp_path, *cmd)
    assert r.returncode == 2, r
    assert r.stdout == ""
    assert f"usage: veille {cmd[0]}" in r.stderr
    assert not (tmp_path / "d").exists()


def test_help_prints_where_config_and_data_live_by_default(tmp_path: Path) -> None:
    # The README promises it: `veille --help` prints the defaults.
    from tui.context import default_config_path, default_data_dir

    r = subprocess.run(
        [sys.executable, "-m", "tui", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert r.returncode == 0
    assert str(default_config_path()) in r.stdout
    assert str(default_data_dir()) in r.stdout
