"""The service carrying out "forget me", blocks and the upkeep job, on a real file."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import engine, upkeep
from bot.config import load_settings
from bot.engine import Kind
from bot.service import ChannelMessage, Service
from bot.store import Store
from bot.supervise import Supervisor

_ids = itertools.count()


class PushSender:
    channel = "push"

    def __init__(self) -> None:
        self.delivered: list[tuple[str, str]] = []

    async def send(self, address: str, body: dict[str, Any]) -> None:
        self.delivered.append((address, body["text"]))


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as store:
        yield store


async def _say(service: Service, text: str, address: str = "+447700900123") -> str:
    message = ChannelMessage("push", address, f"m{next(_ids)}", Kind.TEXT, text=text)
    person, _ = await service.receive(message)
    await service.process_pending()
    await service.deliver_due()
    return person


async def test_forget_me_deletes_everything_and_the_last_reply_still_arrives(
    store: Store,
) -> None:
    sender = PushSender()
    service = Service(load_settings({}), store, senders=[sender], directory=None)
    first = await _say(service, "hi")
    await _say(service, "forget me")
    assert "Delete everything about you?" in sender.delivered[-1][1]
    await _say(service, "yes")
    assert sender.delivered[-1][0] == "+447700900123"
    assert "Everything about you has been deleted" in sender.delivered[-1][1]

    assert await store.transcript(first) == []
    assert await store.clear_forgotten(datetime.now(UTC)) == 1
    assert await store.person_for("push", "+447700900123") is None
    assert [c["kind"] for c in await store.counts(kinds=["forgotten"])] == ["forgotten"]

    again = await _say(service, "hello")
    assert again != first
    assert "999" in sender.delivered[-1][1] and "116 123" in sender.delivered[-1][1]
    assert len(await store.transcript(again)) == 2  # a fresh greeting, nothing older


async def test_a_blocked_person_gets_one_notice_and_still_the_urgent_reply(
    store: Store,
) -> None:
    sender = PushSender()
    service = Service(load_settings({}), store, senders=[sender], directory=None)
    person = await _say(service, "hi")
    until = datetime.now(UTC) + timedelta(hours=1)
    block_id = await service.block_person(person, until, "abusive messages", "s-lead")
    assert (await store.active_block(person)).id == block_id  # type: ignore[union-attr]

    before = len(sender.delivered)
    await _say(service, "menu")
    await _say(service, "what is this")  # an ordinary reply, held back ("help" is urgent help)
    notices = sender.delivered[before:]
    assert len(notices) == 1 and "paused replies" in notices[0][1]
    await _say(service, "I want to kill myself")
    assert "999" in sender.delivered[-2][1]  # urgent, then "are you safe?"
    said = [who for who, _, _ in await store.transcript(person) if who == "person"]
    assert len(said) == 4  # every message stored

    assert await service.unblock_person(person, "s-lead") == 1
    before = len(sender.delivered)
    await _say(service, "menu")
    assert len(sender.delivered) == before + 1
    assert sender.delivered[-1][1] == service.wording.render(engine.Reply("menu")).text


async def test_the_upkeep_job_purges_and_logs_failures_by_type_only(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(upkeep, "SWEEP", timedelta(seconds=0.01))
    calls: list[datetime] = []

    async def failing_purge(now: datetime, keep: timedelta, **_: object) -> None:
        calls.append(now)
        raise ValueError("a person's words +447700900123")

    monkeypatch.setattr(store, "purge", failing_purge)
    supervisor = Supervisor(base=0.01)
    task = supervisor.spawn("upkeep", lambda: upkeep.run(store, timedelta(days=90)))
    with caplog.at_level(logging.INFO, logger="waitingroom.supervise"):
        for _ in range(200):
            await asyncio.sleep(0.01)
            if caplog.records:
                break
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert calls and "ValueError at test_privacy_service.py" in caplog.text
    assert "+447700900123" not in caplog.text
