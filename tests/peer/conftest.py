"""Supporters and a store for the queue's tests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import Store


async def add_supporter(
    store: Store,
    supporter_id: str,
    name: str,
    *,
    on_shift: bool = True,
    cap: int = 2,
    tags: tuple[str, ...] = (),
    role: str = "supporter",
    chat: str | None = None,
) -> None:
    async with store.db.write() as conn:
        await conn.execute(
            "INSERT INTO supporters (id, name, display_name, role, password_hash, caseload_cap,"
            " tags, on_shift, telegram_chat_id, created_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?,"
            " '2026-11-28T00:00:00+00:00')",
            (
                supporter_id,
                name.lower(),
                name,
                role,
                cap,
                json.dumps(list(tags)),
                int(on_shift),
                chat,
            ),
        )


def add_supporter_sync(db: Path, supporter_id: str, name: str, chat: str | None = None) -> None:
    """The same, into a running service's file (another process, WAL)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO supporters (id, name, display_name, role, password_hash, caseload_cap,"
            " tags, on_shift, telegram_chat_id, created_at) VALUES (?, ?, ?, 'supporter', '', 2,"
            " '[]', 1, ?, '2026-11-28T00:00:00+00:00')",
            (supporter_id, name.lower(), name, chat),
        )


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as opened:
        yield opened
