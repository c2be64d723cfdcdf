"""What SMS needs from the store: opt-outs with the message, provider ids, delivery reports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import Outgoing, Store, StoredInbound, Turn
from bot.store.store import MAX_ATTEMPTS

NUMBER = "+447700900123"


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as store:
        yield store


async def _reply(store: Store, message_id: str, sid: str | None = "SM1") -> int:
    """One inbound message, one reply, handed to the provider as ``sid``."""
    received = await store.receive("sms", NUMBER, message_id, "text", {"text": "hi"})

    def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
        return Turn(state="{}", replies=[Outgoing("menu", {"text": "menu", "options": []})])

    await store.take_turn(received.inbox_id, decide)
    (item,) = await store.due(["sms"])
    if sid is not None:
        await store.mark_sent(item.id, channel_message_id=sid)
    return item.id


async def _row(store: Store, outbox_id: int) -> dict[str, object]:
    rows = await store.db.read("SELECT * FROM outbox WHERE id = ?", (outbox_id,))
    return dict(rows[0])


async def test_an_opt_out_is_stored_with_its_message_and_only_once(store: Store) -> None:
    await store.receive("sms", NUMBER, "m1", "text", {"text": "hi"})
    assert not await store.opted_out("sms", NUMBER)
    stop = await store.receive("sms", NUMBER, "m2", "text", {"text": "STOP"}, opt_out=True)
    assert await store.opted_out("sms", NUMBER)
    # Writing again does not opt back in; only START (opt_out=False) does.
    await store.receive("sms", NUMBER, "m3", "text", {"text": "hello?"})
    assert await store.opted_out("sms", NUMBER)
    start = await store.receive("sms", NUMBER, "m4", "text", {"text": "START"}, opt_out=False)
    assert not await store.opted_out("sms", NUMBER)
    # A retried webhook of the old STOP is a duplicate and changes nothing.
    again = await store.receive("sms", NUMBER, "m2", "text", {"text": "STOP"}, opt_out=True)
    assert again.duplicate and again.person_id == stop.person_id == start.person_id
    assert not await store.opted_out("sms", NUMBER)
    # A first message can be an opt-out.
    await store.receive("sms", "+447700900999", "m5", "text", {"text": "STOP"}, opt_out=True)
    assert await store.opted_out("sms", "+447700900999")


async def test_the_provider_id_is_kept_when_sent(store: Store) -> None:
    outbox_id = await _reply(store, "m1", sid="SMabc")
    row = await _row(store, outbox_id)
    assert (row["status"], row["channel_message_id"], row["attempts"]) == ("sent", "SMabc", 1)


async def test_delivered_is_recorded_once_and_never_undone(store: Store) -> None:
    outbox_id = await _reply(store, "m1")
    report = await store.record_delivery("sms", "SM1", "sent", "sent")
    assert report is not None and report.changed and report.status == "sent"
    assert (await _row(store, outbox_id))["channel_status"] == "sent"
    report = await store.record_delivery("sms", "SM1", "queued", "sent")  # late, out of order
    assert report is not None and not report.changed
    assert (await _row(store, outbox_id))["channel_status"] == "sent"
    report = await store.record_delivery("sms", "SM1", "delivered", "delivered")
    assert report is not None and report.changed and report.address == NUMBER
    for late in ("delivered", "sent"):
        report = await store.record_delivery("sms", "SM1", late, "sent")
        assert report is not None and not report.changed
    row = await _row(store, outbox_id)
    assert (row["status"], row["channel_status"]) == ("delivered", "delivered")
    assert await store.record_delivery("sms", "SMunknown", "delivered", "delivered") is None
    assert await store.record_delivery("telegram", "SM1", "delivered", "delivered") is None


async def test_a_failure_is_recorded_with_its_reason(store: Store) -> None:
    outbox_id = await _reply(store, "m1")
    report = await store.record_delivery(
        "sms", "SM1", "undelivered", "failed", error="undelivered (30006)"
    )
    assert report is not None and report.status == "failed"
    row = await _row(store, outbox_id)
    assert (row["status"], row["last_error"]) == ("failed", "undelivered (30006)")


async def test_a_retry_goes_back_to_pending_once_and_is_bounded(store: Store) -> None:
    outbox_id = await _reply(store, "m1")
    now = datetime.now(UTC)
    report = await store.record_delivery(
        "sms", "SM1", "undelivered", "retry", "undelivered (30003)", timedelta(seconds=60), now
    )
    assert report is not None and report.status == "pending"
    # The same report again (Twilio retried it) changes nothing.
    again = await store.record_delivery(
        "sms", "SM1", "undelivered", "retry", "undelivered (30003)", timedelta(seconds=60), now
    )
    assert again is not None and not again.changed
    assert await store.due(["sms"], at=now) == []
    (item,) = await store.due(["sms"], at=now + timedelta(seconds=61))
    assert item.id == outbox_id
    # Sent again under a new id: reports about the old one no longer apply.
    await store.mark_sent(outbox_id, channel_message_id="SM2")
    stale = await store.record_delivery("sms", "SM1", "delivered", "delivered")
    assert stale is None or not stale.changed
    assert (await _row(store, outbox_id))["status"] == "sent"
    for attempt in range(3, MAX_ATTEMPTS + 1):
        sid = f"SM{attempt}"
        report = await store.record_delivery(
            "sms", f"SM{attempt - 1}", "failed", "retry", "failed (30001)", timedelta(0)
        )
        assert report is not None and report.status == "pending"
        await store.mark_sent(outbox_id, channel_message_id=sid)
    row = await _row(store, outbox_id)
    assert row["attempts"] == MAX_ATTEMPTS
    report = await store.record_delivery(
        "sms", f"SM{MAX_ATTEMPTS}", "failed", "retry", "failed (30001)", timedelta(0)
    )
    assert report is not None and report.status == "failed"


async def test_a_provider_opt_out_is_recorded(store: Store) -> None:
    await _reply(store, "m1")
    await store.set_opted_out("sms", NUMBER)
    first = (await store.db.read("SELECT opted_out_at FROM addresses"))[0][0]
    await store.set_opted_out("sms", NUMBER)
    assert (await store.db.read("SELECT opted_out_at FROM addresses"))[0][0] == first
    assert await store.opted_out("sms", NUMBER)
