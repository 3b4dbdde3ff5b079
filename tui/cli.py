"""The `veille` command line.

`veille` alone opens the console. Every other command is a module in
tui/commands/ with `register(sub)` and `run(args, ctx) -> int`, found at start.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import Any

import tui.commands
from inbox import StoreError
from tui.context import Context, default_config_path, default_data_dir
from tui.safe import one_line

__all__ = ["main", "build_parser"]


class VeilleParser(argparse.ArgumentParser):
    """Every command and subcommand takes --config and --data-dir."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--config",
            metavar="FILE",
            default=argparse.SUPPRESS,
            help=f"config file (default: $VEILLE_CONFIG or {_help_path(default_config_path())})",
        )
        self.add_argument(
            "--data-dir",
            metavar="DIR",
            default=argparse.SUPPRESS,
            help=f"data directory (default: $VEILLE_DATA_DIR or {_help_path(default_data_dir())})",
        )


def _help_path(path: object) -> str:
    return str(path).replace("%", "%%")  # argparse %-formats help text


def build_parser() -> argparse.ArgumentParser:
    p = VeilleParser(
        prog="veille",
        description="veille: a keyboard-driven console for social listening. "
        "With no command, opens the console.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=VeilleParser)
    for mod in sorted(pkgutil.iter_modules(tui.commands.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"tui.commands.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context.from_args(getattr(args, "config", None), getattr(args, "data_dir", None))
    for err in ctx.config.errors:
        print(f"veille: {one_line(err)}", file=sys.stderr)  # quotes the file: inert
    if _unreadable(ctx) and getattr(args, "needs_config", True):
        # Carrying on would run on the embedded default: the demo polled into the
        # user's store, the user's rule files left out, all with exit status 0.
        print(
            f"veille: {ctx.config_path} cannot be read: fix it, or choose another with --config",
            file=sys.stderr,
        )
        return 1
    try:
        if getattr(args, "func", None) is None:
            if args.command:
                # A command that needs an action (`veille auth`) was given none.
                _subparser(parser, args.command).print_help(sys.stderr)
                return 2
            from tui.app import run_app

            return run_app(ctx)
        return int(args.func(args, ctx) or 0)
    except StoreError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        ctx.close()


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            sub: argparse.ArgumentParser = action.choices[name]
            return sub
    return parser


def _unreadable(ctx: Context) -> bool:
    """The config file is there but could not be parsed (syntax, encoding, a directory)."""
    return ctx.config_path.exists() and not ctx.config.exists


if __name__ == "__main__":
    sys.exit(main())
