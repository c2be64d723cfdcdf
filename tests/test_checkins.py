"""Check-ins through the service: booked in a conversation, sent by the scheduler when
due on the service's clock, answered; and kept across a restart of the real server."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import load_settings
from bot.engine import Kind
from bot.service import ChannelMessage, Service
from bot.store import Store

from .conftest import serve, stop

# Saturday 28 Nov 2026, 12:00 in London (GMT).
NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
_ids = itertools.count()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(where: Path | str) -> AsyncIterator[Store]:
    async with Store(where) as store:
        yield store


class Chat:
    """Someone on the web chat, through the service in this process."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.after = 0
        self.person = ""

    async def send(self, text: str = "", option: str | None = None) -> list[dict[str, Any]]:
        kind = Kind.OPTION if option else Kind.TEXT
        message = ChannelMessage("web", "token", f"m{next(_ids)}", kind, text=text, option=option)
        self.person, _ = await self.service.receive(message)
        await self.service.process_pending()
        return await self.news()

    async def news(self) -> list[dict[str, Any]]:
        replies = await self.service.replies_for(self.person, self.after)
        if replies:
            self.after = replies[-1]["id"]
        return replies


def _keys(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["key"] for reply in replies]


async def test_the_scheduler_sends_a_checkin_when_due_and_a_reply_picks_it_up(
    store: Store,
) -> None:
    clock = Clock(NOON)
    service = Service(load_settings({}), store, directory=None, clock=clock)
    chat = Chat(service)
    assert _keys(await chat.send("hi")) == ["menu"]  # the web page has greeted them
    assert _keys(await chat.send("check in")) == ["checkin_offer"]
    set_reply = await chat.send(option="checkin_hour")
    assert _keys(set_reply) == ["checkin_set"]
    assert "13:00" in set_reply[0]["text"] and "nobody is monitoring" in set_reply[0]["text"]

    clock.now = NOON + timedelta(minutes=59)
    assert await service.checkins.send_due() == 0
    assert await chat.news() == []

    clock.now = NOON + timedelta(hours=1)
    assert await service.checkins.send_due() == 1
    (checkin,) = await chat.news()
    assert checkin["key"] == "checkin_message"
    assert "automatic message" in checkin["text"] and "nobody is monitoring" in checkin["text"]
    assert [option for option, _ in checkin["options"]][-1] == "stop_checkins"
    assert await service.checkins.send_due() == 0

    assert _keys(await chat.send("1")) == ["wait_ask"]  # its first option, by number
    counted = [
        row["kind"] for row in await store.counts(kinds=["checkin_sent", "checkin_answered"])
    ]
    assert counted == ["checkin_sent", "checkin_answered"]


async def test_stop_cancels_a_pending_checkin(store: Store) -> None:
    clock = Clock(NOON)
    service = Service(load_settings({}), store, directory=None, clock=clock)
    chat = Chat(service)
    await chat.send("hi")
    await chat.send("check in")
    await chat.send(option="checkin_evening")
    assert _keys(await chat.send("stop")) == ["stopped"]
    clock.now = NOON + timedelta(days=2)
    assert await service.checkins.send_due() == 0
    assert await chat.news() == []


async def test_the_running_scheduler_wakes_for_a_checkin_booked_meanwhile(store: Store) -> None:
    clock = Clock(NOON)
    service = Service(load_settings({}), store, directory=None, clock=clock)
    await service.start()
    try:
        chat = Chat(service)
        await chat.send("hi")
        await chat.send("check in")
        booked = await chat.send(option="checkin_hour")
        # The running service's own processor may have claimed the message first: wait
        # for the booking's reply, so the one awaited below can only be the check-in.
        for _ in range(200):
            if "checkin_set" in _keys(booked):
                break
            await asyncio.sleep(0.05)
            booked += await chat.news()
        assert "checkin_set" in _keys(booked)
        clock.now = NOON + timedelta(hours=2)
        service.checkins.booked.set()  # as a booking does; the clock moved under it
        for _ in range(200):
            if replies := await chat.news():
                break
            await asyncio.sleep(0.05)
        assert _keys(replies) == ["checkin_message"]
    finally:
        await service.stop()


def _web(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=40)
    token = client.post("/api/chat/session").json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _web_again(url: str, old: httpx.Client) -> httpx.Client:
    """The same person (the same token) on a fresh connection."""
    client = httpx.Client(base_url=url, timeout=40)
    client.headers["Authorization"] = old.headers["Authorization"]
    return client


def _send(client: httpx.Client, option: str | None = None, text: str | None = None) -> None:
    body = {"client_id": uuid.uuid4().hex, "text": text, "option": option}
    assert client.post("/api/chat/messages", json=body).status_code == 202


def _wait_for(client: httpx.Client, after: int, key: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 60
    got: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        response = client.get("/api/chat/messages", params={"after": after, "wait": 5})
        got += response.json()["messages"]
        if got:
            after = int(got[-1]["id"])
        if key in [m["key"] for m in got]:
            return got
    raise AssertionError(f"no {key} in {got}")


def test_a_checkin_survives_a_restart_and_is_delivered_once(tmp_path: Path) -> None:
    served = serve(tmp_path)
    client = _web(served.url)
    try:
        _send(client, text="hi")
        _wait_for(client, 0, "menu")  # the web page has greeted them
        # "Even though it's night" is always allowed, so the test does not depend on the
        # hour it runs at; the time it is due is what the test then moves.
        _send(client, option="checkin_hour_night")
        replies = _wait_for(client, 0, "checkin_set")
        after = int(replies[-1]["id"])
    finally:
        stop(served)
        client.close()  # its connection was to the server now stopped

    # The clock seam for a real process: the stored due time is moved into the past
    # while the server is down, which to the service is the hour having passed.
    with sqlite3.connect(served.db) as db:
        (pending,) = db.execute("SELECT id FROM checkins WHERE status = 'pending'").fetchall()
        db.execute(
            "UPDATE checkins SET due_at = ? WHERE id = ?", ("2026-01-01T00:00:00+00:00", pending[0])
        )

    served = serve(tmp_path)
    client = _web_again(served.url, client)
    try:
        got = _wait_for(client, after, "checkin_message")
        assert [m["key"] for m in got] == ["checkin_message"]
    finally:
        client.close()
        stop(served)

    served = serve(tmp_path)  # once more: nothing is sent a second time
    try:
        time.sleep(0.5)
    finally:
        stop(served)
    with sqlite3.connect(served.db) as db:
        sent = db.execute("SELECT COUNT(*) FROM outbox WHERE message_key = 'checkin_message'")
        assert sent.fetchone()[0] == 1
        statuses = db.execute("SELECT status FROM checkins").fetchall()
        assert statuses == [("sent",)]
        counted = db.execute("SELECT COUNT(*) FROM counts WHERE kind = 'checkin_sent'")
        assert counted.fetchone()[0] == 1


async def test_a_reply_held_back_in_a_flood_is_sent_when_the_window_has_passed(
    store: Store,
) -> None:
    from bot.engine.flood import LIMIT, WINDOW

    # Messages are stamped with the real time as they are stored, so this clock starts
    # there.
    start = datetime.now(UTC)
    clock = Clock(start)
    service = Service(load_settings({}), store, directory=None, clock=clock)
    chat = Chat(service)
    await chat.send("hi")
    await chat.send("check in")
    await chat.send(option="checkin_morning")  # a real check-in, tomorrow at 10:00
    checkin_due = await store.wait.next_checkin_due()
    assert checkin_due is not None
    answers = [_keys(await chat.send("menu")) for _ in range(LIMIT + 2)]
    assert ["slow_down"] in answers and answers[-1] == []
    assert await service.checkins.send_due() == 0
    clock.now = datetime.now(UTC) + WINDOW
    assert await service.checkins.send_due() == 1
    (released,) = await chat.news()
    assert released["key"] == "menu" and released["options"]
    # Booking the release did not cancel the check-in: it still goes when due.
    clock.now = checkin_due
    assert await service.checkins.send_due() == 1
    assert _keys(await chat.news()) == ["checkin_message"]
