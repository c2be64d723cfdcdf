"""Someone who texted STOP cannot be sent the urgent reply: staff are alerted instead.

The real service process, Twilio's signed webhooks and the fake Twilio API.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..conftest import Served
from ..fake_twilio import FakeTwilio
from .test_sms_e2e import NUMBER, Phone, _eventually, _query, fake, sms_service

__all__ = ["fake", "sms_service"]  # the fixtures, shared with the end-to-end tests


def _staff(served: Served, supporter_id: str, name: str, role: str, chat: str) -> None:
    with sqlite3.connect(served.db) as db:
        db.execute(
            "INSERT INTO supporters (id, name, display_name, role, password_hash, caseload_cap,"
            " tags, on_shift, telegram_chat_id, created_at) VALUES (?, ?, ?, ?, '', 2, '[]', ?,"
            " ?, '2026-11-28T00:00:00+00:00')",
            (supporter_id, name.lower(), name, role, int(role == "supporter"), chat),
        )


def test_urgent_words_after_stop_alert_supporters_on_shift_and_leads(
    sms_service: Served, fake: FakeTwilio
) -> None:
    _staff(sms_service, "s-1", "Jo", "supporter", "901")
    _staff(sms_service, "s-2", "Lee", "lead", "902")
    phone = Phone(sms_service, fake)
    phone.text("hi")
    phone.replies(1)
    phone.text("STOP")
    _eventually(
        lambda: _query(sms_service, "SELECT 1 FROM addresses WHERE opted_out_at IS NOT NULL")
    )
    # Nobody is alerted for an ordinary message they cannot be answered.
    phone.text("menu")
    _eventually(lambda: _query(sms_service, "SELECT 1 FROM inbox WHERE id = 3 AND processed_at"))
    assert _query(sms_service, "SELECT count(*) FROM staff_outbox") == [(0,)]

    phone.text("I have taken all my pills")

    def alerts() -> list[tuple[Any, ...]]:
        return _query(
            sms_service, "SELECT chat_id, urgent, body FROM staff_outbox ORDER BY chat_id"
        )

    rows = _eventually(alerts)
    assert [(chat, urgent) for chat, urgent, _ in rows] == [("901", 1), ("902", 1)]
    person = _query(sms_service, "SELECT person_id FROM addresses")[0][0]
    pseudonym = "Guest-" + person.removeprefix("p-")[:6].upper()
    for _, _, body in rows:
        assert pseudonym in body and "NOT seen the urgent numbers" in body
        assert NUMBER not in body and "pills" not in body  # by pseudonym, never the words
    # The urgent assessment is recorded, with the message that raised it.
    risks = _query(sms_service, "SELECT level, inbox_id, source FROM risk_events")
    assert risks == [("urgent", 4, "message")]
    # And nothing was sent to a number that opted out.
    assert len(fake.sent(NUMBER)) == 1
