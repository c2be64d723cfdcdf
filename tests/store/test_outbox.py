"""The outbox: urgent replies first, each person's replies in order, bounded retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import Outgoing, Store, StoredInbound, Turn
from bot.store.store import MAX_ATTEMPTS


async def _say(store: Store, address: str, message_id: str, *replies: Outgoing) -> str:
    received = await store.receive("telegram", address, message_id, "text", {"text": "x"})

    def decide(inbound: StoredInbound, state: str | None, locale: str) -> Turn:
        return Turn(state="{}", replies=list(replies))

    await store.take_turn(received.inbox_id, decide)
    return received.person_id


def _reply(key: str, urgent: bool = False) -> Outgoing:
    return Outgoing(key, {"text": key, "options": []}, urgent)


async def test_urgent_replies_go_before_the_rest(where: Path | str) -> None:
    async with Store(where) as store:
        await _say(store, "a", "1", _reply("menu"))
        await _say(store, "b", "2", _reply("menu"))
        await _say(store, "c", "3", _reply("urgent", urgent=True), _reply("are_you_safe", True))
        due = await store.due(["telegram"])
        assert [(item.address, item.key) for item in due] == [
            ("c", "urgent"),
            ("a", "menu"),
            ("b", "menu"),
        ]


async def test_a_persons_later_reply_never_overtakes_an_earlier_one(where: Path | str) -> None:
    async with Store(where) as store:
        await _say(store, "a", "1", _reply("greeting"), _reply("menu"))
        due = await store.due(["telegram"])
        assert [item.key for item in due] == ["greeting"]
        await store.mark_sent(due[0].id)
        assert [item.key for item in await store.due(["telegram"])] == ["menu"]


async def test_a_retry_waits_and_is_bounded(where: Path | str) -> None:
    async with Store(where) as store:
        await _say(store, "a", "1", _reply("greeting"))
        (item,) = await store.due(["telegram"])
        now = datetime.now(UTC)
        assert (
            await store.mark_retry(item.id, "timeout", timedelta(seconds=30), at=now) == "pending"
        )
        assert await store.due(["telegram"], at=now) == []
        assert len(await store.due(["telegram"], at=now + timedelta(seconds=31))) == 1
        for _ in range(MAX_ATTEMPTS - 1):
            status = await store.mark_retry(item.id, "timeout", timedelta(0))
        assert status == "failed"
        assert await store.due(["telegram"], at=now + timedelta(days=1)) == []


async def test_pull_channels_mark_what_they_fetched_delivered(where: Path | str) -> None:
    async with Store(where) as store:
        person = await _say(store, "a", "1", _reply("greeting"), _reply("menu"))
        items = await store.replies_after(person, 0)
        await store.mark_delivered([item.id for item in items])
        assert {item.status for item in await store.replies_after(person, 0)} == {"delivered"}
        assert await store.replies_after(person, items[-1].id) == []


async def test_failed_deliveries_are_dated_and_listed_for_leads_without_addresses(
    where: Path | str,
) -> None:
    async with Store(where) as store:
        ann = await _say(store, "ann-chat", "1", _reply("greeting"))
        bob = await _say(store, "bob-chat", "2", _reply("urgent", urgent=True))
        await _say(store, "cat-chat", "3", _reply("greeting"))
        start = datetime.now(UTC)
        (bob_item,) = await store.due(["telegram"], limit=1)
        await store.mark_failed(bob_item.id, "blocked the bot", at=start - timedelta(days=9))
        (ann_item, _) = await store.due(["telegram"])
        for _ in range(MAX_ATTEMPTS):
            await store.mark_retry(ann_item.id, "telegram unavailable", timedelta(0), at=start)
        (failed,) = await store.failed_deliveries(since=start - timedelta(days=7))
        assert (failed.person_id, failed.channel, failed.key) == (ann, "telegram", "greeting")
        assert failed.reason == "telegram unavailable" and failed.attempts == MAX_ATTEMPTS
        assert failed.failed_at == start
        assert [f.person_id for f in await store.failed_deliveries()] == [ann, bob]
        everything = repr(await store.failed_deliveries())
        assert "chat" not in everything  # never an address


async def test_a_persons_first_reply_goes_before_anothers_later_ones(where: Path | str) -> None:
    async with Store(where) as store:
        await _say(store, "a", "1", _reply("greeting"), _reply("second"), _reply("third"))
        (first,) = await store.due(["telegram"])
        await store.mark_sent(first.id)
        (second,) = await store.due(["telegram"])
        await store.mark_sent(second.id)
        # Ann's third reply is older than Bob's first, but Bob is waiting for a first word.
        await _say(store, "b", "2", _reply("greeting"), _reply("menu"))
        due = await store.due(["telegram"])
        assert [(item.address, item.key) for item in due] == [("b", "greeting"), ("a", "third")]
        # Urgent still comes first of all, and a new message's first reply is first again.
        await _say(store, "a", "3", _reply("reply"))
        await _say(store, "c", "4", _reply("urgent", urgent=True))
        due = await store.due(["telegram"])
        assert [(item.address, item.key) for item in due] == [
            ("c", "urgent"),
            ("b", "greeting"),
            ("a", "third"),
        ]


async def test_people_held_back_are_skipped_and_the_rest_go(where: Path | str) -> None:
    async with Store(where) as store:
        ann = await _say(store, "a", "1", _reply("greeting"))
        await _say(store, "b", "2", _reply("greeting"))
        assert [item.address for item in await store.due(["telegram"], skip={ann})] == ["b"]
        claimed = await store.claim_due(["telegram"], timedelta(minutes=1), skip=[ann])
        assert [item.address for item in claimed] == ["b"]
        assert [item.address for item in await store.due(["telegram"])] == ["a"]
