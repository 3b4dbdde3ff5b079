"""`veille auth set|delete SERVICE`: tokens and app passwords, in the keyring only.

The secret is read without echo (getpass) from the terminal, or as one line
from stdin when stdin is not a terminal (scripts); it is never printed,
logged or written to a file.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from sources.auth import CredentialError, check_service, delete_secret, set_secret
from tui.context import Context


def register(sub: Any) -> None:
    p = sub.add_parser(
        "auth",
        help="store or forget a token or app password in the system keyring",
        description="SERVICE is mastodon:INSTANCE (an access token) or bluesky:HANDLE "
        "(an app password). Secrets live only in the system keyring.",
    )
    p.set_defaults(needs_config=False)  # secrets live in the keyring, not the config
    sp = p.add_subparsers(dest="auth_action", metavar="ACTION")
    sp_set = sp.add_parser("set", help="store a secret (read without echo)")
    sp_set.add_argument("service", metavar="SERVICE")
    sp_set.set_defaults(func=run_set)
    sp_del = sp.add_parser("delete", help="forget a secret")
    sp_del.add_argument("service", metavar="SERVICE")
    sp_del.set_defaults(func=run_delete)


def run(args: argparse.Namespace, ctx: Context) -> int:
    return int(args.func(args, ctx))


def _read_secret(service: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(f"secret for {service} (not shown): ")
    return sys.stdin.readline().rstrip("\r\n")


def run_set(args: argparse.Namespace, ctx: Context) -> int:
    try:
        service = check_service(args.service)  # before asking for a secret it cannot keep
    except CredentialError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 1
    try:
        secret = _read_secret(service)
    except (EOFError, KeyboardInterrupt):
        print("veille: nothing stored", file=sys.stderr)
        return 1
    try:
        set_secret(service, secret.strip())
    except CredentialError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 1
    print(f"stored the secret for {service} in the keyring")
    return 0


def run_delete(args: argparse.Namespace, ctx: Context) -> int:
    try:
        service = check_service(args.service)
        existed = delete_secret(service)
    except CredentialError as exc:
        print(f"veille: {exc}", file=sys.stderr)
        return 1
    print(f"forgot the secret for {service}" if existed else f"no secret for {service}")
    return 0
