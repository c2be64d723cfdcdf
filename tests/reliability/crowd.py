"""Simulated people on Telegram and SMS, and the checks that nothing was lost or doubled.

Each message is posted as the provider posts it: again and again until the service
answers 200 (Telegram and Twilio both retry a webhook that failed), always with the
same ``update_id`` or ``MessageSid``.
"""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bot.channels.telegram import linked_html

from ..fake_telegram import FakeBotAPI, message_update
from ..fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio, inbound, post_signed

TOKEN = "123456:TEST-token"
SECRET = "reliability_secret"
TEXTS = ("hi", "menu", "I can't cope tonight", "help", "I want to kill myself", "menu")
T = TypeVar("T")


def channel_env(telegram: FakeBotAPI, twilio: FakeTwilio, port: int) -> dict[str, str]:
    """Telegram in webhook mode and SMS, both against the fakes; the service's own
    loopback address stands in for its public URL (Twilio signs for it)."""
    return {
        "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_URL": twilio.url,
    }


@dataclass(frozen=True, slots=True)
class Said:
    channel: str  # "telegram" or "sms"
    address: str  # chat id or phone number
    message_id: str  # update_id or MessageSid
    text: str


def post(url: str, said: Said) -> bool:
    """One attempt at delivering a message to the service; True when acknowledged."""
    try:
        if said.channel == "telegram":
            update = message_update(int(said.message_id), int(said.address), said.text)
            response = httpx.post(
                f"{url}/telegram/webhook",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                timeout=10,
            )
        else:
            form = inbound(said.message_id, said.address, said.text)
            response = post_signed(url, url, "/sms/inbound", form)
    except httpx.TransportError:
        return False
    return response.status_code == 200


@dataclass
class Crowd:
    """People on both channels, each saying ``each`` things in turn; one thread per channel
    posts them in order, each until acknowledged, as the providers do."""

    url: str
    telegram_people: int = 4
    sms_people: int = 4
    each: int = 8
    texts: Sequence[str] = TEXTS
    pause: float = 0.0  # between messages, to spread them out
    # More than one instance behind one database: each post goes to one of these at random.
    urls: Sequence[str] = ()
    acked: list[Said] = field(default_factory=list)
    tries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def script(self, channel: str) -> list[Said]:
        ids = itertools.count(1)
        if channel == "telegram":
            addresses = [str(900_000 + n) for n in range(self.telegram_people)]
        else:
            addresses = [f"+4477009001{n:02d}" for n in range(self.sms_people)]
        said = []
        for turn in range(self.each):
            for n, address in enumerate(addresses):
                number = next(ids)
                message_id = str(number) if channel == "telegram" else f"SM{number:032d}"
                text = self.texts[(turn + n) % len(self.texts)]
                said.append(Said(channel, address, message_id, text))
        return said

    def everything(self) -> list[Said]:
        return self.script("telegram") + self.script("sms")

    def _run(self, channel: str) -> None:
        for said in self.script(channel):
            while True:
                with self._lock:
                    self.tries += 1
                if post(random.choice(self.urls) if self.urls else self.url, said):
                    break
                time.sleep(0.05)  # the service is down or restarting: the provider retries
            with self._lock:
                self.acked.append(said)
            if self.pause:
                time.sleep(self.pause)

    def start(self) -> Crowd:
        self._threads = [
            threading.Thread(target=self._run, args=(channel,), daemon=True)
            for channel in ("telegram", "sms")
        ]
        for thread in self._threads:
            thread.start()
        return self

    def acknowledged(self) -> list[Said]:
        with self._lock:
            return list(self.acked)

    def wait_acked(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged()) < count:
            assert time.monotonic() < deadline, f"only {len(self.acknowledged())} acknowledged"
            time.sleep(0.01)

    def join(self, timeout: float = 120) -> None:
        for thread in self._threads:
            thread.join(timeout)
            assert not thread.is_alive(), "the crowd never finished"


def query(db: Path | str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    if isinstance(db, str):  # a PostgreSQL URL (tests/multi)
        import psycopg

        from bot.store.postgres import translate

        with psycopg.connect(db) as pg:
            return [tuple(row) for row in pg.execute(translate(sql), params).fetchall()]
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(sql, params).fetchall()


def wait_settled(db: Path | str, messages: int, timeout: float = 120) -> None:
    """Until every message is stored and processed and no reply is waiting to go."""
    deadline = time.monotonic() + timeout
    while True:
        ((stored, unprocessed),) = query(
            db, "SELECT count(*), count(*) - count(processed_at) FROM inbox"
        )
        ((pending,),) = query(db, "SELECT count(*) FROM outbox WHERE status = 'pending'")
        if stored == messages and unprocessed == 0 and pending == 0:
            return
        assert time.monotonic() < deadline, (
            f"not settled: {stored}/{messages} stored, {unprocessed} unprocessed,"
            f" {pending} replies pending"
        )
        time.sleep(0.1)


def repeats(expected: Sequence[T], got: Sequence[T]) -> int:
    """How many of ``got`` repeat the one just before it (a reply in flight when the
    service died, sent again); fails on anything missing, out of order or unknown."""
    i = extra = 0
    for item in got:
        if i < len(expected) and item == expected[i]:
            i += 1
        elif i > 0 and item == expected[i - 1]:
            extra += 1
        else:
            raise AssertionError(f"unexpected send {item!r} after {i} of {len(expected)}")
    assert i == len(expected), f"only {i} of {len(expected)} replies arrived"
    return extra


def check_exactly_once(
    db: Path | str, said: Sequence[Said], telegram: FakeBotAPI, twilio: FakeTwilio
) -> dict[str, int]:
    """Every message stored once and answered by one turn, every reply sent, in order per
    person; returns how many sends were repeats, per channel (a reply the provider took
    just before a crash, so never marked sent: neither provider has an idempotency key,
    and sending twice beats losing an answer to someone in crisis)."""
    stored = query(db, "SELECT channel, channel_message_id, processed_at FROM inbox")
    assert sorted((c, m) for c, m, _ in stored) == sorted((s.channel, s.message_id) for s in said)
    assert all(processed for *_, processed in stored)
    # One turn per message: a second turn would store its replies again.
    turns = query(
        db,
        "SELECT i.id, count(o.id), count(DISTINCT o.message_key || o.body) FROM inbox i"
        " LEFT JOIN outbox o ON o.inbox_id = i.id GROUP BY i.id",
    )
    assert all(replies >= 1 and replies == distinct for _, replies, distinct in turns), turns
    statuses = query(db, "SELECT status, count(*) FROM outbox GROUP BY status")
    assert dict(statuses).keys() == {"sent"}, statuses
    repeated = {"telegram": 0, "sms": 0}
    for address in sorted({s.address for s in said if s.channel == "telegram"}):
        bodies = _bodies(db, "telegram", address)
        # As the sender renders it: escaped, with numbers and addresses as links.
        expected = [linked_html(json.loads(body)["text"]) for body, _ in bodies]
        got = [p["text"] for p in telegram.delivered("sendMessage") if p["chat_id"] == address]
        repeated["telegram"] += repeats(expected, got)
    for address in sorted({s.address for s in said if s.channel == "sms"}):
        sids = [sid for _, sid in _bodies(db, "sms", address)]
        got = [m.sid for m in twilio.sent(to=address)]
        known = [sid for sid in got if sid in sids]
        assert known == sids, f"replies to an SMS person missing or out of order: {address}"
        repeated["sms"] += len(got) - len(known)
    return repeated


def _bodies(db: Path | str, channel: str, address: str) -> list[tuple[str, str]]:
    return [
        (body, sid)
        for body, sid in query(
            db,
            "SELECT o.body, o.channel_message_id FROM outbox o JOIN addresses a"
            " ON a.person_id = o.person_id AND a.channel = o.channel"
            " WHERE a.channel = ? AND a.address = ? ORDER BY o.id",
            channel,
            address,
        )
    ]
