"""``waitingroom supporters``: add, list and reset supporters from the command line.

Its output is for leads setting up the service, not for people in crisis, so its words
live here. It uses the same store as the service (``WAITINGROOM_DB``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.store import Store, StoreContract
from bot.store.staff import NameTaken

from . import models, passwords
from .models import InvalidField, Role

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Add ``add``, ``list`` and ``reset-password`` to the ``supporters`` command."""
    actions = parser.add_subparsers(dest="supporters_action", required=True, metavar="ACTION")

    add = actions.add_parser(
        "add",
        help="add a supporter or lead; prints a one-time password",
        description="Add an account. A one-time password is printed once (or read from "
        "standard input with --password-stdin); it must be changed at first login.",
    )
    add.add_argument("name", help="login name (lower case, e.g. ann.b)")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.SUPPORTER.value)
    add.add_argument("--display-name", help="the first name people see (default: the name)")
    add.add_argument(
        "--cap",
        type=int,
        default=models.DEFAULT_CAP,
        help=f"conversations at once, {models.MIN_CAP}-{models.MAX_CAP} "
        f"(default {models.DEFAULT_CAP})",
    )
    add.add_argument("--tags", default="", help="comma-separated, e.g. carer,language:pl")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the one-time password from standard input instead of making one",
    )

    actions.add_parser("list", help="list every account", description="List every account.")

    reset = actions.add_parser(
        "reset-password",
        help="give an account a new one-time password",
        description="Print a new one-time password; it must be changed at next login. "
        "Every session of that account ends.",
    )
    reset.add_argument("name")


def run(args: argparse.Namespace, db_path: Path | str) -> int:
    try:
        return asyncio.run(_run(args, db_path))
    except InvalidField as error:
        print(f"waitingroom supporters: invalid {error.field.replace('_', ' ')}", file=sys.stderr)
        return EXIT_USAGE


async def _run(args: argparse.Namespace, db_path: Path | str) -> int:
    async with Store(db_path) as store:
        if args.supporters_action == "add":
            return await _add(store, args)
        if args.supporters_action == "list":
            return await _list(store)
        if args.supporters_action == "reset-password":
            return await _reset(store, args.name)
    return EXIT_USAGE


async def _add(store: StoreContract, args: argparse.Namespace) -> int:
    name = models.login_name(args.name)
    shown = models.display_name(args.display_name or args.name)
    cap = models.caseload_cap(args.cap)
    tags = models.tags(args.tags)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if len(password) < passwords.MIN_LENGTH:
            print(
                f"waitingroom supporters: a password needs {passwords.MIN_LENGTH}+ characters",
                file=sys.stderr,
            )
            return EXIT_USAGE
    else:
        password = passwords.one_time_password()
    try:
        added = await store.staff.add_supporter(
            name,
            shown,
            Role(args.role),
            passwords.hash_password(password),
            caseload_cap=cap,
            tags=tags,
        )
    except NameTaken:
        print(f"waitingroom supporters: {name} exists already", file=sys.stderr)
        return EXIT_FAILED
    print(f"Added {added.role.value} {added.name} (shown to people as {added.display_name}).")
    if not args.password_stdin:
        print(f"One-time password (shown once, changed at first login): {password}")
    return EXIT_OK


async def _list(store: StoreContract) -> int:
    rows = [("name", "display name", "role", "cap", "tags", "on shift", "telegram", "status")]
    for s in await store.staff.list():
        rows.append(
            (
                s.name,
                s.display_name,
                s.role.value,
                str(s.caseload_cap),
                ",".join(s.tags) or "-",
                "yes" if s.on_shift else "no",
                "linked" if s.telegram_chat_id else "-",
                "active" if s.active else "disabled",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK


async def _reset(store: StoreContract, name: str) -> int:
    supporter = await store.staff.by_name(name)
    if supporter is None:
        print(f"waitingroom supporters: no account called {name}", file=sys.stderr)
        return EXIT_FAILED
    password, hashed = passwords.reset()
    await store.staff.set_password(supporter.id, hashed, must_change=True)
    print(f"One-time password for {supporter.name} (shown once, changed at next login): {password}")
    return EXIT_OK
