"""A report period reaching back to year 1, or ahead to year 9999, is a clear answer.

The figures compare the period with the one just before it: for `--since 0001-01-02`
that earlier period starts before the first representable date, and the report
died with an OverflowError. A period of centuries also meant a bar per day, millions
of them, in every chart.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from inbox.metrics import compute
from inbox.rows import row_from_mention
from tests.insights.conftest import CATS, NOW, mention
from tui.cli import main


def test_a_previous_period_before_year_one_starts_at_year_one() -> None:
    since = datetime(1, 1, 2, tzinfo=timezone.utc)
    rows = [row_from_mention(mention("a", "hello", at=NOW - timedelta(days=1)))]
    ins = compute(rows, since, NOW, now=NOW, categories=CATS, with_terms=False)
    assert ins.total == 1 and ins.previous_total == 0


@pytest.fixture()
def iso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    post = {"id": "1", "text": "Where is my order?", "created_at": "2026-11-20T10:00:00Z"}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(post) + "\n"))
    args = ["--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path / "d")]
    assert main([*args, "ingest", "-"]) == 0
    return args


@pytest.mark.parametrize(
    "period",
    [["--since", "0001-01-02"], ["--since", "7d", "--until", "9999-12-31"], ["--since", "99999w"]],
    ids=["year-1", "year-9999", "99999w"],
)
def test_a_period_of_centuries_is_a_usage_error(
    iso: list[str], capsys: pytest.CaptureFixture[str], period: list[str]
) -> None:
    capsys.readouterr()
    assert main([*iso, "report", *period]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("veille: a report covers at most 20 years") and err.count("\n") == 1


def test_twenty_years_back_is_a_report(iso: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main([*iso, "report", "--since", "990w", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["total"] == 1
