"""Anonymous counts: written in the same transaction as the turn, never with a person id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import Count, Store, Turn


def _decide_with(*counts: Count):  # type: ignore[no-untyped-def]
    def decide(*_: object) -> Turn:
        return Turn(state="{}", replies=[], counts=counts)

    return decide


async def test_a_contact_is_counted_once_per_conversation_start(where: Path | str) -> None:
    start = datetime(2026, 11, 28, 9, tzinfo=UTC)
    async with Store(where) as store:
        for minutes in (0, 5, 60 * 7):
            received = await store.receive(
                "sms",
                "+447700900123",
                f"m{minutes}",
                "text",
                {"text": "hi"},
                at=start + timedelta(minutes=minutes),
            )
            await store.take_turn(received.inbox_id, _decide_with())
        contacts = await store.counts(kinds=["contact"])
        assert [row["channel"] for row in contacts] == ["sms", "sms"]


async def test_counts_from_a_turn_carry_its_channel_and_no_person(where: Path | str) -> None:
    async with Store(where) as store:
        received = await store.receive("web", "token", "m1", "text", {"text": "hi"})
        await store.take_turn(
            received.inbox_id, _decide_with(Count("signpost", "haven-bradford", audience="carer"))
        )
        (row,) = await store.counts(kinds=["signpost"])
        assert row["channel"] == "web" and row["audience"] == "carer"
        assert row["detail"] == "haven-bradford"
        columns = (await store.db.read("SELECT * FROM counts"))[0].keys()
        assert not any("person" in name for name in columns)


async def test_an_unknown_kind_is_refused(where: Path | str) -> None:
    async with Store(where) as store:
        with pytest.raises(ValueError, match="unknown count kinds"):
            await store.record_counts([Count("everything-about-them")])
        await store.record_counts([Count("queue_wait", value=42.0)])
        (row,) = await store.counts(kinds=["queue_wait"])
        assert row["value"] == 42.0
