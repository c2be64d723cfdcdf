"""Telegram supporter mode, end to end: the real service, a fake Bot API, a person and a
supporter both on Telegram."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.staff import link_codes

from ..conftest import Served, free_port, serve, stop
from ..fake_telegram import FakeBotAPI, callback_update, message_update
from .conftest import add_supporter_sync

SECRET = "peer-secret"
PERSON, SUPPORTER = 501, 900


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    api = FakeBotAPI().start()
    yield api
    api.stop()


@pytest.fixture
def served(tmp_path: Path, fake: FakeBotAPI) -> Iterator[Served]:
    running = serve(
        tmp_path,
        {
            "TELEGRAM_BOT_TOKEN": "123:TEST",
            "TELEGRAM_API_URL": fake.url,
            "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{free_port()}",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
        },
    )
    fake.wait_for("setWebhook")
    yield running
    stop(running)


class Chats:
    def __init__(self, served: Served, fake: FakeBotAPI) -> None:
        self.served, self.fake, self.next_id = served, fake, 1000

    def post(self, update: dict[str, object]) -> None:
        response = httpx.post(
            f"{self.served.url}/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200

    def say(self, chat: int, text: str) -> dict[str, object]:
        self.next_id += 1
        update = message_update(self.next_id, chat, text)
        self.post(update)
        return update

    def press(self, chat: int, option: str) -> None:
        self.next_id += 1
        self.post(callback_update(self.next_id, chat, option))

    def texts(self, chat: int) -> list[str]:
        return [p["text"] for p in self.fake.called("sendMessage") if int(p["chat_id"]) == chat]

    def wait_for(self, chat: int, needle: str, count: int = 1, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [t for t in self.texts(chat) if needle in t]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never reached chat {chat}: {self.texts(chat)}")


def test_a_supporter_takes_and_talks_from_telegram(served: Served, fake: FakeBotAPI) -> None:
    add_supporter_sync(served.db, "s-1", "Samira", chat=str(SUPPORTER))
    chats = Chats(served, fake)
    chats.say(PERSON, "/start")
    chats.wait_for(PERSON, "automated service")
    chats.say(PERSON, "talk to someone")
    chats.wait_for(PERSON, "1 supporter is on shift")
    chats.press(PERSON, "join")
    chats.wait_for(PERSON, "what you'd like to talk about")
    chats.say(PERSON, "my mum is unwell")
    alert = chats.wait_for(SUPPORTER, "is waiting to talk")[0]
    guest = alert.split()[0]
    assert guest.startswith("Guest-") and str(PERSON) not in alert and "ann_private" not in alert

    chats.say(SUPPORTER, "/next")
    taken = chats.wait_for(SUPPORTER, "You are now talking with")[0]
    assert guest in taken and "my mum is unwell" in taken
    chats.wait_for(PERSON, "Samira, a peer supporter, has joined")

    update = chats.say(SUPPORTER, "Hi, I'm Samira <b>here</b>")
    chats.wait_for(
        PERSON, "Samira: Hi, I&#x27;m Samira &lt;b&gt;here&lt;/b&gt;".replace("&#x27;", "'")
    )
    chats.post(update)  # Telegram retries the supporter's update: not sent twice
    chats.say(PERSON, "thank you")
    chats.wait_for(SUPPORTER, f"{guest}: thank you")
    assert len([t for t in chats.texts(PERSON) if t.startswith("Samira: Hi")]) == 1

    chats.say(SUPPORTER, "/end listened Talked about her mum.")
    chats.wait_for(PERSON, "Samira has ended the chat")
    chats.wait_for(SUPPORTER, "Ended the chat")
    with sqlite3.connect(served.db) as db:
        # The supporter's chat never became a "person".
        assert db.execute(
            "SELECT count(*) FROM addresses WHERE address = ?", (str(SUPPORTER),)
        ).fetchone() == (0,)
        note = db.execute("SELECT handover_note, outcome FROM handoffs").fetchone()
    assert note == ("Talked about her mum.", '["listened"]')


def test_a_supporter_links_telegram_with_a_one_time_code(served: Served, fake: FakeBotAPI) -> None:
    import asyncio

    from bot.staff.models import Role
    from bot.store import Store

    async def code_for_new_supporter() -> str:
        async with Store(served.db) as store:
            added = await store.staff.add_supporter("jo", "Jo", Role.SUPPORTER, "x")
            await store.staff.set_shift(added.id, True)
            code, kept = link_codes.issue(added.id, datetime.now(UTC))
            await store.staff.add_link_code(kept)
            return code

    code = asyncio.run(code_for_new_supporter())
    chats = Chats(served, fake)
    chats.say(SUPPORTER, "/link WRONG123")  # a wrong code: nothing is said, nothing linked
    chats.say(SUPPORTER, f"/link {code}")
    chats.wait_for(SUPPORTER, "Linked. Jo, this chat now gets queue alerts")
    chats.say(SUPPORTER, f"/link {code}")  # used up: not linked twice, not a person
    chats.say(SUPPORTER, "/queue")
    chats.wait_for(SUPPORTER, "Nobody is waiting")
    assert len([t for t in chats.texts(SUPPORTER) if t.startswith("Linked.")]) == 1
    with sqlite3.connect(served.db) as db:
        assert db.execute("SELECT count(*) FROM inbox").fetchone() == (0,)


def test_transfer_escalate_and_debrief_from_telegram(served: Served, fake: FakeBotAPI) -> None:
    jo_chat = 901
    add_supporter_sync(served.db, "s-1", "Samira", chat=str(SUPPORTER))
    add_supporter_sync(served.db, "s-2", "Jo", chat=str(jo_chat))
    chats = Chats(served, fake)
    chats.say(PERSON, "talk to someone")
    chats.wait_for(PERSON, "supporters are on shift")
    chats.press(PERSON, "join")
    chats.wait_for(PERSON, "what you'd like to talk about")
    chats.say(PERSON, "my dad")
    chats.wait_for(SUPPORTER, "is waiting to talk")
    chats.say(SUPPORTER, "/next")
    chats.wait_for(SUPPORTER, "You are now talking with")

    # No lead anywhere: the escalation is recorded and the ladder's numbers are given,
    # never "the leads have been told".
    chats.say(SUPPORTER, "/escalate")
    chats.wait_for(
        SUPPORTER, '1. First Response crisis line: <a href="tel:+448009521181">0800 952 1181</a>'
    )
    chats.say(SUPPORTER, "/escalate 1")
    told = chats.wait_for(SUPPORTER, "Escalation recorded")[0]
    assert "no lead could be reached" in told and "0800 952 1181" in told

    chats.say(SUPPORTER, "/transfer Nobody")
    chats.wait_for(SUPPORTER, "On shift with room: Jo")
    chats.say(SUPPORTER, "/transfer jo Her dad is in hospital")
    chats.wait_for(SUPPORTER, "Handed over to Jo")
    alert = chats.wait_for(jo_chat, "has transferred")[0]
    assert "Samira" in alert and "Her dad is in hospital" in alert
    chats.wait_for(PERSON, "handed over to Jo")
    chats.say(jo_chat, "Hello, Jo here.")
    chats.wait_for(PERSON, "Jo: Hello, Jo here.")

    chats.say(SUPPORTER, "/debrief")
    chats.wait_for(SUPPORTER, "no lead could be reached for a debrief")
    with sqlite3.connect(served.db) as db:
        kinds = [row[0] for row in db.execute("SELECT kind FROM lead_inbox ORDER BY id")]
    assert kinds == ["escalation", "debrief"]


def test_next_names_what_raised_the_risk_never_its_ids(served: Served, fake: FakeBotAPI) -> None:
    add_supporter_sync(served.db, "s-1", "Samira", chat=str(SUPPORTER))
    chats = Chats(served, fake)
    chats.say(PERSON, "talk to someone")
    chats.wait_for(PERSON, "1 supporter is on shift")
    chats.press(PERSON, "join")
    chats.wait_for(PERSON, "what you'd like to talk about")
    chats.say(PERSON, "I want to kill myself tonight")
    chats.wait_for(SUPPORTER, "URGENT")
    chats.say(SUPPORTER, "/next")
    taken = chats.wait_for(SUPPORTER, "You are now talking with")[0]
    assert "Raised by: " in taken and "Suicidal intent" in taken
    assert "suicidal_intent" not in taken and "kill-self" not in taken
