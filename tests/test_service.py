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
