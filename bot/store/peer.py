"""The peer queue's rows: handoffs, supporters' desks, escalations, alerts for staff.

Every change is one key-less write transaction (it runs alone, as under a single
writer, even on PostgreSQL beside keyed writes), and the queue rules in
``bot.peer.queue`` decide inside it, so taking is atomic: two supporters can
never get the same person. The rules (naming, alert audiences, caps, focus, the clock)
are in ``bot.peer``; this module stores what they decide.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import Clock, utc_now
from bot.peer import queue, rules
from bot.peer.queue import Desk, Waiting
from bot.peer.rules import pseudonym
from bot.risk import Level

from .counts import insert_counts as _insert_counts
from .database import Database
from .figures import QueueFigures

# The records moved to .records (issue 18); importing them from here still works.
from .records import Count, Handoff, OpenHandoff, QueueChange, ShiftFigures, StaffMessage

__all__ = [
    "OPEN",
    "Handoff",
    "OpenHandoff",
    "PeerStore",
    "QueueChange",
    "ShiftFigures",
    "StaffMessage",
    "apply_turn",
    "open_handoff",
    "pseudonym",
    "queue_reply",
    "queue_staff",
]

OPEN = ("waiting", "active")


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _at(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def _handoff(row: Any) -> Handoff:
    return Handoff(
        id=row["id"],
        person_id=row["person_id"],
        person=pseudonym(row["person_id"]),
        status=row["status"],
        priority=row["priority"],
        was_urgent=bool(row["was_urgent"]),
        audience=row["audience"],
        topic=row["topic"],
        joined_at=datetime.fromisoformat(row["joined_at"]),
        off_shift=bool(row["off_shift"]),
        taken_at=_at(row["taken_at"]),
        supporter_id=row["supporter_id"],
        ended_at=_at(row["ended_at"]),
        ended_by=row["ended_by"],
        outcome=json.loads(row["outcome"] or "[]"),
        handover_note=row["handover_note"],
        last_person_at=_at(row["last_person_at"]),
        seen_upto=row["seen_upto"],
        transferred_by=row["transferred_by"],
        transfer_note=row["transfer_note"],
    )


def _waiting(row: Any) -> Waiting:
    return Waiting(
        handoff_id=row["id"],
        person=pseudonym(row["person_id"]),
        priority=Level(row["priority"]),
        joined_at=datetime.fromisoformat(row["joined_at"]),
        wants=frozenset({"carer"}) if row["audience"] == "carer" else frozenset(),
    )


def _desk(row: Any) -> Desk:
    return Desk(
        id=row["id"],
        on_shift=bool(row["on_shift"]),
        cap=row["caseload_cap"],
        active=row["active"],
        tags=frozenset(json.loads(row["tags"] or "[]")),
        break_until=_at(row["break_until"]),
    )


_DESKS = (
    "SELECT s.id, s.display_name, s.role, s.on_shift, s.caseload_cap, s.tags, s.break_until,"
    " s.telegram_chat_id, (SELECT COUNT(*) FROM handoffs h WHERE h.supporter_id = s.id"
    " AND h.status = 'active') AS active FROM supporters s WHERE s.disabled_at IS NULL"
)


async def _rows(conn: Any, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def _waiting_rows(conn: Any) -> list[Waiting]:
    return [
        _waiting(r) for r in await _rows(conn, "SELECT * FROM handoffs WHERE status = 'waiting'")
    ]


async def _desks(conn: Any) -> list[Desk]:
    return [_desk(r) for r in await _rows(conn, _DESKS)]


async def _supporter(conn: Any, supporter_id: str) -> Any:
    rows = await _rows(conn, f"{_DESKS} AND s.id = ?", (supporter_id,))
    return rows[0] if rows else None


async def _channel_of(conn: Any, person_id: str) -> str | None:
    """The channel the person wrote on last: replies go back the same way."""
    rows = await _rows(
        conn, "SELECT channel FROM inbox WHERE person_id = ? ORDER BY id DESC LIMIT 1", (person_id,)
    )
    return str(rows[0]["channel"]) if rows else None


async def queue_reply(
    conn: Any, person_id: str, key: str, body: dict[str, Any], at: datetime, urgent: bool = False
) -> None:
    """A reply to a person outside a turn (a supporter's words, a queue update)."""
    channel = await _channel_of(conn, person_id)
    if channel is None:
        return
    await conn.execute(
        "INSERT INTO outbox (person_id, channel, message_key, body, urgent, next_attempt_at,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (person_id, channel, key, json.dumps(body), int(urgent), _iso(at), _iso(at)),
    )


async def queue_staff(conn: Any, messages: Sequence[StaffMessage], at: datetime) -> None:
    """Store alerts for supporters on Telegram, resolving who gets each."""
    for message in messages:
        audience = rules.audience(message.to)
        params: tuple[str, ...]
        if audience.kind == "supporter":
            sql, params = "s.id = ?", (str(audience.supporter_id),)
        elif audience.kind == "on_shift":
            sql, params = "s.on_shift = 1", ()
        else:
            sql, params = "s.role = 'lead'", ()
        recipients = await _rows(
            conn,
            f"SELECT s.id, s.telegram_chat_id FROM supporters s WHERE s.disabled_at IS NULL"
            f" AND s.telegram_chat_id IS NOT NULL AND {sql}",
            params,
        )
        await conn.executemany(
            "INSERT INTO staff_outbox (supporter_id, person_id, chat_id, body, urgent,"
            " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r["id"],
                    message.person_id,
                    r["telegram_chat_id"],
                    json.dumps({"text": message.text}),
                    int(message.urgent),
                    _iso(at),
                    _iso(at),
                )
                for r in recipients
            ],
        )


async def open_handoff(conn: Any, person_id: str) -> OpenHandoff | None:
    rows = await _rows(
        conn,
        "SELECT h.id, h.status, h.priority, h.supporter_id, s.display_name, s.telegram_chat_id"
        " FROM handoffs h LEFT JOIN supporters s ON s.id = h.supporter_id"
        " WHERE h.person_id = ? AND h.status IN ('waiting', 'active')",
        (person_id,),
    )
    if not rows:
        return None
    row = rows[0]
    place = None
    if row["status"] == "waiting":
        place = queue.position(await _waiting_rows(conn), row["id"])
    return OpenHandoff(
        id=row["id"],
        status=row["status"],
        priority=row["priority"],
        supporter_id=row["supporter_id"],
        supporter_name=row["display_name"] or "",
        supporter_chat=row["telegram_chat_id"],
        position=place,
    )


async def apply_turn(
    conn: Any, person_id: str, change: QueueChange, at: datetime
) -> tuple[int | None, bool]:
    """Apply a turn's queue changes; returns (open handoff id, raised to urgent now)."""
    if change.join is not None:
        priority, audience, off_shift = change.join
        await conn.execute(
            # The id comes from the counter, so it is never one a purged handoff had.
            "INSERT INTO handoffs (id, person_id, status, priority, was_urgent, audience,"
            " joined_at, off_shift, last_person_at) VALUES ((SELECT last + 1 FROM handoff_ids),"
            " ?, 'waiting', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                person_id,
                priority,
                int(priority >= Level.URGENT),
                audience,
                _iso(at),
                int(off_shift),
                _iso(at),
            ),
        )
        await _insert_counts(
            conn, [Count("queue_join", Level(priority).label, audience=audience)], at
        )
    rows = await _rows(
        conn,
        "SELECT id, status, priority, audience FROM handoffs WHERE person_id = ?"
        " AND status IN ('waiting', 'active')",
        (person_id,),
    )
    if not rows:
        return None, False
    row = rows[0]
    handoff_id = int(row["id"])
    outcome = queue.after_turn(
        row["status"], row["priority"], change.priority, change.leave, change.end
    )
    await conn.execute(
        "UPDATE handoffs SET priority = GREATEST(priority, ?),"
        " was_urgent = GREATEST(was_urgent, ?), last_person_at = ?,"
        " topic = COALESCE(?, topic) WHERE id = ?",
        (change.priority, int(change.priority >= Level.URGENT), _iso(at), change.topic, handoff_id),
    )
    if outcome.raised_from is not None:
        # "Joined by priority" reports the highest priority reached: a raise moves the
        # join from one line to the other (bot/reports/report.py).
        old, new = outcome.raised_from.label, Level(change.priority).label
        await _insert_counts(
            conn, [Count("queue_raise", f"{old}>{new}", audience=row["audience"])], at
        )
    if outcome.closes == "left":
        await conn.execute(
            "UPDATE handoffs SET status = 'left', ended_at = ?, ended_by = 'person' WHERE id = ?",
            (_iso(at), handoff_id),
        )
        await _insert_counts(conn, [Count("queue_left", audience=row["audience"])], at)
    if outcome.closes == "ended":
        await conn.execute(
            "UPDATE handoffs SET status = 'ended', ended_at = ?, ended_by = 'person' WHERE id = ?",
            (_iso(at), handoff_id),
        )
        await _insert_counts(
            conn, [Count("peer_end", "ended_by_person", audience=row["audience"])], at
        )
    return handoff_id, outcome.urgent_now


Render = Callable[..., tuple[str, dict[str, Any]]]


class PeerStore:
    """The queue and the desks, for the service and the dashboard."""

    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def figures(self) -> ShiftFigures:
        on = await self.db.read(
            "SELECT COUNT(*) AS n FROM supporters WHERE on_shift = 1 AND disabled_at IS NULL"
        )
        waiting = await self.db.read(
            "SELECT priority, COUNT(*) AS n FROM handoffs WHERE status = 'waiting'"
            " GROUP BY priority"
        )
        by = [0, 0, 0]
        for row in waiting:
            by[min(2, int(row["priority"]))] += int(row["n"])
        waits = await self.db.read(
            "SELECT value FROM counts WHERE kind = 'queue_wait' ORDER BY id DESC LIMIT ?",
            (queue.RECENT_WAITS,),
        )
        return ShiftFigures(
            on_shift=int(on[0]["n"]),
            waiting_by_priority=(by[0], by[1], by[2]),
            recent_waits=tuple(float(r["value"]) for r in reversed(waits)),
        )

    async def metrics(self, store: object = None) -> Any:
        """The queue right now, for ``/metrics`` (the hook ``app.state.queue_figures``)."""
        rows = await self.db.read(
            "SELECT COUNT(*) AS n, SUM(CASE WHEN priority >= 2 THEN 1 ELSE 0 END) AS urgent,"
            " MIN(joined_at) AS oldest"
            " FROM handoffs WHERE status = 'waiting'"
        )
        row = rows[0]
        oldest = _at(row["oldest"])
        return QueueFigures(
            waiting=int(row["n"] or 0),
            waiting_urgent=int(row["urgent"] or 0),
            longest_wait_seconds=(self.clock() - oldest).total_seconds() if oldest else 0.0,
        )

    async def waiting(self) -> list[Handoff]:
        rows = await self.db.read("SELECT * FROM handoffs WHERE status = 'waiting'")
        handoffs = {row["id"]: _handoff(row) for row in rows}
        return [handoffs[w.handoff_id] for w in queue.ordered(_waiting(r) for r in rows)]

    async def handoff(self, handoff_id: int) -> Handoff | None:
        rows = await self.db.read("SELECT * FROM handoffs WHERE id = ?", (handoff_id,))
        return _handoff(rows[0]) if rows else None

    async def mine(self, supporter_id: str) -> list[Handoff]:
        rows = await self.db.read(
            "SELECT * FROM handoffs WHERE supporter_id = ? AND status = 'active' ORDER BY taken_at",
            (supporter_id,),
        )
        return [_handoff(row) for row in rows]

    async def active(self) -> list[Handoff]:
        rows = await self.db.read(
            "SELECT * FROM handoffs WHERE status = 'active' ORDER BY taken_at"
        )
        return [_handoff(row) for row in rows]

    async def history(self, person_id: str) -> list[Handoff]:
        """Earlier conversations with handover notes, newest first, for the next supporter."""
        rows = await self.db.read(
            "SELECT * FROM handoffs WHERE person_id = ? AND status = 'ended' ORDER BY id DESC",
            (person_id,),
        )
        return [_handoff(row) for row in rows]

    async def lines(self, person_id: str) -> list[dict[str, Any]]:
        """The whole conversation for the supporter's view, in order: the person's words,
        the bot's replies and supporters' messages (outbox key ``peer_message``)."""
        rows = await self.db.read(
            "SELECT 'person' AS who, id, received_at AS at, body, kind AS key, 0 AS side"
            " FROM inbox WHERE person_id = ? UNION ALL SELECT CASE WHEN message_key ="
            " 'peer_message' THEN 'supporter' ELSE 'bot' END, id, created_at, body,"
            " message_key, 1 FROM outbox WHERE person_id = ? ORDER BY at, side, id",
            (person_id, person_id),
        )
        lines = []
        for row in rows:
            body = json.loads(row["body"])
            text = str(body.get("text") or body.get("option") or body.get("command") or "")
            lines.append(
                {
                    "who": row["who"],
                    "id": row["id"],
                    "at": row["at"],
                    "key": row["key"],
                    "text": text,
                }
            )
        return lines

    async def desks(self) -> list[dict[str, Any]]:
        rows = await self.db.read(_DESKS + " ORDER BY s.display_name")
        return [dict(row) for row in rows]

    async def take(
        self,
        supporter_id: str,
        render: Render,
        handoff_id: int | None = None,
        at: datetime | None = None,
    ) -> Handoff | None:
        """The supporter takes the next person (the queue picks) or a chosen one.

        ``render(name=...)`` gives the "a supporter has joined" reply. None when there
        is nobody to take, the person was taken already, or the supporter has no room."""
        at = at or self.clock()
        async with self.db.write() as conn:
            me = await _supporter(conn, supporter_id)
            if me is None:
                return None
            desk = _desk(me)
            waiting = await _waiting_rows(conn)
            if handoff_id is None:
                chosen = queue.next_for(desk, waiting, await _desks(conn), at)
            else:
                chosen = next((w for w in waiting if w.handoff_id == handoff_id), None)
                if chosen is not None and not queue.can_take(desk, at):
                    chosen = None
            if chosen is None:
                return None
            cursor = await conn.execute(
                "UPDATE handoffs SET status = 'active', supporter_id = ?, taken_at = ?,"
                " last_person_at = ?, still_there_at = NULL WHERE id = ? AND status = 'waiting'",
                (supporter_id, _iso(at), _iso(at), chosen.handoff_id),
            )
            if cursor.rowcount != 1:
                return None
            row = (await _rows(conn, "SELECT * FROM handoffs WHERE id = ?", (chosen.handoff_id,)))[
                0
            ]
            handoff = _handoff(row)
            key, body = render(name=me["display_name"])
            await queue_reply(conn, handoff.person_id, key, body, at)
            await _insert_counts(
                conn,
                [
                    Count(
                        "queue_wait",
                        value=(at - handoff.joined_at).total_seconds(),
                        audience=handoff.audience,
                    )
                ],
                at,
            )
            return handoff

    async def _own(self, conn: Any, supporter_id: str, handoff_id: int) -> Handoff | None:
        rows = await _rows(
            conn,
            "SELECT * FROM handoffs WHERE id = ? AND supporter_id = ? AND status = 'active'",
            (handoff_id, supporter_id),
        )
        return _handoff(rows[0]) if rows else None

    async def say(
        self,
        supporter_id: str,
        handoff_id: int,
        key: str,
        body: dict[str, Any],
        at: datetime | None = None,
    ) -> bool:
        """A supporter's message to the person in their own live conversation."""
        at = at or self.clock()
        async with self.db.write() as conn:
            handoff = await self._own(conn, supporter_id, handoff_id)
            if handoff is None:
                return False
            await queue_reply(conn, handoff.person_id, key, body, at)
            return True

    async def release(
        self, supporter_id: str, handoff_id: int, render: Render, at: datetime | None = None
    ) -> bool:
        """Back to the queue, keeping their place (their original joining time)."""
        at = at or self.clock()
        async with self.db.write() as conn:
            handoff = await self._own(conn, supporter_id, handoff_id)
            if handoff is None:
                return False
            await conn.execute(
                "UPDATE handoffs SET status = 'waiting', supporter_id = NULL, taken_at = NULL,"
                " position_sent = NULL WHERE id = ?",
                (handoff_id,),
            )
            name = (await _supporter(conn, supporter_id))["display_name"]
            place = queue.position(await _waiting_rows(conn), handoff_id)
            key, body = render(name=name, position=place)
            await queue_reply(conn, handoff.person_id, key, body, at)
            return True

    async def transfer(
        self,
        supporter_id: str,
        handoff_id: int,
        to_id: str,
        render: Render,
        at: datetime | None = None,
        note: str | None = None,
    ) -> bool:
        """Hand a live conversation to a named on-shift supporter with room, with a note
        for them."""
        at = at or self.clock()
        async with self.db.write() as conn:
            handoff = await self._own(conn, supporter_id, handoff_id)
            targets = queue.transfer_targets(await _desks(conn), supporter_id, at)
            if handoff is None or to_id not in {desk.id for desk in targets}:
                return False
            await conn.execute(
                "UPDATE handoffs SET supporter_id = ?, transferred_by = ?, transfer_note = ?,"
                " seen_upto = NULL WHERE id = ?",
                (to_id, supporter_id, note, handoff_id),
            )
            old = (await _supporter(conn, supporter_id))["display_name"]
            new = (await _supporter(conn, to_id))["display_name"]
            key, body = render(name=old, new_name=new)
            await queue_reply(conn, handoff.person_id, key, body, at)
            return True

    async def end(
        self,
        supporter_id: str,
        handoff_id: int,
        outcome: Sequence[str],
        note: str | None,
        render: Render,
        at: datetime | None = None,
        by: str = "supporter",
    ) -> Handoff | None:
        """End a live conversation with outcome tags and a handover note."""
        at = at or self.clock()
        async with self.db.write() as conn:
            handoff = await self._own(conn, supporter_id, handoff_id)
            if handoff is None:
                return None
            await conn.execute(
                "UPDATE handoffs SET status = 'ended', ended_at = ?, ended_by = ?, outcome = ?,"
                " handover_note = ? WHERE id = ?",
                (_iso(at), by, json.dumps(list(outcome)), note, handoff_id),
            )
            name = (await _supporter(conn, supporter_id))["display_name"]
            key, body = render(name=name)
            await queue_reply(conn, handoff.person_id, key, body, at)
            await _insert_counts(
                conn,
                [Count("peer_end", tag, audience=handoff.audience) for tag in outcome or ["none"]],
                at,
            )
            rows = await _rows(conn, "SELECT * FROM handoffs WHERE id = ?", (handoff_id,))
            return _handoff(rows[0])

    async def escalate(
        self,
        supporter_id: str,
        handoff_id: int,
        rung: str,
        alert: StaffMessage,
        at: datetime | None = None,
    ) -> bool:
        """Record that a rung of the escalation ladder was used, and tell the leads."""
        at = at or self.clock()
        async with self.db.write() as conn:
            if await self._own(conn, supporter_id, handoff_id) is None:
                return False
            await conn.execute(
                "INSERT INTO escalations (handoff_id, supporter_id, rung, at) VALUES (?, ?, ?, ?)",
                (handoff_id, supporter_id, rung, _iso(at)),
            )
            await _insert_counts(conn, [Count("escalation", rung)], at)
            await queue_staff(conn, [alert], at)
            return True

    async def escalations(self, handoff_id: int) -> list[dict[str, Any]]:
        rows = await self.db.read(
            "SELECT rung, at, supporter_id FROM escalations WHERE handoff_id = ? ORDER BY id",
            (handoff_id,),
        )
        return [dict(row) for row in rows]

    async def missed_risk(
        self, supporter_id: str, handoff_id: int, inbox_id: int, at: datetime | None = None
    ) -> bool:
        """Keep a message the risk check should have caught, for the safety review."""
        at = at or self.clock()
        async with self.db.write() as conn:
            handoff = await self._own(conn, supporter_id, handoff_id)
            if handoff is None:
                return False
            rows = await _rows(
                conn,
                "SELECT body FROM inbox WHERE id = ? AND person_id = ?",
                (inbox_id, handoff.person_id),
            )
            if not rows:
                return False
            await conn.execute(
                "INSERT INTO missed_risk (person_id, inbox_id, supporter_id, text, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    handoff.person_id,
                    inbox_id,
                    supporter_id,
                    str(json.loads(rows[0]["body"]).get("text", "")),
                    _iso(at),
                ),
            )
            return True

    # -- the desk (issue 16) -------------------------------------------------------

    async def conversation(
        self, person_id: str, start: datetime | None, end: datetime | None
    ) -> list[dict[str, Any]]:
        """A stretch of a person's conversation, in order, with what the risk check
        found on each of their lines (level, rules and categories of risk_events, by
        inbox id). The caller decides the stretch (``bot.peer.rules.window``)."""
        clauses, params = "", []
        if start is not None:
            clauses += " AND at > ?"
            params.append(_iso(start))
        if end is not None:
            clauses += " AND at <= ?"
            params.append(_iso(end))
        rows = await self.db.read(
            "SELECT * FROM (SELECT 'person' AS who, id, received_at AS at, body, kind AS key,"
            " 0 AS side FROM inbox WHERE person_id = ? UNION ALL SELECT CASE WHEN"
            " message_key IN ('peer_message', 'peer_card') THEN 'supporter' ELSE 'bot' END,"
            " id, created_at,"
            " body, message_key, 1 FROM outbox WHERE person_id = ?) AS lines WHERE 1 = 1"
            + clauses
            + " ORDER BY at, side, id",
            (person_id, person_id, *params),
        )
        risks: dict[int, dict[str, Any]] = {}
        for risk in await self.db.read(
            "SELECT inbox_id, level, rules, categories, alerted FROM risk_events"
            " WHERE person_id = ? AND inbox_id IS NOT NULL ORDER BY id",
            (person_id,),
        ):
            risks[int(risk["inbox_id"])] = {
                "level": risk["level"],
                "rules": json.loads(risk["rules"]),
                "categories": json.loads(risk["categories"]),
                "alerted": bool(risk["alerted"]),
            }
        lines = []
        for row in rows:
            body = json.loads(row["body"])
            found = risks.get(int(row["id"])) if row["who"] == "person" else None
            lines.append(
                {
                    "who": row["who"],
                    "id": row["id"],
                    "at": row["at"],
                    "key": row["key"],
                    "text": str(body.get("text") or ""),
                    "option": body.get("option"),
                    "command": body.get("command"),
                    "risk": found,
                }
            )
        return lines

    async def channel(self, person_id: str) -> str | None:
        """The channel the person wrote on last."""
        rows = await self.db.read(
            "SELECT channel FROM inbox WHERE person_id = ? ORDER BY id DESC LIMIT 1", (person_id,)
        )
        return str(rows[0]["channel"]) if rows else None

    async def previous_end(self, person_id: str, handoff_id: int) -> datetime | None:
        """When the person's handoff before this one ended (or they left the queue)."""
        rows = await self.db.read(
            "SELECT MAX(ended_at) AS at FROM handoffs WHERE person_id = ? AND id < ?",
            (person_id, handoff_id),
        )
        return _at(rows[0]["at"]) if rows else None

    async def person_lines_since(self, person_id: str, since: datetime) -> list[int]:
        rows = await self.db.read(
            "SELECT id FROM inbox WHERE person_id = ? AND received_at >= ? ORDER BY id",
            (person_id, _iso(since)),
        )
        return [int(row["id"]) for row in rows]

    async def mark_seen(self, supporter_id: str, handoff_id: int, upto: int) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE handoffs SET seen_upto = GREATEST(COALESCE(seen_upto, 0), ?)"
                " WHERE id = ? AND supporter_id = ?",
                (upto, handoff_id, supporter_id),
            )

    async def add_note(
        self, supporter_id: str, handoff_id: int, text: str, at: datetime | None = None
    ) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO handoff_notes (handoff_id, supporter_id, text, at)"
                " VALUES (?, ?, ?, ?)",
                (handoff_id, supporter_id, text, _iso(at or self.clock())),
            )

    async def notes(self, handoff_id: int) -> list[dict[str, Any]]:
        rows = await self.db.read(
            "SELECT id, supporter_id, text, at FROM handoff_notes WHERE handoff_id = ? ORDER BY id",
            (handoff_id,),
        )
        return [dict(row) for row in rows]

    async def record_outcome(
        self, supporter_id: str, handoff_id: int, outcome: Sequence[str], note: str | None
    ) -> Handoff | None:
        """The outcome and note for a conversation the person (or the silence) ended:
        written after the end, kept. Whether it is still in time is the caller's rule.
        (The end itself was counted when it happened.)"""
        async with self.db.write() as conn:
            rows = await _rows(
                conn,
                "SELECT * FROM handoffs WHERE id = ? AND supporter_id = ? AND status = 'ended'",
                (handoff_id, supporter_id),
            )
            if not rows:
                return None
            await conn.execute(
                "UPDATE handoffs SET outcome = ?, handover_note = ? WHERE id = ?",
                (json.dumps(list(outcome)), note, handoff_id),
            )
            rows = await _rows(conn, "SELECT * FROM handoffs WHERE id = ?", (handoff_id,))
            return _handoff(rows[0])

    async def muted(self, supporter_id: str) -> list[str]:
        rows = await self.db.read("SELECT desk_muted FROM supporters WHERE id = ?", (supporter_id,))
        return list(json.loads(rows[0]["desk_muted"])) if rows else []

    async def set_muted(self, supporter_id: str, kinds: Sequence[str]) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE supporters SET desk_muted = ? WHERE id = ?",
                (json.dumps(list(kinds)), supporter_id),
            )

    async def leads(self) -> list[tuple[str, bool]]:
        """Active leads as (id, Telegram linked)."""
        rows = await self.db.read(
            "SELECT id, telegram_chat_id FROM supporters WHERE role = 'lead'"
            " AND disabled_at IS NULL"
        )
        return [(str(r["id"]), r["telegram_chat_id"] is not None) for r in rows]

    async def to_inbox(
        self,
        kind: str,
        supporter_id: str,
        handoff_id: int | None,
        text: str,
        at: datetime | None = None,
    ) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO lead_inbox (kind, supporter_id, handoff_id, text, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (kind, supporter_id, handoff_id, text, _iso(at or self.clock())),
            )

    async def inbox(self, limit: int = 30) -> list[dict[str, Any]]:
        rows = await self.db.read("SELECT * FROM lead_inbox ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(row) for row in rows]

    async def inbox_seen(self, item_id: int, lead_id: str, at: datetime | None = None) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE lead_inbox SET seen_by = ?, seen_at = ? WHERE id = ? AND seen_by IS NULL",
                (lead_id, _iso(at or self.clock()), item_id),
            )

    async def record_read(self, lead_id: str, handoff_id: int, at: datetime | None = None) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO live_reads (lead_id, handoff_id, at) VALUES (?, ?, ?)",
                (lead_id, handoff_id, _iso(at or self.clock())),
            )

    async def reads(self) -> list[dict[str, Any]]:
        rows = await self.db.read("SELECT * FROM live_reads ORDER BY id")
        return [dict(row) for row in rows]

    async def latest_for(self, person_id: str) -> Handoff | None:
        """The person's newest handoff, open or not (whom a turn's news is for)."""
        rows = await self.db.read(
            "SELECT * FROM handoffs WHERE person_id = ? ORDER BY id DESC LIMIT 1", (person_id,)
        )
        return _handoff(rows[0]) if rows else None

    async def person_by_pseudonym(self, name: str) -> str | None:
        """The person a supporter means by "Guest-3FA2C1"; None if nobody or ambiguous."""
        code = rules.pseudonym_code(name)
        if code is None:
            return None
        rows = await self.db.read("SELECT id FROM people WHERE id LIKE ? LIMIT 2", (f"p-{code}%",))
        return str(rows[0]["id"]) if len(rows) == 1 else None

    async def missed(self) -> list[dict[str, Any]]:
        rows = await self.db.read("SELECT id, text, at, supporter_id FROM missed_risk ORDER BY id")
        return [dict(row) for row in rows]

    async def take_break(
        self,
        supporter_id: str,
        kind: str,
        minutes: int,
        handoff_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """A debrief or a break: off the queue for a while (no new people)."""
        at = at or self.clock()
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO supporter_breaks (supporter_id, kind, handoff_id, at, minutes)"
                " VALUES (?, ?, ?, ?, ?)",
                (supporter_id, kind, handoff_id, _iso(at), minutes),
            )
            await conn.execute(
                "UPDATE supporters SET break_until = ? WHERE id = ?",
                (_iso(at + timedelta(minutes=minutes)), supporter_id),
            )

    async def tick(self, render: Render, at: datetime | None = None) -> list[tuple[str, Handoff]]:
        """The queue's clock: position updates for those waiting, "still there?" and a
        kind close for the silent. Returns (what happened, handoff) for supporters."""
        at = at or self.clock()
        happened: list[tuple[str, Handoff]] = []
        async with self.db.write() as conn:
            handoffs = await _rows(
                conn, "SELECT * FROM handoffs WHERE status IN ('waiting', 'active') ORDER BY id"
            )
            by_id = {row["id"]: row for row in handoffs}
            due = queue.tick(
                [
                    queue.Queued(
                        _waiting(row),
                        bool(row["off_shift"]),
                        row["position_sent"],
                        _at(row["position_sent_at"]),
                    )
                    for row in handoffs
                    if row["status"] == "waiting"
                ],
                [
                    queue.Live(
                        row["id"],
                        _at(row["last_person_at"]),
                        _at(row["taken_at"]),
                        _at(row["still_there_at"]),
                    )
                    for row in handoffs
                    if row["status"] == "active"
                ],
                await _desks_on(conn),
                at,
            )
            for handoff_id, place in due.positions:
                key, body = render("queue_position", position=place)
                await queue_reply(conn, by_id[handoff_id]["person_id"], key, body, at)
                await conn.execute(
                    "UPDATE handoffs SET position_sent = ?, position_sent_at = ? WHERE id = ?",
                    (place, _iso(at), handoff_id),
                )
            for handoff_id, quiet in due.quiet:
                row = by_id[handoff_id]
                if quiet.action == "ask":
                    key, body = render("peer_still_there")
                    await conn.execute(
                        "UPDATE handoffs SET still_there_at = ? WHERE id = ?", (_iso(at), row["id"])
                    )
                else:
                    key, body = render("peer_closed_quiet")
                    await conn.execute(
                        "UPDATE handoffs SET status = 'ended', ended_at = ?, ended_by = 'silence'"
                        " WHERE id = ?",
                        (_iso(at), row["id"]),
                    )
                    await _insert_counts(
                        conn, [Count("peer_end", "silence", audience=row["audience"])], at
                    )
                await queue_reply(conn, row["person_id"], key, body, at)
                refreshed = (
                    await _rows(conn, "SELECT * FROM handoffs WHERE id = ?", (row["id"],))
                )[0]
                happened.append((quiet.action, _handoff(refreshed)))
        return happened

    # -- supporters on Telegram --------------------------------------------------

    async def supporter_for_chat(self, chat_id: str) -> dict[str, Any] | None:
        rows = await self.db.read(_DESKS + " AND s.telegram_chat_id = ?", (chat_id,))
        return dict(rows[0]) if rows else None

    async def first_time(self, update_id: str, at: datetime | None = None) -> bool:
        """Record a supporter's Telegram update; False if it was acted on already."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO staff_updates (update_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (update_id, _iso(at or self.clock())),
            )
            return bool(cursor.rowcount == 1)

    async def focus(self, supporter_id: str, handoff_id: int | None = None) -> int | None:
        """Set (when given) and return the conversation a supporter's messages go to:
        the one set, if still theirs and live, else their only live one."""
        async with self.db.write() as conn:
            if handoff_id is not None:
                await conn.execute(
                    "UPDATE supporters SET telegram_focus = ? WHERE id = ?",
                    (handoff_id, supporter_id),
                )
            rows = await _rows(
                conn,
                "SELECT h.id, h.id = s.telegram_focus AS focused FROM handoffs h"
                " JOIN supporters s ON s.id = h.supporter_id WHERE h.supporter_id = ?"
                " AND h.status = 'active' ORDER BY focused DESC, h.taken_at DESC",
                (supporter_id,),
            )
        return rules.focus([(int(row["id"]), bool(row["focused"])) for row in rows])

    # -- alerts for supporters on Telegram -----------------------------------------

    async def alert(self, messages: Sequence[StaffMessage], at: datetime | None = None) -> None:
        async with self.db.write() as conn:
            await queue_staff(conn, messages, at or self.clock())

    async def staff_due(self, limit: int = 50, at: datetime | None = None) -> list[dict[str, Any]]:
        rows = await self.db.read(
            "SELECT * FROM staff_outbox WHERE status = 'pending' AND next_attempt_at <= ?"
            " ORDER BY urgent DESC, id LIMIT ?",
            (_iso(at or self.clock()), limit),
        )
        return [{**dict(row), "body": json.loads(row["body"])} for row in rows]

    async def staff_done(
        self,
        item_id: int,
        error: str | None = None,
        retry_in: timedelta | None = None,
        max_attempts: int = rules.STAFF_MAX_ATTEMPTS,
    ) -> None:
        """Sent, or failed: again after ``retry_in``, or for good (no ``retry_in``, or
        ``max_attempts`` reached)."""
        async with self.db.write() as conn:
            if error is None:
                await conn.execute(
                    "UPDATE staff_outbox SET status = 'sent' WHERE id = ?", (item_id,)
                )
            else:
                await conn.execute(
                    "UPDATE staff_outbox SET attempts = attempts + 1, last_error = ?,"
                    " next_attempt_at = ?, status = CASE WHEN ? = 1 OR attempts + 1 >= ?"
                    " THEN 'failed' ELSE 'pending' END WHERE id = ?",
                    (
                        error[:200],
                        _iso(self.clock() + (retry_in or timedelta(0))),
                        int(retry_in is None),
                        max_attempts,
                        item_id,
                    ),
                )


async def _desks_on(conn: Any) -> bool:
    rows = await _rows(
        conn, "SELECT 1 FROM supporters WHERE on_shift = 1 AND disabled_at IS NULL LIMIT 1"
    )
    return bool(rows)
