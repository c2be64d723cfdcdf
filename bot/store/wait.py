"""While-you-wait records: plans, check-ins and feedback.

Changes arrive with a turn (``Turn.wait``) and are written in that turn's transaction;
due check-ins are sent by ``send_due_checkins``: rendered, put in the outbox and marked
sent in one transaction, so each goes once, even across a crash."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from .counts import insert_counts as _insert_counts
from .database import Database

# The records moved to .records (issue 18); importing them from here still works.
from .records import (
    CheckinBooked,
    CheckinsCancelled,
    CheckinTurn,
    FeedbackNote,
    FeedbackSaved,
    PlanSaved,
    WaitChange,
)

__all__ = [
    "CheckinBooked",
    "CheckinTurn",
    "CheckinsCancelled",
    "Compose",
    "FeedbackNote",
    "FeedbackSaved",
    "PlanSaved",
    "WaitChange",
    "WaitRecords",
    "apply",
]


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


# compose(state JSON or None, locale) -> what to write; it must not do I/O.
# (state, locale, kind): the kind tells a check-in from a flood's held reply.
Compose = Callable[[str | None, str, str], CheckinTurn]


async def apply(
    conn: Any, person_id: str, channel: str, changes: Sequence[WaitChange], at: datetime
) -> None:
    """Write one turn's changes, inside the turn's transaction."""
    for change in changes:
        if isinstance(change, PlanSaved) and change.sections is None:
            await conn.execute("DELETE FROM plans WHERE person_id = ?", (person_id,))
        elif isinstance(change, PlanSaved):
            await conn.execute(
                "INSERT INTO plans (person_id, sections, created_at, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET"
                " sections = excluded.sections, updated_at = excluded.updated_at",
                (person_id, json.dumps(change.sections), _iso(at), _iso(at)),
            )
        elif isinstance(change, CheckinBooked | CheckinsCancelled):
            # One check-in waits at a time, and one release of a held reply
            # (kind 'release'): booking either replaces only its own sort; "stop"
            # cancels both.
            sort = ""
            if isinstance(change, CheckinBooked):
                sort = (
                    " AND kind = 'release'"
                    if change.kind == "release"
                    else (" AND kind != 'release'")
                )
            await conn.execute(
                "UPDATE checkins SET status = 'cancelled' WHERE person_id = ?"
                " AND status = 'pending'" + sort,
                (person_id,),
            )
            if isinstance(change, CheckinBooked):
                await conn.execute(
                    "INSERT INTO checkins (person_id, channel, kind, due_at, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (person_id, channel, change.kind, _iso(change.due), _iso(at)),
                )
        elif isinstance(change, FeedbackSaved):
            await conn.execute(
                "INSERT INTO feedback (person_id, about, answers, created_at) VALUES (?, ?, ?, ?)",
                (person_id, change.about, json.dumps(change.answers), _iso(at)),
            )
        elif isinstance(change, FeedbackNote):
            await conn.execute(
                "UPDATE feedback SET note = ? WHERE id = (SELECT MAX(id) FROM feedback"
                " WHERE person_id = ?)",
                (change.note, person_id),
            )


class WaitRecords:
    """Reading plans, check-ins and feedback back, and sending check-ins when due."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def plan(self, person_id: str) -> dict[str, str] | None:
        rows = await self.db.read("SELECT sections FROM plans WHERE person_id = ?", (person_id,))
        return json.loads(rows[0]["sections"]) if rows else None

    async def checkins(self, person_id: str) -> list[dict[str, Any]]:
        rows = await self.db.read(
            "SELECT * FROM checkins WHERE person_id = ? ORDER BY id", (person_id,)
        )
        return [dict(row) for row in rows]

    async def feedback(self, person_id: str) -> list[dict[str, Any]]:
        rows = await self.db.read(
            "SELECT about, answers, note FROM feedback WHERE person_id = ? ORDER BY id",
            (person_id,),
        )
        return [{**dict(row), "answers": json.loads(row["answers"])} for row in rows]

    async def next_checkin_due(self) -> datetime | None:
        rows = await self.db.read(
            "SELECT MIN(due_at) AS due FROM checkins WHERE status = 'pending'"
        )
        due = rows[0]["due"] if rows else None
        return datetime.fromisoformat(due) if due else None

    async def send_due_checkins(self, now: datetime, compose: Compose) -> list[str]:
        """Send every check-in due by ``now``, one transaction each; returns whose."""
        sent: list[str] = []
        while True:
            async with self.db.write() as conn:
                async with conn.execute(
                    "SELECT k.id, k.person_id, k.channel, k.kind, p.locale, c.state FROM checkins k"
                    " JOIN people p ON p.id = k.person_id"
                    " LEFT JOIN conversations c ON c.person_id = k.person_id"
                    " WHERE k.status = 'pending' AND k.due_at <= ?"
                    # Never in the middle of a live chat with a supporter: it waits.
                    " AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.person_id = k.person_id"
                    " AND h.status = 'active') ORDER BY k.due_at, k.id"
                    " LIMIT 1",
                    (_iso(now),),
                ) as cursor:
                    row = await cursor.fetchone()
                if row is None:
                    return sent
                try:
                    turn = compose(row["state"], row["locale"], row["kind"])
                except Exception:
                    # Not sent and never retried in a loop; the log says which.
                    await conn.execute(
                        "UPDATE checkins SET status = 'failed' WHERE id = ?", (row["id"],)
                    )
                    continue
                outbox_id = None
                for reply in turn.replies:
                    cursor = await conn.execute(
                        "INSERT INTO outbox (person_id, channel, message_key, body, urgent,"
                        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        (
                            row["person_id"],
                            row["channel"],
                            reply.key,
                            json.dumps(reply.body),
                            int(reply.urgent),
                            _iso(now),
                            _iso(now),
                        ),
                    )
                    outbox_id = outbox_id or (await cursor.fetchone())["id"]
                await conn.execute(
                    "INSERT INTO conversations (person_id, state, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (person_id) DO UPDATE SET state = excluded.state,"
                    # A new version, so a turn decided on the old state decides again.
                    " updated_at = excluded.updated_at, version = conversations.version + 1",
                    (row["person_id"], turn.state, _iso(now)),
                )
                await conn.execute(
                    "UPDATE checkins SET status = 'sent', sent_at = ?, outbox_id = ? WHERE id = ?",
                    (_iso(now), outbox_id, row["id"]),
                )
                await _insert_counts(conn, turn.counts, now, row["channel"])
            sent.append(str(row["person_id"]))
