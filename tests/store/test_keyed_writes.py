"""Keyed writes on PostgreSQL (``Database.write(key=…)``): writes of different keys run
at once, one key's writes one at a time, a key-less write alone, and the locks'
order never deadlocks. Two pools on one schema stand for two ``serve`` processes (the
advisory locks are what is tested there), one pool for tasks of one process (the
in-process writer lock as well)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from bot.store import Store
from bot.store.database import Key, keys_of
from bot.store.postgres import PostgresDatabase
from bot.store.records import Outgoing, QueueChange, StaffMessage, StoredInbound, Turn
from bot.store.store import _turn_key

pg = pytest.mark.parametrize("where", ["postgresql"], indirect=True)
# Long enough that a write which should wait is seen waiting on a loaded machine; the
# tests that expect no waiting are bounded by much more.
HOLD = 0.3
AT_ONCE = 10.0


@pytest.fixture
async def pools(where: str) -> AsyncIterator[tuple[PostgresDatabase, PostgresDatabase]]:
    first, second = PostgresDatabase(where), PostgresDatabase(where)
    await first.open()
    await second.open()
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def _meet(db: PostgresDatabase, key: Key, here: asyncio.Event, there: asyncio.Event) -> None:
    """Inside a write, wait for the other write to be inside its own."""
    async with db.write(key=key) as conn:
        await conn.execute("SELECT 1")
        here.set()
        await asyncio.wait_for(there.wait(), AT_ONCE)


async def _holds_while_other_waits(
    holder: PostgresDatabase, holder_key: Key, other: PostgresDatabase, other_key: Key
) -> list[str]:
    """The holder writes for HOLD seconds; the other asks meanwhile. The order of events."""
    order: list[str] = []
    inside = asyncio.Event()

    async def hold() -> None:
        async with holder.write(key=holder_key) as conn:
            await conn.execute("SELECT 1")
            order.append("holder in")
            inside.set()
            await asyncio.sleep(HOLD)
            order.append("holder out")

    async def ask() -> None:
        await inside.wait()
        async with other.write(key=other_key) as conn:
            await conn.execute("SELECT 1")
            order.append("other in")

    await asyncio.gather(hold(), ask())
    return order


def test_keys_are_sorted_once_and_none_is_exclusive() -> None:
    assert keys_of(None) is None
    assert keys_of("a") == ("a",)
    assert keys_of(["b", "a", "b"]) == ("a", "b")
    assert keys_of([]) == ()


@pg
async def test_two_keyed_writes_on_different_keys_run_at_once(
    pools: tuple[PostgresDatabase, PostgresDatabase],
) -> None:
    first, second = pools
    for a, b in ((first, second), (first, first)):  # two processes, and one
        one, two = asyncio.Event(), asyncio.Event()
        await asyncio.gather(_meet(a, "person:a", one, two), _meet(b, "person:b", two, one))


@pg
async def test_writes_of_one_key_are_one_at_a_time(
    pools: tuple[PostgresDatabase, PostgresDatabase],
) -> None:
    first, second = pools
    for other in (second, first):
        order = await _holds_while_other_waits(first, "person:a", other, ["person:b", "person:a"])
        assert order == ["holder in", "holder out", "other in"]


@pg
async def test_a_key_less_write_runs_alone(
    pools: tuple[PostgresDatabase, PostgresDatabase],
) -> None:
    first, second = pools
    for other in (second, first):
        # Key-less first: a keyed write waits for it ...
        order = await _holds_while_other_waits(first, None, other, "person:a")
        assert order == ["holder in", "holder out", "other in"]
        # ... and a key-less write waits for a keyed one, and for another key-less one.
        order = await _holds_while_other_waits(first, "person:a", other, None)
        assert order == ["holder in", "holder out", "other in"]
        order = await _holds_while_other_waits(first, None, other, None)
        assert order == ["holder in", "holder out", "other in"]


@pg
async def test_keys_asked_in_opposite_orders_never_deadlock(
    pools: tuple[PostgresDatabase, PostgresDatabase],
) -> None:
    first, _ = pools
    async with first.write() as conn:
        await conn.execute(
            "INSERT INTO staff_updates (update_id, at) VALUES ('a', '0'), ('b', '0')"
        )

    async def both(db: PostgresDatabase, keys: Sequence[str]) -> None:
        # Each changes both rows, in the order it named them: without the key locks
        # (taken sorted) these two would deadlock on the rows' own locks.
        async with db.write(key=keys) as conn:
            for name in keys:
                await conn.execute(
                    "UPDATE staff_updates SET at = CAST(CAST(at AS INTEGER) + 1 AS TEXT)"
                    " WHERE update_id = ?",
                    (name[-1],),
                )
                await asyncio.sleep(0.05)

    await asyncio.wait_for(
        asyncio.gather(
            *(both(db, keys) for db in pools for keys in (["k:a", "k:b"], ["k:b", "k:a"]))
        ),
        AT_ONCE * 2,
    )
    rows = await first.read("SELECT update_id, at FROM staff_updates ORDER BY update_id")
    assert [(r["update_id"], r["at"]) for r in rows] == [("a", "4"), ("b", "4")]


@pg
async def test_a_crowd_of_keyed_and_key_less_writes_loses_no_update_and_never_deadlocks(
    pools: tuple[PostgresDatabase, PostgresDatabase],
) -> None:
    """Read-then-write counters: keyed writes bump their keys' counters, key-less ones
    bump every counter. Any overlap the locks let through would lose an update, and a
    deadlock would raise (PostgreSQL detects it) or hang past the timeout."""
    names = ["a", "b", "c", "d"]
    first, _ = pools
    async with first.write() as conn:
        for name in names:
            await conn.execute("INSERT INTO staff_updates (update_id, at) VALUES (?, '0')", (name,))
    rng = random.Random(18)
    plans: list[tuple[PostgresDatabase, list[str] | None, bool]] = []
    expected = dict.fromkeys(names, 0)
    for n in range(60):
        chosen = None if n % 10 == 0 else rng.sample(names, rng.randint(1, 3))
        for name in chosen or names:
            expected[name] += 1
        plans.append((pools[n % 2], chosen, n % 3 == 0))

    async def bump(db: PostgresDatabase, chosen: list[str] | None, first: bool) -> None:
        async with db.write(first=first, key=None if chosen is None else chosen) as conn:
            for name in chosen or names:
                (row,) = await (
                    await conn.execute("SELECT at FROM staff_updates WHERE update_id = ?", (name,))
                ).fetchall()
                await asyncio.sleep(0.002)
                await conn.execute(
                    "UPDATE staff_updates SET at = ? WHERE update_id = ?",
                    (str(int(row["at"]) + 1), name),
                )

    try:
        await asyncio.wait_for(asyncio.gather(*(bump(*plan) for plan in plans)), 60)
    except psycopg.errors.DeadlockDetected:  # pragma: no cover (the failure shown)
        pytest.fail("the write locks deadlocked")
    rows = await first.read("SELECT update_id, at FROM staff_updates ORDER BY update_id")
    assert {r["update_id"]: int(r["at"]) for r in rows} == expected


@pg
async def test_a_message_posted_to_two_processes_at_once_is_stored_once(where: str) -> None:
    """Inbound stores are keyed by the address: a retried webhook reaching another
    instance while the first is storing it is a duplicate there, never a second copy."""
    first, second = Store(where), Store(where)
    await first.open()
    await second.open()
    try:
        at = datetime(2026, 12, 2, tzinfo=UTC)
        for n in range(20):
            got = await asyncio.gather(
                *(
                    store.receive("telegram", f"chat-{n}", f"u-{n}", "text", {"text": "hi"}, at)
                    for store in (first, second, first, second)
                )
            )
            assert sorted(r.duplicate for r in got) == [False, True, True, True]
            assert len({(r.inbox_id, r.person_id) for r in got}) == 1
        (row,) = await first.db.read(
            "SELECT count(*) AS n, count(DISTINCT person_id) AS p FROM inbox"
        )
        assert (row["n"], row["p"]) == (20, 20)
    finally:
        await first.close()
        await second.close()


def _inbound() -> StoredInbound:
    return StoredInbound(
        id=1,
        person_id="p-1",
        channel="telegram",
        kind="text",
        body={"text": "hi"},
        received_at=datetime(2026, 12, 2, tzinfo=UTC),
    )


def test_a_turn_is_keyed_by_its_person_unless_it_changes_what_others_share() -> None:
    reply = (Outgoing("welcome", {"text": "hi"}),)
    keyed = [
        Turn("{}", reply),
        Turn("{}", reply, queue=QueueChange(topic="money", priority=2)),
    ]
    alone = [
        Turn("{}", reply, queue=QueueChange(join=(1, "", False))),
        Turn("{}", reply, queue=QueueChange(leave=True)),
        Turn("{}", reply, queue=QueueChange(end=True)),
        Turn("{}", reply, staff=(StaffMessage("leads", "alert", True, "p-1"),)),
        Turn("{}", reply, forget=True),
    ]
    assert [_turn_key(_inbound(), t) for t in keyed] == ["person:p-1", "person:p-1"]
    assert [_turn_key(_inbound(), t) for t in alone] == [None] * len(alone)


@pytest.mark.parametrize("where", ["sqlite"], indirect=True)
async def test_sqlite_keeps_one_writer_whatever_the_key(where: Path) -> None:
    async with Store(where) as store:
        order = []
        inside = asyncio.Event()

        async def hold() -> None:
            async with store.db.write(key="person:a"):
                order.append("holder in")
                inside.set()
                await asyncio.sleep(0.05)
                order.append("holder out")

        async def ask() -> None:
            await inside.wait()
            async with store.db.write(key="person:b"):
                order.append("other in")

        await asyncio.gather(hold(), ask())
        assert order == ["holder in", "holder out", "other in"]
