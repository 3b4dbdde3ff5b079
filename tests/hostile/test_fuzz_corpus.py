"""The corpus-driven feed fuzzer (scripts/fuzz_feeds.py), short in `make test`, long in stress.

Its corpus is the feed files the tests carry plus ../shared/fixtures when present;
the target is zero crashes: every input parses or is refused in one line.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz_feeds.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_feeds", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_feeds"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_corpus_itself_parses_cleanly() -> None:
    fz = load()
    t = fz.fuzz(mutations=0, seed=1, use_shared=True)
    assert t.runs >= 20 and not t.crashes and not t.invalid, (t.crashes, t.invalid)
    assert t.posts > 20


def test_mutated_corpus_never_crashes() -> None:
    fz = load()
    t = fz.fuzz(mutations=int(os.environ.get("VEILLE_FUZZ_MUTATIONS", "12")), seed=5)
    print(f"fuzz: {t.runs} parses, {len(t.crashes)} crashes, {len(t.slow)} slow")
    assert not t.crashes, t.crashes[:5]
    assert not t.invalid, t.invalid[:5]


@pytest.mark.stress
@pytest.mark.timeout(3600)
def test_mutated_corpus_long_run() -> None:
    fz = load()
    t = fz.fuzz(mutations=int(os.environ.get("VEILLE_FUZZ_MUTATIONS", "400")), seed=11)
    print(f"fuzz (stress): {t.runs} parses, {len(t.crashes)} crashes, {len(t.slow)} slow")
    assert not t.crashes, t.crashes[:5]
    assert not t.invalid and not t.slow, (t.invalid[:5], t.slow[:5])
