"""Backup and restore of the SQLite file, safe while the service runs.

Backup uses SQLite's online backup API: a consistent copy of the whole database as
of one moment, taken alongside the service's own writer (WAL lets both go on).
Restore checks the copy first, refuses a database another process has open unless
forced, copies it in with the same API and migrates it to this version's schema.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from .database import LATEST_VERSION


class BackupError(Exception):
    """A backup or restore was refused; the message says why."""


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    return sqlite3.connect(path, timeout=5)


def check(path: Path) -> int:
    """Check a database file is whole and ours; returns its schema version."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with contextlib.closing(_connect(path, read_only=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"{path}: failed the integrity check: {problems[0]}")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: not a database ({error})") from error
    if version < 1 or "people" not in tables:
        raise BackupError(f"{path}: not a Waiting Room database")
    if version > LATEST_VERSION:
        raise BackupError(
            f"{path}: made by a newer version (schema {version}, this one knows {LATEST_VERSION})"
        )
    return version


def backup(database: Path, target: Path) -> int:
    """Copy the live database to a new file; returns the copy's size in bytes."""
    if target.exists():
        raise BackupError(f"{target}: already exists; choose a new name")
    check(database)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with (
        contextlib.closing(_connect(database)) as source,
        contextlib.closing(_connect(partial)) as copy,
    ):
        source.backup(copy)
        # One self-contained file, whatever journal mode the source uses.
        copy.execute("PRAGMA journal_mode = DELETE")
    check(partial)
    partial.rename(target)
    return target.stat().st_size


def in_use(database: Path) -> bool:
    """Whether another connection has the database open.

    Leaving WAL mode needs the only connection to the file, so failing to do it means
    someone else (a running service) is there."""
    if not database.exists():
        return False
    with contextlib.closing(sqlite3.connect(database, timeout=0)) as conn:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            return True
    return str(mode).lower() != "delete"


def restore(source: Path, database: Path, *, force: bool = False) -> int:
    """Replace the database with a checked backup; returns the backup's schema version.

    The caller migrates the result (opening a Store does) to this version's schema."""
    version = check(source)
    if not force and in_use(database):
        raise BackupError(
            f"{database}: in use (is the service running?); stop it first, or use --force"
        )
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(_connect(source, read_only=True)) as backup_copy,
        contextlib.closing(_connect(database)) as live,
    ):
        backup_copy.backup(live)
    return version
