"""Read-only figures for reports and ``/metrics``: the SQL behind them, nothing personal.

Reports read anonymous counts (``Store.counts``) and the risk events here; metrics read
what is moving through the inbox and outbox now. No message text, no addresses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .database import Database

# The window for "lately" figures: recent enough that retention never trims it.
RECENT = timedelta(hours=1)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Traffic:
    """What the service is doing, for ``/metrics``: keys are channels or (channel, status)."""

    received_recent: dict[str, int] = field(default_factory=dict)
    replies_recent: dict[tuple[str, str], int] = field(default_factory=dict)
    failures_recent: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)
    oldest_pending_seconds: dict[str, float] = field(default_factory=dict)
    contacts: dict[str, int] = field(default_factory=dict)
    urgent_flags: int = 0
    queue_waits: int = 0
    queue_wait_seconds: float = 0.0


async def risk_rows(db: Database, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Risk events in [since, until) as (at, level, alerted): never text or person."""
    rows = await db.read(
        "SELECT at, level, alerted FROM risk_events WHERE at >= ? AND at < ? ORDER BY at",
        (_iso(since), _iso(until)),
    )
    return [dict(row) for row in rows]


async def traffic(db: Database, now: datetime | None = None) -> Traffic:
    """Messages in and replies out over the last hour, the backlog, and lasting totals."""
    now = now or datetime.now(UTC)
    recent = _iso(now - RECENT)
    received = await db.read(
        "SELECT channel, COUNT(*) AS n FROM inbox WHERE received_at >= ? GROUP BY channel",
        (recent,),
    )
    replies = await db.read(
        "SELECT channel, status, COUNT(*) AS n FROM outbox WHERE created_at >= ?"
        " GROUP BY channel, status",
        (recent,),
    )
    pending = await db.read(
        "SELECT channel, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox"
        " WHERE status = 'pending' GROUP BY channel"
    )
    contacts = await db.read(
        "SELECT channel, COUNT(*) AS n FROM counts WHERE kind = 'contact' GROUP BY channel"
    )
    waits = await db.read(
        "SELECT COUNT(value) AS n, COALESCE(SUM(value), 0) AS total FROM counts"
        " WHERE kind = 'queue_wait'"
    )
    urgent = await db.read(
        "SELECT COUNT(*) AS n FROM risk_events WHERE level = 'urgent' AND alerted"
    )
    replies_recent = {(r["channel"], r["status"]): int(r["n"]) for r in replies}
    return Traffic(
        received_recent={r["channel"]: int(r["n"]) for r in received},
        replies_recent=replies_recent,
        failures_recent={c: n for (c, status), n in replies_recent.items() if status == "failed"},
        pending={r["channel"]: int(r["n"]) for r in pending},
        oldest_pending_seconds={
            r["channel"]: max(0.0, (now - datetime.fromisoformat(r["oldest"])).total_seconds())
            for r in pending
        },
        contacts={r["channel"]: int(r["n"]) for r in contacts},
        urgent_flags=int(urgent[0]["n"]),
        queue_waits=int(waits[0]["n"]),
        queue_wait_seconds=float(waits[0]["total"]),
    )


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """The peer queue right now, for ``/metrics``; the queue's own module fills it in."""

    waiting: int = 0
    waiting_urgent: int = 0
    longest_wait_seconds: float = 0.0
