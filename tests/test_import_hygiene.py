"""The core never imports the UI, and sources/rules never import each other or the inbox."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys, importlib, pkgutil
pkg = importlib.import_module({pkg!r})
for m in pkgutil.walk_packages(pkg.__path__, {pkg!r} + "."):
    importlib.import_module(m.name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in {forbidden!r})
print(",".join(bad))
"""


@pytest.mark.parametrize(
    ("pkg", "forbidden"),
    [
        ("sources", {"textual", "inbox", "rules", "tui", "tinydb"}),
        ("rules", {"textual", "inbox", "sources", "tui", "tinydb", "httpx"}),
        ("inbox", {"textual", "tui"}),
    ],
)
def test_package_imports_stay_in_their_lane(pkg: str, forbidden: set[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK.format(pkg=pkg, forbidden=forbidden)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip() == "", f"{pkg} imports {out.stdout.strip()}"


@pytest.mark.parametrize("pkg", ["sources", "rules", "inbox"])
def test_public_surface_is_exported(pkg: str) -> None:
    import importlib

    mod = importlib.import_module(pkg)
    assert mod.__all__, f"{pkg} declares its public surface"
    missing = [n for n in mod.__all__ if not hasattr(mod, n)]
    assert missing == []
