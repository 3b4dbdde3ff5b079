"""A mention stored with a lone surrogate (ingested before such lines were refused) does not
stop a report: it used to end every format with UnicodeEncodeError."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.models import Post
from tui.cli import main
from tui.context import Context


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "file"])
def test_every_format_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, to_file: bool
) -> None:
    ctx = Context.from_args(str(tmp_path / "none.toml"), str(tmp_path / "d"))
    try:
        ctx.open_inbox().ingest(
            [Post(id="ingest:a\ud800", text="where is my order?", author="b\udfff")]
        )
    finally:
        ctx.close()
    out_file = tmp_path / f"r.{fmt}"
    iso = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    extra = ["--out", str(out_file)] if to_file else []
    assert main([*iso, "report", "--format", fmt, *extra]) == 0
    text = out_file.read_text(encoding="utf-8") if to_file else capsys.readouterr()[0]
    text.encode("utf-8")
    assert "1" in text
