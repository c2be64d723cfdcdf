"""``waitingroom purge``, ``backup`` and ``restore``: a lead's tools for the store.

Their output is for leads and operators, not for people in crisis, so the words live
here. They print numbers and paths only, never anything a person said.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings, load_settings
from bot.upkeep import describe

from .backup import BackupError, backup, restore
from .store import Store

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


def configure(commands: Any) -> None:
    """Add ``purge``, ``backup`` and ``restore`` to the ``waitingroom`` command."""
    p = commands.add_parser(
        "purge",
        help="delete what is older than the retention period now",
        description="Delete messages, replies and people not in touch for longer than "
        "retention.days (WAITINGROOM_CONFIG; default 90). Anonymous counts are kept. "
        "The running service does this every hour by itself.",
    )
    p.add_argument("--dry-run", action="store_true", help="count what would go; delete nothing")
    p.set_defaults(run=_command(_purge))

    p = commands.add_parser(
        "backup",
        help="copy the database to PATH, safely while the service runs",
        description="A consistent copy of WAITINGROOM_DB through SQLite's online backup API.",
    )
    p.add_argument("path", type=Path, help="the new backup file (must not exist)")
    p.set_defaults(run=_command(_backup))

    p = commands.add_parser(
        "restore",
        help="replace the database with a backup from PATH",
        description="Check the backup's integrity, copy it over WAITINGROOM_DB and migrate "
        "it to this version. Stop the service first.",
    )
    p.add_argument("path", type=Path, help="the backup file")
    p.add_argument(
        "--force", action="store_true", help="restore even though the database is in use"
    )
    p.set_defaults(run=_command(_restore))


def _command(
    action: Callable[[argparse.Namespace, Settings], int],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            settings = load_settings()
        except ConfigError as error:
            print(f"waitingroom: configuration error\n{error}", file=sys.stderr)
            return EXIT_CONFIG
        try:
            return action(args, settings)
        except BackupError as error:
            print(f"waitingroom: {error}", file=sys.stderr)
            return EXIT_FAILED

    return run


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    async def purge() -> str:
        async with Store(settings.database) as store:
            keep = timedelta(days=settings.file.retention.days)
            return describe(await store.purge(store.clock(), keep, dry_run=args.dry_run))

    print(asyncio.run(purge()))
    return EXIT_OK


def _not_on_postgres(settings: Settings) -> bool:
    if settings.db_url is None:
        return False
    print(
        "waitingroom: backup and restore copy the SQLite file; on PostgreSQL use"
        " pg_dump and pg_restore",
        file=sys.stderr,
    )
    return True


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    if _not_on_postgres(settings):
        return EXIT_CONFIG
    size = backup(settings.db_path, args.path)
    print(f"backed up {settings.db_path} to {args.path} ({size} bytes)")
    return EXIT_OK


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    if _not_on_postgres(settings):
        return EXIT_CONFIG
    version = restore(args.path, settings.db_path, force=args.force)

    async def migrate() -> None:
        async with Store(settings.database):
            pass  # opening migrates

    asyncio.run(migrate())
    print(f"restored {settings.db_path} from {args.path} (schema {version}, now migrated)")
    return EXIT_OK
