"""Writing anonymous counts, inside any write transaction of the store's modules.

Its own module so the store's modules (turns, the queue, while-you-wait) share it
without importing each other."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from .records import COUNT_KINDS, Count


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


async def insert_counts(
    conn: Any, counts: Sequence[Count], at: datetime, channel: str = ""
) -> None:
    unknown = {count.kind for count in counts} - COUNT_KINDS
    if unknown:
        raise ValueError(f"unknown count kinds: {sorted(unknown)}")
    if not counts:
        return  # spare the round trip
    await conn.executemany(
        "INSERT INTO counts (at, kind, channel, audience, detail, value) VALUES (?, ?, ?, ?, ?, ?)",
        [(_iso(at), c.kind, c.channel or channel, c.audience, c.detail, c.value) for c in counts],
    )
