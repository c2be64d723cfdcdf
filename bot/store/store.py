"""The service's store: people, inbox, conversation turns and outbox, behind one class.

The engine never sees SQL. Every method is one transaction, so a crash between two
calls loses nothing that was acknowledged: an inbound message is stored before the
channel is answered, and a reply is stored before anything tries to send it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from bot.clock import Clock, utc_now

from . import turns, wait
from .contract import StoreContract
from .counts import insert_counts as _insert_counts
from .database import LATEST_VERSION, Database
from .directory import DirectoryStore
from .group_writer import GroupWriter
from .peer import PeerStore, apply_turn, open_handoff, queue_staff
from .privacy import PrivacyStore, forget_person

# The records moved to .records (issue 18); importing them from here still works.
from .records import (
    COUNT_KINDS,
    Count,
    DeliveryOutcome,
    DeliveryReport,
    FailedDelivery,
    OpenHandoff,
    OutboxItem,
    Outgoing,
    QueueChange,
    Received,
    RiskMessage,
    RiskRecord,
    StaffMessage,
    StoredInbound,
    Turn,
)
from .staff import StaffStore

__all__ = [
    "CONTACT_GAP",
    "COUNT_KINDS",
    "MAX_ATTEMPTS",
    "Count",
    "DeliveryOutcome",
    "DeliveryReport",
    "FailedDelivery",
    "OpenHandoff",
    "OutboxItem",
    "Outgoing",
    "QueueChange",
    "Received",
    "RiskMessage",
    "RiskRecord",
    "StaffMessage",
    "Store",
    "StoredInbound",
    "Turn",
    "new_person_id",
]

# With the backoff capped at five minutes, 20 attempts ride out a provider that is down
# for about an hour; after that a reply is stale and a lead is better told than the
# person sent it late.
MAX_ATTEMPTS = 20
# Provider statuses that only say a reply is on its way, in the order they come.
_PROGRESS = {"accepted": 0, "scheduled": 0, "queued": 1, "sending": 2, "sent": 3}
# A message after this long a silence starts a new contact, for "contacts by day".
CONTACT_GAP = timedelta(hours=6)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class _Arrival(NamedTuple):
    """What ``Store.receive`` was given, queued for its group's transaction."""

    channel: str
    address: str
    message_id: str
    kind: str
    body: dict[str, Any]
    at: datetime
    opt_out: bool | None


def _address_key(arrival: _Arrival) -> str:
    return f"address:{arrival.channel}:{arrival.address}"


def _turn_key(inbound: StoredInbound, turn: Turn) -> str | None:
    """The turn's write key: the person, when all it changes is theirs (their message,
    conversation, request to talk, plans and check-ins, new replies; counts and risk
    records are only added). None, so it runs alone, when it reads and changes rows
    others share: joining, leaving or ending the queue (handoff ids, queue places, the
    desk's figures), alerting supporters (reads the desk), forgetting the person."""
    queue = turn.queue
    if turn.forget or turn.staff:
        return None
    if queue is not None and (queue.join is not None or queue.leave or queue.end):
        return None
    return f"person:{inbound.person_id}"


def _outbox_keys(ids: Sequence[int]) -> list[str]:
    # A reply's own row: its delivery marks change nothing else.
    return [f"outbox:{outbox_id}" for outbox_id in ids]


# Claimers of one table take one key: they serialise among themselves (so two instances
# never claim one message or reply), beside the turns and stores they claim from.
_CLAIM_INBOX = "claims:inbox"
_CLAIM_OUTBOX = "claims:outbox"


def new_person_id() -> str:
    return "p-" + secrets.token_hex(8)


class Store(PrivacyStore):
    """SQLite (a path) or PostgreSQL (a ``postgresql://`` URL) behind one interface."""

    def __init__(self, path: Path | str, clock: Clock = utc_now) -> None:
        # The one clock (bot/clock.py): every time a method does not get (``at``) is its.
        self.clock = clock
        self.db = Database(path)
        self.peer = PeerStore(self.db, clock)
        self.staff = StaffStore(self.db, clock)
        self.wait = wait.WaitRecords(self.db)
        self.directory = DirectoryStore(self.db)
        # Keyed by the address: everything storing a message changes is that address's
        # (its person, created on first contact, included), so two addresses' messages
        # are stored at once on PostgreSQL, and two copies of one message never are.
        self._inbox = GroupWriter(self.db, self._store_arrival, key=_address_key)

    async def open(self, target: int = LATEST_VERSION) -> Store:
        await self.db.open(target)
        return self

    async def close(self) -> None:
        await self.db.close()

    async def __aenter__(self) -> Store:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def healthy(self) -> bool:
        rows = await self.db.read("SELECT 1")
        return bool(rows)

    # -- inbox ---------------------------------------------------------------

    async def receive(
        self,
        channel: str,
        address: str,
        message_id: str,
        kind: str,
        body: dict[str, Any],
        at: datetime | None = None,
        *,
        opt_out: bool | None = None,
    ) -> Received:
        """Store one inbound message, once; the person is created on first contact.

        ``opt_out`` records, in the same transaction, that the message opted the address
        out of messages (True) or back in (False); a duplicate changes nothing."""
        # Stored in one transaction with whatever else arrived meanwhile (group_writer).
        return await self._inbox.write(
            _Arrival(channel, address, message_id, kind, body, at or self.clock(), opt_out)
        )

    async def _store_arrival(self, conn: Any, arrival: _Arrival) -> Received:
        """One message, inside its group's transaction; it looks for itself first, so a
        second copy (even in the same group) is a duplicate."""
        channel, address, message_id, kind, body, at, opt_out = arrival
        async with conn.execute(
            "SELECT id, person_id FROM inbox WHERE channel = ? AND channel_message_id = ?",
            (channel, message_id),
        ) as cursor:
            seen = await cursor.fetchone()
        if seen is not None:
            return Received(seen["id"], seen["person_id"], duplicate=True)
        person_id = await self._person_for(conn, channel, address, at)
        # A forgotten person who writes again starts afresh (nothing else was kept).
        await conn.execute(
            "UPDATE people SET forgotten_at = NULL, created_at = ? WHERE id = ?"
            " AND forgotten_at IS NOT NULL",
            (_iso(at), person_id),
        )
        # Writing again means they can be reached again (unblocked, opted back in).
        await conn.execute(
            "UPDATE addresses SET unreachable_at = NULL WHERE channel = ? AND address = ?",
            (channel, address),
        )
        if opt_out is not None:
            await conn.execute(
                "UPDATE addresses SET opted_out_at = ? WHERE channel = ? AND address = ?",
                (_iso(at) if opt_out else None, channel, address),
            )
        cursor = await conn.execute(
            "INSERT INTO inbox (channel, channel_message_id, person_id, kind, body,"
            " received_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (channel, message_id, person_id, kind, json.dumps(body), _iso(at)),
        )
        inbox_id = int((await cursor.fetchone())["id"])
        return Received(inbox_id, person_id, duplicate=False)

    async def _person_for(self, conn: Any, channel: str, address: str, at: datetime) -> str:
        async with conn.execute(
            "SELECT person_id FROM addresses WHERE channel = ? AND address = ?", (channel, address)
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None:
            return str(row["person_id"])
        person_id = new_person_id()
        await conn.execute(
            "INSERT INTO people (id, created_at) VALUES (?, ?)", (person_id, _iso(at))
        )
        await conn.execute(
            "INSERT INTO addresses (channel, address, person_id, created_at) VALUES (?, ?, ?, ?)",
            (channel, address, person_id, _iso(at)),
        )
        return person_id

    async def person_for(self, channel: str, address: str) -> str | None:
        rows = await self.db.read(
            "SELECT person_id FROM addresses WHERE channel = ? AND address = ?", (channel, address)
        )
        return str(rows[0]["person_id"]) if rows else None

    # -- web chat tokens -----------------------------------------------------------

    async def issue_web_token(self, token_hash: str, at: datetime | None = None) -> None:
        """Remember that this service issued a web chat token (by its hash)."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO web_sessions (token_hash, created_at) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (token_hash, _iso(at or self.clock())),
            )

    async def web_token_issued(self, token_hash: str) -> bool:
        """Whether a web chat token was issued here (or is a conversation's address)."""
        rows = await self.db.read(
            "SELECT 1 FROM web_sessions WHERE token_hash = ? UNION ALL SELECT 1 FROM addresses"
            " WHERE channel = 'web' AND address = ? LIMIT 1",
            (token_hash, token_hash),
        )
        return bool(rows)

    async def mark_unreachable(self, channel: str, address: str, reason: str) -> None:
        """Stop trying this address: its pending replies fail now, with the reason."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE addresses SET unreachable_at = ? WHERE channel = ? AND address = ?",
                (_iso(self.clock()), channel, address),
            )
            await conn.execute(
                "UPDATE outbox SET status = 'failed', last_error = ?, next_attempt_at = ?"
                " WHERE status = 'pending' AND channel = ? AND person_id = (SELECT person_id"
                " FROM addresses WHERE channel = ? AND address = ?)",
                (reason[:200], _iso(self.clock()), channel, channel, address),
            )

    async def opted_out(self, channel: str, address: str) -> bool:
        rows = await self.db.read(
            "SELECT opted_out_at FROM addresses WHERE channel = ? AND address = ?",
            (channel, address),
        )
        return bool(rows) and rows[0]["opted_out_at"] is not None

    async def set_opted_out(self, channel: str, address: str, at: datetime | None = None) -> None:
        """Record an opt-out the provider reported (the first one stands)."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE addresses SET opted_out_at = COALESCE(opted_out_at, ?)"
                " WHERE channel = ? AND address = ?",
                (_iso(at or self.clock()), channel, address),
            )

    async def unprocessed(self, limit: int = 100) -> list[int]:
        rows = await self.db.read(
            "SELECT id FROM inbox WHERE processed_at IS NULL ORDER BY id LIMIT ?",
            (limit,),
            background=True,
        )
        return [int(row["id"]) for row in rows]

    async def claim_unprocessed(
        self, lease: timedelta, limit: int = 20, at: datetime | None = None
    ) -> list[int]:
        """Unprocessed messages, oldest first, this caller's for ``lease`` (another
        instance on the database is not given them meanwhile). A person whose message is
        claimed elsewhere is skipped whole, so each person's messages are taken in order
        by one instance; when a claimer dies its messages come back after the lease."""
        at = at or self.clock()
        if not await self.unprocessed(1):
            return []  # nothing waiting: no write transaction for an idle look
        async with self.db.write(key=_CLAIM_INBOX) as conn:
            async with conn.execute(
                "SELECT i.id FROM inbox i WHERE i.processed_at IS NULL AND NOT EXISTS"
                " (SELECT 1 FROM inbox j WHERE j.person_id = i.person_id"
                " AND j.processed_at IS NULL AND j.claimed_until > ?) ORDER BY i.id LIMIT ?",
                (_iso(at), limit),
            ) as cursor:
                ids = [int(row["id"]) for row in await cursor.fetchall()]
            if ids:
                marks = ",".join("?" * len(ids))
                await conn.execute(
                    f"UPDATE inbox SET claimed_until = ? WHERE id IN ({marks})",
                    (_iso(at + lease), *ids),
                )
        return ids

    # -- turns ---------------------------------------------------------------

    async def take_turn(
        self,
        inbox_id: int,
        decide: Callable[[StoredInbound, str | None, str], Turn],
        at: datetime | None = None,
    ) -> str | None:
        """Process one inbound message: everything it changes in one transaction.

        Returns the person whose turn it was (to tell who waits for news), or None if the
        message was already processed.

        ``decide`` gets the message, the stored state (JSON) and the person's locale and
        must not do I/O. It runs with no lock held (bot/store/turns.py): the turn is
        written only if what it read is unchanged, else read and decided again.
        """
        at = at or self.clock()
        for _ in range(turns.TRIES):
            seen = await self._turn_inputs(turns.Reads(self.db), inbox_id)
            if seen is None:
                return None
            inbound, state, locale, version = seen
            turn = decide(inbound, state, locale)

            async def write(
                conn: Any,
                inbound: StoredInbound = inbound,
                turn: Turn = turn,
                version: int | None = version,
            ) -> bool:
                if not await self._claim(conn, inbound, version, turn, at):
                    return False
                await self._write_turn(conn, inbound, turn, at)
                return True

            try:
                # One hop to the writer for the whole turn (Database.run): the claim and
                # its writes await nothing but the connection.
                claimed = await self.db.run(write, key=_turn_key(inbound, turn))
            except turns.Moved:
                continue
            if not claimed:
                return None
            return await self._turn_taken(inbound, turn)
        # Busy beyond belief: this once, read and decide inside the lock, as of old (no
        # key: what the turn will change is not known until it is decided).
        async with self.db.write() as conn:
            seen = await self._turn_inputs(conn, inbox_id)
            if seen is None:
                return None
            inbound, state, locale, version = seen
            turn = decide(inbound, state, locale)
            if not await self._claim(conn, inbound, version, turn, at):
                return None
            await self._write_turn(conn, inbound, turn, at)
        return await self._turn_taken(inbound, turn)

    async def _claim(
        self, conn: Any, inbound: StoredInbound, version: int | None, turn: Turn, at: datetime
    ) -> bool:
        return await turns.claim(
            conn,
            inbox_id=inbound.id,
            person_id=inbound.person_id,
            version=version,
            handoff=inbound.handoff,
            state=turn.state,
            at=_iso(at),
        )

    async def _turn_taken(self, inbound: StoredInbound, turn: Turn) -> str:
        if turn.forget:
            # Zeroed in the file by secure_delete; now out of the write-ahead log too.
            await self.db.scrub()
        return inbound.person_id

    async def _turn_inputs(
        self, conn: Any, inbox_id: int
    ) -> tuple[StoredInbound, str | None, str, int | None] | None:
        """What a turn reads: the message, its conversation's state, the person's locale
        and the state's version (None: no conversation yet)."""
        async with conn.execute(
            "SELECT i.*, p.locale, c.state, c.version, (SELECT b.id FROM blocks b WHERE"
            " b.person_id = i.person_id AND b.until > i.received_at ORDER BY b.until DESC"
            " LIMIT 1) AS block_id, (SELECT CASE WHEN a.opted_out_at IS NULL THEN 1 ELSE 0"
            " END FROM addresses a WHERE a.person_id = i.person_id AND a.channel = i.channel"
            " ORDER BY CASE WHEN a.opted_out_at IS NULL THEN 1 ELSE 0 END LIMIT 1)"
            " AS reachable"
            " FROM inbox i JOIN people p ON p.id = i.person_id"
            " LEFT JOIN conversations c ON c.person_id = i.person_id"
            " WHERE i.id = ? AND i.processed_at IS NULL",
            (inbox_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        inbound = StoredInbound(
            id=row["id"],
            person_id=row["person_id"],
            channel=row["channel"],
            kind=row["kind"],
            body=json.loads(row["body"]),
            received_at=datetime.fromisoformat(row["received_at"]),
            handoff=await open_handoff(conn, row["person_id"]),
            block_id=row["block_id"],
            reachable=row["reachable"] != 0,
        )
        version = None if row["version"] is None else int(row["version"])
        return inbound, row["state"], row["locale"], version

    async def _write_turn(
        self, conn: Any, inbound: StoredInbound, turn: Turn, at: datetime
    ) -> None:
        """Everything else a claimed turn changes, in its transaction."""
        inbox_id = inbound.id
        if turn.queue is not None:
            await apply_turn(conn, inbound.person_id, turn.queue, at)
        await queue_staff(conn, turn.staff, at)
        counts = list(turn.counts)
        async with conn.execute(
            "SELECT 1 FROM inbox WHERE person_id = ? AND id < ? AND received_at >= ? LIMIT 1",
            (inbound.person_id, inbox_id, _iso(inbound.received_at - CONTACT_GAP)),
        ) as cursor:
            if await cursor.fetchone() is None:
                counts.append(Count("contact", audience=turn.audience))
                # Counted as a carer's contact already: no need to move it.
                counts = [c for c in counts if c.kind != "became_carer"]
        await _insert_counts(conn, counts, at, inbound.channel)
        await wait.apply(conn, inbound.person_id, inbound.channel, turn.wait, at)
        await conn.executemany(
            "INSERT INTO outbox (person_id, channel, inbox_id, message_key, body, urgent,"
            " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    inbound.person_id,
                    inbound.channel,
                    inbox_id,
                    reply.key,
                    json.dumps(reply.body),
                    int(reply.urgent),
                    _iso(at),
                    _iso(at),
                )
                for reply in turn.replies
            ],
        )
        if turn.risks:  # most turns have none: spare the round trip
            await conn.executemany(
                "INSERT INTO risk_events (at, person_id, inbox_id, level, categories, rules,"
                " ruleset_version, alerted, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        _iso(at),
                        inbound.person_id,
                        risk.inbox_id or inbox_id,
                        risk.level,
                        json.dumps(list(risk.categories)),
                        json.dumps(list(risk.rules)),
                        risk.ruleset_version,
                        int(risk.alerted),
                        risk.source,
                    )
                    for risk in turn.risks
                ],
            )
        if turn.forget:
            await forget_person(conn, inbound.person_id, inbox_id, at)

    # -- outbox --------------------------------------------------------------

    def _item(self, row: Any) -> OutboxItem:
        return OutboxItem(
            id=row["id"],
            person_id=row["person_id"],
            channel=row["channel"],
            address=row["address"],
            key=row["message_key"],
            body=json.loads(row["body"]),
            urgent=bool(row["urgent"]),
            status=row["status"],
            attempts=row["attempts"],
        )

    _ITEM_SQL = (
        "SELECT o.*, a.address FROM outbox o LEFT JOIN addresses a"
        " ON a.person_id = o.person_id AND a.channel = o.channel"
    )

    async def replies_after(
        self, person_id: str, after_id: int, limit: int = 50
    ) -> list[OutboxItem]:
        """Replies for a channel the person pulls from (web chat, terminal), oldest first."""
        rows = await self.db.read(
            f"{self._ITEM_SQL} WHERE o.person_id = ? AND o.id > ? ORDER BY o.id LIMIT ?",
            (person_id, after_id, limit),
        )
        return [self._item(row) for row in rows]

    async def mark_delivered(self, ids: Sequence[int], at: datetime | None = None) -> None:
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        async with self.db.write(key=_outbox_keys(ids)) as conn:
            await conn.execute(
                f"UPDATE outbox SET status = 'delivered', sent_at = COALESCE(sent_at, ?)"
                f" WHERE id IN ({marks}) AND status IN ('pending', 'sent')",
                (_iso(at or self.clock()), *ids),
            )

    async def due(
        self,
        channels: Sequence[str],
        limit: int = 50,
        at: datetime | None = None,
        skip: Collection[str] = (),
    ) -> list[OutboxItem]:
        """Replies ready to push, urgent first, then the first reply to each message
        before anyone's later ones, never overtaking an earlier reply to the same person
        (so each person's replies arrive in order). ``skip``: people whose chat is held
        back for now (the channel asked us to wait), left for later."""
        if not channels:
            return []
        skip = sorted(skip)
        rows = await self.db.read(
            self._due_sql(channels, len(skip)),
            (*channels, _iso(at or self.clock()), *skip, limit),
            background=True,
        )
        return [self._item(row) for row in rows]

    def _due_sql(self, channels: Sequence[str], skipped: int = 0) -> str:
        marks = ",".join("?" * len(channels))
        held = f" AND o.person_id NOT IN ({','.join('?' * skipped)})" if skipped else ""
        # A reply is "later" when the person's previous reply answered the same message
        # (a turn's replies are written together): someone new waiting for a first word
        # goes before the second and third replies to people already answered, which
        # at Telegram's 30 a second is the difference between tens of milliseconds and
        # seconds. One index step each (outbox_person). Replies with no message (a
        # supporter's words, check-ins) count as first.
        later = (
            "CASE WHEN o.inbox_id IS NOT NULL AND o.inbox_id = (SELECT p.inbox_id"
            " FROM outbox p WHERE p.person_id = o.person_id AND p.id < o.id"
            " ORDER BY p.id DESC LIMIT 1) THEN 1 ELSE 0 END"
        )
        return (
            f"{self._ITEM_SQL} WHERE o.status = 'pending' AND o.channel IN ({marks})"
            f" AND o.next_attempt_at <= ?{held} AND NOT EXISTS (SELECT 1 FROM outbox e"
            " WHERE e.person_id = o.person_id AND e.status = 'pending' AND e.id < o.id)"
            f" ORDER BY o.urgent DESC, {later}, o.id LIMIT ?"
        )

    async def claim_due(
        self,
        channels: Sequence[str],
        lease: timedelta,
        limit: int = 20,
        at: datetime | None = None,
        skip: Collection[str] = (),
    ) -> list[OutboxItem]:
        """As ``due``, but each reply returned is this caller's for ``lease``: no other
        process on the database is given it meanwhile, so every instance can drain the
        outbox without sending a reply twice. The claim is a lease on
        ``next_attempt_at``: ``mark_sent``/``mark_retry``/``mark_failed`` end it, and if
        the claimer dies the reply is due again once the lease runs out (at most the
        send in flight then goes twice)."""
        if not channels:
            return []
        at = at or self.clock()
        if not await self.due(channels, 1, at, skip):
            return []  # nothing due: no write transaction for an idle sender's look
        skip = sorted(skip)
        async with self.db.write(key=_CLAIM_OUTBOX) as conn:
            async with conn.execute(
                self._due_sql(channels, len(skip)), (*channels, _iso(at), *skip, limit)
            ) as cursor:
                rows = await cursor.fetchall()
            items = [self._item(row) for row in rows]
            if items:
                marks = ",".join("?" * len(items))
                await conn.execute(
                    f"UPDATE outbox SET next_attempt_at = ? WHERE id IN ({marks})",
                    (_iso(at + lease), *(item.id for item in items)),
                )
        return items

    async def release(self, ids: Sequence[int], at: datetime | None = None) -> None:
        """Give back claimed replies not sent (stopping): due again at once, for anyone."""
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        async with self.db.write(key=_outbox_keys(ids)) as conn:
            await conn.execute(
                f"UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'"
                f" AND id IN ({marks})",
                (_iso(at or self.clock()), *ids),
            )

    async def mark_sent(
        self, outbox_id: int, at: datetime | None = None, channel_message_id: str | None = None
    ) -> None:
        """Handed to the channel; ``channel_message_id`` is the provider's id for it, which
        its delivery reports name."""
        async with self.db.write(key=_outbox_keys([outbox_id])) as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
                " channel_message_id = ?, channel_status = NULL WHERE id = ?",
                (_iso(at or self.clock()), channel_message_id, outbox_id),
            )

    async def record_delivery(
        self,
        channel: str,
        channel_message_id: str,
        channel_status: str,
        outcome: DeliveryOutcome,
        error: str | None = None,
        retry_in: timedelta | None = None,
        at: datetime | None = None,
    ) -> DeliveryReport | None:
        """Apply a provider's delivery report to the reply that carries its message id.

        Idempotent and order-proof: only a reply still 'sent' moves on (to 'delivered',
        'failed', or back to 'pending' for a retry), so a repeated or late report
        changes nothing. None when no reply has that id."""
        at = at or self.clock()
        async with self.db.write() as conn:
            async with conn.execute(
                "SELECT o.id, o.person_id, o.status, o.channel_status, a.address FROM outbox o"
                " LEFT JOIN addresses a ON a.person_id = o.person_id AND a.channel = o.channel"
                " WHERE o.channel = ? AND o.channel_message_id = ? ORDER BY o.id DESC LIMIT 1",
                (channel, channel_message_id),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None
            status = str(row["status"])
            changed = status == "sent"
            if changed and outcome == "sent":
                # Reports can arrive out of order: never step back (sent, then queued).
                before = _PROGRESS.get(row["channel_status"] or "", -1)
                changed = _PROGRESS.get(channel_status, 0) >= before
                if changed:
                    await conn.execute(
                        "UPDATE outbox SET channel_status = ? WHERE id = ?",
                        (channel_status, row["id"]),
                    )
            elif changed and outcome == "retry":
                await conn.execute(
                    "UPDATE outbox SET channel_status = ?, last_error = ?,"
                    " next_attempt_at = CASE WHEN attempts >= ? THEN ? ELSE ? END,"
                    " status = CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END"
                    " WHERE id = ?",
                    (
                        channel_status,
                        (error or channel_status)[:200],
                        MAX_ATTEMPTS,
                        _iso(at),
                        _iso(at + (retry_in or timedelta(0))),
                        MAX_ATTEMPTS,
                        row["id"],
                    ),
                )
            elif changed:
                await conn.execute(
                    "UPDATE outbox SET status = ?, channel_status = ?,"
                    " last_error = COALESCE(?, last_error),"
                    " next_attempt_at = CASE WHEN ? = 'failed' THEN ? ELSE next_attempt_at END"
                    " WHERE id = ?",
                    (
                        outcome,
                        channel_status,
                        error[:200] if error else None,
                        outcome,
                        _iso(at),
                        row["id"],
                    ),
                )
            async with conn.execute("SELECT status FROM outbox WHERE id = ?", (row["id"],)) as cur:
                now = await cur.fetchone()
        return DeliveryReport(
            outbox_id=int(row["id"]),
            person_id=str(row["person_id"]),
            address=row["address"],
            status=str(now["status"]) if now else status,
            changed=changed,
        )

    async def mark_retry(
        self, outbox_id: int, error: str, delay: timedelta, at: datetime | None = None
    ) -> str:
        """Count a failed attempt; after MAX_ATTEMPTS the reply is failed for good.

        Returns the new status."""
        at = at or self.clock()
        async with self.db.write(key=_outbox_keys([outbox_id])) as conn:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                " next_attempt_at = CASE WHEN attempts + 1 >= ? THEN ? ELSE ? END,"
                " status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END"
                " WHERE id = ?",
                (error[:200], MAX_ATTEMPTS, _iso(at), _iso(at + delay), MAX_ATTEMPTS, outbox_id),
            )
            async with conn.execute("SELECT status FROM outbox WHERE id = ?", (outbox_id,)) as cur:
                row = await cur.fetchone()
        return str(row["status"]) if row else "failed"

    async def mark_failed(self, outbox_id: int, error: str, at: datetime | None = None) -> None:
        async with self.db.write(key=_outbox_keys([outbox_id])) as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,"
                " next_attempt_at = ? WHERE id = ?",
                (error[:200], _iso(at or self.clock()), outbox_id),
            )

    async def failed_deliveries(
        self, since: datetime | None = None, limit: int = 1000
    ) -> list[FailedDelivery]:
        """Replies given up on since ``since``, newest first, for leads (the CLI, and the
        dashboard's page when it comes). Never the address: the person id is enough to
        find the conversation, and a phone number is nobody's business.

        A failed reply is never attempted again, so its ``next_attempt_at`` holds the
        moment it was given up (every path to 'failed' sets it)."""
        rows = await self.db.read(
            "SELECT id, person_id, channel, message_key, urgent, attempts, last_error,"
            " next_attempt_at FROM outbox WHERE status = 'failed' AND next_attempt_at >= ?"
            " ORDER BY next_attempt_at DESC, id DESC LIMIT ?",
            (_iso(since or datetime(1970, 1, 1, tzinfo=UTC)), limit),
        )
        return [
            FailedDelivery(
                outbox_id=int(row["id"]),
                person_id=str(row["person_id"]),
                channel=str(row["channel"]),
                key=str(row["message_key"]),
                urgent=bool(row["urgent"]),
                attempts=int(row["attempts"]),
                reason=str(row["last_error"] or "unknown"),
                failed_at=datetime.fromisoformat(row["next_attempt_at"]),
            )
            for row in rows
        ]

    # -- anonymous counts ----------------------------------------------------

    async def record_counts(self, counts: Sequence[Count], at: datetime | None = None) -> None:
        async with self.db.write() as conn:
            await _insert_counts(conn, counts, at or self.clock())

    async def counts(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        kinds: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Counts in [since, until), oldest first, as rows (at, kind, channel, audience,
        detail, value)."""
        where = ["at >= ?", "at < ?"]
        params: list[Any] = [
            _iso(since or datetime(1970, 1, 1, tzinfo=UTC)),
            _iso(until or datetime(9999, 1, 1, tzinfo=UTC)),
        ]
        if kinds:
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        rows = await self.db.read(
            "SELECT at, kind, channel, audience, detail, value FROM counts"
            f" WHERE {' AND '.join(where)} ORDER BY id",
            params,
        )
        return [dict(row) for row in rows]

    # -- reading back --------------------------------------------------------

    async def transcript(self, person_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Everything said and answered, in order: (who, when, body)."""
        rows = await self.db.read(
            "SELECT 'person' AS who, received_at AS at, body, id, 0 AS side FROM inbox"
            " WHERE person_id = ? UNION ALL SELECT 'bot', created_at, body, inbox_id, 1"
            " FROM outbox WHERE person_id = ? ORDER BY at, side, id",
            (person_id, person_id),
        )
        return [(row["who"], row["at"], json.loads(row["body"])) for row in rows]

    async def risk_messages(
        self, person_id: str | None = None, *, handoff_id: int | None = None
    ) -> list[RiskMessage]:
        """The messages that raised a person's risk flag, oldest first, each with the
        rule ids and categories that flagged it (the flag is sticky, so every one counts).

        For a handoff: its person's, up to the end of that conversation if it ended."""
        if handoff_id is not None:
            rows = await self.db.read(
                f"{_RISK_MESSAGES} JOIN handoffs h ON h.person_id = r.person_id"
                " WHERE h.id = ? AND (h.ended_at IS NULL OR r.at <= h.ended_at) ORDER BY r.id",
                (handoff_id,),
            )
        elif person_id is not None:
            rows = await self.db.read(
                f"{_RISK_MESSAGES} WHERE r.person_id = ? ORDER BY r.id", (person_id,)
            )
        else:
            raise ValueError("risk_messages needs a person or a handoff")
        return [_risk_message(row) for row in rows]

    async def risk_events(self, person_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE person_id = ?", (person_id,)) if person_id else ("", ())
        rows = await self.db.read(f"SELECT * FROM risk_events {where} ORDER BY id", params)
        return [dict(row) for row in rows]


_RISK_MESSAGES = (
    "SELECT r.id, r.at, r.level, r.categories, r.rules, r.source, r.inbox_id, i.kind, i.body"
    " FROM risk_events r LEFT JOIN inbox i ON i.id = r.inbox_id"
)


def _risk_message(row: Any) -> RiskMessage:
    body = json.loads(row["body"]) if row["body"] else {}
    return RiskMessage(
        event_id=row["id"],
        at=datetime.fromisoformat(row["at"]),
        level=row["level"],
        categories=tuple(json.loads(row["categories"])),
        rules=tuple(json.loads(row["rules"])),
        source=row["source"],
        inbox_id=row["inbox_id"],
        kind=row["kind"] or "",
        text=str(body.get("text") or ""),
        option=body.get("option") or body.get("command"),
    )


def _satisfies(store: Store) -> StoreContract:
    # mypy checks here that Store satisfies the contract (bot/store/contract.py); a
    # method missing or with another signature fails `make lint`.
    return store
