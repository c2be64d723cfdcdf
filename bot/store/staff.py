"""Supporter accounts, dashboard sessions, link codes and failed logins: the SQL.

Every method is one transaction. Times are passed in (``at``) so tests can move the clock;
they default to now. Secrets are made and rules decided in ``bot.staff`` (one-time
passwords, session tokens, link codes, lockout); this module stores what it is given.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.clock import Clock, utc_now
from bot.staff import link_codes, lockout, sessions
from bot.staff.models import DEFAULT_CAP, Role, Supporter
from bot.staff.sessions import Session

from .database import Database


class NameTaken(ValueError):
    """A supporter with that login name exists already."""


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def new_supporter_id() -> str:
    return "s-" + secrets.token_hex(8)


def _supporter(row: Any) -> Supporter:
    return Supporter(
        id=row["id"],
        name=row["name"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        caseload_cap=int(row["caseload_cap"]),
        tags=tuple(json.loads(row["tags"])),
        on_shift=bool(row["on_shift"]),
        break_until=_time(row["break_until"]),
        telegram_chat_id=row["telegram_chat_id"],
        disabled_at=_time(row["disabled_at"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        password_changed_at=_time(row["password_changed_at"]),
        must_change_password=bool(row["must_change_password"]),
    )


def _session(row: Any) -> Session:
    return Session(
        token_hash=row["token_hash"],
        supporter_id=row["supporter_id"],
        csrf_token=row["csrf_token"],
        created_at=datetime.fromisoformat(row["created_at"]),
        last_seen_at=datetime.fromisoformat(row["last_seen_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
    )


class StaffStore:
    """What the dashboard, the CLI and the queue need to know about supporters."""

    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    # -- accounts ------------------------------------------------------------

    async def add_supporter(
        self,
        name: str,
        display_name: str,
        role: Role,
        password_hash: str,
        *,
        caseload_cap: int = DEFAULT_CAP,
        tags: Sequence[str] = (),
        must_change_password: bool = True,
        at: datetime | None = None,
    ) -> Supporter:
        """A new supporter; names are checked by ``bot.staff.models`` before they get here."""
        at = at or self.clock()
        supporter_id = new_supporter_id()
        try:
            async with self.db.write() as conn:
                await conn.execute(
                    "INSERT INTO supporters (id, name, display_name, role, password_hash,"
                    " caseload_cap, tags, created_at, password_changed_at, must_change_password)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        supporter_id,
                        name,
                        display_name,
                        role.value,
                        password_hash,
                        caseload_cap,
                        json.dumps(list(tags)),
                        _iso(at),
                        _iso(at),
                        int(must_change_password),
                    ),
                )
        except sqlite3.IntegrityError as error:
            if "UNIQUE" not in str(error):
                raise
            raise NameTaken(name) from error
        found = await self.get(supporter_id)
        assert found is not None
        return found

    async def get(self, supporter_id: str) -> Supporter | None:
        rows = await self.db.read("SELECT * FROM supporters WHERE id = ?", (supporter_id,))
        return _supporter(rows[0]) if rows else None

    async def by_name(self, name: str) -> Supporter | None:
        rows = await self.db.read("SELECT * FROM supporters WHERE name = ?", (name.strip(),))
        return _supporter(rows[0]) if rows else None

    async def by_telegram(self, chat_id: str) -> Supporter | None:
        """The active supporter linked to this Telegram chat, if any."""
        rows = await self.db.read(
            "SELECT * FROM supporters WHERE telegram_chat_id = ? AND disabled_at IS NULL",
            (str(chat_id),),
        )
        return _supporter(rows[0]) if rows else None

    async def list(self, *, include_disabled: bool = True) -> list[Supporter]:
        where = "" if include_disabled else " WHERE disabled_at IS NULL"
        rows = await self.db.read(f"SELECT * FROM supporters{where} ORDER BY name")
        return [_supporter(row) for row in rows]

    async def password_hash(self, supporter_id: str) -> str | None:
        rows = await self.db.read(
            "SELECT password_hash FROM supporters WHERE id = ?", (supporter_id,)
        )
        return str(rows[0]["password_hash"]) if rows else None

    async def update(
        self,
        supporter_id: str,
        *,
        display_name: str | None = None,
        role: Role | None = None,
        caseload_cap: int | None = None,
        tags: Sequence[str] | None = None,
    ) -> Supporter | None:
        """Change what is given; leave the rest."""
        changes: dict[str, Any] = {}
        if display_name is not None:
            changes["display_name"] = display_name
        if role is not None:
            changes["role"] = role.value
        if caseload_cap is not None:
            changes["caseload_cap"] = caseload_cap
        if tags is not None:
            changes["tags"] = json.dumps(list(tags))
        if changes:
            # Column names come from the fixed keys above, never from input.
            assignments = ", ".join(f"{column} = ?" for column in changes)
            async with self.db.write() as conn:
                await conn.execute(
                    f"UPDATE supporters SET {assignments} WHERE id = ?",
                    (*changes.values(), supporter_id),
                )
        return await self.get(supporter_id)

    async def set_password(
        self,
        supporter_id: str,
        password_hash: str,
        *,
        must_change: bool = False,
        at: datetime | None = None,
    ) -> None:
        """A new password ends every session of theirs; the caller opens a fresh one."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE supporters SET password_hash = ?, must_change_password = ?,"
                " password_changed_at = ? WHERE id = ?",
                (password_hash, int(must_change), _iso(at or self.clock()), supporter_id),
            )
            await conn.execute("DELETE FROM staff_sessions WHERE supporter_id = ?", (supporter_id,))

    async def rehash_password(self, supporter_id: str, password_hash: str) -> None:
        """The same password under new KDF parameters; sessions stay."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE supporters SET password_hash = ? WHERE id = ?",
                (password_hash, supporter_id),
            )

    async def disable(self, supporter_id: str, at: datetime | None = None) -> None:
        """No more logins, sessions, shifts or Telegram link; the record stays for history."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE supporters SET disabled_at = COALESCE(disabled_at, ?), on_shift = 0,"
                " telegram_chat_id = NULL WHERE id = ?",
                (_iso(at or self.clock()), supporter_id),
            )
            await conn.execute("DELETE FROM staff_sessions WHERE supporter_id = ?", (supporter_id,))
            await conn.execute(
                "DELETE FROM telegram_link_codes WHERE supporter_id = ?", (supporter_id,)
            )

    async def set_shift(self, supporter_id: str, on: bool) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE supporters SET on_shift = ?, break_until = CASE WHEN ? = 1 THEN break_until"
                " ELSE NULL END WHERE id = ? AND disabled_at IS NULL",
                (int(on), int(on), supporter_id),
            )

    async def set_break(self, supporter_id: str, until: datetime | None) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE supporters SET break_until = ? WHERE id = ?",
                (_iso(until) if until else None, supporter_id),
            )

    # -- sessions ------------------------------------------------------------

    async def add_session(self, session: Session) -> None:
        """Keep a new session (``bot.staff.sessions.new_session``): only its token's hash."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT INTO staff_sessions (token_hash, supporter_id, csrf_token, created_at,"
                " last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session.token_hash,
                    session.supporter_id,
                    session.csrf_token,
                    _iso(session.created_at),
                    _iso(session.last_seen_at),
                    _iso(session.expires_at),
                ),
            )

    async def lookup_session(
        self, token: str, at: datetime | None = None
    ) -> tuple[Supporter, Session] | None:
        """The live session for a cookie token and its active supporter; else None.

        An expired session is deleted when it is found."""
        at = at or self.clock()
        hashed = sessions.token_hash(token)
        rows = await self.db.read("SELECT * FROM staff_sessions WHERE token_hash = ?", (hashed,))
        if not rows:
            return None
        session = _session(rows[0])
        if not sessions.is_live(session, at):
            await self.delete_session(token)
            return None
        supporter = await self.get(session.supporter_id)
        if supporter is None or not supporter.active:
            return None
        return supporter, session

    async def touch_session(self, token_hash: str, at: datetime | None = None) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?",
                (_iso(at or self.clock()), token_hash),
            )

    async def delete_session(self, token: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "DELETE FROM staff_sessions WHERE token_hash = ?", (sessions.token_hash(token),)
            )

    async def purge_expired(self, at: datetime | None = None) -> int:
        """Delete sessions past their absolute limit, expired link codes, and failed-login
        counts that are not a live lock (so guessed names do not pile up).

        Idle sessions also go when next looked up. For the daily retention job."""
        at_iso = _iso(at or self.clock())
        async with self.db.write() as conn:
            removed = 0
            for sql in (
                "DELETE FROM staff_sessions WHERE expires_at <= ?",
                "DELETE FROM telegram_link_codes WHERE expires_at <= ?",
                "DELETE FROM staff_login_failures WHERE coalesce(locked_until, '') <= ?",
            ):
                cursor = await conn.execute(sql, (at_iso,))
                removed += cursor.rowcount
            return removed

    # -- failed logins ---------------------------------------------------------

    async def login_failures(self, name: str) -> lockout.Failures:
        rows = await self.db.read(
            "SELECT failures, locked_until FROM staff_login_failures WHERE name = ?",
            (name.strip(),),
        )
        if not rows:
            return lockout.Failures()
        return lockout.Failures(int(rows[0]["failures"]), _time(rows[0]["locked_until"]))

    async def change_login_failures(
        self, name: str, change: Callable[[lockout.Failures], lockout.Failures | None]
    ) -> lockout.Failures | None:
        """Read a name's failed logins, apply ``change`` (a rule from ``bot.staff.lockout``)
        and write the result, all in one write transaction, so tries sent at once are
        counted one after another. None from ``change`` leaves the row as it was."""
        name = name.strip()[:100]
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "SELECT failures, locked_until FROM staff_login_failures WHERE name = ?", (name,)
            )
            row = await cursor.fetchone()
            await cursor.close()
            current = (
                lockout.Failures(int(row["failures"]), _time(row["locked_until"]))
                if row
                else lockout.Failures()
            )
            changed = change(current)
            if changed is not None:
                await conn.execute(
                    "INSERT INTO staff_login_failures (name, failures, locked_until)"
                    " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                    " failures = excluded.failures, locked_until = excluded.locked_until",
                    (
                        name,
                        changed.count,
                        _iso(changed.locked_until) if changed.locked_until else None,
                    ),
                )
            return changed

    async def clear_login_failures(self, name: str) -> None:
        async with self.db.write() as conn:
            await conn.execute("DELETE FROM staff_login_failures WHERE name = ?", (name.strip(),))

    # -- Telegram link ---------------------------------------------------------

    async def add_link_code(self, code: link_codes.LinkCode) -> None:
        """Keep a link code (``bot.staff.link_codes.issue``), by its hash; any earlier code
        of the supporter's stops working."""
        async with self.db.write() as conn:
            await conn.execute(
                "DELETE FROM telegram_link_codes WHERE supporter_id = ?", (code.supporter_id,)
            )
            await conn.execute(
                "INSERT INTO telegram_link_codes (code_hash, supporter_id, expires_at)"
                " VALUES (?, ?, ?)",
                (code.code_hash, code.supporter_id, _iso(code.expires_at)),
            )

    async def link_telegram(
        self, code: str, chat_id: str, at: datetime | None = None
    ) -> Supporter | None:
        """Link ``chat_id`` to the supporter whose live code this is; the code is used up.

        None for an unknown, expired or used code, or a disabled supporter. A chat linked
        to someone else before is moved to this supporter."""
        at = at or self.clock()
        async with self.db.write() as conn:
            async with conn.execute(
                "DELETE FROM telegram_link_codes WHERE code_hash = ? RETURNING supporter_id,"
                " expires_at",
                (link_codes.code_hash(code),),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None or datetime.fromisoformat(row["expires_at"]) <= at:
                return None
            supporter_id = row["supporter_id"]
            await conn.execute(
                "UPDATE supporters SET telegram_chat_id = NULL WHERE telegram_chat_id = ?",
                (str(chat_id),),
            )
            cursor = await conn.execute(
                "UPDATE supporters SET telegram_chat_id = ? WHERE id = ? AND disabled_at IS NULL",
                (str(chat_id), supporter_id),
            )
            if cursor.rowcount == 0:
                return None
        return await self.get(supporter_id)

    async def unlink_telegram(self, supporter_id: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE supporters SET telegram_chat_id = NULL WHERE id = ?", (supporter_id,)
            )
