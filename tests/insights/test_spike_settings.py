"""`[alerts]` numbers that are not finite, or absurd, fall back to the defaults and are named.

`min_count = inf` raised OverflowError where the console builds its spike detector;
`window_days = nan` or `1e300` went through unchecked.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from inbox.config import load_config
from inbox.spikes import SpikeDetector

DEFAULT = SpikeDetector.from_config({})


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e300])
@pytest.mark.parametrize("name", ["window_days", "threshold", "min_count"])
def test_a_value_out_of_reason_falls_back_to_its_default(name: str, value: float) -> None:
    d = SpikeDetector.from_config({name: value})
    assert (d.window_h, d.threshold, d.min_count) == (
        DEFAULT.window_h,
        DEFAULT.threshold,
        DEFAULT.min_count,
    )


@pytest.mark.parametrize("value", ["inf", "nan", "1e300"])
def test_the_config_names_it(tmp_path: Path, value: str) -> None:
    p = tmp_path / "config.toml"
    p.write_text(f"[alerts]\nmin_count = {value}\n")
    assert [str(e) for e in load_config(p).errors] == [
        f"{p}:2: alerts.min_count must be a number from 1 to 1000000"
    ]


def test_sane_values_are_kept() -> None:
    d = SpikeDetector.from_config({"window_days": 14, "threshold": 2.5, "min_count": 4})
    assert (d.window_h, d.threshold, d.min_count) == (14 * 24, 2.5, 4)
