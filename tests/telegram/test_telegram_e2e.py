"""End to end: the real service process talks to a fake Bot API on loopback."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..conftest import Served, free_port, serve, stop
from ..fake_telegram import FakeBotAPI, callback_update, keyboard, message_update

SECRET = "test_secret-123"
TOKEN = "123456:TEST-token"


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    api = FakeBotAPI().start()
    yield api
    api.stop()


def _serve(tmp_path: Path, fake: FakeBotAPI, webhook: bool, name: str | None = None) -> Served:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": fake.url}
    if webhook:
        # Loopback http is allowed as a public URL only for tests like this one.
        env |= {
            "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{free_port()}",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
        }
    if name:
        config = tmp_path / "config.toml"
        config.write_text(f'[service]\nname = "{name}"\n')
        env["WAITINGROOM_CONFIG"] = str(config)
    return serve(tmp_path, env)


@pytest.fixture
def webhook_service(tmp_path: Path, fake: FakeBotAPI) -> Iterator[Served]:
    served = _serve(tmp_path, fake, webhook=True, name="<b>Ann</b> & co")
    fake.wait_for("setWebhook")
    yield served
    stop(served)


def _post(served: Served, update: dict[str, object], secret: str | None = SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return httpx.post(f"{served.url}/telegram/webhook", json=update, headers=headers).status_code


def _texts(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [p["text"] for p in fake.called("sendMessage") if int(p["chat_id"]) == chat_id]


def test_set_up_registers_the_webhook_and_commands(
    webhook_service: Served, fake: FakeBotAPI
) -> None:
    (hook,) = fake.called("setWebhook")
    assert hook["url"].endswith("/telegram/webhook") and hook["secret_token"] == SECRET
    (commands,) = fake.wait_for("setMyCommands")
    names = [c["command"] for c in __import__("json").loads(commands["commands"])]
    assert names == ["start", "menu", "help", "urgent", "plan", "stop", "forget"]


def test_forged_updates_are_refused_and_not_stored(
    webhook_service: Served, fake: FakeBotAPI
) -> None:
    update = message_update(1, 777, "hi")
    assert _post(webhook_service, update, secret=None) == 403
    assert _post(webhook_service, update, secret="wrong") == 403
    assert _post(webhook_service, update, secret=SECRET + "x") == 403
    time.sleep(0.5)
    assert _texts(fake, 777) == []
    with sqlite3.connect(webhook_service.db) as db:
        assert db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0


def test_greeting_keyboard_escaping_and_one_reply_per_update(
    webhook_service: Served, fake: FakeBotAPI
) -> None:
    update = message_update(10, 918273645, "hi")
    assert _post(webhook_service, update) == 200
    assert _post(webhook_service, update) == 200  # Telegram retried: stored once
    greeting, *more = fake.wait_for("sendMessage")
    assert more == [], [m["text"] for m in more]
    assert "999" in greeting["text"] and "116 123" in greeting["text"]
    assert "&lt;b&gt;Ann&lt;/b&gt; &amp; co" in greeting["text"]
    assert "<b>Ann</b>" not in greeting["text"]
    assert greeting["parse_mode"] == "HTML"
    assert keyboard(greeting) == ["somewhere", "talk", "carer", "wait", "urgent"]
    time.sleep(1)
    assert len(_texts(fake, 918273645)) == 1
    with sqlite3.connect(webhook_service.db) as db:
        assert db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 1
        stored = db.execute("SELECT address FROM addresses").fetchone()[0]
        assert "ann_private" not in str(db.execute("SELECT * FROM inbox").fetchall())
    assert stored == "918273645"
    assert "918273645" not in webhook_service.output()  # Telegram ids stay out of the logs
    assert "ann_private" not in webhook_service.output()


def test_buttons_commands_and_other_kinds_of_message(
    webhook_service: Served, fake: FakeBotAPI
) -> None:
    chat = 556
    _post(webhook_service, message_update(20, chat, "/start"))
    fake.wait_for("sendMessage", 1)
    _post(webhook_service, callback_update(21, chat, "urgent"))
    fake.wait_for("answerCallbackQuery", 1)
    texts = [t for t in (fake.wait_for("sendMessage", 3) and _texts(fake, chat))]
    assert "85258" in texts[1]
    _post(webhook_service, callback_update(22, chat, "forged-data"))
    _post(
        webhook_service,
        message_update(
            23, chat, photo=[{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]
        ),
    )
    fake.wait_for("sendMessage", 5)
    texts = _texts(fake, chat)
    assert "isn't available any more" in texts[3]
    assert "only read text" in texts[4]


def test_urgent_language_is_answered_first(webhook_service: Served, fake: FakeBotAPI) -> None:
    _post(webhook_service, message_update(30, 557, "hi"))
    fake.wait_for("sendMessage", 1)
    _post(webhook_service, message_update(31, 557, "I want to kill myself"))
    sent = fake.wait_for("sendMessage", 3)
    assert "999" in sent[1]["text"] and "116 123" in sent[1]["text"]


def test_only_telegram_is_told_it_can_share_a_location(
    webhook_service: Served, fake: FakeBotAPI
) -> None:
    _post(webhook_service, message_update(35, 559, "hi"))
    _post(webhook_service, callback_update(36, 559, "somewhere"))
    deadline = time.monotonic() + 20
    while len(_texts(fake, 559)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "share your location" in _texts(fake, 559)[1]


def test_groups_are_told_we_only_talk_in_private(webhook_service: Served, fake: FakeBotAPI) -> None:
    _post(webhook_service, message_update(40, -100, "/start", chat_type="group"))
    (notice,) = fake.wait_for("sendMessage")
    assert "private" in notice["text"] and int(notice["chat_id"]) == -100
    _post(webhook_service, message_update(41, -100, "chatting away", chat_type="group"))
    time.sleep(0.5)
    assert len(fake.called("sendMessage")) == 1
    with sqlite3.connect(webhook_service.db) as db:
        assert db.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0


def test_recovers_after_a_429(webhook_service: Served, fake: FakeBotAPI) -> None:
    fake.fail_next("sendMessage", 429, retry_after=1)
    _post(webhook_service, message_update(50, 558, "hi"))
    sent = fake.wait_for("sendMessage", 2)
    assert len(sent) == 2 and sent[0]["text"] == sent[1]["text"]  # tried, waited, delivered
    time.sleep(1.5)
    assert len(_texts(fake, 558)) == 2


def test_retries_after_5xx(webhook_service: Served, fake: FakeBotAPI) -> None:
    fake.fail_next("sendMessage", 502)
    _post(webhook_service, message_update(60, 559, "hi"))
    fake.wait_for("sendMessage", 2)
    with sqlite3.connect(webhook_service.db) as db:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            status = db.execute("SELECT status FROM outbox").fetchone()[0]
            if status == "sent":
                break
            time.sleep(0.1)
    assert status == "sent"


def test_a_person_who_blocked_the_bot_is_not_retried(
    webhook_service: Served, fake: FakeBotAPI
) -> None:
    fake.fail_next("sendMessage", 403, times=5)
    _post(webhook_service, message_update(70, 560, "hi"))
    fake.wait_for("sendMessage", 1)
    time.sleep(3)
    assert len(fake.called("sendMessage")) == 1
    with sqlite3.connect(webhook_service.db) as db:
        assert db.execute("SELECT status FROM outbox").fetchone()[0] == "failed"
        assert db.execute("SELECT unreachable_at FROM addresses").fetchone()[0] is not None


def test_polling_mode_stores_then_answers(tmp_path: Path, fake: FakeBotAPI) -> None:
    fake.queue_update(message_update(80, 561, "hi"))
    served = _serve(tmp_path, fake, webhook=False)
    try:
        fake.wait_for("deleteWebhook")
        (greeting,) = fake.wait_for("sendMessage")
        assert "116 123" in greeting["text"]
        fake.queue_update(message_update(81, 561, "menu"))
        fake.wait_for("sendMessage", 2)
        time.sleep(1.5)  # later polls must not re-deliver stored updates
        assert len(_texts(fake, 561)) == 2
        assert httpx.post(f"{served.url}/telegram/webhook", json={}).status_code == 403
    finally:
        stop(served)


def test_without_a_token_the_webhook_says_so(served: Served) -> None:
    assert httpx.post(f"{served.url}/telegram/webhook", json={}).status_code == 503


def test_a_bare_slash_is_answered_and_polling_carries_on(tmp_path: Path, fake: FakeBotAPI) -> None:
    # "/ " once raised in the supporter-command parser and killed the polling task:
    # nobody on Telegram was answered again, and /healthz stayed 200.
    fake.queue_update(message_update(90, 562, "/ "))
    served = _serve(tmp_path, fake, webhook=False)
    try:
        fake.wait_for("sendMessage")
        fake.queue_update(message_update(91, 562, "/"))
        fake.queue_update(message_update(92, 562, "/@wr_test_bot"))
        fake.queue_update(message_update(93, 562, "menu"))
        fake.wait_for("sendMessage", 4)
        assert len(_texts(fake, 562)) == 4
        assert httpx.get(f"{served.url}/healthz").status_code == 200
        assert "Traceback" not in served.output()
    finally:
        stop(served)


@pytest.fixture(scope="module")
def slash_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, FakeBotAPI]]:
    """One webhook service for the bare-slash cases: each is a new person, and a serve
    costs seconds to start."""
    fake = FakeBotAPI().start()
    served = _serve(tmp_path_factory.mktemp("slash"), fake, webhook=True)
    fake.wait_for("setWebhook")
    yield served, fake
    stop(served)
    fake.stop()


@pytest.mark.parametrize(
    ("chat_id", "text"),
    list(enumerate(["/ ", "/", "/ next", "/@wr_test_bot", "/\u2003x"], start=563)),
)
def test_a_bare_slash_by_webhook_is_answered_not_500(
    slash_service: tuple[Served, FakeBotAPI], chat_id: int, text: str
) -> None:
    served, fake = slash_service
    assert _post(served, message_update(chat_id, chat_id, text)) == 200
    deadline = time.monotonic() + 20
    while not _texts(fake, chat_id):
        assert time.monotonic() < deadline, "no greeting"
        time.sleep(0.05)
    (greeting,) = _texts(fake, chat_id)
    assert "116 123" in greeting
