"""Every long-running task is supervised: a death is logged by type and place only, the
task starts again with backoff, and /healthz names a task that keeps dying."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from telegram import Update

from bot.channels.telegram import TelegramChannel, routes
from bot.config import load_settings
from bot.service import Service
from bot.store import Store
from bot.supervise import Supervisor
from bot.web.app import healthz

from .fake_telegram import FakeBotAPI, message_update

SECRET_WORDS = "my private words +447700900123"


async def test_a_dying_task_is_restarted_with_backoff_and_logged_without_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervisor = Supervisor(base=0.01, cap=0.04, limit=3)
    runs: list[float] = []
    loop = asyncio.get_running_loop()

    async def dies() -> None:
        runs.append(loop.time())
        if len(runs) < 6:
            raise ValueError(SECRET_WORDS)

    with caplog.at_level(logging.ERROR, logger="waitingroom.supervise"):
        await asyncio.wait_for(supervisor.run("dies", dies), 5)
    assert len(runs) == 6
    gaps = [b - a for a, b in itertools.pairwise(runs)]
    assert gaps[1] >= gaps[0] * 1.5 or gaps[1] >= 0.02  # backing off
    assert "ValueError at test_supervise.py:" in caplog.text
    assert "+447700900123" not in caplog.text and "private" not in caplog.text
    assert supervisor.failing() == ["dies"]


async def test_a_task_that_returns_or_dies_while_stopping_is_not_restarted() -> None:
    supervisor = Supervisor(base=0.01)
    calls = 0

    async def dies() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError

    await asyncio.wait_for(supervisor.run("x", dies, stopping=lambda: True), 2)
    assert calls == 1 and supervisor.failing() == []


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "wr.sqlite3") as store:
        yield store


async def test_healthz_names_a_service_task_that_keeps_dying(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = Service(load_settings({}), store, directory=None)
    service.supervisor.base = 0.01

    async def broken_tick(*args: object, **kwargs: object) -> None:
        raise RuntimeError(SECRET_WORDS)

    monkeypatch.setattr(store.peer, "tick", broken_tick)
    app = Starlette(routes=[Route("/healthz", healthz)])
    app.state.service = service
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        assert (await client.get("/healthz")).status_code == 200
        await service.start()
        try:
            for _ in range(200):
                if service.failing_tasks():
                    break
                await asyncio.sleep(0.02)
            answer = await client.get("/healthz")
        finally:
            await service.stop(drain=1)
    assert answer.status_code == 503
    assert answer.json() == {"status": "tasks failing", "tasks": ["queue-clock"]}


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    api = FakeBotAPI().start()
    yield api
    api.stop()


async def test_an_update_that_cannot_be_handled_still_gets_the_safety_net(
    store: Store, fake: FakeBotAPI
) -> None:
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": "1:T",
            "TELEGRAM_API_URL": fake.url,
            "TELEGRAM_WEBHOOK_SECRET": "s3cret",
            "WAITINGROOM_PUBLIC_URL": "http://127.0.0.1:9",
        }
    )
    service = Service(settings, store, directory=None)
    channel = TelegramChannel(settings, service.wording)
    channel.service = service
    channel.sender.service = service
    await channel.bot.initialize()

    class Broken:
        async def handle(self, update: Update) -> bool:
            raise KeyError(SECRET_WORDS)

    channel.supporters = Broken()  # type: ignore[assignment]
    app = Starlette(routes=list(routes))
    app.state.telegram = channel
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        answer = await client.post(
            "/telegram/webhook", json=message_update(7, 3141, "hello"), headers=headers
        )
        # Retrying would fail the same way: 200, and the person has the numbers.
        assert answer.status_code == 200
        for _ in range(100):
            if fake.called("sendMessage"):
                break
            await asyncio.sleep(0.05)
        (sent,) = fake.called("sendMessage")
        assert int(sent["chat_id"]) == 3141 and "116 123" in sent["text"]

        # Storing fails: a 500 so Telegram retries, and the safety net goes once only.
        async def down(*args: object, **kwargs: object) -> None:
            raise OSError("disk")

        channel.supporters = None
        store.receive = down  # type: ignore[method-assign]
        for _ in range(2):
            answer = await client.post(
                "/telegram/webhook", json=message_update(8, 2718, "hello"), headers=headers
            )
            assert answer.status_code == 500
        await asyncio.sleep(0.5)
        assert [int(p["chat_id"]) for p in fake.called("sendMessage")] == [3141, 2718]
    await channel.bot.shutdown()


async def test_an_sms_that_cannot_be_stored_is_answered_with_the_safety_net(
    store: Store,
) -> None:
    from twilio.request_validator import RequestValidator

    from bot.channels import sms

    from .fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, inbound

    public = "https://sms.example"
    settings = load_settings(
        {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_FROM_NUMBER": FROM_NUMBER,
            "WAITINGROOM_PUBLIC_URL": public,
        }
    )
    service = Service(settings, store, directory=None)
    channel = sms.SmsChannel(settings, service.wording)
    channel.service = service

    async def down(*args: object, **kwargs: object) -> None:
        raise OSError("disk")

    store.receive = down  # type: ignore[method-assign]
    app = Starlette(routes=list(sms.routes))
    app.state.sms = channel
    form = inbound("SM" + "1" * 32, "+447700900123", "help me")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(public + "/sms/inbound", form)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        answer = await client.post(
            "/sms/inbound", data=form, headers={"X-Twilio-Signature": signature}
        )
    # Twilio does not retry a failed inbound webhook: the TwiML itself carries the numbers.
    assert answer.status_code == 200
    assert "<Message>" in answer.text and "999" in answer.text and "116 123" in answer.text
