"""Turns decided outside the write lock (bot/store/turns.py): written only if what the
turn read is unchanged, else read and decided again; never written twice."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from bot.store import Outgoing, Store, StoredInbound, Turn
from bot.store.turns import TRIES


def _elsewhere(where: Path | str, sql: str, params: tuple[Any, ...] = ()) -> None:
    """A write by someone else (another process, a check-in) on its own connection,
    made while the turn is deciding."""
    if isinstance(where, Path):
        with sqlite3.connect(where) as conn:
            conn.execute(sql, params)
    else:
        with psycopg.connect(where, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params)


def _deciding(
    meanwhile: Callable[[int], None] = lambda _: None,
) -> tuple[Callable[[StoredInbound, str | None, str], Turn], list[str | None]]:
    seen: list[str | None] = []

    def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
        seen.append(state)
        meanwhile(len(seen))
        return Turn(
            state=f'{{"turns": {len(seen)}}}',
            replies=[Outgoing("greeting", {"text": f"reply {len(seen)}", "options": []})],
        )

    return decide, seen


async def _first_turn(store: Store) -> str:
    first = await store.receive("web", "a", "m1", "text", {"text": "hi"})
    decide, _ = _deciding()
    assert await store.take_turn(first.inbox_id, decide) == first.person_id
    return first.person_id


async def _replies(store: Store) -> list[str]:
    rows = await store.db.read("SELECT body FROM outbox ORDER BY id")
    return [row["body"] for row in rows]


async def test_a_turn_whose_conversation_moved_meanwhile_is_decided_again(
    where: Path | str,
) -> None:
    async with Store(where) as store:
        person = await _first_turn(store)
        second = await store.receive("web", "a", "m2", "text", {"text": "again"})

        def checkin_writes(calls: int) -> None:
            if calls == 1:  # a check-in writes the state while the turn decides
                _elsewhere(
                    where,
                    "UPDATE conversations SET state = '{\"checkin\": 1}',"
                    " version = version + 1 WHERE person_id = ?",
                    (person,),
                )

        decide, seen = _deciding(checkin_writes)
        assert await store.take_turn(second.inbox_id, decide) == person
        assert seen == ['{"turns": 1}', '{"checkin": 1}']  # decided again on the new state
        rows = await store.db.read("SELECT state, version FROM conversations")
        assert [(r["state"], r["version"]) for r in rows] == [('{"turns": 2}', 3)]
        assert len(await _replies(store)) == 2  # one reply each; the first decision's none


async def test_a_new_conversation_started_meanwhile_is_decided_again(where: Path | str) -> None:
    async with Store(where) as store:
        first = await store.receive("web", "a", "m1", "text", {"text": "hi"})

        def started(calls: int) -> None:
            if calls == 1:
                _elsewhere(
                    where,
                    "INSERT INTO conversations (person_id, state, updated_at)"
                    " VALUES (?, '{\"checkin\": 1}', '2026-12-02T00:00:00+00:00')",
                    (first.person_id,),
                )

        decide, seen = _deciding(started)
        assert await store.take_turn(first.inbox_id, decide) == first.person_id
        assert seen == [None, '{"checkin": 1}']


async def test_a_request_to_talk_taken_meanwhile_is_decided_again(where: Path | str) -> None:
    async with Store(where) as store:
        person = await _first_turn(store)
        _elsewhere(
            where,
            "INSERT INTO handoffs (id, person_id, status, priority, was_urgent, audience,"
            " joined_at, last_person_at) VALUES (7, ?, 'waiting', 1, 0, 'person',"
            " '2026-12-02T00:00:00+00:00', '2026-12-02T00:00:00+00:00')",
            (person,),
        )
        second = await store.receive("web", "a", "m2", "text", {"text": "still here"})
        looked: list[str | None] = []

        def taken(calls: int) -> None:
            if calls == 1:  # a supporter takes them while the turn decides
                _elsewhere(where, "UPDATE handoffs SET status = 'active' WHERE id = 7")

        def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
            looked.append(inbound.handoff.status if inbound.handoff else None)
            return inner(inbound, state, locale)

        inner, _ = _deciding(taken)
        assert await store.take_turn(second.inbox_id, decide) == person
        assert looked == ["waiting", "active"]


async def test_a_message_processed_meanwhile_is_not_written_again(where: Path | str) -> None:
    """Another process took the turn first: this one writes nothing."""
    async with Store(where) as store:
        first = await store.receive("web", "a", "m1", "text", {"text": "hi"})

        def processed(calls: int) -> None:
            _elsewhere(
                where,
                "UPDATE inbox SET processed_at = '2026-12-02T00:00:00+00:00' WHERE id = ?",
                (first.inbox_id,),
            )

        decide, seen = _deciding(processed)
        assert await store.take_turn(first.inbox_id, decide) is None
        assert len(seen) == 1
        assert await _replies(store) == []
        assert await store.db.read("SELECT * FROM conversations") == []


async def test_a_conversation_that_never_stops_moving_is_decided_inside_the_lock(
    where: Path | str,
) -> None:
    async with Store(where) as store:
        person = await _first_turn(store)
        second = await store.receive("web", "a", "m2", "text", {"text": "again"})

        def always(calls: int) -> None:
            if calls <= TRIES:
                _elsewhere(
                    where,
                    "UPDATE conversations SET version = version + 1 WHERE person_id = ?",
                    (person,),
                )

        decide, seen = _deciding(always)
        assert await store.take_turn(second.inbox_id, decide) == person
        assert len(seen) == TRIES + 1
        assert len(await _replies(store)) == 2
