"""Retention, forgetting and blocks on a real SQLite file with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.store import Count, Outgoing, RiskRecord, Store, Turn

NOW = datetime(2026, 11, 28, 22, tzinfo=UTC)
DAYS_90 = timedelta(days=90)


def _reply(key: str = "menu") -> Outgoing:
    return Outgoing(key, {"text": key, "options": []})


def _decide(*, forget: bool = False, risky: bool = False, key: str = "menu") -> Any:
    def decide(*_: object) -> Turn:
        risks = [RiskRecord("urgent", ["suicide"], ["r1"], "v1", True)] if risky else []
        counts = [Count("forgotten")] if forget else []
        return Turn(state='{"step": "menu"}', replies=[_reply(key)], risks=risks,
                    counts=counts, forget=forget)  # fmt: skip

    return decide


async def _say(
    store: Store, address: str, at: datetime, *, channel: str = "sms", **decide: Any
) -> str:
    received = await store.receive(channel, address, f"{address}-{at.isoformat()}", "text",
                                   {"text": "hello"}, at=at)  # fmt: skip
    person = await store.take_turn(received.inbox_id, _decide(**decide), at=at)
    assert person is not None
    return person


async def _count(store: Store, table: str) -> int:
    rows = await store.db.read(f"SELECT count(*) AS n FROM {table}")
    return int(rows[0]["n"])


@pytest.fixture
async def store(where: Path | str) -> Any:
    async with Store(where) as opened:
        yield opened


async def test_purge_deletes_old_messages_and_people_out_of_touch(store: Store) -> None:
    gone = await _say(store, "+447700900001", NOW - timedelta(days=100), risky=True)
    kept = await _say(store, "+447700900002", NOW - timedelta(days=100))
    await _say(store, "+447700900002", NOW - timedelta(days=1))
    await store.record_counts([Count("signpost", "haven")], at=NOW - timedelta(days=200))

    result = await store.purge(NOW, DAYS_90)

    assert (result.people, result.messages, result.replies) == (1, 2, 2)
    assert await store.person_for("sms", "+447700900001") is None
    assert await store.person_for("sms", "+447700900002") == kept
    assert await store.transcript(gone) == []
    assert len(await store.transcript(kept)) == 2  # only the recent message and reply
    (event,) = await store.risk_events()
    assert event["person_id"] is None and event["rules"] == '["r1"]'
    assert len(await store.counts()) == 4  # three contacts and the signpost: all survive


async def test_a_dry_run_counts_but_deletes_nothing(store: Store) -> None:
    await _say(store, "+447700900001", NOW - timedelta(days=100))
    result = await store.purge(NOW, DAYS_90, dry_run=True)
    assert result.dry_run and (result.people, result.messages, result.replies) == (1, 1, 1)
    assert await _count(store, "people") == 1 and await _count(store, "inbox") == 1


async def test_purge_removes_other_journeys_rows_through_the_cascade(store: Store) -> None:
    person = await _say(store, "+447700900001", NOW - timedelta(days=100))
    async with store.db.write() as conn:
        # Other journeys' tables (a plan, a request to talk) go with the person.
        old = (NOW - timedelta(days=100)).isoformat()
        await conn.execute("INSERT INTO plans VALUES (?, '{}', ?, ?)", (person, old, old))
        await conn.execute(
            "INSERT INTO handoffs (person_id, status, joined_at) VALUES (?, 'left', ?)",
            (person, old),
        )
    await store.purge(NOW, DAYS_90)
    assert await _count(store, "plans") == 0
    assert await _count(store, "handoffs") == 0


async def test_escalations_and_debriefs_go_with_the_person_and_at_retention(store: Store) -> None:
    person = await _say(store, "+447700900001", NOW - timedelta(hours=1))
    other = await _say(store, "+447700900002", NOW - timedelta(hours=1))
    old = NOW - timedelta(days=100)
    handoffs = []
    async with store.db.write() as conn:
        for who in (person, other):
            await conn.execute(
                "INSERT INTO handoffs (person_id, status, joined_at) VALUES (?, 'ended', ?)",
                (who, NOW.isoformat()),
            )
    for who in (person, other):
        latest = await store.peer.latest_for(who)
        assert latest is not None
        handoffs.append(latest.id)
    await store.peer.to_inbox("escalation", "s-1", handoffs[0], "worried about them", at=NOW)
    await store.peer.to_inbox("debrief", "s-1", handoffs[1], "hard shift", at=NOW)
    await store.peer.to_inbox("debrief", "s-2", None, "long ago", at=old)

    await _say(store, "+447700900001", NOW, forget=True, key="forgotten")
    assert [i["text"] for i in await store.peer.inbox()] == ["long ago", "hard shift"]
    await store.purge(NOW, DAYS_90)
    assert [i["text"] for i in await store.peer.inbox()] == ["hard shift"]


async def test_forgetting_keeps_only_the_address_and_the_last_reply(store: Store) -> None:
    person = await _say(store, "+447700900001", NOW - timedelta(hours=1), risky=True)
    await store.block(person, NOW + timedelta(days=1), "abuse", "s-1", at=NOW)
    await _say(store, "+447700900001", NOW, forget=True, key="forgotten")

    stand_in = await store.person_for("sms", "+447700900001")
    assert stand_in is not None and stand_in != person
    (farewell,) = await store.due(["sms"], at=NOW)
    assert farewell.key == "forgotten" and farewell.address == "+447700900001"
    assert farewell.person_id == stand_in
    assert await _count(store, "inbox") == 0 and await _count(store, "conversations") == 0
    assert await _count(store, "blocks") == 0
    assert [e["person_id"] for e in await store.risk_events()] == [None]
    assert [c["kind"] for c in await store.counts(kinds=["forgotten"])] == ["forgotten"]

    # Nothing is cleared while the reply waits; once it is sent, the stand-in goes too.
    assert await store.clear_forgotten(NOW) == 0
    await store.mark_sent(farewell.id, at=NOW)
    assert await store.clear_forgotten(NOW) == 1
    assert await _count(store, "people") == 0 and await _count(store, "addresses") == 0
    assert await _count(store, "outbox") == 0


async def test_an_undelivered_farewell_is_cleared_after_a_day(store: Store) -> None:
    await _say(store, "+447700900001", NOW, forget=True, key="forgotten")
    assert await store.clear_forgotten(NOW + timedelta(hours=23)) == 0
    assert (await store.purge(NOW + timedelta(hours=25), DAYS_90)).farewells == 1
    assert await _count(store, "addresses") == 0


async def test_writing_again_after_forgetting_starts_a_new_person(store: Store) -> None:
    await _say(store, "+447700900001", NOW, forget=True, key="forgotten")
    received = await store.receive("sms", "+447700900001", "again", "text", {"text": "hi"}, NOW)
    states: list[str | None] = []

    def decide(_: object, state: str | None, __: str) -> Turn:
        states.append(state)
        return Turn(state="{}", replies=[])

    await store.take_turn(received.inbox_id, decide)
    assert states == [None]  # no conversation: a fresh greeting
    assert await store.forgotten_waiting() == 0
    assert await store.clear_forgotten(NOW + timedelta(days=2)) == 0  # kept: in touch again


async def test_blocks_are_made_lifted_and_seen_by_the_turn(store: Store) -> None:
    person = await _say(store, "+447700900001", NOW)
    block_id = await store.block(person, NOW + timedelta(hours=2), "abusive messages", "s-9", NOW)
    active = await store.active_block(person, NOW)
    assert active is not None and active.id == block_id and active.created_by == "s-9"
    assert await store.active_block(person, NOW + timedelta(hours=3)) is None

    seen: list[int | None] = []

    def decide(inbound: Any, *_: object) -> Turn:
        seen.append(inbound.block_id)
        return Turn(state="{}", replies=[])

    for minutes in (10, 200):
        at = NOW + timedelta(minutes=minutes)
        received = await store.receive("sms", "+447700900001", f"m{minutes}", "text", {}, at)
        await store.take_turn(received.inbox_id, decide)
    assert seen == [block_id, None]

    assert await store.unblock(person, NOW + timedelta(minutes=30)) == 1
    assert await store.active_block(person, NOW + timedelta(minutes=31)) is None
    assert [b.id for b in await store.blocks()] == [block_id]
    assert await store.blocks(NOW + timedelta(minutes=31), active_only=True) == []
