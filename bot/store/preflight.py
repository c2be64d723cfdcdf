"""Before serving: the SQLite file can be opened and written, and no other service has it.

Both failures would otherwise come out of uvicorn's lifespan as a traceback, a hang or
two services answering every person twice; here each is one line naming the setting,
and the CLI exits 2.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from pathlib import Path
from typing import IO


class StoreUnusable(Exception):
    """The database cannot be used; the message names WAITINGROOM_DB and says why."""


def check_sqlite(path: Path) -> None:
    """Open the file (making its folder), read its header and take the write lock once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(path, timeout=5, isolation_level=None)) as db:
            db.execute("PRAGMA schema_version").fetchone()  # reads the header
            db.execute("BEGIN IMMEDIATE")  # proves it can be written
            db.execute("ROLLBACK")
    except sqlite3.DatabaseError as error:
        problem = str(error)
        if "not a database" in problem or "malformed" in problem:
            problem = "not a SQLite database, or damaged (restore a backup)"
        raise StoreUnusable(f"WAITINGROOM_DB: {path}: {problem}") from error
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise StoreUnusable(
            f"WAITINGROOM_DB: {path}: cannot be created or written ({reason})"
        ) from error


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class ServiceLock:
    """An OS lock on a file beside the database, held for as long as this process runs:
    a second service on the same SQLite file would answer every person twice."""

    def __init__(self, path: Path) -> None:
        self.path = lock_path(path)
        self._handle: IO[str] | None = None

    def acquire(self) -> ServiceLock:
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StoreUnusable(
                f"WAITINGROOM_DB: {self.path.with_suffix('')} is in use by another"
                f" waitingroom serve (pid {holder}); one service per SQLite file"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
