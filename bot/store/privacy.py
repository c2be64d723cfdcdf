"""What the store forgets, and when: retention, "forget me", and leads' blocks.

Every table holding anything about a person references people(id) ON DELETE CASCADE,
so deleting the person row is what deletes everything about them, including tables
this module has never heard of (plans, check-ins, the peer relay). Anonymous counts
and risk events (person_id SET NULL) are what survive.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.peer.rules import pseudonym

from .database import Database

# How long the stand-in for a forgotten person may wait for its last reply to go out.
FAREWELL_GRACE = timedelta(days=1)
# Tables with a person's words and their timestamp column, emptied of rows older than the
# retention period even for people still in touch. A journey that stores a transcript of
# its own (the peer relay, say) adds its table here.
TRANSCRIPT_TABLES: tuple[tuple[str, str], ...] = (
    ("inbox", "received_at"),
    ("outbox", "created_at"),
    # The peer queue: topics and handover notes, relayed words, missed-risk copies.
    ("handoffs", "joined_at"),
    ("staff_outbox", "created_at"),
    ("missed_risk", "at"),
    # Supporters' escalations and debriefs to leads: they may describe the person.
    ("lead_inbox", "at"),
    # While you wait: a plan untouched for the whole period, old check-ins and feedback.
    ("plans", "updated_at"),
    ("checkins", "created_at"),
    ("feedback", "created_at"),
    # Web chat tokens issued and never used since (a used one is also an address).
    ("web_sessions", "created_at"),
)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class _DryRun(Exception):
    """Raised inside the purge transaction to roll it back after counting."""


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What one purge deleted (or, on a dry run, would delete): numbers only."""

    cutoff: datetime
    people: int = 0
    messages: int = 0  # inbox rows: what people sent
    replies: int = 0  # outbox rows: what the bot sent
    blocks: int = 0
    farewells: int = 0  # stand-ins for forgotten people, their last reply done or expired
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """A lead's block on one person, named only by their pseudonymous id."""

    id: int
    person_id: str
    until: datetime
    reason: str
    created_by: str
    created_at: datetime


def _block(row: Any) -> Block:
    return Block(
        id=int(row["id"]),
        person_id=str(row["person_id"]),
        until=datetime.fromisoformat(row["until"]),
        reason=str(row["reason"]),
        created_by=str(row["created_by"]),
        created_at=datetime.fromisoformat(row["created_at"]),
    )


async def forget_person(conn: Any, person_id: str, inbox_id: int, at: datetime) -> str:
    """Delete everything about a person, inside the caller's transaction.

    The replies of this turn (the one saying everything is deleted) and the person's
    addresses move to a fresh stand-in person marked forgotten, so that reply can still
    reach them; nothing else links the stand-in to who they were. Returns its id."""
    stand_in = "p-" + secrets.token_hex(8)
    await conn.execute(
        "INSERT INTO people (id, created_at, locale, forgotten_at)"
        " SELECT ?, ?, locale, ? FROM people WHERE id = ?",
        (stand_in, _iso(at), _iso(at), person_id),
    )
    await conn.execute(
        "UPDATE addresses SET person_id = ?, created_at = ? WHERE person_id = ?",
        (stand_in, _iso(at), person_id),
    )
    await conn.execute(
        "UPDATE outbox SET person_id = ?, inbox_id = NULL, created_at = ?"
        " WHERE person_id = ? AND inbox_id = ? AND status = 'pending'",
        (stand_in, _iso(at), person_id, inbox_id),
    )
    # Their web chat token: refused from now on (the browser starts afresh once it has
    # the last reply, which the stand-in's address still reaches).
    await conn.execute(
        "DELETE FROM web_sessions WHERE token_hash IN"
        " (SELECT address FROM addresses WHERE person_id = ? AND channel = 'web')",
        (person_id,),
    )
    # Supporters' alerts that name them (by pseudonym), sent or not, whoever queued them.
    await conn.execute(
        "DELETE FROM staff_outbox WHERE person_id = ? OR strpos(body, ?) > 0",
        (person_id, pseudonym(person_id)),
    )
    # Escalations and debriefs about their handoffs (plain ids, so no cascade).
    await conn.execute(
        "DELETE FROM lead_inbox WHERE handoff_id IN (SELECT id FROM handoffs WHERE person_id = ?)",
        (person_id,),
    )
    # The cascade takes the inbox, outbox, conversation, blocks and every other
    # journey's rows; risk events keep their anonymous rows.
    await conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
    return stand_in


async def _clear_forgotten(conn: Any, now: datetime) -> int:
    cursor = await conn.execute(
        "DELETE FROM people WHERE forgotten_at IS NOT NULL AND (forgotten_at < ? OR NOT EXISTS"
        " (SELECT 1 FROM outbox o WHERE o.person_id = people.id AND o.status = 'pending'))",
        (_iso(now - FAREWELL_GRACE),),
    )
    return int(cursor.rowcount or 0)


class PrivacyStore:
    """Retention, forgetting and blocks: mixed into ``Store``."""

    db: Database
    clock: Clock

    async def purge(self, now: datetime, keep: timedelta, *, dry_run: bool = False) -> PurgeResult:
        """Delete what is older than ``now - keep``: messages and replies, people not in
        touch since, expired blocks; and forgotten people's stand-ins that are done."""
        cutoff = _iso(now - keep)
        deleted: dict[str, int] = {}
        try:
            async with self.db.write() as conn:
                for table, column in TRANSCRIPT_TABLES:
                    cursor = await conn.execute(
                        f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)
                    )
                    deleted[table] = int(cursor.rowcount or 0)
                # Then the people (after the transcripts, so rowcount counts every old message:
                # what a cascade deletes is not counted).
                cursor = await conn.execute(
                    "DELETE FROM people WHERE forgotten_at IS NULL AND created_at < ?"
                    " AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.person_id = people.id"
                    " AND i.received_at >= ?) AND NOT EXISTS (SELECT 1 FROM outbox o"
                    " WHERE o.person_id = people.id AND o.created_at >= ?)"
                    " AND NOT EXISTS (SELECT 1 FROM conversations c"
                    " WHERE c.person_id = people.id AND c.updated_at >= ?)",
                    (cutoff, cutoff, cutoff, cutoff),
                )
                deleted["people"] = int(cursor.rowcount or 0)
                cursor = await conn.execute("DELETE FROM blocks WHERE until < ?", (cutoff,))
                deleted["blocks"] = int(cursor.rowcount or 0)
                deleted["farewells"] = await _clear_forgotten(conn, now)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        else:
            if any(deleted.values()):
                await self.db.scrub()  # what was deleted, out of the write-ahead log too
        return PurgeResult(
            cutoff=now - keep,
            people=deleted["people"],
            messages=deleted.get("inbox", 0),
            replies=deleted.get("outbox", 0),
            blocks=deleted["blocks"],
            farewells=deleted["farewells"],
            dry_run=dry_run,
        )

    async def clear_forgotten(self, now: datetime) -> int:
        """Remove forgotten people's stand-ins once their last reply is no longer waiting
        (sent, delivered or failed), or after FAREWELL_GRACE; returns how many."""
        async with self.db.write() as conn:
            cleared = await _clear_forgotten(conn, now)
        if cleared:
            await self.db.scrub()  # their address, out of the write-ahead log too
        return cleared

    async def forgotten_waiting(self) -> int:
        """How many stand-ins still hold an address (for tests and the runbook)."""
        rows = await self.db.read("SELECT count(*) AS n FROM people WHERE forgotten_at IS NOT NULL")
        return int(rows[0]["n"])

    # -- blocks ----------------------------------------------------------------

    async def block(
        self,
        person_id: str,
        until: datetime,
        reason: str,
        by: str,
        at: datetime | None = None,
    ) -> int:
        """Block a person until a time, with a reason; returns the block's id."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO blocks (person_id, until, reason, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (person_id, _iso(until), reason[:500], by, _iso(at or self.clock())),
            )
            return int((await cursor.fetchone())["id"])

    async def unblock(self, person_id: str, at: datetime | None = None) -> int:
        """End every active block on a person now; returns how many were active."""
        now = _iso(at or self.clock())
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "UPDATE blocks SET until = ? WHERE person_id = ? AND until > ?",
                (now, person_id, now),
            )
            return int(cursor.rowcount or 0)

    async def active_block(self, person_id: str, at: datetime | None = None) -> Block | None:
        rows = await self.db.read(
            "SELECT * FROM blocks WHERE person_id = ? AND until > ? ORDER BY until DESC LIMIT 1",
            (person_id, _iso(at or self.clock())),
        )
        return _block(rows[0]) if rows else None

    async def blocks(self, at: datetime | None = None, *, active_only: bool = False) -> list[Block]:
        """Blocks, newest first; with ``active_only``, only those still in force."""
        if active_only:
            rows = await self.db.read(
                "SELECT * FROM blocks WHERE until > ? ORDER BY id DESC",
                (_iso(at or self.clock()),),
            )
        else:
            rows = await self.db.read("SELECT * FROM blocks ORDER BY id DESC")
        return [_block(row) for row in rows]
