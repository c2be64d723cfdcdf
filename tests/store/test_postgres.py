"""The PostgreSQL seam itself: the SQL it translates, the aiosqlite surface it mimics,
the migration runner, and what it shares with SQLite (GREATEST, IntegrityError)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.store import LATEST_VERSION, Store
from bot.store.postgres import PostgresDatabase, migrations, translate


def test_placeholders_become_psycopg_ones_outside_quotes_only() -> None:
    assert translate("SELECT ? WHERE a = ?") == "SELECT %s WHERE a = %s"
    assert translate("SELECT '?', \"a?\" , ?") == "SELECT '?', \"a?\" , %s"
    assert translate("SELECT 'it''s ?' || ?") == "SELECT 'it''s ?' || %s"
    assert translate("SELECT '100%' LIKE ?") == "SELECT '100%%' LIKE %s"


def test_both_schemas_have_every_version() -> None:
    from bot.store.database import migrations as sqlite_migrations

    assert [v for v, _ in migrations()] == [v for v, _ in sqlite_migrations()]
    assert migrations()[-1][0] == LATEST_VERSION


async def test_rows_read_by_name_and_index_and_flags_are_integers(where: Path | str) -> None:
    async with Store(where) as store:
        async with store.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO staff_updates (update_id, at) VALUES (?, ?) RETURNING update_id",
                ("u1", "2026-12-01T00:00:00+00:00"),
            )
            assert (await cursor.fetchone())["update_id"] == "u1"
            async with conn.execute("SELECT ? AS flag, GREATEST(1, ?) AS top", (True, 3)) as cur:
                row = await cur.fetchone()
        assert row is not None
        assert (row["flag"], row[0], row["top"], row[1]) == (1, 1, 3, 3)
        assert dict(row) == {"flag": 1, "top": 3}
        (total,) = await store.db.read("SELECT SUM(id) AS n, AVG(id) AS mean FROM handoffs")
        assert total["n"] is None


async def test_a_constraint_failure_is_sqlites_integrity_error(where: Path | str) -> None:
    async with Store(where) as store:
        insert = "INSERT INTO staff_updates (update_id, at) VALUES (?, 'x')"
        async with store.db.write() as conn:
            await conn.execute(insert, ("u1",))
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            async with store.db.write() as conn:
                await conn.execute(insert, ("u1",))
        with pytest.raises(ZeroDivisionError):
            async with store.db.write() as conn:
                await conn.execute(insert, ("u2",))
                raise ZeroDivisionError  # rolled back
        assert len(await store.db.read("SELECT * FROM staff_updates")) == 1


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
async def test_two_processes_starting_at_once_migrate_once(where: str) -> None:
    databases = [PostgresDatabase(where) for _ in range(4)]
    await asyncio.gather(*(db.open() for db in databases))
    try:
        assert await databases[0].schema_version() == LATEST_VERSION
        rows = await databases[0].read("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in rows] == [v for v, _ in migrations()]
    finally:
        await asyncio.gather(*(db.close() for db in databases))


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
async def test_an_older_schema_is_migrated_up_with_its_data(where: str) -> None:
    old = PostgresDatabase(where)
    await old.open(target=1)
    try:
        async with old.write() as conn:
            await conn.execute(
                "INSERT INTO people (id, created_at) VALUES ('p-1', '2026-01-01T00:00:00+00:00')"
            )
    finally:
        await old.close()
    async with Store(where) as store:
        assert await store.db.schema_version() == LATEST_VERSION  # type: ignore[attr-defined]
        rows = await store.db.read("SELECT id, forgotten_at FROM people")
        assert [(r["id"], r["forgotten_at"]) for r in rows] == [("p-1", None)]


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
async def test_writes_from_two_pools_are_serialised(where: str) -> None:
    """Two processes' read-then-write transactions do not interleave (the advisory lock),
    as two SQLite connections' BEGIN IMMEDIATE do not."""
    first, second = PostgresDatabase(where), PostgresDatabase(where)
    await first.open()
    await second.open()
    try:
        async with first.write() as conn:
            await conn.execute("INSERT INTO staff_updates (update_id, at) VALUES ('n', '0')")

        async def bump(db: PostgresDatabase) -> None:
            async with db.write() as conn:
                (row,) = await (await conn.execute("SELECT at FROM staff_updates")).fetchall()
                await asyncio.sleep(0.01)
                await conn.execute("UPDATE staff_updates SET at = ?", (str(int(row["at"]) + 1),))

        await asyncio.gather(*(bump(db) for _ in range(10) for db in (first, second)))
        assert (await first.read("SELECT at FROM staff_updates"))[0]["at"] == "20"
    finally:
        await first.close()
        await second.close()


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
async def test_one_process_leads_each_job_and_another_takes_over_when_it_stops(
    where: str,
) -> None:
    first, second = PostgresDatabase(where), PostgresDatabase(where)
    await first.open()
    await second.open()
    try:
        assert await first.lead("queue-clock")
        assert await first.lead("queue-clock")  # still held, and checked alive
        assert not await second.lead("queue-clock")
        assert await second.lead("checkins")  # jobs are led separately
        assert not await first.lead("checkins")
        await first.close()  # the process stops (or dies): its session ends
        # The server ends the session (and frees its locks) a moment after the client
        # hangs up: wait for it, however long a loaded machine takes.
        deadline = asyncio.get_running_loop().time() + 30
        while not await second.lead("queue-clock"):
            assert asyncio.get_running_loop().time() < deadline, "never taken over"
            await asyncio.sleep(0.05)
    finally:
        await first.close()
        await second.close()


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
async def test_news_published_by_one_process_is_heard_by_another(where: str) -> None:
    speaker, hearer = PostgresDatabase(where), PostgresDatabase(where)
    await speaker.open()
    await hearer.open()
    heard: asyncio.Queue[str] = asyncio.Queue()
    listening = asyncio.create_task(hearer.listen(heard.put_nowait))
    try:
        for _ in range(50):  # until the LISTEN is in place
            await speaker.publish("p-1")
            try:
                # Other processes on the same server may publish too: wait for ours.
                if await asyncio.wait_for(heard.get(), 0.2) == "p-1":
                    break
            except TimeoutError:
                continue
        else:
            raise AssertionError("nothing heard")
    finally:
        listening.cancel()
        await speaker.close()
        await hearer.close()


async def test_sqlite_is_one_process_so_it_always_leads(tmp_path: Path) -> None:
    async with Store(tmp_path / "wr.sqlite3") as store:
        assert not store.db.shared
        assert await store.db.lead("queue-clock")


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
async def test_both_schemas_have_the_same_tables_and_columns(where: str, tmp_path: Path) -> None:
    """A migration added to migrations/ needs its twin in migrations_pg/ (same number)."""
    async with Store(tmp_path / "wr.sqlite3") as lite:
        tables = [
            r["name"]
            for r in await lite.db.read(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            )
        ]
        sqlite_columns = {
            t: sorted(r["name"] for r in await lite.db.read(f"PRAGMA table_info({t})"))
            for t in tables
        }
    async with Store(where) as pg:
        rows = await pg.db.read(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'"
        )
    pg_columns: dict[str, list[str]] = {}
    for row in rows:
        pg_columns.setdefault(row["table_name"], []).append(row["column_name"])
    assert {t: sorted(c) for t, c in pg_columns.items()} == sqlite_columns


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)
async def test_handoff_ids_are_never_reused_however_a_handoff_is_inserted(where: str) -> None:
    """0011's counter starts above a handoff purged before it, and the trigger keeps the
    identity sequence beside the counter: an insert without an id never collides."""
    from datetime import UTC, datetime

    from bot.store.peer import QueueChange, apply_turn

    at = "2026-01-01T00:00:00+00:00"
    old = PostgresDatabase(where)
    await old.open(target=10)
    try:
        async with old.write() as conn:
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-0', ?)", (at,))
            await conn.execute(
                "INSERT INTO handoffs (person_id, status, joined_at) VALUES ('p-0', 'left', ?)",
                (at,),
            )
            await conn.execute("DELETE FROM people")  # purged: id 1 is gone
    finally:
        await old.close()
    async with Store(where) as store:
        ids = []
        for n in range(2):
            received = await store.receive("web", f"a{n}", f"m{n}", "text", {"text": "hi"})
            async with store.db.write() as conn:
                handoff_id, _ = await apply_turn(
                    conn, received.person_id, QueueChange(join=(0, "", False)), datetime.now(UTC)
                )
                assert handoff_id is not None
                ids.append(handoff_id)
                # Inserted without an id (as the tests do): from the sequence, in step.
                cursor = await conn.execute(
                    "INSERT INTO handoffs (person_id, status, joined_at) VALUES (?, 'left', ?)"
                    " RETURNING id",
                    (received.person_id, at),
                )
                row = await cursor.fetchone()
                assert row is not None
                ids.append(int(row["id"]))
        assert ids == [2, 3, 4, 5]
