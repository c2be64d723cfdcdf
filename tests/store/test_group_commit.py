"""Inbound messages stored in groups (bot/store/group_writer.py): one transaction for
what arrived together, nobody acknowledged before the commit, a duplicate answered once."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from bot.store import Outgoing, Store, StoredInbound, Turn
from bot.store.group_writer import GroupWriter, NotWritten


def _reply(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
    return Turn(state="{}", replies=[Outgoing("greeting", {"text": "Hello", "options": []})])


async def test_messages_sent_at_once_are_all_stored_in_few_transactions(
    where: Path | str,
) -> None:
    async with Store(where) as store:
        received = await asyncio.gather(
            *(store.receive("telegram", f"{n}", f"u{n}", "text", {"text": "hi"}) for n in range(60))
        )
        assert len({r.inbox_id for r in received}) == 60
        assert not any(r.duplicate for r in received)
        assert len(await store.unprocessed(limit=1000)) == 60
        writer = store._inbox
        assert writer.written == 60 and writer.groups < 60  # grouped, not one by one


async def test_a_duplicate_in_one_group_is_stored_once_and_answered_once(
    where: Path | str,
) -> None:
    async with Store(where) as store:
        sent = [("u1", "a"), ("u2", "b"), ("u1", "a"), ("u3", "c"), ("u1", "a")]
        received = await asyncio.gather(
            *(store.receive("telegram", chat, uid, "text", {"text": "hi"}) for uid, chat in sent)
        )
        assert store._inbox.groups == 1  # all five in one transaction
        firsts = [r for (uid, _), r in zip(sent, received, strict=True) if uid == "u1"]
        assert [r.duplicate for r in firsts] == [False, True, True]
        assert len({r.inbox_id for r in firsts}) == 1
        for inbox_id in await store.unprocessed():
            await store.take_turn(inbox_id, _reply)
        rows = await store.db.read(
            "SELECT inbox_id, COUNT(*) AS n FROM outbox GROUP BY inbox_id ORDER BY inbox_id"
        )
        assert [row["n"] for row in rows] == [1, 1, 1]  # three messages, one answer each


async def test_one_message_that_cannot_be_stored_fails_alone(where: Path | str) -> None:
    async with Store(where) as store:
        bad: dict[str, Any] = {"text": {1, 2}}  # not JSON: this one cannot be stored
        outcomes = await asyncio.gather(
            store.receive("web", "a", "m1", "text", {"text": "hi"}),
            store.receive("web", "b", "m2", "text", bad),
            store.receive("web", "c", "m3", "text", {"text": "hello"}),
            return_exceptions=True,
        )
        assert isinstance(outcomes[1], TypeError)
        assert not isinstance(outcomes[0], BaseException)
        assert not isinstance(outcomes[2], BaseException)
        rows = await store.db.read("SELECT channel_message_id FROM inbox ORDER BY id")
        assert [row["channel_message_id"] for row in rows] == ["m1", "m3"]


async def test_stopping_mid_group_acknowledges_none_of_it(where: Path | str) -> None:
    """Cancelled inside the transaction: every waiter fails, nothing is stored."""
    async with Store(where) as store:
        inside = asyncio.Event()

        async def write_one(conn: Any, item: str) -> int:
            await conn.execute(
                "INSERT INTO people (id, created_at) VALUES (?, '2026-12-02T00:00:00+00:00')",
                (item,),
            )
            inside.set()
            await asyncio.sleep(3600)  # the group never gets to its commit
            return 1

        writer: GroupWriter[str, int] = GroupWriter(store.db, write_one)
        waiting = [asyncio.create_task(writer.write(f"p-{n}")) for n in range(3)]
        await inside.wait()
        assert writer._task is not None
        writer._task.cancel()
        outcomes = await asyncio.gather(*waiting, return_exceptions=True)
        assert all(isinstance(o, NotWritten) for o in outcomes)
        assert await store.db.read("SELECT id FROM people") == []


@pytest.mark.parametrize("where", ["sqlite"], indirect=True)
def test_a_crash_before_the_commit_acknowledges_nothing(where: Path) -> None:
    """The process dies inside a group's transaction, its rows written but not committed:
    nobody was answered, and after a restart none of them is there."""
    script = textwrap.dedent(
        f"""
        import asyncio, os, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from bot.store import Store

        async def main():
            async with Store({str(where)!r}) as store:
                await store.receive("sms", "+447700900001", "before", "text", {{"text": "hi"}})
                print("acked before", flush=True)
                writer = store._inbox
                real = writer._write_one
                count = 0

                async def dying(conn, item):
                    nonlocal count
                    result = await real(conn, item)
                    count += 1
                    if count == 3:
                        os._exit(9)  # a crash, after three rows, before the commit
                    return result

                writer._write_one = dying

                async def one(n):
                    await store.receive("sms", f"+4477009001{{n:02d}}", f"m{{n}}", "text", {{}})
                    print("acked", n, flush=True)

                await asyncio.gather(*(one(n) for n in range(5)))

        asyncio.run(main())
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    assert done.stdout.splitlines() == ["acked before"]

    async def stored() -> list[str]:
        async with Store(where) as store:
            rows = await store.db.read("SELECT channel_message_id FROM inbox ORDER BY id")
            return [row["channel_message_id"] for row in rows]

    assert asyncio.run(stored()) == ["before"]
