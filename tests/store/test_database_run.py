"""``Database.run``: a whole write transaction in one hop to SQLite's writer thread.

The inbox's group commit goes through it (issue 18), so what it must keep is what
``write()`` keeps: all of it committed before it returns, none of it on any error,
one writer at a time, and a work that waits on anything but the connection refused."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.store import Store


async def _people(store: Store) -> list[str]:
    return [row["id"] for row in await store.db.read("SELECT id FROM people ORDER BY id")]


async def test_run_commits_before_it_returns_and_gives_back_the_result(tmp_path: Path) -> None:
    async with Store(tmp_path / "wr.sqlite3") as store:

        async def work(conn: Any) -> int:
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-1', 'now')")
            cursor = await conn.execute(
                "INSERT INTO people (id, created_at) VALUES ('p-2', 'now') RETURNING id"
            )
            row = await cursor.fetchone()
            async with conn.execute("SELECT count(*) AS n FROM people") as counted:
                assert (await counted.fetchone())["n"] == 2  # its own rows, as it goes
            assert row["id"] == "p-2"
            return 7

        assert await store.db.run(work, first=True) == 7
        # Committed: the other connections (readers) see it.
        assert await _people(store) == ["p-1", "p-2"]


async def test_run_rolls_everything_back_on_an_error(tmp_path: Path) -> None:
    async with Store(tmp_path / "wr.sqlite3") as store:

        async def work(conn: Any) -> None:
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-1', 'now')")
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-1', 'now')")

        with pytest.raises(Exception, match="UNIQUE"):
            await store.db.run(work)
        assert await _people(store) == []
        # And the writer is free and out of the transaction for the next write.
        async with store.db.write() as conn:
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-2', 'now')")
        assert await _people(store) == ["p-2"]


async def test_a_work_that_waits_on_something_else_is_refused_and_rolled_back(
    tmp_path: Path,
) -> None:
    async with Store(tmp_path / "wr.sqlite3") as store:

        async def work(conn: Any) -> None:
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-1', 'now')")
            await asyncio.sleep(0)  # not the connection: cannot run in the writer's thread

        with pytest.raises(RuntimeError, match="waited"):
            await store.db.run(work)
        assert await _people(store) == []


async def test_run_takes_turns_with_other_writes(tmp_path: Path) -> None:
    """One writer at a time: a transaction in ``write()`` and one in ``run`` never mix."""
    async with Store(tmp_path / "wr.sqlite3") as store:
        order: list[str] = []

        async def slow_write() -> None:
            async with store.db.write() as conn:
                order.append("write begins")
                await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-w', 'now')")
                await asyncio.sleep(0.05)
                order.append("write ends")

        async def work(conn: Any) -> None:
            order.append("run")
            await conn.execute("INSERT INTO people (id, created_at) VALUES ('p-r', 'now')")

        writing = asyncio.create_task(slow_write())
        await asyncio.sleep(0.01)
        await store.db.run(work, first=True)
        await writing
        assert order == ["write begins", "write ends", "run"]
        assert await _people(store) == ["p-r", "p-w"]


async def test_grouped_arrivals_are_stored_once_each_through_run(tmp_path: Path) -> None:
    """The inbox's groups (one ``run`` each): stored, a repeat within a group once."""
    async with Store(tmp_path / "wr.sqlite3") as store:
        got = await asyncio.gather(
            *(
                store.receive("telegram", str(n % 5), f"u{n % 7}", "text", {"text": "hi"})
                for n in range(7)
            ),
            store.receive("telegram", "0", "u0", "text", {"text": "hi"}),
        )
        assert [g.duplicate for g in got] == [False] * 7 + [True]
        assert got[-1].inbox_id == got[0].inbox_id
        rows = await store.db.read("SELECT count(*) AS n FROM inbox")
        assert rows[0]["n"] == 7
        assert store._inbox.groups < 7  # they went together, not one transaction each
