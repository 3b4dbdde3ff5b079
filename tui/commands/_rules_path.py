"""`--rules DIR` and `[rules] dirs`: a path that cannot hold rules is said, not skipped."""

from __future__ import annotations

from pathlib import Path

__all__ = ["rules_path_error"]


def rules_path_error(path: Path) -> str | None:
    """Why PATH cannot hold rules, or None when it can.

    The loader skips such a path without a word, leaving the default packs alone
    in force: a mistyped --rules would give verdicts from rules the user does not have.
    """
    if not path.exists():
        return f"{path}: no such rules directory or .toml file"
    if not path.is_dir() and path.suffix != ".toml":
        return f"{path}: not a rules directory or .toml file"
    return None
