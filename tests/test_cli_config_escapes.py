"""Config errors quote what the file says; a terminal escape in it is printed inert.

A config can be handed around (a team's shared file, a gist); its keys and source
names reached the terminal raw through the error lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main

CONFIG = (
    '"\\u001b[2Jevil" = 1\n'
    '[[source]]\nkind = "bogus"\nname = "n\\u001b]0;owned\\u0007"\n'
    '[[source]]\nkind = "hackernews"\nquery = "acme"\n'
)


@pytest.mark.parametrize("cmd", [["sources", "list"], ["fetch", "--once", "--source", "x"]])
def test_config_error_lines_carry_no_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cmd: list[str]
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    main(["--config", str(cfg), "--data-dir", str(tmp_path / "d"), *cmd])
    out, err = capsys.readouterr()
    text = out + err
    assert "unknown section '[2Jevil'" in text
    assert "source #1 (n]0;owned)" in text
    assert not [c for c in text if ord(c) < 32 and c != "\n"], text
