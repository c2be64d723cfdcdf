"""Logs never hold what people said, their phone numbers or their Telegram ids.

The real service runs with Telegram and SMS configured against the loopback fakes and
the web chat; people write distinctive words, urgent ones, ask to be forgotten, and
the providers fail in the ways they do. Then everything the server wrote is searched,
for those and for credentials.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import Served, free_port, serve, stop
from .fake_telegram import FakeBotAPI, callback_update, message_update
from .fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    FakeTwilio,
    inbound,
    post_signed,
    status_report,
)

SECRET = "logs_secret-1"
CHAT_ID = 583920174
NUMBER = "+447700900456"
WORDS = ["zebramarmalade", "quokkalantern", "wombatsaxophone", "heliotropefig", "bluebellkettle"]
# Every way a phone number or chat id might be written out.
NEVER = [*WORDS, str(CHAT_ID), NUMBER, NUMBER[1:], "7700900456", "07700900456", "07700 900456"]
BOT_TOKEN = "123456:LOGS-token"
# Nor do credentials: httpx logs request URLs, and the Bot API's hold the token.
NEVER += [BOT_TOKEN, "LOGS-token", AUTH_TOKEN, SECRET]


@pytest.fixture(params=[False, True], ids=["plain", "verbose"])
def service(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Served, FakeBotAPI, FakeTwilio]]:
    telegram, twilio = FakeBotAPI().start(), FakeTwilio().start()
    port = free_port()
    env = {
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_URL": twilio.url,
        "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    # --verbose: every library's DEBUG lines too (aiosqlite's hold SQL parameters,
    # python-telegram-bot's each call's parameters and the token in its URL).
    served = serve(tmp_path, env, port=port, args=["--verbose"] if request.param else [])
    telegram.wait_for("setWebhook")
    try:
        yield served, telegram, twilio
    finally:
        stop(served)
        telegram.stop()
        twilio.stop()


def _telegram(served: Served, update: dict[str, object]) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    httpx.post(f"{served.url}/telegram/webhook", json=update, headers=headers, timeout=10)


def _sms(served: Served, body: str, **extra: str) -> None:
    form = inbound(f"SM{uuid.uuid4().hex}", NUMBER, body, **extra)
    assert post_signed(served.url, served.url, "/sms/inbound", form).status_code == 200


def test_nothing_personal_reaches_the_logs(
    service: tuple[Served, FakeBotAPI, FakeTwilio],
) -> None:
    served, telegram, twilio = service

    # Telegram: words, urgent words, failures of every kind, forgetting.
    telegram.fail_next("sendMessage", 400)
    _telegram(served, message_update(1, CHAT_ID, f"hi {WORDS[0]}"))
    telegram.fail_next("sendMessage", 502)
    _telegram(served, message_update(2, CHAT_ID, f"I want to kill myself {WORDS[1]}"))
    telegram.wait_for("sendMessage", 4)
    _telegram(served, message_update(3, CHAT_ID, "/forget"))
    telegram.wait_for("sendMessage", 5)
    _telegram(served, callback_update(4, CHAT_ID, "forget_yes"))
    assert "has been deleted" in telegram.wait_for("sendMessage", 6)[-1]["text"]
    telegram.fail_next("sendMessage", 403)
    _telegram(served, message_update(5, CHAT_ID, f"hello again {WORDS[0]}"))
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "content-type": "application/json"}
    httpx.post(f"{served.url}/telegram/webhook", content=f"{{{WORDS[2]}", headers=headers)

    # SMS: words, urgent words, provider errors, a failed delivery report, forgetting.
    twilio.fail_next(503)
    _sms(served, f"hi {WORDS[2]}")
    sent = twilio.wait_for(1, to=NUMBER)
    _sms(served, f"i want to end it all {WORDS[3]}")
    sent = twilio.wait_for(3, to=NUMBER)
    _sms(served, "forget me")
    twilio.wait_for(4, to=NUMBER)
    _sms(served, "1")
    assert "deleted" in twilio.wait_for(5, to=NUMBER)[-1].body
    twilio.fail_next(21211)
    _sms(served, f"hello again {WORDS[3]}")
    report = status_report(sent[1].sid, NUMBER, "undelivered", "30003")
    post_signed(served.url, served.url, "/sms/status", report)
    form = inbound(f"SM{uuid.uuid4().hex}", "", f"no sender {WORDS[4]}")
    post_signed(served.url, served.url, "/sms/inbound", form)

    # Web chat: words, urgent words, junk.
    with httpx.Client(base_url=served.url, timeout=20) as web:
        token = web.post("/api/chat/session").json()["token"]
        web.headers["Authorization"] = f"Bearer {token}"
        for text in (f"hi {WORDS[4]}", f"I'm going to end my life {WORDS[4]}"):
            web.post("/api/chat/messages", json={"client_id": uuid.uuid4().hex, "text": text})
        web.post("/api/chat/messages", content=f"not json {WORDS[4]}")
        web.get("/api/chat/messages", params={"after": 0, "wait": 5})
    never = [*NEVER, token, hashlib.sha256(token.encode()).hexdigest()]

    time.sleep(2)  # the last failures are logged
    stop(served)
    output = served.output()
    assert "risk urgent" in output  # the risk check ran and was logged, by rule id
    if "DEBUG" in output:  # the verbose run: the chatty libraries did speak
        assert "aiosqlite" in output and "Calling Bot API endpoint" in output
        assert "HTTP Request: POST" in output
    leaked = [secret for secret in never if secret in output]
    assert leaked == [], output
