"""Turns with the engine outside the write lock: read, decide, then compare-and-swap.

A turn reads the message and what the engine needs (the conversation's state and its
version, the person's open request to talk, a block, whether they can be reached) on the
reader connection, runs the pure engine with no lock held, then opens the write
transaction and claims the turn before writing anything else: the message must still be
unprocessed, the conversation still at the version read, and the request to talk still
as read (its status, supporter and priority; a place in the queue may move, which only
makes the turn as of the moment it read). If anything moved, the transaction is rolled
back and the turn is read and decided again. Replies are written in that same
transaction, so they are stored before anything sends them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from .database import Database
from .peer import OpenHandoff

# Tries with the engine outside the lock before one last try inside it (which cannot
# lose the race): a conversation written this often meanwhile is very busy indeed.
TRIES = 3


class Moved(Exception):
    """What the turn read changed before it could write: read and decide again."""


class _Rows:
    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    async def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[Any]:
        return self._rows


class Reads:
    """The background's reader, shaped like a write transaction's connection for
    reading, so the store's read helpers (``open_handoff``) work on either."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def _execute(self, sql: str, params: Iterable[Any]) -> AsyncIterator[_Rows]:
        yield _Rows(await self.db.read(sql, params, background=True))

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self._execute(sql, params)


def handoff_key(handoff: OpenHandoff | None) -> tuple[Any, ...] | None:
    """What of a request to talk the turn's writes depend on."""
    if handoff is None:
        return None
    return (handoff.id, handoff.status, handoff.priority, handoff.supporter_id)


async def claim(
    conn: Any,
    *,
    inbox_id: int,
    person_id: str,
    version: int | None,
    handoff: OpenHandoff | None,
    state: str,
    at: str,
) -> bool:
    """Claim the turn inside the write transaction, first thing: False if the message was
    processed meanwhile (nothing to do); raises Moved if what it read has changed."""
    cursor = await conn.execute(
        "UPDATE inbox SET processed_at = ? WHERE id = ? AND processed_at IS NULL",
        (at, inbox_id),
    )
    if cursor.rowcount == 0:
        return False
    if version is None:  # no conversation yet: only if none was started meanwhile
        cursor = await conn.execute(
            "INSERT INTO conversations (person_id, state, updated_at, version)"
            " VALUES (?, ?, ?, 1) ON CONFLICT (person_id) DO NOTHING",
            (person_id, state, at),
        )
    else:
        cursor = await conn.execute(
            "UPDATE conversations SET state = ?, updated_at = ?, version = version + 1"
            " WHERE person_id = ? AND version = ?",
            (state, at, person_id, version),
        )
    if cursor.rowcount == 0:
        raise Moved("conversation")
    async with conn.execute(
        "SELECT id, status, priority, supporter_id FROM handoffs"
        " WHERE person_id = ? AND status IN ('waiting', 'active')",
        (person_id,),
    ) as found:
        row = await found.fetchone()
    now = None if row is None else (row["id"], row["status"], row["priority"], row["supporter_id"])
    if now != handoff_key(handoff):
        raise Moved("handoff")
    return True
