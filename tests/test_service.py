"""The shell around the engine: the safety net, and the sender's retries."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import engine
from bot.channels.base import DeliveryError
from bot.clock import FakeClock
from bot.config import load_settings
from bot.engine import Kind
from bot.service import ChannelMessage, Service
from bot.store import Store

_ids = itertools.count()


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as store:
        yield store


class FakeSender:
    """A push channel that fails as told, then records what it delivered."""

    channel = "push"

    def __init__(self, failures: list[DeliveryError] | None = None) -> None:
        self.failures = failures or []
        self.delivered: list[tuple[str, str]] = []
        self.arrived = asyncio.Event()

    async def send(self, address: str, body: dict[str, Any]) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append((address, body["text"]))
        self.arrived.set()


def _message(text: str, address: str = "addr", channel: str = "push") -> ChannelMessage:
    return ChannelMessage(channel, address, f"m{next(_ids)}", Kind.TEXT, text=text)


async def test_an_engine_failure_still_sends_the_emergency_numbers(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = Service(load_settings({}), store)

    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(engine, "handle", broken)
    person, _ = await service.receive(_message("hi", channel="web"))
    assert await service.process_pending() == 1
    (reply,) = await service.replies_for(person, 0)
    assert reply["key"] == "safety_net" and reply["urgent"]
    assert "999" in reply["text"] and "116 123" in reply["text"]


async def test_a_broken_template_falls_back_to_the_safety_net(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = Service(load_settings({}), store)
    real = service.wording.render

    def broken(reply: engine.Reply, locale: str = "en-GB") -> Any:
        if reply.key in ("greeting", "menu"):  # a first web "hi" gets the menu
            raise KeyError("template missing")
        return real(reply, locale)

    monkeypatch.setattr(service.wording, "render", broken)
    person, _ = await service.receive(_message("hi", channel="web"))
    await service.process_pending()
    assert [r["key"] for r in await service.replies_for(person, 0)] == ["safety_net"]


async def test_replies_are_pushed_urgent_first_and_retried(where: Path | str) -> None:
    clock = FakeClock(datetime.now(UTC))
    async with Store(where, clock) as store:
        sender = FakeSender([DeliveryError("timeout"), DeliveryError("429", retry_after=0)])
        service = Service(load_settings({}), store, senders=[sender])
        await service.receive(_message("hi", "ann"))
        await service.receive(_message("I want to kill myself", "bob"))
        await service.process_pending()
        # First attempts fail (timeout, 429): nothing lost, retried later.
        for _ in range(5):
            await service.deliver_due()
            clock.advance(timedelta(hours=1))  # past any backoff
    texts = [text for _, text in sender.delivered]
    assert sender.delivered[0][0] == "bob" and "999" in texts[0]
    assert [address for address, _ in sender.delivered].count("ann") == 1


async def test_a_permanent_failure_is_recorded_not_retried(store: Store) -> None:
    sender = FakeSender([DeliveryError("blocked by user", permanent=True)])
    service = Service(load_settings({}), store, senders=[sender])
    await service.receive(_message("hi"))
    await service.process_pending()
    await service.deliver_due()
    assert [f.reason for f in await store.failed_deliveries()] == ["blocked by user"]
    assert await store.due(["push"]) == []  # not retried
    assert sender.delivered == []


async def test_a_hung_channel_never_holds_up_another(store: Store) -> None:
    class Hung(FakeSender):
        channel = "slow"

        async def send(self, address: str, body: dict[str, Any]) -> None:
            await asyncio.Event().wait()  # a provider that never answers

    fast, slow = FakeSender(), Hung()
    service = Service(load_settings({}), store, senders=[fast, slow])
    await service.start()
    try:
        await service.receive(_message("hi", "ann", channel="slow"))
        await service.receive(_message("hi", "bob", channel="push"))
        await asyncio.wait_for(fast.arrived.wait(), 10)
        assert fast.delivered[0][0] == "bob"
    finally:
        await service.stop(drain=0.5)  # the hung send is cut off, not waited for


async def test_stopping_finishes_stored_turns_and_sends_their_replies(store: Store) -> None:
    sender = FakeSender()
    service = Service(load_settings({}), store, senders=[sender])
    await service.start()
    for n in range(5):
        await service.receive(_message("hi", f"person-{n}"))
    await service.stop()  # at once: the drain, not luck, gets these done
    assert await store.unprocessed() == []
    assert sorted(address for address, _ in sender.delivered) == [f"person-{n}" for n in range(5)]


class PacedSender(FakeSender):
    """A push channel that paces each chat, as Telegram's sender does: it says how long
    a chat must wait (``ready_in``) and would sleep if sent to sooner."""

    def __init__(self, interval: float) -> None:
        super().__init__()
        self.interval = interval
        self.last: dict[str, float] = {}
        self.waited = 0.0

    def ready_in(self, address: str) -> float:
        now = asyncio.get_running_loop().time()
        return max(0.0, self.last.get(address, -1e9) + self.interval - now)

    async def send(self, address: str, body: dict[str, Any]) -> None:
        wait = self.ready_in(address)
        self.waited += wait
        await asyncio.sleep(wait)
        self.last[address] = asyncio.get_running_loop().time()
        await super().send(address, body)


async def test_a_chat_held_back_by_its_pace_never_holds_up_another(store: Store) -> None:
    sender = PacedSender(interval=30)  # far longer than the test: a chat's second waits
    service = Service(load_settings({}), store, senders=[sender])
    await service.receive(_message("hi", "ann"))
    await service.receive(_message("hello?", "ann"))
    await service.receive(_message("I want to kill myself", "cat"))  # more than one reply
    await service.receive(_message("hi", "bob"))
    await service.process_pending()
    await asyncio.wait_for(service.deliver_due(), 5)
    # Nobody waited on another's pace: one reply each went, urgent first, and the rest
    # are still due, in order, for when each chat may take the next.
    assert sender.waited == 0
    assert [address for address, _ in sender.delivered] == ["cat", "ann", "bob"]
    assert {item.address for item in await store.due(["push"])} == {"ann", "cat"}


async def test_a_rate_limit_on_one_chat_holds_back_only_that_chat(store: Store) -> None:
    sender = FakeSender([DeliveryError("429", retry_after=30, chat_only=True)])
    service = Service(load_settings({}), store, senders=[sender])
    await service.receive(_message("hi", "ann"))
    await service.receive(_message("hi", "bob"))
    await service.process_pending()
    await service.deliver_due()
    to = [address for address, _ in sender.delivered]
    assert "ann" not in to and "bob" in to  # ann's first try was refused; bob's went
    assert not service._paused_until  # the channel as a whole was not paused


async def test_rate_limits_on_many_chats_at_once_pause_the_whole_channel(store: Store) -> None:
    limited = [DeliveryError("429", retry_after=30, chat_only=True) for _ in range(3)]
    sender = FakeSender(limited)
    service = Service(load_settings({}), store, senders=[sender])
    for name in ("ann", "bob", "cat", "dan"):
        await service.receive(_message("hi", name))
    await service.process_pending()
    await service.deliver_due()
    assert sender.delivered == []  # the third refusal in a second: the bot's limit
    assert "push" in service._paused_until


async def test_a_chat_held_back_is_sent_to_once_its_wait_is_over(store: Store) -> None:
    sender = PacedSender(interval=0.3)
    service = Service(load_settings({}), store, senders=[sender])
    await service.start()
    try:
        await service.receive(_message("hi", "ann"))
        await service.receive(_message("hello?", "ann"))
        for _ in range(100):
            if len(sender.delivered) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        await service.stop(drain=2)
    assert [address for address, _ in sender.delivered] == ["ann", "ann"]
