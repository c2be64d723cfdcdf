"""The directory's working copy: entries as leads keep them, and every change to them.

Only storing: which changes are allowed (validation, staleness, "always something to
offer") is decided in ``bot.directory`` before anything reaches these methods.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .database import Database


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One entry as stored: its YAML fields (``body``) and who last changed and checked it."""

    id: str
    body: Mapping[str, Any]
    origin: str
    verified_by: str | None
    verified_at: datetime | None
    verified_source: str | None
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Change:
    """One entry written: its new body and why (an action from the history's list)."""

    id: str
    body: Mapping[str, Any]
    action: str
    origin: str = "dashboard"
    # Set for "verify": what the lead checked; who and when come with the write.
    verified_source: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class HistoryItem:
    entry_id: str
    at: datetime
    by: str
    action: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any]
    note: str


def _entry(row: Any) -> StoredEntry:
    return StoredEntry(
        id=row["id"],
        body=json.loads(row["body"]),
        origin=row["origin"],
        verified_by=row["verified_by"],
        verified_at=_time(row["verified_at"]),
        verified_source=row["verified_source"],
        updated_by=row["updated_by"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _list(body: Mapping[str, Any], name: str) -> str:
    who = body.get("for") or {}
    return json.dumps(list(who.get(name) or []))


class DirectoryStore:
    """Entries and their history, one transaction per method."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def entries(self) -> list[StoredEntry]:
        rows = await self.db.read("SELECT * FROM directory_entries ORDER BY id")
        return [_entry(row) for row in rows]

    async def get(self, entry_id: str) -> StoredEntry | None:
        rows = await self.db.read("SELECT * FROM directory_entries WHERE id = ?", (entry_id,))
        return _entry(rows[0]) if rows else None

    async def version(self) -> tuple[int, str]:
        """Changes whenever any entry does (how many, the latest change): cheap to poll."""
        rows = await self.db.read(
            "SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), '') AS latest FROM directory_entries"
        )
        return int(rows[0]["n"]), str(rows[0]["latest"])

    async def count(self) -> int:
        rows = await self.db.read("SELECT COUNT(*) AS n FROM directory_entries")
        return int(rows[0]["n"])

    async def history(self, entry_id: str, limit: int = 200) -> list[HistoryItem]:
        rows = await self.db.read(
            "SELECT * FROM directory_history WHERE entry_id = ? ORDER BY id DESC LIMIT ?",
            (entry_id, limit),
        )
        return [
            HistoryItem(
                entry_id=row["entry_id"],
                at=datetime.fromisoformat(row["at"]),
                by=row["by"],
                action=row["action"],
                before=json.loads(row["before"]) if row["before"] else None,
                after=json.loads(row["after"]),
                note=row["note"],
            )
            for row in rows
        ]

    async def seed(self, changes: Sequence[Change], at: datetime) -> int:
        """Add the entries whose id is not stored yet (never one a lead has): how many."""
        added = 0
        async with self.db.write() as conn:
            for change in changes:
                async with conn.execute(
                    "SELECT 1 FROM directory_entries WHERE id = ?", (change.id,)
                ) as cursor:
                    if await cursor.fetchone() is not None:
                        continue
                await self._write(conn, change, None, "seed", at)
                added += 1
        return added

    async def save(
        self,
        changes: Sequence[Change],
        by: str,
        at: datetime,
        expected: Mapping[str, datetime | None] | None = None,
    ) -> bool:
        """Write every change in one transaction, each with its history line.

        ``expected``: for each id, the ``updated_at`` the lead's page was built from
        (None: the entry must not exist yet). If another change came in between, nothing
        is written and the answer is False, so nobody's edit silently undoes another's.
        """
        async with self.db.write() as conn:
            for entry_id, updated_at in (expected or {}).items():
                async with conn.execute(
                    "SELECT updated_at FROM directory_entries WHERE id = ?", (entry_id,)
                ) as cursor:
                    row = await cursor.fetchone()
                now = None if row is None else datetime.fromisoformat(row["updated_at"])
                if now != updated_at:
                    return False
            for change in changes:
                async with conn.execute(
                    "SELECT body FROM directory_entries WHERE id = ?", (change.id,)
                ) as cursor:
                    row = await cursor.fetchone()
                await self._write(conn, change, row["body"] if row else None, by, at)
        return True

    @staticmethod
    async def _write(conn: Any, change: Change, before: str | None, by: str, at: datetime) -> None:
        body = json.dumps(change.body, ensure_ascii=False, sort_keys=True)
        status = str(change.body["status"])
        values = {
            "id": change.id,
            "body": body,
            "name": str(change.body["name"]),
            "kind": str(change.body["kind"]),
            "status": status,
            "closed": int(status == "closed"),
            "languages": _list(change.body, "languages"),
            "communities": _list(change.body, "communities"),
            "origin": change.origin,
            "verified_on": str(change.body["verified_on"]),
            "updated_by": by,
            "updated_at": _iso(at),
        }
        await conn.execute(
            "INSERT INTO directory_entries (id, body, name, kind, status, closed, languages,"
            " communities, origin, verified_on, updated_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET body = excluded.body, name = excluded.name,"
            " kind = excluded.kind, status = excluded.status, closed = excluded.closed,"
            " languages = excluded.languages, communities = excluded.communities,"
            " verified_on = excluded.verified_on, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            tuple(values.values()),  # in the columns' order (PostgreSQL: no :named)
        )
        if change.action in ("verify", "seed"):
            await conn.execute(
                "UPDATE directory_entries SET verified_by = ?, verified_at = ?,"
                " verified_source = ? WHERE id = ?",
                (by, _iso(at), change.verified_source, change.id),
            )
        await conn.execute(
            'INSERT INTO directory_history (entry_id, at, "by", action, before, after, note)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (change.id, _iso(at), by, change.action, before, body, change.note),
        )
