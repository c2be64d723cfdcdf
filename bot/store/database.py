"""The store's database seam, and its default: one SQLite file (a single writer behind
a lock, a separate reader, schema migrations).

``Database(where)`` opens a SQLite file for a path and PostgreSQL for a
``postgresql://`` URL (bot/store/postgres.py, whose docstring is the guide to writing
SQL that runs on both). Store code sees only ``write()`` and ``read()``.

aiosqlite coroutines sharing a connection interleave inside transactions, so every
write goes through ``write()``: one lock, ``BEGIN IMMEDIATE``, commit or roll back.

``write(key=…)`` names what a write touches (``Key``): on PostgreSQL, writes with no
key in common run side by side; a write with no key excludes every other (as every
write does on SQLite, which has one writer whatever the key).
"""

from __future__ import annotations

import asyncio
import importlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from .writer_lock import WriterLock

Done = TypeVar("Done")

_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
    # Deleted rows are overwritten with zeros, not left in free space for anyone who
    # reads the file: "forget me" and retention must mean it (issue 13).
    "PRAGMA secure_delete = ON",
)


def migrations() -> list[tuple[int, str]]:
    """Every migration as (schema version, SQL), in order."""
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


LATEST_VERSION = migrations()[-1][0]

# What a keyed write touches: one key or several. A key names rows that only writes
# with the same key change ("person:p-…", "address:telegram:…", "outbox:17"); a write
# that reads and then changes rows other writes share (queue places, handoff ids, the
# desk, reports) takes no key.
Key = str | Sequence[str] | None


def keys_of(key: Key) -> tuple[str, ...] | None:
    """The write's keys, each once, sorted (None: a key-less, exclusive write)."""
    if key is None:
        return None
    return tuple(sorted({key} if isinstance(key, str) else set(key)))


def _greatest(*values: Any) -> Any:
    # PostgreSQL's GREATEST/LEAST skip NULLs; SQLite's scalar MAX/MIN do not.
    return max((v for v in values if v is not None), default=None)


def _least(*values: Any) -> Any:
    return min((v for v in values if v is not None), default=None)


def _strpos(text: str | None, part: str | None) -> int | None:
    if text is None or part is None:
        return None
    return text.find(part) + 1


async def _connect(path: Path) -> aiosqlite.Connection:
    connection = await aiosqlite.connect(path, isolation_level=None)
    connection.row_factory = aiosqlite.Row
    for pragma in _PRAGMAS:
        await connection.execute(pragma)
    # Portable SQL: the larger/smaller of two values is GREATEST/LEAST in both databases.
    await connection.create_function("GREATEST", -1, _greatest, deterministic=True)
    await connection.create_function("LEAST", -1, _least, deterministic=True)
    # strpos(text, part): PostgreSQL's name for SQLite's instr (1-based; 0 if absent).
    await connection.create_function("strpos", 2, _strpos, deterministic=True)
    return connection


async def schema_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection, target: int = LATEST_VERSION) -> int:
    """Apply every migration above the file's version, each in its own transaction."""
    current = await schema_version(connection)
    for version, sql in migrations():
        if current < version <= target:
            try:
                await connection.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
                )
            except BaseException:
                if connection.in_transaction:
                    await connection.execute("ROLLBACK")
                raise
            current = version
    return current


def is_postgres(where: object) -> bool:
    """Whether ``where`` is a PostgreSQL URL (bot/store/postgres.py serves it)."""
    return isinstance(where, str) and where.startswith(("postgresql://", "postgres://"))


class Database:
    """Where the store lives: ``Database(path)`` is a SQLite file, ``Database(url)`` with
    a ``postgresql://`` URL is PostgreSQL. Both give the same ``write()``/``read()``."""

    # Other implementations register here by subclassing with ``serves``, so this module
    # never imports them (``bot.store.postgres`` imports this one). ``bot.store`` names
    # each with ``later``: imported at the first ``Database(...)`` it is for, so a
    # process on a SQLite file (each CLI command, each test's serve) never loads psycopg.
    _others: list[type[Database]] = []  # noqa: RUF012 (class-level registry, on purpose)
    _later: list[tuple[Callable[[object], bool], str]] = []  # noqa: RUF012 (likewise)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.serves is not Database.serves:
            Database._others.append(cls)

    @staticmethod
    def later(serves: Callable[[object], bool], module: str) -> None:
        """Register the implementation in ``module`` for what ``serves`` accepts, to be
        imported when first wanted."""
        Database._later.append((serves, module))

    @staticmethod
    def serves(where: object) -> bool:
        """Whether this implementation is the one for ``where`` (a URL or a path)."""
        return False

    def __new__(cls, where: Path | str, *args: Any, **kwargs: Any) -> Database:
        if cls is Database:
            for serves, module in Database._later:
                if serves(where):
                    importlib.import_module(module)  # registers itself by subclassing
            found = [other for other in Database._others if other.serves(where)]
            cls = found[0] if found else SqliteDatabase
        return super().__new__(cls)

    async def open(self, target: int = LATEST_VERSION) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    def write(self, first: bool = False, key: Key = None) -> AbstractAsyncContextManager[Any]:
        """One write transaction; the connection has aiosqlite's ``execute``.

        ``key``: the write touches only rows of that key (or keys), so it may run beside
        writes of other keys. None: it may read and change anything, and runs alone."""
        raise NotImplementedError

    async def run(
        self,
        work: Callable[[Any], Coroutine[Any, Any, Done]],
        first: bool = False,
        key: Key = None,
    ) -> Done:
        """``work(conn)`` as one write transaction, as ``write()`` would run it; ``work``
        must await nothing but the connection's ``execute`` and its cursors, so that an
        implementation may run all of it in one step where its connection lives (SQLite:
        its thread, one hop for the whole transaction instead of one per statement)."""
        async with self.write(first=first, key=key) as conn:
            return await work(conn)

    async def read(
        self, sql: str, params: Iterable[Any] = (), background: bool = False
    ) -> list[Any]:
        """Rows of one query. ``background``: a read for work nobody holds an HTTP
        request open for (turns, the outbox), kept apart from a webhook's reads where
        the implementation can (SQLite: a reader connection of its own)."""
        raise NotImplementedError

    # More than one process on one database (PostgreSQL only). A SQLite file has one
    # service process, so it is always the leader and its news never leaves it.
    shared = False

    async def lead(self, job: str) -> bool:
        """True if this process should run ``job`` (the queue clock, check-ins, purge)
        now: exactly one process holds each job at a time."""
        return True

    async def scrub(self) -> bool:
        """Make deleted rows unreadable in the raw files too (SQLite: its WAL); True when
        done. A server database keeps no file of ours to scrub."""
        return True

    async def publish(self, payload: str) -> None:
        """Tell every other process sharing the database (news of a person)."""

    async def listen(self, heard: Callable[[str], None]) -> None:
        """Call ``heard`` with what other processes publish, until cancelled."""
        await asyncio.Event().wait()


class SqliteDatabase(Database):
    """The writer and reader connections to one SQLite file.

    Two readers: one for what a request waits on (a webhook's look-ups, the dashboard),
    one for the background's turns and outbox. Each aiosqlite connection is one thread
    running one query at a time, so with a single reader a webhook's look-up queued
    behind every read of the turns being taken; in WAL mode the two read side by side."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = WriterLock()
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._background: aiosqlite.Connection | None = None

    async def open(self, target: int = LATEST_VERSION) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await _connect(self.path)
        try:
            await migrate(self._writer, target)
            self._reader = await _connect(self.path)
            self._background = await _connect(self.path)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        for connection in (self._background, self._reader, self._writer):
            if connection is not None:
                await connection.close()
        self._background = self._reader = self._writer = None

    @asynccontextmanager
    async def write(
        self, first: bool = False, key: Key = None
    ) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time; rolled back on any exception or cancellation.

        ``first``: this write stores what a person just sent, so it goes before any
        other waiting write (see ``writer_lock``). ``key`` changes nothing here: a SQLite
        file has one writer connection, so every write is exclusive."""
        assert self._writer is not None, "database is not open"
        await self._lock.acquire(first)
        try:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")
        finally:
            self._lock.release()

    async def scrub(self) -> bool:
        """Copy the write-ahead log into the file and empty it, so the old versions of
        deleted rows it holds are gone from disk too; True if it completed (a reader in
        the middle of a long read can hold it off: then the next scrub finishes it)."""
        assert self._writer is not None, "database is not open"
        await self._lock.acquire()
        try:
            async with self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                row = await cursor.fetchone()
        finally:
            self._lock.release()
        return row is not None and int(row[0]) == 0

    async def read(
        self, sql: str, params: Iterable[Any] = (), background: bool = False
    ) -> list[Any]:
        reader = self._background if background else self._reader
        assert reader is not None, "database is not open"
        # One trip to the reader's thread (execute, fetch and close as one), not three.
        return list(await reader.execute_fetchall(sql, tuple(params)))

    async def run(
        self,
        work: Callable[[Any], Coroutine[Any, Any, Done]],
        first: bool = False,
        key: Key = None,
    ) -> Done:
        """The whole transaction in the writer's thread at once: begin, ``work`` on the
        plain sqlite3 connection, commit (or roll back on any exception), one hop from
        the event loop. Each aiosqlite statement is a hop there and back, and under load
        those hops, not SQLite, were most of the inbox's cost (issue 18's profile)."""
        writer = self._writer
        assert writer is not None, "database is not open"

        def transaction(raw: sqlite3.Connection) -> Done:
            raw.execute("BEGIN IMMEDIATE")
            try:
                done = _drive(work(_SyncConnection(raw)))
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            return done

        await self._lock.acquire(first)
        try:
            # aiosqlite runs every call on its connection's one thread, in order, so this
            # is serialised with the connection's other statements. (``_execute`` is how
            # aiosqlite's own methods do it; it has no public way to run a function.)
            result: Done = await writer._execute(  # type: ignore[no-untyped-call]
                lambda: transaction(writer._conn)
            )
            return result
        finally:
            self._lock.release()


class _SyncCursor:
    """A sqlite3 cursor with aiosqlite's awaitable reads, for ``_drive``."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()


class _SyncResult:
    """What ``execute`` gives: awaited or ``async with``, like aiosqlite's, but the
    statement has already run."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = _SyncCursor(cursor)

    def __await__(self) -> Any:
        return self._value().__await__()

    async def _value(self) -> _SyncCursor:
        return self._cursor

    async def __aenter__(self) -> _SyncCursor:
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        self._cursor._cursor.close()


class _SyncConnection:
    """A plain sqlite3 connection shaped like aiosqlite's for the store's write code."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _SyncResult:
        return _SyncResult(self._raw.execute(sql, tuple(params)))

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> _SyncCursor:
        return _SyncCursor(self._raw.executemany(sql, [tuple(p) for p in seq]))


def _drive(work: Coroutine[Any, Any, Done]) -> Done:
    """Run a coroutine that never truly waits (it awaits only ``_SyncConnection``) to
    its end, here and now; one that does wait is a mistake, refused and rolled back."""
    try:
        work.send(None)
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]
    work.close()
    raise RuntimeError("a write given to Database.run waited on something else")
