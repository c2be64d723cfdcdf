"""Plans, check-ins and feedback on a real SQLite file: written with the turn, read
back, gone with the person, and each due check-in sent exactly once."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import (
    CheckinBooked,
    CheckinsCancelled,
    CheckinTurn,
    Count,
    FeedbackNote,
    FeedbackSaved,
    Outgoing,
    PlanSaved,
    Store,
    StoredInbound,
    Turn,
    WaitChange,
)

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
_ids = itertools.count()


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as store:
        yield store


async def _turn(store: Store, changes: Sequence[WaitChange], address: str = "a") -> str:
    received = await store.receive("web", address, f"m{next(_ids)}", "text", {})

    def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
        reply = Outgoing("menu", {"text": "menu", "options": []})
        return Turn(state='{"step": "menu"}', replies=[reply], wait=changes)

    person = await store.take_turn(received.inbox_id, decide, at=T0)
    assert person is not None
    return person


async def test_a_plan_is_saved_changed_and_deleted_with_the_turn(store: Store) -> None:
    person = await _turn(store, [PlanSaved({"signs": "I stop sleeping"})])
    assert await store.wait.plan(person) == {"signs": "I stop sleeping"}
    await _turn(store, [PlanSaved({"signs": "I stop sleeping", "helps": "a walk"})])
    assert await store.wait.plan(person) == {"signs": "I stop sleeping", "helps": "a walk"}
    await _turn(store, [PlanSaved(None)])
    assert await store.wait.plan(person) is None


async def test_a_new_checkin_replaces_the_pending_one_and_stop_cancels(store: Store) -> None:
    person = await _turn(store, [CheckinBooked(T0 + timedelta(hours=1), "hour")])
    await _turn(store, [CheckinBooked(T0 + timedelta(hours=7), "evening")])
    statuses = [(c["kind"], c["status"], c["channel"]) for c in await store.wait.checkins(person)]
    assert statuses == [("hour", "cancelled", "web"), ("evening", "pending", "web")]
    await _turn(store, [CheckinsCancelled()])
    assert {c["status"] for c in await store.wait.checkins(person)} == {"cancelled"}
    assert await store.wait.next_checkin_due() is None


async def test_feedback_and_its_sentence(store: Store) -> None:
    person = await _turn(store, [FeedbackSaved("peer", {"listened": 1.0, "time": 0.5})])
    await _turn(store, [FeedbackNote("They gave me time")])
    assert await store.wait.feedback(person) == [
        {"about": "peer", "answers": {"listened": 1.0, "time": 0.5}, "note": "They gave me time"}
    ]


async def test_everything_goes_with_the_person(store: Store) -> None:
    person = await _turn(
        store,
        [
            PlanSaved({"signs": "x"}),
            CheckinBooked(T0 + timedelta(hours=1), "hour"),
            FeedbackSaved("signpost", {"warm": 1.0}),
            FeedbackNote("words"),
        ],
    )
    async with store.db.write() as conn:
        await conn.execute("DELETE FROM people WHERE id = ?", (person,))
    for table in ("plans", "checkins", "feedback"):
        assert await store.db.read(f"SELECT * FROM {table}") == [], table


def _compose(state: str | None, locale: str, kind: str = "") -> CheckinTurn:
    reply = Outgoing("checkin_message", {"text": "check-in", "options": []})
    return CheckinTurn('{"step": "checkin_sent"}', [reply], [Count("checkin_sent")])


async def test_a_due_checkin_is_sent_once_and_reaches_a_pulling_chat_only_when_due(
    store: Store,
) -> None:
    person = await _turn(store, [CheckinBooked(T0 + timedelta(hours=1), "hour")])
    (menu,) = await store.replies_after(person, 0)
    assert await store.wait.next_checkin_due() == T0 + timedelta(hours=1)
    assert await store.wait.send_due_checkins(T0 + timedelta(minutes=59), _compose) == []
    assert await store.replies_after(person, menu.id) == []
    sent = await store.wait.send_due_checkins(T0 + timedelta(hours=1), _compose)
    assert sent == [person]
    assert [item.key for item in await store.replies_after(person, menu.id)] == ["checkin_message"]
    # Again, and later: nothing more goes.
    assert await store.wait.send_due_checkins(T0 + timedelta(days=1), _compose) == []
    assert len(await store.replies_after(person, menu.id)) == 1
    (checkin,) = await store.wait.checkins(person)
    assert checkin["status"] == "sent" and checkin["outbox_id"] is not None
    rows = await store.db.read("SELECT state FROM conversations WHERE person_id = ?", (person,))
    assert rows[0]["state"] == '{"step": "checkin_sent"}'
    counted = await store.counts(kinds=["checkin_sent"])
    assert [(c["kind"], c["channel"]) for c in counted] == [("checkin_sent", "web")]


async def test_a_checkin_that_cannot_be_rendered_fails_once_and_is_not_retried(
    store: Store,
) -> None:
    person = await _turn(store, [CheckinBooked(T0, "hour")])

    def broken(state: str | None, locale: str, kind: str = "") -> CheckinTurn:
        raise RuntimeError("template")

    assert await store.wait.send_due_checkins(T0, broken) == []
    assert [c["status"] for c in await store.wait.checkins(person)] == ["failed"]
    assert await store.wait.send_due_checkins(T0, _compose) == []
