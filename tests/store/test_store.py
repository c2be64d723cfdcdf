"""The inbox and turns on a real file: stored once, processed once, nothing lost."""

from __future__ import annotations

import contextlib
from pathlib import Path

from bot.store import Outgoing, RiskRecord, Store, StoredInbound, Turn


def _turn(state: str = '{"step": "menu"}') -> Turn:
    return Turn(
        state=state,
        replies=[Outgoing("greeting", {"text": "Hello", "options": []})],
        risks=[RiskRecord("urgent", ["suicidal_intent"], ["si-1"], "test", True)],
    )


async def test_a_message_is_stored_once_per_channel_id(where: Path | str) -> None:
    async with Store(where) as store:
        first = await store.receive("web", "addr", "m1", "text", {"text": "hi"})
        again = await store.receive("web", "addr", "m1", "text", {"text": "hi"})
        other = await store.receive("sms", "addr", "m1", "text", {"text": "hi"})
        assert not first.duplicate and again.duplicate
        assert again.inbox_id == first.inbox_id
        assert other.person_id != first.person_id  # the address is per channel
        assert await store.unprocessed() == [first.inbox_id, other.inbox_id]


async def test_people_get_pseudonymous_ids_and_the_address_is_kept_apart(where: Path | str) -> None:
    async with Store(where) as store:
        received = await store.receive("sms", "+447700900123", "m1", "text", {"text": "hi"})
        assert received.person_id.startswith("p-")
        assert "447700900123" not in received.person_id
        people = await store.db.read("SELECT * FROM people")
        assert all("447700900123" not in str(tuple(row)) for row in people)
        inbox = await store.db.read("SELECT * FROM inbox")
        assert all("447700900123" not in str(tuple(row)) for row in inbox)


async def test_a_turn_stores_state_replies_and_risk_in_one_go(where: Path | str) -> None:
    async with Store(where) as store:
        received = await store.receive("web", "addr", "m1", "text", {"text": "hi"})
        seen: list[tuple[StoredInbound, str | None]] = []

        def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
            seen.append((inbound, state))
            return _turn()

        assert await store.take_turn(received.inbox_id, decide) is not None
        assert await store.take_turn(received.inbox_id, decide) is None  # processed once
        assert len(seen) == 1 and seen[0][1] is None and seen[0][0].body == {"text": "hi"}
        assert await store.unprocessed() == []
        replies = await store.replies_after(received.person_id, 0)
        assert [(r.key, r.body["text"], r.status) for r in replies] == [
            ("greeting", "Hello", "pending")
        ]
        events = await store.risk_events(received.person_id)
        assert [(e["level"], e["rules"]) for e in events] == [("urgent", '["si-1"]')]
        assert "hi" not in str(events)
        transcript = await store.transcript(received.person_id)
        assert [(who, body["text"]) for who, _, body in transcript] == [
            ("person", "hi"),
            ("bot", "Hello"),
        ]


async def test_a_failing_turn_changes_nothing(where: Path | str) -> None:
    async with Store(where) as store:
        received = await store.receive("web", "addr", "m1", "text", {"text": "hi"})

        def explode(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
            raise ValueError("engine bug")

        with contextlib.suppress(ValueError):
            await store.take_turn(received.inbox_id, explode)
        assert await store.unprocessed() == [received.inbox_id]
        assert await store.replies_after(received.person_id, 0) == []


async def test_everything_survives_closing_the_file(tmp_path: Path) -> None:
    path = tmp_path / "wr.sqlite3"
    async with Store(path) as store:
        received = await store.receive("web", "addr", "m1", "text", {"text": "hi"})
    async with Store(path) as store:
        assert await store.unprocessed() == [received.inbox_id]
        await store.take_turn(received.inbox_id, lambda i, s, loc: _turn())
    async with Store(path) as store:
        assert [r.key for r in await store.replies_after(received.person_id, 0)] == ["greeting"]
