"""The SMS sender against the fake Twilio API, in-process: what it sends, how it fails."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.channels.base import DeliveryError
from bot.channels.sms import SmsSender
from bot.config import load_settings
from bot.service import Service, wording_for
from bot.store import Store

from ..fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio

NUMBER = "+447700900123"
PUBLIC = "https://wr.example.org"
BODY: dict[str, Any] = {
    "text": "What would help right now? Choose one.",
    "options": [["talk", "Talk to a peer supporter"], ["urgent", "Urgent help"]],
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTwilio]:
    api = FakeTwilio().start()
    yield api
    api.stop()


@pytest.fixture
async def sender(tmp_path: Path, fake: FakeTwilio) -> AsyncIterator[SmsSender]:
    settings = load_settings(
        {
            "WAITINGROOM_DB": str(tmp_path / "wr.sqlite3"),
            "WAITINGROOM_PUBLIC_URL": PUBLIC,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_FROM_NUMBER": "0113 496 0000",
            "TWILIO_API_URL": fake.url,
        }
    )
    async with Store(settings.db_path) as store:
        sms = SmsSender(settings, wording_for(settings))
        sms.service = Service(settings, store, senders=[sms])
        await store.receive("sms", NUMBER, "SMin1", "text", {"text": "hi"})
        await sms.open()
        try:
            yield sms
        finally:
            await sms.close()


def _store(sender: SmsSender) -> Store:
    assert sender.service is not None
    return sender.service.store


async def test_a_reply_goes_to_twilio_as_gsm_text_with_a_status_callback(
    sender: SmsSender, fake: FakeTwilio
) -> None:
    sid = await sender.send(NUMBER, BODY)
    (sent,) = fake.sent(NUMBER)
    assert sid == sent.sid and sid.startswith("SM")
    assert sent.auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert sent.params["From"] == FROM_NUMBER  # normalised to E.164
    assert sent.params["StatusCallback"] == PUBLIC + "/sms/status"
    assert sent.body == (
        "What would help right now? Choose one.\n\n"
        "Reply with a number:\n1 Talk to a peer supporter\n2 Urgent help"
    )


@pytest.mark.parametrize("failure", [429, 500, 503])
async def test_rate_limits_and_twilio_trouble_are_retried(
    sender: SmsSender, fake: FakeTwilio, failure: int
) -> None:
    fake.fail_next(failure)
    with pytest.raises(DeliveryError) as raised:
        await sender.send(NUMBER, BODY)
    assert not raised.value.permanent
    assert NUMBER not in raised.value.reason


async def test_an_opted_out_number_is_recorded_and_not_retried(
    sender: SmsSender, fake: FakeTwilio
) -> None:
    fake.fail_next(21610)
    with pytest.raises(DeliveryError) as raised:
        await sender.send(NUMBER, BODY)
    assert raised.value.permanent and "opted out" in raised.value.reason
    assert await _store(sender).opted_out("sms", NUMBER)
    before = fake.attempts
    with pytest.raises(DeliveryError, match="opted out"):
        await sender.send(NUMBER, BODY)
    assert fake.attempts == before  # Twilio was not asked again


async def test_an_invalid_number_is_marked_unreachable(sender: SmsSender, fake: FakeTwilio) -> None:
    fake.fail_next(21211)
    with pytest.raises(DeliveryError) as raised:
        await sender.send(NUMBER, BODY)
    assert raised.value.permanent and NUMBER not in raised.value.reason
    rows = await _store(sender).db.read("SELECT unreachable_at FROM addresses")
    assert rows[0][0] is not None


async def test_twilio_unreachable_is_a_transient_failure(sender: SmsSender) -> None:
    assert sender.http is not None
    sender.http.base = sender.http.base._replace(netloc="127.0.0.1:9")  # type: ignore[union-attr]
    with pytest.raises(DeliveryError) as raised:
        await sender.send(NUMBER, BODY)
    assert not raised.value.permanent and "unreachable" in raised.value.reason
