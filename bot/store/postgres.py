"""The store on PostgreSQL (``WAITINGROOM_DB=postgresql://…``): the same ``Database``
seam as the SQLite file, so every Store class runs unchanged on either.

psycopg 3 (async) behind a psycopg_pool pool. ``write()`` hands out a connection
wrapper that looks like the part of aiosqlite the store uses: ``execute`` returns an
awaitable that is also an async context manager, the cursor has ``fetchone`` /
``fetchall`` / ``rowcount``, rows read by name and by index, ``executemany`` exists and
constraint failures raise ``sqlite3.IntegrityError`` (so ``except`` clauses in the store
need not know which database it is).

Writes across processes, by transaction-scoped advisory locks. A key-less write takes
the one database-wide write lock exclusively, so it is serialised against every other
write exactly as SQLite's ``BEGIN IMMEDIATE`` serialises them: the store's
read-then-write methods keep their meaning with two ``serve`` processes on one
database. A keyed write (``write(key=…)``: one person's turn, one address's inbound
messages, one reply's delivery marks) takes that lock SHARED, then an exclusive lock per
key, so keyed writes of different keys run at once (across processes and within one)
while a key-less write still runs alone. No deadlock between these locks: every
transaction takes the write lock first and its keys after, in ascending order, all in
one statement, and holds them to its end; a key-less write takes no key.

Portable SQL (for anyone adding a store method; both databases run the same string):

- Placeholders are ``?`` (never ``:name``). A literal ``%`` is fine (the wrapper
  escapes it for psycopg).
- Ids: ``INSERT … RETURNING id`` and ``fetchone()``; never ``cursor.lastrowid`` (raises
  here). SQLite has ``RETURNING`` since 3.35.
- ``INSERT … ON CONFLICT DO NOTHING`` / ``ON CONFLICT (col) DO UPDATE SET x =
  excluded.x``, never ``INSERT OR IGNORE`` / ``INSERT OR REPLACE``.
- ``GREATEST(a, b)`` / ``LEAST(a, b)`` for the larger / smaller of two values (SQLite
  gets them as functions from ``database.py``); ``MAX``/``MIN`` only as aggregates.
  Likewise ``strpos(text, part)``, not SQLite's ``instr``.
- Subqueries in ``FROM`` need an alias (``FROM (SELECT …) AS x``: PostgreSQL 15).
- Reserved words as column names (``by``) are double-quoted in the SQL.
- Flags are INTEGER 0/1 in both schemas: write ``WHERE urgent = 1``, not ``WHERE
  urgent``; count with ``SUM(CASE WHEN … THEN 1 ELSE 0 END)``, not ``SUM(a >= b)``.
  Python ``bool`` parameters are sent as 0/1.
- Times are ISO-8601 UTC text in both (``_iso()``), compared as strings; compute "now"
  in Python and pass it, never ``datetime('now')`` / ``now()``.
- ``COALESCE`` not ``IFNULL``; ``string_agg`` does not exist in SQLite and
  ``GROUP_CONCAT`` does not exist here: aggregate in Python.
- Aggregates over integers come back as ``int`` (``SUM``/``AVG`` of whole numbers) and
  ``float`` otherwise, as in SQLite.
- No ``PRAGMA``, no ``rowid``, no ``executescript`` in store methods.
- Case-insensitive names: the PostgreSQL schema gives those columns the ``nocase``
  collation, so ``WHERE name = ?`` behaves as SQLite's ``COLLATE NOCASE``.
- Schema changes: a migration in ``migrations/`` AND one with the same number in
  ``migrations_pg/`` (PostgreSQL types: ``BIGINT GENERATED ALWAYS AS IDENTITY`` for
  ``INTEGER PRIMARY KEY``, ``BIGINT`` for references to it, ``DOUBLE PRECISION`` for
  ``REAL``); ``tests/store`` runs every store test on both.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import psycopg
from psycopg import errors
from psycopg.adapt import Dumper, Loader
from psycopg.rows import RowMaker
from psycopg_pool import AsyncConnectionPool

from .database import LATEST_VERSION, Database, Key, is_postgres, keys_of
from .writer_lock import WriterLock

log = logging.getLogger("waitingroom.store")

# Any constant will do; both locks are keyed on the schema too, so tests (one schema
# each) and separate services in one database do not wait for each other.
_WRITE_LOCK = "waitingroom-write"
# The class of the keyed writes' locks (the two-number form of advisory locks, a key
# space apart from the one-number form the write lock above is in).
_KEY_LOCK = "waitingroom-key"
_MIGRATE_LOCK = "waitingroom-migrate"
_LEAD_LOCK = "waitingroom-lead"
# NOTIFY's channel for news of a person (a pseudonymous id, never anything they said).
NEWS = "waitingroom_news"


def migrations() -> list[tuple[int, str]]:
    """Every PostgreSQL migration as (schema version, SQL), in order."""
    folder = resources.files("bot.store") / "migrations_pg"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """Portable SQL to psycopg's: ``?`` outside quotes becomes ``%s``; ``%`` is escaped."""
    parts = _QUOTED.split(sql)
    out = []
    for n, part in enumerate(parts):
        part = part.replace("%", "%%")
        out.append(part if n % 2 else part.replace("?", "%s"))
    return "".join(out)


class Row(tuple[Any, ...]):
    """A result row readable by index and by column name, like ``sqlite3.Row``."""

    _names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            # PostgreSQL folds unquoted names to lower case; sqlite3.Row ignores case.
            index = self._names.get(key)
            return tuple.__getitem__(self, self._names[key.lower()] if index is None else index)
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: psycopg.AsyncCursor[Any]) -> RowMaker[Row]:
    names = {column.name: n for n, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        row = Row(values)
        row._names = names
        return row

    return make


class _BoolDumper(Dumper):
    """Flags are INTEGER 0/1 in both schemas (as SQLite stores bool parameters)."""

    oid = psycopg.adapters.types["int4"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumericLoader(Loader):
    """SUM/AVG return numeric here; SQLite gives int for whole numbers, else float."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


async def _configure(conn: psycopg.AsyncConnection[Any]) -> None:
    conn.adapters.register_dumper(bool, _BoolDumper)
    conn.adapters.register_loader("numeric", _NumericLoader)


class Cursor:
    """The rows of one statement, fetched eagerly (store queries are small)."""

    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount

    @property
    def lastrowid(self) -> int:
        raise NotImplementedError("use INSERT … RETURNING id (portable SQL)")

    async def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Row]:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    async def close(self) -> None:
        """As aiosqlite's: the rows were fetched already, so nothing is held."""
        self._next = len(self._rows)

    def __aiter__(self) -> AsyncIterator[Row]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Row]:
        while (row := await self.fetchone()) is not None:
            yield row


class _Result:
    """``await conn.execute(...)`` or ``async with conn.execute(...) as cursor``."""

    def __init__(self, connection: Connection, sql: str, params: Iterable[Any]) -> None:
        self._connection, self._sql, self._params = connection, sql, params

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._connection.run(self._sql, self._params).__await__()

    async def __aenter__(self) -> Cursor:
        return await self._connection.run(self._sql, self._params)

    async def __aexit__(self, *exc: object) -> None:
        return None


class Connection:
    """One pooled connection, speaking the aiosqlite dialect the store was written in."""

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Result:
        return _Result(self, sql, params)

    async def run(self, sql: str, params: Iterable[Any]) -> Cursor:
        async with self._conn.cursor(row_factory=_row_factory) as cursor:
            with _integrity():
                await cursor.execute(translate(sql), tuple(params))
            rows = await cursor.fetchall() if cursor.description else []
            return Cursor(rows, cursor.rowcount)

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> Cursor:
        async with self._conn.cursor() as cursor:
            with _integrity():
                await cursor.executemany(translate(sql), [tuple(p) for p in seq])
            return Cursor([], cursor.rowcount)


class _integrity:
    """PostgreSQL's constraint errors as SQLite's, with SQLite's words for unique ones."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> None:
        if isinstance(error, errors.UniqueViolation):
            raise sqlite3.IntegrityError(
                f"UNIQUE constraint failed: {error.diag.constraint_name}"
            ) from error
        if isinstance(error, errors.IntegrityError):
            raise sqlite3.IntegrityError(str(error)) from error


def key_number(key: str) -> int:
    """A write key as a signed 32-bit number, the same in every process (two keys that
    share one only wait for each other: slower, never wrong)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), signed=True)


# The write lock shared, then each key exclusive, in the array's order (ascending):
# rows of a function scan come in order, and the CASE takes each lock as its row comes.
_KEYED_SQL = (
    "SELECT count(CASE WHEN u.n = 1 THEN pg_advisory_xact_lock_shared(hashtext(%s ||"
    " current_schema())) ELSE pg_advisory_xact_lock(hashtext(%s || current_schema()), u.k)"
    " END) FROM unnest(%s::int4[]) WITH ORDINALITY AS u(k, n)"
)


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database (and schema, via the URL's
    ``options=-csearch_path=…``)."""

    serves = staticmethod(is_postgres)

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8) -> None:
        self.url = url
        # Keyed writes at once in this process: each holds a pooled connection, and two
        # are left for reads.
        self._lock = WriterLock(shared_limit=max_size - 2)
        self._sizes = (min_size, max_size)
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None
        # The session that holds this process's leader locks (one per job), kept open:
        # if the process dies, PostgreSQL ends the session and another takes the jobs.
        self._leader: psycopg.AsyncConnection[Any] | None = None
        self._leading: set[str] = set()
        self._leader_lock = asyncio.Lock()

    async def open(self, target: int = LATEST_VERSION) -> None:
        pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
            self.url,
            min_size=self._sizes[0],
            max_size=self._sizes[1],
            kwargs={"autocommit": True},
            configure=_configure,
            open=False,
        )
        await pool.open(wait=True, timeout=15)
        self._pool = pool
        try:
            await self.migrate(target)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._leader is not None:
            await self._leader.close()
        self._leader, self._leading = None, set()
        if self._pool is not None:
            await self._pool.close()
        self._pool = None

    shared = True

    async def lead(self, job: str) -> bool:
        async with self._leader_lock:
            if self._leader is not None and self._leader.closed:
                self._leader, self._leading = None, set()  # the session died: locks went
            if job in self._leading and self._leader is not None:
                try:
                    await self._leader.execute("SELECT 1")  # still holding: still alive
                    return True
                except psycopg.OperationalError:
                    await self._leader.close()
                    self._leader, self._leading = None, set()
            if self._leader is None:
                self._leader = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
            cursor = await self._leader.execute(
                "SELECT pg_try_advisory_lock(hashtext(%s || current_schema()))",
                (f"{_LEAD_LOCK}:{job}:",),
            )
            row = await cursor.fetchone()
            if row is not None and row[0]:
                self._leading.add(job)
            return job in self._leading

    async def publish(self, payload: str) -> None:
        assert self._pool is not None, "database is not open"
        async with self._pool.connection() as conn:
            await conn.execute("SELECT pg_notify(%s, %s)", (NEWS, payload))

    async def listen(self, heard: Callable[[str], None]) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {NEWS}")
                    async for note in conn.notifies():
                        heard(note.payload)
            except psycopg.OperationalError as error:
                log.warning("listening for news failed (%s); again in 1 s", type(error).__name__)
                await asyncio.sleep(1)

    async def migrate(self, target: int) -> int:
        """Apply every migration above the schema's version, each in its own transaction;
        a session advisory lock makes two processes starting at once migrate once."""
        assert self._pool is not None, "database is not open"
        async with self._pool.connection() as conn:
            key = f"{_MIGRATE_LOCK}:"
            await conn.execute("SELECT pg_advisory_lock(hashtext(%s || current_schema()))", (key,))
            try:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations"
                    " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                current = await self._version(conn)
                for version, sql in migrations():
                    if current < version <= target:
                        async with conn.transaction():
                            await conn.execute(sql.encode())  # no parameters: many statements
                            await conn.execute(
                                "INSERT INTO schema_migrations (version, applied_at)"
                                " VALUES (%s, to_char(now() AT TIME ZONE 'UTC',"
                                ' \'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\'))',
                                (version,),
                            )
                        current = version
                return current
            finally:
                await conn.execute(
                    "SELECT pg_advisory_unlock(hashtext(%s || current_schema()))", (key,)
                )

    @staticmethod
    async def _version(conn: psycopg.AsyncConnection[Any]) -> int:
        cursor = await conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def schema_version(self) -> int:
        assert self._pool is not None, "database is not open"
        async with self._pool.connection() as conn:
            return await self._version(conn)

    @asynccontextmanager
    async def write(self, first: bool = False, key: Key = None) -> AsyncIterator[Connection]:
        """One write transaction, rolled back on any exception. Key-less: one at a time
        in this process (``first`` as for SQLite) and across processes by the advisory
        lock. Keyed: beside any write of other keys, here and in other processes."""
        assert self._pool is not None, "database is not open"
        keys = keys_of(key)
        await self._lock.acquire(first, keys)
        try:
            async with self._pool.connection() as conn, conn.transaction():
                if keys is None:
                    await conn.execute(
                        "SELECT pg_advisory_xact_lock(hashtext(%s || current_schema()))",
                        (_WRITE_LOCK,),
                    )
                else:
                    numbers = sorted({key_number(k) for k in keys})
                    await conn.execute(_KEYED_SQL, (_WRITE_LOCK, _KEY_LOCK, [0, *numbers]))
                yield Connection(conn)
        finally:
            self._lock.release(keys)

    async def read(
        self, sql: str, params: Iterable[Any] = (), background: bool = False
    ) -> list[Any]:
        # Every read takes a connection of the pool: the background's never queue in
        # front of a request's here.
        assert self._pool is not None, "database is not open"
        async with self._pool.connection() as conn:
            cursor = await Connection(conn).run(sql, params)
            return await cursor.fetchall()
