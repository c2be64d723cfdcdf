"""Migrations on a real file: from empty, and from every earlier schema version."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import aiosqlite
import pytest

from bot.store import LATEST_VERSION, Database, Store, schema_version
from bot.store.database import migrations


async def _tables(path: Path) -> set[str]:
    async with (
        aiosqlite.connect(path) as conn,
        conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur,
    ):
        return {row[0] for row in await cur.fetchall()}


async def test_an_empty_file_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "new" / "wr.sqlite3"
    async with Store(path) as store:
        assert await schema_version(store.db._writer) == LATEST_VERSION  # type: ignore[arg-type]
    assert {"people", "addresses", "conversations", "inbox", "outbox", "risk_events"} <= (
        await _tables(path)
    )


async def test_pragmas_are_set_per_connection(tmp_path: Path) -> None:
    async with Store(tmp_path / "wr.sqlite3") as store:
        for conn in (store.db._writer, store.db._reader, store.db._background):
            assert conn is not None
            async with conn.execute("PRAGMA journal_mode") as cur:
                assert (await cur.fetchone())[0] == "wal"  # type: ignore[index]
            async with conn.execute("PRAGMA foreign_keys") as cur:
                assert (await cur.fetchone())[0] == 1  # type: ignore[index]


@pytest.mark.parametrize("start", [version for version, _ in migrations()[:-1]])
async def test_every_earlier_version_upgrades_with_its_data(tmp_path: Path, start: int) -> None:
    path = tmp_path / "wr.sqlite3"
    old = Database(path)
    await old.open(target=start)
    try:
        async with old.write() as conn:
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-1', '2026-01-01')")
            await conn.execute(
                "INSERT INTO addresses (channel, address, person_id, created_at)"
                " VALUES ('web', 'abc', 'p-1', '2026-01-01')"
            )
            await conn.execute(
                "INSERT INTO inbox (channel, channel_message_id, person_id, kind, body,"
                " received_at) VALUES ('web', 'm1', 'p-1', 'text', '{\"text\": \"hi\"}',"
                " '2026-01-01')"
            )
    finally:
        await old.close()  # its worker threads would otherwise keep pytest from exiting

    async with Store(path) as store:
        assert await store.person_for("web", "abc") == "p-1"
        assert await store.unprocessed() == [1]
        assert await schema_version(store.db._writer) == LATEST_VERSION  # type: ignore[arg-type]


async def test_a_failed_migration_leaves_the_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.store import database

    path = tmp_path / "wr.sqlite3"
    first = Database(path)
    await first.open(target=1)
    await first.close()
    broken = [*migrations()[:1], (2, "CREATE TABLE half (x);\nTHIS IS NOT SQL;")]
    monkeypatch.setattr(database, "migrations", lambda: broken)
    again = Database(path)
    with pytest.raises(aiosqlite.OperationalError):
        await again.open(target=2)
    assert "half" not in await _tables(path)
    async with aiosqlite.connect(path) as conn:
        assert await schema_version(conn) == 1


async def test_a_write_is_rolled_back_on_error(tmp_path: Path) -> None:
    async with Store(tmp_path / "wr.sqlite3") as store:
        with pytest.raises(RuntimeError):
            async with store.db.write() as conn:
                await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-x', 'now')")
                raise RuntimeError("boom")
        assert await store.db.read("SELECT * FROM people") == []


async def test_the_background_reader_reads_apart_and_sees_what_was_committed(
    tmp_path: Path,
) -> None:
    async with Store(tmp_path / "wr.sqlite3") as store:
        db = store.db
        assert db._background is not None and db._background is not db._reader
        received = await store.receive("web", "a", "1", "text", {"text": "hi"})
        for background in (False, True):
            rows = await db.read("SELECT id FROM inbox", background=background)
            assert [row["id"] for row in rows] == [received.inbox_id]


# A read long enough to be cancelled while SQLite is still in it.
_SLOW_READ = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
    " SELECT i FROM n"
)


@pytest.mark.parametrize("after", [0.0, 0.001, 0.01, 0.05])
async def test_a_cancelled_read_leaves_no_old_snapshot_behind(tmp_path: Path, after: float) -> None:
    """A read cancelled part way (a request given up on) must not leave its connection in
    a read transaction: a web chat token issued next is seen at once by the reader that
    checks it, on either reader."""
    async with Store(tmp_path / "wr.sqlite3") as store:
        for background in (False, True):
            reading = asyncio.create_task(store.db.read(_SLOW_READ, background=background))
            await asyncio.sleep(after)
            for _ in range(3):  # cancelled again and again, as a cancel scope does
                reading.cancel()
                await asyncio.sleep(0)
            with contextlib.suppress(asyncio.CancelledError):
                await reading
            token = f"{'b' if background else 'r'}{after}".ljust(64, "0")
            await store.issue_web_token(token)
            assert await store.web_token_issued(token)
            rows = await store.db.read(
                "SELECT 1 FROM web_sessions WHERE token_hash = ?", (token,), background=True
            )
            assert rows
