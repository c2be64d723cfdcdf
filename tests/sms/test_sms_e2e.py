"""End to end: the real service process, Twilio's signed webhooks, and a fake Twilio API."""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bot.channels.gsm import is_gsm, segments

from ..conftest import Served, free_port, serve, stop
from ..fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    FakeTwilio,
    inbound,
    post_signed,
    signature,
    status_report,
)

NUMBER = "+447700900123"  # an Ofcom drama number
DIGITS = "7700900123"
T = TypeVar("T")
_sids = itertools.count(1)


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    api = FakeTwilio().start()
    yield api
    api.stop()


@pytest.fixture
def sms_service(tmp_path: Path, fake: FakeTwilio) -> Iterator[Served]:
    port = free_port()
    env = {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_URL": fake.url,
        # The service's own loopback address stands in for its public https URL.
        "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    served = serve(tmp_path, env, port=port)
    yield served
    stop(served)


class Phone:
    """A person's phone: texts the service as Twilio relays them, reads what came back."""

    def __init__(self, served: Served, fake: FakeTwilio, number: str = NUMBER) -> None:
        self.served, self.fake, self.number = served, fake, number

    def text(self, body: str, sid: str | None = None, **extra: str) -> httpx.Response:
        form = inbound(sid or f"SMin{next(_sids):030d}", self.number, body, **extra)
        response = post_signed(self.served.url, self.served.url, "/sms/inbound", form)
        assert response.status_code == 200, response.text
        return response

    def replies(self, count: int) -> list[str]:
        return [m.body for m in self.fake.wait_for(count, to=self.number)]

    def report(self, sid: str, status: str, error_code: str | None = None) -> int:
        form = status_report(sid, self.number, status, error_code)
        return post_signed(self.served.url, self.served.url, "/sms/status", form).status_code


def _query(served: Served, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(served.db) as db:
        return db.execute(sql, params).fetchall()


def _eventually(check: Callable[[], T], timeout: float = 10) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def _assert_sms(text: str, budget: int = 3) -> None:
    assert is_gsm(text), [c for c in text if not is_gsm(c)]
    assert segments(text) <= budget, (segments(text), text)


def test_forged_and_unsigned_requests_are_refused_and_not_stored(
    sms_service: Served, fake: FakeTwilio
) -> None:
    url = sms_service.url
    form = inbound("SMforged0000000000000000000000001", NUMBER, "hi")
    assert post_signed(url, url, "/sms/inbound", form, sign=False).status_code == 403
    assert post_signed(url, url, "/sms/inbound", form, token="0" * 32).status_code == 403
    # Signed for another URL than the public one (what a proxy might show us).
    other = "http://localhost:1234/sms/inbound"
    assert post_signed(url, url, "/sms/inbound", form, signed_url=other).status_code == 403
    # Signed, then changed on the way.
    tampered = {**form, "MessageSid": "SMforged0000000000000000000000002", "Body": "changed"}
    headers = {"X-Twilio-Signature": signature(url + "/sms/inbound", form)}
    assert httpx.post(f"{url}/sms/inbound", data=tampered, headers=headers).status_code == 403
    # The query string is part of what is signed.
    query = "/sms/inbound?source=test"
    unsigned_query = {"X-Twilio-Signature": signature(url + "/sms/inbound", form)}
    assert httpx.post(url + query, data=form, headers=unsigned_query).status_code == 403
    # The genuine request, signed for the public URL, is taken.
    assert post_signed(url, url, "/sms/inbound", form).status_code == 200
    second = {**form, "MessageSid": "SMgenuine000000000000000000000002", "Body": "menu"}
    assert post_signed(url, url, query, second).status_code == 200
    report = status_report("SMx", NUMBER, "delivered")
    assert post_signed(url, url, "/sms/status", report, sign=False).status_code == 403
    assert post_signed(url, url, "/sms/status", report, token="0" * 32).status_code == 403
    time.sleep(0.5)
    bodies = _query(sms_service, "SELECT body FROM inbox")
    assert len(bodies) == 2 and "changed" not in str(bodies)  # only the genuine ones
    assert len(fake.wait_for(2)) == 2
    assert "/sms/inbound refused" in sms_service.output()


def test_a_journey_by_numbered_replies(sms_service: Served, fake: FakeTwilio) -> None:
    phone = Phone(sms_service, fake)
    answer = phone.text("hi")
    assert answer.headers["content-type"].startswith("text/xml")
    assert "<Response" in answer.text and "<Message" not in answer.text  # replies go separately
    (greeting,) = phone.replies(1)
    assert "999" in greeting and "116 123" in greeting
    assert "Reply with a number:\n1 Somewhere to go now\n" in greeting
    assert greeting.endswith("\n5 Urgent help")
    _assert_sms(greeting)
    (sent,) = fake.sent(NUMBER)
    assert sent.params["From"] == FROM_NUMBER
    assert sent.params["StatusCallback"] == f"{sms_service.url}/sms/status"

    phone.text("5")  # Urgent help, by its number
    urgent, safe = phone.replies(3)[1:]
    assert "999" in urgent and "116 123" in urgent and "85258" in urgent
    _assert_sms(urgent, budget=2)
    assert "Reply with a number:\n1 Yes, I'm safe for now\n2 No, I'm not safe" in safe

    phone.text("menu")
    menu = phone.replies(4)[3]
    assert menu.startswith("What would help right now?") and "5 Urgent help" in menu

    phone.text("one")  # a number in words picks "Somewhere to go now"
    somewhere = phone.replies(5)[4]
    assert "only understand a few words" not in somewhere
    assert "isn't available any more" not in somewhere

    phone.text("help")
    assert "116 123" in phone.replies(6)[5]
    phone.text("URGENT")
    assert "85258" in phone.replies(7)[6]
    for text in phone.replies(7):
        _assert_sms(text)

    time.sleep(0.5)
    (address,) = _query(sms_service, "SELECT address FROM addresses")
    assert address == (NUMBER,)
    log = sms_service.output()
    assert DIGITS not in log and "7700 900123" not in log
    assert "Somewhere to go now" not in log and "hi" not in log.split()


def test_a_retried_webhook_is_stored_and_answered_once(
    sms_service: Served, fake: FakeTwilio
) -> None:
    phone = Phone(sms_service, fake)
    phone.text("hi", sid="SMsame00000000000000000000000001")
    phone.text("hi", sid="SMsame00000000000000000000000001")
    phone.replies(1)
    time.sleep(1.5)
    assert len(phone.replies(1)) == 1
    assert _query(sms_service, "SELECT count(*) FROM inbox") == [(1,)]


def test_stop_then_a_message_then_start(sms_service: Served, fake: FakeTwilio) -> None:
    phone = Phone(sms_service, fake)
    phone.text("hi")
    phone.replies(1)

    phone.text("STOP")
    opted = _eventually(lambda: _query(sms_service, "SELECT opted_out_at FROM addresses"))
    assert opted[0][0] is not None

    # Still read, and read for risk, but nothing goes out: Twilio would refuse it anyway.
    phone.text("I want to kill myself")

    def failed() -> list[tuple[Any, ...]]:
        rows = _query(sms_service, "SELECT status, last_error FROM outbox WHERE id > 1")
        done = rows and all(status != "pending" for status, _ in rows) and len(rows) >= 3
        return rows if done else []

    rows = _eventually(failed)
    assert rows and {row for row in rows} == {("failed", "opted out")}, rows
    risks = _query(sms_service, "SELECT level FROM risk_events")
    assert ("urgent",) in risks
    assert _query(sms_service, "SELECT count(*) FROM inbox WHERE processed_at IS NOT NULL") == [
        (3,)
    ]
    assert len(fake.sent(NUMBER)) == 1

    phone.text("START")
    back = phone.replies(2)[1]
    assert "116 123" in back
    assert _query(sms_service, "SELECT opted_out_at FROM addresses") == [(None,)]
    phone.text("menu")
    assert phone.replies(3)[2].startswith("What would help right now?")


def test_delivery_reports_update_the_outbox(sms_service: Served, fake: FakeTwilio) -> None:
    phone = Phone(sms_service, fake)
    phone.text("hi")
    phone.replies(1)
    first = fake.sent(NUMBER)[0].sid
    _eventually(lambda: _query(sms_service, "SELECT 1 FROM outbox WHERE status = 'sent'"))
    assert _query(sms_service, "SELECT channel_message_id FROM outbox") == [(first,)]
    for status in ("sent", "delivered", "delivered", "sent"):  # repeated and out of order
        assert phone.report(first, status) == 200
    assert _query(sms_service, "SELECT status, channel_status FROM outbox") == [
        ("delivered", "delivered")
    ]
    assert phone.report("SMunknown000000000000000000000001", "delivered") == 200

    phone.text("menu")
    phone.replies(2)
    second = fake.sent(NUMBER)[1].sid
    _eventually(
        lambda: _query(sms_service, "SELECT 1 FROM outbox WHERE id = 2 AND status = 'sent'")
    )
    assert phone.report(second, "failed", "21610") == 200
    row = _query(sms_service, "SELECT status, last_error FROM outbox WHERE id = 2")
    assert row[0][0] == "failed" and "21610" in row[0][1]
    assert _query(sms_service, "SELECT opted_out_at IS NOT NULL FROM addresses") == [(1,)]

    phone.text("help")  # opted out at Twilio's end: not sent
    _eventually(
        lambda: _query(sms_service, "SELECT 1 FROM outbox WHERE id = 3 AND status = 'failed'")
    )
    assert len(fake.sent(NUMBER)) == 2


def test_twilio_failures_are_retried_or_recorded(sms_service: Served, fake: FakeTwilio) -> None:
    phone = Phone(sms_service, fake)
    fake.fail_next(429)
    fake.fail_next(500)
    phone.text("hi")
    (greeting,) = phone.replies(1)  # refused twice, then sent
    assert "116 123" in greeting and fake.attempts == 3
    assert _eventually(
        lambda: _query(sms_service, "SELECT status, attempts FROM outbox WHERE status = 'sent'")
    ) == [("sent", 3)]

    fake.fail_next(21610)
    phone.text("menu")
    row = _eventually(
        lambda: _query(
            sms_service, "SELECT status, last_error FROM outbox WHERE id = 2 AND status = 'failed'"
        )
    )
    assert row == [("failed", "opted out (21610)")]
    assert _query(sms_service, "SELECT opted_out_at IS NOT NULL FROM addresses") == [(1,)]
    time.sleep(1.5)
    assert fake.attempts == 4  # not retried


def test_without_credentials_both_routes_say_so(served: Served) -> None:
    for path in ("/sms/inbound", "/sms/status"):
        response = httpx.post(f"{served.url}{path}", data={"Body": "hi"})
        assert response.status_code == 503
        assert "TWILIO_ACCOUNT_SID" in response.json()["error"]
    assert httpx.get(f"{served.url}/healthz").status_code == 200
